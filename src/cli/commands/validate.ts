import type { Target } from "../../schema/types.js";
import { EXIT, UsageError, type Command } from "../args.js";
import { formatProblem, loadGraderFile } from "../load.js";

const TARGETS: Target[] = ["local", "rft", "evals"];

export const validateCommand: Command = {
  name: "validate",
  summary: "Check grader JSON files against the schema and graderkit's static rules.",
  usage: "graderkit validate FILE... [--json] [--target local|rft|evals]",
  help: `Options:
  --target T                Where the grader will run: local (default), rft, evals
  --json                    Print the /validate response shape, one JSON object per file

Exit status: 0 all valid, 1 any invalid, 2 usage or I/O error.
Text output: one line per problem, FILE: /json/pointer: message.`,
  options: { json: { type: "boolean" }, target: { type: "string" } },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new UsageError("validate needs at least one FILE");
    const target = (values.target ?? "local") as Target;
    if (!TARGETS.includes(target)) throw new UsageError(`--target must be one of ${TARGETS.join(", ")}, got '${target}'`);
    // Read everything first so an unreadable file is a usage error before any output.
    const results = positionals.map((file) => ({ file, result: loadGraderFile(file, target) }));
    let invalid = false;
    for (const { file, result } of results) {
      if (!result.ok) invalid = true;
      if (values.json) {
        const first = result.problems[0];
        const body = result.ok
          ? { grader: result.grader }
          : { error: { message: first.message, type: "invalid_request_error", param: first.pointer || "/", code: first.code } };
        io.stdout(JSON.stringify(body) + "\n");
      } else {
        for (const w of result.warnings) io.stderr(`warning: ${formatProblem(file, w)}\n`);
        if (result.ok) io.stdout(`${file}: ok\n`);
        for (const p of result.problems) io.stdout(formatProblem(file, p) + "\n");
      }
    }
    return invalid ? EXIT.invalid : EXIT.ok;
  },
};
