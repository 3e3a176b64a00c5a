// Many requests share a few workers. The scheduler runs at most `limit` tasks at once and takes
// the next one round-robin from the jobs that still have some, so a one-row request arriving
// behind a 5,000-row batch waits for one chunk of it, not for all of it.
//
// A job hands out its tasks one at a time (TaskSource), when each is about to start: the chunk
// sizer then sizes every chunk from the latest measurement, not from what was known when the
// request arrived.

/** A job's tasks, made on demand. */
export interface TaskSource<R> {
  hasNext(): boolean;
  next(): () => Promise<R>;
}

interface Job<R> {
  source: TaskSource<R>;
  results: R[];
  issued: number;
  settled: number;
  /** All tasks issued: the job has left the round-robin. */
  complete: boolean;
  failed: boolean;
  resolve(results: R[]): void;
  reject(err: unknown): void;
}

export class FairScheduler<R> {
  private readonly waiting: Array<Job<R>> = [];
  private cursor = 0;
  private running = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`the scheduler's limit must be an integer >= 1, got ${limit}`);
  }

  /** Tasks currently running. */
  get active(): number {
    return this.running;
  }

  /** Run one job's tasks; resolves with their results in order, rejects with the first failure (its other tasks are not started). */
  submit(source: TaskSource<R>): Promise<R[]> {
    if (!source.hasNext()) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.waiting.push({ source, results: [], issued: 0, settled: 0, complete: false, failed: false, resolve, reject });
      this.pump();
    });
  }

  private leave(job: Job<R>): void {
    const at = this.waiting.indexOf(job);
    if (at < 0) return;
    this.waiting.splice(at, 1);
    if (at < this.cursor) this.cursor--;
  }

  private fail(job: Job<R>, err: unknown): void {
    if (job.failed) return;
    job.failed = true;
    this.leave(job);
    job.reject(err);
  }

  private pump(): void {
    while (this.running < this.limit && this.waiting.length > 0) {
      if (this.cursor >= this.waiting.length) this.cursor = 0;
      const job = this.waiting[this.cursor]!;
      const i = job.issued++;
      let started: Promise<R>;
      try {
        started = job.source.next()();
      } catch (err) {
        started = Promise.reject(err);
      }
      if (job.source.hasNext()) this.cursor++;
      else {
        job.complete = true;
        this.leave(job);
      }
      this.running++;
      started
        .then(
          (r) => {
            job.results[i] = r;
            if (++job.settled === job.issued && job.complete && !job.failed) job.resolve(job.results);
          },
          (err: unknown) => this.fail(job, err),
        )
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }
}
