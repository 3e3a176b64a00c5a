// `graderkit serve`: OpenAI's graders API (spec §8) and the reward routes for RL trainers
// (rewards-api.ts) on node:http. Code written against POST /v1/fine_tuning/alpha/graders/{run,
// validate} runs unchanged against a local server.
//
// Errors use OpenAI's shape; `param` is a JSON pointer into the request body ("/grader/operation",
// "/model_sample"): the pointers validateGrader and `graderkit validate` report, with "/grader" in
// front, rather than OpenAI's dotted names, so one path format runs through all of graderkit.
//
// Each request is independent: python and model gradings are asynchronous (executor pools), so a
// slow one never holds up the others. The batch routes grade CPU-bound rows on a worker pool
// (--workers); graders/run, one sample per request, grades on the event loop.

import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gradeSample } from "../graders/grade-sample.js";
import { canonicalJson } from "../util/canonical-json.js";
import type { Executors } from "../core/executors.js";
import type { RunResponse } from "../core/response.js";
import type { Grader } from "../schema/types.js";
import { validateGrader } from "../schema/validate.js";
import { pointerJoin } from "../util/json-pointer.js";
import { RowBudget } from "./admission.js";
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_FIELD_CHARS, fieldOverLimit, tooDeep } from "./body-limits.js";
import { ApiError, discardBody, parseJsonBody, readBody, sendJson, sendText } from "./http-json.js";
import { Lru } from "./lru.js";
import { createServerMetrics, type RouteName } from "./metrics.js";
import { resolveGrader, resolveNamedGraders } from "./named-graders.js";
import { checkBearer, checkContentType, checkHost, checkOrigin, type RequestGuardOptions } from "./request-guard.js";
import { RetryCache } from "./retry-cache.js";
import { RewardService } from "./rewards-api.js";
import { createRowGrader, type ResolvedGrader } from "./row-grader.js";
import { isJsonObject } from "../util/json-object.js";

const KEEP_ALIVE_MS = 65_000;

/** Defaults of the reward routes, for the CLI's help. */
export const SERVER_DEFAULTS = {
  maxBodyBytes: 64 * 1024 * 1024,
  maxQueueRows: 100_000,
  requestTimeoutMs: 120_000,
  closeGraceMs: 10_000,
} as const;

export interface GradersServerOptions {
  executors: Executors;
  /** Default 127.0.0.1: graders run code, so listen on loopback unless told otherwise. */
  host?: string;
  /** Default 8787; 0 picks a free port (listen() returns it). */
  port?: number;
  /** Compiled graders kept, keyed by the grader's canonical JSON. Default 256; 0 disables. */
  compileCacheSize?: number;
  /** Total size of the cached graders' JSON, in bytes. Default 64 MB. */
  compileCacheBytes?: number;
  /** Largest request body. Default 64 MB (413 beyond). */
  maxBodyBytes?: number;
  /** Deepest nesting of a request body (400 beyond). Default 256. */
  maxDepth?: number;
  /** Longest string in model_sample or item, in characters (400 beyond). Default 100,000. */
  maxFieldChars?: number;
  /** Host header values accepted besides the server's own address (DNS-rebinding guard). */
  allowedHosts?: readonly string[];
  /** Browser origins allowed to call the server; requests with any other Origin are refused. */
  allowedOrigins?: readonly string[];
  /**
   * On close(), how long in-flight requests may finish; those still running then are answered
   * 503 (a retryable status) rather than dropped. Default 10 s.
   */
  closeGraceMs?: number;
  /**
   * Graders the reward routes know by name (`{"grader": "NAME"}`, /v1/openrlhf/NAME): validated
   * and compiled before the server is created (GraderValidationError for an invalid one).
   */
  graders?: Readonly<Record<string, unknown>>;
  /** Worker threads grading the batch routes' CPU-bound rows. Default 0: the main thread. */
  workers?: number;
  /** Rows accepted and not yet answered, at most (429 with Retry-After beyond). Default 100,000. */
  maxQueueRows?: number;
  /** How long a batch request may wait for its rows (504 after it; the result is kept for the retry). Default 120 s. */
  requestTimeoutMs?: number;
  /** Required as `Authorization: Bearer KEY` on every route but GET /healthz (401 otherwise). */
  apiKey?: string;
  /** Rows per pool task (default 256). */
  chunkRows?: number;
}

