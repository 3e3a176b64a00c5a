// One data row → one output item. A row that cannot be graded (not JSON, not an item, an item
// the schema refuses, a sample that could not be generated, a hosted item without output) is an
// `error` item saying why — never dropped; the others are graded against every criterion.

import type { ChatExecutor, Executors } from "../core/executors.js";
import type { Item, Sample } from "../core/rows.js";
import { ajvProblems } from "../schema/ajv.js";
import type { ComparedItem } from "./compare.js";
import { gradeCriteria, resultOf, type CompiledCriterion, type Verdict } from "./criteria.js";
import { parseDataRow, type DataRow } from "./data.js";
import { parseHostedItem } from "./hosted-items.js";
import { localId } from "./ids.js";
import { itemStatus } from "./pass-rules.js";
import type { Sampler, Usage } from "./sampling.js";
import type { EvalApiError, OutputItem, OutputItemSample } from "./types.js";
import { itemValidator } from "./validate-eval.js";

export interface RowResult {
  /** Where the row is, for messages. */
  where: string;
  output: OutputItem;
  /** null when the row could not be graded at all. */
  verdicts: Verdict[] | null;
  /** Why the item is `error`. */
  error?: string;
  /** Re-graded hosted items: what to compare. */
  compared?: ComparedItem;
}

export interface RowGraderContext {
  evalId: string;
  runId: string;
  createdAt: number;
  criteria: readonly CompiledCriterion[];
  itemSchema: Record<string, unknown> | null;
  executors: Executors;
  /** How samples are generated, when a run generates them; onCall sees every sampling call's usage. */
  sampling: { sampler: Sampler; chat: ChatExecutor; onCall: (usage: Usage) => void } | null;
  /** Whether a criterion reads {{ sample.* }} (a row without a sample is then worth a warning). */
  readsSample: boolean;
  /** How the run is named in messages. */
  runLabel: string;
  /** A warning said once per kind. */
  warn: (kind: string, message: string) => void;
}

export interface RowGrader {
  /** A DATA.jsonl / file_content row: `{item, sample?}` or a bare item. */
  dataRow(row: DataRow): Promise<RowResult>;
  /** A hosted eval.run.output_item, re-graded from its sample. */
  hostedItem(row: DataRow): Promise<RowResult>;
}

export const emptySample = (error: EvalApiError | null): OutputItemSample => ({
  input: [],
  output: [],
  finish_reason: null,
  model: null,
  usage: null,
  error,
  temperature: null,
  max_completion_tokens: null,
  top_p: null,
  seed: null,
});

/** A sample given in the data, in the output item's shape. */
function givenSample(sample: Sample): OutputItemSample {
  const text = typeof sample.output_text === "string" ? sample.output_text : null;
  return { ...emptySample(null), output: text === null ? [] : [{ role: "assistant", content: text }] };
}

const invalidRow = (message: string) => emptySample({ code: "invalid_row", message });

export function createRowGrader(ctx: RowGraderContext): RowGrader {
  const validateItem = ctx.itemSchema ? itemValidator(ctx.itemSchema) : null;

  const outputItem = (index: number, status: OutputItem["status"], item: Item, results: OutputItem["results"], sample: OutputItem["sample"]): OutputItem => ({
    object: "eval.run.output_item",
    id: localId("outputitem", ctx.runId, index),
    run_id: ctx.runId,
    eval_id: ctx.evalId,
    created_at: ctx.createdAt,
    status,
    datasource_item_id: index,
    datasource_item: item,
    results,
    sample,
  });

  const errored = (row: DataRow, item: Item, message: string, sample: OutputItem["sample"]): RowResult => ({
    where: row.where,
    output: outputItem(row.index, "error", item, [], sample),
    verdicts: null,
    error: message,
  });

  /** Why an item does not match the eval's item schema, or null. */
  const itemProblem = (item: Item): string | null => {
    if (!validateItem || validateItem(item)) return null;
    const problems = ajvProblems(validateItem.errors, "/item").map((p) => `${p.pointer}: ${p.message}`);
    return `the item does not match the eval's item schema: ${problems.join("; ")}`;
  };

  async function grade(row: DataRow, item: Item, sample: Sample, recorded: OutputItem["sample"]): Promise<RowResult> {
    const verdicts = await gradeCriteria(ctx.criteria, sample, item, ctx.executors);
    const status = itemStatus(verdicts.map((v) => v.passed));
    const result: RowResult = { where: row.where, output: outputItem(row.index, status, item, verdicts.map(resultOf), recorded), verdicts };
    const failed = verdicts.find((v) => v.passed === null);
    if (failed) result.error = `criterion '${failed.criterion.resultName}': ${failed.response.error?.message ?? "grading failed"}`;
    return result;
  }

  async function dataRow(row: DataRow): Promise<RowResult> {
    if (row.parseError !== undefined) return errored(row, {}, row.parseError, invalidRow(row.parseError));
    const parsed = parseDataRow(row.value);
    if ("error" in parsed) return errored(row, {}, parsed.error, invalidRow(parsed.error));
    const problem = itemProblem(parsed.item);
    if (problem) return errored(row, parsed.item, problem, emptySample({ code: "invalid_item", message: problem }));
    if (ctx.sampling) {
      if (parsed.sample) ctx.warn("replaced", `rows with a 'sample' (${row.where}): ${ctx.runLabel} generates every item's sample, the given ones are not used`);
      const generated = await ctx.sampling.sampler.generate(parsed.item, ctx.sampling.chat);
      if (generated.usage) ctx.sampling.onCall(generated.usage);
      if (!generated.ok) return errored(row, parsed.item, generated.error.message, generated.record);
      return grade(row, parsed.item, generated.sample, generated.record);
    }
    if (!parsed.sample && ctx.readsSample) {
      ctx.warn("no-sample", `rows without a 'sample' (${row.where}) and no run to generate one: criteria that read {{ sample.* }} will error on them`);
    }
    return grade(row, parsed.item, parsed.sample ?? {}, parsed.sample ? givenSample(parsed.sample) : emptySample(null));
  }

  async function hostedItem(row: DataRow): Promise<RowResult> {
    if (row.parseError !== undefined) return errored(row, {}, row.parseError, invalidRow(row.parseError));
    const hosted = parseHostedItem(row.value);
    if ("error" in hosted) return errored(row, {}, hosted.error, invalidRow(hosted.error));
    // The hosted numbering is kept, so local and hosted items can be joined on it.
    const at = hosted.datasourceItemId !== null ? { ...row, index: hosted.datasourceItemId } : row;
    const problem = hosted.unusable ?? itemProblem(hosted.item);
    const r = problem !== null ? errored(at, hosted.item, problem, hosted.rawSample) : await grade(at, hosted.item, hosted.sample, hosted.rawSample);
    r.compared = {
      datasourceItemId: r.output.datasource_item_id,
      where: row.where,
      hostedStatus: hosted.status,
      hostedResults: hosted.results,
      localStatus: r.output.status,
      verdicts: r.verdicts,
    };
    return r;
  }

  /** Graders and executors report failures as outcomes; an exception here is a bug or a custom executor that rejected: it stays inside its row. */
  const contained =
    (fn: (row: DataRow) => Promise<RowResult>) =>
    async (row: DataRow): Promise<RowResult> => {
      try {
        return await fn(row);
      } catch (err) {
        const message = `internal error: ${err instanceof Error ? err.message : String(err)}`;
        return errored(row, {}, message, emptySample({ code: "other_error", message }));
      }
    };

  return { dataRow: contained(dataRow), hostedItem: contained(hostedItem) };
}
