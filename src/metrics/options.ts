// The library options of the text_similarity metrics: one type per metric, and one check that
// rejects an unknown key or a value outside the allowed ones with an error naming both, rather
// than ignoring it. The check runs once per options object (textSimilarity remembers the objects
// it has checked; a grader checks its options when it is compiled), never per pair.

import type { BleuMetricOptions } from "./bleu.js";
import type { FuzzyMatchOptions } from "./fuzzy-match.js";
import type { GleuMetricOptions } from "./gleu.js";
import type { MeteorMetricOptions } from "./meteor.js";
import { EVALUATION_METRICS, type LocalMetric } from "./names.js";
import type { RougeMetricOptions } from "./rouge.js";
import { TOKENIZER_NAMES } from "./tokenize/index.js";

/** Each text_similarity metric's options. */
export interface MetricOptionsMap {
  fuzzy_match: FuzzyMatchOptions;
  bleu: BleuMetricOptions;
  gleu: GleuMetricOptions;
  meteor: MeteorMetricOptions;
  rouge_1: RougeMetricOptions;
  rouge_2: RougeMetricOptions;
  rouge_3: RougeMetricOptions;
  rouge_4: RougeMetricOptions;
  rouge_5: RougeMetricOptions;
  rouge_l: RougeMetricOptions;
}

/** The options `metric` accepts. */
export type MetricOptions<M extends LocalMetric> = MetricOptionsMap[M];

/** Options for several metrics at once, by metric: `{ bleu: { smoothing: 1 }, rouge_l: { measure: "recall" } }`. */
export type MetricOptionsByMetric = { readonly [M in LocalMetric]?: MetricOptions<M> };

// ---------------------------------------------------------------------------------------------
// Rules: what each option accepts. A value of the wrong JavaScript type is a TypeError, one of the
// right type but not allowed a RangeError.

type ValueKind = "string" | "number" | "boolean" | "array";

interface OptionRule {
  kind: ValueKind;
  /** The allowed values, for the message. */
  allowed: string;
  accepts(value: unknown): boolean;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}

/** A value as the message shows it: strings quoted, arrays and objects as JSON. */
function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value !== "object" || value === null) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function oneOf(values: readonly (string | number | null)[]): OptionRule {
  const kind = typeof values.find((v) => v !== null) as ValueKind;
  return {
    kind,
    allowed: `one of ${values.map((v) => (typeof v === "string" ? `"${v}"` : String(v))).join(", ")}`,
    accepts: (value) => values.includes(value as string | number | null),
  };
}

function numberIn(min: number, max: number, integer = false): OptionRule {
  const what = integer ? "an integer" : "a number";
  const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
  return {
    kind: "number",
    allowed: `${what} ${range}`,
    accepts: (value) =>
      typeof value === "number" && Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value)),
  };
}

const FINITE_NUMBER: OptionRule = {
  kind: "number",
  allowed: "a finite number",
  accepts: (value) => typeof value === "number" && Number.isFinite(value),
};

const BOOLEAN: OptionRule = { kind: "boolean", allowed: "true or false", accepts: (value) => typeof value === "boolean" };

const WEIGHTS: OptionRule = {
  kind: "array",
  allowed: "a non-empty array of finite numbers",
  accepts: (value) => Array.isArray(value) && value.length > 0 && value.every((w) => typeof w === "number" && Number.isFinite(w)),
};

const TOKENIZER = oneOf(TOKENIZER_NAMES);

/** The rules of one metric's options, every key of its options type (checked by the compiler). */
type Rules<O> = { readonly [K in keyof Required<O>]: OptionRule };

const FUZZY_MATCH_RULES: Rules<FuzzyMatchOptions> = {
  measure: oneOf(["ratio", "indel", "lcs", "levenshtein"]),
  units: oneOf(["codepoint", "utf16"]),
};

