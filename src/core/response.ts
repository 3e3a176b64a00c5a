// The graders/run response (spec §8). Every grading path produces exactly this shape,
// so callers can rely on all 14 error keys being present.

export const ERROR_FLAGS = [
  "formula_parse_error",
  "sample_parse_error",
  "truncated_observation_error",
  "unresponsive_reward_error",
  "invalid_variable_error",
  "other_error",
  "python_grader_server_error",
  "python_grader_runtime_error",
  "model_grader_server_error",
  "model_grader_refusal_error",
  "model_grader_parse_error",
] as const;

/** The boolean error flags of the response. */
export type ErrorFlag = (typeof ERROR_FLAGS)[number];

export type PythonServerErrorType = "timeout" | "memory" | "crashed" | "unavailable";

export interface GraderErrors {
  formula_parse_error: boolean;
  sample_parse_error: boolean;
  truncated_observation_error: boolean;
  unresponsive_reward_error: boolean;
  invalid_variable_error: boolean;
  other_error: boolean;
  python_grader_server_error: boolean;
  python_grader_server_error_type: PythonServerErrorType | null;
  python_grader_runtime_error: boolean;
  python_grader_runtime_error_details: string | null;
  model_grader_server_error: boolean;
  model_grader_refusal_error: boolean;
  model_grader_parse_error: boolean;
  model_grader_server_error_details: string | null;
}

export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cached_tokens: number;
}

export interface RunMetadata {
  name: string;
  type: string;
  errors: GraderErrors;
  execution_time: number;
  /** Per-grader details: metric signatures, a multi's children metadata, ... */
  scores: Record<string, unknown>;
  token_usage: TokenUsage | null;
  sampled_model_name: string | null;
}

/** Where a grading went wrong: which flag, a human message, and where (e.g. a multi key). */
export interface RunError {
  flag: ErrorFlag;
  message: string;
  path?: string;
}

export interface RunResponse {
  reward: number;
  metadata: RunMetadata;
  sub_rewards: Record<string, number>;
  model_grader_token_usage_per_model: Record<string, TokenUsage>;
  error?: RunError;
}

export function emptyErrors(): GraderErrors {
  return {
    formula_parse_error: false,
    sample_parse_error: false,
    truncated_observation_error: false,
    unresponsive_reward_error: false,
    invalid_variable_error: false,
    other_error: false,
    python_grader_server_error: false,
    python_grader_server_error_type: null,
    python_grader_runtime_error: false,
    python_grader_runtime_error_details: null,
    model_grader_server_error: false,
    model_grader_refusal_error: false,
    model_grader_parse_error: false,
    model_grader_server_error_details: null,
  };
}

export function emptyResponse(name: string, type: string): RunResponse {
  return {
    reward: 0,
    metadata: {
      name,
      type,
      errors: emptyErrors(),
      execution_time: 0,
      scores: {},
      token_usage: null,
      sampled_model_name: null,
    },
    sub_rewards: {},
    model_grader_token_usage_per_model: {},
  };
}

export interface FailurePartial {
  scores?: Record<string, unknown>;
  token_usage?: TokenUsage | null;
  sampled_model_name?: string | null;
  usage_per_model?: Record<string, TokenUsage>;
}

/**
 * A failure that a grader reports instead of a reward. Graders throw it (or return it through
 * `failed`), and the grading mechanism turns it into reward 0 with the flag set.
 */
export class GradingFailure extends Error {
  constructor(
    readonly flag: ErrorFlag,
    message: string,
    readonly path?: string,
    /** Extra error fields to set, e.g. python_grader_server_error_type. */
    readonly extra: Partial<GraderErrors> = {},
    /** What was known despite the failure (token usage of a model call whose answer did not parse...). */
    readonly partial: FailurePartial = {},
  ) {
    super(message);
    this.name = "GradingFailure";
  }
}

export function addTokenUsage(a: TokenUsage | null, b: TokenUsage | null): TokenUsage | null {
  if (!a) return b ? { ...b } : null;
  if (!b) return a;
  return {
    prompt_tokens: a.prompt_tokens + b.prompt_tokens,
    completion_tokens: a.completion_tokens + b.completion_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
    cached_tokens: a.cached_tokens + b.cached_tokens,
  };
}
