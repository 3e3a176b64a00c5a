import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createChatExecutor, createEmbeddingExecutor } from "../../src/executors/openai/index.js";
import type { Executors } from "../../src/core/executors.js";
import { cosineReward } from "../../src/graders/cosine.js";
import { compileLabelModel } from "../../src/graders/label-model.js";
import { runGrader } from "../../src/graders/run.js";
import { compileScoreModel } from "../../src/graders/score-model.js";
import type { CompiledGrader } from "../../src/graders/types.js";
import { cosineSimilarity } from "../../src/metrics/cosine.js";
import { VERSION } from "../../src/util/version.js";
import { ERROR_FLAGS, GradingFailure, type RunResponse } from "../../src/core/response.js";
import type { LabelModelGrader, ScoreModelGrader } from "../../src/schema/types.js";
import {
  answer,
  fakeEmbedding,
  scoreContent,
  startFakeOpenAI,
  type FakeOpenAIServer,
} from "../helpers/fake-openai-server.js";

const ALL_ERROR_KEYS = [
  "formula_parse_error",
  "sample_parse_error",
  "truncated_observation_error",
  "unresponsive_reward_error",
  "invalid_variable_error",
  "other_error",
  "python_grader_server_error",
  "python_grader_server_error_type",
  "python_grader_runtime_error",
  "python_grader_runtime_error_details",
  "model_grader_server_error",
  "model_grader_refusal_error",
  "model_grader_parse_error",
  "model_grader_server_error_details",
];

const SAMPLE = { output_text: '{"n": 3}', output_json: { n: 3 } };
const ITEM = {
  subject: "math",
  question: "What is 1+2?",
  image: "https://example.test/q.png",
  audio: "UklGRgAAAA==",
  id: 17,
};

const USAGE = { prompt_tokens: 200, completion_tokens: 40, total_tokens: 240, prompt_tokens_details: { cached_tokens: 128 } };
const MAPPED_USAGE = { prompt_tokens: 200, completion_tokens: 40, total_tokens: 240, cached_tokens: 128 };

let server: FakeOpenAIServer;
let executors: Executors;
beforeEach(async () => {
  server = await startFakeOpenAI({ model: "grader-2025-01-01" });
  executors = { chat: createChatExecutor({ baseUrl: server.url, apiKey: "sk-test", maxRetries: 0, timeoutMs: 2_000 }) };
});
afterEach(async () => {
  await server.close();
});

function grade(g: CompiledGrader, ex: Executors = executors): Promise<RunResponse> {
  return Promise.resolve(runGrader(g, { sample: SAMPLE, item: ITEM, executors: ex }));
}

/** The response has all 14 error keys, and exactly `flags` among the booleans are set. */
function expectFlags(res: RunResponse, flags: string[]): void {
  expect(Object.keys(res.metadata.errors).sort()).toEqual([...ALL_ERROR_KEYS].sort());
  for (const f of ERROR_FLAGS) expect([f, res.metadata.errors[f]]).toEqual([f, flags.includes(f)]);
}

const scoreGrader = (extra: Partial<ScoreModelGrader> = {}): ScoreModelGrader => ({
  type: "score_model",
  name: "quality",
  model: "gpt-4o",
  input: [{ role: "user", content: "Rate: {{ sample.output_text }}" }],
  ...extra,
});

