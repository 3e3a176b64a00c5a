// Suite files and JSONL cases files: what loads, and every way one can be wrong, each problem
// with its file and pointer (and line, for JSONL).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { schemaValidator } from "../../src/schema/ajv.js";
import { formatSuiteProblem, loadCases, loadSuite, SuiteError, type SuiteProblem } from "../../src/testing/load-suite.js";
import { suiteSchema } from "../../src/testing/suite-schema.js";
import { suiteSources } from "../../src/testing/sources.js";
import { tempDir, writeJson, writeLines } from "../helpers/cli.js";
import { EXACT, EXACT_AND_CLOSE } from "../helpers/graders.js";

const exact = EXACT;
const multi = EXACT_AND_CLOSE;
const good = { name: "ok", item: { answer: "a" }, model_sample: "a", expect: { reward: 1 } };

let dir: string;
beforeAll(() => {
  dir = tempDir("graderkit-suites-");
  writeJson(dir, "exact.json", exact);
  writeJson(dir, "multi.json", multi);
});

function problemsOf(load: () => unknown): SuiteProblem[] {
  try {
    load();
  } catch (err) {
    if (err instanceof SuiteError) return [...err.problems];
    throw err;
  }
  throw new Error("expected a SuiteError");
}

const suiteFile = (name: string, value: unknown) => writeJson(dir, name, value);
const lines = (ps: SuiteProblem[]) => ps.map(formatSuiteProblem);

