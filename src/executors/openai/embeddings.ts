// EmbeddingExecutor over an OpenAI-compatible `/embeddings` endpoint, for the cosine metric.
// Graders embed one or two texts per row, concurrently; sending each alone would cost one
// request per text, so texts asked for in the same event-loop tick are coalesced: one cache
// lookup round and one request per batch of up to batchSize texts. Vectors are cached per
// text, and identical texts in flight share one entry.

import type { EmbeddingExecutor } from "../../core/executors.js";
import { cacheKey, type ResponseCache } from "./cache.js";
import {
  emptyExecutorCounts,
  EndpointClients,
  endpointUrl,
  excerpt,
  recordPost,
  type ExecutorStats,
  type HttpClientOptions,
} from "./http.js";
import { checkEmbeddingSettings, DEFAULT_EMBEDDING_BATCH_SIZE, embeddingModel } from "./settings.js";

export interface EmbeddingExecutorOptions extends HttpClientOptions {
  baseUrl: string;
  model?: string;
  cache?: ResponseCache | null;
  batchSize?: number;
  /** The endpoints' HTTP clients, shared with the chat executor (createExecutors passes one set). */
  clients?: EndpointClients;
}

export interface OpenAIEmbeddingExecutor extends EmbeddingExecutor {
  readonly defaultModel: string;
  stats(): ExecutorStats;
}

interface Pending {
  text: string;
  key: string;
  resolve(vector: number[]): void;
  reject(err: Error): void;
}

function isVector(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === "number");
}

/** `data[i].index` says which input a vector belongs to; servers may answer in any order. */
export function vectorsByIndex(json: unknown, count: number): number[][] | string {
  const data = (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return "response has no data array";
  const out: Array<number[] | undefined> = new Array(count);
  for (const d of data as Array<{ index?: unknown; embedding?: unknown }>) {
    const i = d?.index;
    if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= count) return `bad index ${String(i)}`;
    if (!isVector(d.embedding)) return `data[${i}].embedding is not an array of numbers`;
    out[i] = d.embedding;
  }
  const missing = out.findIndex((v) => v === undefined);
  if (missing >= 0) return `no embedding for input ${missing}`;
  return out as number[][];
}

export function createEmbeddingExecutor(options: EmbeddingExecutorOptions): OpenAIEmbeddingExecutor {
  checkEmbeddingSettings(options);
  const client = (options.clients ?? new EndpointClients(options)).for(options.baseUrl);
  const apiKey = options.apiKey === "" ? undefined : options.apiKey;
  const cache = options.cache ?? null;
  const url = endpointUrl(options.baseUrl, "embeddings");
  const defaultModel = embeddingModel(options);
  const batchSize = options.batchSize ?? DEFAULT_EMBEDDING_BATCH_SIZE;
  const counts = emptyExecutorCounts();

  const queues = new Map<string, Pending[]>(); // model → texts waiting for the next request
  let flushScheduled = false;
  const inFlight = new Map<string, Promise<number[]>>(); // cache key → the vector being fetched

  async function send(model: string, batch: Pending[]): Promise<void> {
    const r = await client.postJson(url, { model, input: batch.map((p) => p.text) }, { apiKey });
    recordPost(counts, r);
    const vectors = r.ok ? vectorsByIndex(r.json, batch.length) : r.details;
    if (typeof vectors === "string") {
      const why = r.ok ? `malformed embeddings response from ${url}: ${vectors}: ${excerpt(JSON.stringify(r.json) ?? "")}` : vectors;
      const err = new Error(`embedding request failed: ${why}`);
      for (const p of batch) p.reject(err);
      return;
    }
    if (cache) await Promise.all(batch.map((p, i) => cache.set(p.key, vectors[i])));
    batch.forEach((p, i) => p.resolve(vectors[i]));
  }

  /** Look a batch up in the cache, then fetch what is missing in one request. */
  async function resolveBatch(model: string, batch: Pending[]): Promise<void> {
    let misses = batch;
    if (cache) {
      const stored = await Promise.all(batch.map((p) => cache.get(p.key)));
      misses = [];
      batch.forEach((p, i) => {
        const v = stored[i];
        if (isVector(v)) {
          counts.cache_hits++;
          p.resolve(v);
        } else {
          counts.cache_misses++;
          misses.push(p);
        }
      });
    }
    if (misses.length > 0) await send(model, misses);
  }

  function flush(model: string): void {
    const queue = queues.get(model);
    while (queue && queue.length > 0) {
      const batch = queue.splice(0, batchSize);
      // resolveBatch() handles every expected failure; this keeps a bug from leaving callers hanging.
      resolveBatch(model, batch).catch((err: unknown) => {
        for (const p of batch) p.reject(err instanceof Error ? err : new Error(String(err)));
      });
    }
  }

  // Texts are queued synchronously and looked up in the cache only at flush time: queuing after
  // an async cache read would spread one tick's texts over several flushes (several requests).
  function enqueue(p: Pending, model: string): void {
    let queue = queues.get(model);
    if (!queue) queues.set(model, (queue = []));
    queue.push(p);
    if (queue.length >= batchSize) flush(model);
    else if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(() => {
        flushScheduled = false;
        for (const m of queues.keys()) flush(m);
      });
    }
  }

  function vectorFor(text: string, model: string): Promise<number[]> {
    counts.calls++;
    const key = cacheKey({ endpoint: url, model, input: text });
    let p = inFlight.get(key);
    if (!p) {
      p = new Promise<number[]>((resolve, reject) => enqueue({ text, key, resolve, reject }, model)).finally(() =>
        inFlight.delete(key),
      );
      inFlight.set(key, p);
    }
    return p;
  }

  return {
    defaultModel,
    embed(texts: string[], model: string = defaultModel): Promise<number[][]> {
      return Promise.all(texts.map((t) => vectorFor(t, model)));
    },
    stats(): ExecutorStats {
      return { ...counts, cache: cache ? cache.stats() : null };
    },
  };
}
