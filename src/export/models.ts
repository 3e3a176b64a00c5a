// What graderkit knows about the base models one fine-tunes: the tokenizer encoding, the
// training context per example (longer examples are truncated) and whether it is a reasoning
// model (reinforcement fine-tuning trains those). Sources, per row: OpenAI's fine-tuning guide
// ("Token limits": 65,536 for gpt-4o / gpt-4o-mini, 16,385 for gpt-3.5-turbo-0125 / -1106,
// 4,096 for gpt-3.5-turbo-0613) and tiktoken's model → encoding map; rows marked `assumed` have no
// documented training context and use gpt-4o's. The README's table is this one.

export type Encoding = "o200k_base" | "cl100k_base";

export interface BaseModelInfo {
  /** The table row that matched (a model-name prefix). */
  family: string;
  encoding: Encoding;
  /** Tokens per training example. */
  trainingContext: number;
  /** Whether the training context is documented or assumed (gpt-4o's). */
  contextSource: "documented" | "assumed";
  reasoning: boolean;
}

type Row = [family: string, encoding: Encoding, trainingContext: number, contextSource: "documented" | "assumed", reasoning: boolean];

const ROWS: readonly Row[] = [
  ["gpt-3.5-turbo-0613", "cl100k_base", 4_096, "documented", false],
  ["gpt-3.5-turbo", "cl100k_base", 16_385, "documented", false],
  ["gpt-4", "cl100k_base", 8_192, "documented", false],
  ["gpt-4o", "o200k_base", 65_536, "documented", false],
  ["gpt-4o-mini", "o200k_base", 65_536, "documented", false],
  ["chatgpt-4o", "o200k_base", 65_536, "assumed", false],
  ["gpt-4.1", "o200k_base", 65_536, "assumed", false],
  ["gpt-4.5", "o200k_base", 65_536, "assumed", false],
  ["gpt-5", "o200k_base", 65_536, "assumed", true],
  ["gpt-5-chat", "o200k_base", 65_536, "assumed", false],
  ["gpt-oss", "o200k_base", 65_536, "assumed", true],
  ["o1", "o200k_base", 65_536, "assumed", true],
  ["o3", "o200k_base", 65_536, "assumed", true],
  ["o4-mini", "o200k_base", 65_536, "assumed", true],
];

/** What check-data counts with when the model is unknown (or not given). */
export const DEFAULT_MODEL_INFO: BaseModelInfo = { family: "default", encoding: "o200k_base", trainingContext: 65_536, contextSource: "assumed", reasoning: false };

/** The base of a fine-tuned model name: `ft:gpt-4o-mini-2024-07-18:org:suffix:id` → `gpt-4o-mini-2024-07-18`. */
export function baseModelName(model: string): string {
  return model.startsWith("ft:") ? model.slice(3).split(":")[0]! : model;
}

/**
 * The row whose family is the longest prefix of the model's base name, ending at the name's end,
 * a '-' or a '.' (so `o1` matches `o1-2024-12-17` but not `o10`, and `gpt-5` matches `gpt-5.1`);
 * undefined when none matches.
 */
export function modelInfo(model: string): BaseModelInfo | undefined {
  const name = baseModelName(model).toLowerCase();
  let best: Row | undefined;
  for (const row of ROWS) {
    const family = row[0];
    const next = name[family.length];
    const boundary = next === undefined || next === "-" || next === ".";
    if (name.startsWith(family) && boundary && (!best || family.length > best[0].length)) best = row;
  }
  if (!best) return undefined;
  const [family, encoding, trainingContext, contextSource, reasoning] = best;
  return { family, encoding, trainingContext, contextSource, reasoning };
}

/** The families of the table, for documentation and messages. */
export const MODEL_FAMILIES: readonly string[] = ROWS.map((r) => r[0]);
export const REASONING_FAMILIES: readonly string[] = ROWS.filter((r) => r[4]).map((r) => r[0]);
