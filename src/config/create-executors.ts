// Build the executors a grading needs from a config (and the environment), exactly as the CLI
// and the server do: library users call this too, so one setup serves all three.

import { join } from "node:path";
import type { Executors } from "../core/executors.js";
import { createChatExecutor, createEmbeddingExecutor, createResponseCache, EndpointClients } from "../executors/openai/index.js";
import { createPythonExecutor } from "../executors/python/executor.js";
import { executorEnvironment } from "./env.js";
import type { GraderkitConfig } from "./types.js";

export interface ExecutorSet {
  executors: Executors;
  /** Cache hits and misses so far, when a model or embedding endpoint is configured. */
  cacheStats(): { hits: number; misses: number } | undefined;
  /** What the user should know about the setup (e.g. the python sandbox fell back to the audit hook). */
  warnings(): string[];
  /** Stop the python workers and release everything. */
  close(): Promise<void>;
}

export interface CreateExecutorsOptions {
  /** Where a relative default (the cache directory) is resolved. Default process.cwd(). */
  cwd?: string;
}

/**
 * The python, chat and embedding executors of a config. Precedence: the config's values, then
 * the environment ($GRADERKIT_API_KEY / $OPENAI_API_KEY, $OPENAI_BASE_URL), then defaults. A
 * model or embedding executor exists only when an endpoint is known; graders that need a missing
 * one fail their rows with a message naming the config key.
 */
export function createExecutors(config: GraderkitConfig = {}, env: NodeJS.ProcessEnv = process.env, options: CreateExecutorsOptions = {}): ExecutorSet {
  const fromEnv = executorEnvironment(env);
  const { python: py = {}, model = {}, embedding = {}, cache: cacheConfig = {} } = config.executors ?? {};
  const python = createPythonExecutor({ python: py.path, timeoutSeconds: py.timeoutSeconds, memoryMb: py.memoryMb, workers: py.workers, sandbox: py.sandbox });
  const cache = createResponseCache({
    enabled: cacheConfig.enabled ?? true,
    dir: cacheConfig.dir ?? join(options.cwd ?? process.cwd(), ".graderkit-cache"),
  });
  const clients = new EndpointClients({
    timeoutMs: model.timeoutSeconds !== undefined ? model.timeoutSeconds * 1000 : undefined,
    maxRetries: model.maxRetries,
    concurrency: model.concurrency,
    maxResponseBytes: model.maxResponseMb !== undefined ? Math.round(model.maxResponseMb * 1024 * 1024) : undefined,
  });
  const apiKey = model.apiKey ?? fromEnv.apiKey;
  const modelBase = model.baseUrl ?? fromEnv.baseUrl;
  const embeddingBase = embedding.baseUrl ?? modelBase;
  const chat = modelBase || model.routes ? createChatExecutor({ baseUrl: modelBase, apiKey, cache, routes: model.routes, clients }) : undefined;
  const embed = embeddingBase
    ? createEmbeddingExecutor({ baseUrl: embeddingBase, apiKey: embedding.apiKey ?? apiKey, model: embedding.model, batchSize: embedding.batchSize, cache, clients })
    : undefined;
  return {
    executors: { python, chat, embedding: embed },
    cacheStats: () => {
      if (!chat && !embed) return undefined;
      const { hits, misses } = cache.stats();
      return { hits, misses };
    },
    warnings: () => python.sandboxInfo()?.warnings ?? [],
    async close() {
      await Promise.all([python.close(), chat?.close?.(), embed?.close?.()]);
    },
  };
}
