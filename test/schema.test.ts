import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateFineTuningJob } from "../src/schema/validate-job.js";
import { validateGrader } from "../src/schema/validate.js";

const stringCheck = { type: "string_check", name: "s", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" };
const textSim = { type: "text_similarity", name: "t", input: "{{ sample.output_text }}", reference: "{{ item.ref }}", evaluation_metric: "bleu" };
const python = { type: "python", name: "p", source: "def grade(sample, item):\n    return 1.0\n", image_tag: "2025-05-08" };
const scoreModel = {
  type: "score_model",
  name: "sm",
  model: "gpt-4o-mini",
  input: [{ role: "user", content: "Grade {{ sample.output_text }}" }],
  range: [0, 1],
  sampling_params: { temperature: 0, seed: 1, top_p: null, max_completions_tokens: 100, reasoning_effort: "low" },
};
const labelModel = {
  type: "label_model",
  name: "lm",
  model: "gpt-4o-mini",
  input: [
    { role: "developer", type: "message", content: "Label it" },
    { role: "user", content: [{ type: "input_text", text: "{{ sample.output_text }}" }, { type: "input_image", image_url: "{{ item.image }}", detail: "low" }] },
    { role: "user", content: { type: "input_audio", input_audio: { data: "{{ item.audio }}", format: "wav" } } },
  ],
  labels: ["good", "bad"],
  passing_labels: ["good"],
};
const multi = { type: "multi", name: "m", graders: { a: stringCheck, b: textSim }, calculate_output: "0.5 * a + 0.5 * b" };

const pointers = (g: unknown, target?: "local" | "rft" | "evals") => validateGrader(g, { target }).problems.map((p) => p.pointer);

describe("schema accepts the spec's grader forms", () => {
  for (const g of [stringCheck, textSim, python, scoreModel, labelModel, multi]) {
    it(`accepts ${g.type}`, () => {
      const r = validateGrader(g);
      expect(r.problems).toEqual([]);
      expect(r.ok).toBe(true);
    });
  }
  it("accepts every text_similarity metric", () => {
    for (const m of ["fuzzy_match", "bleu", "gleu", "meteor", "rouge_1", "rouge_2", "rouge_3", "rouge_4", "rouge_5", "rouge_l", "cosine"]) {
      expect(validateGrader({ ...textSim, evaluation_metric: m }).ok).toBe(true);
    }
  });
  it("accepts label_model, score_model and python inside multi", () => {
    expect(validateGrader({ ...multi, graders: { l: labelModel, s: scoreModel, p: python }, calculate_output: "l + s + p" }, { target: "rft" }).ok).toBe(true);
  });
  it("accepts every bundled example in graders/", () => {
    const dir = new URL("../graders/", import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const r = validateGrader(JSON.parse(readFileSync(new URL(f, dir), "utf8")));
      expect({ f, problems: r.problems }).toEqual({ f, problems: [] });
    }
  });
});

describe("schema rejects", () => {
  const required: Array<[Record<string, unknown>, string[]]> = [
    [stringCheck, ["input", "reference", "operation"]],
    [textSim, ["input", "reference", "evaluation_metric"]],
    [python, ["source"]],
    [scoreModel, ["model", "input"]],
    [labelModel, ["model", "input", "labels", "passing_labels"]],
    [multi, ["graders", "calculate_output"]],
  ];
  for (const [g, fields] of required) {
    for (const field of fields) {
      it(`${g.type} without ${field}`, () => {
        const { [field]: _drop, ...rest } = g;
        const r = validateGrader(rest);
        expect(r.ok).toBe(false);
        expect(r.problems).toContainEqual({ pointer: `/${field}`, message: `missing required field '${field}'`, code: "missing_required_field" });
      });
    }
  }
  it("wrong enums, each at its pointer", () => {
    expect(pointers({ ...stringCheck, operation: "contains" })).toEqual(["/operation"]);
    expect(pointers({ ...textSim, evaluation_metric: "rouge_6" })).toEqual(["/evaluation_metric"]);
    expect(pointers({ ...scoreModel, sampling_params: { reasoning_effort: "extreme" } })).toEqual(["/sampling_params/reasoning_effort"]);
    expect(pointers({ ...scoreModel, input: [{ role: "robot", content: "x" }] })).toEqual(["/input/0/role"]);
    expect(pointers({ ...stringCheck, type: "regex_check" })).toEqual(["/type"]);
  });
  it("reports several problems at once", () => {
    const r = validateGrader({ type: "string_check", name: "s", input: "{{ itm.x }}", operation: "like%" });
    expect(r.problems.map((p) => p.pointer).sort()).toEqual(["/input", "/operation", "/reference"]);
  });
  it("unknown fields (typos) are errors", () => {
    expect(validateGrader({ ...stringCheck, refrence: "x" }).problems).toContainEqual({ pointer: "/refrence", message: "unknown field 'refrence'", code: "unknown_field" });
  });
  it("nested multi", () => {
    const r = validateGrader({ ...multi, graders: { a: stringCheck, inner: multi }, calculate_output: "a + inner" });
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([{ pointer: "/graders/inner/type", message: "nested multi graders are not allowed", code: "nested_multi" }]);
  });
  it("label_model at top level for --target rft only", () => {
    expect(validateGrader(labelModel, { target: "local" }).ok).toBe(true);
    expect(validateGrader(labelModel, { target: "rft" }).problems).toEqual([
      { pointer: "/type", message: "label_model is only allowed inside a multi grader for reinforcement fine-tuning", code: "not_allowed_for_target" },
    ]);
  });
  it("cosine for rft, anywhere", () => {
    const cos = { ...textSim, evaluation_metric: "cosine" };
    expect(validateGrader(cos, { target: "rft" }).problems.map((p) => p.pointer)).toEqual(["/evaluation_metric"]);
    expect(validateGrader({ ...multi, graders: { a: cos }, calculate_output: "a" }, { target: "rft" }).problems.map((p) => p.pointer)).toEqual(["/graders/a/evaluation_metric"]);
    expect(validateGrader(cos, { target: "local" }).ok).toBe(true);
  });
  it("text_similarity without pass_threshold for evals", () => {
    expect(pointers(textSim, "evals")).toEqual(["/pass_threshold"]);
    expect(pointers({ ...textSim, pass_threshold: 0.5 }, "evals")).toEqual([]);
  });
  it("passing_labels not a subset of labels", () => {
    expect(validateGrader({ ...labelModel, passing_labels: ["good", "great"] }).problems).toEqual([
      { pointer: "/passing_labels/1", message: 'passing label "great" is not one of labels', code: "invalid_passing_label" },
    ]);
  });
  it("range with the bounds in the wrong order", () => {
    expect(pointers({ ...scoreModel, range: [1, 0] })).toEqual(["/range"]);
    expect(pointers({ ...scoreModel, range: [0.5, 0.5] })).toEqual(["/range"]);
    expect(pointers({ ...scoreModel, range: [0, 1, 2] })).toEqual(["/range"]);
  });
  it("max_completions_tokens below 1", () => {
    expect(pointers({ ...scoreModel, sampling_params: { max_completions_tokens: 0 } })).toEqual(["/sampling_params/max_completions_tokens"]);
  });
  it("python source without grade, and over 256 kB", () => {
    expect(pointers({ ...python, source: "def score(sample, item):\n    return 1\n" })).toEqual(["/source"]);
    const big = "def grade(sample, item):\n    return 1\n" + "#".repeat(256 * 1024);
    expect(validateGrader({ ...python, source: big }).problems[0].code).toBe("source_too_large");
  });
  it("malformed templates and unknown namespaces", () => {
    expect(pointers({ ...stringCheck, input: "{{ samples.output_text }}" })).toEqual(["/input"]);
    expect(pointers({ ...stringCheck, reference: "{{ item.a[x] }}" })).toEqual(["/reference"]);
    expect(pointers({ ...stringCheck, reference: "{{ }}" })).toEqual(["/reference"]);
    expect(pointers({ ...labelModel, input: [{ role: "user", content: [{ type: "input_image", image_url: "{{ img }}" }] }] })).toEqual(["/input/0/content/0/image_url"]);
  });
  it("formula problems in multi", () => {
    const r = validateGrader({ ...multi, calculate_output: "a + acuracy" });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].pointer).toBe("/calculate_output");
    expect(r.problems[0].code).toBe("formula_parse_error");
    expect(validateGrader({ ...multi, calculate_output: "(a + b" }).problems[0].pointer).toBe("/calculate_output");
  });
  it("a non-object", () => {
    expect(validateGrader([1, 2]).ok).toBe(false);
    expect(validateGrader("x").problems[0].pointer).toBe("");
  });
});

