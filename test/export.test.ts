// `graderkit export` for all three methods, and the job body schema behind it (GRADERS §9):
// hyperparameter domains with one message each (issue 10 item 31), a hyperparameter of another
// method named as such, repeated flags, integrations, metadata limits, flag-named errors.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFineTuningJob } from "../src/export/fine-tuning-job.js";
import { IntegrationSyntaxError, parseIntegration } from "../src/export/integrations.js";
import { modelInfo } from "../src/export/models.js";
import { describeDomain, HYPERPARAMETER_DOMAINS } from "../src/schema/fine-tuning.js";
import { validateFineTuningJob } from "../src/schema/validate-job.js";
import { tempDir, writeJson } from "./helpers/cli.js";
import { runMain } from "./helpers/run-main.js";

const exact = { type: "string_check", name: "exact", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" };
let exactPath: string;
const base = ["--model", "o4-mini-2025-04-16", "--training-file", "file-t", "--validation-file", "file-v"];

beforeAll(() => {
  exactPath = writeJson(tempDir(), "exact.json", exact);
});

describe("hyperparameter domains (issue 10 item 31)", () => {
  it("describes each domain in words a user can act on", () => {
    expect(describeDomain(HYPERPARAMETER_DOMAINS.n_epochs)).toBe('an integer 1..50 or "auto"');
    expect(describeDomain(HYPERPARAMETER_DOMAINS.batch_size)).toBe('an integer 1..256 or "auto"');
    expect(describeDomain(HYPERPARAMETER_DOMAINS.beta)).toBe('a number in (0, 2] or "auto"');
    expect(describeDomain(HYPERPARAMETER_DOMAINS.learning_rate_multiplier)).toBe('a number > 0 or "auto"');
    expect(describeDomain(HYPERPARAMETER_DOMAINS.eval_interval)).toBe('an integer >= 1 or "auto"');
    expect(describeDomain(HYPERPARAMETER_DOMAINS.reasoning_effort)).toBe('one of "default", "low", "medium", "high"');
  });

  it("--hp n_epochs=two and --hp batch_size=0 each print one message naming the domain", async () => {
    const two = await runMain(["export", exactPath, ...base, "--hp", "n_epochs=two"]);
    expect(two.code).toBe(1);
    expect(two.stderr).toContain('--hp n_epochs: must be an integer 1..50 or "auto", got "two"');
    expect(two.stderr).not.toContain('must be "auto"\n');
    const zero = await runMain(["export", exactPath, ...base, "--hp", "batch_size=0"]);
    expect(zero.code).toBe(1);
    const lines = zero.stderr.split("\n").filter((l) => l.includes("batch_size"));
    expect(lines).toEqual(['--hp batch_size: must be an integer 1..256 or "auto", got 0']);
  });

  it("a body with a bad hyperparameter has one problem per key, at the key", () => {
    const body = { model: "m", training_file: "f", method: { type: "supervised", supervised: { hyperparameters: { batch_size: 0, n_epochs: "two", learning_rate_multiplier: "auto" } } } };
    expect(validateFineTuningJob(body)).toEqual([
      { pointer: "/method/supervised/hyperparameters/batch_size", message: 'batch_size must be an integer 1..256 or "auto", got 0', code: "invalid_hyperparameter" },
      { pointer: "/method/supervised/hyperparameters/n_epochs", message: 'n_epochs must be an integer 1..50 or "auto", got "two"', code: "invalid_hyperparameter" },
    ]);
  });

  it("accepts every domain's edges and refuses just past them", () => {
    const edges: Array<[string, unknown, boolean]> = [
      ["n_epochs", 1, true], ["n_epochs", 50, true], ["n_epochs", 51, false], ["n_epochs", 0, false], ["n_epochs", 2.5, false],
      ["beta", 2, true], ["beta", 2.0001, false], ["beta", 0, false], ["beta", 1e-9, true],
      ["batch_size", 256, true], ["batch_size", 257, false], ["learning_rate_multiplier", 0, false], ["learning_rate_multiplier", 100, true],
    ];
    for (const [key, value, ok] of edges) {
      const method = key === "beta" ? "dpo" : "supervised";
      const problems = validateFineTuningJob({ model: "m", training_file: "f", method: { type: method, [method]: { hyperparameters: { [key]: value } } } });
      expect({ key, value, ok: problems.length === 0 }).toEqual({ key, value, ok });
    }
  });
});

describe("graderkit export --method", () => {
  it("supervised and dpo jobs need no grader; their hyperparameters go under the method", async () => {
    const sft = await runMain(["export", "--method", "supervised", "--model", "gpt-4o-mini-2024-07-18", "--training-file", "file-t", "--hp", "n_epochs=3", "--hp", "batch_size=auto", "--seed", "42"]);
    expect(sft.stderr).toBe("");
    expect(sft.code).toBe(0);
    expect(JSON.parse(sft.stdout)).toEqual({
      model: "gpt-4o-mini-2024-07-18",
      training_file: "file-t",
      seed: 42,
      method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 3, batch_size: "auto" } } },
    });
    const dpo = await runMain(["export", "--method", "dpo", "--model", "gpt-4o-mini", "--training-file", "file-t", "--hp", "beta=0.1"]);
    expect(dpo.code).toBe(0);
    expect(JSON.parse(dpo.stdout).method).toEqual({ type: "dpo", dpo: { hyperparameters: { beta: 0.1 } } });
    expect(validateFineTuningJob(JSON.parse(dpo.stdout))).toEqual([]);
  });

  it("today's form (a positional grader) is a reinforcement job", async () => {
    const r = await runMain(["export", "graders/answer-quality.multi.json", ...base, "--hp", "compute_multiplier=auto"]);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.method.type).toBe("reinforcement");
    expect(body.method.reinforcement.grader).toEqual(JSON.parse(readFileSync("graders/answer-quality.multi.json", "utf8")));
    expect(body.method.reinforcement.hyperparameters).toEqual({ compute_multiplier: "auto" });
  });

  it("a hyperparameter of another method names the method it belongs to", async () => {
    const r = await runMain(["export", "--method", "supervised", "--model", "m", "--training-file", "f", "--hp", "beta=0.1", "--hp", "compute_multiplier=2", "--hp", "n_epoch=3"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--hp beta: a dpo hyperparameter, not supervised; supervised takes batch_size, learning_rate_multiplier, n_epochs");
    expect(r.stderr).toContain("--hp compute_multiplier: a reinforcement hyperparameter, not supervised");
    expect(r.stderr).toContain("--hp n_epoch: not a hyperparameter (did you mean n_epochs?)");
    const rft = await runMain(["export", exactPath, ...base, "--hp", "beta=1"]);
    expect(rft.stderr).toContain("--hp beta: a dpo hyperparameter, not reinforcement");
  });

  it("a repeated --hp or --metadata key is a usage error (exit 2)", async () => {
    const hp = await runMain(["export", exactPath, ...base, "--hp", "n_epochs=2", "--hp", "n_epochs=3"]);
    expect(hp.code).toBe(2);
    expect(hp.stderr).toContain("--hp n_epochs is given more than once");
    const md = await runMain(["export", exactPath, ...base, "--metadata", "a=1", "--metadata", "a=2"]);
    expect(md.code).toBe(2);
  });

  it("errors about job fields name the flag, not the grader file", async () => {
    const many = Array.from({ length: 17 }, (_, i) => ["--metadata", `k${i}=v`]).flat();
    const r = await runMain(["export", exactPath, ...base, "--suffix", "s".repeat(65), ...many, "--metadata", `${"k".repeat(65)}=v`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--suffix: must be at most 64 characters");
    expect(r.stderr).toContain("--metadata: must have at most 16 entries");
    expect(r.stderr).toContain(`--metadata: key '${"k".repeat(65)}' must be at most 64 characters`);
    expect(r.stderr).not.toContain(exactPath);
    const value = await runMain(["export", exactPath, ...base, "--metadata", `k=${"v".repeat(513)}`]);
    expect(value.stderr).toContain("--metadata: must be at most 512 characters");
    const ok = await runMain(["export", exactPath, ...base, "--suffix", "s".repeat(64), "--metadata", `${"k".repeat(64)}=${"v".repeat(512)}`]);
    expect(ok.code).toBe(0);
  });

  it("a grader problem names the grader file and a pointer into it", async () => {
    const r = await runMain(["export", "graders/answer-cosine.json", ...base]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("graders/answer-cosine.json: /evaluation_metric: 'cosine' is evals-only");
  });

  it("--integration wandb: project, entity, name and tags", async () => {
    const r = await runMain(["export", exactPath, ...base, "--integration", "wandb:project=rft,entity=team,name=run 1,tags=a|b"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).integrations).toEqual([{ type: "wandb", wandb: { project: "rft", entity: "team", name: "run 1", tags: ["a", "b"] } }]);
    for (const [spec, message] of [
      ["comet:project=x", "unknown integration 'comet'"],
      ["wandb:entity=team", "needs project=NAME"],
      ["wandb:project=a,projet=b", "unknown wandb setting 'projet' (did you mean project?)"],
      ["wandb:project=a,project=b", "'project' is given more than once"],
      ["wandb:project=a,tags=x||y", "empty tag"],
    ]) {
      expect(() => parseIntegration(spec!), spec).toThrow(IntegrationSyntaxError);
      const bad = await runMain(["export", exactPath, ...base, "--integration", spec!]);
      expect(bad.code, spec).toBe(2);
      expect(bad.stderr, spec).toContain(message);
    }
  });

  it("a reinforcement job on a model that is not a reasoning model is a warning", async () => {
    const r = await runMain(["export", exactPath, "--model", "gpt-4o-2024-08-06", "--training-file", "f", "--validation-file", "v"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("warning: --model: 'gpt-4o-2024-08-06' is not a reasoning model");
    const ft = await runMain(["export", exactPath, "--model", "ft:o4-mini-2025-04-16:acme::abc123", "--training-file", "f", "--validation-file", "v"]);
    expect(ft.stderr).toBe("");
  });

  it("method and grader must agree (usage errors)", async () => {
    expect((await runMain(["export", "--model", "m", "--training-file", "f"])).stderr).toContain("needs --method supervised|dpo, or GRADER.json");
    expect((await runMain(["export", "--method", "reinforcement", "--model", "m", "--training-file", "f"])).code).toBe(2);
    expect((await runMain(["export", exactPath, "--method", "dpo", "--model", "m", "--training-file", "f"])).code).toBe(2);
  });
});

describe("buildFineTuningJob (library)", () => {
  it("reports pointers into the job body, and the grader's warnings", () => {
    const { job, problems, warnings } = buildFineTuningJob({ method: "reinforcement", model: "o3", trainingFile: "f", validationFile: "v", grader: { ...exact, name: undefined } });
    expect(problems).toEqual([]);
    expect(warnings.map((w) => w.pointer)).toEqual(["/method/reinforcement/grader/name"]);
    expect(job?.method?.reinforcement?.grader.name).toBe("string_check");
    const bad = buildFineTuningJob({ method: "reinforcement", model: "o3", trainingFile: "f", grader: { ...exact, operation: "equals" } });
    expect(bad.job).toBeNull();
    expect(bad.problems.map((p) => p.pointer)).toEqual(["/method/reinforcement/grader/operation"]);
  });

  it("numbers are decimal text only", () => {
    const hex = buildFineTuningJob({ method: "supervised", model: "m", trainingFile: "f", hyperparameters: { n_epochs: "0x10" } });
    expect(hex.problems[0]?.message).toBe('n_epochs must be an integer 1..50 or "auto", got "0x10"');
    const ok = buildFineTuningJob({ method: "supervised", model: "m", trainingFile: "f", hyperparameters: { learning_rate_multiplier: "1e-1" } });
    expect(ok.job?.method?.supervised?.hyperparameters).toEqual({ learning_rate_multiplier: 0.1 });
  });
});

describe("model table", () => {
  it("matches the longest family at a name boundary, through ft: names", () => {
    expect(modelInfo("gpt-4o-mini-2024-07-18")).toMatchObject({ family: "gpt-4o-mini", encoding: "o200k_base", trainingContext: 65_536 });
    expect(modelInfo("gpt-3.5-turbo-0125")).toMatchObject({ encoding: "cl100k_base", trainingContext: 16_385 });
    expect(modelInfo("gpt-3.5-turbo-0613")).toMatchObject({ trainingContext: 4_096 });
    expect(modelInfo("gpt-4-0613")).toMatchObject({ family: "gpt-4", encoding: "cl100k_base" });
    expect(modelInfo("gpt-4.1-nano-2025-04-14")).toMatchObject({ family: "gpt-4.1", encoding: "o200k_base" });
    expect(modelInfo("gpt-5.1")).toMatchObject({ family: "gpt-5", reasoning: true });
    expect(modelInfo("gpt-5-chat-latest")).toMatchObject({ reasoning: false });
    expect(modelInfo("ft:o4-mini-2025-04-16:org::id")).toMatchObject({ family: "o4-mini", reasoning: true });
    expect(modelInfo("o10")).toBeUndefined();
    expect(modelInfo("llama-3")).toBeUndefined();
  });
});
