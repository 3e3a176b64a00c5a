// Flags and config file that choose the executors of `grade` and `run`. Flags override the
// config file (`--config FILE`, or ./graderkit.config.json when present).

import { existsSync } from "node:fs";
import { join } from "node:path";
import { createChatExecutor, createEmbeddingExecutor, createResponseCache, type ChatRoute } from "../executors/openai/index.js";
import { createPythonExecutor } from "../executors/python/executor.js";
import type { SandboxMode } from "../executors/python/sandbox.js";
import type { Executors } from "../core/executors.js";
import { numberFlag, UsageError, type Io, type Options } from "./args.js";
import { readText } from "./load.js";

export const EXECUTOR_OPTIONS: Options = {
  config: { type: "string" },
  python: { type: "string" },
  "python-timeout": { type: "string" },
  "python-memory": { type: "string" },
  "python-sandbox": { type: "string" },
  "model-base-url": { type: "string" },
  "model-timeout": { type: "string" },
  "embedding-base-url": { type: "string" },
  "embedding-model": { type: "string" },
  "no-cache": { type: "boolean" },
  "cache-dir": { type: "string" },
};

export const EXECUTOR_HELP = `Executors (python, score_model, label_model, cosine):
  --python PATH             Python interpreter for python graders (default python3)
  --python-timeout SECONDS  Wall time per python grader call (default 120)
  --python-memory MB        Address-space limit per python worker (default 2048)
  --python-sandbox MODE     auto, bwrap or none: bubblewrap around python workers (auto: when it works
                            here, else the audit-hook layer only, with a warning)
  --model-base-url URL      OpenAI-compatible endpoint for model graders, e.g. http://127.0.0.1:8000/v1
                            (default $OPENAI_BASE_URL); key from $GRADERKIT_API_KEY or $OPENAI_API_KEY
  --model-timeout SECONDS   Per-request timeout for model and embedding calls (default 120)
  --embedding-base-url URL  Endpoint for cosine embeddings (default: the model base URL)
  --embedding-model M       Embedding model (default text-embedding-3-large)
  --no-cache                Do not read or write the response cache
  --cache-dir DIR           Response cache directory (default .graderkit-cache)
  --config FILE             JSON config file (default ./graderkit.config.json if present)`;

export interface GraderkitConfig {
  python?: { path?: string; timeoutSeconds?: number; memoryMb?: number; workers?: number; sandbox?: SandboxMode };
  model?: { baseUrl?: string; apiKey?: string; timeoutSeconds?: number; maxRetries?: number; concurrency?: number; routes?: Record<string, ChatRoute> };
  embedding?: { baseUrl?: string; model?: string; batchSize?: number };
  cache?: { enabled?: boolean; dir?: string };
}

function loadConfig(values: Record<string, unknown>, io: Io): GraderkitConfig {
  const explicit = values.config as string | undefined;
  const file = explicit ?? join(io.cwd, "graderkit.config.json");
  if (!explicit && !existsSync(file)) return {};
  const text = readText(file);
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("the config must be a JSON object");
    return parsed as GraderkitConfig;
  } catch (err) {
    throw new UsageError(`${file}: ${(err as Error).message}`);
  }
}

const SANDBOX_MODES: readonly SandboxMode[] = ["auto", "bwrap", "none"];

export interface ExecutorSetup {
  executors: Executors;
  cacheStats(): { hits: number; misses: number } | undefined;
  /** Warnings for the run summary, e.g. that python graders ran without bubblewrap. */
  warnings(): string[];
  close(): Promise<void>;
}

/** Build the executors a command needs from its flags and the config file. */
export function buildExecutors(values: Record<string, unknown>, io: Io): ExecutorSetup {
  const config = loadConfig(values, io);
  const timeoutS = numberFlag(values["python-timeout"], "python-timeout", { min: 0.001 }) ?? config.python?.timeoutSeconds;
  const memoryMb = numberFlag(values["python-memory"], "python-memory", { min: 16 }) ?? config.python?.memoryMb;
  const modelTimeoutS = numberFlag(values["model-timeout"], "model-timeout", { min: 0.001 }) ?? config.model?.timeoutSeconds;
  const sandbox = (values["python-sandbox"] as string | undefined) ?? config.python?.sandbox;
  if (sandbox !== undefined && !SANDBOX_MODES.includes(sandbox as SandboxMode)) {
    throw new UsageError(`--python-sandbox must be one of ${SANDBOX_MODES.join(", ")}, got ${JSON.stringify(sandbox)}`);
  }
  const python = createPythonExecutor({
    sandbox: sandbox as SandboxMode | undefined,
    python: (values.python as string | undefined) ?? config.python?.path,
    timeoutSeconds: timeoutS,
    memoryMb,
    workers: config.python?.workers,
  });
  const cache = createResponseCache({
    enabled: values["no-cache"] ? false : config.cache?.enabled ?? true,
    dir: (values["cache-dir"] as string | undefined) ?? config.cache?.dir ?? join(io.cwd, ".graderkit-cache"),
  });
  const modelBase = (values["model-base-url"] as string | undefined) ?? config.model?.baseUrl ?? io.env.OPENAI_BASE_URL;
  const embeddingBase = (values["embedding-base-url"] as string | undefined) ?? config.embedding?.baseUrl ?? modelBase;
  const http = {
    apiKey: config.model?.apiKey,
    timeoutMs: modelTimeoutS !== undefined ? modelTimeoutS * 1000 : undefined,
    maxRetries: config.model?.maxRetries,
    concurrency: config.model?.concurrency,
  };
  const chat = modelBase || config.model?.routes
    ? createChatExecutor({ ...http, baseUrl: modelBase ?? "", cache, routes: config.model?.routes })
    : undefined;
  const embedding = embeddingBase
    ? createEmbeddingExecutor({
        ...http,
        baseUrl: embeddingBase,
        model: (values["embedding-model"] as string | undefined) ?? config.embedding?.model,
        batchSize: config.embedding?.batchSize,
        cache,
      })
    : undefined;
  return {
    executors: { python, chat, embedding },
    cacheStats: () => (chat || embedding ? { hits: cache.stats().hits, misses: cache.stats().misses } : undefined),
    warnings: () => python.sandboxInfo()?.warnings ?? [],
    async close() {
      await Promise.all([python.close(), chat?.close?.(), embedding?.close?.()]);
    },
  };
}
