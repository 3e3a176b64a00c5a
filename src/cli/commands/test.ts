import { writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { colorWanted } from "../../config/env.js";
import { formatSuiteProblem } from "../../testing/load-suite.js";
import { formatSuiteText, formatTotalsText, totalCounts } from "../../testing/reporters/default.js";
import { testReport } from "../../testing/reporters/json.js";
import { junitXml } from "../../testing/reporters/junit.js";
import { DEFAULT_CASE_CONCURRENCY, matchesFilter, runSuite } from "../../testing/run-suite.js";
import { loadSources, missingExecutors, suiteSources } from "../../testing/sources.js";
import type { SuiteResult } from "../../testing/types.js";
import { defineCommand, EXIT, UsageError } from "../command.js";
import { buildExecutors, EXECUTOR_OPTIONS, withFlagHints } from "../executor-options.js";
import { COMMAND_SUMMARIES } from "../summaries.js";

export const testCommand = defineCommand({
  name: "test",
  summary: COMMAND_SUMMARIES.test,
  positionals: { names: "SUITE.json... | GRADER.json CASES.jsonl", min: 1, max: Infinity },
  usage: "SUITE.json... | GRADER.json CASES.jsonl [options]",
  description: `A suite file: {"grader": "grader.json" (relative to the suite) | {...}, "cases": [...]}. A cases
file (.jsonl) holds one case per line and follows the grader it tests. A case:
{"name"?, "item"?, "sample"? | "model_sample"?, "expect": {"reward"?, "tolerance"?, "reward_min"?,
"reward_max"?, "sub_rewards"?, "errors"?, "error_message_includes"?, "passed"?}}.
A case without "errors" expects no flag; a listed flag must be set and every other one unset.`,
  options: [
    { name: "filter", short: "t", type: "string", arg: "TEXT", description: "Run only the cases whose name contains TEXT" },
    { name: "reporter", type: "choice", arg: "NAME", choices: ["default", "json", "junit"], default: "default", description: "What to print on stdout" },
    { name: "junit", type: "string", arg: "FILE", description: "Also write a JUnit XML report to FILE" },
    { name: "pass-threshold", type: "number", arg: "T", shownDefault: "the suite's, else the grader's pass_threshold", description: "What 'passed' is checked against: reward >= T" },
    { name: "concurrency", type: "integer", arg: "N", min: 1, default: DEFAULT_CASE_CONCURRENCY, description: "Cases graded at once" },
    ...EXECUTOR_OPTIONS,
  ],
  exitStatus: "0 every case passed, 1 a case failed, 2 an invalid or unreadable suite, grader or cases file, a --filter that matches no case, a model grader without an endpoint, or a usage error.",
  async run({ values, positionals }, io) {
    let sources;
    try {
      sources = suiteSources(positionals);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { suites, problems } = loadSources(sources, { passThreshold: values["pass-threshold"] });
    if (problems.length) {
      for (const p of problems) io.stderr(formatSuiteProblem(p) + "\n");
      return EXIT.usage;
    }
    const filter = values.filter;
    if (filter !== undefined && !suites.some((s) => s.cases.some((c) => matchesFilter(c, filter)))) {
      throw new UsageError(`--filter '${filter}' matches no case`);
    }
    const started = performance.now();
    const setup = await buildExecutors(values, io);
    const results: SuiteResult[] = [];
    try {
      const missing = [...new Set(suites.flatMap((s) => missingExecutors(s.grader, setup.executors).map((m) => `${s.graderFile ?? s.file}: ${m}`)))];
      if (missing.length) throw new UsageError(withFlagHints(missing.join("\n")));
      const color = colorWanted(io.env, io.stdoutIsTTY);
      for (const suite of suites) {
        const result = await runSuite(suite, { executors: setup.executors, filter, concurrency: values.concurrency });
        results.push(result);
        // Suites print as they finish, so a long run shows progress.
        if (values.reporter === "default") io.stdout(formatSuiteText(result, { color }) + "\n");
      }
      const extra = { durationS: (performance.now() - started) / 1000, cache: setup.cacheStats() };
      if (values.reporter === "default") io.stdout(formatTotalsText(results, extra, { color }));
      else if (values.reporter === "json") io.stdout(JSON.stringify(testReport(results, extra), null, 2) + "\n");
      else io.stdout(junitXml(results, { durationS: extra.durationS, hostname: hostname() }));
      if (values.junit) {
        try {
          writeFileSync(values.junit, junitXml(results, { durationS: extra.durationS, hostname: hostname() }));
        } catch (err) {
          throw new UsageError(`${values.junit}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
        }
      }
    } finally {
      await setup.close();
    }
    return totalCounts(results).failed > 0 ? EXIT.failed : EXIT.ok;
  },
});
