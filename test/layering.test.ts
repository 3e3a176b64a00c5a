// The layering of src/ (.dependency-cruiser.cjs, README "Project layout") holds, and the rules
// really catch what they forbid: a rightward import, a sibling building block, a cycle, library
// code running a reference port.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./helpers/cli.js";

const DEPCRUISE = join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");

function cruise(cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [DEPCRUISE, "src", "--config", ".dependency-cruiser.cjs", "--output-type", "err"], { cwd, env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" } }, (err, stdout, stderr) => {
      // CI may force colour on; the assertions read plain text, so drop any ANSI escape left.
      const out = (stdout + stderr).replace(/\u001b\[[0-9;]*m/g, "");
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out });
    });
  });
}

describe("layering", () => {
  it("src/ has no cycle and no import to the right", async () => {
    const r = await cruise(ROOT);
    expect(r.out).toContain("no dependency violations found");
    expect(r.code).toBe(0);
  }, 60_000);

  it("the rules fail on a rightward import, a sibling import, a cycle and a reference port", async () => {
    const dir = tempDir("graderkit-layers-");
    cpSync(join(ROOT, ".dependency-cruiser.cjs"), join(dir, ".dependency-cruiser.cjs"));
    cpSync(join(ROOT, "tsconfig.json"), join(dir, "tsconfig.json"));
    const file = (path: string, text: string) => {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    file("src/schema/types.ts", "export type Grader = { type: string };\n");
    file("src/metrics/bad.ts", 'import type { Grader } from "../schema/types.js";\nexport type G = Grader;\n');
    file("src/formula/index.ts", "export const f = 1;\n");
    file("src/templates/bad.ts", 'import { f } from "../formula/index.js";\nexport const g = f;\n');
    file("src/graders/a.ts", 'import { b } from "./b.js";\nexport const a = () => b;\n');
    file("src/graders/b.ts", 'import { a } from "./a.js";\nexport const b = () => a;\n');
    file("src/metrics/reference/plain.ts", "export const plain = 1;\n");
    file("src/metrics/fast.ts", 'import { plain } from "./reference/plain.js";\nexport const fast = plain;\n');
    const r = await cruise(dir);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/no-import-rightwards-from-building-blocks: src\/metrics\/bad\.ts → src\/schema\/types\.ts/);
    expect(r.out).toMatch(/no-sibling-import-from-templates: src\/templates\/bad\.ts → src\/formula\/index\.ts/);
    expect(r.out).toMatch(/no-circular: src\/graders\/a\.ts →\s+src\/graders\/b\.ts/);
    expect(r.out).toMatch(/no-reference-port-in-library: src\/metrics\/fast\.ts → src\/metrics\/reference\/plain\.ts/);
  }, 60_000);
});
