// The `graderkit` command line: a thin layer over the library API. Every command is a table
// (src/cli/command.ts) that generates its parser and --help; exit codes follow one convention.

import { EXIT, UsageError, type Command, type Io } from "./command.js";
import { calibrateCommand } from "./commands/calibrate.js";
import { checkDataCommand } from "./commands/check-data.js";
import { diffCommand } from "./commands/diff.js";
import { doctorCommand } from "./commands/doctor.js";
import { evalCommand } from "./commands/eval.js";
import { exportCommand } from "./commands/export.js";
import { gradeCommand } from "./commands/grade.js";
import { initCommand } from "./commands/init.js";
import { jobsCommand } from "./commands/jobs.js";
import { runCommand } from "./commands/run.js";
import { reportCommand } from "./commands/report.js";
import { serveCommand } from "./commands/serve.js";
import { testCommand } from "./commands/test.js";
import { validateCommand } from "./commands/validate.js";
import { nearestMatch } from "../metrics/nearest.js";

export const COMMANDS: readonly Command[] = [
  validateCommand,
  gradeCommand,
  runCommand,
  testCommand,
  evalCommand,
  reportCommand,
  diffCommand,
  calibrateCommand,
  serveCommand,
  checkDataCommand,
  exportCommand,
  jobsCommand,
  doctorCommand,
  initCommand,
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `graderkit: author OpenAI-style graders and run them locally

Usage: graderkit <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Run 'graderkit help <command>' (or 'graderkit <command> --help') for a command's options.
Exit status: 0 success, 1 the command's check failed, 2 usage or I/O error (README "Exit status").
`;
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return command;
  const hint = nearestMatch(name, ["help", ...COMMANDS.map((c) => c.name)]);
  throw new UsageError(`unknown command '${name}'${hint ? ` (did you mean '${hint}'?)` : ""}; run 'graderkit --help' for the list`);
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(mainHelp());
    return EXIT.usage;
  }
  if (name === "--help" || name === "-h" || (name === "help" && rest.length === 0)) {
    io.stdout(mainHelp());
    return EXIT.ok;
  }
  if (name === "--version" || name === "-V") {
    io.stdout(`${(await import("../util/version.js")).VERSION}\n`);
    return EXIT.ok;
  }
  let command: Command | undefined;
  try {
    if (name === "help") {
      findCommand(rest[0]!); // `graderkit help CMD [SUB]` is `graderkit CMD [SUB] --help`
      return await main([...rest, "--help"], io);
    }
    command = findCommand(name);
    return await command.execute(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      const name = err.command ?? command?.name;
      const who = name ? `graderkit ${name}` : "graderkit";
      const more = name ? `\nRun 'graderkit help ${name}' for usage.` : "";
      io.stderr(`${who}: ${err.message}${more}\n`);
      return EXIT.usage;
    }
    throw err;
  }
}

export function processIo(): Io {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}
