// The one mechanism behind score_model and label_model: render the grader's messages, ask the
// chat executor for a structured answer, and turn that answer (or its failure) into a grading.
// A grader type only supplies the schema of `result` and how a parsed answer becomes a reward.

import type { ChatMessage, ChatOutcome, ChatRequest } from "../core/executors.js";
import { GradingFailure, type ErrorFlag, type FailurePartial, type TokenUsage } from "../core/response.js";
import type { GraderMessage, InputContentItem, SamplingParams } from "../schema/types.js";
import { compileTemplate, type TemplateScope } from "../templates/template.js";
import type { CompiledGrader, GradeContext, GradeOutput } from "./types.js";

type Render<T> = (scope: TemplateScope) => T;
type Part = Record<string, unknown>;

function compilePart(item: InputContentItem, where: string): Render<Part> {
  switch (item.type) {
    case "input_text":
    case "output_text": {
      const text = compileTemplate(item.text, `${where}/text`);
      return (s) => ({ type: "text", text: text.render(s) });
    }
    case "input_image": {
      const url = compileTemplate(item.image_url, `${where}/image_url`);
      const detail = item.detail;
      return (s) => ({ type: "image_url", image_url: detail ? { url: url.render(s), detail } : { url: url.render(s) } });
    }
    case "input_audio": {
      const data = compileTemplate(item.input_audio.data, `${where}/input_audio/data`);
      const format = item.input_audio.format;
      return (s) => ({ type: "input_audio", input_audio: { data: data.render(s), format } });
    }
    default:
      throw new Error(`unsupported content type '${(item as { type?: unknown }).type}' at ${where}`);
  }
}

function compileContent(content: GraderMessage["content"], where: string): Render<ChatMessage["content"]> {
  if (typeof content === "string") {
    const text = compileTemplate(content, where);
    return (s) => text.render(s);
  }
  // A single item is the one-element array of the wire format.
  const parts = Array.isArray(content)
    ? content.map((item, i) => compilePart(item, `${where}/${i}`))
    : [compilePart(content, where)];
  return (s) => parts.map((p) => p(s));
}

/**
 * Compile grader `input` messages once into a renderer of Chat Completions messages. Every
 * text, image URL and audio data is a template; `type: "message"` is dropped, roles are kept.
 */
export function compileMessages(input: readonly GraderMessage[], where = "/input"): Render<ChatMessage[]> {
  const messages = input.map((m, i) => {
    const content = compileContent(m.content, `${where}/${i}/content`);
    return (s: TemplateScope): ChatMessage => ({ role: m.role, content: content(s) });
  });
  return (s) => messages.map((m) => m(s));
}

/** Grader sampling_params → Chat Completions fields; nulls mean "server default" and are dropped. */
export function mapSamplingParams(p: SamplingParams | null | undefined): ChatRequest["sampling"] {
  const out: ChatRequest["sampling"] = {};
  if (!p) return out;
  if (p.seed != null) out.seed = p.seed;
  if (p.temperature != null) out.temperature = p.temperature;
  if (p.top_p != null) out.top_p = p.top_p;
  // The grader JSON spells it max_completions_tokens; the Chat Completions API does not.
  if (p.max_completions_tokens != null) out.max_completion_tokens = p.max_completions_tokens;
  if (p.reasoning_effort != null) out.reasoning_effort = p.reasoning_effort;
  return out;
}

/**
 * The strict structured-output schema both model graders use. `steps` comes first because
 * structured outputs are generated in schema order: the model reasons before it concludes.
 */
export function answerSchema(result: Record<string, unknown>): Record<string, unknown> {
  return {
    type: "object",
    properties: {
      steps: {
        type: "array",
        items: {
          type: "object",
          properties: { description: { type: "string" }, conclusion: { type: "string" } },
          required: ["description", "conclusion"],
          additionalProperties: false,
        },
      },
      result,
    },
    required: ["steps", "result"],
    additionalProperties: false,
  };
}

/** The reasoning steps of an answer, when well-formed (they are commentary, never required). */
export function answerSteps(answer: Record<string, unknown>): unknown[] | undefined {
  return Array.isArray(answer.steps) ? answer.steps : undefined;
}

export type Interpretation = { reward: number; scores: Record<string, unknown> } | { parseError: string };

export interface ModelGraderDefinition {
  name: string;
  type: "score_model" | "label_model";
  model: string;
  input: readonly GraderMessage[];
  sampling_params?: SamplingParams | null;
  /** Name of the json_schema response format (^[a-zA-Z0-9_-]{1,64}$). */
  schemaName: string;
  resultSchema: Record<string, unknown>;
  /** A parsed answer object → reward, or why it is not a valid answer. */
  interpret(answer: Record<string, unknown>): Interpretation;
}

const NO_ENDPOINT = "no model endpoint configured (executors.model.baseUrl)";

function usageReport(outcome: Extract<ChatOutcome, { usage: unknown }>, requested: string): FailurePartial {
  // Keyed by the model that answered, falling back to the one asked for.
  const model = outcome.model ?? requested;
  const perModel: Record<string, TokenUsage> = outcome.usage ? { [model]: outcome.usage } : {};
  return { token_usage: outcome.usage, sampled_model_name: model, usage_per_model: perModel };
}

function fail(flag: ErrorFlag, message: string, partial: FailurePartial = {}, details?: string): GradingFailure {
  const extra = details !== undefined ? { model_grader_server_error_details: details } : {};
  return new GradingFailure(flag, message, undefined, extra, partial);
}

export function compileModelGrader(def: ModelGraderDefinition): CompiledGrader {
  const render = compileMessages(def.input);
  const sampling = mapSamplingParams(def.sampling_params);
  const responseFormat = { name: def.schemaName, schema: answerSchema(def.resultSchema) };

  return {
    name: def.name,
    type: def.type,
    async: true,
    async grade(ctx: GradeContext): Promise<GradeOutput> {
      // Render first: a missing variable is reported even when no endpoint is configured.
      const messages = render({ sample: ctx.sample, item: ctx.item });
      const chat = ctx.executors.chat;
      if (!chat) throw fail("model_grader_server_error", NO_ENDPOINT, {}, NO_ENDPOINT);

      const outcome = await chat.complete({ model: def.model, messages, sampling, responseFormat });
      if (outcome.kind === "server_error") {
        throw fail("model_grader_server_error", `model grader request failed: ${outcome.details}`, {}, outcome.details);
      }
      const usage = usageReport(outcome, def.model);
      if (outcome.kind === "refusal") {
        throw fail("model_grader_refusal_error", `the grader model refused: ${outcome.refusal}`, usage);
      }

      const parseError = (why: string) =>
        fail("model_grader_parse_error", `unusable grader model answer: ${why}`, {
          ...usage,
          scores: { answer: outcome.content.length > 2000 ? `${outcome.content.slice(0, 2000)}…` : outcome.content },
        });
      let answer: unknown;
      try {
        answer = JSON.parse(outcome.content);
      } catch {
        throw parseError("not valid JSON");
      }
      if (answer === null || typeof answer !== "object" || Array.isArray(answer)) throw parseError("not a JSON object");
      const verdict = def.interpret(answer as Record<string, unknown>);
      if ("parseError" in verdict) throw parseError(verdict.parseError);

      return {
        reward: verdict.reward,
        scores: verdict.scores,
        token_usage: usage.token_usage,
        sampled_model_name: usage.sampled_model_name,
        usage_per_model: usage.usage_per_model,
      };
    },
  };
}
