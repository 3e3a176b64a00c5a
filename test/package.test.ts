// The package as users get it: `npm pack`, installed into a fresh ESM + TypeScript project
// (module nodenext), compiled and run against the public entry points; and the tarball's
// contents (no TypeScript sources, no source maps, the license, the python runner, the data).
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./helpers/cli.js";

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const tsVersion = JSON.parse(readFileSync(join(ROOT, "node_modules/typescript/package.json"), "utf8")).version;

const MAIN_TS = `
import { createExecutors, gradeSample, loadGrader, runFile, type RunResponse } from "graderkit";
import { textSimilarity } from "graderkit/metrics";
import { writeFileSync } from "node:fs";

const grader = await loadGrader(process.argv[2]!);
const { executors, close } = createExecutors({ executors: { cache: { enabled: false } } }, {});
const one: RunResponse = await gradeSample(grader, { model_sample: "144", item: { answer: "144" } }, { executors });
writeFileSync("in.jsonl", ['{"id": "a", "model_sample": "144", "item": {"answer": "144"}}', '{"id": "b", "model_sample": "12", "item": {"answer": "144"}}'].join("\\n") + "\\n");
const summary = await runFile({ grader, input: "in.jsonl", output: "out.jsonl", executors });
await close();
const bleu = textSimilarity("bleu", "the cat sat on the mat", "the cat is on the mat");
console.log(JSON.stringify({ reward: one.reward, rows: summary.rows, mean: summary.reward.mean, bleu: bleu.score, signature: bleu.signature }));
`;

describe("the packed package", () => {
  let tarball: string;
  let files: string[];
  beforeAll(async () => {
    const dir = tempDir("graderkit-pack-");
    // dist/ is built by `npm test` before vitest runs; do not build again.
    const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--pack-destination", dir, "--json"], { cwd: ROOT });
    const info = JSON.parse(stdout)[0];
    tarball = join(dir, info.filename);
    files = info.files.map((f: { path: string }) => f.path);
  }, 120_000);

  it("ships compiled code, declarations, the license, the python runner and the data, and no TypeScript sources or source maps", () => {
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    for (const f of ["LICENSE", "README.md", "package.json", "bin/graderkit.js", "dist/index.js", "dist/index.d.ts", "dist/metrics/index.js", "dist/server/index.js", "dist/engine/pool-worker.js", "dist/engine/pool-process.js", "python/runner.py", "data/wordnet-3.0-synonyms.json"]) {
      expect(files, f).toContain(f);
    }
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toContain("Apache License\n                           Version 2.0");
    expect(pkg.license).toBe("Apache-2.0");
  });

  it("installs into a fresh ESM + TypeScript project that compiles and runs the public API", async () => {
    const project = tempDir("graderkit-consumer-");
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, skipLibCheck: false, types: ["node"] }, files: ["main.ts"] }),
    );
    writeFileSync(join(project, "main.ts"), MAIN_TS);
    writeFileSync(join(project, "exact.json"), JSON.stringify({ type: "string_check", name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" }));
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, `typescript@${tsVersion}`, "@types/node@20"], { cwd: project });
    await run(process.execPath, [join(project, "node_modules/typescript/bin/tsc"), "-p", "."], { cwd: project });
    const { stdout } = await run(process.execPath, ["main.js", "exact.json"], { cwd: project });
    const out = JSON.parse(stdout);
    expect(out.reward).toBe(1);
    expect(out.rows).toBe(2);
    expect(out.mean).toBe(0.5);
    // The README's BLEU example value (nltk sentence_bleu with method4 on these tokens).
    expect(out.bleu).toBeCloseTo(0.2939, 4);
    expect(out.signature).toMatch(/^bleu\|/);
    // require() of the ESM package works on Node >= 20.19 (require(esm), the "default" condition).
    const required = await run(process.execPath, ["-e", 'const g = require("graderkit"); console.log(typeof g.gradeSample, typeof require("graderkit/metrics").textSimilarity)'], { cwd: project });
    expect(required.stdout.trim()).toBe("function function");
  }, 240_000);
});
