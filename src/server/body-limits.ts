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
