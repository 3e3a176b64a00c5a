// Keep the README true: every `npx graderkit ...` command in its shell blocks runs as shown,
// with the exit status it claims (`# exit N` in a trailing comment, else 0). Commands that need a
// model endpoint or that serve forever are checked elsewhere (cli-executors, serve tests).
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "./helpers/cli.js";

function readmeCommands(file: string): Array<{ line: string; exit: number }> {
  const text = readFileSync(new URL(file, `file://${ROOT}/`), "utf8");
  const out: Array<{ line: string; exit: number }> = [];
  for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    // A trailing backslash continues the command on the next line.
    for (const raw of block[1].replace(/\\\n\s*/g, " ").split("\n")) {
      const line = raw.trim();
      if (!line.startsWith("npx graderkit ")) continue;
      const exit = /#\s*exit (\d)/.exec(line);
      out.push({ line, exit: exit ? Number(exit[1]) : 0 });
    }
  }
  return out;
}

/** Split a shell line into words: single quotes, double quotes, a trailing comment. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(#.*$)|(\S+)/g;
  for (const m of line.matchAll(re)) {
    if (m[3] !== undefined) break;
    out.push(m[1] ?? m[2] ?? m[4]);
  }
  return out;
}

for (const file of ["README.md", "graders/README.md"]) {
  describe(`${file} commands work as shown`, () => {
    const all = readmeCommands(file);
    const commands = all.filter(({ line }) => !line.includes("127.0.0.1") && !line.startsWith("npx graderkit serve"));
    it("finds the commands", () => {
      expect(all.length).toBeGreaterThan(1);
    });
    for (const { line, exit } of commands) {
      it(line, async () => {
        const args = words(line).slice(2).flatMap((w) => (w.includes("*") ? expandGlob(w) : [w]));
        const r = await cli(args);
        expect(r.code, r.stderr).toBe(exit);
      });
    }
  });
}

function expandGlob(pattern: string): string[] {
  const slash = pattern.lastIndexOf("/");
  const dir = pattern.slice(0, slash);
  const re = new RegExp("^" + pattern.slice(slash + 1).replace(/\./g, "\\.").replace(/\*/g, ".*") + "$");
  return readdirSync(`${ROOT}/${dir}`).filter((f) => re.test(f)).sort().map((f) => `${dir}/${f}`);
}
