// A failed case in words: what was expected and what came back (reward, flags, error.message,
// pass/fail, and a multi's sub-reward table). The default reporter, the JUnit <failure> text and
// describeSuite's assertion errors all say it the same way.

import type { RunResponse } from "../core/response.js";
import type { Bounds, CaseResult, Check } from "./types.js";

/** Numbers as JavaScript prints them: the shortest text that reads back as the same double. */
export function formatNumber(x: number): string {
  return Object.is(x, -0) ? "0" : String(x);
}

/** "0.4 ≤ reward ≤ 0.6", "reward ≥ 0.4"; without a subject (a table column) "0.4 to 0.6", "≥ 0.4". */
export function formatBounds(bounds: Bounds, subject?: string): string {
  const { min, max } = bounds;
  if (min !== undefined && max !== undefined) return subject ? `${formatNumber(min)} ≤ ${subject} ≤ ${formatNumber(max)}` : `${formatNumber(min)} to ${formatNumber(max)}`;
  const bound = min !== undefined ? `≥ ${formatNumber(min)}` : `≤ ${formatNumber(max!)}`;
  return subject ? `${subject} ${bound}` : bound;
}

// Control characters (an ANSI escape in a model's answer, a NUL) are shown as \uXXXX, never sent
// to the terminal as they are; newlines are kept where a text may span lines.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f]/g;
const escapeControl = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** Text for a terminal: control characters made visible; newlines too unless `multiline`. */
export function printable(text: string, multiline = false): string {
  return text.replace(multiline ? CONTROL : CONTROL_OR_NEWLINE, (c) => (c === "\n" ? "\\n" : escapeControl(c)));
}

const flagList = (flags: readonly string[]) => (flags.length ? flags.join(", ") : "none");
const quote = (s: string) => JSON.stringify(s);

/** One line of a case's details; `failed` marks the part that did not hold. */
export interface DetailLine {
  failed: boolean;
  text: string;
}

function expectedReward(c: Check | undefined): string | undefined {
  if (c?.kind === "reward") return `${formatNumber(c.expected)} ± ${formatNumber(c.tolerance)}`;
  if (c?.kind === "reward_range") return formatBounds(c, "reward");
  return undefined;
}

/** The short form of a failed check, for one-line summaries (a JUnit failure's message). */
export function describeCheck(c: Check): string {
  switch (c.kind) {
    case "reward":
    case "reward_range":
      return `reward: expected ${expectedReward(c)}, got ${formatNumber(c.actual)}`;
    case "sub_reward":
      return `sub_rewards.${c.key}: expected ${typeof c.expected === "number" ? `${formatNumber(c.expected)} ± ${formatNumber(c.tolerance)}` : formatBounds(c.expected, c.key)}, got ${c.actual === null ? "no such sub-reward" : formatNumber(c.actual)}`;
    case "errors": {
      const parts: string[] = [];
      if (c.missing.length) parts.push(`not raised: ${c.missing.join(", ")}`);
      if (c.unexpected.length) parts.push(`unexpected: ${c.unexpected.join(", ")}`);
      return `flags: expected ${flagList(c.expected)}, got ${flagList(c.actual)}${parts.length ? ` (${parts.join("; ")})` : ""}`;
    }
    case "error_message":
      return `error.message: expected to include ${quote(c.includes)}, got ${c.actual === null ? "no error" : quote(c.actual)}`;
    case "passed":
      return `passed: expected ${c.expected}, got ${c.actual} (reward ${formatNumber(c.reward)} ${c.actual ? "≥" : "<"} pass threshold ${formatNumber(c.threshold)})`;
  }
}

function subRewardTable(res: RunResponse | undefined, checks: readonly Check[]): DetailLine[] {
  const expected = new Map(checks.flatMap((c) => (c.kind === "sub_reward" ? [[c.key, c] as const] : [])));
  const keys = [...new Set([...Object.keys(res?.sub_rewards ?? {}), ...expected.keys()])];
  if (keys.length === 0) return [];
  const rows = keys.map((key) => {
    const c = expected.get(key);
    const want = !c ? "-" : typeof c.expected === "number" ? `${formatNumber(c.expected)} ± ${formatNumber(c.tolerance)}` : formatBounds(c.expected);
    const got = res && Object.hasOwn(res.sub_rewards, key) ? formatNumber(res.sub_rewards[key]!) : "(none)";
    return { failed: c ? !c.ok : false, cells: [key, want, got] };
  });
  const header = ["key", "expected", "got"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < cells.length - 1 ? cell.padEnd(widths[i]!) : cell)).join("   ");
  return [{ failed: rows.some((r) => r.failed), text: "sub_rewards:" }, { failed: false, text: `  ${line(header)}` }, ...rows.map((r) => ({ failed: r.failed, text: `  ${line(r.cells)}` }))];
}

/** Everything a reader needs about a failed case: each part expected vs got, failing parts marked. */
export function caseDetails(result: CaseResult): DetailLine[] {
  const res = result.response;
  const lines: DetailLine[] = [];
  const find = <K extends Check["kind"]>(kind: K) => result.checks.find((c): c is Extract<Check, { kind: K }> => c.kind === kind);
  const rewardCheck = find("reward") ?? find("reward_range");
  const want = expectedReward(rewardCheck);
  const got = res ? formatNumber(res.reward) : "-";
  lines.push({ failed: rewardCheck ? !rewardCheck.ok : false, text: want ? `reward:  expected ${want}, got ${got}` : `reward:  ${got} (not checked)` });
  const flags = find("errors");
  if (flags) lines.push({ failed: !flags.ok, text: describeCheck(flags).replace(/^flags: /, "flags:   ") });
  const message = find("error_message");
  if (res?.error) {
    const path = res.error.path ? ` (at ${res.error.path})` : "";
    lines.push({ failed: message ? !message.ok : false, text: `error:   ${res.error.flag}${path}: ${printable(res.error.message, true)}` });
  }
  if (message) lines.push({ failed: !message.ok, text: `         expected error.message to include ${quote(message.includes)}` });
  const passed = find("passed");
  if (passed) lines.push({ failed: !passed.ok, text: describeCheck(passed).replace(/^passed: /, "passed:  ") });
  lines.push(...subRewardTable(res, result.checks));
  return lines;
}

/** The details as text, failing parts marked with ✗. */
export function formatCaseDetails(result: CaseResult, indent = ""): string {
  return caseDetails(result)
    .map((l) => `${indent}${l.failed ? "✗" : " "} ${l.text.replace(/\n/g, `\n${indent}           `)}`)
    .join("\n");
}

/** Where a case is written: `FILE:LINE` for JSONL, `FILE#/cases/N` for a suite file. */
export function caseLocation(result: Pick<CaseResult, "where">): string {
  const w = result.where;
  return w.line !== undefined ? `${w.file}:${w.line}` : `${w.file}#${w.pointer}`;
}

/** One line naming what failed: the JUnit failure message. */
export function failureSummary(result: CaseResult): string {
  return result.checks.filter((c) => !c.ok).map(describeCheck).join("; ");
}