describe("score_model", () => {
  it("sends rendered messages, the strict schema and mapped sampling params; reports reward and usage", async () => {
    const grader = compileScoreModel(
      scoreGrader({
        range: [0, 10],
        sampling_params: { seed: 42, temperature: null, top_p: 0.9, max_completions_tokens: 256, reasoning_effort: "low" },
        input: [
          { role: "developer", content: "You grade {{ item.subject }} answers." },
          {
            role: "user",
            type: "message",
            content: [
              { type: "input_text", text: "Question: {{ item.question }}" },
              { type: "input_image", image_url: "{{ item.image }}", detail: "low" },
              { type: "input_audio", input_audio: { data: "{{ item.audio }}", format: "wav" } },
              { type: "input_text", text: "Answer: {{ sample.output_text }}" },
            ],
          },
          { role: "assistant", content: { type: "output_text", text: "n = {{ sample.output_json.n }}" } },
          { role: "system", content: [{ type: "input_image", image_url: "https://example.test/{{ item.id }}.png" }] },
        ],
      }),
      {},
    );
    expect(grader.async).toBe(true);
    const steps = [{ description: "checked the sum", conclusion: "correct" }];
    server.chat(answer(scoreContent(7.5, steps), { usage: USAGE }));

    const res = await grade(grader);

    expectFlags(res, []);
    expect(res.reward).toBe(7.5);
    expect(res.metadata).toMatchObject({
      name: "quality",
      type: "score_model",
      token_usage: MAPPED_USAGE,
      sampled_model_name: "grader-2025-01-01",
      scores: { result: 7.5, steps, range: [0, 10] },
    });
    expect(res.model_grader_token_usage_per_model).toEqual({ "grader-2025-01-01": MAPPED_USAGE });
    expect(res.error).toBeUndefined();

    const [req] = server.requests;
    expect(req.headers.authorization).toBe("Bearer sk-test");
    expect(req.body.model).toBe("gpt-4o");
    expect(req.body.messages).toEqual([
      { role: "developer", content: "You grade math answers." },
      {
        role: "user",
        content: [
          { type: "text", text: "Question: What is 1+2?" },
          { type: "image_url", image_url: { url: "https://example.test/q.png", detail: "low" } },
          { type: "input_audio", input_audio: { data: "UklGRgAAAA==", format: "wav" } },
          { type: "text", text: 'Answer: {"n": 3}' },
        ],
      },
      { role: "assistant", content: [{ type: "text", text: "n = 3" }] },
      { role: "system", content: [{ type: "image_url", image_url: { url: "https://example.test/17.png" } }] },
    ]);
    // Nulls are dropped; the grader's max_completions_tokens becomes max_completion_tokens.
    expect(req.body).toMatchObject({ seed: 42, top_p: 0.9, max_completion_tokens: 256, reasoning_effort: "low" });
    expect(req.body).not.toHaveProperty("temperature");
    expect(req.body).not.toHaveProperty("max_completions_tokens");
    expect(req.body.response_format).toEqual({
      type: "json_schema",
      json_schema: {
        name: "score_model_result",
        strict: true,
        schema: {
          type: "object",
          properties: {
            steps: {
              type: "array",
              items: {
                type: "object",
                properties: { description: { type: "string" }, conclusion: { type: "string" } },
                required: ["description", "conclusion"],
                additionalProperties: false,
              },
            },
            result: { type: "number" },
          },
          required: ["steps", "result"],
          additionalProperties: false,
        },
      },
    });
  });

  it("clamps the result to the range (default [0, 1])", async () => {
    const grader = compileScoreModel(scoreGrader(), {});
    const reversed = compileScoreModel(scoreGrader({ range: [5, -5] }), {});
    server.chat(answer(scoreContent(1.7)), answer(scoreContent(-0.3)), answer(scoreContent(0.42)), answer(scoreContent(-9)));
    const rewards = [(await grade(grader)).reward, (await grade(grader)).reward, (await grade(grader)).reward];
    expect(rewards).toEqual([1, 0, 0.42]);
    const low = await grade(reversed);
    expect(low.reward).toBe(-5);
    expect(low.metadata.scores).toMatchObject({ result: -9, range: [-5, 5] });
  });

  it("flags a non-numeric or unparsable answer as a parse error and still reports token usage", async () => {
    const grader = compileScoreModel(scoreGrader(), {});
    const bad = ['{"steps": [], "result": "high"}', '{"steps": []}', "The score is 0.8", "[0.8]", '{"steps":[],"result":"0.8"}'];
    for (const content of bad) server.chat(answer(content, { usage: USAGE }));
    for (const content of bad) {
      const res = await grade(grader);
      expectFlags(res, ["model_grader_parse_error"]);
      expect(res.reward).toBe(0);
      expect(res.metadata.token_usage).toEqual(MAPPED_USAGE);
      expect(res.metadata.sampled_model_name).toBe("grader-2025-01-01");
      expect(res.model_grader_token_usage_per_model).toEqual({ "grader-2025-01-01": MAPPED_USAGE });
      expect(res.metadata.scores).toEqual({ answer: content });
      expect(res.error?.flag).toBe("model_grader_parse_error");
    }
  });

  it("flags a refusal, with usage", async () => {
    server.chat({ kind: "refusal", refusal: "I cannot help with that." });
    const res = await grade(compileScoreModel(scoreGrader(), {}));
    expectFlags(res, ["model_grader_refusal_error"]);
    expect(res.reward).toBe(0);
    expect(res.error?.message).toContain("I cannot help with that.");
    expect(res.metadata.token_usage).toEqual({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cached_tokens: 0 });
  });

  it("flags an HTTP failure as a server error with details", async () => {
    server.chat({ kind: "status", status: 500, body: '{"error":{"message":"boom"}}' });
    const res = await grade(compileScoreModel(scoreGrader(), {}));
    expectFlags(res, ["model_grader_server_error"]);
    expect(res.metadata.errors.model_grader_server_error_details).toMatch(/HTTP 500 .*boom/);
    expect(res.metadata.token_usage).toBeNull();
    expect(res.model_grader_token_usage_per_model).toEqual({});
  });

  it("flags a missing chat executor as a server error", async () => {
    const res = await grade(compileScoreModel(scoreGrader(), {}), {});
    expectFlags(res, ["model_grader_server_error"]);
    expect(res.metadata.errors.model_grader_server_error_details).toBe("no model endpoint configured (executors.model.baseUrl)");
    expect(res.error?.message).toBe("no model endpoint configured (executors.model.baseUrl)");
  });

  it("fails a missing template variable before calling the model", async () => {
    const grader = compileScoreModel(
      scoreGrader({ input: [{ role: "system", content: "x" }, { role: "user", content: [{ type: "input_text", text: "{{ item.nope }}" }] }] }),
      {},
    );
    const res = await grade(grader);
    expectFlags(res, ["invalid_variable_error"]);
    expect(res.error?.path).toBe("/input/1/content/0/text");
    expect(server.requests).toHaveLength(0);
  });

  it("routes the grader's model and names the answering model in the usage", async () => {
    const ex = { chat: createChatExecutor({ baseUrl: server.url, apiKey: "", routes: { "gpt-4o": { model: "local-judge" } } }) };
    server.chat(answer(scoreContent(1), { model: "local-judge" }), answer(scoreContent(0), { model: "local-judge" }));
    const [a, b] = await Promise.all([grade(compileScoreModel(scoreGrader(), {}), ex), grade(compileScoreModel(scoreGrader({ name: "other" }), {}), ex)]);
    expect(server.requests.map((r) => r.body.model)).toEqual(["local-judge", "local-judge"]);
    expect(Object.keys(a.model_grader_token_usage_per_model)).toEqual(["local-judge"]);
    expect(a.reward + b.reward).toBe(1);
  });
});

