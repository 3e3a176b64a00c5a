// Chat messages of training examples (AROUND-GRADERS §1, the cookbook's data-prep checks): roles,
// the keys each role allows, content as a string or parts, images, tool calls and tool
// definitions. Which roles and parts a method allows is a `MessageRules` value, so the three
// formats share one checker.

import { nearestMatch } from "../metrics/nearest.js";
import { pointerJoin } from "../util/json-pointer.js";
import { describeType, type Findings } from "./problems.js";
import { isJsonObject } from "../util/json-object.js";

export const ROLES = ["system", "developer", "user", "assistant", "tool", "function"] as const;
export type Role = (typeof ROLES)[number];

/** The keys each role may have besides `role` (the cookbook's message_unrecognized_key). */
const ROLE_KEYS: Record<Role, readonly string[]> = {
  system: ["content", "name"],
  developer: ["content", "name"],
  user: ["content", "name"],
  assistant: ["content", "name", "weight", "tool_calls", "function_call", "refusal"],
  tool: ["content", "tool_call_id"],
  function: ["content", "name"],
};

/** Images per example, and the size of one (a data URL's decoded bytes). */
export const IMAGE_LIMITS = { perExample: 10, bytes: 10 * 1024 * 1024, mimeTypes: ["image/jpeg", "image/png", "image/webp"] } as const;

export interface MessageRules {
  /** Whose messages these are, for messages: "supervised examples", "dpo outputs". */
  where: string;
  roles: readonly Role[];
  /** Whether assistant messages may carry `weight` (supervised only). */
  weight: boolean;
}

/** What one example's messages have, for the example-level checks. */
export interface MessagesSummary {
  roles: Role[];
  images: number;
  /** Tool call ids of assistant messages, for the tool messages that answer them. */
  toolCallIds: Set<string>;
  toolCallNames: Array<[pointer: string, name: string]>;
}

export function emptySummary(): MessagesSummary {
  return { roles: [], images: 0, toolCallIds: new Set(), toolCallNames: [] };
}

function checkParts(parts: unknown[], role: Role, pointer: string, out: Findings, summary: MessagesSummary): void {
  parts.forEach((part, i) => {
    const p = pointerJoin(pointer, i);
    if (!isJsonObject(part)) return out.error(p, "missing_content", `a content part must be an object, got ${describeType(part)}`);
    if (part.type === "text") {
      if (typeof part.text !== "string") out.error(pointerJoin(p, "text"), "missing_content", `a text part needs 'text' (a string), got ${describeType(part.text)}`);
    } else if (part.type === "image_url") {
      if (role === "assistant") return out.error(p, "image_in_assistant_message", "images are not allowed in assistant messages");
      if (role !== "user") return out.error(p, "image_not_allowed", `images belong in user messages, not ${role} messages`);
      summary.images++;
      checkImage(part.image_url, pointerJoin(p, "image_url"), out);
    } else {
      const hint = typeof part.type === "string" ? nearestMatch(part.type, ["text", "image_url"]) : undefined;
      out.error(pointerJoin(p, "type"), "unknown_content_type", `content part type ${JSON.stringify(part.type)} is not 'text' or 'image_url'${hint ? ` (did you mean ${hint}?)` : ""}`);
    }
  });
}

function checkImage(image: unknown, pointer: string, out: Findings): void {
  if (!isJsonObject(image) || typeof image.url !== "string") {
    return out.error(pointer, "invalid_image_url", "image_url must be an object with 'url' (an http(s) URL or a base64 data URL)");
  }
  const url = image.url;
  const up = pointerJoin(pointer, "url");
  if (url.startsWith("data:")) {
    // data:image/png;base64,AAAA — the header is short; the payload may be megabytes.
    const comma = url.indexOf(",");
    const header = comma < 0 ? "" : url.slice(5, comma);
    if (!header.endsWith(";base64")) {
      out.error(up, "invalid_image_url", "a data URL image must be base64: data:image/png;base64,...");
    } else {
      const mime = header.slice(0, -";base64".length);
      if (!(IMAGE_LIMITS.mimeTypes as readonly string[]).includes(mime)) {
        out.error(up, "invalid_image_url", `image type '${mime}' is not one of ${IMAGE_LIMITS.mimeTypes.join(", ")}`);
      }
      const bytes = Math.floor(((url.length - comma - 1) * 3) / 4);
      if (bytes > IMAGE_LIMITS.bytes) out.error(up, "image_too_large", `the image is ${(bytes / 1048576).toFixed(1)} MB; the limit is 10 MB`);
    }
  } else if (!/^https?:\/\/\S+$/i.test(url)) {
    out.error(up, "invalid_image_url", "an image url must be http(s):// or a base64 data URL (data:image/png;base64,...)");
  }
  if (image.detail !== undefined && !["auto", "low", "high"].includes(image.detail as string)) {
    out.error(pointerJoin(pointer, "detail"), "invalid_image_url", `detail must be "auto", "low" or "high", got ${JSON.stringify(image.detail)}`);
  }
}

