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
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

function tooLarge(limit: number): ApiError {
  // The rest of the body is not read: close the connection rather than drain it.
  return new ApiError(413, `the request body exceeds ${limit} bytes`, null, "request_too_large", "invalid_request_error", { connection: "close" });
}

/** The request body parsed as JSON; rejects with a 400 (not JSON) or 413 (over `limit` bytes). */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
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
    const onEnd = () => {
      const text = Buffer.concat(chunks).toString("utf8");
      try {
        resolve(JSON.parse(text));
      } catch (err) {
        reject(new ApiError(400, `the request body is not valid JSON: ${(err as Error).message}`, null, "invalid_json"));
      }
    };
    req.on("data", onData).on("end", onEnd).on("error", reject);
  });
}