describe("label_model", () => {
  const labelGrader: LabelModelGrader = {
    type: "label_model",
    name: "sentiment",
    model: "gpt-4o-mini",
    input: [{ role: "user", content: "Label the sentiment of: {{ sample.output_text }}" }],
    labels: ["positive", "neutral", "negative"],
    passing_labels: ["positive", "neutral"],
  };

  it("restricts the answer to the labels and rewards passing labels", async () => {
    const grader = compileLabelModel(labelGrader, {});
    expect(grader.async).toBe(true);
    const label = (result: string) => answer(JSON.stringify({ steps: [], result }), { usage: USAGE });
    server.chat(label("neutral"), label("negative"));

    const pass = await grade(grader);
    const fail = await grade(grader);

    expectFlags(pass, []);
    expectFlags(fail, []);
    expect([pass.reward, fail.reward]).toEqual([1, 0]);
    expect(pass.metadata.scores).toEqual({ result: "neutral", passing: true, steps: [] });
    expect(fail.metadata.token_usage).toEqual(MAPPED_USAGE);
    const body = server.requests[0].body;
    expect(body.messages).toEqual([{ role: "user", content: 'Label the sentiment of: {"n": 3}' }]);
    expect(body.response_format.json_schema).toMatchObject({
      name: "label_model_result",
      strict: true,
      schema: {
        properties: { result: { type: "string", enum: ["positive", "neutral", "negative"] } },
        required: ["steps", "result"],
        additionalProperties: false,
      },
    });
  });

  it("flags a label outside `labels` as a parse error", async () => {
    server.chat(answer(JSON.stringify({ steps: [], result: "ecstatic" })), answer(JSON.stringify({ steps: [], result: 1 })));
    const grader = compileLabelModel(labelGrader, {});
    for (const _ of [0, 1]) {
      const res = await grade(grader);
      expectFlags(res, ["model_grader_parse_error"]);
      expect(res.reward).toBe(0);
      expect(res.error?.message).toMatch(/not one of the labels/);
      expect(res.model_grader_token_usage_per_model).toHaveProperty("grader-2025-01-01");
    }
  });
});

