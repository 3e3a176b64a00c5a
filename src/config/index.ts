// graderkit.config.json and the executors built from it.
export type * from "./types.js";
export { configSchema } from "./schema.js";
export { checkConfig, ConfigError, CONFIG_FILE_NAME, findConfig, loadConfig } from "./load.js";
export { colorWanted, executorEnvironment, fineTuningEnvironment, type ExecutorEnvironment, type FineTuningEnvironment } from "./env.js";
export { createExecutors, type CreateExecutorsOptions, type ExecutorSet } from "./create-executors.js";
