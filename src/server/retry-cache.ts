// Answers kept for a retry. Grading is deterministic (the same grader and rows give the same
// rewards), so a request that timed out (504) or whose client went away keeps grading, and its
// answer is kept here under the SHA-256 of its route and body: the trainer's retry of the same
// request gets it at once, or waits for the grading already under way instead of starting over.
// Only such requests are kept, so the normal path costs no hashing; bounded by count and bytes.

import { createHash } from "node:crypto";
import { Lru } from "./lru.js";

export class RetryCache {
  private readonly answers: Lru<string, Promise<Buffer>>;

  constructor(maxEntries = 256, maxBytes = 256 * 1024 * 1024) {
    this.answers = new Lru(maxEntries, maxBytes);
  }

  get size(): number {
    return this.answers.size;
  }

  static key(route: string, body: Uint8Array): string {
    return createHash("sha256").update(route).update("\n").update(body).digest("hex");
  }

  /** Keep the answer a request will get (its body's size until it is ready, then the answer's). */
  keep(key: string, answer: Promise<Buffer>, bodyBytes: number): void {
    this.answers.set(key, answer, bodyBytes);
    answer.then(
      (buf) => {
        if (this.answers.get(key) === answer) this.answers.set(key, answer, buf.length);
      },
      // A failed grading is not an answer to keep.
      () => this.answers.delete(key),
    );
  }

  get(key: string): Promise<Buffer> | undefined {
    return this.answers.get(key);
  }
}