describe("normalization (spec §1, decided)", () => {
  it("fills a missing name with a warning", () => {
    const { name: _n, ...noName } = python;
    const r = validateGrader(noName);
    expect(r.ok).toBe(true);
    expect(r.grader?.name).toBe("python");
    expect(r.warnings.map((w) => w.pointer)).toEqual(["/name"]);
  });
  it("names a multi's nameless children by their key", () => {
    const { name: _n, ...child } = python;
    const r = validateGrader({ type: "multi", graders: { fmt: child }, calculate_output: "fmt" });
    expect(r.ok).toBe(true);
    expect(r.grader).toMatchObject({ name: "multi", graders: { fmt: { name: "fmt" } } });
  });
  it("accepts the single-grader form of multi.graders, keyed by the child's name", () => {
    const r = validateGrader({ type: "multi", name: "m", graders: stringCheck, calculate_output: "s * 2" });
    expect(r.problems).toEqual([]);
    expect(Object.keys((r.grader as { graders: object }).graders)).toEqual(["s"]);
  });
});

describe("template warnings (issue 10 item 28)", () => {
  const check = (input: string, reference = "x") => validateGrader({ type: "string_check", name: "s", input, reference, operation: "eq" });
  it("warns, without failing, on a '{{' that is never closed", () => {
    const r = check("{{ sample.output_text }} {{ oops");
    expect(r.ok).toBe(true);
    expect(r.warnings).toEqual([{ pointer: "/input", message: "'{{' at offset 25 is never closed: it is rendered as plain text", code: "unclosed_placeholder" }]);
  });
  it("warns on a sample field no sample has, with a suggestion", () => {
    const r = check("{{ sample.outptu_text }}", "{{ sample.output_json.answer }} {{ sample.transcript }}");
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => [w.pointer, w.message])).toEqual([
      ["/input", "{{ sample.outptu_text }}: no sample has 'outptu_text' (did you mean sample.output_text?); sample fields are output_text, output_json, output_tools, choices, output_audio"],
      ["/reference", "{{ sample.transcript }}: no sample has 'transcript'; sample fields are output_text, output_json, output_tools, choices, output_audio"],
    ]);
  });
  it("points into multi children", () => {
    const r = validateGrader({ type: "multi", name: "m", graders: { a: { type: "string_check", name: "a", input: "{{ sample.text }}", reference: "x", operation: "eq" } }, calculate_output: "a" });
    expect(r.warnings.map((w) => w.pointer)).toEqual(["/graders/a/input"]);
  });
});

