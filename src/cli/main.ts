// The `graderkit` command line: a thin layer over the library API.

import { commandHelp, EXIT, parseCommandArgs, UsageError, type Command, type Io } from "./args.js";
import { doctorCommand } from "./commands/doctor.js";
import { exportCommand } from "./commands/export.js";
import { gradeCommand } from "./commands/grade.js";
import { runCommand } from "./commands/run.js";
import { serveCommand } from "./commands/serve.js";
import { validateCommand } from "./commands/validate.js";

export const COMMANDS: Command[] = [validateCommand, gradeCommand, runCommand, serveCommand, exportCommand, doctorCommand];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `graderkit: author OpenAI-style graders and run them locally

Usage: graderkit <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Run 'graderkit <command> --help' for a command's options.
`;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-V") {
    io.stdout(`${(await import("../util/version.js")).VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`graderkit: unknown command '${name}'\n\n${mainHelp()}`);
    return EXIT.usage;
  }
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values.help) {
      io.stdout(commandHelp(command));
      return EXIT.ok;
    }
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`graderkit ${command.name}: ${err.message}\nRun 'graderkit ${command.name} --help' for usage.\n`);
      return EXIT.usage;
    }
    throw err;
  }
}

export function processIo(): Io {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}