const BLEU_RULES: Rules<BleuMetricOptions> = {
  tokenizer: TOKENIZER,
  smoothing: oneOf([0, 1, 2, 3, 4, 5, 6, 7, null]),
  weights: WEIGHTS,
  epsilon: FINITE_NUMBER,
  alpha: FINITE_NUMBER,
  k: FINITE_NUMBER,
  autoReweigh: BOOLEAN,
};

const GLEU_RULES: Rules<GleuMetricOptions> = {
  tokenizer: TOKENIZER,
  minLen: numberIn(1, Infinity, true),
  maxLen: numberIn(1, Infinity, true),
};

const METEOR_RULES: Rules<MeteorMetricOptions> = {
  tokenizer: TOKENIZER,
  alpha: numberIn(0, 1),
  beta: numberIn(0, Infinity),
  gamma: numberIn(0, 1),
};

const ROUGE_RULES: Rules<RougeMetricOptions> = {
  stemmer: BOOLEAN,
  measure: oneOf(["fmeasure", "precision", "recall"]),
};

const RULES: { readonly [M in LocalMetric]: Rules<MetricOptions<M>> } = {
  fuzzy_match: FUZZY_MATCH_RULES,
  bleu: BLEU_RULES,
  gleu: GLEU_RULES,
  meteor: METEOR_RULES,
  rouge_1: ROUGE_RULES,
  rouge_2: ROUGE_RULES,
  rouge_3: ROUGE_RULES,
  rouge_4: ROUGE_RULES,
  rouge_5: ROUGE_RULES,
  rouge_l: ROUGE_RULES,
};

function isLocalMetric(metric: unknown): metric is LocalMetric {
  return typeof metric === "string" && Object.hasOwn(RULES, metric);
}

/** Options objects already checked, with the metric they were checked for. */
const checked = new WeakMap<object, LocalMetric>();

/**
 * Throws a TypeError for options that are not an object, an unknown key or a value of the wrong
 * type, and a RangeError for a value outside the allowed ones (or an unknown metric); each
 * message names the metric, the option and what it accepts. An undefined value counts as unset.
 */
export function checkMetricOptions<M extends LocalMetric>(metric: M, options: MetricOptions<M> | undefined): void {
  if (!isLocalMetric(metric)) {
    const local = EVALUATION_METRICS.filter(isLocalMetric).join(", ");
    throw new RangeError(`unknown text_similarity metric '${String(metric)}' (metrics with options: ${local})`);
  }
  if (options === undefined || checked.get(options) === metric) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`${metric} options must be an object, got ${kindOf(options)}`);
  }
  const rules = RULES[metric] as Readonly<Record<string, OptionRule>>;
  for (const [key, value] of Object.entries(options)) {
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    if (rule === undefined) {
      throw new TypeError(`${metric} has no option '${key}' (its options: ${Object.keys(rules).join(", ")})`);
    }
    if (value === undefined || rule.accepts(value)) continue;
    const message = `${metric} option ${key} must be ${rule.allowed}, got ${describe(value)}`;
    throw kindOf(value) === rule.kind ? new RangeError(message) : new TypeError(message);
  }
  checked.set(options, metric);
}

/** checkMetricOptions for each metric of a by-metric options object (and its keys are metrics). */
export function checkMetricOptionsByMetric(byMetric: MetricOptionsByMetric | undefined): void {
  if (byMetric === undefined) return;
  if (typeof byMetric !== "object" || byMetric === null || Array.isArray(byMetric)) {
    throw new TypeError(`metric options must be an object keyed by metric, got ${kindOf(byMetric)}`);
  }
  for (const [metric, options] of Object.entries(byMetric)) {
    if (!isLocalMetric(metric)) {
      throw new TypeError(`metric options: '${metric}' is not a metric with options (${Object.keys(RULES).join(", ")})`);
    }
    checkMetricOptions(metric, options as MetricOptions<typeof metric> | undefined);
  }
}
