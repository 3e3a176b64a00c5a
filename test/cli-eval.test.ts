// `graderkit eval` as a user runs it: the summary and --json, -o output items, the
// --min-pass-rate gate, invalid documents and files (exit 2), --run against a local
// OpenAI-compatible server, and --from-output-items --compare.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, parseRows, tempDir, writeJson } from "./helpers/cli.js";
import { answer, startFakeOpenAI, type FakeOpenAIServer } from "./helpers/fake-openai-server.js";

const EVAL = "graders/evals/capitals.eval.json";
const DATA = "datasets/capitals.jsonl";
const RUN = "graders/evals/capitals.run.json";
let dir: string;
let server: FakeOpenAIServer;

beforeAll(async () => {
  dir = tempDir("graderkit-cli-eval-");
  server = await startFakeOpenAI();
});
afterAll(async () => {
  await server?.close();
});

describe("graderkit eval", () => {
  it("prints a summary; --json the eval.run object; -o one output item per row", async () => {
    const text = await cli(["eval", EVAL, DATA]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('eval "Capital cities" (eval_68a1c0ffee5e4b1c9d2e3f4a5b6c7d8e)');
    expect(text.stdout).toContain("items: 6  passed 2 (33.3%)  failed 3  errored 1");
    expect(text.stdout).toMatch(/close-to-answer +text_similarity +passes at score >= 0\.8 +passed 2 +failed 3/);
    expect(text.stdout).toContain(`${DATA}:5 (item 4): the item does not match the eval's item schema: /item/answer: missing required field 'answer'`);

    const out = join(dir, "items.jsonl");
    const json = await cli(["eval", EVAL, DATA, "--json", "-o", out]);
    expect(json.code, json.stderr).toBe(0);
    const run = JSON.parse(json.stdout);
    expect(run).toMatchObject({ object: "eval.run", status: "completed", result_counts: { total: 6, errored: 1, failed: 3, passed: 2 } });
    const items = parseRows(readFileSync(out, "utf8"));
    expect(items).toHaveLength(6);
    expect(items.map((i) => i.status)).toEqual(["pass", "fail", "fail", "fail", "error", "pass"]);
    expect(new Set(items.map((i) => i.run_id))).toEqual(new Set([run.id]));
  });

  it("prints exactly the summary the README shows", async () => {
    const readme = readFileSync("README.md", "utf8");
    const shown = /```\n(eval "Capital cities"[\s\S]*?)```/.exec(readme)?.[1];
    expect(shown).toBeDefined();
    expect((await cli(["eval", EVAL, DATA])).stdout).toBe(shown);
  });

  it("--min-pass-rate: exit 1 below it, 0 at or above it", async () => {
    const below = await cli(["eval", EVAL, DATA, "--min-pass-rate", "0.5"]);
    expect(below.code).toBe(1);
    expect(below.stderr).toContain("pass rate 0.3333 is below --min-pass-rate 0.5");
    const above = await cli(["eval", EVAL, DATA, "--min-pass-rate", "0.33"]);
    expect(above.code, above.stderr).toBe(0);
    expect((await cli(["eval", EVAL, DATA, "--min-pass-rate", "1.5"])).code).toBe(2);
  });

  it("an invalid eval is exit 2 with FILE: /pointer: message lines", async () => {
    const doc = JSON.parse(readFileSync(EVAL, "utf8"));
    doc.testing_criteria[0].operation = "equals";
    delete doc.testing_criteria[1].pass_threshold;
    const bad = writeJson(dir, "bad.eval.json", doc);
    const r = await cli(["eval", bad, DATA]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: /testing_criteria/0/operation: must be one of "eq", "ne", "like", "ilike"`);
    expect(r.stderr).toContain(`${bad}: /testing_criteria/1/pass_threshold: evals require 'pass_threshold' on text_similarity`);
    expect(r.stdout).toBe("");

    const syntax = join(dir, "syntax.eval.json");
    writeFileSync(syntax, '{\n  "testing_criteria": [\n    {"type": \'x\'}\n  ]\n}\n');
    const s = await cli(["eval", syntax, DATA]);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain(`${syntax}:3:14: /: not valid JSON: line 3, column 14: strings must use double quotes`);
  });

  it("warns once, on stderr, about a field of the eval it ignores", async () => {
    const doc = { ...JSON.parse(readFileSync(EVAL, "utf8")), share_with_openai: false, owner: "geo" };
    const file = writeJson(dir, "extra.eval.json", doc);
    const r = await cli(["eval", file, DATA, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`warning: ${file}: /owner: unknown field 'owner' (ignored)\n`);
    expect(JSON.parse(r.stdout).object).toBe("eval.run");
  });

  it("unreadable and unwritable files are exit 2 naming the file", async () => {
    const missingData = await cli(["eval", EVAL, join(dir, "nope.jsonl")]);
    expect(missingData.code).toBe(2);
    expect(missingData.stderr).toContain(`${join(dir, "nope.jsonl")}: cannot open (ENOENT)`);
    const missingEval = await cli(["eval", join(dir, "nope.json"), DATA]);
    expect(missingEval.code).toBe(2);
    expect(missingEval.stderr).toContain("cannot read (ENOENT)");
    const badOut = await cli(["eval", EVAL, DATA, "-o", join(dir, "no-such-dir", "items.jsonl")]);
    expect(badOut.code).toBe(2);
    expect(badOut.stderr).toContain("cannot write (ENOENT)");
  });

  it("usage errors: no data, --compare without --from-output-items, a malformed --file", async () => {
    const cases: Array<[string[], string]> = [
      [["eval", EVAL], "eval needs DATA.jsonl, or --run RUN.json"],
      [["eval", EVAL, DATA, "--compare"], "--compare compares re-graded output items"],
      [["eval", EVAL, DATA, "--from-output-items", "--run", RUN], "give one of them"],
      [["eval", EVAL, "--run", RUN, "--file", "file-1"], "--file expects ID=PATH (a run's file id and the local JSONL file), got 'file-1'"],
      [["eval", EVAL, "--run", RUN, "--file", "file-1="], "--file expects ID=PATH (a run's file id and the local JSONL file), got 'file-1='"],
      [["eval", EVAL, "--run", RUN, "--file", "file-1=a.jsonl", "--file", "file-1=b.jsonl"], "--file file-1 is given more than once"],
      // stdout is the summary's: refused, where it once wrote a file named '-'.
      [["eval", EVAL, DATA, "-o", "-"], "-o -: eval prints its summary on stdout, so output items need a file"],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(existsSync("-")).toBe(false);
  });

  it("--run: samples come from the model endpoint; the run's file_id is mapped with --file", async () => {
    const noFile = await cli(["eval", EVAL, "--run", RUN, "--model-base-url", server.url]);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain("--file file-Capitals2025=PATH");
    const noEndpoint = await cli(["eval", EVAL, "--run", RUN, "--file", "file-Capitals2025=datasets/capitals-items.jsonl"], { env: { OPENAI_BASE_URL: "" } });
    expect(noEndpoint.code).toBe(2);
    expect(noEndpoint.stderr).toContain("executors.model.baseUrl / --model-base-url");

    const before = server.requestsTo("chat/completions").length;
    server.chat(...["Paris", "Tokyo", "Sydney", "Ottawa"].map((t) => answer(t)));
    const out = join(dir, "run-items.jsonl");
    const args = ["eval", EVAL, "--run", RUN, "--file", "file-Capitals2025=datasets/capitals-items.jsonl", "--model-base-url", server.url, "--cache-dir", join(dir, "cache"), "--concurrency", "1", "--json", "-o", out];
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(server.requestsTo("chat/completions").length - before).toBe(4);
    const run = JSON.parse(r.stdout);
    expect(run).toMatchObject({ model: "gpt-4o-mini", result_counts: { total: 4, passed: 3, failed: 1, errored: 0 } });
    expect(parseRows(readFileSync(out, "utf8")).map((i) => i.sample.output[0].content)).toEqual(["Paris", "Tokyo", "Sydney", "Ottawa"]);
    // Again: every sample from the cache, and the summary says so.
    const again = await cli([...args.filter((a) => a !== "--json")]);
    expect(again.code, again.stderr).toBe(0);
    expect(server.requestsTo("chat/completions").length - before).toBe(4);
    expect(again.stdout).toContain("cache: 4 hits, 0 misses");
    expect(again.stdout).toContain(", samples from gpt-4o-mini");
  });

  it("--from-output-items --compare: the agreement, as text and in --json", async () => {
    const items = "datasets/capitals-output-items.jsonl";
    const text = await cli(["eval", EVAL, items, "--from-output-items", "--compare"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/item status +4\/4 agree/);
    expect(text.stdout).toMatch(/close-to-answer +passed 4\/4 agree +score 4\/4 agree/);
    expect(text.stdout).toContain("no differences");
    const json = await cli(["eval", EVAL, items, "--from-output-items", "--compare", "--json"]);
    const body = JSON.parse(json.stdout);
    expect(body).toMatchObject({ object: "eval.run", comparison: { items: 4, status_agreed: 4, differences: [] } });

    const hosted = readFileSync(items, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    hosted[3].results[1].passed = true;
    const altered = join(dir, "altered.jsonl");
    writeFileSync(altered, hosted.map((h) => JSON.stringify(h)).join("\n") + "\n");
    const diff = await cli(["eval", EVAL, altered, "--from-output-items", "--compare"]);
    expect(diff.code).toBe(0); // --compare informs; it is not a gate
    expect(diff.stdout).toContain(`${altered}:4 (item 3): close-to-answer: hosted passed true score 0.571429, local passed false score 0.571429`);
  });

  it("is listed in graderkit --help", async () => {
    const r = await cli(["--help"]);
    expect(r.stdout).toMatch(/^ {2}eval +Run an exported OpenAI eval locally/m);
  });
});
