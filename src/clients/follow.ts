// Follow a job until it ends: poll the job and its events with backoff, hand each new event over
// oldest first (the API lists them newest first), stop at succeeded, failed or cancelled.

import type { FineTuningJob, FineTuningJobEvent, FineTuningJobStatus } from "../schema/fine-tuning-types.js";
import type { FineTuningClient } from "./fine-tuning.js";

export const TERMINAL_STATUSES: readonly FineTuningJobStatus[] = ["succeeded", "failed", "cancelled"];

export function isTerminal(status: string): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

export interface FollowOptions {
  onEvent?: (event: FineTuningJobEvent) => void;
  /** Each time the job is polled (its status may have changed). */
  onJob?: (job: FineTuningJob) => void;
  /** The first wait between polls, and after any poll that brought something new (default 2 s). */
  minIntervalMs?: number;
  /** The longest wait: quiet polls multiply the wait by 1.5 up to this (default 30 s). */
  maxIntervalMs?: number;
  signal?: AbortSignal;
}

export const FOLLOW_DEFAULTS = { minIntervalMs: 2_000, maxIntervalMs: 30_000, backoff: 1.5 } as const;

/** The next wait: back to the minimum when something happened, else longer, up to the maximum. */
export function nextInterval(current: number, changed: boolean, min: number, max: number): number {
  return changed ? min : Math.min(max, Math.max(min, current * FOLLOW_DEFAULTS.backoff));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The events not seen yet, oldest first. Pages are read newest first until one holds an event
 * already seen (or the list ends), so a poll costs one page once the history is known.
 */
export async function newEvents(client: FineTuningClient, id: string, seen: Set<string>): Promise<FineTuningJobEvent[]> {
  const fresh: FineTuningJobEvent[] = [];
  for await (const page of client.jobs.events.list(id, { limit: 100 }).pages()) {
    let reachedSeen = false;
    for (const event of page.data) {
      if (seen.has(event.id)) reachedSeen = true;
      else fresh.push(event);
    }
    if (reachedSeen) break;
  }
  for (const e of fresh) seen.add(e.id);
  // Newest first from the API; a stable sort by time also orders a server that lists oldest first.
  return fresh.reverse().sort((a, b) => a.created_at - b.created_at);
}

/** Poll until the job ends; returns the final job. Events are handed over oldest first. */
export async function followJob(client: FineTuningClient, id: string, options: FollowOptions = {}): Promise<FineTuningJob> {
  const min = options.minIntervalMs ?? FOLLOW_DEFAULTS.minIntervalMs;
  const max = options.maxIntervalMs ?? FOLLOW_DEFAULTS.maxIntervalMs;
  const seen = new Set<string>();
  let interval = min;
  let lastStatus: string | undefined;
  for (;;) {
    const job = await client.jobs.retrieve(id);
    const events = await newEvents(client, id, seen);
    for (const e of events) options.onEvent?.(e);
    options.onJob?.(job);
    if (isTerminal(job.status)) return job;
    interval = nextInterval(interval, events.length > 0 || job.status !== lastStatus, min, max);
    lastStatus = job.status;
    await sleep(interval, options.signal);
  }
}
