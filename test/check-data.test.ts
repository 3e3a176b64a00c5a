// `graderkit check-data`: the formats of the three methods, file-level checks, the grader's item
// fields on reinforcement rows, token counts (checked against OpenAI's tiktoken, compiled to WASM)
// and the cookbook's estimate (its rule, numpy's quantiles).
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { get_encoding, type Tiktoken } from "tiktoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkTrainingData } from "../src/datasets/check-data.js";
import { defaultEpochs } from "../src/datasets/estimate.js";
import { invalidUtf8Offset, readLines } from "../src/datasets/lines.js";
import { countExampleTokens, loadTokenizer } from "../src/datasets/tokens.js";
import { checkedGrader } from "../src/schema/load.js";
import { percentileOfSorted } from "../src/util/percentile.js";
import { tempDir, writeLines } from "./helpers/cli.js";
import { runMain } from "./helpers/run-main.js";

let dir: string;
const reference: Partial<Record<"o200k_base" | "cl100k_base", Tiktoken>> = {};
const refCount = (encoding: "o200k_base" | "cl100k_base", text: string) => {
  reference[encoding] ??= get_encoding(encoding);
  return reference[encoding]!.encode(text, [], []).length;
};

beforeAll(() => {
  dir = tempDir("graderkit-check-data-");
});
afterAll(() => {
  for (const enc of Object.values(reference)) enc?.free();
});

const user = (content: unknown) => ({ role: "user", content });
const assistant = (content: unknown, extra: object = {}) => ({ role: "assistant", content, ...extra });
const sft = (i: number) => ({ messages: [{ role: "system", content: "Be brief." }, user(`Question ${i}?`), assistant(`Answer ${i}.`)] });
const tenValid = (extra: Array<string | object> = []) => [...Array.from({ length: 10 }, (_, i) => sft(i)), ...extra];

/** Problems of a file as "line pointer code severity" strings, for compact expectations. */
async function findings(lines: Array<string | object>, options: Parameters<typeof checkTrainingData>[1], name = "data.jsonl") {
  const file = writeLines(dir, name, lines);
  const report = await checkTrainingData(file, options);
  return { report, list: report.problems.map((p) => `${p.line ?? "-"} ${p.pointer || "/"} ${p.code} ${p.severity}`) };
}

describe("token counts", () => {
  const texts = [
    "tiktoken is great!",
    "Hello, world! Hello,   world!\n\n\tTabs and  spaces   ",
    "Ünïcödé — 東京タワー, 서울, Москва, emoji 🙂🚀 and ZWJ 👩‍👩‍👧",
    "def f(x):\n    return x ** 2  # squares\n",
    "special-token text <|endoftext|> and <|im_start|> is plain text here",
    "1234567890 3.14159 -42 1e-9 0x1F",
    "a".repeat(5000),
  ];
  for (const encoding of ["o200k_base", "cl100k_base"] as const) {
    it(`${encoding} counts what OpenAI's tiktoken counts`, async () => {
      const tok = await loadTokenizer(encoding);
      for (const t of texts) expect({ t: t.slice(0, 30), n: tok.count(t) }).toEqual({ t: t.slice(0, 30), n: refCount(encoding, t) });
    });
  }

  it("follows the cookbook's rule: 3 per message, every string value, +1 per name, +3 per example", async () => {
    const tok = await loadTokenizer("o200k_base");
    const messages = [
      { role: "system", content: "You are terse." },
      { role: "user", name: "ann", content: "Sum 2 and 2." },
      { role: "assistant", content: "4", weight: 1 },
    ];
    const r = (t: string) => refCount("o200k_base", t);
    const expected = 3 * 3 + r("system") + r("You are terse.") + r("user") + r("ann") + 1 + r("Sum 2 and 2.") + r("assistant") + r("4") + 3;
    expect(countExampleTokens(messages, undefined, tok)).toBe(expected);
  });

  it("counts text parts, tool calls and tool definitions (decided); images and weights count nothing", async () => {
    const tok = await loadTokenizer("o200k_base");
    const r = (t: string) => refCount("o200k_base", t);
    const tools = [{ type: "function", function: { name: "calc", parameters: { type: "object" } } }];
    const messages = [
      user([{ type: "text", text: "What is shown?" }, { type: "image_url", image_url: { url: "https://x/y.png" } }]),
      { role: "assistant", tool_calls: [{ id: "c1", type: "function", function: { name: "calc", arguments: '{"x": 1}' } }] },
    ];
    const expected = 3 + (3 + r("user") + r("What is shown?")) + (3 + r("assistant") + r("calc") + r('{"x": 1}')) + r(JSON.stringify(tools));
    expect(countExampleTokens(messages, tools, tok)).toBe(expected);
  });
});

