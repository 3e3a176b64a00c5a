// graderkit.config.json and the executors built from it.
export type * from "./types.js";
export { configSchema } from "./schema.js";
export { checkConfig, ConfigError, loadConfig } from "./load.js";
export { CONFIG_FILE_NAME, findConfig } from "./find.js";
export { colorWanted, executorEnvironment, fineTuningEnvironment, serverEnvironment, type ExecutorEnvironment, type FineTuningEnvironment, type ServerEnvironment } from "./env.js";
export { createExecutors, type CreateExecutorsOptions, type ExecutorSet } from "./create-executors.js";
