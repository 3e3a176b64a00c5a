// Exported runs (GET /v1/evals/{id}/runs/{run_id}) or run-create bodies: what a local re-run
// takes from them is the data source — its items (`source`) and, for `completions` and
// `responses` runs, how each sample is generated (`input_messages`, `model`, `sampling_params`).
// The hosted run's results (status, counts, usage) are ignored. Problems carry JSON pointers
// into the run document.

import type { ChatRequest } from "../core/executors.js";
import { mapSamplingParams } from "../graders/model-grader.js";
import { ajvProblems, schemaValidator, type Problem } from "../schema/ajv.js";
import type { GraderMessage, ReasoningEffort } from "../schema/types.js";
import { checkTemplate, messageTemplateFields } from "../schema/validate.js";
import { parsePlaceholders, TemplateSyntaxError } from "../templates/template.js";
import { isJsonObject } from "../util/json-object.js";
import { runDocumentSchema } from "./schema.js";
import type { InputMessages, RunPlan, RunSource, SamplingSetup } from "./types.js";

export interface RunCheckResult {
  ok: boolean;
  run: RunPlan | null;
  problems: Problem[];
  warnings: Problem[];
}

type Json = Record<string, unknown>;

const DS = "/data_source";

function runSource(source: Json): RunSource {
  if (source.type === "file_content") return { kind: "content", rows: source.content as unknown[] };
  if (source.type === "file_id") return { kind: "file_id", id: source.id as string };
  return { kind: "hosted_query", type: String(source.type) };
}

/** A run template reads only `{{ item.* }}`: the sample is what it is about to generate. */
function checkTemplateMessages(template: unknown[], problems: Problem[], warnings: Problem[]): void {
  for (const [pointer, text] of messageTemplateFields(template, `${DS}/input_messages/template`)) {
    const before = problems.length;
    checkTemplate(text, pointer, problems, warnings);
    if (problems.length > before || typeof text !== "string") continue;
    for (const p of parsePlaceholders(text)) {
      if (p.namespace === "sample") {
        problems.push({ pointer, message: `${p.raw}: a run's input messages can only read {{ item.* }} (the sample is what they generate)`, code: "invalid_template" });
      }
    }
  }
}

/** `item.input_trajectory` must be a path in the item namespace (the template path syntax). */
function checkItemReference(reference: string, problems: Problem[]): void {
  const pointer = `${DS}/input_messages/item_reference`;
  try {
    const [p, ...more] = parsePlaceholders(`{{ ${reference} }}`);
    if (!p || more.length > 0 || p.namespace !== "item") {
      problems.push({ pointer, message: `'${reference}' must be a path in the item namespace, e.g. item.messages`, code: "invalid_reference" });
    }
  } catch (err) {
    if (!(err instanceof TemplateSyntaxError)) throw err;
    problems.push({ pointer, message: `'${reference}' must be a path in the item namespace, e.g. item.messages (${err.message})`, code: "invalid_reference" });
  }
}

type Format = { type?: unknown; name?: unknown; schema?: unknown; json_schema?: unknown };

/** sampling_params → what the chat executor can send: a json_schema format or free text. */
function responseFormat(params: Json, problems: Problem[]): SamplingSetup["responseFormat"] {
  const completions = isJsonObject(params.response_format) ? (params.response_format as Format) : null;
  const responses = isJsonObject(params.text) && isJsonObject(params.text.format) ? (params.text.format as Format) : null;
  const format = completions ?? responses;
  const pointer = completions ? `${DS}/sampling_params/response_format` : `${DS}/sampling_params/text/format`;
  if (!format || format.type === "text") return undefined;
  if (format.type === "json_object") {
    problems.push({ pointer: `${pointer}/type`, message: "json_object output is not supported locally: use a json_schema format, or none (free text)", code: "not_supported" });
    return undefined;
  }
  // Chat Completions nests the schema under json_schema; the Responses API's text.format is flat.
  const spec = (completions ? format.json_schema : format) as Format | undefined;
  if (!isJsonObject(spec) || !isJsonObject(spec.schema)) {
    problems.push({ pointer, message: "a json_schema format needs a 'schema' object", code: "missing_required_field" });
    return undefined;
  }
  return { name: typeof spec.name === "string" && spec.name !== "" ? spec.name : "response", schema: spec.schema };
}

