// The contract between the grading mechanism (graders/run.ts) and one grader type's module.
// A module compiles a grader JSON once (templates, formula, tables) into a CompiledGrader;
// grading a sample then only does per-sample work.

import type { Executors } from "../core/executors.js";
import type { Item, Sample } from "../core/rows.js";
import type { GraderErrors, RunError, TokenUsage } from "../core/response.js";
import type { MetricOptionsByMetric } from "../metrics/options.js";
import type { Grader, GraderType, LeafGrader } from "../schema/types.js";

export interface GradeContext {
  sample: Sample;
  item: Item;
  executors: Executors;
}

/** What a grader returns on success (a failure is thrown as GradingFailure). */
export interface GradeOutput {
  reward: number;
  /** Goes to metadata.scores: signatures, intermediate values, children's metadata. */
  scores?: Record<string, unknown>;
  token_usage?: TokenUsage | null;
  sampled_model_name?: string | null;
  usage_per_model?: Record<string, TokenUsage>;
  sub_rewards?: Record<string, number>;
  /** Flags raised although a reward was computed (multi: a child failed). */
  errors?: Partial<GraderErrors>;
  error?: RunError;
}

export interface CompiledGrader {
  readonly name: string;
  readonly type: GraderType;
  /** True when grading waits on an executor (python, model, embeddings): run it concurrently. */
  readonly async: boolean;
  /** Synchronous graders return a value; executor-backed ones a promise. May throw GradingFailure. */
  grade(ctx: GradeContext): GradeOutput | Promise<GradeOutput>;
}

export interface CompileOptions {
  /**
   * Library-level variants of the text_similarity metrics, by metric (metrics/options.ts):
   * `{ bleu: { tokenizer: "split", smoothing: 1 }, rouge_l: { measure: "recall" } }`.
   */
  metricOptions?: MetricOptionsByMetric;
}

export type GraderCompiler<G extends Grader = Grader> = (grader: G, options: CompileOptions) => CompiledGrader;

/** Compiles a multi's children: compile.ts passes itself in, so multi.ts need not import its caller. */
export type ChildCompiler = (grader: LeafGrader) => CompiledGrader;
