// Run the CLI in-process (src/cli/main.ts) with a captured Io: as `cli()` does, without spawning
// a process (on a loaded 2-core machine a spawn costs seconds). TTY-ness is an option, so live
// progress lines can be tested.
import { Readable } from "node:stream";
import { main } from "../../src/cli/main.js";
import { ROOT } from "./cli.js";

export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runMain(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; tty?: boolean } = {},
): Promise<MainResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdoutIsTTY: options.tty ?? false,
    stderrIsTTY: options.tty ?? false,
    stdin: Readable.from([options.input ?? ""]),
    env: options.env ?? {},
    cwd: options.cwd ?? ROOT,
  });
  return { code, stdout, stderr };
}
