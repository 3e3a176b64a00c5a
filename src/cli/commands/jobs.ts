// `graderkit jobs`: the fine-tuning job lifecycle on OpenAI or Azure OpenAI. A thin layer over
// src/clients (FineTuningClient, followJob) and src/datasets (checkTrainingData before an upload).

import { existsSync } from "node:fs";
import { EndpointError, resolveEndpoint } from "../../clients/endpoint.js";
import { CursorList, FineTuningApiError, FineTuningClient } from "../../clients/fine-tuning.js";
import { followJob } from "../../clients/follow.js";
import { checkTrainingData } from "../../datasets/check-data.js";
import type { FineTuningJob, FineTuningJobEvent, FineTuningJobRequest, FineTuningMethodType, ListEnvelope } from "../../schema/fine-tuning-types.js";
import type { Grader } from "../../schema/types.js";
import { validateFineTuningJob } from "../../schema/validate-job.js";
import { JsonSyntaxError, parseJsonText } from "../../util/json-text.js";
import { defineCommand, defineCommandGroup, EXIT, UsageError, type Io } from "../command.js";
import { formatJobProblem, JOB_OPTIONS, jobFlagsGiven, jobFromFlags } from "../job-options.js";
import { checkpointsTable, eventLine, formatJobError, isMetricsEvent, jobDetails, jobsTable, progressLine } from "../jobs-format.js";
import { formatProblem, readText } from "../load.js";
import type { OptionSpec } from "../options.js";
import { formatDataProblem } from "./check-data.js";
import { COMMAND_SUMMARIES } from "../summaries.js";

const ENDPOINT = "Endpoint (OpenAI: $OPENAI_API_KEY; Azure: $AZURE_OPENAI_API_KEY)";

const ENDPOINT_OPTIONS = [
  { name: "base-url", type: "string", arg: "URL", group: ENDPOINT, shownDefault: "$OPENAI_BASE_URL, else https://api.openai.com/v1", description: "The fine-tuning API (OpenAI, or Azure's v1 API: https://RESOURCE.openai.azure.com/openai/v1)" },
  { name: "azure-endpoint", type: "string", arg: "URL", group: ENDPOINT, shownDefault: "$AZURE_OPENAI_ENDPOINT", description: "Azure OpenAI resource, e.g. https://RESOURCE.openai.azure.com (the SDK's AzureOpenAI client)" },
  { name: "api-version", type: "string", arg: "V", group: ENDPOINT, shownDefault: "$OPENAI_API_VERSION", description: "Azure API version, e.g. 2025-04-01-preview" },
  { name: "max-retries", type: "integer", arg: "N", min: 0, group: ENDPOINT, shownDefault: "2", description: "Retries of 429 (honouring Retry-After), 5xx and connection errors" },
  { name: "json", type: "boolean", description: "Print the API's JSON objects instead of tables" },
] as const satisfies readonly OptionSpec[];

const FOLLOW_OPTIONS = [
  { name: "follow", type: "boolean", description: "Poll until the job succeeds, fails or is cancelled, printing its events oldest first; exit 1 unless it succeeds" },
  { name: "poll-interval", type: "number", arg: "SECONDS", min: 0, aboveMin: true, shownDefault: "2, backing off to 30", description: "The first wait between polls (quiet polls wait 1.5 times longer, up to 15 times this)" },
] as const satisfies readonly OptionSpec[];

type EndpointValues = { "base-url"?: string; "azure-endpoint"?: string; "api-version"?: string; "max-retries"?: number };

function clientFor(values: EndpointValues, io: Io): FineTuningClient {
  try {
    return new FineTuningClient(
      resolveEndpoint({ baseUrl: values["base-url"], azureEndpoint: values["azure-endpoint"], apiVersion: values["api-version"], maxRetries: values["max-retries"] }, io.env),
    );
  } catch (err) {
    if (err instanceof EndpointError) throw new UsageError(err.message);
    throw err;
  }
}

/** An API error (or no answer) is exit 2, with the API's message, code and param. */
async function reportingApiErrors(io: Io, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof FineTuningApiError)) throw err;
    const status = err.status === undefined ? "no answer" : String(err.status);
    const details = [err.code ? `code ${err.code}` : "", err.param ? `param ${err.param}` : "", err.requestId ? `request ${err.requestId}` : ""].filter(Boolean).join(", ");
    io.stderr(`API error (${status}): ${err.message}${details ? ` (${details})` : ""}\n`);
    return EXIT.usage;
  }
}

