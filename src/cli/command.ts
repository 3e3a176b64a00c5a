// What every subcommand is: a name, a summary, its positional arguments, one option table (which
// generates the parser and --help), its exit statuses, and a run function. One exit-code
// convention holds for all commands (README "Exit status").

import { nearestMatch } from "../metrics/nearest.js";
import { formatOptions, HELP_OPTION, parseOptions, UsageError, type OptionSpec, type ParsedArgs } from "./options.js";

/**
 * 0 success; 1 the command's verdict is negative (what validate/export/check-data check has
 * problems, a test case or a gate failed, a followed job failed); 2 usage or I/O error, or an
 * input the command needs in order to work is invalid (the grader of grade/run/test/eval/serve);
 * 70 internal error; 130/143 interrupted by SIGINT/SIGTERM.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 70, interrupted: 130, terminated: 143 } as const;

export { UsageError };

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout / stderr are terminals (progress lines, colours). */
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Standard input ('-' as a file argument). */
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface Positionals {
  /** As shown in usage, e.g. "GRADER.json SAMPLES.jsonl". */
  names: string;
  min: number;
  /** Default: min. Infinity for FILE... */
  max?: number;
}

export interface CommandSpec<Os extends readonly OptionSpec[]> {
  name: string;
  summary: string;
  positionals: Positionals;
  /** Usage after "graderkit NAME" when it is not simply "POSITIONALS [options]". */
  usage?: string;
  /** Printed in --help between the summary and the options. */
  description?: string;
  options: Os;
  /** One line per exit status that the command uses, after the convention's numbers. */
  exitStatus: string;
  run(args: ParsedArgs<Os>, io: Io): Promise<number>;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  help(): string;
  /** Parse argv (without the command name) and run; UsageError for bad arguments. */
  execute(argv: readonly string[], io: Io): Promise<number>;
}

function usageLine<Os extends readonly OptionSpec[]>(spec: CommandSpec<Os>): string {
  return `graderkit ${spec.name} ${spec.usage ?? `${spec.positionals.names} [options]`}`.replace(/\s+/g, " ").trim();
}

export function defineCommand<const Os extends readonly OptionSpec[]>(spec: CommandSpec<Os>): Command {
  const options = [...spec.options, HELP_OPTION] as const;
  return {
    name: spec.name,
    summary: spec.summary,
    help() {
      const parts = [`Usage: ${usageLine(spec)}`, spec.summary];
      if (spec.description) parts.push(spec.description.trimEnd());
      parts.push(formatOptions(options).trimEnd(), `Exit status:\n${spec.exitStatus.trimEnd()}`);
      return parts.join("\n\n") + "\n";
    },
    async execute(argv, io) {
      const parsed = parseOptions(options, argv);
      if ((parsed.values as { help?: boolean }).help) {
        io.stdout(this.help());
        return EXIT.ok;
      }
      const { min, max = min, names } = spec.positionals;
      const n = parsed.positionals.length;
      if (n < min || n > max) {
        const expected = max === 0 ? "takes no arguments" : min === max ? `needs ${names}` : n < min ? `needs ${names}` : `takes at most ${max} arguments (${names})`;
        throw new UsageError(`${spec.name} ${expected}, got ${n === 0 ? "none" : parsed.positionals.map((p) => `'${p}'`).join(" ")}`);
      }
      return spec.run(parsed as unknown as ParsedArgs<Os>, io);
    },
  };
}

export interface CommandGroupSpec {
  name: string;
  summary: string;
  /** Printed in --help after the list of subcommands. */
  description?: string;
  /** Made with defineCommand, each named "GROUP SUB" ("jobs list"). */
  commands: readonly Command[];
  /** The exit statuses the subcommands share (each one's --help has its own). */
  exitStatus: string;
}

/**
 * A command whose first argument names a subcommand (`graderkit jobs list ...`): its --help lists
 * the subcommands, each of which is an ordinary defineCommand with its own option table and help.
 */
export function defineCommandGroup(spec: CommandGroupSpec): Command {
  const sub = (c: Command) => c.name.slice(spec.name.length + 1);
  const width = Math.max(...spec.commands.map((c) => sub(c).length));
  const help = () =>
    [
      `Usage: graderkit ${spec.name} <command> [options]`,
      spec.summary,
      `Commands:\n${spec.commands.map((c) => `  ${sub(c).padEnd(width)}  ${c.summary}`).join("\n")}`,
      ...(spec.description ? [spec.description.trimEnd()] : []),
      formatOptions([HELP_OPTION]).trimEnd(),
      `Exit status:\n${spec.exitStatus.trimEnd()}`,
      `Run 'graderkit help ${spec.name} <command>' (or 'graderkit ${spec.name} <command> --help') for a command's options.`,
    ].join("\n\n") + "\n";
  return {
    name: spec.name,
    summary: spec.summary,
    help,
    async execute(argv, io) {
      const [name, ...rest] = argv;
      if (name === "--help" || name === "-h") {
        io.stdout(help());
        return EXIT.ok;
      }
      if (name === undefined) throw new UsageError(`needs a command: ${spec.commands.map(sub).join(", ")}`);
      const command = spec.commands.find((c) => sub(c) === name);
      if (!command) {
        const hint = nearestMatch(name, spec.commands.map(sub));
        throw new UsageError(`unknown command '${name}'${hint ? ` (did you mean '${hint}'?)` : ""}; commands: ${spec.commands.map(sub).join(", ")}`);
      }
      try {
        return await command.execute(rest, io);
      } catch (err) {
        if (err instanceof UsageError && err.command === undefined) throw new UsageError(err.message, command.name);
        throw err;
      }
    },
  };
}
