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
import { ApiError, readJsonBody, sendJson } from "./http-json.js";
import { Lru } from "./lru.js";

export interface GradersServerOptions {
  executors: Executors;
  /** Default 127.0.0.1: graders run code, so listen on loopback unless told otherwise. */
  host?: string;
  /** Default 8787; 0 picks a free port (listen() returns it). */
  port?: number;
  /** Compiled graders kept, keyed by the grader's canonical JSON. Default 256; 0 disables. */
  compileCacheSize?: number;
  /** Largest request body. Default 10 MB (413 beyond). */
  maxBodyBytes?: number;
  /** On close(), how long in-flight requests may finish before their connections are dropped. Default 10 s. */
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
  const { executors, host = "127.0.0.1", port = 8787, maxBodyBytes = 10 * 1024 * 1024, closeGraceMs = 10_000 } = options;
  // Keyed by the request's grader, before normalization: a hit skips validation and compilation.
  const compiled = new Lru<string, CompiledGrader>(options.compileCacheSize ?? 256);
  let closing = false;

  function compiledGrader(grader: unknown): CompiledGrader {
    const key = canonicalJson(grader);
    let c = compiled.get(key);
    if (!c) {
      c = compileValidGrader(validGrader(grader));
      compiled.set(key, c);
    }
    return c;
  }

  const routes: Record<string, (body: unknown) => Promise<RunResponse | { grader: Grader }>> = {
    async run(value) {
      const body = requestBody(value, ["grader", "model_sample", "item"]);
      const input = runInput(body);
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
    const body = await readJsonBody(req, maxBodyBytes);
    reply(res, 200, await route(body));
  }

  function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    // While closing, answer and hang up so the connection does not linger idle.
    sendJson(res, status, body, closing ? { ...headers, connection: "close" } : headers);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const apiError = err instanceof ApiError
        ? err
        : new ApiError(500, `internal error: ${err instanceof Error ? err.message : String(err)}`, null, null, "server_error");
      // An unread body (404, 405) is discarded so a keep-alive connection stays usable.
      if (!req.readableEnded) req.resume();
      if (!res.headersSent) reply(res, apiError.status, apiError.body(), apiError.headers);
    });
  });

  return {
    listen() {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const { port: actual } = server.address() as AddressInfo;
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
        const grace = setTimeout(() => server.closeAllConnections(), closeGraceMs).unref();
        server.close(() => {
          clearTimeout(grace);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
