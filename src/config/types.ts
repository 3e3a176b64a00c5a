// graderkit.config.json: how executors are built, shared by the CLI, the server and library users
// (createExecutors). test/config.test.ts checks that these types and the schema agree.

import type { ChatRoute } from "../executors/openai/chat.js";
import type { SandboxMode } from "../executors/python/sandbox.js";

export interface PythonConfig {
  /** Interpreter name on PATH or path (default python3). */
  path?: string;
  timeoutSeconds?: number;
  memoryMb?: number;
  /** Worker processes (default: the number of CPUs). */
  workers?: number;
  /** bubblewrap around the workers (default auto: when it works on this machine). */
  sandbox?: SandboxMode;
}

/** A grader model name routed to another endpoint and/or model (the chat executor's own route type). */
export type ModelRouteConfig = ChatRoute;

export interface ModelConfig {
  /** OpenAI-compatible endpoint for score_model / label_model, e.g. http://127.0.0.1:8000/v1. */
  baseUrl?: string;
  apiKey?: string;
  timeoutSeconds?: number;
  maxRetries?: number;
  /** Requests in flight at once, per endpoint (shared by chat and embeddings on the same endpoint). */
  concurrency?: number;
  /** Largest response body accepted, in MB; a larger one fails without retry. */
  maxResponseMb?: number;
  /** Grader model name → another endpoint and/or model. */
  routes?: Record<string, ModelRouteConfig>;
}

export interface EmbeddingConfig {
  /** Default: the model endpoint. */
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  /** Texts per embeddings request. */
  batchSize?: number;
}

export interface CacheConfig {
  enabled?: boolean;
  /** Default .graderkit-cache in the working directory. */
  dir?: string;
}

export interface ExecutorsConfig {
  python?: PythonConfig;
  model?: ModelConfig;
  embedding?: EmbeddingConfig;
  cache?: CacheConfig;
}

export interface GraderkitConfig {
  /** Editors' schema hint; ignored. */
  $schema?: string;
  executors?: ExecutorsConfig;
}
