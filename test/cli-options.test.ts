// The option tables: one declaration per command generates its parser and its --help, so the
// help's defaults are the engine's, and every parse error says exactly what is wrong.
import { describe, expect, it } from "vitest";
import { DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY } from "../src/engine/run.js";
import { COMMANDS } from "../src/cli/main.js";
import { formatOptions, parseOptions, UsageError, type OptionSpec } from "../src/cli/options.js";
import { nearestMatch } from "../src/metrics/nearest.js";
import { cli } from "./helpers/cli.js";

const TABLE = [
  { name: "output", short: "o", type: "string", arg: "FILE", description: "Where" },
  { name: "workers", type: "integer", arg: "N", min: 0, description: "Threads" },
  { name: "ratio", type: "number", arg: "R", min: 0, max: 1, aboveMin: true, default: 0.5, description: "A share" },
  { name: "format", type: "choice", arg: "F", choices: ["full", "compact"], default: "full", description: "Rows" },
  { name: "hp", type: "string", arg: "k=v", multiple: true, description: "Pairs" },
  { name: "quiet", type: "boolean", description: "Hush" },
  { name: "set", type: "pairs", arg: "KEY=VALUE", description: "Settings" },
  { name: "map", type: "pairs", arg: "ID=PATH", requireValue: true, hint: "a file id and a path", description: "Files" },
] as const satisfies readonly OptionSpec[];

const usage = (argv: string[]) => {
  try {
    parseOptions(TABLE, argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`accepted ${argv.join(" ")}`);
};

describe("parseOptions", () => {
  it("parses every form and fills defaults", () => {
    const r = parseOptions(TABLE, ["a", "-o", "out", "--workers=2", "--hp", "x=1", "-", "--hp", "y=2", "--quiet", "--", "--not-an-option"]);
    expect(r.values).toEqual({ output: "out", workers: 2, ratio: 0.5, format: "full", hp: ["x=1", "y=2"], quiet: true, set: {}, map: {} });
    expect(r.positionals).toEqual(["a", "-", "--not-an-option"]);
    expect([...r.given].sort()).toEqual(["hp", "output", "quiet", "workers"]);
    const empty = parseOptions(TABLE, []);
    expect(empty.values).toEqual({ ratio: 0.5, format: "full", hp: [], quiet: false, set: {}, map: {} });
  });

  it("pairs: KEY=VALUE split at the first '=', repeatable, a key once, an empty value only where allowed", () => {
    const r = parseOptions(TABLE, ["--set", "a=1", "--set=b=x=y", "--set", "note=", "--set", "__proto__=p", "--map", "f1=data.jsonl"]);
    expect(Object.entries(r.values.set)).toEqual([["a", "1"], ["b", "x=y"], ["note", ""], ["__proto__", "p"]]);
    expect(Object.getPrototypeOf(r.values.set)).toBe(Object.prototype);
    expect(r.values.map).toEqual({ f1: "data.jsonl" });
    expect(usage(["--set", "novalue"])).toBe("--set expects KEY=VALUE, got 'novalue'");
    expect(usage(["--set", "=1"])).toBe("--set expects KEY=VALUE, got '=1'");
    expect(usage(["--set", "a=1", "--set", "a=2"])).toBe("--set a is given more than once");
    expect(usage(["--map", "f1="])).toBe("--map expects ID=PATH (a file id and a path), got 'f1='");
    expect(formatOptions(TABLE)).toMatch(/--map ID=PATH +Files \(repeatable\)/);
  });

  it("takes values that start with a dash: negative numbers are range-checked, '-' is a value", () => {
    expect(usage(["--workers", "-1"])).toBe("--workers must be an integer >= 0, got '-1'");
    expect(parseOptions(TABLE, ["-o", "-"]).values.output).toBe("-");
  });

  it("says what is wrong, precisely", () => {
    expect(usage(["--wrkers", "2"])).toBe("unknown option --wrkers (did you mean --workers?)");
    expect(usage(["--zzz"])).toBe("unknown option --zzz");
    expect(usage(["-x"])).toBe("unknown option -x");
    expect(usage(["--workers", "two"])).toBe("--workers must be an integer >= 0, got 'two'");
    expect(usage(["--workers", "1.5"])).toBe("--workers must be an integer >= 0, got '1.5'");
    expect(usage(["--ratio", "0"])).toBe("--ratio must be a number > 0 and <= 1, got '0'");
    expect(usage(["--ratio", "1.01"])).toBe("--ratio must be a number > 0 and <= 1, got '1.01'");
    expect(usage(["--format", "compakt"])).toBe("--format must be one of full, compact, got 'compakt' (did you mean compact?)");
    expect(usage(["--workers", "1", "--workers", "2"])).toBe("--workers is given more than once");
    expect(usage(["--quiet=yes"])).toBe("--quiet takes no value");
    expect(usage(["--output"])).toBe("--output needs a value (FILE)");
    expect(usage(["--output", "--quiet"])).toBe("--output needs a value (FILE)");
  });

  it("suggests only near misses", () => {
    expect(nearestMatch("vaildate", ["validate", "grade", "run"])).toBe("validate");
    expect(nearestMatch("frobnicate", ["validate", "grade", "run"])).toBeUndefined();
  });

  it("generates help from the same table: names, arguments, ranges, defaults", () => {
    const help = formatOptions(TABLE);
    expect(help).toContain("  -o, --output FILE");
    expect(help).toMatch(/--ratio R\s+A share \(a number > 0 and <= 1; default 0\.5\)/);
    expect(help).toMatch(/--format F\s+Rows \(one of full, compact; default full\)/);
    expect(help).toMatch(/--hp k=v\s+Pairs \(repeatable\)/);
  });
});

describe("the commands' tables", () => {
  it("run --help shows the engine's own defaults", async () => {
    const help = (await COMMANDS.find((c) => c.name === "run")!.load()).help();
    expect(help).toMatch(new RegExp(`--batch-size N\\s+Rows per block sent to a worker \\(an integer >= 1; default ${DEFAULT_BATCH_SIZE}\\)`));
    expect(help).toMatch(new RegExp(`--concurrency N[\\s\\S]*default ${DEFAULT_CONCURRENCY}\\)`));
  });

  it("every command's help names its usage, options and exit status", async () => {
    for (const entry of COMMANDS) {
      const c = await entry.load();
      expect(c.name, "the table's name is the command's").toBe(entry.name);
      expect(c.summary, "the table's summary is the command's").toBe(entry.summary);
      const help = c.help();
      expect(help, c.name).toMatch(new RegExp(`^Usage: graderkit ${c.name}`));
      expect(help, c.name).toContain("-h, --help");
      expect(help, c.name).toMatch(/Exit status:\n\d/);
    }
  });

  it("'graderkit help CMD' is 'graderkit CMD --help'; typos get a suggestion (exit 2)", async () => {
    const a = await cli(["help", "run"]);
    const b = await cli(["run", "--help"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const typo = await cli(["vaildate", "x.json"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("unknown command 'vaildate' (did you mean 'validate'?)");
    const flag = await cli(["run", "graders/exact-answer.json", "datasets/qa.jsonl", "--wrkers", "2"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown option --wrkers (did you mean --workers?)");
    const range = await cli(["run", "graders/exact-answer.json", "datasets/qa.jsonl", "--workers", "-1"]);
    expect(range.stderr).toContain("--workers must be an integer >= 0, got '-1'");
    const args = await cli(["run", "graders/exact-answer.json"]);
    expect(args.code).toBe(2);
    expect(args.stderr).toContain("run needs GRADER.json SAMPLES.jsonl, got 'graders/exact-answer.json'");
  });
});