describe("the cookbook's estimate", () => {
  it("n_epochs: 3, clamped so that examples × epochs is within [100, 25,000] and epochs within [1, 25]", () => {
    // The cookbook's toy dataset has 5 examples: "By default, you'll train for 20 epochs".
    const cases: Array<[number, number]> = [[5, 20], [1, 25], [3, 25], [10, 10], [33, 3], [34, 3], [40, 3], [8333, 3], [8334, 2], [10_000, 2], [25_000, 1], [100_000, 1]];
    for (const [examples, epochs] of cases) expect({ examples, epochs: defaultEpochs(examples) }).toEqual({ examples, epochs });
  });

  it("p50 / p95 interpolate as numpy's quantile does", () => {
    // numpy 2.4: float(numpy.median(v)), float(numpy.quantile(v, 0.95)) for these values.
    const values = [26, 27, 45, 100, 8032, 3, 3, 17];
    const sorted = [...values].sort((a, b) => a - b);
    expect(percentileOfSorted(sorted, 50)).toBe(26.5);
    expect(percentileOfSorted(sorted, 95)).toBeCloseTo(5255.799999999996, 9);
  });

  it("billed tokens = Σ min(context, length) × epochs; over-context examples are warnings", async () => {
    const long = { messages: [user("word ".repeat(20_000)), assistant("ok")] };
    const file = writeLines(dir, "long.jsonl", [...tenValid(), long]);
    const tok = await loadTokenizer("cl100k_base");
    const lengths = [...tenValid(), long].map((e) => countExampleTokens((e as { messages: unknown[] }).messages, undefined, tok));
    const report = await checkTrainingData(file, { method: "supervised", model: "gpt-3.5-turbo-0125" });
    expect(report.model).toMatchObject({ encoding: "cl100k_base", trainingContext: 16_385, known: true });
    expect(report.tokens.total).toBe(lengths.reduce((a, b) => a + b, 0));
    expect(report.tokens.max).toBe(Math.max(...lengths));
    expect(report.estimate.n_epochs).toBe(9); // 11 examples: 100 // 11
    expect(report.estimate.billed_tokens).toBe(lengths.reduce((a, n) => a + Math.min(16_385, n), 0) * 9);
    expect(report.overContext).toBe(1);
    expect(report.problems.map((p) => [p.line, p.code, p.severity])).toEqual([[11, "over_context", "warning"]]);
  });
});

