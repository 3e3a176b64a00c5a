// Python graders' sources compiled (not run) by the interpreter that will run them, so
// `validate` reports a syntax error at validation time rather than on every row. compile()
// executes nothing; it still runs in the sandbox's empty environment.

import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Problem } from "../../schema/ajv.js";
import type { Grader } from "../../schema/types.js";
import { pointerJoin } from "../../util/json-pointer.js";
import { resolveInterpreter, sandboxEnv } from "./interpreter.js";

/** Every python source of a grader (multi children included), with its pointer. */
export function pythonSources(grader: Grader, base = ""): Array<{ pointer: string; source: string }> {
  if (grader.type === "python") return [{ pointer: pointerJoin(base, "source"), source: grader.source }];
  if (grader.type !== "multi") return [];
  return Object.entries(grader.graders).flatMap(([key, child]) => pythonSources(child, pointerJoin(base, "graders", key)));
}

// Reads [source, ...] as JSON on stdin; prints one [line, column, message] or null per source.
const COMPILE_SCRIPT = `
import json, sys
out = []
for source in json.load(sys.stdin):
    try:
        compile(source, "grader.py", "exec", dont_inherit=True)
        out.append(None)
    except SyntaxError as e:
        out.append([e.lineno or 0, e.offset or 0, "%s: %s" % (type(e).__name__, e.msg)])
    except (ValueError, MemoryError, RecursionError) as e:
        out.append([0, 0, "%s: %s" % (type(e).__name__, e)])
print(json.dumps(out))
`;

export interface PythonSyntaxReport {
  problems: Problem[];
  /** Why the sources could not be compiled (no usable interpreter), when they were not. */
  warning?: Problem;
}

/** Compile each python source of a grader with `python`; syntax errors are problems at /source. */
export async function checkPythonSyntax(grader: Grader, python = "python3"): Promise<PythonSyntaxReport> {
  const sources = pythonSources(grader);
  if (sources.length === 0) return { problems: [] };
  const found = await resolveInterpreter(python);
  if (!found.ok) {
    return { problems: [], warning: { pointer: sources[0]!.pointer, message: `python source not compiled: ${found.error}`, code: "python_not_checked" } };
  }
  const home = await mkdtemp(path.join(os.tmpdir(), "graderkit-compile-"));
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = execFile(found.interpreter.executable, ["-I", "-c", COMPILE_SCRIPT], { cwd: home, env: sandboxEnv(home), timeout: 60_000, maxBuffer: 16 << 20 }, (err, out) =>
        err ? reject(err) : resolve(String(out)),
      );
      child.stdin?.end(JSON.stringify(sources.map((s) => s.source)));
    });
    const results = JSON.parse(stdout) as Array<[number, number, string] | null>;
    const problems: Problem[] = [];
    results.forEach((r, i) => {
      if (!r) return;
      const [line, column, message] = r;
      const where = line > 0 ? ` (line ${line}${column > 0 ? `, column ${column}` : ""} of the source)` : "";
      problems.push({ pointer: sources[i]!.pointer, message: `${message}${where}`, code: "python_syntax_error" });
    });
    return { problems };
  } catch (err) {
    return { problems: [], warning: { pointer: sources[0]!.pointer, message: `python source not compiled: ${(err as Error).message}`, code: "python_not_checked" } };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
