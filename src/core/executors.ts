// The contract between graders and executors. Executors run what cannot be computed in-process:
// python graders, model graders and embeddings. The interfaces and their outcome unions live
// here, in core, so graders depend on the contract and executors/ implements it (one module per
// kind) without either importing the other.

import type { PythonServerErrorType, TokenUsage } from "./response.js";
import type { Item, Sample } from "./rows.js";

// ---- python -------------------------------------------------------------------------------

export type PythonOutcome =
  | { kind: "ok"; reward: number }
  /** The grader raised, or returned a non-numeric / NaN value. details: trimmed traceback. */
  | { kind: "runtime_error"; details: string }
  /** The sandbox failed: timeout, memory, crash, or no interpreter. */
  | { kind: "server_error"; type: PythonServerErrorType; details: string };

export interface PythonExecutor {
  /** Run `grade(sample, item)` from `source`. Never rejects: every failure is an outcome. */
  grade(source: string, sample: Sample, item: Item): Promise<PythonOutcome>;
  close(): Promise<void>;
}

// ---- chat models (score_model / label_model) ----------------------------------------------

/** A chat message in OpenAI Chat Completions wire format, templates already resolved. */
export interface ChatMessage {
  role: "system" | "developer" | "user" | "assistant";
  content: string | Array<Record<string, unknown>>;
}

export interface ChatRequest {
  /** The grader's model name (an executor config may route it elsewhere). */
  model: string;
  messages: ChatMessage[];
  /** Chat Completions sampling fields, already mapped (max_completion_tokens, ...). */
  sampling: {
    seed?: number;
    temperature?: number;
    top_p?: number;
    max_completion_tokens?: number;
    reasoning_effort?: string;
  };
  /**
   * The strict json_schema response_format to request. Absent: free text, no response_format
   * is sent (how eval runs sample the model under test).
   */
  responseFormat?: { name: string; schema: Record<string, unknown> };
  /** Chat Completions function tools the model may call, sent as they are (eval runs' sampling_params.tools). */
  tools?: Array<Record<string, unknown>>;
}

export type ChatOutcome =
  | {
      kind: "ok";
      /** The assistant message text (JSON expected). */
      content: string;
      usage: TokenUsage | null;
      /** The model that answered (response.model). */
      model: string | null;
      /** choices[0].finish_reason ("stop", "length", "tool_calls", ...), when the server sent one. */
      finishReason?: string | null;
      /** The message's tool_calls, when the model called tools (content is then often ""). */
      toolCalls?: Array<Record<string, unknown>>;
    }
  | { kind: "refusal"; refusal: string; usage: TokenUsage | null; model: string | null }
  | { kind: "server_error"; details: string };

export interface ChatExecutor {
  /** Never rejects: transport and HTTP failures (after retries) are a server_error outcome. */
  complete(request: ChatRequest): Promise<ChatOutcome>;
  close?(): Promise<void>;
}

// ---- embeddings (cosine) ------------------------------------------------------------------

export interface EmbeddingExecutor {
  /** The model `embed` uses when none is given (named in metric signatures). */
  readonly defaultModel?: string;
  /** One vector per input text, in order. Rejects with an Error whose message says why. */
  embed(texts: string[], model?: string): Promise<number[][]>;
  close?(): Promise<void>;
}

/** What a grading needs from the outside world; any of these may be absent. */
export interface Executors {
  python?: PythonExecutor;
  chat?: ChatExecutor;
  embedding?: EmbeddingExecutor;
}