describe("supervised examples", () => {
  it("the bundled valid file has no problems; the broken one has each, at its line", async () => {
    const ok = await checkTrainingData("datasets/train-supervised.jsonl", { method: "supervised", model: "gpt-4o-mini-2024-07-18" });
    expect(ok.problems).toEqual([]);
    const bad = await checkTrainingData("datasets/train-supervised.broken.jsonl", { method: "supervised" });
    expect(bad.problems.map((p) => `${p.line ?? "-"} ${p.pointer || "/"} ${p.code}`)).toEqual([
      "1 /messages/2/role unrecognized_role",
      "1 /messages example_missing_assistant_message",
      "2 /messages/1/weight invalid_weight",
      "3 / blank_line",
      "4 /messages example_missing_assistant_message",
      "5 / invalid_json",
      "6 /messages/0/weight message_unrecognized_key",
      "6 /messages/1/content/0 image_in_assistant_message",
      "8 / duplicate_example",
      "- / too_few_examples",
    ]);
    expect(bad.problems[0]!.message).toContain('unknown role "assistent" (did you mean assistant?)');
    expect(bad.problems[5]!.message).toBe("not valid JSON: column 49: trailing comma before ']'");
  });

  it("checks keys per role, content parts, images, tool calls and tools", async () => {
    const big = "data:image/png;base64," + "A".repeat(14 * 1024 * 1024);
    const { list } = await findings(
      tenValid([
        { messages: [{ role: "user", content: "x", tool_call_id: "1" }, assistant("y", { weigth: 1 })] },
        { messages: [user([{ type: "text", text: "a" }, { type: "image", url: "u" }, { type: "image_url", image_url: { url: "data:image/gif;base64,AAAA" } }]), assistant("b")] },
        { messages: [user(Array.from({ length: 11 }, () => ({ type: "image_url", image_url: { url: "https://x/i.png" } }))), assistant("ok")] },
        { messages: [user([{ type: "image_url", image_url: { url: big } }]), assistant("ok")] },
        { tools: [{ type: "function", function: { name: "calc" } }], messages: [user("2+2"), { role: "assistant", tool_calls: [{ id: "c1", type: "function", function: { name: "calk", arguments: "{x" } }] }, { role: "tool", tool_call_id: "c2", content: "4" }, assistant("4")] },
        { messages: [{ role: "system" }, user(""), assistant(null), { role: "function", content: "r" }] },
      ]),
      { method: "supervised" },
    );
    expect(list).toEqual([
      "11 /messages/0/tool_call_id message_unrecognized_key error",
      "11 /messages/1/weigth message_unrecognized_key error",
      "12 /messages/0/content/1/type unknown_content_type error",
      "12 /messages/0/content/2/image_url/url invalid_image_url error",
      "13 /messages too_many_images error",
      "14 /messages/0/content/0/image_url/url image_too_large error",
      "15 /messages/1/tool_calls/0/function/arguments invalid_tool_arguments warning",
      "15 /messages/2/tool_call_id unknown_tool_call_id warning",
      "15 /messages/1/tool_calls/0/function/name unknown_tool warning",
      "16 /messages/0/content message_missing_key error",
      "16 /messages/1/content missing_content error",
      "16 /messages/2/content missing_content error",
      "16 /messages/3/name message_missing_key error",
    ]);
  });
});

describe("dpo examples", () => {
  it("the bundled files: valid has no problems; broken has each", async () => {
    expect((await checkTrainingData("datasets/train-dpo.jsonl", { method: "dpo" })).problems).toEqual([]);
    const bad = await checkTrainingData("datasets/train-dpo.broken.jsonl", { method: "dpo" });
    expect(bad.problems.map((p) => `${p.line ?? "-"} ${p.pointer || "/"} ${p.code} ${p.severity}`)).toEqual([
      "1 /preferred_completion deprecated_key warning",
      "1 /non_preferred_completion deprecated_key warning",
      "2 /preferred_output invalid_output error",
      "2 /non_preferred_output/0/role unrecognized_role error",
      "3 /messages unknown_key warning",
      "3 /input missing_messages_list error",
      "3 /non_preferred_output missing_messages_list error",
      "- / too_few_examples error",
    ]);
  });
});

