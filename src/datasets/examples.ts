// One training example of each method (AROUND-GRADERS §1, GRADERS §9): what it must contain,
// checked with the shared message rules. Each check returns what token counting and the grader
// check need from the example: its messages and, for reinforcement, its item data.

import { nearestMatch } from "../metrics/nearest.js";
import type { FineTuningMethodType } from "../schema/fine-tuning-types.js";
import { pointerJoin } from "../util/json-pointer.js";
import { checkMessages, checkToolCallNames, checkTools, type MessageRules } from "./messages.js";
import { describeType, type Findings } from "./problems.js";
import { isJsonObject } from "../util/json-object.js";

export interface CheckedExample {
  /** The messages a token count covers (all of them, each once). */
  messages: unknown[];
  /** Tool definitions, counted as part of the prompt. */
  tools?: unknown;
  /** Reinforcement: every key but the reserved ones, what `{{ item.* }}` reads. */
  item?: Record<string, unknown>;
  hasTools: boolean;
}

const SUPERVISED: MessageRules = { where: "supervised examples", roles: ["system", "developer", "user", "assistant", "tool", "function"], weight: true };
const DPO_INPUT: MessageRules = { where: "dpo inputs", roles: ["system", "developer", "user", "assistant", "tool", "function"], weight: false };
const DPO_OUTPUT: MessageRules = { where: "dpo outputs", roles: ["assistant"], weight: false };
/** GRADERS §9: developer / user / assistant / tool roles, no system. */
const REINFORCEMENT: MessageRules = { where: "reinforcement examples", roles: ["developer", "user", "assistant", "tool"], weight: false };

/** "messages" and "tools" are the only reserved keys of a reinforcement row; the rest is the item. */
export const REINFORCEMENT_RESERVED_KEYS = ["messages", "tools"] as const;

function unknownKeys(example: Record<string, unknown>, allowed: readonly string[], base: string, method: string, out: Findings): void {
  for (const key of Object.keys(example)) {
    if (allowed.includes(key)) continue;
    const hint = nearestMatch(key, allowed);
    out.warning(pointerJoin(base, key), "unknown_key", `'${key}' is not part of the ${method} format${hint ? ` (did you mean ${hint}?)` : ""}; keys: ${allowed.join(", ")}`);
  }
}

function supervised(example: Record<string, unknown>, out: Findings): CheckedExample {
  unknownKeys(example, ["messages", "tools", "parallel_tool_calls", "functions"], "", "supervised", out);
  const tools = checkTools(example, "", out);
  const summary = checkMessages(example.messages, "/messages", SUPERVISED, out);
  if (summary) {
    if (!summary.roles.includes("assistant")) out.error("/messages", "example_missing_assistant_message", "the example has no assistant message to learn from");
    checkToolCallNames(summary, tools, out);
  }
  return { messages: Array.isArray(example.messages) ? example.messages : [], tools: example.tools, hasTools: tools !== undefined };
}

/** DPO outputs: a list holding one assistant message (the older *_completion names with a warning). */
function dpoOutput(example: Record<string, unknown>, key: "preferred_output" | "non_preferred_output", out: Findings): unknown[] {
  const older = key === "preferred_output" ? "preferred_completion" : "non_preferred_completion";
  let used: string = key;
  if (example[key] === undefined && example[older] !== undefined) {
    out.warning(`/${older}`, "deprecated_key", `'${older}' is the older name of '${key}'`);
    used = older;
  }
  const value = example[used];
  const pointer = `/${used}`;
  if (value === undefined) {
    out.error(pointer, "missing_messages_list", `a dpo example needs '${key}' (a list with one assistant message)`);
    return [];
  }
  if (Array.isArray(value) && value.length !== 1) {
    out.error(pointer, "invalid_output", `'${used}' must hold exactly one assistant message, got ${value.length}`);
  }
  checkMessages(value, pointer, DPO_OUTPUT, out);
  return Array.isArray(value) ? value : [];
}

function dpo(example: Record<string, unknown>, out: Findings): CheckedExample {
  unknownKeys(example, ["input", "preferred_output", "non_preferred_output", "preferred_completion", "non_preferred_completion"], "", "dpo", out);
  const input = example.input;
  let messages: unknown[] = [];
  let tools: Set<string> | undefined;
  if (!isJsonObject(input)) {
    const got = input === undefined ? "" : `, got ${describeType(input)}`;
    out.error("/input", "missing_messages_list", `a dpo example needs 'input' ({"messages": [...]})${got}`);
  } else {
    unknownKeys(input, ["messages", "tools", "parallel_tool_calls"], "/input", "dpo input", out);
    tools = checkTools(input, "/input", out);
    const summary = checkMessages(input.messages, "/input/messages", DPO_INPUT, out);
    if (summary) {
      checkToolCallNames(summary, tools, out);
      const last = summary.roles[summary.roles.length - 1];
      if (last === "assistant") out.warning("/input/messages", "last_message_role", "the input ends with an assistant message: the preferred and non-preferred outputs answer the last user turn");
    }
    if (Array.isArray(input.messages)) messages = input.messages;
  }
  const preferred = dpoOutput(example, "preferred_output", out);
  const nonPreferred = dpoOutput(example, "non_preferred_output", out);
  return { messages: [...messages, ...preferred, ...nonPreferred], tools: isJsonObject(input) ? input.tools : undefined, hasTools: tools !== undefined };
}

function reinforcement(example: Record<string, unknown>, out: Findings): CheckedExample {
  const tools = checkTools({ tools: example.tools }, "", out);
  const summary = checkMessages(example.messages, "/messages", REINFORCEMENT, out);
  if (summary && Array.isArray(example.messages)) {
    const lastMessage: unknown = example.messages[example.messages.length - 1];
    const last = isJsonObject(lastMessage) ? lastMessage.role : undefined;
    if (typeof last === "string" && last !== "user" && last !== "developer") {
      out.error(pointerJoin("/messages", example.messages.length - 1, "role"), "last_message_role", `the last message must be from the user (or developer): the model answers it; got '${last}'`);
    }
    checkToolCallNames(summary, tools, out);
  }
  const item = Object.fromEntries(Object.entries(example).filter(([k]) => !(REINFORCEMENT_RESERVED_KEYS as readonly string[]).includes(k)));
  return { messages: Array.isArray(example.messages) ? example.messages : [], tools: example.tools, item, hasTools: tools !== undefined };
}

const CHECKS: Record<FineTuningMethodType, (example: Record<string, unknown>, out: Findings) => CheckedExample> = { supervised, dpo, reinforcement };

/** Check one parsed line; undefined when it is not an object (the cookbook's data_type). */
export function checkExample(method: FineTuningMethodType, value: unknown, out: Findings): CheckedExample | undefined {
  if (!isJsonObject(value)) {
    out.error("", "data_type", `an example must be a JSON object, got ${describeType(value)}`);
    return undefined;
  }
  return CHECKS[method](value, out);
}
