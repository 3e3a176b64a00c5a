// The one HTTP mechanism behind every OpenAI-compatible endpoint graderkit calls (chat
// completions and embeddings): a JSON POST with a per-attempt timeout, retries with capped
// exponential backoff and full jitter, Retry-After support, and a bound on requests in flight.
//
// Retry policy follows the official SDKs (openai-python / openai-node): 2 retries by default,
// retry on 408, 409, 429 and 5xx, on timeouts and on connection errors, and obey the server's
// `x-should-retry` header when present. Unlike the SDKs we use full jitter (a uniform draw in
// [0, cap]), which spreads many concurrent graders best when a rate limit hits them all at once.

import type { CacheStats } from "./cache.js";
import { Semaphore } from "../../util/semaphore.js";
import { checkBaseUrl, endpointKey, HTTP_DEFAULTS } from "./settings.js";

export interface HttpClientOptions {
  /** Bearer token; undefined or "" → no Authorization header. (The environment is read by src/config.) */
  apiKey?: string;
  timeoutMs?: number;
  maxRetries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  maxRetryAfterMs?: number;
  /** Requests in flight at once (a retry waits for its backoff outside the bound). */
  concurrency?: number;
  maxResponseBytes?: number;
}

export type PostResult =
  | { ok: true; status: number; json: unknown; attempts: number }
  | { ok: false; status: number | null; details: string; attempts: number };

/** Counters an executor exposes through its stats(). */
export interface RequestStats {
  /** HTTP attempts made (first tries and retries). */
  requests: number;
  retries: number;
  /** Calls that failed after all retries. */
  failures: number;
}

/** What chat and embedding executors report through stats(). */
export interface ExecutorStats extends RequestStats {
  /** complete() calls, or texts asked of embed(). */
  calls: number;
  cache_hits: number;
  cache_misses: number;
  /** The (possibly shared) cache's own counters; null without a cache. */
  cache: CacheStats | null;
}

export function emptyExecutorCounts(): Omit<ExecutorStats, "cache"> {
  return { calls: 0, cache_hits: 0, cache_misses: 0, requests: 0, retries: 0, failures: 0 };
}

export function recordPost(stats: RequestStats, r: PostResult): void {
  stats.requests += r.attempts;
  stats.retries += r.attempts - 1;
  if (!r.ok) stats.failures++;
}

/** Every occurrence of the key in a message, replaced: servers echo request headers in error pages. */
export function redact(text: string, secret: string | undefined): string {
  return secret && secret.length >= 4 ? text.split(secret).join("[redacted]") : text;
}

