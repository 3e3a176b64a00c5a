import { checkPythonSyntax } from "../../executors/python/syntax.js";
import type { Problem } from "../../schema/ajv.js";
import { checkGraderFile, checkGraderText, type GraderFileResult } from "../../schema/load.js";
import type { Target } from "../../schema/types.js";
import { defineCommand, EXIT, type Io } from "../command.js";
import { formatProblem, unreadable } from "../load.js";
import { COMMAND_SUMMARIES } from "../summaries.js";

const STDIN = "-";

type Checked = GraderFileResult | { file: string; readError: string; code: string };

async function readStdin(io: Io): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** The /validate error body of an invalid grader: its first problem. */
function errorBody(first: Problem) {
  return { message: first.message, type: "invalid_request_error", param: first.pointer || "/", code: first.code };
}

export const validateCommand = defineCommand({
  name: "validate",
  summary: COMMAND_SUMMARIES.validate,
  positionals: { names: "FILE...", min: 1, max: Infinity },
  description: `FILE '-' reads a grader from stdin. Python sources are compiled (not run) by the interpreter that
would run them; without one, a warning says they were not.
Text output: one line per problem, FILE: /json/pointer: message (FILE:LINE:COLUMN: for JSON syntax).
--json: for one file, the /validate response ({"grader"} or {"error"}); for several, an array of
{"file", "grader" | "error", "problems", "warnings"}.`,
  options: [
    { name: "target", type: "choice", arg: "T", choices: ["local", "rft", "evals"], default: "local", description: "Where the grader will run" },
    { name: "json", type: "boolean", description: "Print JSON (see above)" },
    { name: "python", type: "string", arg: "PATH", default: "python3", description: "Interpreter that compiles python graders' sources" },
  ],
  exitStatus: "0 every file is valid, 1 any is invalid, 2 a file cannot be read (the others are still checked) or a usage error.",
  async run({ values, positionals }, io) {
    const target = values.target as Target;
    const results: Checked[] = [];
    for (const file of positionals) {
      let result: GraderFileResult;
      try {
        result = file === STDIN ? checkGraderText(await readStdin(io), "stdin", { target }) : checkGraderFile(file, { target });
      } catch (err) {
        results.push({ file, readError: unreadable(file, err).message, code: (err as NodeJS.ErrnoException).code ?? "EIO" });
        continue;
      }
      if (result.ok && result.grader) {
        const syntax = await checkPythonSyntax(result.grader, values.python);
        if (syntax.warning) result.warnings.push(syntax.warning);
        if (syntax.problems.length) Object.assign(result, { ok: false, problems: [...result.problems, ...syntax.problems] });
      }
      results.push(result);
    }
    if (values.json) {
      if (results.length === 1 && !("readError" in results[0]!)) {
        const r = results[0] as GraderFileResult;
        io.stdout(JSON.stringify(r.ok ? { grader: r.grader } : { error: errorBody(r.problems[0]!) }) + "\n");
      } else {
        const entries = results.map((r) =>
          "readError" in r
            ? { file: r.file, error: { message: r.readError, type: "io_error", param: null, code: r.code }, problems: [], warnings: [] }
            : { file: r.file, ...(r.ok ? { grader: r.grader } : { error: errorBody(r.problems[0]!) }), problems: r.problems, warnings: r.warnings },
        );
        io.stdout(JSON.stringify(entries, null, 2) + "\n");
      }
    } else {
      for (const r of results) {
        if ("readError" in r) {
          io.stderr(`${r.readError}\n`);
          continue;
        }
        for (const w of r.warnings) io.stderr(`warning: ${formatProblem(r.file, w)}\n`);
        if (r.ok) io.stdout(`${r.file}: ok\n`);
        for (const p of r.problems) io.stdout(formatProblem(r.file, p) + "\n");
      }
    }
    if (results.some((r) => "readError" in r)) return EXIT.usage;
    return results.some((r) => !(r as GraderFileResult).ok) ? EXIT.failed : EXIT.ok;
  },
});
