// Argument parsing shared by every subcommand: node's parseArgs in strict mode (unknown flags
// are errors), `--help` on every command, and one exit-code convention.

import { parseArgs, type ParseArgsConfig } from "node:util";

/** Exit codes: 0 ok, 1 invalid input (validate/export), 2 usage or I/O error. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress lines). */
  stderrIsTTY: boolean;
  /** Whether stdout is a terminal (rows there would mix with progress lines). */
  stdoutIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** The flag table printed by --help. */
  help: string;
  options: Options;
  allowPositionals: boolean;
  run(args: { values: Record<string, unknown>; positionals: string[] }, io: Io): Promise<number>;
}

export function parseCommandArgs(command: Command, argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: command.allowPositionals,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

export function commandHelp(command: Command): string {
  return `Usage: ${command.usage}\n\n${command.summary}\n\n${command.help.trimEnd()}\n  -h, --help                Show this help\n`;
}

/** A numeric flag value, with a usage error naming the flag. */
export function numberFlag(value: unknown, flag: string, { integer = false, min = -Infinity } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min) {
    throw new UsageError(`--${flag} expects ${integer ? "an integer" : "a number"}${min > -Infinity ? ` >= ${min}` : ""}, got '${String(value)}'`);
  }
  return n;
}