/** `https://host/v1/` + `chat/completions` → `https://host/v1/chat/completions`. */
export function endpointUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/${path}`;
}

/**
 * The wait a response asks for, in ms, or null: `retry-after-ms` (OpenAI's, fractional ms),
 * then `retry-after` as seconds or as an HTTP date.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | null {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return n;
  }
  const ra = headers.get("retry-after");
  if (ra === null || ra.trim() === "") return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(ra)) return Number(ra) * 1000;
  const date = Date.parse(ra);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export function isRetryableStatus(status: number, headers?: Headers): boolean {
  const hint = headers?.get("x-should-retry");
  if (hint === "true") return true;
  if (hint === "false") return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Full jitter: uniform in [0, min(max, base·2^retry)]. `retry` counts from 0. */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return random() * Math.min(maxMs, baseMs * 2 ** retry);
}

type Attempt =
  | { kind: "response"; status: number; headers: Headers; text: string }
  | { kind: "too_large"; status: number; limit: number }
  | { kind: "timeout" }
  | { kind: "network"; message: string };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Collapse whitespace and cut, so an HTML error page does not flood the result file. */
export function excerpt(text: string, max = 500): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function networkMessage(err: unknown): string {
  // undici reports "fetch failed" and hides the useful part (ECONNREFUSED, ...) in `cause`.
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const base = err instanceof Error ? err.message : String(err);
  if (cause?.code) return `${base} (${cause.code})`;
  if (cause?.message) return `${base} (${cause.message})`;
  return base;
}

export class HttpClient {
  /** The key sent when a request names none (postJson's `auth` overrides it). */
  readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly semaphore: Semaphore;
  private readonly maxResponseBytes: number;

  constructor(options: HttpClientOptions = {}) {
    this.apiKey = options.apiKey === "" ? undefined : options.apiKey;
    this.maxResponseBytes = options.maxResponseBytes ?? HTTP_DEFAULTS.maxResponseBytes;
    this.timeoutMs = options.timeoutMs ?? HTTP_DEFAULTS.timeoutMs;
    this.maxRetries = options.maxRetries ?? HTTP_DEFAULTS.maxRetries;
    this.backoffBaseMs = options.backoffBaseMs ?? HTTP_DEFAULTS.backoffBaseMs;
    this.backoffMaxMs = options.backoffMaxMs ?? HTTP_DEFAULTS.backoffMaxMs;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? HTTP_DEFAULTS.maxRetryAfterMs;
    this.semaphore = new Semaphore(options.concurrency ?? HTTP_DEFAULTS.concurrency);
  }

  /**
   * POST `body` as JSON and parse the JSON answer. Never rejects: a failure after all retries
   * is `{ok: false, details}`. `auth` overrides the client's key (a routed endpoint's own key,
   * or none: `{apiKey: undefined}`).
   */
  async postJson(url: string, body: unknown, auth: { apiKey?: string } = { apiKey: this.apiKey }): Promise<PostResult> {
    const { apiKey } = auth;
    const payload = JSON.stringify(body);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/json",
      "user-agent": "graderkit",
    };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;

    for (let attempt = 1; ; attempt++) {
      const a = await this.semaphore.run(() => this.attempt(url, payload, headers));
      const canRetry = attempt <= this.maxRetries;

      if (a.kind === "response" && a.status >= 200 && a.status < 300) {
        try {
          return { ok: true, status: a.status, json: JSON.parse(a.text), attempts: attempt };
        } catch {
          // A 2xx with a broken body is a server bug, not a transient condition: no retry.
          return {
            ok: false,
            status: a.status,
            details: redact(`invalid JSON in HTTP ${a.status} response from ${url}: ${excerpt(a.text)}`, apiKey),
            attempts: attempt,
          };
        }
      }

      // An oversized answer would be as large the next time: never retried.
      const retryable = a.kind === "response" ? isRetryableStatus(a.status, a.headers) : a.kind !== "too_large";
      if (!retryable || !canRetry) {
        const status = a.kind === "response" || a.kind === "too_large" ? a.status : null;
        return { ok: false, status, details: redact(this.describe(url, a, attempt), apiKey), attempts: attempt };
      }

      const asked = a.kind === "response" ? parseRetryAfter(a.headers) : null;
      const delay =
        asked !== null
          ? Math.min(asked, this.maxRetryAfterMs)
          : backoffDelay(attempt - 1, this.backoffBaseMs, this.backoffMaxMs);
      await sleep(delay);
    }
  }

  private async attempt(url: string, payload: string, headers: Record<string, string>): Promise<Attempt> {
    const controller = new AbortController();
    // The timer covers reading the body too: a server that stalls mid-body is a timeout.
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const res = await fetch(url, { method: "POST", headers, body: payload, signal: controller.signal });
      const text = await this.readCapped(res);
      if (text === null) {
        controller.abort();
        return { kind: "too_large", status: res.status, limit: this.maxResponseBytes };
      }
      return { kind: "response", status: res.status, headers: res.headers, text };
    } catch (err) {
      if (controller.signal.aborted) return { kind: "timeout" };
      return { kind: "network", message: networkMessage(err) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The body as text, or null once it exceeds maxResponseBytes (it is not read further). */
  private async readCapped(res: Response): Promise<string | null> {
    const declared = Number(res.headers.get("content-length"));
    if (declared > this.maxResponseBytes || !res.body) return declared > this.maxResponseBytes ? null : res.text();
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > this.maxResponseBytes) {
        await reader.cancel().catch(() => undefined);
        return null;
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks).toString("utf8");
  }

  private describe(url: string, a: Attempt, attempts: number): string {
    const tries = `${attempts} attempt${attempts === 1 ? "" : "s"}`;
    switch (a.kind) {
      case "response":
        return `HTTP ${a.status} from ${url} after ${tries}: ${excerpt(a.text)}`;
      case "too_large":
        return `HTTP ${a.status} response from ${url} exceeds ${a.limit} bytes (maxResponseMb); not retried (${tries})`;
      case "timeout":
        return `request to ${url} timed out after ${this.timeoutMs} ms (${tries})`;
      case "network":
        return `connection error to ${url}: ${a.message} (${tries})`;
    }
  }
}

/**
 * One HttpClient per endpoint (base URL), shared by every executor that calls it, so the
 * in-flight bound is per endpoint whatever mix of chat and embedding calls goes there.
 */
export class EndpointClients {
  private readonly clients = new Map<string, HttpClient>();
  constructor(private readonly options: Omit<HttpClientOptions, "apiKey"> = {}) {}

  /** The client of `baseUrl` (checked: no credentials in the URL). */
  for(baseUrl: string): HttpClient {
    const key = endpointKey(baseUrl);
    let client = this.clients.get(key);
    if (!client) {
      checkBaseUrl(key);
      client = new HttpClient(this.options);
      this.clients.set(key, client);
    }
    return client;
  }
}
