// Build the executors a grading needs from a config (and the environment), exactly as the CLI
// and the server do: library users call this too, so one setup serves all three.
//
// The settings are read and checked here, at once (a bad endpoint URL throws now, not on the
// first row), but each executor's code is imported when a grader first calls it: a run whose
// grader needs no python or model pays nothing for them at start-up (README "Start-up").

import { join, resolve } from "node:path";
import type { ChatExecutor, EmbeddingExecutor, Executors, PythonExecutor } from "../core/executors.js";
import type { OpenAIChatExecutor, OpenAIEmbeddingExecutor, ResponseCache } from "../executors/openai/index.js";
import { checkChatSettings, checkEmbeddingSettings, DEFAULT_CACHE_DIR, embeddingModel } from "../executors/openai/settings.js";
import type { PythonExecutorOptions, PythonPoolExecutor } from "../executors/python/executor.js";
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

/** `make()` on the first call, the same promise after; `value` once it has resolved. */
function onFirstUse<T>(make: () => Promise<T>): { (): Promise<T>; readonly started: boolean; readonly value: T | undefined } {
  let promise: Promise<T> | undefined;
  let value: T | undefined;
  const get = () => (promise ??= make().then((v) => (value = v)));
  return Object.defineProperties(get, {
    started: { get: () => promise !== undefined },
    value: { get: () => value },
  }) as ReturnType<typeof onFirstUse<T>>;
}

/** The python executor, imported and created on the first grade(). */
function pythonOnFirstUse(options: PythonExecutorOptions): PythonExecutor & Pick<PythonPoolExecutor, "sandboxInfo"> {
  let closed = false;
  const pool = onFirstUse(async () => {
    const created = (await import("../executors/python/executor.js")).createPythonExecutor(options);
    // Closed before it was ever used: the pool itself answers every call as closed.
    if (closed) await created.close();
    return created;
  });
  return {
    grade: async (source, sample, item) => (await pool()).grade(source, sample, item),
    sandboxInfo: () => pool.value?.sandboxInfo(),
    async close() {
      closed = true;
      if (pool.started) await (await pool()).close();
    },
  };
}

/**
 * The python, chat and embedding executors of a config. Precedence: the config's values, then
 * the environment ($GRADERKIT_API_KEY / $OPENAI_API_KEY, $OPENAI_BASE_URL), then defaults. A
 * model or embedding executor exists only when an endpoint is known; graders that need a missing
 * one fail their rows with a message naming the config key. Throws a RangeError for an endpoint
 * URL that is malformed or carries credentials, or an embedding batch size below 1.
 */
export function createExecutors(config: GraderkitConfig = {}, env: NodeJS.ProcessEnv = process.env, options: CreateExecutorsOptions = {}): ExecutorSet {
  const fromEnv = executorEnvironment(env);
  const { python: py = {}, model = {}, embedding = {}, cache: cacheConfig = {} } = config.executors ?? {};
  const python = pythonOnFirstUse({ python: py.path, timeoutSeconds: py.timeoutSeconds, memoryMb: py.memoryMb, workers: py.workers, sandbox: py.sandbox });
  // Resolved now: the directory must not depend on where the process is when a model is first called.
  const cacheDir = resolve(cacheConfig.dir ?? join(options.cwd ?? process.cwd(), DEFAULT_CACHE_DIR));
  const apiKey = model.apiKey ?? fromEnv.apiKey;
  const modelBase = model.baseUrl ?? fromEnv.baseUrl;
  const embeddingBase = embedding.baseUrl ?? modelBase;
  const chatOptions = modelBase || model.routes ? { baseUrl: modelBase, apiKey, routes: model.routes } : undefined;
  const embeddingOptions = embeddingBase
    ? { baseUrl: embeddingBase, apiKey: embedding.apiKey ?? apiKey, model: embedding.model, batchSize: embedding.batchSize }
    : undefined;
  if (chatOptions) checkChatSettings(chatOptions);
  if (embeddingOptions) checkEmbeddingSettings(embeddingOptions);

  // Chat and embeddings share one cache and one set of endpoint clients, made with the first call of either.
  const openai = onFirstUse(async () => {
    const m = await import("../executors/openai/index.js");
    const cache: ResponseCache = m.createResponseCache({ enabled: cacheConfig.enabled ?? true, dir: cacheDir });
    const clients = new m.EndpointClients({
      timeoutMs: model.timeoutSeconds !== undefined ? model.timeoutSeconds * 1000 : undefined,
      maxRetries: model.maxRetries,
      concurrency: model.concurrency,
      maxResponseBytes: model.maxResponseMb !== undefined ? Math.round(model.maxResponseMb * 1024 * 1024) : undefined,
    });
    const chat: OpenAIChatExecutor | undefined = chatOptions ? m.createChatExecutor({ ...chatOptions, cache, clients }) : undefined;
    const embed: OpenAIEmbeddingExecutor | undefined = embeddingOptions ? m.createEmbeddingExecutor({ ...embeddingOptions, cache, clients }) : undefined;
    return { cache, chat, embed };
  });
  const chat: ChatExecutor | undefined = chatOptions && {
    complete: async (request) => (await openai()).chat!.complete(request),
  };
  const embed: EmbeddingExecutor | undefined = embeddingOptions && {
    defaultModel: embeddingModel(embeddingOptions),
    embed: async (texts, name) => (await openai()).embed!.embed(texts, name),
  };
  return {
    executors: { python, chat, embedding: embed },
    cacheStats: () => {
      if (!chat && !embed) return undefined;
      // Nothing called yet: nothing looked up.
      const { hits, misses } = openai.value?.cache.stats() ?? { hits: 0, misses: 0 };
      return { hits, misses };
    },
    warnings: () => python.sandboxInfo()?.warnings ?? [],
    async close() {
      const made = openai.started ? await openai() : undefined;
      await Promise.all([python.close(), made?.chat?.close?.(), made?.embed?.close?.()]);
    },
  };
}