export interface GradersServer {
  /** Start listening; `url` is the base URL for an OpenAI client, e.g. http://127.0.0.1:8787/v1. */
  listen(): Promise<{ url: string }>;
  /** Stop accepting requests and resolve once in-flight ones are answered (or the grace period ends), then stop the workers. */
  close(): Promise<void>;
}

type Body = Record<string, unknown>;

const ROUTE_PREFIX = "/v1/fine_tuning/alpha/graders/";

/** The request body as an object with exactly the parameters the route knows and `grader` present. */
function requestBody(value: unknown, parameters: readonly string[]): Body {
  if (!isJsonObject(value)) throw new ApiError(400, "the request body must be a JSON object", null, "invalid_type");
  for (const key of Object.keys(value)) {
    if (!parameters.includes(key)) throw new ApiError(400, `unrecognized request argument '${key}'`, pointerJoin("", key), "unknown_parameter");
  }
  if (value.grader === undefined) throw new ApiError(400, "missing required parameter 'grader'", "/grader", "missing_required_field");
  return value;
}

/** The normalized grader, or a 400 naming the first problem (as `graderkit validate --json`). */
function validGrader(grader: unknown): Grader {
  const result = validateGrader(grader, { pointer: "/grader" });
  if (!result.ok || !result.grader) {
    const first = result.problems[0];
    throw new ApiError(400, first.message, first.pointer, first.code);
  }
  return result.grader;
}

function runInput(body: Body): { model_sample: string; item?: Body } {
  const { model_sample, item } = body;
  if (model_sample === undefined) throw new ApiError(400, "missing required parameter 'model_sample'", "/model_sample", "missing_required_field");
  if (typeof model_sample !== "string") throw new ApiError(400, "'model_sample' must be a string", "/model_sample", "invalid_type");
  // null is what clients send for "no item"; the grader then sees {}.
  if (item === undefined || item === null) return { model_sample };
  if (!isJsonObject(item)) throw new ApiError(400, "'item' must be a JSON object", "/item", "invalid_type");
  return { model_sample, item };
}

interface Route {
  name: RouteName;
  method: "GET" | "POST";
  /** GET /healthz answers anyone: a load balancer's probe carries no key. */
  open?: boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<Reply>;
}

