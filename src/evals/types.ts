// The hosted Evals API objects graderkit reads (an eval, a run's data source, exported output
// items) and writes (an `eval.run` and its `eval.run.output_item`s), in their wire shapes
// (AROUND-GRADERS §3), plus the validated forms the local runner works from.

import type { ChatMessage, ChatRequest } from "../core/executors.js";
import type { TokenUsage } from "../core/response.js";
import type { Item } from "../core/rows.js";
import type { GraderMessage, LeafGrader } from "../schema/types.js";

/** The grader types an eval accepts as testing criteria (no `multi`). */
export const CRITERION_TYPES = ["label_model", "string_check", "text_similarity", "python", "score_model"] as const;
export type CriterionType = (typeof CRITERION_TYPES)[number];

export type DataSourceConfigType = "custom" | "logs" | "stored_completions";

/** One testing criterion, validated and ready to grade. */
export interface EvalCriterion {
  /** The criterion's `name`. */
  name: string;
  /**
   * How results, counts and comparisons name it: the hosted criterion `id` ("name-<uuid>") when
   * the eval document has one (a retrieved eval does), else the name.
   */
  resultName: string;
  /** The grader JSON, normalised, without the hosted `id`. */
  grader: LeafGrader & { type: CriterionType };
  /**
   * The score a result needs to pass: `pass_threshold`, else DEFAULT_PASS_THRESHOLD for the
   * score-based types; null for string_check and label_model, which have their own rule.
   */
  passThreshold: number | null;
  /** Where it sits in the eval document, e.g. "/testing_criteria/1". */
  pointer: string;
}

/** An eval document, validated: what a local run needs from it. */
export interface EvalDefinition {
  /** The document's `id`, else a deterministic id derived from its content. */
  id: string;
  name: string | null;
  configType: DataSourceConfigType;
  /** The JSON Schema every item is checked against; null when the config has none (any object). */
  itemSchema: Record<string, unknown> | null;
  /** `include_sample_schema` (custom), or whether the retrieved schema has a sample; true for logs and stored completions. */
  includeSampleSchema: boolean;
  criteria: EvalCriterion[];
}

/** How a run generates samples (data source types `completions` and `responses`). */
export type InputMessages =
  | { type: "template"; template: GraderMessage[] }
  | { type: "item_reference"; item_reference: string };

/** Where a run's items come from. */
export type RunSource =
  | { kind: "content"; rows: unknown[] }
  | { kind: "file_id"; id: string }
  /** stored_completions / responses: a query against hosted logs, which cannot be replayed locally. */
  | { kind: "hosted_query"; type: string };

/** An exported run (or a run-create body), validated. */
export interface RunPlan {
  id: string | null;
  name: string | null;
  evalId: string | null;
  dataSourceType: "jsonl" | "completions" | "responses";
  /** The run's data_source as given (echoed in the local eval.run). */
  dataSource: Record<string, unknown>;
  source: RunSource;
  /** Present for completions / responses runs: how each item's sample is generated. */
  sampling: SamplingSetup | null;
}

export interface SamplingSetup {
  model: string;
  inputMessages: InputMessages;
  /** Chat Completions sampling fields, mapped from the run's sampling_params. */
  params: ChatRequest["sampling"];
  /** A json_schema output format from sampling_params; absent: free text. */
  responseFormat?: { name: string; schema: Record<string, unknown> };
  /** Function tools the model may call, in Chat Completions form. */
  tools?: Array<Record<string, unknown>>;
}

// ---- what a local run writes: the hosted shapes ----------------------------------------------

export interface ResultCounts {
  total: number;
  errored: number;
  failed: number;
  passed: number;
}

export interface ModelUsage {
  model_name: string;
  invocation_count: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cached_tokens: number;
}

export interface CriterionCounts {
  /** The criterion's result name (its hosted id when it has one). */
  testing_criteria: string;
  passed: number;
  failed: number;
}

/** An error in the Evals API's shape (EvalAPIError). */
export interface EvalApiError {
  code: string;
  message: string;
}

export interface EvalRunObject {
  object: "eval.run";
  id: string;
  eval_id: string;
  name: string | null;
  /** The model that generated the samples (a completions / responses run), else null. */
  model: string | null;
  status: "completed";
  created_at: number;
  report_url: null;
  data_source: Record<string, unknown>;
  error: null;
  metadata: Record<string, string>;
  result_counts: ResultCounts;
  per_model_usage: ModelUsage[];
  per_testing_criteria_results: CriterionCounts[];
}

export interface OutputItemResult {
  name: string;
  type: CriterionType;
  score: number;
  passed: boolean;
  sample: null;
  /** Only when grading failed (the item is then `error`): the graders/run error flag and message. */
  error?: EvalApiError;
}

export interface SampleMessage {
  role: string;
  content: ChatMessage["content"] | null;
  /** The model's tool calls (an answer that called tools). */
  tool_calls?: Array<Record<string, unknown>>;
}

/** The output item's `sample`: what the model was sent and answered. */
export interface OutputItemSample {
  input: SampleMessage[];
  output: SampleMessage[];
  finish_reason: string | null;
  model: string | null;
  usage: TokenUsage | null;
  error: EvalApiError | null;
  temperature: number | null;
  max_completion_tokens: number | null;
  top_p: number | null;
  seed: number | null;
}

export type OutputItemStatus = "pass" | "fail" | "error";

export interface OutputItem {
  object: "eval.run.output_item";
  id: string;
  run_id: string;
  eval_id: string;
  created_at: number;
  status: OutputItemStatus;
  datasource_item_id: number;
  datasource_item: Item;
  results: OutputItemResult[];
  /** OutputItemSample for local samples; a re-graded hosted item keeps its own sample object. */
  sample: OutputItemSample | Record<string, unknown>;
}
