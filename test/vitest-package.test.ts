// graderkit/vitest as users get it: the packed tarball installed with vitest into a fresh
// TypeScript project. The matchers type-check (and a misspelt one does not), a passing and a
// deliberately failing test run, and the failures read like vitest's own messages.
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./helpers/cli.js";
import { EXACT, EXACT_AND_CLOSE } from "./helpers/graders.js";

const run = promisify(execFile);
const version = (name: string) => JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version as string;

const exact = EXACT;
const multi = EXACT_AND_CLOSE;

const TEST_TS = `
import { expect, test } from "vitest";
import { gradeSample, type RunResponse } from "graderkit";
import { describeSuite, graderMatchers } from "graderkit/vitest";
import exact from "./exact.json" with { type: "json" };
import multi from "./multi.json" with { type: "json" };

expect.extend(graderMatchers);

describeSuite(new URL("./exact.suite.json", import.meta.url));

test("the exact answer scores 1", async () => {
  const res: RunResponse = await gradeSample(exact, { model_sample: "144", item: { answer: "144" } });
  expect(res).toHaveReward(1);
  expect(res).toHaveRewardBetween(0.5, 1);
  expect(res).not.toHaveErrorFlag("invalid_variable_error");
  const missing = await gradeSample(exact, { model_sample: "144", item: {} });
  expect(missing).toHaveErrorFlag("invalid_variable_error");
  // "paris" vs "Paris": exact 0, fuzzy_match 1 - 2/10.
  const mix = await gradeSample(multi, { model_sample: "paris", item: { answer: "Paris" } });
  expect(mix).toHaveSubReward("close", 0.8);
  expect(mix).toHaveSubReward("exact", 0);
  expect(mix).toHaveReward(0.4, 1e-12);
});

test("deliberately failing: a near miss is not 1", async () => {
  const res = await gradeSample(exact, { model_sample: "145", item: { answer: "144" } });
  expect(res).toHaveReward(1);
});

test("deliberately failing: a missing sub-reward", async () => {
  const mix = await gradeSample(multi, { model_sample: "paris", item: { answer: "Paris" } });
  expect(mix).toHaveSubReward("format", 1);
});
`;

// Type-checked only: the augmentation must make the matchers known to vitest's Assertion.
const TYPES_TS = `
import { expect } from "vitest";
import type { RunResponse } from "graderkit";
import "graderkit/vitest";

declare const res: RunResponse;
expect(res).toHaveReward(1);
expect(res).toHaveReward(1, 1e-6);
expect(res).not.toHaveRewardBetween(0, 0.5);
expect(res).toHaveErrorFlag("python_grader_runtime_error");
expect(res).toHaveSubReward("format", 1);
// @ts-expect-error a misspelt matcher is a type error
expect(res).toHaveRewrd(1);
// @ts-expect-error an unknown flag is a type error
expect(res).toHaveErrorFlag("python_error");
`;

interface VitestJson {
  testResults: Array<{ assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }> }>;
}

describe("graderkit/vitest from the packed package", () => {
  let project: string;
  let results: VitestJson;
  let exitCode: number;
  beforeAll(async () => {
    const packDir = tempDir("graderkit-pack-vitest-");
    const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--pack-destination", packDir, "--json"], { cwd: ROOT });
    const tarball = join(packDir, JSON.parse(stdout)[0].filename);
    project = tempDir("graderkit-vitest-consumer-");
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, noEmit: true, resolveJsonModule: true, skipLibCheck: true, types: ["node"] }, files: ["grade.test.ts", "types.ts"] }),
    );
    writeFileSync(join(project, "grade.test.ts"), TEST_TS);
    writeFileSync(join(project, "types.ts"), TYPES_TS);
    writeFileSync(join(project, "exact.json"), JSON.stringify(exact));
    writeFileSync(join(project, "multi.json"), JSON.stringify(multi));
    writeFileSync(
      join(project, "exact.suite.json"),
      JSON.stringify({
        name: "exact suite",
        grader: "exact.json",
        cases: [
          { name: "same answer", item: { answer: "144" }, model_sample: "144", expect: { reward: 1 } },
          { name: "deliberately failing case", item: { answer: "144" }, model_sample: "12", expect: { reward: 1 } },
        ],
      }),
    );
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, `vitest@${version("vitest")}`, `typescript@${version("typescript")}`, "@types/node@20"], { cwd: project });
    const out = join(project, "results.json");
    exitCode = 0;
    try {
      await run(process.execPath, [join(project, "node_modules/vitest/vitest.mjs"), "run", "--reporter=json", `--outputFile=${out}`], { cwd: project, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
    } catch (err) {
      exitCode = (err as { code: number }).code;
    }
    results = JSON.parse(readFileSync(out, "utf8"));
  }, 300_000);

  const byName = (name: string) => results.testResults.flatMap((f) => f.assertionResults).find((a) => a.fullName === name)!;
  const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

  it("the matchers type-check through the augmentation of vitest's Assertion, and misspellings do not", async () => {
    const r = await run(process.execPath, [join(project, "node_modules/typescript/bin/tsc"), "-p", "."], { cwd: project }).then(
      () => ({ code: 0, out: "" }),
      (err) => ({ code: err.code, out: String(err.stdout) }),
    );
    expect(r.out).toBe("");
    expect(r.code).toBe(0);
  });

  it("passing tests pass; vitest exits 1 for the failing ones", () => {
    expect(exitCode).toBe(1);
    expect(byName("the exact answer scores 1").status).toBe("passed");
    expect(byName("exact suite same answer").status).toBe("passed");
  });

  it("a failed matcher says what was expected and what came back, like vitest's own", () => {
    const near = byName("deliberately failing: a near miss is not 1");
    expect(near.status).toBe("failed");
    const message = plain(near.failureMessages[0]!);
    expect(message).toContain("expect(response).toHaveReward(reward)");
    expect(message).toContain("Expected reward: 1 (± 1e-9)\nReceived reward: 0");
    expect(message).toContain("Raised flags: none");
    const sub = plain(byName("deliberately failing: a missing sub-reward").failureMessages[0]!);
    expect(sub).toContain('Received: no sub-reward "format"; the response has "exact", "close"');
  });

  it("describeSuite gives one test per case; a failing case says expected vs got and where the case is", () => {
    const failed = byName("exact suite deliberately failing case");
    expect(failed.status).toBe("failed");
    const message = plain(failed.failureMessages[0]!);
    expect(message).toContain("GraderCaseError: reward: expected 1 ± 1e-9, got 0");
    expect(message).toContain("✗ reward:  expected 1 ± 1e-9, got 0");
    expect(message).toContain(`at ${join(project, "exact.suite.json")}#/cases/1`);
  });
});