interface Reply {
  status: number;
  /** An object (sent as JSON) or an answer already serialized. */
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export function createGradersServer(options: GradersServerOptions): GradersServer {
  const { executors, host = "127.0.0.1", maxBodyBytes = SERVER_DEFAULTS.maxBodyBytes, closeGraceMs = SERVER_DEFAULTS.closeGraceMs, apiKey } = options;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxFieldChars = options.maxFieldChars ?? DEFAULT_MAX_FIELD_CHARS;
  const workers = options.workers ?? 0;
  // Validated and compiled now: an invalid named grader throws before anything listens.
  const named = resolveNamedGraders(options.graders ?? {});
  // The port actually bound (for --port 0), which the Host check compares against.
  const guard: RequestGuardOptions = { host, port: options.port ?? 8787, allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins };
  // Keyed by the request's grader, before normalization: a hit skips validation and compilation.
  const compiled = new Lru<string, ResolvedGrader>(options.compileCacheSize ?? 256, options.compileCacheBytes ?? 64 * 1024 * 1024);
  const budget = new RowBudget(options.maxQueueRows ?? SERVER_DEFAULTS.maxQueueRows);
  const metrics = createServerMetrics(() => budget.rows, workers);
  const rowGrader = createRowGrader({ workers, executors, limits: { maxDepth, maxFieldChars }, chunkRows: options.chunkRows });
  let closing = false;
  /** Responses not yet sent: answered 503 if the close grace period ends first. */
  const inFlight = new Set<ServerResponse>();

  function resolvedGrader(grader: unknown): ResolvedGrader {
    const key = canonicalJson(grader);
    let c = compiled.get(key);
    if (!c) {
      c = resolveGrader(validGrader(grader), null);
      compiled.set(key, c, key.length);
    }
    return c;
  }

  const rewards = new RewardService({
    graders: named,
    rowGrader,
    budget,
    metrics,
    retryCache: new RetryCache(),
    requestTimeoutMs: options.requestTimeoutMs ?? SERVER_DEFAULTS.requestTimeoutMs,
    maxDepth,
    resolveInline: resolvedGrader,
  });

  function checkFields(body: Body): void {
    for (const name of ["model_sample", "item"]) {
      const over = fieldOverLimit(body[name], maxFieldChars, `/${name}`);
      if (over) throw new ApiError(400, `${over.pointer} is ${over.length} characters; the limit is ${maxFieldChars} (maxFieldChars)`, over.pointer, "field_too_long");
    }
  }

  /** A JSON body, with the nesting limit applied before anything reads it. */
  async function jsonBody(req: IncomingMessage): Promise<unknown> {
    const body = parseJsonBody(await readBody(req, maxBodyBytes));
    const deep = tooDeep(body, maxDepth);
    if (deep !== null) throw new ApiError(400, `the request body is nested deeper than ${maxDepth} levels (at ${deep})`, deep, "nested_too_deeply");
    return body;
  }

  const ok = (body: unknown): Reply => ({ status: 200, body });

  const graderRoutes: Record<string, Route> = {
    run: {
      name: "graders_run",
      method: "POST",
      async handle(req) {
        const body = requestBody(await jsonBody(req), ["grader", "model_sample", "item"]);
        const input = runInput(body);
        checkFields(body);
        return ok(await gradeSample(resolvedGrader(body.grader).compiled, input, { executors }));
      },
    },
    validate: {
      name: "graders_validate",
      method: "POST",
      async handle(req) {
        const body = requestBody(await jsonBody(req), ["grader"]);
        return ok({ grader: validGrader(body.grader) });
      },
    },
  };

  const routes: Record<string, Route> = {
    "/v1/graders": { name: "graders", method: "GET", handle: async () => ok(rewards.listGraders()) },
    "/v1/rewards": { name: "rewards", method: "POST", handle: async (req, res) => ok(await rewards.rewards(await readBody(req, maxBodyBytes), res)) },
    "/healthz": {
      name: "healthz",
      method: "GET",
      open: true,
      // Ready once it answers: the named graders were compiled before the server was created.
      handle: async () => (closing ? { status: 503, body: { status: "shutting_down" }, headers: { "retry-after": "1" } } : ok({ status: "ok", graders: named.size, workers, queue_rows: budget.rows })),
    },
    "/metrics": { name: "metrics", method: "GET", handle: async () => ({ status: 200, body: await metrics.text(), contentType: metrics.contentType }) },
  };

  const OPENRLHF_PREFIX = "/v1/openrlhf/";

  function routeOf(path: string): Route | undefined {
    if (path.startsWith(ROUTE_PREFIX)) {
      const name = path.slice(ROUTE_PREFIX.length);
      return Object.hasOwn(graderRoutes, name) ? graderRoutes[name] : undefined;
    }
    if (path.startsWith(OPENRLHF_PREFIX)) {
      const name = decodeURIComponent(path.slice(OPENRLHF_PREFIX.length));
      return { name: "openrlhf", method: "POST", handle: async (req, res) => ok(await rewards.openrlhf(name, await readBody(req, maxBodyBytes), res)) };
    }
    return Object.hasOwn(routes, path) ? routes[path] : undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, route: Route | undefined, path: string): Promise<Reply> {
    // OpenAI's wording for an unknown path.
    if (!route) throw new ApiError(404, `Invalid URL (${req.method} ${path})`);
    if (req.method !== route.method && !(route.method === "GET" && req.method === "HEAD")) {
      throw new ApiError(405, `${req.method} is not allowed on ${path}; use ${route.method}`, null, "method_not_allowed", "invalid_request_error", { allow: route.method });
    }
    const verdicts = [checkHost(req.headers.host, guard), checkOrigin(req.headers.origin, guard)];
    if (route.method === "POST") verdicts.push(checkContentType(req.headers["content-type"]));
    for (const verdict of verdicts) {
      if (!verdict.ok) throw new ApiError(verdict.status, verdict.message, null, verdict.status === 415 ? "unsupported_media_type" : "forbidden");
    }
    if (apiKey !== undefined && !route.open) {
      const auth = checkBearer(req.headers.authorization, apiKey);
      if (!auth.ok) throw new ApiError(401, auth.message, null, "invalid_api_key", "invalid_request_error", { "www-authenticate": 'Bearer realm="graderkit"' });
    }
    if (closing && !route.open) throw new ApiError(503, "the server is shutting down", null, "shutting_down", "server_error", { "retry-after": "1" });
    return route.handle(req, res);
  }

  function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, contentType?: string): void {
    // While closing, answer and hang up so the connection does not linger idle.
    const h = closing ? { ...headers, connection: "close" } : headers;
    if (contentType !== undefined) sendText(res, status, body as string, contentType, h);
    else sendJson(res, status, body, h);
  }