function checkToolCalls(calls: unknown, pointer: string, out: Findings, summary: MessagesSummary): void {
  if (!Array.isArray(calls)) return out.error(pointer, "invalid_tool_call", `tool_calls must be an array, got ${describeType(calls)}`);
  calls.forEach((call, i) => {
    const p = pointerJoin(pointer, i);
    if (!isJsonObject(call)) return out.error(p, "invalid_tool_call", `a tool call must be an object, got ${describeType(call)}`);
    if (typeof call.id !== "string" || call.id === "") out.error(pointerJoin(p, "id"), "invalid_tool_call", "a tool call needs an 'id' (a string)");
    else summary.toolCallIds.add(call.id);
    if (call.type !== "function") out.error(pointerJoin(p, "type"), "invalid_tool_call", `a tool call's type must be "function", got ${JSON.stringify(call.type)}`);
    checkFunctionCall(call.function, pointerJoin(p, "function"), out, summary);
  });
}

function checkFunctionCall(fn: unknown, pointer: string, out: Findings, summary: MessagesSummary): void {
  if (!isJsonObject(fn)) return out.error(pointer, "invalid_tool_call", "needs {name, arguments}");
  if (typeof fn.name !== "string" || fn.name === "") out.error(pointerJoin(pointer, "name"), "invalid_tool_call", "needs a function 'name' (a string)");
  else summary.toolCallNames.push([pointerJoin(pointer, "name"), fn.name]);
  if (typeof fn.arguments !== "string") {
    out.error(pointerJoin(pointer, "arguments"), "invalid_tool_call", `arguments must be a string of JSON, got ${describeType(fn.arguments)}`);
  } else {
    try {
      JSON.parse(fn.arguments);
    } catch {
      out.warning(pointerJoin(pointer, "arguments"), "invalid_tool_arguments", "arguments is not valid JSON text");
    }
  }
}

/** Check one message; returns its role when it has a known one. */
export function checkMessage(message: unknown, pointer: string, rules: MessageRules, out: Findings, summary: MessagesSummary): Role | undefined {
  if (!isJsonObject(message)) {
    out.error(pointer, "data_type", `a message must be an object, got ${describeType(message)}`);
    return undefined;
  }
  if (message.role === undefined) {
    out.error(pointerJoin(pointer, "role"), "message_missing_key", "a message needs 'role'");
    return undefined;
  }
  const role = message.role as Role;
  if (!rules.roles.includes(role)) {
    const known = (ROLES as readonly unknown[]).includes(role);
    const hint = typeof role === "string" && !known ? nearestMatch(role, rules.roles) : undefined;
    const allowed = rules.roles.join(", ");
    out.error(
      pointerJoin(pointer, "role"),
      "unrecognized_role",
      known ? `${rules.where} take no '${role}' messages (roles: ${allowed})` : `unknown role ${JSON.stringify(role)}${hint ? ` (did you mean ${hint}?)` : ""}; roles are ${allowed}`,
    );
    return undefined;
  }
  summary.roles.push(role);
  const keys = ROLE_KEYS[role].filter((k) => k !== "weight" || rules.weight);
  for (const key of Object.keys(message)) {
    if (key === "role" || keys.includes(key)) continue;
    const hint = nearestMatch(key, keys);
    const why = key === "weight" ? (role === "assistant" ? `; only supervised examples weigh messages` : "; only assistant messages have a weight") : "";
    out.error(pointerJoin(pointer, key), "message_unrecognized_key", `${role} messages have no '${key}'${hint && !why ? ` (did you mean ${hint}?)` : ""}${why}; keys: role, ${keys.join(", ")}`);
  }
  const calls = role === "assistant" && (message.tool_calls !== undefined || message.function_call !== undefined);
  const content = message.content;
  const cp = pointerJoin(pointer, "content");
  if (content === undefined || content === null) {
    if (!calls) out.error(cp, content === null ? "missing_content" : "message_missing_key", `a ${role} message needs 'content'`);
  } else if (typeof content === "string") {
    if (content === "" && !calls) out.error(cp, "missing_content", `a ${role} message's content is empty`);
  } else if (Array.isArray(content)) {
    if (content.length === 0 && !calls) out.error(cp, "missing_content", `a ${role} message's content is empty`);
    checkParts(content, role, cp, out, summary);
  } else {
    out.error(cp, "missing_content", `content must be a string or an array of parts, got ${describeType(content)}`);
  }
  if (role === "assistant") {
    if (message.weight !== undefined && rules.weight && message.weight !== 0 && message.weight !== 1) {
      out.error(pointerJoin(pointer, "weight"), "invalid_weight", `weight must be 0 or 1, got ${JSON.stringify(message.weight)}`);
    }
    if (message.tool_calls !== undefined) checkToolCalls(message.tool_calls, pointerJoin(pointer, "tool_calls"), out, summary);
    if (message.function_call !== undefined) checkFunctionCall(message.function_call, pointerJoin(pointer, "function_call"), out, summary);
  }
  if (role === "tool") {
    if (typeof message.tool_call_id !== "string" || message.tool_call_id === "") {
      out.error(pointerJoin(pointer, "tool_call_id"), "message_missing_key", "a tool message needs 'tool_call_id' (the id of the call it answers)");
    } else if (!summary.toolCallIds.has(message.tool_call_id)) {
      out.warning(pointerJoin(pointer, "tool_call_id"), "unknown_tool_call_id", `no earlier assistant tool call has id '${message.tool_call_id}'`);
    }
  }
  if (role === "function" && (typeof message.name !== "string" || message.name === "")) {
    out.error(pointerJoin(pointer, "name"), "message_missing_key", "a function message needs 'name'");
  }
  return role;
}

