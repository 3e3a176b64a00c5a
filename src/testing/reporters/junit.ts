// JUnit XML for CI test reports (Jenkins' JUnit plugin, GitLab's unit test reports, GitHub
// actions that read JUnit): one <testsuite> per suite file, one <testcase> per case, a
// <failure> with what was expected and what came back, <skipped/> for filtered cases. The
// attributes are the common subset those parsers read (vitest's JUnit reporter writes the same).

import { failureSummary, formatCaseDetails, formatNumber } from "../describe-result.js";
import type { CaseResult, SuiteResult } from "../types.js";
import { totalCounts } from "./default.js";

// XML 1.0 allows tab, newline, carriage return and U+0020 upwards except lone surrogates,
// U+FFFE and U+FFFF. Anything else (an ANSI escape in a model's answer, a NUL) is written as
// visible text: dropping it would hide it, keeping it would make the file unparsable.
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const visible = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** Character data: markup characters escaped, characters XML cannot hold made visible. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, visible).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** An attribute value (in double quotes): as text, plus quotes, and whitespace kept as character references (parsers normalise literal newlines and tabs in attributes to spaces). */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}

function attributes(attrs: Record<string, string | number | undefined>): string {
  return Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttribute(typeof v === "number" ? String(v) : v!)}"`)
    .join("");
}

const seconds = (s: number) => s.toFixed(3);

function testcase(r: CaseResult, classname: string): string {
  const open = `    <testcase${attributes({ name: r.name, classname, file: r.where.file, line: r.where.line, time: seconds(r.durationS) })}`;
  if (r.status === "passed") return `${open}/>`;
  if (r.status === "skipped") return `${open}>\n      <skipped message="filtered out"/>\n    </testcase>`;
  const response = r.response ? `\n      <system-out>${xmlText(JSON.stringify(r.response, null, 2))}</system-out>` : "";
  return `${open}>\n      <failure${attributes({ message: failureSummary(r), type: "AssertionError" })}>${xmlText(formatCaseDetails(r))}</failure>${response}\n    </testcase>`;
}

export interface JunitOptions {
  durationS: number;
  /** ISO 8601 local time without a zone, as the Ant JUnit schema has it; default now. */
  timestamp?: string;
  hostname?: string;
}

function testsuite(r: SuiteResult, options: JunitOptions): string {
  const { suite, counts } = r;
  const properties = [
    ["grader", suite.grader.name],
    ["grader_type", suite.grader.type],
    ...(suite.graderFile ? [["grader_file", suite.graderFile]] : []),
    ...(suite.passThreshold !== null ? [["pass_threshold", formatNumber(suite.passThreshold)]] : []),
  ];
  const head = `  <testsuite${attributes({
    name: suite.name,
    tests: counts.total,
    failures: counts.failed,
    errors: 0,
    skipped: counts.skipped,
    time: seconds(r.durationS),
    timestamp: options.timestamp ?? new Date().toISOString().slice(0, 19),
    hostname: options.hostname,
    file: suite.file,
  })}>`;
  const props = `    <properties>\n${properties.map(([name, value]) => `      <property${attributes({ name, value })}/>`).join("\n")}\n    </properties>`;
  return [head, props, ...r.cases.map((c) => testcase(c, suite.name)), "  </testsuite>"].join("\n");
}

/** The JUnit XML document of a `graderkit test` run. */
export function junitXml(results: readonly SuiteResult[], options: JunitOptions): string {
  const totals = totalCounts(results);
  const root = `<testsuites${attributes({ name: "graderkit test", tests: totals.total, failures: totals.failed, errors: 0, skipped: totals.skipped, time: seconds(options.durationS) })}>`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', root, ...results.map((r) => testsuite(r, options)), "</testsuites>"].join("\n") + "\n";
}
