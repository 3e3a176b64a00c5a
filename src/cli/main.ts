// The `graderkit` command line: a thin layer over the library API. Every command is a table
// (src/cli/command.ts) that generates its parser and --help; exit codes follow one convention.

import { EXIT, UsageError, type Command, type Io } from "./command.js";
import { COMMAND_SUMMARIES, type CommandName } from "./summaries.js";
import { nearestMatch } from "../metrics/nearest.js";

export interface CommandEntry {
  readonly name: CommandName;
  readonly summary: string;
  /** Imports the command's module: only the command that runs is loaded (README "Start-up"). */
  load(): Promise<Command>;
}

const entry = (name: CommandName, load: () => Promise<Command>): CommandEntry => ({ name, summary: COMMAND_SUMMARIES[name], load });

/** Every command, in the order --help lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  entry("validate", async () => (await import("./commands/validate.js")).validateCommand),
  entry("grade", async () => (await import("./commands/grade.js")).gradeCommand),
  entry("run", async () => (await import("./commands/run.js")).runCommand),
  entry("test", async () => (await import("./commands/test.js")).testCommand),
  entry("bench", async () => (await import("./commands/bench.js")).benchCommand),
  entry("eval", async () => (await import("./commands/eval.js")).evalCommand),
  entry("report", async () => (await import("./commands/report.js")).reportCommand),
  entry("diff", async () => (await import("./commands/diff.js")).diffCommand),
  entry("calibrate", async () => (await import("./commands/calibrate.js")).calibrateCommand),
  entry("serve", async () => (await import("./commands/serve.js")).serveCommand),
  entry("check-data", async () => (await import("./commands/check-data.js")).checkDataCommand),
  entry("export", async () => (await import("./commands/export.js")).exportCommand),
  entry("jobs", async () => (await import("./commands/jobs.js")).jobsCommand),
  entry("doctor", async () => (await import("./commands/doctor.js")).doctorCommand),
  entry("init", async () => (await import("./commands/init.js")).initCommand),
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

function findCommand(name: string): CommandEntry {
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
  let command: CommandEntry | undefined;
  try {
    if (name === "help") {
      findCommand(rest[0]!); // `graderkit help CMD [SUB]` is `graderkit CMD [SUB] --help`
      return await main([...rest, "--help"], io);
    }
    command = findCommand(name);
    return await (await command.load()).execute(rest, io);
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
