// Token counts of training examples, with the cookbook's rule (Chat_finetuning_data_prep,
// How_to_count_tokens_with_tiktoken): 3 tokens per message, the tokens of each of its string
// values (role and name included), +1 per `name`, +3 per example. The cookbook encodes only string
// values; for the other shapes a training example can have, graderkit decides (README):
// content parts count their text, tool calls their function name and arguments, an example's tool
// definitions their JSON text; images and weights count nothing.

import type { Encoding } from "../export/models.js";
import { isJsonObject } from "../util/json-object.js";

export interface Tokenizer {
  readonly encoding: Encoding;
  /** Tokens of a text; special-token text such as "<|endoftext|>" counts as ordinary text. */
  count(text: string): number;
}

const NO_SPECIAL = { disallowedSpecial: new Set<string>() };

/** The encoding's tokenizer (gpt-tokenizer's bundled BPE ranks: no network, loaded on first use). */
export async function loadTokenizer(encoding: Encoding): Promise<Tokenizer> {
  const module = encoding === "cl100k_base" ? await import("gpt-tokenizer/encoding/cl100k_base") : await import("gpt-tokenizer/encoding/o200k_base");
  return { encoding, count: (text) => (text === "" ? 0 : module.countTokens(text, NO_SPECIAL)) };
}

export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_NAME = 1;
/** Every reply is primed with <|start|>assistant<|message|>. */
export const TOKENS_PER_EXAMPLE = 3;

function callTokens(call: unknown, tok: Tokenizer): number {
  const fn = isJsonObject(call) && isJsonObject(call.function) ? call.function : isJsonObject(call) ? call : undefined;
  if (!fn) return 0;
  return (typeof fn.name === "string" ? tok.count(fn.name) : 0) + (typeof fn.arguments === "string" ? tok.count(fn.arguments) : 0);
}

function valueTokens(key: string, value: unknown, tok: Tokenizer): number {
  if (typeof value === "string") return tok.count(value);
  if (key === "content" && Array.isArray(value)) {
    let n = 0;
    for (const part of value) if (isJsonObject(part) && typeof part.text === "string") n += tok.count(part.text);
    return n;
  }
  if (key === "tool_calls" && Array.isArray(value)) return value.reduce((n: number, call) => n + callTokens(call, tok), 0);
  if (key === "function_call") return callTokens(value, tok);
  return 0;
}

/** The cookbook's count of one example: its messages, and its tool definitions when it has some. */
export function countExampleTokens(messages: readonly unknown[], tools: unknown, tok: Tokenizer): number {
  let n = TOKENS_PER_EXAMPLE;
  for (const message of messages) {
    n += TOKENS_PER_MESSAGE;
    if (!isJsonObject(message)) continue;
    for (const [key, value] of Object.entries(message)) {
      n += valueTokens(key, value, tok);
      if (key === "name") n += TOKENS_PER_NAME;
    }
  }
  if (Array.isArray(tools) && tools.length > 0) n += tok.count(JSON.stringify(tools));
  return n;
}
