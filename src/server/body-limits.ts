// Limits on what one request may ask of the server, checked before any grading: nesting depth
// (a grader nested 100k levels deep overflows recursive validators and the python worker's
// json.loads) and the length of each text field (text_similarity costs grow with the product of
// the two lengths: one 100k-word fuzzy_match took 31 s on the event loop).

import { walkJson } from "../util/json-pointer.js";

export const DEFAULT_MAX_DEPTH = 256;
export const DEFAULT_MAX_FIELD_CHARS = 100_000;

/** The pointer of the first place nested deeper than `maxDepth` levels, or null. */
export function tooDeep(value: unknown, maxDepth: number): string | null {
  for (const node of walkJson(value)) if (node.depth > maxDepth) return node.pointer;
  return null;
}

/** The first string under `value` longer than `maxChars`, with its pointer (under `base`), or null. */
export function fieldOverLimit(value: unknown, maxChars: number, base: string): { pointer: string; length: number } | null {
  for (const { value: v, pointer } of walkJson(value, base)) {
    if (typeof v === "string" && v.length > maxChars) return { pointer, length: v.length };
  }
  return null;
}

export interface ValueLimits {
  maxDepth: number;
  maxFieldChars: number;
}

/**
 * The first place under `value` that breaks a limit (nested deeper than maxDepth, a string
 * longer than maxFieldChars), as a pointer under `base` and a message; null when none does. The
 * check runs once per row of a batch, so the common case builds no pointers: only a violation
 * is walked again (tooDeep / fieldOverLimit) to name its place.
 */
export function limitViolation(value: unknown, limits: ValueLimits, base: string): { pointer: string; message: string } | null {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (depth > limits.maxDepth) {
      const pointer = base + tooDeep(value, limits.maxDepth)!;
      return { pointer, message: `${base || "the value"} is nested deeper than ${limits.maxDepth} levels (at ${pointer})` };
    }
    if (typeof v === "string") {
      if (v.length > limits.maxFieldChars) {
        const over = fieldOverLimit(value, limits.maxFieldChars, base)!;
        return { pointer: over.pointer, message: `${over.pointer} is ${over.length} characters; the limit is ${limits.maxFieldChars} (maxFieldChars)` };
      }
    } else if (typeof v === "object" && v !== null) {
      const children = Array.isArray(v) ? v : Object.values(v);
      for (const child of children) {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return null;
}