describe("cosine", () => {
  /** Computed here independently of src/metrics/cosine.ts. */
  function referenceCosine(a: number[], b: number[]): number {
    const dot = a.reduce((s, x, i) => s + x * b[i], 0);
    const norm = (v: number[]) => Math.hypot(...v);
    return dot / (norm(a) * norm(b));
  }

  it("computes cosine similarity, 0 for a zero vector, and rejects unequal lengths", () => {
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBe(1);
    expect(cosineSimilarity([1, 2], [-1, -2])).toBe(-1);
    expect(cosineSimilarity([3, 4], [4, 3])).toBeCloseTo(24 / 25, 15);
    expect(cosineSimilarity([0, 0], [1, 2])).toBe(0);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(/equal length, got 1 and 2/);
  });

  it("rewards the cosine of the two texts' embeddings, in one request", async () => {
    const embedding = createEmbeddingExecutor({ baseUrl: server.url, apiKey: "sk-test" });
    const pairs: Array<[string, string]> = [
      ["the cat sat", "a cat was sitting"],
      ["same", "same"],
      ["alpha", "omega"],
    ];
    for (const [input, reference] of pairs) {
      const expected = referenceCosine(fakeEmbedding(input), fakeEmbedding(reference));
      const out = await cosineReward(input, reference, { embedding });
      expect(out.similarity).toBeCloseTo(expected, 12);
      expect(out.reward).toBeCloseTo(Math.min(1, Math.max(0, expected)), 12);
      expect(out.signature).toBe(`cosine|model:text-embedding-3-large|graderkit:${VERSION}`);
    }
    expect(server.requests.map((r) => r.body.input)).toEqual([pairs[0], ["same"], pairs[2]]);
  });

  it("fails with other_error without an embedding executor or when embedding fails", async () => {
    await expect(cosineReward("a", "b", {})).rejects.toMatchObject({
      name: "GradingFailure",
      flag: "other_error",
      message: "cosine needs an embedding endpoint (executors.embedding.baseUrl, or executors.model.baseUrl)",
    });
    server.embeddings({ kind: "status", status: 401, body: '{"error":{"message":"bad key"}}' });
    const embedding = createEmbeddingExecutor({ baseUrl: server.url, apiKey: "sk-wrong" });
    const err = await cosineReward("a", "b", { embedding }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GradingFailure);
    expect((err as GradingFailure).flag).toBe("other_error");
    expect((err as GradingFailure).message).toMatch(/HTTP 401 .*bad key/);
  });
});
