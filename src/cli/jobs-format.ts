// How `graderkit jobs` shows the API's objects to a person: aligned tables, a job as key: value
// lines, an event per line, and the live progress line that metrics events drive on a terminal.

import type { FineTuningJob, FineTuningJobCheckpoint, FineTuningJobEvent, FineTuningMetrics } from "../schema/fine-tuning-types.js";

/** Unix seconds as `2025-06-01 12:00:00Z`. */
export function formatTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "-";
  return new Date(seconds * 1000).toISOString().replace("T", " ").slice(0, 19) + "Z";
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

const num = (x: unknown, digits = 4) => (typeof x === "number" ? (Number.isInteger(x) ? String(x) : x.toFixed(digits)) : "-");

export function jobsTable(jobs: readonly FineTuningJob[]): string {
  return table(
    ["ID", "STATUS", "METHOD", "MODEL", "CREATED", "FINE-TUNED MODEL"],
    jobs.map((j) => [j.id, j.status, j.method?.type ?? "-", j.model, formatTime(j.created_at), j.fine_tuned_model ?? "-"]),
  );
}

export function checkpointsTable(checkpoints: readonly FineTuningJobCheckpoint[]): string {
  return table(
    ["ID", "STEP", "TRAIN LOSS", "VALID LOSS", "CREATED", "CHECKPOINT MODEL"],
    checkpoints.map((c) => [c.id, String(c.step_number), num(c.metrics.train_loss), num(c.metrics.valid_loss), formatTime(c.created_at), c.fine_tuned_model_checkpoint]),
  );
}

/** The job's error as one line: `code: message (param: training_file)`. */
export function formatJobError(job: FineTuningJob): string | undefined {
  if (!job.error) return undefined;
  return `${job.error.code}: ${job.error.message}${job.error.param ? ` (param: ${job.error.param})` : ""}`;
}

export function jobDetails(job: FineTuningJob): string {
  const hp = job.method?.[job.method.type]?.hyperparameters ?? job.hyperparameters;
  const rows: Array<[string, string | undefined]> = [
    ["id", job.id],
    ["status", job.status],
    ["method", job.method?.type],
    ["model", job.model],
    ["fine-tuned model", job.fine_tuned_model ?? undefined],
    ["training file", job.training_file],
    ["validation file", job.validation_file ?? undefined],
    ["hyperparameters", hp && Object.keys(hp).length ? Object.entries(hp).map(([k, v]) => `${k}=${v}`).join(" ") : undefined],
    ["seed", job.seed === undefined || job.seed === null ? undefined : String(job.seed)],
    ["metadata", job.metadata && Object.keys(job.metadata).length ? Object.entries(job.metadata).map(([k, v]) => `${k}=${v}`).join(" ") : undefined],
    ["created", formatTime(job.created_at)],
    ["finished", job.finished_at ? formatTime(job.finished_at) : undefined],
    ["estimated finish", job.estimated_finish ? formatTime(job.estimated_finish) : undefined],
    ["trained tokens", job.trained_tokens === null || job.trained_tokens === undefined ? undefined : String(job.trained_tokens)],
    ["error", formatJobError(job)],
  ];
  const shown = rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== "");
  const width = Math.max(...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${(k + ":").padEnd(width + 1)}  ${v}`).join("\n") + "\n";
}

export function eventLine(e: FineTuningJobEvent): string {
  return `${formatTime(e.created_at)}  ${e.level.padEnd(5)}  ${e.message}`;
}

/** `step 12/100  train loss 0.5321  valid loss 0.6110` (and rewards for reinforcement jobs). */
export function progressLine(data: FineTuningMetrics): string {
  const parts = [`step ${data.step ?? "?"}${data.total_steps ? `/${data.total_steps}` : ""}`];
  if (typeof data.total_steps === "number" && typeof data.step === "number" && data.total_steps > 0) {
    parts[0] += ` (${Math.round((100 * data.step) / data.total_steps)}%)`;
  }
  const metric = (label: string, value: unknown) => {
    if (typeof value === "number") parts.push(`${label} ${num(value)}`);
  };
  metric("train loss", data.train_loss);
  metric("valid loss", data.valid_loss ?? data.full_valid_loss);
  metric("train reward", data.train_reward_mean);
  metric("valid reward", data.valid_reward_mean);
  return parts.join("  ");
}

export function isMetricsEvent(e: FineTuningJobEvent): e is FineTuningJobEvent & { data: FineTuningMetrics } {
  return e.type === "metrics" && typeof e.data === "object" && e.data !== null;
}