describe("suite files", () => {
  it("load a grader given by a path relative to the suite file, or inline; cases are named by name, id or index", () => {
    const s = loadSuite(suiteFile("a.suite.json", { grader: "exact.json", cases: [good, { id: 7, model_sample: "b", expect: {} }, { sample: { output_text: "c" }, expect: {} }] }));
    expect(s.graderFile).toBe(join(dir, "exact.json"));
    expect(s.grader).toMatchObject(exact);
    expect(s.cases.map((c) => c.name)).toEqual(["ok", "7", "case 3"]);
    expect(s.cases[0]!.input).toEqual({ model_sample: "a", item: { answer: "a" } });
    expect(s.cases[2]!.input).toEqual({ sample: { output_text: "c" }, item: {} });
    expect(s.cases[1]!.where).toEqual({ file: join(dir, "a.suite.json"), pointer: "/cases/1" });
    expect(s.name).toBe(join(dir, "a.suite.json"));
    expect(s.passThreshold).toBeNull();
    const inline = loadSuite(suiteFile("b.suite.json", { name: "mine", grader: { ...exact, name: undefined }, cases: [good] }));
    expect(inline.name).toBe("mine");
    expect(inline.grader.name).toBe("string_check"); // normalised: a missing name is filled in
    expect(inline.graderFile).toBeUndefined();
  });

  it("the pass threshold: --pass-threshold, else the suite's, else the grader's", () => {
    writeJson(dir, "fuzzy.json", { ...multi.graders.close, pass_threshold: 0.8 });
    const cases = [{ ...good, expect: { passed: true } }];
    expect(loadSuite(suiteFile("t1.json", { grader: "fuzzy.json", cases })).passThreshold).toBe(0.8);
    expect(loadSuite(suiteFile("t2.json", { grader: "fuzzy.json", pass_threshold: 0.5, cases })).passThreshold).toBe(0.5);
    expect(loadSuite(suiteFile("t3.json", { grader: "fuzzy.json", pass_threshold: 0.5, cases }), { passThreshold: 0.25 }).passThreshold).toBe(0.25);
  });

  it("schema problems carry the file and a pointer to the field", () => {
    const file = suiteFile("bad.suite.json", {
      grader: "exact.json",
      extra: 1,
      cases: [
        { model_sample: "a", expect: { reward: "1", rewrd: 1 } },
        { model_sample: 3, expected: {} },
      ],
    });
    expect(lines(problemsOf(() => loadSuite(file)))).toEqual([
      `${file}: /extra: unknown field 'extra'`,
      `${file}: /cases/0/expect/rewrd: unknown field 'rewrd'`,
      `${file}: /cases/0/expect/reward: must be number`,
      `${file}: /cases/1/expect: missing required field 'expect'`,
      `${file}: /cases/1/expected: unknown field 'expected'`,
      `${file}: /cases/1/model_sample: must be string`,
    ]);
  });

  it("rules the schema cannot say, each a likely mistake", () => {
    const file = suiteFile("rules.suite.json", {
      grader: "exact.json",
      cases: [
        { expect: {} },
        { sample: { output_text: "a" }, model_sample: "a", expect: {} },
        { model_sample: "a", expect: { reward: 1, reward_min: 0 } },
        { model_sample: "a", expect: { reward_min: 0.6, reward_max: 0.4 } },
        { model_sample: "a", expect: { errors: ["invalid_variabel_error"] } },
        { model_sample: "a", expect: { error_message_includes: "x" } },
        { model_sample: "a", expect: { tolerance: 0.1 } },
        { model_sample: "a", expect: { passed: true } },
        { model_sample: "a", expect: { sub_rewards: { x: 1 } } },
      ],
    });
    expect(lines(problemsOf(() => loadSuite(file)))).toEqual([
      `${file}: /cases/0: a case needs 'sample' or 'model_sample'`,
      `${file}: /cases/1/model_sample: give 'sample' or 'model_sample', not both`,
      `${file}: /cases/2/expect/reward: give 'reward' or 'reward_min' / 'reward_max', not both`,
      `${file}: /cases/3/expect/reward_min: reward_min 0.6 is above reward_max 0.4`,
      `${file}: /cases/4/expect/errors/0: unknown error flag 'invalid_variabel_error' (did you mean 'invalid_variable_error'?)`,
      `${file}: /cases/5/expect/error_message_includes: 'error_message_includes' needs the flags the case expects in 'errors' (a case without 'errors' expects none)`,
      `${file}: /cases/6/expect/tolerance: 'tolerance' applies to 'reward' and to numeric 'sub_rewards', and this case has neither`,
      `${file}: /cases/7/expect/passed: 'passed' needs a pass threshold: set 'pass_threshold' in the suite (or the grader's), or give --pass-threshold`,
      `${file}: /cases/8/expect/sub_rewards: the grader is a string_check; only multi graders have sub_rewards`,
    ]);
  });

  it("sub_rewards keys must be the multi's children (with a suggestion)", () => {
    const file = suiteFile("multi.suite.json", { grader: "multi.json", cases: [{ model_sample: "a", expect: { sub_rewards: { exact: 1, clos: { min: 0.9, max: 0.1 } } } }] });
    expect(lines(problemsOf(() => loadSuite(file)))).toEqual([
      `${file}: /cases/0/expect/sub_rewards/clos: the multi grader has no child 'clos' (did you mean 'close'?); its children are exact, close`,
      `${file}: /cases/0/expect/sub_rewards/clos: min 0.9 is above max 0.1`,
    ]);
  });

  it("an invalid grader is reported in its own file; an inline one under /grader; a missing one at /grader", () => {
    writeJson(dir, "broken.json", { ...exact, operation: "equals" });
    const viaFile = problemsOf(() => loadSuite(suiteFile("g1.json", { grader: "broken.json", cases: [good] })));
    expect(lines(viaFile)).toEqual([`${join(dir, "broken.json")}: /operation: must be one of "eq", "ne", "like", "ilike"`]);
    const inline = problemsOf(() => loadSuite(suiteFile("g2.json", { grader: { ...exact, operation: "equals" }, cases: [good] })));
    expect(lines(inline)).toEqual([`${join(dir, "g2.json")}: /grader/operation: must be one of "eq", "ne", "like", "ilike"`]);
    const missing = problemsOf(() => loadSuite(suiteFile("g3.json", { grader: "nope.json", cases: [good] })));
    expect(lines(missing)).toEqual([`${join(dir, "g3.json")}: /grader: cannot read the grader file ${join(dir, "nope.json")} (ENOENT)`]);
    const none = problemsOf(() => loadSuite(suiteFile("g4.json", { cases: [good] })));
    expect(lines(none)).toEqual([`${join(dir, "g4.json")}: /grader: missing required field 'grader'`]);
    const number = problemsOf(() => loadSuite(suiteFile("g5.json", { grader: 3, cases: [good] })));
    expect(lines(number)).toEqual([`${join(dir, "g5.json")}: /grader: must be the path of a grader file or a grader object`]);
  });

  it("a JSON syntax error has line and column; a grader given as a suite says what to do; no cases is a problem", () => {
    const file = join(dir, "syntax.suite.json");
    writeFileSync(file, '{\n  "grader": "exact.json",\n  "cases": [,]\n}');
    expect(lines(problemsOf(() => loadSuite(file)))).toEqual([`${file}:3:13: /: not valid JSON: unexpected ',': expected a value`]);
    expect(lines(problemsOf(() => loadSuite(join(dir, "exact.json")))).join()).toContain("this is a grader (type 'string_check'), not a suite: give its cases file after it");
    expect(lines(problemsOf(() => loadSuite(suiteFile("empty.json", { grader: "exact.json", cases: [] }))))).toEqual([
      `${join(dir, "empty.json")}: /cases: must NOT have fewer than 1 items`,
    ]);
  });

  it("the shipped schema accepts the example suites' shape and is what the loader checks", () => {
    const validate = schemaValidator(suiteSchema);
    expect(validate({ grader: exact, cases: [{ model_sample: "a", expect: { reward: 1, errors: ["other_error"], sub_rewards: { a: { min: 0 } } } }] })).toBe(true);
    expect(validate({ grader: "x.json", cases: [{ model_sample: "a", expect: { errors: ["nope"] } }] })).toBe(false);
  });
});