describe("reinforcement examples and the grader", () => {
  const grader = () => checkedGrader(JSON.parse(readFileSync("graders/rft-reward.multi.json", "utf8")), { target: "rft" });

  it("every {{ item.* }} of the grader, multi children included, must resolve on every row", async () => {
    const ok = await checkTrainingData("datasets/train-reinforcement.jsonl", { method: "reinforcement", grader: grader() });
    expect(ok.problems).toEqual([]);
    const bad = await checkTrainingData("datasets/train-reinforcement.broken.jsonl", { method: "reinforcement", grader: grader() });
    const missing = bad.problems.filter((p) => p.code === "missing_item_field");
    expect(missing.map((p) => [p.line, p.pointer])).toEqual([[2, "/answer"], [4, "/question"]]);
    expect(missing[0]!.message).toBe("the grader's /graders/accuracy/reference reads {{ item.answer }}: item.answer does not exist in this item (item has: question, gold, id)");
    expect(bad.problems.filter((p) => p.code === "last_message_role").map((p) => [p.line, p.pointer])).toEqual([[3, "/messages/2/role"]]);
    expect(bad.problems.filter((p) => p.code === "unrecognized_role").map((p) => p.line)).toEqual([3]);
  });

  it("nested paths and indexes resolve inside the item; the row pointer is where the value should be", async () => {
    const g = checkedGrader({ type: "string_check", name: "s", input: "{{ sample.output_text }}", reference: "{{ item.ref.answers[1] }}", operation: "eq" }, { target: "rft" });
    const row = (ref: unknown) => ({ messages: [user("q")], ref });
    const { list, report } = await findings([row({ answers: ["a", "b"] }), row({ answers: ["a"] }), row("text"), ...Array.from({ length: 7 }, () => row({ answers: ["x", "y"] }))], { method: "reinforcement", grader: g });
    expect(list).toEqual(["2 /ref/answers/1 missing_item_field error", "3 /ref/answers/1 missing_item_field error", ...Array.from({ length: 6 }, (_, i) => `${i + 5} / duplicate_example warning`)]);
    expect(report.problems[1]!.message).toContain("(item.ref is a string)");
  });

  it("warns on sample placeholders no sample of the job will have", async () => {
    const g = checkedGrader(
      { type: "multi", name: "m", graders: { t: { type: "string_check", name: "t", input: "{{ sample.output_tools[0].function.name }}", reference: "x", operation: "eq" }, a: { type: "string_check", name: "a", input: "{{ sample.output }}", reference: "x", operation: "eq" } }, calculate_output: "t + a" },
      { target: "rft" },
    );
    const rows = Array.from({ length: 10 }, (_, i) => ({ messages: [user(`q${i}`)] }));
    const { report } = await findings(rows, { method: "reinforcement", grader: g, graderFile: "g.json" });
    expect(report.problems.map((p) => [p.file, p.pointer, p.severity])).toEqual([
      ["g.json", "/graders/t/input", "warning"],
      ["g.json", "/graders/a/input", "warning"],
    ]);
    expect(report.problems[0]!.message).toContain("no row offers tools");
  });

  it("reinforcement rows may not have system messages and must end with the user (or developer)", async () => {
    const rows = [{ messages: [{ role: "developer", content: "d" }, user("q")], answer: "a" }, { messages: [user("q"), assistant("a")] }, { messages: [{ role: "developer", content: "only" }] }];
    const { list } = await findings([...rows, ...Array.from({ length: 8 }, (_, i) => ({ messages: [user(`x${i}`)] }))], { method: "reinforcement" });
    expect(list).toEqual(["2 /messages/1/role last_message_role error"]);
  });
});

