// Result signatures, as sacrebleu's `Signature`: one string naming the metric, the reference
// library whose numbers it reproduces (and its version), the variant and settings, and the
// graderkit that computed it, so that two numbers can be compared honestly:
//
//   bleu|nltk:3.9.1|tok:nltk_tokenize|smooth:method4|graderkit:0.1.0
//
// The metric name comes first; every other field is `key:value`, in an order fixed per metric,
// the reference library first and graderkit's version last. Keys are lower-case words (letters,
// digits, `_`, `-`, `.`); a value is any non-empty text without `|` (it may hold `:`, since a key
// cannot). parseSignature reads a signature back into the same fields.

import { VERSION } from "../util/version.js";

/** The reference implementations whose numbers the metrics reproduce, as signature fields. */
export const REFERENCE_LIBRARIES = {
  nltk: "3.9.1",
  "rouge-score": "0.1.2",
  rapidfuzz: "3.10.1",
  /** fuzzy_match's `lcs` measure: python-Levenshtein's ratio */
  "python-levenshtein": "0.12",
} as const;

/** The WordNet nltk's METEOR reads (a field of the meteor signature). */
export const WORDNET_VERSION = "3.0";

export interface Signature {
  metric: string;
  /** key → value, in signature order. */
  fields: Readonly<Record<string, string>>;
}

const METRIC_NAME = /^[a-z][a-z0-9_]*$/;
const KEY = /^[a-z][a-z0-9_.-]*$/;

function checkValue(key: string, value: string): void {
  if (value === "" || value.includes("|")) {
    throw new RangeError(`signature field ${key}: a value must be non-empty and hold no '|' (got ${JSON.stringify(value)})`);
  }
}

/** `metric|key:value|...`; throws a RangeError for a name, key or value the format cannot hold. */
export function formatSignature(signature: Signature): string {
  if (!METRIC_NAME.test(signature.metric)) throw new RangeError(`signature: bad metric name ${JSON.stringify(signature.metric)}`);
  let text = signature.metric;
  for (const [key, value] of Object.entries(signature.fields)) {
    if (!KEY.test(key)) throw new RangeError(`signature: bad field key ${JSON.stringify(key)}`);
    checkValue(key, value);
    text += `|${key}:${value}`;
  }
  return text;
}

/** The fields of a signature made by formatSignature; throws a SyntaxError for anything else. */
export function parseSignature(text: string): Signature {
  const [metric, ...parts] = text.split("|");
  if (!METRIC_NAME.test(metric!)) throw new SyntaxError(`not a signature (bad metric name): ${JSON.stringify(text)}`);
  const fields: Record<string, string> = {};
  for (const part of parts) {
    const colon = part.indexOf(":");
    const key = part.slice(0, colon);
    const value = part.slice(colon + 1);
    if (colon < 0 || !KEY.test(key) || value === "") {
      throw new SyntaxError(`not a signature (field ${JSON.stringify(part)} is not key:value): ${JSON.stringify(text)}`);
    }
    if (Object.hasOwn(fields, key)) throw new SyntaxError(`not a signature (field ${key} twice): ${JSON.stringify(text)}`);
    fields[key] = value;
  }
  return { metric: metric!, fields };
}

/** A metric result's signature: the metric's fields, then graderkit's version. */
export function metricSignature(metric: string, fields: Readonly<Record<string, string | number>>): string {
  const all: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) all[key] = String(value);
  all.graderkit = VERSION;
  return formatSignature({ metric, fields: all });
}

/** The `yes` / `no` of a boolean field. */
export function yesNo(flag: boolean): string {
  return flag ? "yes" : "no";
}

const TOKENIZER_MEMO_LIMIT = 32;

/**
 * What `build` makes of each tokenizer name, built once per name: bleu, gleu and meteor look up
 * their default-setting signatures here rather than formatting a string per call. Bounded, since
 * unchecked JavaScript callers may pass any string.
 */
export function perTokenizer<Name extends string, T>(build: (tokenizer: Name) => T): (tokenizer: Name) => T {
  const memo = new Map<Name, T>();
  return (tokenizer) => {
    let value = memo.get(tokenizer);
    if (value === undefined) {
      value = build(tokenizer);
      if (memo.size < TOKENIZER_MEMO_LIMIT) memo.set(tokenizer, value);
    }
    return value;
  };
}
