// python/graderkit_client.py, as a trainer's process uses it: a real python3 calling a real
// `graderkit serve` (the built CLI), with the argument shapes TRL's GRPOTrainer and verl's reward
// managers pass (no trainer installed). Retries go through a proxy that fails on purpose.

import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, tempDir, writeJson } from "./helpers/cli.js";
import { startServe, type ServeProcess } from "./helpers/serve.js";

const KEY = "test-key-16";
const dir = tempDir("graderkit-pyclient-");
const graders = {
  // TRL: the completion against the dataset's `answer` column.
  answer: { type: "string_check", name: "answer", input: "{{ sample.output_text }}", reference: "{{ item.answer }}", operation: "eq" },
  // Reads a column the reward function may leave out of `item` (item_columns).
  hard: { type: "string_check", name: "hard", input: "{{ item.difficulty }}", reference: "hard", operation: "eq" },
  // verl: solution_str against ground_truth; data_source and extra_info fields in `item`.
  truth: { type: "string_check", name: "truth", input: "{{ sample.output_text }}", reference: "{{ item.ground_truth }}", operation: "eq" },
  source: { type: "string_check", name: "source", input: "{{ item.data_source }}/{{ item.split }}", reference: "gsm8k/test", operation: "eq" },
};
const graderFlags = Object.entries(graders).flatMap(([name, g]) => ["--grader", `${name}=${writeJson(dir, `${name}.json`, g)}`]);

/** Forwards to the server, but answers the first `failures` requests itself with these statuses. */
function flakyProxy(target: string, failures: Array<{ status: number; headers?: Record<string, string> }>) {
  const seen: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const failure = failures.shift();
      if (failure) {
        seen.push(failure.status);
        res.writeHead(failure.status, { "content-type": "application/json", ...failure.headers });
        res.end(JSON.stringify({ error: { message: `injected ${failure.status}`, type: "server_error", param: null, code: null } }));
        return;
      }
      const answer = await fetch(`${target}${req.url}`, { method: req.method, headers: { "content-type": "application/json", authorization: String(req.headers.authorization ?? "") }, body: Buffer.concat(chunks) });
      seen.push(answer.status);
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  return {
    seen,
    listen: () => new Promise<string>((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Run a python snippet with the client importable; its stdout is JSON. */
function python(code: string, env: Record<string, string> = {}): Promise<any> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-c", code], { env: { ...process.env, PYTHONPATH: join(ROOT, "python"), GRADERKIT_SERVER_KEY: KEY, ...env } });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (err += d));
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`python3 exited ${code}: ${err}`))));
  });
}

let serve: ServeProcess;
beforeAll(async () => {
  // The key from the environment on both sides: $GRADERKIT_SERVER_KEY.
  serve = await startServe(["--workers", "1", ...graderFlags], { GRADERKIT_SERVER_KEY: KEY });
}, 30_000);
afterAll(async () => {
  if (serve) expect(await serve.stop()).toBe(0);
});

describe("graderkit_client.rewards", () => {
  it("grades rows in order across several concurrent batches, by name or with grader JSON", async () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ item: { answer: String(i) }, model_sample: i % 3 === 0 ? String(i) : "no" }));
    const out = await python(`
import json
from graderkit_client import rewards
rows = json.loads(${JSON.stringify(JSON.stringify(rows))})
inline = json.loads(${JSON.stringify(JSON.stringify(graders.answer))})
print(json.dumps({"named": rewards("${serve.base}", "answer", rows, batch_size=2, concurrency=3),
                  "inline": rewards("${serve.base}/v1", inline, rows[:3])}))
`);
    expect(out.named).toEqual([1, 0, 0, 1, 0, 0, 1]);
    expect(out.inline).toEqual([1, 0, 0]);
  });

  it("retries 503 and 429 (honouring Retry-After) and then succeeds; a 400 is raised at once, not retried", async () => {
    const proxy = flakyProxy(serve.base, [{ status: 503 }, { status: 429, headers: { "retry-after": "0" } }]);
    const url = await proxy.listen();
    try {
      const out = await python(`
import json
from graderkit_client import rewards, GraderkitError
ok = rewards("${url}", "answer", [{"item": {"answer": "a"}, "model_sample": "a"}], backoff=0.01)
try:
    rewards("${url}", "no-such-grader", [{"model_sample": "a"}], backoff=0.01)
    refused = None
except GraderkitError as e:
    refused = {"status": e.status, "message": str(e)}
print(json.dumps({"ok": ok, "refused": refused}))
`);
      expect(out.ok).toEqual([1]);
      expect(out.refused.status).toBe(400);
      expect(out.refused.message).toContain("no grader named");
      expect(proxy.seen).toEqual([503, 429, 200, 400]);
    } finally {
      await proxy.close();
    }
  });

  it("without the key the server's 401 is raised, not retried", async () => {
    const out = await python(`
import json
from graderkit_client import rewards, GraderkitError
try:
    rewards("${serve.base}", "answer", [{"model_sample": "a"}], api_key="wrong")
    print(json.dumps(None))
except GraderkitError as e:
    print(json.dumps(e.status))
`);
    expect(out).toBe(401);
  });
});