function samplingParams(params: Json, problems: Problem[]): ChatRequest["sampling"] {
  const a = params.max_completion_tokens;
  const b = params.max_completions_tokens;
  if (a != null && b != null && a !== b) {
    problems.push({ pointer: `${DS}/sampling_params`, message: `max_completion_tokens (${a}) and max_completions_tokens (${b}) disagree`, code: "conflicting_fields" });
  }
  return mapSamplingParams({
    seed: params.seed as number | null | undefined,
    temperature: params.temperature as number | null | undefined,
    top_p: params.top_p as number | null | undefined,
    max_completions_tokens: (a ?? b) as number | null | undefined,
    reasoning_effort: params.reasoning_effort as ReasoningEffort | null | undefined,
  });
}

/**
 * sampling_params.tools as Chat Completions tools: a completions run's are already; the
 * Responses API's flat function tools ({type, name, parameters}) are nested under `function`.
 * Other tool types (web search, file search, ...) have no Chat Completions form.
 */
function chatTools(params: Json, problems: Problem[]): Json[] | undefined {
  if (!Array.isArray(params.tools) || params.tools.length === 0) return undefined;
  const out: Json[] = [];
  params.tools.forEach((tool: unknown, i) => {
    const pointer = `${DS}/sampling_params/tools/${i}`;
    if (!isJsonObject(tool) || tool.type !== "function") {
      const type = isJsonObject(tool) ? ` (got ${JSON.stringify(tool.type)})` : "";
      problems.push({ pointer, message: `only function tools can be sent to a Chat Completions endpoint${type}`, code: "not_supported" });
    } else if (isJsonObject(tool.function)) {
      out.push(tool);
    } else if (typeof tool.name === "string" && tool.name !== "") {
      const { type: _function, ...definition } = tool;
      out.push({ type: "function", function: definition });
    } else {
      problems.push({ pointer, message: "a function tool needs a 'name' (or a 'function' object)", code: "missing_required_field" });
    }
  });
  return out;
}

function samplingSetup(run: Json, ds: Json, problems: Problem[], warnings: Problem[]): SamplingSetup | null {
  const model = typeof ds.model === "string" && ds.model !== "" ? ds.model : typeof run.model === "string" && run.model !== "" ? run.model : null;
  const input = isJsonObject(ds.input_messages) ? ds.input_messages : null;
  if (!input) {
    problems.push({ pointer: `${DS}/input_messages`, message: `a ${ds.type} run needs 'input_messages' to generate samples`, code: "missing_required_field" });
  }
  if (!model) problems.push({ pointer: `${DS}/model`, message: `a ${ds.type} run needs the 'model' that generates samples`, code: "missing_required_field" });
  if (input?.type === "template" && Array.isArray(input.template)) checkTemplateMessages(input.template, problems, warnings);
  if (input?.type === "item_reference" && typeof input.item_reference === "string") checkItemReference(input.item_reference, problems);
  const params = isJsonObject(ds.sampling_params) ? ds.sampling_params : {};
  const sampling = samplingParams(params, problems);
  const format = responseFormat(params, problems);
  const tools = chatTools(params, problems);
  if (!input || !model) return null;
  const inputMessages: InputMessages =
    input.type === "template"
      ? { type: "template", template: input.template as GraderMessage[] }
      : { type: "item_reference", item_reference: input.item_reference as string };
  return { model, inputMessages, params: sampling, ...(format ? { responseFormat: format } : {}), ...(tools ? { tools } : {}) };
}

/** Validate a run document (already parsed JSON). Never throws for problems in it. */
export function checkRun(input: unknown): RunCheckResult {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  if (!isJsonObject(input)) {
    return { ok: false, run: null, problems: [{ pointer: "", message: "a run must be a JSON object", code: "invalid_type" }], warnings };
  }
  const validate = schemaValidator(runDocumentSchema);
  if (!validate(input)) {
    problems.push(...ajvProblems(validate.errors));
    return { ok: false, run: null, problems, warnings };
  }
  const ds = input.data_source as Json;
  const type = ds.type as RunPlan["dataSourceType"];
  const sampling = type === "jsonl" ? null : samplingSetup(input, ds, problems, warnings);
  if (problems.length > 0) return { ok: false, run: null, problems, warnings };
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  return {
    ok: true,
    run: {
      id: str(input.id),
      name: str(input.name),
      evalId: str(input.eval_id),
      dataSourceType: type,
      dataSource: ds,
      source: runSource(ds.source as Json),
      sampling,
    },
    problems,
    warnings,
  };
}