/** Run with a client for the endpoint flags, API errors reported (exit 2). */
function withClient(values: EndpointValues, io: Io, run: (client: FineTuningClient) => Promise<number>): Promise<number> {
  const client = clientFor(values, io);
  return reportingApiErrors(io, () => run(client));
}

/** One page as the API sent it, or with --all every item as one list. */
async function pageOrAll<T extends { id: string }>(request: CursorList<T>, all: boolean): Promise<ListEnvelope<T>> {
  return all ? { object: "list", data: await request.all(), has_more: false } : await request;
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

/** The end of a followed job: 0 succeeded, 1 failed (with its error) or cancelled. */
function finalStatus(job: FineTuningJob, io: Io): number {
  const error = formatJobError(job);
  if (job.status === "succeeded") io.stderr(`${job.id} succeeded: ${job.fine_tuned_model ?? "(no model name)"}\n`);
  else io.stderr(`${job.id} ${job.status}${error ? `: ${error}` : ""}\n`);
  return job.status === "succeeded" ? EXIT.ok : EXIT.failed;
}

/** Follow a job, printing events oldest first; on a terminal, metrics events drive a progress line. */
async function follow(client: FineTuningClient, id: string, values: { json: boolean; "poll-interval"?: number }, io: Io): Promise<number> {
  const live = io.stderrIsTTY && !values.json;
  let progress = "";
  const clear = () => {
    if (progress) io.stderr("\r\x1b[2K");
  };
  const onEvent = (e: FineTuningJobEvent) => {
    if (values.json) return io.stdout(JSON.stringify(e) + "\n");
    if (live && isMetricsEvent(e)) {
      progress = progressLine(e.data);
      io.stderr(`\r\x1b[2K${progress}`);
      return;
    }
    clear();
    io.stdout(eventLine(e) + "\n");
    if (progress) io.stderr(progress);
  };
  const min = values["poll-interval"] !== undefined ? values["poll-interval"] * 1000 : undefined;
  const job = await followJob(client, id, { onEvent, ...(min !== undefined ? { minIntervalMs: min, maxIntervalMs: min * 15 } : {}) });
  clear();
  if (values.json) io.stdout(JSON.stringify(job) + "\n");
  return finalStatus(job, io);
}

// ---- create ------------------------------------------------------------------------------------

/** A file id or a local file? A value naming an existing file is the file; one that looks like a path must be one. */
function localFile(value: string, flag: string): string | undefined {
  if (existsSync(value)) return value;
  if (/[\\/]|\.jsonl?$/i.test(value)) throw new UsageError(`${flag} ${value}: no such file (a file id looks like file-abc123)`);
  return undefined;
}

/**
 * The job's local training files, checked with check-data for the job's method, model and grader
 * (before any client or upload exists, so a refusal costs no network); null when one has errors.
 */
async function localFiles(body: FineTuningJobRequest, check: boolean, io: Io): Promise<Array<[field: "training_file" | "validation_file", path: string]> | null> {
  const out: Array<["training_file" | "validation_file", string]> = [];
  let ok = true;
  for (const field of ["training_file", "validation_file"] as const) {
    const value = body[field];
    const file = typeof value === "string" ? localFile(value, field === "training_file" ? "--training-file" : "--validation-file") : undefined;
    if (file === undefined) continue;
    out.push([field, file]);
    if (!check) continue;
    const method: FineTuningMethodType = body.method?.type ?? "supervised";
    const grader = body.method?.reinforcement?.grader as Grader | undefined;
    const report = await checkTrainingData(file, { method, grader, model: body.model, validation: field === "validation_file" });
    for (const p of report.problems) io.stderr(formatDataProblem(file, p) + "\n");
    if (report.errors) {
      io.stderr(`${file}: ${report.errors} error${report.errors === 1 ? "" : "s"}: not uploaded (fix them, or --no-check)\n`);
      ok = false;
    }
  }
  return ok ? out : null;
}

/** The body of --body JOB.json, checked; null (problems printed) when invalid. */
function bodyFromFile(file: string, io: Io): FineTuningJobRequest | null {
  let body: unknown;
  try {
    body = parseJsonText(readText(file));
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    io.stderr(`${formatProblem(file, { pointer: "", message: `not valid JSON: ${err.message}`, code: "invalid_json", line: err.line, column: err.column })}\n`);
    return null;
  }
  const problems = validateFineTuningJob(body);
  for (const p of problems) io.stderr(formatProblem(file, p) + "\n");
  return problems.length ? null : (body as FineTuningJobRequest);
}

const createCommand = defineCommand({
  name: "jobs create",
  summary: "Create a fine-tuning job (checking and uploading local training files first).",
  positionals: { names: "[GRADER.json]", min: 0, max: 1 },
  usage: "(--body JOB.json | [GRADER.json] --model M --training-file FILE|ID ...) [--follow] [options]",
  description: `The job is --body JOB.json (a POST /v1/fine_tuning/jobs body, e.g. from graderkit export) or
built from the same flags as 'graderkit export'. A --training-file / --validation-file that is a
local file is checked with check-data (for the job's method, model and grader; refused on
errors unless --no-check) and uploaded (POST /files, purpose fine-tune) first.`,
  options: [
    { name: "body", type: "string", arg: "JOB.json", description: "The job body, instead of the job flags" },
    ...JOB_OPTIONS,
    { name: "no-check", type: "boolean", description: "Upload local files without checking them" },
    ...FOLLOW_OPTIONS,
    ...ENDPOINT_OPTIONS,
  ],
  exitStatus: "0 created (with --follow: succeeded), 1 the job or a local file has problems (nothing is created), or the followed job failed or was cancelled; 2 usage, I/O or API error.",
  async run({ values, positionals, given }, io) {
    let body: FineTuningJobRequest | null;
    if (values.body !== undefined) {
      const flags = jobFlagsGiven(given);
      if (flags.length || positionals.length) throw new UsageError(`--body is the whole job: it takes no ${flags.length ? flags.map((f) => `--${f}`).join(", ") : "GRADER.json"}`);
      body = bodyFromFile(values.body, io);
      if (!body) return EXIT.failed;
    } else {
      const build = jobFromFlags(values, positionals[0]);
      for (const w of build.warnings) io.stderr(`warning: ${formatJobProblem(w, build.graderFile)}\n`);
      if (!build.job) {
        for (const p of build.problems) io.stderr(formatJobProblem(p, build.graderFile) + "\n");
        return EXIT.failed;
      }
      body = build.job;
    }
    const uploads = await localFiles(body, !values["no-check"], io);
    if (!uploads) return EXIT.failed;
    return withClient(values, io, async (client) => {
      for (const [field, file] of uploads) {
        const uploaded = await client.files.create(file, "fine-tune");
        io.stderr(`uploaded ${file} as ${uploaded.id}\n`);
        body[field] = uploaded.id;
      }
      const job = await client.jobs.create(body);
      // --json --follow prints JSON lines: the job, each event, the final job.
      io.stdout(values.json ? (values.follow ? JSON.stringify(job) + "\n" : json(job)) : jobDetails(job));
      return values.follow ? follow(client, job.id, values, io) : EXIT.ok;
    });
  },
});

// ---- the others ----------------------------------------------------------------------------------

const listCommand = defineCommand({
  name: "jobs list",
  summary: "List fine-tuning jobs, newest first.",
  positionals: { names: "", min: 0, max: 0 },
  usage: "[--limit N] [--after ID] [--all] [--metadata k=v ...] [options]",
  options: [
    { name: "limit", type: "integer", arg: "N", min: 1, max: 100, shownDefault: "20 (the API's)", description: "Jobs per page" },
    { name: "after", type: "string", arg: "ID", description: "Start after this job (the next page)" },
    { name: "all", type: "boolean", description: "Every page" },
    { name: "metadata", type: "pairs", arg: "k=v", description: "Only jobs with this metadata" },
    ...ENDPOINT_OPTIONS,
  ],
  exitStatus: "0 listed, 2 usage or API error.",
  async run({ values }, io) {
    const metadata = Object.keys(values.metadata).length ? values.metadata : undefined;
    return withClient(values, io, async (client) => {
      const page = await pageOrAll(client.jobs.list({ limit: values.limit, after: values.after, metadata }), values.all);
      if (values.json) io.stdout(json(page));
      else {
        io.stdout(page.data.length ? jobsTable(page.data) : "no jobs\n");
        if (page.has_more) io.stderr(`more: --after ${page.data[page.data.length - 1]!.id} (or --all)\n`);
      }
      return EXIT.ok;
    });
  },
});

const ID = { names: "JOB_ID", min: 1 } as const;

const getCommand = defineCommand({
  name: "jobs get",
  summary: "Show one fine-tuning job.",
  positionals: ID,
  options: ENDPOINT_OPTIONS,
  exitStatus: "0 shown (whatever the job's status), 2 usage or API error.",
  async run({ values, positionals }, io) {
    return withClient(values, io, async (client) => {
      const job = await client.jobs.retrieve(positionals[0]!);
      io.stdout(values.json ? json(job) : jobDetails(job));
      return EXIT.ok;
    });
  },
});

function actionCommand(action: "cancel" | "pause" | "resume", summary: string) {
  return defineCommand({
    name: `jobs ${action}`,
    summary,
    positionals: ID,
    options: ENDPOINT_OPTIONS,
    exitStatus: `0 done, 2 usage or API error (e.g. a job that cannot ${action} now).`,
    async run({ values, positionals }, io) {
      return withClient(values, io, async (client) => {
        const job = await client.jobs[action](positionals[0]!);
        io.stdout(values.json ? json(job) : `${job.id}: ${job.status}\n`);
        return EXIT.ok;
      });
    },
  });
}

const eventsCommand = defineCommand({
  name: "jobs events",
  summary: "Show a job's events, oldest first; --follow until the job ends.",
  positionals: ID,
  options: [
    { name: "limit", type: "integer", arg: "N", min: 1, max: 100, shownDefault: "20 (the API's)", description: "The latest N events" },
    ...FOLLOW_OPTIONS,
    ...ENDPOINT_OPTIONS,
  ],
  exitStatus: "0 shown (with --follow: the job succeeded), 1 the followed job failed or was cancelled, 2 usage or API error.",
  async run({ values, positionals }, io) {
    const id = positionals[0]!;
    return withClient(values, io, async (client) => {
      if (values.follow) return follow(client, id, values, io);
      const page = await client.jobs.events.list(id, { limit: values.limit });
      if (values.json) io.stdout(json(page));
      else for (const e of [...page.data].reverse()) io.stdout(eventLine(e) + "\n");
      return EXIT.ok;
    });
  },
});

const checkpointsCommand = defineCommand({
  name: "jobs checkpoints",
  summary: "List a job's checkpoints, newest first.",
  positionals: ID,
  options: [
    { name: "limit", type: "integer", arg: "N", min: 1, max: 100, shownDefault: "10 (the API's)", description: "Checkpoints per page" },
    { name: "all", type: "boolean", description: "Every page" },
    ...ENDPOINT_OPTIONS,
  ],
  exitStatus: "0 listed, 2 usage or API error.",
  async run({ values, positionals }, io) {
    return withClient(values, io, async (client) => {
      const page = await pageOrAll(client.jobs.checkpoints.list(positionals[0]!, { limit: values.limit }), values.all);
      if (values.json) io.stdout(json(page));
      else io.stdout(page.data.length ? checkpointsTable(page.data) : "no checkpoints\n");
      return EXIT.ok;
    });
  },
});

export const jobsCommand = defineCommandGroup({
  name: "jobs",
  summary: COMMAND_SUMMARIES.jobs,
  description: `Endpoints: OpenAI (--base-url / $OPENAI_BASE_URL, key $OPENAI_API_KEY) or Azure OpenAI
(--azure-endpoint / $AZURE_OPENAI_ENDPOINT, key $AZURE_OPENAI_API_KEY, --api-version). Tables by
default, the API's JSON with --json.`,
  exitStatus: "0 success, 1 a job or training file refused or a followed job that did not succeed, 2 usage, I/O or API error.",
  commands: [
    createCommand,
    listCommand,
    getCommand,
    actionCommand("cancel", "Cancel a job."),
    actionCommand("pause", "Pause a running job."),
    actionCommand("resume", "Resume a paused job."),
    eventsCommand,
    checkpointsCommand,
  ],
});
