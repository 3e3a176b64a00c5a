// GET /metrics: the reward server's counters in Prometheus' text format, through prom-client (a
// registry per server, so two servers in one process, or tests, do not share counts). Labels have
// bounded values: routes are the server's own names, graders the registered names or "inline",
// flags the 11 error flags.

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ErrorFlag } from "../core/response.js";

export type RouteName = "graders_run" | "graders_validate" | "graders" | "rewards" | "openrlhf" | "healthz" | "metrics" | "unknown";

export interface ServerMetrics {
  readonly contentType: string;
  request(route: RouteName, status: number, seconds: number): void;
  graded(grader: string, rows: number, seconds: number, flags: Partial<Record<ErrorFlag, number>>): void;
  text(): Promise<string>;
}

// From a millisecond (a string_check row) to two minutes (a large METEOR batch under load).
const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export function createServerMetrics(queueRows: () => number, workers: number): ServerMetrics {
  const registry = new Registry();
  // Process metrics (CPU, memory, event loop lag: what shows a grading on the event loop).
  collectDefaultMetrics({ register: registry, prefix: "graderkit_" });
  const requests = new Counter({ name: "graderkit_http_requests_total", help: "HTTP requests answered, by route and status", labelNames: ["route", "status"] as const, registers: [registry] });
  const latency = new Histogram({
    name: "graderkit_http_request_duration_seconds",
    help: "Time from a request's arrival to its answer, by route",
    labelNames: ["route"] as const,
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const rows = new Counter({ name: "graderkit_rows_graded_total", help: "Rows graded, by grader (registered name, or inline)", labelNames: ["grader"] as const, registers: [registry] });
  const grading = new Histogram({
    name: "graderkit_grading_duration_seconds",
    help: "Time to grade a request's rows once accepted (queue wait included), by grader",
    labelNames: ["grader"] as const,
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({ name: "graderkit_row_errors_total", help: "Rows that raised an error flag, by flag", labelNames: ["flag"] as const, registers: [registry] });
  new Gauge({
    name: "graderkit_queue_rows",
    help: "Rows accepted and not answered yet (the --max-queue-rows budget in use)",
    registers: [registry],
    collect() {
      this.set(queueRows());
    },
  });
  new Gauge({ name: "graderkit_workers", help: "Worker threads grading CPU-bound graders", registers: [registry] }).set(workers);
  return {
    contentType: registry.contentType,
    request(route, status, seconds) {
      requests.inc({ route, status: String(status) });
      latency.observe({ route }, seconds);
    },
    graded(grader, n, seconds, flags) {
      rows.inc({ grader }, n);
      grading.observe({ grader }, seconds);
      for (const [flag, count] of Object.entries(flags)) errors.inc({ flag }, count);
    },
    text: () => registry.metrics(),
  };
}
