// graderkit's public library API: every name here is deliberate (test/api.test.ts snapshots the
// surface, so it changes only on purpose). The metrics have their own entry point,
// `graderkit/metrics`, and the local graders API server `graderkit/server`.

// ---- graders: load, validate, compile, grade ---------------------------------------------
export { compileGrader } from "./graders/compile.js";
export { gradeSample, type GradeOptions, type SampleInput } from "./graders/grade-sample.js";
export type { CompiledGrader, CompileOptions, GradeContext, GradeOutput } from "./graders/types.js";
export { checkGraderFile, checkGraderText, GraderValidationError, loadGrader, type CheckOptions, type GraderFileResult } from "./schema/load.js";
export { validateGrader, type ValidateOptions, type ValidationResult } from "./schema/validate.js";
export { validateFineTuningJob } from "./schema/validate-job.js";
export type { Problem } from "./schema/ajv.js";
export { graderSchema } from "./schema/grader-schema.js";
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
export { DEFAULT_PASS_THRESHOLD } from "./core/pass-threshold.js";
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
export type { RowFormat } from "./engine/serialize.js";
export type { PoolKind } from "./engine/defaults.js";
export { gradeRows, type GradeRowsOptions, type GradedRow } from "./engine/grade-rows.js";
export type { OutputRow, RowCallback } from "./engine/sink.js";
export { RunFileError, RunInterruptedError, type RunFileErrorCode } from "./engine/errors.js";
export { interruptOnSignals, type Interrupt } from "./engine/interrupt.js";
export type { RunSummary } from "./engine/summary.js";
export type { FirstError, FirstErrors } from "./engine/first-errors.js";

// ---- test suites and CI gates (the vitest matchers are in graderkit/vitest) --------------------
export { checkSuite, formatSuiteProblem, loadCases, loadSuite, SuiteError, type LoadSuiteOptions, type SuiteProblem } from "./testing/load-suite.js";
export { caseSchema, suiteSchema } from "./testing/suite-schema.js";
export { checkCase, DEFAULT_TOLERANCE } from "./testing/expectations.js";
export { runSuite, type RunSuiteOptions } from "./testing/run-suite.js";
export type { Bounds, CaseExpectation, CaseLocation, CaseResult, CaseStatus, CaseCounts, Check, SuiteResult, TestCase, TestSuite } from "./testing/types.js";
export { evaluateGates, type GateName, type GateResult, type RunGates } from "./testing/gates.js";
export { runSummaryMarkdown, type MarkdownSummaryOptions } from "./testing/summary-markdown.js";

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
export { createPythonExecutor, type PythonExecutorOptions, type PythonPoolExecutor } from "./executors/python/executor.js";
export type { SandboxInfo, SandboxMode } from "./executors/python/sandbox.js";
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

// ---- evals: hosted OpenAI evals and eval runs, run locally --------------------------------------
export { runEval, DEFAULT_EVAL_CONCURRENCY, type CriterionSummary, type ErroredItem, type EvalRunResult, type RunEvalOptions } from "./evals/run-eval.js";
export { checkEval, type EvalCheckResult } from "./evals/validate-eval.js";
export { checkRun, type RunCheckResult } from "./evals/validate-run.js";
export { checkEvalText, checkRunText, EvalDocumentError, EvalSetupError, type EvalTextResult, type RunTextResult } from "./evals/load.js";
export { belowMinPassRate, criterionPassed, itemStatus, passRate } from "./evals/pass-rules.js";
export { DEFAULT_SCORE_TOLERANCE, matchCriterion, type Comparison, type CriterionAgreement, type Difference } from "./evals/compare.js";
export { formatEvalRun } from "./evals/format.js";
export type {
  CriterionCounts,
  CriterionType,
  EvalCriterion,
  EvalDefinition,
  EvalRunObject,
  ModelUsage,
  OutputItem,
  OutputItemResult,
  OutputItemSample,
  OutputItemStatus,
  ResultCounts,
  RunPlan,
} from "./evals/types.js";

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
export {
  buildFineTuningJob,
  buildRftJob,
  type FineTuningJobBuild,
  type FineTuningJobOptions,
  type RftJob,
  type RftJobOptions,
} from "./export/fine-tuning-job.js";
export { parseIntegration, IntegrationSyntaxError } from "./export/integrations.js";
export { modelInfo, baseModelName, DEFAULT_MODEL_INFO, type BaseModelInfo, type Encoding } from "./export/models.js";
export {
  fineTuningJobSchema,
  fineTuningJobObjectSchema,
  fineTuningJobEventSchema,
  fineTuningJobCheckpointSchema,
  fineTuningJobErrorSchema,
  fineTuningJobListSchema,
  fineTuningJobEventListSchema,
  fineTuningJobCheckpointListSchema,
  HYPERPARAMETER_DOMAINS,
  METHOD_HYPERPARAMETERS,
  describeDomain,
  type HyperparameterDomain,
  type HyperparameterName,
} from "./schema/fine-tuning.js";
export type {
  Auto,
  DpoHyperparameters,
  FineTuningJob,
  FineTuningJobCheckpoint,
  FineTuningJobCheckpointList,
  FineTuningJobError,
  FineTuningJobEvent,
  FineTuningJobEventList,
  FineTuningJobList,
  FineTuningJobRequest,
  FineTuningJobStatus,
  FineTuningMethod,
  FineTuningMethodType,
  FineTuningMetrics,
  ListEnvelope,
  ReinforcementHyperparameters,
  SupervisedHyperparameters,
  WandbIntegration,
} from "./schema/fine-tuning-types.js";

// ---- training data and the jobs lifecycle --------------------------------------------------------
export {
  checkTrainingData,
  DATA_LIMITS,
  type CheckDataOptions,
  type DataLimits,
  type DataReport,
} from "./datasets/check-data.js";
export type { DataProblem, Severity } from "./datasets/problems.js";
export { defaultEpochs, type TokenStats } from "./datasets/estimate.js";
export {
  CursorList,
  FineTuningApiError,
  FineTuningClient,
  type FileObject,
  type FineTuningEndpoint,
  type JobListParams,
  type PageParams,
} from "./clients/fine-tuning.js";
export { resolveEndpoint, EndpointError, type EndpointSettings } from "./clients/endpoint.js";
export { followJob, isTerminal, TERMINAL_STATUSES, type FollowOptions } from "./clients/follow.js";

export { VERSION } from "./util/version.js";
