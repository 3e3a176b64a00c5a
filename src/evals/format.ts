// The readable summary `graderkit eval` prints without --json: counts, each criterion, model
// usage, why items errored, and the agreement with hosted results when re-grading.

import type { Comparison } from "./compare.js";
import type { EvalRunResult } from "./run-eval.js";

/** How many differences the text lists (--json has them all). */
export const MAX_LISTED_DIFFERENCES = 20;

const pct = (n: number, of: number) => (of === 0 ? "-" : `${((100 * n) / of).toFixed(1)}%`);
const int = (n: number) => n.toLocaleString("en-US");
const num = (x: number | null) => (x === null ? "-" : Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6))));

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]!.length))) ?? [];
  return rows.map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")}`.trimEnd());
}

function formatComparison(c: Comparison, nameOf: (resultName: string) => string): string[] {
  const lines = [`agreement with the hosted results (${c.items} items with a hosted status, scores within ${c.score_tolerance}):`];
  const rows = [["item status", `${c.status_agreed}/${c.items} agree`, ""]];
  for (const a of c.criteria) {
    const missing = a.missing_hosted ? `  (${a.missing_hosted} items without a hosted result)` : "";
    rows.push([nameOf(a.testing_criteria), `passed ${a.passed_agreed}/${a.compared} agree`, `score ${a.score_agreed}/${a.compared} agree${missing}`]);
  }
  lines.push(...table(rows));
  if (c.unmatched_hosted_results.length) lines.push(`  hosted results that match no criterion: ${c.unmatched_hosted_results.join(", ")}`);
  const diffs = [
    ...c.status_differences.map((d) => `  ${d.where} (item ${d.datasource_item_id}): status: hosted ${d.hosted}, local ${d.local}`),
    ...c.differences.map(
      (d) => `  ${d.where} (item ${d.datasource_item_id}): ${nameOf(d.testing_criteria)}: hosted passed ${d.hosted.passed} score ${num(d.hosted.score)}, local passed ${d.local.passed} score ${num(d.local.score)}`,
    ),
  ];
  if (diffs.length) {
    lines.push("differences:", ...diffs.slice(0, MAX_LISTED_DIFFERENCES));
    if (diffs.length > MAX_LISTED_DIFFERENCES) lines.push(`  … and ${diffs.length - MAX_LISTED_DIFFERENCES} more (--json lists them all)`);
  } else lines.push("no differences");
  return lines;
}

/** The text summary of a local eval run. */
export function formatEvalRun(result: EvalRunResult, extra: { cache?: { hits: number; misses: number } } = {}): string {
  const run = result.run;
  const counts = run.result_counts;
  const lines = [
    `eval ${result.eval_name ? `"${result.eval_name}" (${run.eval_id})` : run.eval_id}, local run ${run.id}${run.model ? `, samples from ${run.model}` : ""}`,
    `items: ${counts.total}  passed ${counts.passed} (${pct(counts.passed, counts.total)})  failed ${counts.failed}  errored ${counts.errored}`,
  ];
  const counted = new Map(run.per_testing_criteria_results.map((c) => [c.testing_criteria, c]));
  lines.push(
    "criteria:",
    ...table(
      result.criteria.map((c) => {
        const n = counted.get(c.testing_criteria);
        return [c.name, c.type, `passes at ${c.pass_rule}`, `passed ${n?.passed ?? 0}`, `failed ${n?.failed ?? 0}`];
      }),
    ),
  );
  if (run.per_model_usage.length) {
    lines.push(
      "model usage:",
      ...table(
        run.per_model_usage.map((u) => [
          u.model_name,
          `${int(u.invocation_count)} calls`,
          `${int(u.total_tokens)} tokens (${int(u.prompt_tokens)} prompt, ${int(u.completion_tokens)} completion, ${int(u.cached_tokens)} cached)`,
        ]),
      ),
    );
  }
  if (extra.cache) lines.push(`cache: ${extra.cache.hits} hits, ${extra.cache.misses} misses`);
  if (result.errored_items.length) {
    lines.push("errored items:", ...result.errored_items.map((e) => `  ${e.where} (item ${e.datasource_item_id}): ${e.message}`));
    const more = counts.errored - result.errored_items.length;
    if (more > 0) lines.push(`  … and ${more} more (the output items have them all)`);
  }
  if (result.comparison) {
    const names = new Map(result.criteria.map((c) => [c.testing_criteria, c.name]));
    lines.push(...formatComparison(result.comparison, (r) => names.get(r) ?? r));
  }
  return lines.join("\n") + "\n";
}
