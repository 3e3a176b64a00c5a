// The executor flags of grade, run, serve (and every command that grades): each flag overrides
// one key of graderkit.config.json, so flags, config file and library share one setup
// (createExecutors). The table below is the single source of the flags, their --help and the
// config keys they set.

import { DEFAULT_CACHE_DIR, DEFAULT_EMBEDDING_MODEL, HTTP_DEFAULTS } from "../executors/openai/settings.js";
import { PYTHON_DEFAULTS } from "../executors/python/defaults.js";
import { createExecutors, type ExecutorSet } from "../config/create-executors.js";
import { findConfig } from "../config/find.js";
import type { GraderkitConfig } from "../config/types.js";
import { UsageError, type Io } from "./command.js";
import type { OptionSpec } from "./options.js";

const GROUP = "Executors (python, score_model, label_model, cosine)";

export const EXECUTOR_OPTIONS = [
  { name: "config", type: "string", arg: "FILE", group: GROUP, shownDefault: "./graderkit.config.json when present", description: "JSON config file; flags override it" },
  { name: "python", type: "string", arg: "PATH", group: GROUP, config: "executors.python.path", shownDefault: "python3", description: "Python interpreter for python graders" },
  { name: "python-timeout", type: "number", arg: "SECONDS", min: 0, aboveMin: true, group: GROUP, config: "executors.python.timeoutSeconds", shownDefault: String(PYTHON_DEFAULTS.timeoutSeconds), description: "Wall time per python grader call" },
  { name: "python-sandbox", type: "choice", arg: "MODE", choices: ["auto", "bwrap", "none"], group: GROUP, config: "executors.python.sandbox", shownDefault: "auto", description: "bubblewrap around python workers; auto: when it works here, else the audit-hook layer only, with a warning (README \"The python sandbox\")" },
  { name: "python-memory", type: "integer", arg: "MB", min: 16, group: GROUP, config: "executors.python.memoryMb", shownDefault: String(PYTHON_DEFAULTS.memoryMb), description: "Address-space limit per python worker" },
  { name: "model-base-url", type: "string", arg: "URL", group: GROUP, config: "executors.model.baseUrl", shownDefault: "$OPENAI_BASE_URL", description: "OpenAI-compatible endpoint for model graders, e.g. http://127.0.0.1:8000/v1; the key comes from $GRADERKIT_API_KEY, else $OPENAI_API_KEY" },
  { name: "model-timeout", type: "number", arg: "SECONDS", min: 0, aboveMin: true, group: GROUP, config: "executors.model.timeoutSeconds", shownDefault: String(HTTP_DEFAULTS.timeoutMs / 1000), description: "Per-request timeout for model and embedding calls" },
  { name: "embedding-base-url", type: "string", arg: "URL", group: GROUP, config: "executors.embedding.baseUrl", shownDefault: "the model endpoint", description: "Endpoint for cosine embeddings" },
  { name: "embedding-model", type: "string", arg: "MODEL", group: GROUP, config: "executors.embedding.model", shownDefault: DEFAULT_EMBEDDING_MODEL, description: "Embedding model" },
  { name: "no-cache", type: "boolean", group: GROUP, description: "Do not read or write the response cache (config executors.cache.enabled: false)" },
  { name: "cache-dir", type: "string", arg: "DIR", group: GROUP, config: "executors.cache.dir", shownDefault: DEFAULT_CACHE_DIR, description: "Response cache directory" },
] as const satisfies readonly OptionSpec[];

type ExecutorFlagValues = {
  [K in (typeof EXECUTOR_OPTIONS)[number]["name"]]?: string | number | boolean | undefined;
};

/** Set `value` at a dotted path of an object, creating the objects on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
}

function mergeConfig(base: GraderkitConfig, overrides: Record<string, unknown>): GraderkitConfig {
  const out = structuredClone(base) as Record<string, unknown>;
  const walk = (from: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(from)) {
      if (v !== null && typeof v === "object" && !Array.isArray(v)) walk(v as Record<string, unknown>, `${prefix}${k}.`);
      else setPath(out, `${prefix}${k}`, v);
    }
  };
  walk(overrides, "");
  return out as GraderkitConfig;
}

/**
 * The config file (--config, else ./graderkit.config.json) with the flags applied over it. The
 * config loader (and its schema) is imported only when there is a file.
 */
export async function configFromFlags(values: ExecutorFlagValues, io: Io): Promise<GraderkitConfig> {
  const file = values.config ?? findConfig(io.cwd);
  let config: GraderkitConfig = {};
  if (file !== undefined) {
    const { ConfigError, loadConfig } = await import("../config/load.js");
    try {
      config = loadConfig(String(file));
    } catch (err) {
      if (err instanceof ConfigError) {
        throw new UsageError(err.problems.map((p) => `${file}${p.line ? `:${p.line}:${p.column}` : ""}: ${p.pointer || "/"}: ${p.message}`).join("\n"));
      }
      throw new UsageError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  const overrides: Record<string, unknown> = {};
  for (const o of EXECUTOR_OPTIONS) {
    const v = values[o.name];
    if (v !== undefined && "config" in o) setPath(overrides, o.config, v);
  }
  if (values["no-cache"]) setPath(overrides, "executors.cache.enabled", false);
  return mergeConfig(config, overrides);
}

/** Build the executors a command needs from its flags, the config file and the environment. */
export async function buildExecutors(values: ExecutorFlagValues, io: Io): Promise<ExecutorSet> {
  const config = await configFromFlags(values, io);
  try {
    return createExecutors(config, io.env, { cwd: io.cwd });
  } catch (err) {
    // A malformed endpoint URL (or one with credentials in it) is a usage error.
    if (err instanceof RangeError) throw new UsageError(withFlagHints(err.message));
    throw err;
  }
}

/** Library messages name config keys ("executors.model.baseUrl"); where the CLI shows them, add the flag. */
export function withFlagHints(text: string): string {
  let out = text;
  for (const o of EXECUTOR_OPTIONS) {
    if ("config" in o) out = out.split(o.config).join(`${o.config} / --${o.name}`);
  }
  return out;
}