describe("JSONL cases files", () => {
  it("one case per line, blank lines skipped, named by name, id or line", () => {
    const cases = writeLines(dir, "cases.jsonl", [good, "", { id: "b", model_sample: "x", expect: { reward: 0 } }, "  ", { model_sample: "y", expect: {} }]);
    const s = loadCases(join(dir, "exact.json"), cases);
    expect(s.cases.map((c) => [c.name, c.where.line])).toEqual([["ok", 1], ["b", 3], ["line 5", 5]]);
    expect(s.file).toBe(cases);
    expect(s.graderFile).toBe(join(dir, "exact.json"));
  });
  it("problems name FILE:LINE and a pointer into that line's case; syntax errors FILE:LINE:COLUMN", () => {
    const cases = writeLines(dir, "bad.jsonl", [good, '{"model_sample": "a", "expect": {"reward": 1}', { model_sample: "a", expect: { errors: ["other_eror"] } }, { sample: {}, expect: { reward_max: "x" } }, "[1]"]);
    expect(lines(problemsOf(() => loadCases(join(dir, "exact.json"), cases)))).toEqual([
      `${cases}:2:46: /: not valid JSON: unexpected the end of the text: expected ',' or '}' after a property value`,
      `${cases}:3: /expect/errors/0: unknown error flag 'other_eror' (did you mean 'other_error'?)`,
      `${cases}:4: /expect/reward_max: must be number`,
      `${cases}:5: /: must be object`,
    ]);
  });
  it("an empty file has no cases", () => {
    const cases = writeLines(dir, "none.jsonl", [""]);
    expect(lines(problemsOf(() => loadCases(join(dir, "exact.json"), cases)))).toEqual([`${cases}: /: no cases (one JSON object per line)`]);
  });
});

describe("the arguments of graderkit test", () => {
  it("a .jsonl file holds the cases of the grader before it; other files are suites", () => {
    expect(suiteSources(["a.suite.json", "g.json", "c.jsonl", "b.suite.json", "h.json", "d.ndjson"])).toEqual([
      { kind: "suite", file: "a.suite.json" },
      { kind: "cases", grader: "g.json", cases: "c.jsonl" },
      { kind: "suite", file: "b.suite.json" },
      { kind: "cases", grader: "h.json", cases: "d.ndjson" },
    ]);
    expect(() => suiteSources(["c.jsonl"])).toThrow("a cases file must follow the grader file it tests");
  });
});
