import { checkGraderFile, type GraderFileResult } from "../../schema/load.js";
import { defineCommand, EXIT } from "../command.js";
import { formatProblem, unreadable } from "../load.js";

export const validateCommand = defineCommand({
  name: "validate",
  summary: "Check grader JSON files against the schema and graderkit's static rules.",
  positionals: { names: "FILE...", min: 1, max: Infinity },
  description: "Text output: one line per problem, FILE: /json/pointer: message (FILE:LINE:COLUMN for JSON syntax errors).",
  options: [
    { name: "target", type: "choice", arg: "T", choices: ["local", "rft", "evals"], default: "local", description: "Where the grader will run" },
    { name: "json", type: "boolean", description: "Print the /validate response shape, one JSON object per file" },
  ],
  exitStatus: "0 every file is valid, 1 any is invalid, 2 usage or I/O error.",
  async run({ values, positionals }, io) {
    // Read everything first so an unreadable file is a usage error before any output.
    const results: GraderFileResult[] = positionals.map((file) => {
      try {
        return checkGraderFile(file, { target: values.target as "local" | "rft" | "evals" });
      } catch (err) {
        throw unreadable(file, err);
      }
    });
    let invalid = false;
    for (const result of results) {
      const { file } = result;
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
    return invalid ? EXIT.failed : EXIT.ok;
  },
});
