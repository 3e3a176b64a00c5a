// The text_similarity metrics by their grader names (spec §4). The metric layer owns this list:
// the schema, the graders and the CLI take it from here. Kept free of imports so that loading the
// list does not load the metrics' tables.

export const EVALUATION_METRICS = [
  "fuzzy_match",
  "bleu",
  "gleu",
  "meteor",
  "rouge_1",
  "rouge_2",
  "rouge_3",
  "rouge_4",
  "rouge_5",
  "rouge_l",
  "cosine",
] as const;
export type EvaluationMetric = (typeof EVALUATION_METRICS)[number];

/** The metrics computed in-process (cosine needs an embedding executor). */
export type LocalMetric = Exclude<EvaluationMetric, "cosine">;
