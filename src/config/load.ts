// Reading graderkit.config.json: validated against its schema (every problem with a JSON
// pointer, unknown keys rejected), a BOM ignored, syntax errors as line:column. Relative paths
// in the file (cache.dir, a python path with a slash) are relative to the file's folder, as in
// tsconfig.json, so a config works from whatever directory the command runs in.

import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { ajvProblems, schemaValidator, type Problem } from "../schema/ajv.js";
import { JsonSyntaxError, parseJsonText } from "../util/json-text.js";
import { configSchema } from "./schema.js";
import type { GraderkitConfig } from "./types.js";

/** Section names of graderkit 0.1's config, which now live under "executors". */
const MOVED_SECTIONS = ["python", "model", "embedding", "cache"];

export class ConfigError extends Error {
  constructor(
    readonly problems: readonly Problem[],
    readonly file?: string,
  ) {
    super(`${file ? `${file}: ` : ""}invalid config: ${problems.map((p) => `${p.pointer || "/"}: ${p.message}`).join("; ")}`);
    this.name = "ConfigError";
  }
}

/** Validate a config value; throws ConfigError with every problem. */
export function checkConfig(value: unknown, file?: string): GraderkitConfig {
  const validate = schemaValidator(configSchema);
  if (validate(value)) return value as GraderkitConfig;
  const problems = ajvProblems(validate.errors).map((p) =>
    p.code === "unknown_field" && MOVED_SECTIONS.some((s) => p.pointer === `/${s}`)
      ? { ...p, message: `${p.message}: executor settings live under "executors" (e.g. /executors${p.pointer})` }
      : p,
  );
  throw new ConfigError(problems, file);
}

function relativeTo(dir: string, path: string | undefined): string | undefined {
  return path === undefined || isAbsolute(path) ? path : resolve(dir, path);
}

/** Read, parse and validate a config file; relative paths are resolved against its folder. */
export function loadConfig(file: string): GraderkitConfig {
  let value: unknown;
  try {
    value = parseJsonText(readFileSync(file, "utf8"));
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    throw new ConfigError([{ pointer: "", message: `not valid JSON: ${err.message}`, code: "invalid_json", line: err.line, column: err.column }], file);
  }
  const config = checkConfig(value, file);
  const dir = dirname(resolve(file));
  const executors = config.executors;
  if (executors?.cache?.dir !== undefined) executors.cache.dir = relativeTo(dir, executors.cache.dir);
  // "python3" is looked up on PATH; "./venv/bin/python" is a path.
  const py = executors?.python?.path;
  if (py !== undefined && py.includes("/")) executors!.python!.path = relativeTo(dir, py);
  return config;
}
