// A fine-tuning API for tests: a real node:http server on 127.0.0.1 speaking the wire format of
// POST /files (multipart), the jobs endpoints and their paginated lists (`after`, `limit`,
// `has_more`, newest first), under /v1 (OpenAI) and /openai (Azure: `api-version` query and
// `api-key` header, as the SDK's AzureOpenAI sends them). Every body and query it receives is
// checked against the schemas; a malformed request is answered 400 and recorded in
// `violations`, which a test asserts empty. Jobs move one step each time they are retrieved.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ajvProblems, schemaValidator } from "../../src/schema/ajv.js";
import {
  fineTuningJobCheckpointSchema,
  fineTuningJobEventSchema,
  fineTuningJobObjectSchema,
} from "../../src/schema/fine-tuning.js";
import type { FineTuningJob, FineTuningJobCheckpoint, FineTuningJobEvent, FineTuningJobRequest } from "../../src/schema/fine-tuning-types.js";
import { validateFineTuningJob } from "../../src/schema/validate-job.js";

/** What a POST /files form must be (purpose fine-tune, one named, non-empty file). */
const uploadSchema = {
  type: "object",
  required: ["purpose", "file"],
  additionalProperties: false,
  properties: {
    purpose: { const: "fine-tune" },
    file: { type: "object", required: ["filename", "bytes"], properties: { filename: { type: "string", pattern: "\\.jsonl$" }, bytes: { type: "integer", minimum: 1 } } },
  },
};
/** List queries: after (an id), limit 1..100, metadata[k]=v (jobs only). */
const listQuerySchema = (metadata: boolean) => ({
  type: "object",
  additionalProperties: false,
  properties: {
    after: { type: "string", minLength: 1 },
    limit: { type: "string", pattern: "^(100|[1-9][0-9]?)$" },
    ...(metadata ? { metadata: { type: "object", additionalProperties: { type: "string" } } } : {}),
  },
});

export interface Fault {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** How a job created on this server ends. */
export type JobScript = { steps: number; outcome: "succeeded" } | { steps: number; outcome: "failed"; error: { code: string; message: string; param: string | null } };

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  at: number;
}

export interface FakeFineTuningServer {
  /** Base URL with /v1, for the OpenAI client. */
  readonly url: string;
  /** Origin, for the Azure client's endpoint. */
  readonly origin: string;
  readonly requests: RecordedRequest[];
  readonly violations: string[];
  readonly uploads: Map<string, { filename: string; content: string }>;
  readonly jobs: Map<string, FineTuningJob>;
  /** The next requests matching method and path (a regex on the path after /v1 or /openai) get these answers first. */
  fail(method: string, path: RegExp, ...faults: Fault[]): void;
  /** How the next created job runs (default 3 steps to succeeded). */
  script(s: JobScript): void;
  /** Add events to a job directly (e.g. many, for pagination). */
  addEvents(jobId: string, count: number): void;
  close(): Promise<void>;
}

interface JobState {
  job: FineTuningJob;
  script: JobScript;
  step: number;
  events: FineTuningJobEvent[];
  checkpoints: FineTuningJobCheckpoint[];
}

