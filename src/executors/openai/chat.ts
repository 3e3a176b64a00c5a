// ChatExecutor over an OpenAI-compatible `/chat/completions` endpoint, for score_model and
// label_model. The grader's model name can be routed to another endpoint or model (e.g. run
// "gpt-4o" graders against a local server), and answers go through the response cache.

import type { ChatExecutor, ChatOutcome, ChatRequest } from "../../core/executors.js";
import type { TokenUsage } from "../../core/response.js";
import { cacheKey, type ResponseCache } from "./cache.js";
import {
  emptyExecutorCounts,
  EndpointClients,
  endpointUrl,
  excerpt,
  type HttpClient,
  recordPost,
  type ExecutorStats,
  type HttpClientOptions,
} from "./http.js";
import { checkChatSettings } from "./settings.js";

export interface ChatRoute {
  baseUrl?: string;
  /** The model name sent instead of the grader's. */
  model?: string;
  /**
   * Key for this route. A route with its own baseUrl does not inherit the executor's key
   * (it would leak an OpenAI key to another host); a model-only route does.
   */
  apiKey?: string;
}

export interface ChatExecutorOptions extends HttpClientOptions {
  /** e.g. "https://api.openai.com/v1" or "http://127.0.0.1:8000/v1". Optional when every grader model is routed. */
  baseUrl?: string;
  cache?: ResponseCache | null;
  /** Grader model name → another endpoint and/or model. */
  routes?: Record<string, ChatRoute>;
  /** The endpoints' HTTP clients, shared with the embedding executor (createExecutors passes one set). */
  clients?: EndpointClients;
}

export interface OpenAIChatExecutor extends ChatExecutor {
  stats(): ExecutorStats;
}

/** Chat Completions `usage` → TokenUsage; null when the server sent none. */
export function mapUsage(raw: unknown): TokenUsage | null {
  if (raw === null || typeof raw !== "object") return null;
  const u = raw as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  const prompt = num(u.prompt_tokens);
  const completion = num(u.completion_tokens);
  const details = u.prompt_tokens_details as Record<string, unknown> | null | undefined;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: typeof u.total_tokens === "number" ? u.total_tokens : prompt + completion,
    cached_tokens: num(details?.cached_tokens),
  };
}

/** Interpret a 2xx Chat Completions body. */
export function parseChatCompletion(json: unknown): ChatOutcome {
  const body = (json ?? {}) as Record<string, unknown>;
  const choices = body.choices;
  const choice = Array.isArray(choices) ? (choices[0] as { message?: Record<string, unknown>; finish_reason?: unknown } | undefined) : undefined;
  const message = choice?.message;
  const usage = mapUsage(body.usage);
  const model = typeof body.model === "string" ? body.model : null;
  if (message && typeof message.refusal === "string" && message.refusal !== "") {
    return { kind: "refusal", refusal: message.refusal, usage, model };
  }
  // A model that calls tools may answer with tool_calls and a null content.
  const toolCalls = Array.isArray(message?.tool_calls) && message.tool_calls.length > 0 ? (message.tool_calls as Array<Record<string, unknown>>) : undefined;
  if (message && (typeof message.content === "string" || toolCalls)) {
    const finishReason = typeof choice?.finish_reason === "string" ? choice.finish_reason : null;
    const content = typeof message.content === "string" ? message.content : "";
    return { kind: "ok", content, usage, model, finishReason, ...(toolCalls ? { toolCalls } : {}) };
  }
  return { kind: "server_error", details: `response has no choices[0].message.content: ${excerpt(JSON.stringify(json) ?? "")}` };
}

export function createChatExecutor(options: ChatExecutorOptions): OpenAIChatExecutor {
  const clients = options.clients ?? new EndpointClients(options);
  const apiKey = options.apiKey === "" ? undefined : options.apiKey;
  const cache = options.cache ?? null;
  const routes = options.routes ?? {};
  const counts = emptyExecutorCounts();
  checkChatSettings(options);

  function target(model: string): { client: HttpClient; url: string; model: string; apiKey: string | undefined } | null {
    const route = Object.hasOwn(routes, model) ? routes[model] : undefined;
    const ownHost = route?.baseUrl !== undefined;
    const baseUrl = route?.baseUrl ?? options.baseUrl;
    if (baseUrl === undefined) return null;
    return {
      client: clients.for(baseUrl),
      url: endpointUrl(baseUrl, "chat/completions"),
      model: route?.model ?? model,
      apiKey: route?.apiKey ?? (ownHost ? undefined : apiKey),
    };
  }

  return {
    async complete(request: ChatRequest): Promise<ChatOutcome> {
      counts.calls++;
      const t = target(request.model);
      if (!t) return { kind: "server_error", details: `no model endpoint configured for model '${request.model}' (executors.model.baseUrl or a route)` };
      // Without a responseFormat the model answers in free text (eval runs sampling the model
      // under test); the key then has no response_format, so it cannot collide with a grader's.
      const response_format = request.responseFormat
        ? { type: "json_schema", json_schema: { name: request.responseFormat.name, strict: true, schema: request.responseFormat.schema } }
        : undefined;
      const tools = request.tools && request.tools.length > 0 ? request.tools : undefined;
      const body = { model: t.model, messages: request.messages, ...request.sampling, ...(response_format ? { response_format } : {}), ...(tools ? { tools } : {}) };

      const key = cache
        ? cacheKey({ endpoint: t.url, model: t.model, messages: request.messages, sampling: request.sampling, response_format, tools })
        : null;
      if (cache && key) {
        const stored = await cache.get(key);
        const hit = stored === undefined ? null : parseChatCompletion(stored);
        if (hit && hit.kind !== "server_error") {
          counts.cache_hits++;
          return hit;
        }
        counts.cache_misses++;
      }

      const r = await t.client.postJson(t.url, body, { apiKey: t.apiKey });
      recordPost(counts, r);
      if (!r.ok) return { kind: "server_error", details: r.details };
      const outcome = parseChatCompletion(r.json);
      // The raw body is stored (not the outcome) so a cache entry reads like the wire answer.
      // A refusal is an answer too; only server errors are left out.
      if (cache && key && outcome.kind !== "server_error") await cache.set(key, r.json);
      return outcome;
    },

    stats(): ExecutorStats {
      return { ...counts, cache: cache ? cache.stats() : null };
    },
  };
}
