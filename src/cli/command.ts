// What every subcommand is: a name, a summary, its positional arguments, one option table (which
// generates the parser and --help), its exit statuses, and a run function. One exit-code
// convention holds for all commands (README "Exit status").

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