describe("file-level checks", () => {
  it("BOM (warning), invalid UTF-8 bytes, runs of blank lines, fewer than 10 examples", async () => {
    const file = join(dir, "bytes.jsonl");
    const line = (i: number) => Buffer.from(JSON.stringify(sft(i)) + "\n");
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), line(0), Buffer.from("\n  \n\r\n"), line(1), Buffer.from('{"messages": "caf\xe9"}\n', "latin1"), line(2)]));
    const report = await checkTrainingData(file, { method: "supervised" });
    expect(report.problems.map((p) => `${p.line ?? "-"} ${p.code} ${p.severity}`)).toEqual(["1 bom warning", "2 blank_line error", "6 invalid_utf8 error", "- too_few_examples error"]);
    expect(report.problems[1]!.message).toBe("blank lines 2-4: every line of a training file must be a JSON object");
    expect(report.problems[2]!.message).toContain("byte 18 of the line, 0xe9");
    expect(report.examples).toBe(4);
  });

  it("finds the first invalid byte of UTF-8 as RFC 3629 defines it", () => {
    expect(invalidUtf8Offset(Buffer.from("héllo 東京 🙂"))).toBe(-1);
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1); // a surrogate
    expect(invalidUtf8Offset(Buffer.from([0x61, 0x62, 0xe6, 0x9d]))).toBe(2); // truncated
    expect(invalidUtf8Offset(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // > U+10FFFF
  });

  it("a file over the size limit is an error (the limit is an option, so the test stays small)", async () => {
    const file = writeLines(dir, "size.jsonl", tenValid());
    const report = await checkTrainingData(file, { method: "supervised", limits: { fileBytes: 1000 } });
    expect(report.problems.map((p) => p.code)).toEqual(["file_too_large"]);
  });

  it("duplicates are warnings, whatever the key order", async () => {
    const { list } = await findings(tenValid([{ messages: sft(3).messages.map((m) => ({ content: m.content, role: m.role })) }]), { method: "supervised" });
    expect(list).toEqual(["11 / duplicate_example warning"]);
  });

  it("reads a large file as a stream: memory stays flat", () => {
    const file = join(dir, "big.jsonl");
    const row = JSON.stringify(sft(1)) + "\n";
    writeFileSync(file, row.repeat(Math.ceil((160 * 1024 * 1024) / row.length)));
    const script = `import { readLines } from ${JSON.stringify(new URL("../dist/datasets/lines.js", import.meta.url).pathname)};
let n = 0; for await (const l of readLines(${JSON.stringify(file)})) n += l.bytes.length > 0 ? 1 : 0;
console.log(JSON.stringify({ n, rssMb: process.resourceUsage().maxRSS / 1024 }));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const { n, rssMb } = JSON.parse(r.stdout) as { n: number; rssMb: number };
    expect(n).toBe(Math.ceil((160 * 1024 * 1024) / row.length));
    expect(rssMb).toBeLessThan(120); // the file is 160 MB
  });

  it("a long line that spans many chunks is one line", async () => {
    const file = join(dir, "longline.jsonl");
    writeFileSync(file, "x".repeat(3 * 1024 * 1024 + 5) + "\nshort");
    const lines = [];
    for await (const l of readLines(file)) lines.push([l.number, l.bytes.length]);
    expect(lines).toEqual([[1, 3 * 1024 * 1024 + 5], [2, 5]]);
  });
});

describe("graderkit check-data (CLI)", () => {
  it("prints FILE:LINE: /pointer: message lines and a summary; exit 1 on errors", async () => {
    const r = await runMain(["check-data", "datasets/train-supervised.broken.jsonl", "--method", "supervised"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("datasets/train-supervised.broken.jsonl:2: /messages/1/weight: weight must be 0 or 1, got 2\n");
    expect(r.stdout).toContain("warning: datasets/train-supervised.broken.jsonl:8: /: the same example as line 7\n");
    expect(r.stdout).toContain("datasets/train-supervised.broken.jsonl: /: 7 examples; a training file needs at least 10\n");
    expect(r.stdout).toMatch(/tokens \(no --model: o200k_base, training context 65,536\): total \d+/);
  });

  it("exit 0 with warnings only; --json has exactly the documented shape", async () => {
    const r = await runMain(["check-data", "datasets/train-supervised.jsonl", "--method", "supervised", "--model", "mystery-model", "--json"]);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(Object.keys(body)).toEqual(["file", "method", "examples", "problems", "tokens", "estimate"]);
    expect(Object.keys(body.tokens)).toEqual(["total", "max", "mean", "p50", "p95"]);
    expect(Object.keys(body.estimate)).toEqual(["n_epochs", "billed_tokens"]);
    expect(body.problems).toEqual([{ line: null, pointer: "", message: expect.stringContaining("unknown model 'mystery-model': tokens counted with o200k_base"), severity: "warning" }]);
    expect(body.examples).toBe(12);
  });

  it("--grader on reinforcement rows; usage errors exit 2", async () => {
    const r = await runMain(["check-data", "datasets/train-reinforcement.broken.jsonl", "--method", "reinforcement", "--grader", "graders/rft-reward.multi.json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("datasets/train-reinforcement.broken.jsonl:2: /answer: the grader's /graders/accuracy/reference reads {{ item.answer }}: item.answer does not exist in this item (item has: question, gold, id)");
    expect((await runMain(["check-data", "datasets/train-dpo.jsonl"])).code).toBe(2);
    expect((await runMain(["check-data", "datasets/train-dpo.jsonl", "--method", "dpo", "--grader", "graders/exact-answer.json"])).code).toBe(2);
    expect((await runMain(["check-data", "nope.jsonl", "--method", "dpo"])).stderr).toContain("nope.jsonl: cannot read (ENOENT)");
    const invalid = await runMain(["check-data", "datasets/train-reinforcement.jsonl", "--method", "reinforcement", "--grader", "graders/answer-cosine.json"]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("evals-only");
  });
});
