// `graderkit jobs` and the FineTuningClient against a local server that speaks the fine-tuning
// wire format and checks every request body and query against the schemas (a malformed request
// fails the test through `violations`), on the OpenAI and the Azure URL/header shapes.
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FineTuningApiError, FineTuningClient } from "../src/clients/fine-tuning.js";
import { followJob, nextInterval } from "../src/clients/follow.js";
import { tempDir, writeJson } from "./helpers/cli.js";
import { startFakeFineTuningServer, type FakeFineTuningServer } from "./helpers/fake-fine-tuning-server.js";
import { runMain } from "./helpers/run-main.js";

const KEY = "sk-test-graderkit";
let server: FakeFineTuningServer;
let client: FineTuningClient;
let dir: string;
let env: NodeJS.ProcessEnv;
const fast = ["--poll-interval", "0.01"];

beforeAll(async () => {
  server = await startFakeFineTuningServer({ apiKey: KEY });
  client = new FineTuningClient({ baseURL: server.url, apiKey: KEY });
  env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url };
  dir = tempDir("graderkit-jobs-");
});
afterAll(() => server.close());
afterEach(() => {
  expect(server.violations).toEqual([]);
  server.violations.length = 0;
});

const sftBody = (extra: object = {}) => ({ model: "gpt-4o-mini-2024-07-18", training_file: "file-known-train", method: { type: "supervised" as const }, ...extra });
const jobs = (...args: string[]) => runMain(["jobs", ...args], { env });