describe("fine-tuning job payload", () => {
  const job = (hp: Record<string, unknown>, grader: unknown = stringCheck) => ({
    model: "o4-mini",
    training_file: "file-abc",
    method: { type: "reinforcement", reinforcement: { grader, hyperparameters: hp } },
  });
  it("accepts every domain's edges and auto", () => {
    expect(validateFineTuningJob(job({ batch_size: 256, n_epochs: 50, learning_rate_multiplier: 0.1, compute_multiplier: 10, eval_interval: 1, eval_samples: "auto", reasoning_effort: "default" }))).toEqual([]);
  });
  it("rejects out-of-domain values", () => {
    const bad: Array<[string, unknown]> = [
      ["batch_size", 0], ["batch_size", 257], ["batch_size", 1.5], ["n_epochs", 51], ["learning_rate_multiplier", 0],
      ["compute_multiplier", 0], ["compute_multiplier", 10.5], ["eval_interval", 0], ["reasoning_effort", "max"], ["beta", 1],
    ];
    for (const [k, v] of bad) expect({ k, v, n: validateFineTuningJob(job({ [k]: v })).length > 0 }).toEqual({ k, v, n: true });
  });
  it("rejects label_model as the RFT grader and cosine inside it", () => {
    expect(validateFineTuningJob(job({}, labelModel)).map((p) => p.pointer)).toContain("/method/reinforcement/grader/type");
    expect(validateFineTuningJob(job({}, { ...textSim, evaluation_metric: "cosine" })).map((p) => p.pointer)).toContain("/method/reinforcement/grader/evaluation_metric");
  });
  it("checks metadata limits", () => {
    const meta = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]));
    expect(validateFineTuningJob({ ...job({}), metadata: meta }).length).toBeGreaterThan(0);
    expect(validateFineTuningJob({ ...job({}), metadata: { k: "x".repeat(513) } }).length).toBeGreaterThan(0);
    expect(validateFineTuningJob({ ...job({}), metadata: { k: "x".repeat(512) } })).toEqual([]);
  });
});
