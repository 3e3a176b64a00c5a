// JSON over node:http for the graders API: read a size-limited JSON body, and answer in
// OpenAI's error shape `{"error": {message, type, param, code}}` so the official clients turn
// our errors into their typed exceptions (BadRequestError, NotFoundError, ...).

import type { IncomingMessage, ServerResponse } from "node:http";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** A JSON pointer into the request body, e.g. "/grader/operation"; null when no field is at fault. */
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly type: string = "invalid_request_error",
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  body() {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendText(res, status, Buffer.isBuffer(body) ? body : JSON.stringify(body), "application/json", headers);
}

/** Send a body that is already text (or its bytes). */
export function sendText(res: ServerResponse, status: number, text: string | Buffer, contentType: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, "content-type": contentType, "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

function tooLarge(limit: number): ApiError {
  // The connection is closed after the answer: the rest of the body is not worth keeping it for.
  return new ApiError(413, `the request body exceeds ${limit} bytes`, null, "request_too_large", "invalid_request_error", { connection: "close" });
}

/**
 * Read and throw away what is left of a request body, up to `maxBytes` (then give up). A client
 * still uploading when the answer comes and the socket closes sees a connection reset instead of
 * the answer; draining first lets it read the 413.
 */
export function discardBody(req: IncomingMessage, maxBytes: number, timeoutMs = 5_000): Promise<void> {
  if (req.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      req.off("data", onData).off("end", done).off("error", done).off("close", done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) done();
    };
    const timer = setTimeout(done, timeoutMs);
    req.on("data", onData).on("end", done).on("error", done).on("close", done);
    req.resume();
  });
}

/** The request body's bytes; rejects with a 413 when it is over `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // A declared length over the limit is refused before a byte is read.
    if (Number(req.headers["content-length"]) > limit) {
      reject(tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData).off("end", onEnd);
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    req.on("data", onData).on("end", onEnd).on("error", reject);
  });
}

/** Body bytes parsed as JSON; a 400 when they are not JSON. */
export function parseJsonBody(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    throw new ApiError(400, `the request body is not valid JSON: ${(err as Error).message}`, null, "invalid_json");
  }
}

/** The request body parsed as JSON; rejects with a 400 (not JSON) or 413 (over `limit` bytes). */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  return parseJsonBody(await readBody(req, limit));
}
