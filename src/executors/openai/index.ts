// OpenAI-compatible executors: chat completions (model graders) and embeddings (cosine),
// sharing one HTTP/retry layer and one response cache.

export {
  HTTP_DEFAULTS,
  EndpointClients,
  HttpClient,
  backoffDelay,
  checkBaseUrl,
  isRetryableStatus,
  parseRetryAfter,
  redact,
  type ExecutorStats,
  type HttpClientOptions,
  type PostResult,
  type RequestStats,
} from "./http.js";
export {
  DEFAULT_CACHE_DIR,
  ResponseCache,
  cacheKey,
  canonicalJson,
  createResponseCache,
  type CacheStats,
  type ResponseCacheOptions,
} from "./cache.js";
export {
  createChatExecutor,
  mapUsage,
  parseChatCompletion,
  type ChatExecutorOptions,
  type ChatRoute,
  type OpenAIChatExecutor,
} from "./chat.js";
export {
  DEFAULT_EMBEDDING_BATCH_SIZE,
  DEFAULT_EMBEDDING_MODEL,
  createEmbeddingExecutor,
  type EmbeddingExecutorOptions,
  type OpenAIEmbeddingExecutor,
} from "./embeddings.js";
