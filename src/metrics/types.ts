// Shared shapes of the metric layer. Metrics are pure functions: text (or tokens) in, a
// MetricResult out. Every result carries a signature naming the variant and settings that
// produced it (sacrebleu style), so two numbers can be compared honestly.

export interface MetricResult {
  /** The score the grader uses as its reward (for P/R/F metrics: the selected measure). */
  score: number;
  /** e.g. "bleu|nltk:3.9.1|tok:nltk_tokenize|smooth:method4|graderkit:0.1.0" (see signature.ts) */
  signature: string;
  /** Optional intermediate values (precision, recall, distances, token counts...). */
  details?: Record<string, number>;
}

/** Precision / recall / F-measure, as rouge-score reports them. */
export interface PRF {
  precision: number;
  recall: number;
  fmeasure: number;
}
