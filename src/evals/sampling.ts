// Generating a run's samples: render the run's input messages for an item (its template, with
// the model graders' message renderer, or the messages an item_reference points at), ask the
// chat executor for a free-text answer (or the run's json_schema format), and record what was
// sent and answered in the output item's `sample` shape. Answers are cached like model
// graders' (the executor's cache), so re-running an eval after changing a criterion costs no
// sampling calls.

import type { ChatExecutor, ChatMessage } from "../core/executors.js";
import { GradingFailure, type TokenUsage } from "../core/response.js";
import { sampleFromModelSample, type Item, type Sample } from "../core/rows.js";
import { compileMessages } from "../graders/model-grader.js";
import { parsePlaceholders, resolve } from "../templates/template.js";
import { isJsonObject } from "../util/json-object.js";
import type { EvalApiError, OutputItemSample, SamplingSetup } from "./types.js";

export interface Usage {
  /** The model that answered (else the one asked for). */
  model: string;
  usage: TokenUsage | null;
}

export type GeneratedSample =
  | { ok: true; sample: Sample; record: OutputItemSample; usage: Usage }
  | { ok: false; record: OutputItemSample; error: EvalApiError; usage?: Usage };

export interface Sampler {
  readonly model: string;
  generate(item: Item, chat: ChatExecutor): Promise<GeneratedSample>;
}

export const NO_ENDPOINT_MESSAGE = "no model endpoint configured (executors.model.baseUrl)";

const TEMPLATE_POINTER = "/data_source/input_messages/template";

/** The messages an item_reference points at; they are sent as they are (chat wire format). */
function referencedMessages(reference: string): (item: Item) => ChatMessage[] {
  const [placeholder] = parsePlaceholders(`{{ ${reference} }}`);
  return (item) => {
    const value = resolve({ item, sample: {} }, placeholder!, "/data_source/input_messages/item_reference");
    const ok = Array.isArray(value) && value.length > 0 && value.every((m) => isJsonObject(m) && typeof m.role === "string");
    if (!ok) {
      throw new GradingFailure("invalid_variable_error", `${reference} must be a non-empty array of messages ({"role", "content"}), got ${JSON.stringify(value)?.slice(0, 200)}`);
    }
    return value as ChatMessage[];
  };
}

export function createSampler(setup: SamplingSetup): Sampler {
  const input = setup.inputMessages;
  let render: (item: Item) => ChatMessage[];
  if (input.type === "template") {
    const messages = compileMessages(input.template, TEMPLATE_POINTER);
    render = (item) => messages({ item, sample: {} });
  } else render = referencedMessages(input.item_reference);
  const p = setup.params;
  const record = (messages: ChatMessage[], fields: Partial<OutputItemSample>): OutputItemSample => ({
    input: messages.map((m) => ({ role: m.role, content: m.content })),
    output: [],
    finish_reason: null,
    model: null,
    usage: null,
    error: null,
    temperature: p.temperature ?? null,
    max_completion_tokens: p.max_completion_tokens ?? null,
    top_p: p.top_p ?? null,
    seed: p.seed ?? null,
    ...fields,
  });

  return {
    model: setup.model,
    async generate(item, chat) {
      let messages: ChatMessage[];
      try {
        messages = render(item);
      } catch (err) {
        const code = err instanceof GradingFailure ? err.flag : "other_error";
        const error = { code, message: err instanceof Error ? err.message : String(err) };
        return { ok: false, record: record([], { error }), error };
      }
      const outcome = await chat.complete({
        model: setup.model,
        messages,
        sampling: p,
        ...(setup.responseFormat ? { responseFormat: setup.responseFormat } : {}),
        ...(setup.tools ? { tools: setup.tools } : {}),
      });
      if (outcome.kind === "server_error") {
        const error = { code: "model_server_error", message: `sampling ${setup.model} failed: ${outcome.details}` };
        return { ok: false, record: record(messages, { error }), error };
      }
      const usage: Usage = { model: outcome.model ?? setup.model, usage: outcome.usage };
      const answered = { model: outcome.model, usage: outcome.usage };
      if (outcome.kind === "refusal") {
        const error = { code: "model_refusal", message: `${setup.model} refused: ${outcome.refusal}` };
        return { ok: false, record: record(messages, { ...answered, error, output: [{ role: "assistant", content: null }] }), error, usage };
      }
      // The graders' sample: output_text (and output_json), and output_tools when the model called tools.
      const sample = sampleFromModelSample(outcome.content);
      const calls = outcome.toolCalls;
      if (calls) sample.output_tools = calls;
      const output = { role: "assistant", content: outcome.content, ...(calls ? { tool_calls: calls } : {}) };
      return { ok: true, sample, record: record(messages, { ...answered, output: [output], finish_reason: outcome.finishReason ?? null }), usage };
    },
  };
}