describe("FineTuningClient (library)", () => {
  it("lists are awaitable (one page, the envelope as sent) and iterable (every item, following after)", async () => {
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await client.jobs.create(sftBody({ metadata: { batch: "pages", i: String(i) } })));
    const first = await client.jobs.list({ limit: 2, metadata: { batch: "pages" } });
    expect(first).toMatchObject({ object: "list", has_more: true });
    expect(first.data.map((j) => j.id)).toEqual([created[4]!.id, created[3]!.id]);
    const all = await client.jobs.list({ limit: 2, metadata: { batch: "pages" } }).all();
    expect(all.map((j) => j.id)).toEqual(created.map((j) => j.id).reverse());
    const listed = server.requests.filter((r) => r.method === "GET" && r.path === "/v1/fine_tuning/jobs").slice(-3);
    expect(listed.map((r) => r.query.get("after"))).toEqual([null, created[3]!.id, created[1]!.id]);
    expect(listed.every((r) => r.query.get("metadata[batch]") === "pages" && r.query.get("limit") === "2")).toBe(true);
  });

  it("events and checkpoints paginate; checkpoint pages carry first_id and last_id", async () => {
    server.script({ steps: 4, outcome: "succeeded" });
    const job = await client.jobs.create(sftBody());
    server.addEvents(job.id, 130);
    for (let i = 0; i < 7; i++) await client.jobs.retrieve(job.id);
    const events = await client.jobs.events.list(job.id, { limit: 50 }).all();
    expect(events.length).toBe(2 + 130 + 1 + 1 + 4 + 1);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const page = await client.jobs.checkpoints.list(job.id, { limit: 3 });
    expect(page.data.map((c) => c.step_number)).toEqual([4, 3, 2]);
    expect(page).toMatchObject({ has_more: true, first_id: page.data[0]!.id, last_id: page.data[2]!.id });
    expect((await client.jobs.checkpoints.list(job.id, { limit: 3 }).all()).map((c) => c.step_number)).toEqual([4, 3, 2, 1]);
  });

  it("retries a 429, honouring Retry-After, and a 500 (the SDK's retries)", async () => {
    const job = await client.jobs.create(sftBody());
    server.fail("GET", /^\/fine_tuning\/jobs\/[^/]+$/, { status: 429, headers: { "retry-after": "1" } });
    const before = server.requests.length;
    await client.jobs.retrieve(job.id);
    const tries = server.requests.slice(before);
    expect(tries.length).toBe(2);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(900);
    server.fail("POST", /^\/fine_tuning\/jobs$/, { status: 500 }, { status: 503 });
    const n = server.requests.length;
    expect((await client.jobs.create(sftBody())).status).toBe("validating_files");
    expect(server.requests.length - n).toBe(3);
  });

  it("gives up after its retries with the API's error", async () => {
    const c = new FineTuningClient({ baseURL: server.url, apiKey: KEY, maxRetries: 1 });
    server.fail("GET", /^\/fine_tuning\/jobs$/, { status: 500 }, { status: 500 });
    const err = await c.jobs.list().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(FineTuningApiError);
    expect((err as FineTuningApiError).status).toBe(500);
    const missing = await client.jobs.retrieve("ftjob-nope").then(() => null, (e: unknown) => e as FineTuningApiError);
    expect(missing).toMatchObject({ status: 404, code: "fine_tuning_job_not_found", param: "fine_tuning_job_id" });
  });

  it("followJob hands over every event once, oldest first, and returns the final job", async () => {
    server.script({ steps: 3, outcome: "succeeded" });
    const job = await client.jobs.create(sftBody());
    const seen: string[] = [];
    const times: number[] = [];
    const final = await followJob(client, job.id, { minIntervalMs: 1, maxIntervalMs: 5, onEvent: (e) => (seen.push(e.message), times.push(e.created_at)) });
    expect(final.status).toBe("succeeded");
    expect(seen[0]).toBe(`Created fine-tuning job: ${job.id}`);
    expect(seen[seen.length - 1]).toBe("The job has successfully completed");
    expect(seen.filter((m) => m.startsWith("Step ")).length).toBe(3);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("backs off while nothing happens, back to the minimum when something does", () => {
    expect(nextInterval(2000, false, 2000, 30000)).toBe(3000);
    expect(nextInterval(25000, false, 2000, 30000)).toBe(30000);
    expect(nextInterval(30000, true, 2000, 30000)).toBe(2000);
  });

  it("the test server refuses a malformed request, so a client that sent one would fail these tests", async () => {
    const post = (path: string, body: string, type = "application/json") =>
      fetch(`${server.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${KEY}`, "content-type": type }, body });
    expect((await post("/fine_tuning/jobs", JSON.stringify({ model: "m", training_file: "file-known", method: { type: "dpo", dpo: { hyperparameters: { beta: 3 } } } }))).status).toBe(400);
    const form = new FormData();
    form.set("purpose", "fine_tune");
    form.set("file", new File(["{}\n"], "x.jsonl"));
    expect((await fetch(`${server.url}/files`, { method: "POST", headers: { authorization: `Bearer ${KEY}` }, body: form })).status).toBe(400);
    expect((await fetch(`${server.url}/fine_tuning/jobs?limit=500`, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(400);
    expect(server.violations.map((v) => v.split(":")[0])).toEqual(["POST /v1/fine_tuning/jobs", "POST /v1/files", "GET /v1/fine_tuning/jobs"]);
    server.violations.length = 0;
  });

  it("uploads a file as multipart with purpose fine-tune", async () => {
    const file = await client.files.create("datasets/train-supervised.jsonl");
    expect(file).toMatchObject({ object: "file", purpose: "fine-tune", filename: "train-supervised.jsonl" });
    expect(server.uploads.get(file.id)?.content.split("\n").length).toBe(13);
  });
});

describe("graderkit jobs (CLI)", () => {
  it("help lists the subcommands; each has its own --help from its option table", async () => {
    const help = await runMain(["help", "jobs"]);
    expect(help.code).toBe(0);
    for (const sub of ["create", "list", "get", "cancel", "pause", "resume", "events", "checkpoints"]) expect(help.stdout).toMatch(new RegExp(`^  ${sub} `, "m"));
    const list = await runMain(["jobs", "list", "--help"]);
    expect(list.stdout).toContain("Usage: graderkit jobs list [--limit N]");
    expect(list.stdout).toContain("--limit N");
    expect((await runMain(["help", "jobs", "events"])).stdout).toContain("Usage: graderkit jobs events JOB_ID");
    const typo = await runMain(["jobs", "lst"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("unknown command 'lst' (did you mean 'list'?)");
    const flag = await runMain(["jobs", "list", "--limt", "3"], { env });
    expect(flag.stderr).toContain("graderkit jobs list: unknown option --limt (did you mean --limit?)");
    expect(flag.stderr).toContain("Run 'graderkit help jobs list'");
  });

  it("create from export flags, then get / list as tables or the API's JSON", async () => {
    const created = await jobs("create", "--method", "dpo", "--model", "gpt-4o-mini", "--training-file", "file-known-dpo", "--hp", "beta=0.2", "--metadata", "team=cli", "--json");
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const job = JSON.parse(created.stdout);
    expect(job).toMatchObject({ object: "fine_tuning.job", status: "validating_files", method: { type: "dpo", dpo: { hyperparameters: { beta: 0.2 } } } });
    const got = await jobs("get", job.id);
    expect(got.stdout).toMatch(/^id: +ftjob-/m);
    expect(got.stdout).toMatch(/^hyperparameters: +beta=0\.2$/m);
    const listed = await jobs("list", "--metadata", "team=cli");
    expect(listed.stdout.split("\n")[0]).toMatch(/^ID +STATUS +METHOD +MODEL +CREATED +FINE-TUNED MODEL$/);
    expect(listed.stdout).toContain(job.id);
    const asJson = JSON.parse((await jobs("list", "--metadata", "team=cli", "--json")).stdout);
    expect(asJson).toMatchObject({ object: "list", has_more: false, data: [{ id: job.id }] });
  });

  it("create --follow prints the events oldest first and exits 0 when the job succeeds", async () => {
    server.script({ steps: 2, outcome: "succeeded" });
    const r = await jobs("create", "--body", writeJson(dir, "job.json", sftBody()), "--follow", ...fast);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n").filter((l) => /^\d{4}-\d\d-\d\d /.test(l));
    expect(lines[0]).toMatch(/info   Created fine-tuning job: ftjob-/);
    expect(lines.map((l) => /Step \d+\/\d+/.exec(l)?.[0]).filter(Boolean)).toEqual(["Step 1/2", "Step 2/2"]);
    expect(lines[lines.length - 1]).toContain("The job has successfully completed");
    expect(r.stderr).toMatch(/ftjob-\d+ succeeded: ft:gpt-4o-mini-2024-07-18:graderkit::ftjob-\d+/);
  });

  it("create --json --follow prints JSON lines: the job, each event, the final job", async () => {
    server.script({ steps: 1, outcome: "succeeded" });
    const r = await jobs("create", "--body", writeJson(dir, "job3.json", sftBody()), "--follow", "--json", ...fast);
    expect(r.code).toBe(0);
    const objects = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(objects[0]).toMatchObject({ object: "fine_tuning.job", status: "validating_files" });
    expect(objects.slice(1, -1).every((o) => o.object === "fine_tuning.job.event")).toBe(true);
    expect(objects[objects.length - 1]).toMatchObject({ object: "fine_tuning.job", status: "succeeded" });
  });

  it("a failed job: exit 1 with error code, message and param", async () => {
    server.script({ steps: 2, outcome: "failed", error: { code: "invalid_training_file", message: "Line 3: missing messages", param: "training_file" } });
    const created = JSON.parse((await jobs("create", "--body", writeJson(dir, "job2.json", sftBody()), "--json")).stdout);
    const r = await jobs("events", created.id, "--follow", ...fast);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${created.id} failed: invalid_training_file: Line 3: missing messages (param: training_file)`);
    expect(r.stdout).toMatch(/error  Job failed: Line 3: missing messages/);
  });

  it("on a terminal, metrics events drive a live progress line", async () => {
    server.script({ steps: 2, outcome: "succeeded" });
    const job = await client.jobs.create(sftBody());
    const r = await runMain(["jobs", "events", job.id, "--follow", ...fast], { env, tty: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("\r\x1b[2Kstep 1/2 (50%)  train loss 0.5000  valid loss 0.6000");
    expect(r.stderr).toContain("\r\x1b[2Kstep 2/2 (100%)  train loss 0.3333  valid loss 0.4000");
    expect(r.stdout).not.toContain("Step 1/2");
  });

  it("cancel, pause and resume; what the job's state forbids is an API error (exit 2)", async () => {
    server.script({ steps: 50, outcome: "succeeded" });
    const job = await client.jobs.create(sftBody());
    const early = await jobs("pause", job.id);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain("API error (400): Only running jobs can be paused (code invalid_state)");
    for (let i = 0; i < 2; i++) await client.jobs.retrieve(job.id);
    expect((await jobs("pause", job.id)).stdout).toBe(`${job.id}: paused\n`);
    expect(JSON.parse((await jobs("resume", job.id, "--json")).stdout).status).toBe("running");
    expect((await jobs("cancel", job.id)).stdout).toBe(`${job.id}: cancelled\n`);
    const followed = await jobs("events", job.id, "--follow", ...fast);
    expect(followed.code).toBe(1);
    expect(followed.stderr).toContain(`${job.id} cancelled`);
  });

  it("events (latest page, oldest first) and checkpoints as tables", async () => {
    server.script({ steps: 3, outcome: "succeeded" });
    const job = await client.jobs.create(sftBody());
    for (let i = 0; i < 6; i++) await client.jobs.retrieve(job.id);
    const events = await jobs("events", job.id, "--limit", "3");
    const messages = events.stdout.trim().split("\n").map((l) => l.replace(/^\S+ \S+ +\S+ +/, ""));
    expect(messages).toEqual(["Step 2/3: training loss=0.3333", "Step 3/3: training loss=0.2500", "The job has successfully completed"]);
    const cps = await jobs("checkpoints", job.id, "--all");
    expect(cps.stdout.split("\n")[0]).toMatch(/^ID +STEP +TRAIN LOSS +VALID LOSS +CREATED +CHECKPOINT MODEL$/);
    expect(cps.stdout.trim().split("\n").slice(1).map((l) => l.split(/ +/)[1])).toEqual(["3", "2", "1"]);
  });

  it("local training files are checked, then uploaded; errors refuse the job unless --no-check", async () => {
    const before = server.uploads.size;
    const jobsBefore = server.jobs.size;
    const refused = await jobs("create", "--method", "supervised", "--model", "gpt-4o-mini", "--training-file", "datasets/train-supervised.broken.jsonl");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("datasets/train-supervised.broken.jsonl:2: /messages/1/weight: weight must be 0 or 1, got 2");
    expect(refused.stderr).toContain("not uploaded (fix them, or --no-check)");
    expect(server.uploads.size).toBe(before);
    expect(server.jobs.size).toBe(jobsBefore);

    const rft = await jobs("create", "graders/rft-reward.multi.json", "--model", "o4-mini-2025-04-16", "--training-file", "datasets/train-reinforcement.jsonl", "--validation-file", "datasets/valid-reinforcement.jsonl", "--json");
    expect(rft.stderr).toMatch(/^uploaded datasets\/train-reinforcement\.jsonl as file-\d+\nuploaded datasets\/valid-reinforcement\.jsonl as file-\d+\n$/);
    expect(rft.code).toBe(0);
    const job = JSON.parse(rft.stdout);
    expect(server.uploads.get(job.training_file)?.filename).toBe("train-reinforcement.jsonl");
    expect(server.uploads.get(job.validation_file)?.filename).toBe("valid-reinforcement.jsonl");

    // The reinforcement check uses the job's grader: rows without item.answer are refused.
    const broken = join(dir, "rft.jsonl");
    copyFileSync("datasets/train-reinforcement.broken.jsonl", broken);
    const missing = await jobs("create", "graders/rft-reward.multi.json", "--model", "o4-mini", "--training-file", broken, "--validation-file", "file-known-v");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${broken}:2: /answer: the grader's /graders/accuracy/reference reads {{ item.answer }}`);

    const forced = await jobs("create", "--method", "supervised", "--model", "gpt-4o-mini", "--training-file", "datasets/train-supervised.broken.jsonl", "--no-check");
    expect(forced.code).toBe(0);
    expect(server.uploads.size).toBe(before + 3);
  });

  it("--body is checked against the schema; a path that does not exist is a usage error", async () => {
    const bad = await jobs("create", "--body", writeJson(dir, "bad.json", sftBody({ method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 0 } } } })));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('bad.json: /method/supervised/hyperparameters/n_epochs: n_epochs must be an integer 1..50 or "auto", got 0');
    const both = await jobs("create", "--body", join(dir, "job.json"), "--model", "m");
    expect(both.code).toBe(2);
    const typo = await jobs("create", "--method", "supervised", "--model", "m", "--training-file", "data/nope.jsonl");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("--training-file data/nope.jsonl: no such file");
  });

  it("endpoint settings: OpenAI needs a key, Azure a version and a key, not both endpoints", async () => {
    const noKey = await runMain(["jobs", "list"], { env: {} });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("set $OPENAI_API_KEY");
    expect((await runMain(["jobs", "list", "--azure-endpoint", server.origin], { env: { AZURE_OPENAI_API_KEY: "k" } })).stderr).toContain("Azure needs an API version");
    expect((await runMain(["jobs", "list", "--azure-endpoint", server.origin, "--api-version", "v"], { env: {} })).stderr).toContain("$AZURE_OPENAI_API_KEY");
    expect((await runMain(["jobs", "list", "--azure-endpoint", server.origin, "--base-url", server.url], { env })).code).toBe(2);
    const wrongKey = await runMain(["jobs", "list"], { env: { ...env, OPENAI_API_KEY: "sk-wrong" } });
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toContain("API error (401): Incorrect API key provided (code invalid_api_key)");
  });
});