export async function startFakeFineTuningServer(options: { apiKey?: string; azure?: { apiKey: string; apiVersion: string } } = {}): Promise<FakeFineTuningServer> {
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const uploads = new Map<string, { filename: string; content: string }>();
  const states = new Map<string, JobState>();
  const faults: Array<{ method: string; path: RegExp; fault: Fault }> = [];
  let nextScript: JobScript = { steps: 3, outcome: "succeeded" };
  let clock = 1_700_000_000;
  let ids = 0;
  const tick = () => ++clock;

  const checkObject = (schema: object, value: unknown, what: string) => {
    const validate = schemaValidator(schema);
    if (!validate(value)) violations.push(`server bug: ${what} does not match its schema: ${JSON.stringify(ajvProblems(validate.errors))}`);
  };
  const event = (s: JobState, message: string, type: "message" | "metrics" = "message", data: unknown = {}, level: "info" | "warn" | "error" = "info") => {
    const e: FineTuningJobEvent = { id: `ftevent-${++ids}`, object: "fine_tuning.job.event", created_at: tick(), level, message, type, data };
    checkObject(fineTuningJobEventSchema, e, "event");
    s.events.push(e);
  };

  /** One step of a job's life: validating_files → queued → running (steps) → succeeded | failed. */
  const advance = (s: JobState) => {
    const job = s.job;
    if (job.status === "validating_files") {
      if (s.script.outcome === "failed") {
        Object.assign(job, { status: "failed", error: s.script.error, finished_at: tick() });
        event(s, `Job failed: ${s.script.error.message}`, "message", {}, "error");
        return;
      }
      job.status = "queued";
      event(s, "Files validated, moving job to queued state");
    } else if (job.status === "queued") {
      job.status = "running";
      event(s, "Fine-tuning job started");
    } else if (job.status === "running") {
      s.step++;
      const step = s.step;
      const metrics = { step, total_steps: s.script.steps, train_loss: 1 / (step + 1), valid_loss: 1.2 / (step + 1), train_mean_token_accuracy: 0.5 + step / 100 };
      event(s, `Step ${step}/${s.script.steps}: training loss=${metrics.train_loss.toFixed(4)}`, "metrics", metrics);
      const cp: FineTuningJobCheckpoint = {
        id: `ftckpt-${++ids}`,
        object: "fine_tuning.job.checkpoint",
        created_at: tick(),
        fine_tuned_model_checkpoint: `ft:${job.model}:graderkit::${job.id}:ckpt-step-${step}`,
        fine_tuning_job_id: job.id,
        step_number: step,
        metrics: { step, train_loss: metrics.train_loss, valid_loss: metrics.valid_loss },
      };
      checkObject(fineTuningJobCheckpointSchema, cp, "checkpoint");
      s.checkpoints.push(cp);
      if (step >= s.script.steps) {
        Object.assign(job, { status: "succeeded", fine_tuned_model: `ft:${job.model}:graderkit::${job.id}`, finished_at: tick(), trained_tokens: 1234 });
        event(s, "The job has successfully completed");
      }
    }
  };

  const createJob = (body: FineTuningJobRequest): FineTuningJob => {
    const method = body.method ?? { type: "supervised" as const };
    const block = (method as unknown as Record<string, { hyperparameters?: Record<string, unknown> } | undefined>)[method.type];
    const job: FineTuningJob = {
      id: `ftjob-${++ids}`,
      object: "fine_tuning.job",
      created_at: tick(),
      error: null,
      fine_tuned_model: null,
      finished_at: null,
      hyperparameters: (block?.hyperparameters ?? {}) as FineTuningJob["hyperparameters"],
      model: body.model,
      organization_id: "org-graderkit",
      result_files: [],
      seed: body.seed ?? 42,
      status: "validating_files",
      trained_tokens: null,
      training_file: body.training_file,
      validation_file: body.validation_file ?? null,
      estimated_finish: null,
      integrations: body.integrations ?? null,
      metadata: body.metadata ?? null,
      method,
    };
    const s: JobState = { job, script: nextScript, step: 0, events: [], checkpoints: [] };
    states.set(job.id, s);
    event(s, `Created fine-tuning job: ${job.id}`);
    event(s, `Validating training file: ${job.training_file}`);
    return job;
  };

  /** A page of `items` (newest first), after the item with id `after`. */
  const page = <T extends { id: string }>(all: T[], query: URLSearchParams, defaultLimit: number, ids = false) => {
    const newestFirst = [...all].reverse();
    const after = query.get("after");
    const from = after ? newestFirst.findIndex((x) => x.id === after) + 1 : 0;
    const limit = Number(query.get("limit") ?? defaultLimit);
    const data = newestFirst.slice(from, from + limit);
    const envelope: Record<string, unknown> = { object: "list", data, has_more: from + limit < newestFirst.length };
    if (ids) Object.assign(envelope, { first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null });
    return envelope;
  };

  const apiError = (res: ServerResponse, status: number, message: string, param: string | null = null, code: string | null = null) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message, type: "invalid_request_error", param, code } }));
  };

  const queryObject = (query: URLSearchParams): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of query) {
      const m = /^metadata\[(.+)\]$/.exec(k);
      if (m) ((out.metadata ??= {}) as Record<string, string>)[m[1]!] = v;
      else if (k !== "api-version") out[k] = v;
    }
    return out;
  };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    requests.push({ method, path: url.pathname, query: url.searchParams, headers: req.headers, at: performance.now() });
    const violation = (what: string) => {
      violations.push(`${method} ${url.pathname}: ${what}`);
      apiError(res, 400, `malformed request: ${what}`);
    };

    // OpenAI: /v1/... with a bearer key. Azure: /openai/... with api-version and an api-key header.
    let route: string;
    if (url.pathname.startsWith("/v1/")) {
      route = url.pathname.slice(3);
      if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) return apiError(res, 401, "Incorrect API key provided", null, "invalid_api_key");
    } else if (url.pathname.startsWith("/openai/") && options.azure) {
      route = url.pathname.slice(7);
      if (url.searchParams.get("api-version") !== options.azure.apiVersion) return violation(`api-version must be ${options.azure.apiVersion}, got ${url.searchParams.get("api-version")}`);
      if (req.headers["api-key"] !== options.azure.apiKey) return apiError(res, 401, "Access denied due to invalid subscription key", null, "401");
      if (req.headers.authorization !== undefined) return violation("Azure takes the key in the api-key header, not Authorization");
    } else return apiError(res, 404, `no route ${url.pathname}`);

    const fault = faults.findIndex((f) => f.method === method && f.path.test(route));
    if (fault >= 0) {
      const [{ fault: f }] = faults.splice(fault, 1);
      res.writeHead(f!.status, { "content-type": "application/json", ...f!.headers });
      return res.end(JSON.stringify(f!.body ?? { error: { message: `injected ${f!.status}`, type: "server_error", param: null, code: null } }));
    }
    const send = (value: unknown, schema?: object, what = "response") => {
      if (schema) checkObject(schema, value, what);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    const checkQuery = (metadata: boolean) => {
      const validate = schemaValidator(listQuerySchema(metadata));
      const q = queryObject(url.searchParams);
      if (validate(q)) return true;
      violation(`query ${url.search}: ${JSON.stringify(ajvProblems(validate.errors))}`);
      return false;
    };
    const jobMatch = /^\/fine_tuning\/jobs\/([^/]+)(?:\/(cancel|pause|resume|events|checkpoints))?$/.exec(route);

    if (method === "POST" && route === "/files") {
      let form: FormData;
      try {
        form = await new Request("http://x/", { method: "POST", headers: { "content-type": req.headers["content-type"] ?? "" }, body: raw }).formData();
      } catch (err) {
        return violation(`not multipart/form-data: ${(err as Error).message}`);
      }
      const fields: Record<string, unknown> = {};
      for (const [k, v] of form) fields[k] = typeof v === "string" ? v : { filename: v.name, bytes: v.size };
      const validate = schemaValidator(uploadSchema);
      if (!validate(fields)) return violation(`upload form ${JSON.stringify(fields)}: ${JSON.stringify(ajvProblems(validate.errors))}`);
      const file = form.get("file") as File;
      const id = `file-${++ids}`;
      uploads.set(id, { filename: file.name, content: await file.text() });
      return send({ id, object: "file", bytes: file.size, created_at: tick(), filename: file.name, purpose: "fine-tune", status: "processed" });
    }
    if (method === "POST" && route === "/fine_tuning/jobs") {
      let body: unknown;
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        return violation("body is not JSON");
      }
      const problems = validateFineTuningJob(body);
      if (problems.length) return violation(`job body: ${JSON.stringify(problems)}`);
      const b = body as FineTuningJobRequest;
      for (const [param, id] of [["training_file", b.training_file], ["validation_file", b.validation_file]] as const) {
        if (id && !uploads.has(id) && !id.startsWith("file-known")) return apiError(res, 400, `invalid ${param}: ${id}`, param, "invalid_file");
      }
      return send(createJob(b), fineTuningJobObjectSchema, "job");
    }
    if (method === "GET" && route === "/fine_tuning/jobs") {
      if (!checkQuery(true)) return;
      const metadata = queryObject(url.searchParams).metadata as Record<string, string> | undefined;
      const all = [...states.values()].map((s) => s.job).filter((j) => !metadata || Object.entries(metadata).every(([k, v]) => j.metadata?.[k] === v));
      return send(page(all, url.searchParams, 20));
    }
    if (!jobMatch) return apiError(res, 404, `no route ${route}`);
    const s = states.get(decodeURIComponent(jobMatch[1]!));
    if (!s) return apiError(res, 404, `No fine-tuning job found with id ${jobMatch[1]}`, "fine_tuning_job_id", "fine_tuning_job_not_found");
    const action = jobMatch[2];
    if (method === "GET" && !action) {
      advance(s);
      return send(s.job, fineTuningJobObjectSchema, "job");
    }
    if (method === "GET" && action === "events") return checkQuery(false) && send(page(s.events, url.searchParams, 20));
    if (method === "GET" && action === "checkpoints") return checkQuery(false) && send(page(s.checkpoints, url.searchParams, 10, true));
    if (method === "POST" && action) {
      if (raw.length > 0 && raw.toString("utf8").trim() !== "{}") return violation(`${action} takes no body, got ${raw.toString("utf8").slice(0, 80)}`);
      const status = s.job.status;
      if (action === "cancel") {
        if (["succeeded", "failed", "cancelled"].includes(status)) return apiError(res, 400, `Job has already ${status}`, null, "invalid_state");
        Object.assign(s.job, { status: "cancelled", finished_at: tick() });
        event(s, "Job cancelled");
      } else if (action === "pause") {
        if (status !== "running") return apiError(res, 400, "Only running jobs can be paused", null, "invalid_state");
        s.job.status = "paused";
        event(s, "Job paused");
      } else {
        if (status !== "paused") return apiError(res, 400, "Only paused jobs can be resumed", null, "invalid_state");
        s.job.status = "running";
        event(s, "Job resumed");
      }
      return send(s.job, fineTuningJobObjectSchema, "job");
    }
    return apiError(res, 405, `${method} ${route} is not allowed`);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/v1`,
    origin,
    requests,
    violations,
    uploads,
    get jobs() {
      return new Map([...states].map(([id, s]) => [id, s.job]));
    },
    fail(method, path, ...list) {
      for (const fault of list) faults.push({ method, path, fault });
    },
    script(s) {
      nextScript = s;
    },
    addEvents(jobId, count) {
      const s = states.get(jobId)!;
      for (let i = 0; i < count; i++) event(s, `note ${i + 1}`);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
