// A run summary as GitHub-flavoured Markdown, for $GITHUB_STEP_SUMMARY (or any Markdown page):
// rows, the reward's mean and percentiles, the pass rate, error counts by flag with the first
// message of each, and the gates.

import type { ErrorFlag } from "../core/response.js";
import type { RunSummary } from "../engine/summary.js";
import { formatMeasure, type GateResult } from "./gates.js";

const MESSAGE_LIMIT = 300;

/**
 * Text inside a table cell: one line, no HTML (GitHub renders tags in Markdown), Markdown
 * punctuation escaped so a message renders as written, `|` not ending the cell.
 */
export function markdownCell(text: string, limit = MESSAGE_LIMIT): string {
  let t = text.replace(/\s+/g, " ").trim();
  if (t.length > limit) t = `${t.slice(0, limit - 1)}…`;
  return t
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|#~])/g, "\\$1");
}

/** A code span that survives any content: fenced with more backticks than it contains. */
function code(text: string): string {
  const t = text.replace(/\s+/g, " ").replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${longest ? ` ${t} ` : t}${fence}`;
}

const num = (x: number | null) => (x === null ? "–" : formatMeasure(x));
const percent = (x: number) => `${formatMeasure(x * 100)}%`;

export interface MarkdownSummaryOptions {
  /** The grader and input files, for the heading. */
  grader?: string;
  input?: string;
  gates?: readonly GateResult[];
}

function table(header: string[], align: string[], rows: string[][]): string[] {
  return [`| ${header.join(" | ")} |`, `|${align.join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
}

export function runSummaryMarkdown(s: RunSummary, options: MarkdownSummaryOptions = {}): string {
  const gates = options.gates ?? [];
  const failed = gates.filter((g) => !g.passed).length;
  const verdict = gates.length ? (failed ? ` — ❌ ${failed} of ${gates.length} ${gates.length === 1 ? "gate" : "gates"} failed` : " — ✅ gates passed") : "";
  const on = options.grader ? ` ${code(options.grader)}${options.input ? ` on ${code(options.input)}` : ""}` : "";
  const lines = [`### graderkit run${on}${verdict}`, ""];

  const passRate = s.pass_rate === null ? "–" : `${percent(s.pass_rate)} (reward ≥ ${formatMeasure(s.pass_threshold!)})`;
  const r = s.reward;
  lines.push(
    ...table(
      ["rows", "mean", "min", "p50", "p90", "p99", "max", "pass rate", "rows with errors"],
      ["---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"],
      [[String(s.rows), num(r.mean), num(r.min), num(r.p50), num(r.p90), num(r.p99), num(r.max), passRate, `${s.error_rows}${s.rows ? ` (${percent(s.error_rows / s.rows)})` : ""}`]],
    ),
  );
  if (!s.percentiles_exact) lines.push("", `Percentiles from a uniform sample of the rewards (exact up to 65,536 rows).`);

  const flags = Object.entries(s.errors) as Array<[ErrorFlag, number]>;
  if (flags.length) {
    lines.push("", "#### Errors", "");
    lines.push(
      ...table(
        ["flag", "rows", "first message"],
        ["---", "---:", "---"],
        flags.map(([flag, n]) => {
          const first = s.first_errors?.[flag];
          return [code(flag), String(n), first ? `line ${first.line}: ${markdownCell(first.message)}` : "–"];
        }),
      ),
    );
  }

  if (gates.length) {
    lines.push("", "#### Gates", "");
    lines.push(
      ...table(
        ["gate", "threshold", "actual", "result"],
        ["---", "---:", "---:", "---"],
        gates.map((g) => {
          const rate = g.gate !== "fail_under";
          const show = (x: number) => (rate ? percent(x) : formatMeasure(x));
          return [code(g.flag), show(g.threshold), g.actual === null ? "–" : show(g.actual), `${g.passed ? "✅ passed" : "❌ failed"}: ${markdownCell(g.message)}`];
        }),
      ),
    );
  }
  return lines.join("\n") + "\n";
}