describe("Azure OpenAI (the SDK's AzureOpenAI client)", () => {
  let azure: FakeFineTuningServer;
  const AZURE = { apiKey: "azure-key", apiVersion: "2025-04-01-preview" };
  beforeAll(async () => {
    azure = await startFakeFineTuningServer({ azure: AZURE });
  });
  afterAll(() => azure.close());

  it("sends {endpoint}/openai/...?api-version= with an api-key header, for the whole lifecycle", async () => {
    azure.script({ steps: 1, outcome: "succeeded" });
    const azureEnv = { AZURE_OPENAI_ENDPOINT: azure.origin + "/", AZURE_OPENAI_API_KEY: AZURE.apiKey, OPENAI_API_VERSION: AZURE.apiVersion };
    const r = await runMain(["jobs", "create", "graders/rft-reward.multi.json", "--model", "o4-mini-2025-04-16", "--training-file", "datasets/train-reinforcement.jsonl", "--validation-file", "datasets/valid-reinforcement.jsonl", "--follow", ...fast], { env: azureEnv });
    expect(azure.violations).toEqual([]);
    expect(r.code).toBe(0);
    const paths = new Set(azure.requests.map((q) => `${q.method} ${q.path.replace(/ftjob-\d+/, "ID")}`));
    expect([...paths]).toEqual(["POST /openai/files", "POST /openai/fine_tuning/jobs", "GET /openai/fine_tuning/jobs/ID", "GET /openai/fine_tuning/jobs/ID/events"]);
    for (const q of azure.requests) {
      expect(q.query.get("api-version")).toBe(AZURE.apiVersion);
      expect(q.headers["api-key"]).toBe(AZURE.apiKey);
      expect(q.headers.authorization).toBeUndefined();
    }
    const flags = await runMain(["jobs", "list", "--azure-endpoint", azure.origin, "--api-version", AZURE.apiVersion, "--json"], { env: { AZURE_OPENAI_API_KEY: AZURE.apiKey } });
    expect(JSON.parse(flags.stdout).data).toHaveLength(1);
  });
});
