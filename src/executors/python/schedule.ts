// The python pool's scheduling policy, as pure functions of the queue and worker states: which
// calls go to which worker, when to start or evict a worker, when a call is overdue or timed out.
// No processes, timers or I/O here (the pool in executor.ts applies the decisions), so every rule
// is unit-tested on plain data (test/executors/python-schedule.test.ts).
//
// The rules:
// - A worker runs one grader source for its whole life (state a grader leaves in its interpreter
//   never reaches another grader), so calls are queued per source.
// - At most `workers` workers run calls that are not overdue: the CPU budget. Idle workers cost
//   only memory and are kept for reuse up to `maxProcesses` in all, the longest idle evicted first
//   when a source without a worker needs one.
// - A call running longer than a few times its source's usual cost is overdue: its worker leaves
//   the CPU budget (a replacement may start, up to `maxProcesses`) and the calls batched behind it
//   go back to the queue. So a hung call holds others up for that bounded wait, not its timeout.
// - Calls of a source known to be fast are sent several per message, within a time budget.

export interface PoolLimits {
  /** Workers running calls that are not overdue (the CPU budget). */
  workers: number;
  /** Worker processes in all: overdue and idle ones included. */
  maxProcesses: number;
  /** Expected duration of the calls one message carries: small enough to keep latency low. */
  batchBudgetMs: number;
  maxBatch: number;
  /** Bounds of the overdue threshold; the timeout caps it too. */
  overdueMinMs: number;
  overdueMaxMs: number;
  /** Threshold for a source whose cost is not known yet (its first calls). */
  overdueUnknownMs: number;
  /** The threshold is this many times the source's usual cost. */
  overdueFactor: number;
  timeoutMs: number;
}

export function defaultLimits(workers: number, timeoutMs: number): PoolLimits {
  return {
    workers,
    maxProcesses: workers + Math.max(4, 2 * workers),
    batchBudgetMs: 20,
    maxBatch: 32,
    overdueMinMs: 250,
    overdueMaxMs: 10_000,
    overdueUnknownMs: 1_000,
    overdueFactor: 8,
    timeoutMs,
  };
}

export interface WorkerView {
  id: number;
  source: string;
  /** Calls sent and not answered yet. */
  outstanding: number;
  /** Its head call has run past its overdue threshold. */
  overdue: boolean;
  /** Clock reading when it last became idle (meaningful when outstanding is 0). */
  idleSince: number;
}

export interface QueueView {
  source: string;
  waiting: number;
  /** Arrival number of its oldest waiting call: sources are served oldest first. */
  oldest: number;
}

export type Decision =
  | { kind: "send"; worker: number; count: number }
  | { kind: "spawn"; source: string; count: number }
  | { kind: "evict"; worker: number };

/** Smoothed cost of one call of a source, in ms (an exponential moving average). */
export function updateCost(previous: number | undefined, elapsedMs: number): number {
  return previous === undefined ? elapsedMs : previous * 0.8 + elapsedMs * 0.2;
}

/** How many calls of one source the next message carries. */
export function batchSize(costMs: number | undefined, waiting: number, limits: PoolLimits): number {
  // An unknown source runs one call at a time until we know it is fast.
  if (costMs === undefined) return 1;
  const fit = Math.floor(limits.batchBudgetMs / Math.max(costMs, 0.01));
  // A fair share: leave calls for the other workers the budget allows.
  const share = Math.ceil(waiting / limits.workers);
  return Math.max(1, Math.min(fit, limits.maxBatch, share, waiting));
}

/** After how long a running call is overdue: a few times its source's usual cost, bounded. */
export function overdueAfterMs(costMs: number | undefined, limits: PoolLimits): number {
  const raw = costMs === undefined ? limits.overdueUnknownMs : costMs * limits.overdueFactor;
  return Math.min(limits.timeoutMs, limits.overdueMaxMs, Math.max(limits.overdueMinMs, raw));
}

/** Deadlines of the call a worker is running, which started at `startedAt`. */
export function headDeadlines(startedAt: number, costMs: number | undefined, limits: PoolLimits): { overdueAt: number; timeoutAt: number } {
  return { overdueAt: startedAt + overdueAfterMs(costMs, limits), timeoutAt: startedAt + limits.timeoutMs };
}

/**
 * What to do now: send waiting calls to idle workers of their source, start workers for sources
 * that have none free while the CPU budget allows, evicting the longest-idle worker of another
 * source when the process cap is reached. Decisions are in the order they must be applied.
 */
export function plan(
  queues: readonly QueueView[],
  workers: readonly WorkerView[],
  cost: (source: string) => number | undefined,
  limits: PoolLimits,
): Decision[] {
  const decisions: Decision[] = [];
  let running = workers.filter((w) => w.outstanding > 0 && !w.overdue).length;
  let processes = workers.length;
  const idle = workers.filter((w) => w.outstanding === 0).sort((a, b) => a.idleSince - b.idleSince || a.id - b.id);
  const evicted = new Set<number>();
  const waitingBySource = new Map(queues.map((q) => [q.source, q.waiting]));

  for (const q of [...queues].sort((a, b) => a.oldest - b.oldest)) {
    let waiting = q.waiting;
    const c = cost(q.source);
    for (const w of idle) {
      if (waiting === 0 || running >= limits.workers) break;
      if (w.source !== q.source || evicted.has(w.id) || w.outstanding !== 0) continue;
      const count = batchSize(c, waiting, limits);
      decisions.push({ kind: "send", worker: w.id, count });
      evicted.add(w.id); // taken: not idle any more
      waiting -= count;
      running++;
    }
    while (waiting > 0 && running < limits.workers) {
      if (processes >= limits.maxProcesses) {
        // Reuse a process slot: the longest-idle worker of a source with nothing waiting.
        const victim = idle.find((w) => !evicted.has(w.id) && (waitingBySource.get(w.source) ?? 0) === 0);
        if (!victim) break;
        evicted.add(victim.id);
        decisions.push({ kind: "evict", worker: victim.id });
        processes--;
      }
      const count = batchSize(c, waiting, limits);
      decisions.push({ kind: "spawn", source: q.source, count });
      processes++;
      running++;
      waiting -= count;
    }
    waitingBySource.set(q.source, waiting);
  }
  return decisions;
}

/** Idle workers to stop because they have been idle for `idleMs` (oldest first). */
export function expiredIdle(workers: readonly WorkerView[], now: number, idleMs: number): number[] {
  return workers.filter((w) => w.outstanding === 0 && now - w.idleSince >= idleMs).map((w) => w.id);
}
