// A scripted OpenAI-compatible server for tests: a real node:http server on 127.0.0.1 that
// speaks the Chat Completions and Embeddings wire formats, records every request, and answers
// each request with the next behaviour queued for its endpoint.

import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
}

interface Common {
  /** Wait this long before answering (a "slow" server). */
  delayMs?: number;
}

export type ChatBehaviour = Common &
  (
    /** `toolCalls`: the message's tool_calls (content may then be null), finish_reason "tool_calls". */
    | { kind: "answer"; content: string | null; usage?: WireUsage | null; model?: string; toolCalls?: unknown[] }
    | { kind: "refusal"; refusal: string; usage?: WireUsage | null; model?: string }
    | { kind: "status"; status: number; body?: string; headers?: Record<string, string> }
    /** 200 with a body that is not JSON. */
    | { kind: "malformed" }
  );

export type EmbeddingBehaviour = Common &
  (
    /** Deterministic vectors; `reverse` lists data[] backwards to test ordering by index. */
    | { kind: "embeddings"; reverse?: boolean }
    | { kind: "status"; status: number; body?: string; headers?: Record<string, string> }
    | { kind: "malformed" }
  );

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
  /** performance.now() when the request arrived. */
  at: number;
}

export const DEFAULT_USAGE: WireUsage = {
  prompt_tokens: 10,
  completion_tokens: 5,
  total_tokens: 15,
  prompt_tokens_details: { cached_tokens: 0 },
};

/** The content of a score_model answer. */
export function scoreContent(result: unknown, steps: unknown[] = [{ description: "d", conclusion: "c" }]): string {
  return JSON.stringify({ steps, result });
}

export function answer(content: string | null, extra: Partial<Extract<ChatBehaviour, { kind: "answer" }>> = {}): ChatBehaviour {
  return { kind: "answer", content, ...extra };
}

/** A deterministic unit-free vector per text: bytes of sha256(text) mapped to [-1, 1]. */
export function fakeEmbedding(text: string, dim = 8): number[] {
  const digest = createHash("sha256").update(text).digest();
  return Array.from({ length: dim }, (_, i) => digest[i % digest.length] / 127.5 - 1);
}

export interface FakeOpenAIServer {
  /** Base URL including /v1, e.g. http://127.0.0.1:43210/v1 */
  readonly url: string;
  readonly requests: RecordedRequest[];
  chat(...b: ChatBehaviour[]): void;
  embeddings(...b: EmbeddingBehaviour[]): void;
  /** Requests to one endpoint ("chat/completions" or "embeddings"). */
  requestsTo(endpoint: string): RecordedRequest[];
  /** Highest number of requests being handled at once (since the start or resetMaxInFlight()). */
  readonly maxInFlight: number;
  resetMaxInFlight(): void;
  close(): Promise<void>;
}

export async function startFakeOpenAI(
  options: {
    defaultChat?: ChatBehaviour;
    /** Answers chat requests (when nothing is queued) from the request body: a scripted judge. */
    chatFor?: (body: any) => ChatBehaviour;
    model?: string;
  } = {},
): Promise<FakeOpenAIServer> {
  const chatQueue: ChatBehaviour[] = [];
  const embeddingQueue: EmbeddingBehaviour[] = [];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const servedModel = options.model ?? "fake-model-2025-01-01";
  let inFlight = 0;
  let maxInFlight = 0;

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(body);
  };

  function answerChat(res: ServerResponse, b: ChatBehaviour): void {
    switch (b.kind) {
      case "status":
        return send(res, b.status, b.body ?? JSON.stringify({ error: { message: `scripted ${b.status}` } }), b.headers);
      case "malformed":
        return send(res, 200, '{"id": "chatcmpl-1", "choices": [');
      case "answer":
      case "refusal": {
        const message =
          b.kind === "answer"
            ? { role: "assistant", content: b.content, refusal: null, ...(b.toolCalls ? { tool_calls: b.toolCalls } : {}) }
            : { role: "assistant", content: null, refusal: b.refusal };
        const finish_reason = b.kind === "answer" && b.toolCalls ? "tool_calls" : "stop";
        const usage = b.usage === undefined ? DEFAULT_USAGE : b.usage;
        return send(
          res,
          200,
          JSON.stringify({
            id: "chatcmpl-1",
            object: "chat.completion",
            created: 0,
            model: b.model ?? servedModel,
            choices: [{ index: 0, message, finish_reason }],
            ...(usage ? { usage } : {}),
          }),
        );
      }
    }
  }

  function answerEmbeddings(res: ServerResponse, body: any, b: EmbeddingBehaviour): void {
    switch (b.kind) {
      case "status":
        return send(res, b.status, b.body ?? JSON.stringify({ error: { message: `scripted ${b.status}` } }), b.headers);
      case "malformed":
        return send(res, 200, '{"data": [');
      case "embeddings": {
        const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
        const data = inputs.map((text, index) => ({ object: "embedding", index, embedding: fakeEmbedding(text) }));
        if (b.reverse) data.reverse();
        return send(res, 200, JSON.stringify({ object: "list", data, model: body.model, usage: { prompt_tokens: inputs.length, total_tokens: inputs.length } }));
      }
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: any = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      const path = (req.url ?? "").replace(/^\/v1\//, "");
      requests.push({ path, headers: req.headers, body, at: performance.now() });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.on("close", () => inFlight--);

      let respond: () => void;
      let delayMs = 0;
      if (path === "chat/completions") {
        const b = chatQueue.shift() ?? options.chatFor?.(body) ?? options.defaultChat ?? answer(scoreContent(1));
        delayMs = b.delayMs ?? 0;
        respond = () => answerChat(res, b);
      } else if (path === "embeddings") {
        const b = embeddingQueue.shift() ?? { kind: "embeddings" };
        delayMs = b.delayMs ?? 0;
        respond = () => answerEmbeddings(res, body, b);
      } else {
        respond = () => send(res, 404, JSON.stringify({ error: { message: `no route ${req.url}` } }));
      }
      if (delayMs <= 0) return respond();
      const t = setTimeout(() => {
        timers.delete(t);
        respond();
      }, delayMs);
      timers.add(t);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    chat: (...b) => void chatQueue.push(...b),
    embeddings: (...b) => void embeddingQueue.push(...b),
    requestsTo: (endpoint) => requests.filter((r) => r.path === endpoint),
    get maxInFlight() {
      return maxInFlight;
    },
    resetMaxInFlight: () => void (maxInFlight = 0),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets held by the client's pool would otherwise keep close() waiting.
        server.closeAllConnections();
      }),
  };
}

/** A URL on which nothing listens (a port that was just free), for connection errors. */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}