  const server = http.createServer((req, res) => {
    const started = performance.now();
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const route = routeOf(path);
    inFlight.add(res);
    res.on("close", () => inFlight.delete(res));
    res.on("finish", () => metrics.request(route?.name ?? "unknown", res.statusCode, (performance.now() - started) / 1000));
    handle(req, res, route, path).then(
      (r) => {
        if (!res.headersSent) reply(res, r.status, r.body, r.headers, r.contentType);
      },
      (err: unknown) => {
        const apiError = err instanceof ApiError
          ? err
          : new ApiError(500, `internal error: ${err instanceof Error ? err.message : String(err)}`, null, null, "server_error");
        // An unread body (404, 405, 413...) is discarded first: a keep-alive connection stays usable,
        // and a client still uploading gets to read the answer.
        void discardBody(req, 4 * maxBodyBytes).then(() => {
          if (!res.headersSent) reply(res, apiError.status, apiError.body(), apiError.headers);
        });
      },
    );
  });
  // A trainer calls once a training step, often tens of seconds apart: Node's 5 s keep-alive
  // would close the connection between steps, and a client reusing it just as it closes gets a
  // reset ("Request error for 5 times"). Longer than the 60 s idle timeout of common load
  // balancers, so they, not the server, close idle connections; the header allowance must be
  // longer still (Node's rule).
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;

  return {
    listen() {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(guard.port, host, () => {
          server.off("error", reject);
          const { port: actual } = server.address() as AddressInfo;
          guard.port = actual;
          resolve({ url: `http://${host.includes(":") ? `[${host}]` : host}:${actual}/v1` });
        });
      });
    },
    async close() {
      closing = true;
      await new Promise<void>((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        const grace = setTimeout(() => {
          // Whoever is still waiting gets an answer it can retry, then the connections go.
          for (const res of inFlight) if (!res.headersSent) reply(res, 503, new ApiError(503, "the server stopped before this grading finished; retry", null, "shutting_down", "server_error").body(), { "retry-after": "1" });
          server.closeAllConnections();
        }, closeGraceMs).unref();
        server.close(() => {
          clearTimeout(grace);
          resolve();
        });
        server.closeIdleConnections();
      });
      await rowGrader.close();
    },
  };
}
