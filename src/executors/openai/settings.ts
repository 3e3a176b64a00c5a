// What the OpenAI-compatible executors default to and accept, without their HTTP, cache and
// crypto code: the CLI's --help and createExecutors' checks at start-up load this module alone,
// and the executors themselves are imported only when a grader first calls one.

export const HTTP_DEFAULTS = {
  /** Per attempt. Reasoning models used as graders can think for a minute or more. */
  timeoutMs: 120_000,
  maxRetries: 2,
  /** Backoff cap before jitter: base * 2^retry, at most backoffMaxMs. */
  backoffBaseMs: 500,
  backoffMaxMs: 8_000,
  /** Longest Retry-After we wait for; a longer one is shortened to this. */
  maxRetryAfterMs: 60_000,
  concurrency: 8,
  /** A response body larger than this fails (without retry): a runaway server must not exhaust memory. */
  maxResponseBytes: 16 * 1024 * 1024,
} as const;

export const DEFAULT_CACHE_DIR = ".graderkit-cache";

export const DEFAULT_EMBEDDING_MODEL = "text-embedding-3-large";
/** OpenAI accepts up to 2048 inputs per request; smaller batches keep one failure's blast radius small. */
export const DEFAULT_EMBEDDING_BATCH_SIZE = 128;

/** The model an embedding executor uses when a call names none. */
export function embeddingModel(options: { model?: string }): string {
  return options.model ?? DEFAULT_EMBEDDING_MODEL;
}

/** The endpoint a base URL names: `https://host/v1/` and `https://host/v1` are one endpoint. */
export function endpointKey(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "");
}

/**
 * Refuse a base URL that carries credentials (`https://user:key@host/v1`): fetch would send them,
 * error messages would print them, and the cache key would store them. Keys go in `apiKey`.
 */
export function checkBaseUrl(baseUrl: string): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new RangeError(`base URL ${JSON.stringify(baseUrl)} is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new RangeError(`base URL ${JSON.stringify(baseUrl)} must be http:// or https://`);
  if (url.username || url.password) {
    throw new RangeError(`base URL ${url.protocol}//***@${url.host}${url.pathname} must not contain credentials: give the key as apiKey instead`);
  }
}

/** A chat executor's endpoints, checked when it is created: a bad URL is a configuration error, not a per-row failure. */
export function checkChatSettings(options: { baseUrl?: string; routes?: Record<string, { baseUrl?: string }> }): void {
  if (options.baseUrl !== undefined) checkBaseUrl(endpointKey(options.baseUrl));
  for (const route of Object.values(options.routes ?? {})) if (route.baseUrl !== undefined) checkBaseUrl(endpointKey(route.baseUrl));
}

/** An embedding executor's endpoint and batch size, checked when it is created. */
export function checkEmbeddingSettings(options: { baseUrl: string; batchSize?: number }): void {
  checkBaseUrl(endpointKey(options.baseUrl));
  const batchSize = options.batchSize ?? DEFAULT_EMBEDDING_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be an integer ≥ 1, got ${batchSize}`);
}
