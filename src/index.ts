// graderkit's public library API: every name here is deliberate (test/api.test.ts snapshots the
// surface, so it changes only on purpose). The metrics have their own entry point,
// `graderkit/metrics`, and the local graders API server `graderkit/server`.

// ---- graders: load, validate, compile, grade ---------------------------------------------
export { compileGrader } from "./graders/compile.js";
export { gradeSample, type GradeOptions, type SampleInput } from "./graders/grade-sample.js";
export type { CompiledGrader, CompileOptions, GradeContext, GradeOutput } from "./graders/types.js";
export { checkGraderFile, checkGraderText, GraderValidationError, loadGrader, type CheckOptions, type GraderFileResult } from "./schema/load.js";
export { validateGrader, validateFineTuningJob, type ValidateOptions, type ValidationResult } from "./schema/validate.js";
export type { Problem } from "./schema/ajv.js";
export { graderSchema, fineTuningJobSchema } from "./schema/grader-schema.js";
export type {
  Grader,
  GraderMessage,
  GraderType,
  InputContentItem,
  LabelModelGrader,
  LeafGrader,
  MultiGrader,
  PythonGrader,
  ReasoningEffort,
  SamplingParams,
  ScoreModelGrader,
  StringCheckGrader,
  StringCheckOperation,
  Target,
  TextSimilarityGrader,
} from "./schema/types.js";
export { EVALUATION_METRICS, type EvaluationMetric } from "./metrics/names.js";

// ---- samples and responses ------------------------------------------------------------------
export { sampleFromModelSample, type Item, type Sample } from "./core/rows.js";
export {
  ERROR_FLAGS,
  type ErrorFlag,
  type GraderErrors,
  type PythonServerErrorType,
  type RunError,
  type RunMetadata,
  type RunResponse,
  type TokenUsage,
} from "./core/response.js";

// ---- files ------------------------------------------------------------------------------------
export { runFile, type Progress, type RunFileOptions } from "./engine/run.js";
export type { RunSummary } from "./engine/summary.js";

// ---- executors: configured, or your own implementations of the contracts ---------------------
export { createExecutors, checkConfig, loadConfig, ConfigError, CONFIG_FILE_NAME, type CreateExecutorsOptions, type ExecutorSet } from "./config/index.js";
export type {
  CacheConfig,
  EmbeddingConfig,
  ExecutorsConfig,
  GraderkitConfig,
  ModelConfig,
  ModelRouteConfig,
  PythonConfig,
} from "./config/index.js";
export type {
  ChatExecutor,
  ChatMessage,
  ChatOutcome,
  ChatRequest,
  EmbeddingExecutor,
  Executors,
  PythonExecutor,
  PythonOutcome,
} from "./core/executors.js";
export { createPythonExecutor, type PythonExecutorOptions } from "./executors/python/executor.js";
export {
  createChatExecutor,
  createEmbeddingExecutor,
  createResponseCache,
  type ChatExecutorOptions,
  type ChatRoute,
  type EndpointClients,
  type HttpClientOptions,
  type ResponseCache,
  type EmbeddingExecutorOptions,
  type ResponseCacheOptions,
} from "./executors/openai/index.js";

// ---- looking at runs: HTML report, diff of two runs, calibration against labels -------------
export {
  buildReport,
  buildReportModel,
  buildDiff,
  diffRuns,
  formatDiffText,
  renderDiffPage,
  calibrateRun,
  calibrateBinary,
  calibrateNumeric,
  formatCalibrationText,
  scanRun,
  FileLineError,
  TABLE_LIMITS,
  DEFAULT_PASS_THRESHOLD,
  type ReportModel,
  type ReportOptions,
  type ReportRow,
  type FlagSummary,
  type SubRewardSummary,
  type DiffModel,
  type DiffOptions,
  type DiffPageOptions,
  type DiffResult,
  type LargestChange,
  type RowRef,
  type CalibrateOptions,
  type CalibrationRun,
  type LabelKind,
  type BinaryCalibration,
  type NumericCalibration,
  type BestF1,
  type BestYouden,
  type AtThreshold,
  type RunRow,
  type RunFileInfo,
  type RunFormat,
  type RunColumns,
  type Joined,
  type RewardSummary,
  type Histogram,
  type Confusion,
  type SampleView,
  type LineSource,
} from "./report/index.js";

// ---- fine-tuning jobs ---------------------------------------------------------------------------
export { buildRftJob, type RftJob, type RftJobOptions } from "./export/rft-job.js";

export { VERSION } from "./util/version.js";
