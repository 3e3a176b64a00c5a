// OpenAI-compatible executors: chat completions (model graders) and embeddings (cosine),
// sharing one HTTP/retry layer and one response cache.

export {
  DEFAULT_CACHE_DIR,
  DEFAULT_EMBEDDING_BATCH_SIZE,
  DEFAULT_EMBEDDING_MODEL,
  HTTP_DEFAULTS,
  checkBaseUrl,
  checkChatSettings,
  checkEmbeddingSettings,
  embeddingModel,
} from "./settings.js";
export {
  EndpointClients,
  HttpClient,
  backoffDelay,
  isRetryableStatus,
  parseRetryAfter,
  redact,
  type ExecutorStats,
  type HttpClientOptions,
  type PostResult,
  type RequestStats,
} from "./http.js";
export {
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
  createEmbeddingExecutor,
  type EmbeddingExecutorOptions,
  type OpenAIEmbeddingExecutor,
} from "./embeddings.js";
