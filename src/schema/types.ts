// TypeScript types of the grader JSON (spec §1). test/schema-types.test.ts checks that these
// agree with the JSON Schema in grader-schema.ts.

import type { EvaluationMetric } from "../metrics/names.js";

export type StringCheckOperation = "eq" | "ne" | "like" | "ilike";



export interface StringCheckGrader {
  type: "string_check";
  name: string;
  input: string;
  reference: string;
  operation: StringCheckOperation;
}

export interface TextSimilarityGrader {
  type: "text_similarity";
  name: string;
  input: string;
  reference: string;
  evaluation_metric: EvaluationMetric;
  pass_threshold?: number;
}

export interface PythonGrader {
  type: "python";
  name: string;
  source: string;
  image_tag?: string;
  pass_threshold?: number;
}

export type InputContentItem =
  | { type: "input_text"; text: string }
  | { type: "output_text"; text: string }
  | { type: "input_image"; image_url: string; detail?: "high" | "low" | "auto" }
  | { type: "input_audio"; input_audio: { data: string; format: "mp3" | "wav" } };

export interface GraderMessage {
  role: "user" | "assistant" | "system" | "developer";
  type?: "message";
  content: string | InputContentItem | InputContentItem[];
}

export type ReasoningEffort = "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max";

export interface SamplingParams {
  seed?: number | null;
  top_p?: number | null;
  temperature?: number | null;
  max_completions_tokens?: number | null;
  reasoning_effort?: ReasoningEffort | null;
}

export interface ScoreModelGrader {
  type: "score_model";
  name: string;
  model: string;
  input: GraderMessage[];
  range?: [number, number];
  sampling_params?: SamplingParams | null;
  pass_threshold?: number;
}

export interface LabelModelGrader {
  type: "label_model";
  name: string;
  model: string;
  input: GraderMessage[];
  labels: string[];
  passing_labels: string[];
}

/** A grader allowed inside multi.graders. */
export type LeafGrader =
  | StringCheckGrader
  | TextSimilarityGrader
  | PythonGrader
  | ScoreModelGrader
  | LabelModelGrader;

export interface MultiGrader {
  type: "multi";
  name: string;
  /** Normalized form: key → grader. (Validation also accepts a single grader, keyed by its name.) */
  graders: Record<string, LeafGrader>;
  calculate_output: string;
}

export type Grader = LeafGrader | MultiGrader;
export type GraderType = Grader["type"];

/** Where a grader is meant to run: decides which types / metrics are allowed (spec §1). */
export type Target = "local" | "rft" | "evals";
