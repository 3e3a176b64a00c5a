import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isStarterName, STARTER_TYPES, starterFileNames, starterFiles, type StarterType } from "../../testing/starter.js";
import { defineCommand, EXIT, UsageError } from "../command.js";
import { COMMAND_SUMMARIES } from "../summaries.js";

const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

export const initCommand = defineCommand({
  name: "init",
  summary: COMMAND_SUMMARIES.init,
  positionals: { names: "NAME", min: 1 },
  description: `Writes NAME.json (the grader), NAME.suite.json (cases for graderkit test) and NAME.jsonl (rows for
graderkit run) into --dir; never overwrites a file.`,
  options: [
    { name: "type", type: "choice", arg: "TYPE", choices: STARTER_TYPES, default: "string_check", description: "The grader type" },
    { name: "dir", type: "string", arg: "DIR", default: ".", description: "Where to write the files (created when missing)" },
  ],
  exitStatus: "0 the files were written, 2 one of them exists already (nothing is written), an invalid NAME or a usage error.",
  async run({ values, positionals }, io) {
    const name = positionals[0]!;
    if (!isStarterName(name)) {
      throw new UsageError(`NAME must be a file-name stem (letters, digits, '.', '_', '-'; no folder, no .json), got '${name}'; use --dir for the folder`);
    }
    const type = values.type as StarterType;
    const names = starterFileNames(name);
    const paths = { grader: join(values.dir, names.grader), suite: join(values.dir, names.suite), samples: join(values.dir, names.samples) };
    const existing = Object.values(paths).filter((p) => existsSync(p));
    if (existing.length) throw new UsageError(`will not overwrite ${existing.join(", ")}: remove ${existing.length === 1 ? "it" : "them"} or choose another NAME`);
    const files = starterFiles(name, type);
    try {
      mkdirSync(values.dir, { recursive: true });
      // "wx": fail rather than overwrite a file that appeared since the check.
      writeFileSync(paths.grader, json(files.grader), { flag: "wx" });
      writeFileSync(paths.suite, json(files.suite), { flag: "wx" });
      writeFileSync(paths.samples, files.samples.map((r) => JSON.stringify(r)).join("\n") + "\n", { flag: "wx" });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new UsageError(`${e.path ?? values.dir}: cannot write (${e.code ?? e.message})`);
    }
    const endpoint = type === "score_model" ? " --model-base-url URL" : "";
    io.stdout(`wrote ${paths.grader} (${type} grader), ${paths.suite} (${(files.suite.cases as unknown[]).length} cases), ${paths.samples} (${files.samples.length} rows)

next:
  graderkit validate ${paths.grader}
  graderkit test ${paths.suite}${endpoint}
  graderkit run ${paths.grader} ${paths.samples}${endpoint}
`);
    return EXIT.ok;
  },
});
