// graderkit's public library API.

export { gradeSample, type GradeOptions, type SampleInput } from "./graders/grade-sample.js";
export { createGradersServer, type GradersServer, type GradersServerOptions } from "./server/graders-api.js";
export { compileGrader } from "./graders/compile.js";
export { runGrader } from "./graders/run.js";
export type { CompiledGrader, CompileOptions, GradeContext, GradeOutput } from "./graders/types.js";
export { runFile, type RunFileOptions, type Progress } from "./engine/run.js";
export { gradeRows, type GradeRowsOptions, type GradedRow } from "./engine/grade-rows.js";
export type { OutputRow, RowCallback } from "./engine/sink.js";
export { RunError, RunInterruptedError, type RunErrorCode } from "./engine/errors.js";
export { interruptOnSignals, type Interrupt } from "./engine/interrupt.js";
export type { RunSummary } from "./engine/summary.js";
export { validateGrader, validateFineTuningJob, type Problem, type ValidationResult } from "./schema/validate.js";
export { graderSchema, fineTuningJobSchema } from "./schema/grader-schema.js";
export * from "./schema/types.js";
export { buildRftJob, type RftJob, type RftJobOptions } from "./export/rft-job.js";
export { compileTemplate, type Template } from "./templates/template.js";
export { compileFormula, parseFormula, FormulaError, type CompiledFormula } from "./formula/index.js";
export * from "./core/response.js";
export type * from "./core/executors.js";
export * from "./metrics/index.js";
export { createPythonExecutor } from "./executors/python/executor.js";
export { pythonDoctor } from "./executors/python/doctor.js";
export { createChatExecutor, createEmbeddingExecutor, createResponseCache } from "./executors/openai/index.js";
