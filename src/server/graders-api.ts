// `graderkit serve`: OpenAI's graders API (spec §8) on node:http, so code written against
// POST /v1/fine_tuning/alpha/graders/{run,validate} runs unchanged against a local server.
//
// Errors use OpenAI's shape; `param` is a JSON pointer into the request body ("/grader/operation",
// "/model_sample"): the pointers validateGrader and `graderkit validate` report, with "/grader" in
// front, rather than OpenAI's dotted names, so one path format runs through all of graderkit.
//
// Each request is independent: python and model gradings are asynchronous (executor pools), so a
// slow one never holds up the others; in-process graders run on the event loop.

import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gradeSample } from "../graders/grade-sample.js";
import { canonicalJson } from "../util/canonical-json.js";
import type { Executors } from "../core/executors.js";
import { compileValidGrader } from "../graders/compile.js";
import type { CompiledGrader } from "../graders/types.js";
import type { RunResponse } from "../core/response.js";
import type { Grader } from "../schema/types.js";
import { validateGrader } from "../schema/validate.js";
import { pointerJoin } from "../util/json-pointer.js";
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_FIELD_CHARS, fieldOverLimit, tooDeep } from "./body-limits.js";
import { ApiError, discardBody, readJsonBody, sendJson } from "./http-json.js";
import { Lru } from "./lru.js";
import { checkContentType, checkHost, checkOrigin, type RequestGuardOptions } from "./request-guard.js";

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
  /** Largest request body. Default 10 MB (413 beyond). */
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
}

export interface GradersServer {
  /** Start listening; `url` is the base URL for an OpenAI client, e.g. http://127.0.0.1:8787/v1. */
  listen(): Promise<{ url: string }>;
  /** Stop accepting requests and resolve once in-flight ones are answered (or the grace period ends). */
  close(): Promise<void>;
}

type Body = Record<string, unknown>;

const ROUTE_PREFIX = "/v1/fine_tuning/alpha/graders/";

function isObject(v: unknown): v is Body {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The request body as an object with exactly the parameters the route knows and `grader` present. */
function requestBody(value: unknown, parameters: readonly string[]): Body {
  if (!isObject(value)) throw new ApiError(400, "the request body must be a JSON object", null, "invalid_type");
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
  if (!isObject(item)) throw new ApiError(400, "'item' must be a JSON object", "/item", "invalid_type");
  return { model_sample, item };
}

export function createGradersServer(options: GradersServerOptions): GradersServer {
  const { executors, host = "127.0.0.1", maxBodyBytes = 10 * 1024 * 1024, closeGraceMs = 10_000 } = options;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxFieldChars = options.maxFieldChars ?? DEFAULT_MAX_FIELD_CHARS;
  // The port actually bound (for --port 0), which the Host check compares against.
  const guard: RequestGuardOptions = { host, port: options.port ?? 8787, allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins };
  // Keyed by the request's grader, before normalization: a hit skips validation and compilation.
  const compiled = new Lru<string, CompiledGrader>(options.compileCacheSize ?? 256, options.compileCacheBytes ?? 64 * 1024 * 1024);
  let closing = false;
  /** Responses not yet sent: answered 503 if the close grace period ends first. */
  const inFlight = new Set<ServerResponse>();

  function compiledGrader(grader: unknown): CompiledGrader {
    const key = canonicalJson(grader);
    let c = compiled.get(key);
    if (!c) {
      c = compileValidGrader(validGrader(grader));
      compiled.set(key, c, key.length);
    }
    return c;
  }

  function checkFields(body: Body): void {
    for (const name of ["model_sample", "item"]) {
      const over = fieldOverLimit(body[name], maxFieldChars, `/${name}`);
      if (over) throw new ApiError(400, `${over.pointer} is ${over.length} characters; the limit is ${maxFieldChars} (maxFieldChars)`, over.pointer, "field_too_long");
    }
  }

  const routes: Record<string, (body: unknown) => Promise<RunResponse | { grader: Grader }>> = {
    async run(value) {
      const body = requestBody(value, ["grader", "model_sample", "item"]);
      const input = runInput(body);
      checkFields(body);
      return gradeSample(compiledGrader(body.grader), input, { executors });
    },
    async validate(value) {
      const body = requestBody(value, ["grader"]);
      return { grader: validGrader(body.grader) };
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const name = path.startsWith(ROUTE_PREFIX) ? path.slice(ROUTE_PREFIX.length) : "";
    const route = Object.hasOwn(routes, name) ? routes[name] : undefined;
    // OpenAI's wording for an unknown path.
    if (!route) throw new ApiError(404, `Invalid URL (${req.method} ${path})`);
    if (req.method !== "POST") {
      throw new ApiError(405, `${req.method} is not allowed on ${path}; use POST`, null, "method_not_allowed", "invalid_request_error", { allow: "POST" });
    }
    for (const verdict of [checkHost(req.headers.host, guard), checkOrigin(req.headers.origin, guard), checkContentType(req.headers["content-type"])]) {
      if (!verdict.ok) throw new ApiError(verdict.status, verdict.message, null, verdict.status === 415 ? "unsupported_media_type" : "forbidden");
    }
    if (closing) throw new ApiError(503, "the server is shutting down", null, "shutting_down", "server_error", { "retry-after": "1" });
    const body = await readJsonBody(req, maxBodyBytes);
    const deep = tooDeep(body, maxDepth);
    if (deep !== null) throw new ApiError(400, `the request body is nested deeper than ${maxDepth} levels (at ${deep})`, deep, "nested_too_deeply");
    reply(res, 200, await route(body));
  }

  function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    // While closing, answer and hang up so the connection does not linger idle.
    sendJson(res, status, body, closing ? { ...headers, connection: "close" } : headers);
  }

  const server = http.createServer((req, res) => {
    inFlight.add(res);
    res.on("close", () => inFlight.delete(res));
    handle(req, res).catch((err: unknown) => {
      const apiError = err instanceof ApiError
        ? err
        : new ApiError(500, `internal error: ${err instanceof Error ? err.message : String(err)}`, null, null, "server_error");
      // An unread body (404, 405, 413...) is discarded first: a keep-alive connection stays usable,
      // and a client still uploading gets to read the answer.
      void discardBody(req, 4 * maxBodyBytes).then(() => {
        if (!res.headersSent) reply(res, apiError.status, apiError.body(), apiError.headers);
      });
    });
  });

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
    close() {
      closing = true;
      return new Promise((resolve) => {
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
    },
  };
}
