// The fine-tuning API's objects (AROUND-GRADERS §2, GRADERS §9) as graderkit reads and writes
// them: the POST /v1/fine_tuning/jobs body, the `fine_tuning.job`, `fine_tuning.job.event` and
// `fine_tuning.job.checkpoint` objects and their list envelopes. They are the wire JSON, field for
// field; the JSON Schemas in fine-tuning.ts describe the same shapes. test/fine-tuning-types.test.ts
// checks that the official `openai` SDK's types and these are assignable to each other.

import type { Grader } from "./types.js";

export type FineTuningMethodType = "supervised" | "dpo" | "reinforcement";

/** "auto" lets the service choose. */
export type Auto = "auto";

export interface SupervisedHyperparameters {
  batch_size?: Auto | number;
  learning_rate_multiplier?: Auto | number;
  n_epochs?: Auto | number;
}

export interface DpoHyperparameters extends SupervisedHyperparameters {
  beta?: Auto | number;
}

export interface ReinforcementHyperparameters extends SupervisedHyperparameters {
  compute_multiplier?: Auto | number;
  eval_interval?: Auto | number;
  eval_samples?: Auto | number;
  reasoning_effort?: "default" | "low" | "medium" | "high";
}

export interface FineTuningMethod {
  type: FineTuningMethodType;
  supervised?: { hyperparameters?: SupervisedHyperparameters };
  dpo?: { hyperparameters?: DpoHyperparameters };
  reinforcement?: { grader: Grader; hyperparameters?: ReinforcementHyperparameters; response_format?: Record<string, unknown> };
}

export interface WandbIntegration {
  type: "wandb";
  wandb: { project: string; entity?: string | null; name?: string | null; tags?: string[] };
}

/** The body of POST /v1/fine_tuning/jobs. */
export interface FineTuningJobRequest {
  model: string;
  training_file: string;
  validation_file?: string | null;
  suffix?: string | null;
  seed?: number | null;
  metadata?: Record<string, string> | null;
  integrations?: WandbIntegration[] | null;
  method?: FineTuningMethod;
  /** @deprecated the service's older place for supervised hyperparameters; use `method`. */
  hyperparameters?: SupervisedHyperparameters;
}

/**
 * The documented statuses, and `paused`: the API's pause example returns it although the
 * status enum does not list it.
 */
export type FineTuningJobStatus = "validating_files" | "queued" | "running" | "succeeded" | "failed" | "cancelled" | "paused";

/** Why a job failed; `param` is usually `training_file` or `validation_file`. */
export interface FineTuningJobError {
  code: string;
  message: string;
  param: string | null;
}

/** The `fine_tuning.job` object. */
export interface FineTuningJob {
  id: string;
  object: "fine_tuning.job";
  created_at: number;
  error: FineTuningJobError | null;
  fine_tuned_model: string | null;
  finished_at: number | null;
  hyperparameters: SupervisedHyperparameters & { batch_size?: Auto | number | null };
  model: string;
  organization_id: string;
  result_files: string[];
  seed: number;
  status: FineTuningJobStatus;
  trained_tokens: number | null;
  training_file: string;
  validation_file: string | null;
  estimated_finish?: number | null;
  integrations?: WandbIntegration[] | null;
  metadata?: Record<string, string> | null;
  method?: FineTuningMethod;
}

/** The `data` of a `metrics` event: training metrics, and reward metrics for reinforcement jobs. */
export interface FineTuningMetrics {
  step?: number;
  total_steps?: number;
  train_loss?: number;
  valid_loss?: number;
  full_valid_loss?: number;
  train_mean_token_accuracy?: number;
  valid_mean_token_accuracy?: number;
  full_valid_mean_token_accuracy?: number;
  train_reward_mean?: number;
  valid_reward_mean?: number;
  [metric: string]: unknown;
}

/** The `fine_tuning.job.event` object. */
export interface FineTuningJobEvent {
  id: string;
  object: "fine_tuning.job.event";
  created_at: number;
  level: "info" | "warn" | "error";
  message: string;
  type?: "message" | "metrics";
  data?: unknown;
}

/** The `fine_tuning.job.checkpoint` object. */
export interface FineTuningJobCheckpoint {
  id: string;
  object: "fine_tuning.job.checkpoint";
  created_at: number;
  fine_tuned_model_checkpoint: string;
  fine_tuning_job_id: string;
  step_number: number;
  metrics: {
    step?: number;
    train_loss?: number;
    train_mean_token_accuracy?: number;
    valid_loss?: number;
    valid_mean_token_accuracy?: number;
    full_valid_loss?: number;
    full_valid_mean_token_accuracy?: number;
  };
}

/** A page of a list endpoint; the next page is `after` = the last item's id. */
export interface ListEnvelope<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  /** Checkpoint lists carry the first and last ids of the page. */
  first_id?: string | null;
  last_id?: string | null;
}

export type FineTuningJobList = ListEnvelope<FineTuningJob>;
export type FineTuningJobEventList = ListEnvelope<FineTuningJobEvent>;
export type FineTuningJobCheckpointList = ListEnvelope<FineTuningJobCheckpoint>;
