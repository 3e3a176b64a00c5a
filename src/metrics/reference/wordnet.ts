// nltk 3.9.1's `_morphy` (nltk/corpus/reader/wordnet.py), the plain port: every candidate form
// built and looked up. test/metrics/meteor.test.ts checks the filtered morphy of ../wordnet.ts
// against it; the library never calls it.

import { morphyTables, SUBSTITUTIONS, type WordNetPos } from "../wordnet.js";

/** nltk `_morphy(form, pos)`: filter_forms([form] + (exceptions or the suffix rules applied once)). */
export function morphyReference(form: string, pos: WordNetPos): string[] {
  const { index, exceptions } = morphyTables();
  const candidates =
    exceptions[pos].get(form) ??
    SUBSTITUTIONS[pos].filter(([suffix]) => form.endsWith(suffix)).map(([suffix, replacement]) => form.slice(0, form.length - suffix.length) + replacement);
  const result: string[] = [];
  for (const f of [form, ...candidates]) if (index[pos].has(f) && !result.includes(f)) result.push(f);
  return result;
}