/** Check a messages array; the summary says what it has (roles in order, images, tool calls). */
export function checkMessages(messages: unknown, pointer: string, rules: MessageRules, out: Findings): MessagesSummary | undefined {
  if (messages === undefined) {
    out.error(pointer, "missing_messages_list", `the example needs '${pointer.split("/").pop()}' (a list of messages)`);
    return undefined;
  }
  if (!Array.isArray(messages) || messages.length === 0) {
    out.error(pointer, "missing_messages_list", `must be a non-empty list of messages, got ${Array.isArray(messages) ? "an empty list" : describeType(messages)}`);
    return undefined;
  }
  const summary = emptySummary();
  messages.forEach((m, i) => checkMessage(m, pointerJoin(pointer, i), rules, out, summary));
  if (summary.images > IMAGE_LIMITS.perExample) {
    out.error(pointer, "too_many_images", `${summary.images} images; an example may have at most ${IMAGE_LIMITS.perExample}`);
  }
  return summary;
}

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** `tools` and `parallel_tool_calls` of an example; returns the defined function names. */
export function checkTools(example: Record<string, unknown>, base: string, out: Findings): Set<string> | undefined {
  const names = new Set<string>();
  if (example.parallel_tool_calls !== undefined && typeof example.parallel_tool_calls !== "boolean") {
    out.error(pointerJoin(base, "parallel_tool_calls"), "invalid_tools", `parallel_tool_calls must be true or false, got ${JSON.stringify(example.parallel_tool_calls)}`);
  }
  if (example.functions !== undefined) out.warning(pointerJoin(base, "functions"), "deprecated_functions", "'functions' is deprecated: use 'tools'");
  const tools = example.tools;
  if (tools === undefined) return undefined;
  const tp = pointerJoin(base, "tools");
  if (!Array.isArray(tools)) {
    out.error(tp, "invalid_tools", `tools must be an array, got ${describeType(tools)}`);
    return names;
  }
  tools.forEach((tool, i) => {
    const p = pointerJoin(tp, i);
    if (!isJsonObject(tool) || tool.type !== "function" || !isJsonObject(tool.function)) {
      return out.error(p, "invalid_tools", 'a tool must be {"type": "function", "function": {"name", "description"?, "parameters"?}}');
    }
    const name = tool.function.name;
    if (typeof name !== "string" || !TOOL_NAME.test(name)) {
      out.error(pointerJoin(p, "function", "name"), "invalid_tools", "a function name is 1 to 64 letters, digits, '_' or '-'");
    } else names.add(name);
    if (tool.function.parameters !== undefined && !isJsonObject(tool.function.parameters)) {
      out.error(pointerJoin(p, "function", "parameters"), "invalid_tools", "parameters must be a JSON Schema object");
    }
  });
  return names;
}

/** Tool calls that name a function the example's tools do not define. */
export function checkToolCallNames(summary: MessagesSummary, tools: Set<string> | undefined, out: Findings): void {
  if (!tools) return;
  for (const [pointer, name] of summary.toolCallNames) {
    if (!tools.has(name)) out.warning(pointer, "unknown_tool", `the example's tools define no function '${name}'`);
  }
}
