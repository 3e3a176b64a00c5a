// The reward server's bounded queue, counted in rows: a request's rows are taken from the budget
// when it is accepted and given back when its answer is ready. A request that does not fit gets a
// 429 with a Retry-After from the recent grading rate (how long the rows ahead of it take), so
// thousands of simultaneous trainer requests cost a quick refusal each, not memory and time-outs.

export type Admission = { ok: true } | { ok: false; status: 429 | 413; retryAfterSeconds?: number; message: string };

/** Seconds until `queuedRows` are graded at `rowsPerSecond`, rounded up to whole seconds in [1, 60]. */
export function retryAfterSeconds(queuedRows: number, rowsPerSecond: number): number {
  if (!(rowsPerSecond > 0)) return 1;
  return Math.min(60, Math.max(1, Math.ceil(queuedRows / rowsPerSecond)));
}

export class RowBudget {
  private queued = 0;
  /** Rows graded per second, smoothed over the last few seconds (for Retry-After). */
  private rate = 0;
  private windowStart = performance.now();
  private windowRows = 0;

  constructor(readonly maxRows: number) {
    if (!Number.isInteger(maxRows) || maxRows < 1) throw new RangeError(`maxQueueRows must be an integer >= 1, got ${maxRows}`);
  }

  /** Rows accepted and not answered yet. */
  get rows(): number {
    return this.queued;
  }

  /** Take `n` rows from the budget, or say why not. */
  admit(n: number): Admission {
    if (n > this.maxRows) {
      return { ok: false, status: 413, message: `the request has ${n} rows; this server takes at most ${this.maxRows} at once (--max-queue-rows): send smaller batches` };
    }
    if (this.queued + n > this.maxRows) {
      const wait = retryAfterSeconds(this.queued, this.rate);
      return { ok: false, status: 429, retryAfterSeconds: wait, message: `the server is busy: ${this.queued} rows are queued and the limit is ${this.maxRows} (--max-queue-rows); retry after ${wait} s` };
    }
    this.queued += n;
    return { ok: true };
  }

  /** Give back the rows of an answered request (graded: they count towards the rate). */
  release(n: number, graded = true): void {
    this.queued -= n;
    if (!graded) return;
    this.windowRows += n;
    const now = performance.now();
    const elapsed = (now - this.windowStart) / 1000;
    // A new estimate every second or so, half of it from the past: smooth, yet quick to follow.
    if (elapsed >= 1) {
      const current = this.windowRows / elapsed;
      this.rate = this.rate === 0 ? current : (this.rate + current) / 2;
      this.windowStart = now;
      this.windowRows = 0;
    }
  }
}