describe("graderkit_client.trl_reward_func", () => {
  it("takes TRL's keyword arguments: plain and conversational completions, every column but TRL's own in item", async () => {
    const out = await python(`
import json
from graderkit_client import trl_reward_func
f = trl_reward_func("${serve.base}", "answer")
hard = trl_reward_func("${serve.base}", "hard")
only_answer = trl_reward_func("${serve.base}", "hard", item_columns=["answer"])
state = object()  # TRL's TrainerState: not JSON, must not be sent
plain = f(prompts=["2+2=", "3*4="], completions=["4", "11"], completion_ids=[[19], [806]], trainer_state=state, answer=["4", "12"], difficulty=["easy", "hard"])
conversational = f(
    prompts=[[{"role": "user", "content": "2+2="}], [{"role": "user", "content": "3*4="}]],
    completions=[[{"role": "assistant", "content": "4"}], [{"role": "assistant", "content": [{"type": "text", "text": "1"}, {"type": "text", "text": "2"}]}]],
    completion_ids=[[19], [806]], trainer_state=state, answer=["4", "12"], difficulty=["easy", "hard"])
print(json.dumps({"plain": plain, "conversational": conversational, "name": f.__name__,
                  "all_columns": hard(prompts=["p", "q"], completions=["x", "y"], answer=["x", "y"], difficulty=["hard", "easy"]),
                  "item_columns": only_answer(prompts=["p"], completions=["x"], answer=["x"], difficulty=["hard"])}))
`);
    expect(out.plain).toEqual([1, 0]);
    expect(out.conversational).toEqual([1, 1]);
    expect(out.name).toBe("graderkit_answer");
    expect(out.all_columns).toEqual([1, 0]);
    // difficulty is not in item: the template's variable is missing, reward 0.
    expect(out.item_columns).toEqual([0]);
  });
});

describe("graderkit_client.verl_compute_score", () => {
  it("is verl's compute_score, one sample or the batch reward manager's keyword lists", async () => {
    const out = await python(`
import json
from graderkit_client import verl_compute_score
truth = verl_compute_score("${serve.base}", "truth")
source = verl_compute_score("${serve.base}", "source")
print(json.dumps({
    "single": truth("gsm8k", "72", "72"),
    "single_wrong": truth(data_source="gsm8k", solution_str="71", ground_truth="72", extra_info={"split": "test"}),
    "extra_info": source("gsm8k", "anything", "72", {"split": "test", "index": 3}),
    "batch": truth(data_sources=["gsm8k", "math"], solution_strs=["72", "x"], ground_truths=["72", "y"], extra_infos=[{"split": "test"}, None]),
    "batch_source": source(data_sources=["gsm8k", "gsm8k"], solution_strs=["a", "b"], ground_truths=["1", "2"], extra_infos=[{"split": "test"}, {"split": "train"}]),
}))
`);
    expect(out).toEqual({ single: 1, single_wrong: 0, extra_info: 1, batch: [1, 0], batch_source: [1, 0] });
  });
});
