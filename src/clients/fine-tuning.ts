// The fine-tuning jobs lifecycle on OpenAI or Azure OpenAI, through the official `openai` SDK
// (its retries with backoff and Retry-After, its auth headers, its Azure URLs). Resources mirror
// the API's paths as openai-node's do — `jobs.create/list/retrieve/cancel/pause/resume`,
// `jobs.events.list`, `jobs.checkpoints.list`, `files.create` — and return the API's JSON as it
// is: a list call is awaitable (one page, the envelope as sent) and async-iterable (every item,
// following `after` = the last id while `has_more`).

import { openAsBlob } from "node:fs";
import { basename } from "node:path";
import OpenAI, { AzureOpenAI } from "openai";
import type {
  FineTuningJob,
  FineTuningJobCheckpoint,
  FineTuningJobEvent,
  FineTuningJobRequest,
  ListEnvelope,
} from "../schema/fine-tuning-types.js";

export const OPENAI_BASE_URL = "https://api.openai.com/v1";

export interface FineTuningEndpoint {
  /** OpenAI, or an API that speaks its wire format (default https://api.openai.com/v1). */
  baseURL?: string;
  apiKey?: string;
  organization?: string;
  project?: string;
  /** Azure OpenAI through the SDK's AzureOpenAI client: `{endpoint}/openai/...?api-version=`, an `api-key` header. */
  azure?: { endpoint: string; apiKey: string; apiVersion: string };
  /** Retries of 408/409/429/5xx and connection errors, with the SDK's backoff (default 2). */
  maxRetries?: number;
  /** Per request (default 10 minutes, the SDK's). */
  timeoutMs?: number;
  /** For tests and proxies. */
  fetch?: typeof fetch;
}

/** An error the API answered with (or the connection failing): status, code, message, param. */
export class FineTuningApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; undefined when no response came (connection refused, timeout). */
    readonly status: number | undefined,
    readonly code: string | null,
    readonly param: string | null,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = "FineTuningApiError";
  }
}

function apiError(err: unknown): unknown {
  if (err instanceof OpenAI.APIError) {
    const body = err.error as { message?: unknown } | undefined;
    const message = typeof body?.message === "string" ? body.message : err.message;
    return new FineTuningApiError(message, err.status, err.code ?? null, err.param ?? null, err.requestID ?? null);
  }
  return err;
}

async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (err) {
    throw apiError(err);
  }
}

export interface PageParams {
  after?: string;
  /** Items per page (the API's default: 20; checkpoints 10). */
  limit?: number;
}

/**
 * A list request: `await` it for one page (the envelope as the API sent it), iterate it for
 * every item across pages. The first page is fetched once however it is consumed.
 */
export class CursorList<T extends { id: string }> implements PromiseLike<ListEnvelope<T>>, AsyncIterable<T> {
  private first: Promise<ListEnvelope<T>> | undefined;

  constructor(
    private readonly fetchPage: (params: PageParams) => Promise<ListEnvelope<T>>,
    private readonly params: PageParams,
  ) {}

  private firstPage(): Promise<ListEnvelope<T>> {
    return (this.first ??= this.fetchPage(this.params));
  }

  then<A = ListEnvelope<T>, B = never>(onfulfilled?: ((page: ListEnvelope<T>) => A | PromiseLike<A>) | null, onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.firstPage().then(onfulfilled, onrejected);
  }

  /** Every page, from this one on. */
  async *pages(): AsyncGenerator<ListEnvelope<T>> {
    let page = await this.firstPage();
    for (;;) {
      yield page;
      const last = page.data[page.data.length - 1];
      if (!page.has_more || !last) return;
      page = await this.fetchPage({ ...this.params, after: last.id });
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** Every item of every page, in the API's order. */
  async all(): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this) out.push(item);
    return out;
  }
}

export interface FileObject {
  id: string;
  object: "file";
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status?: string;
}

export interface JobListParams extends PageParams {
  /** Only jobs with these metadata values (`metadata[k]=v`). */
  metadata?: Record<string, string>;
}

function path(template: TemplateStringsArray, ...ids: string[]): string {
  return template.reduce((out, part, i) => out + part + (i < ids.length ? encodeURIComponent(ids[i]!) : ""), "");
}

export class FineTuningClient {
  // The SDK client underneath; private, so the package's types do not depend on the SDK's.
  private readonly sdk: OpenAI;
  readonly files: { create(file: string, purpose?: string): Promise<FileObject> };
  readonly jobs: {
    create(body: FineTuningJobRequest): Promise<FineTuningJob>;
    retrieve(id: string): Promise<FineTuningJob>;
    list(params?: JobListParams): CursorList<FineTuningJob>;
    cancel(id: string): Promise<FineTuningJob>;
    pause(id: string): Promise<FineTuningJob>;
    resume(id: string): Promise<FineTuningJob>;
    events: { list(id: string, params?: PageParams): CursorList<FineTuningJobEvent> };
    checkpoints: { list(id: string, params?: PageParams): CursorList<FineTuningJobCheckpoint> };
  };

  constructor(endpoint: FineTuningEndpoint) {
    // Every setting explicit: the SDK would otherwise read environment variables of its own.
    const common = {
      maxRetries: endpoint.maxRetries ?? 2,
      ...(endpoint.timeoutMs !== undefined ? { timeout: endpoint.timeoutMs } : {}),
      ...(endpoint.fetch ? { fetch: endpoint.fetch } : {}),
      organization: endpoint.organization ?? null,
      project: endpoint.project ?? null,
      webhookSecret: null,
      logLevel: "off" as const,
    };
    this.sdk = endpoint.azure
      ? new AzureOpenAI({ ...common, endpoint: endpoint.azure.endpoint, apiKey: endpoint.azure.apiKey, apiVersion: endpoint.azure.apiVersion, baseURL: null })
      : new OpenAI({ ...common, baseURL: endpoint.baseURL ?? OPENAI_BASE_URL, apiKey: endpoint.apiKey ?? "" });
    const sdk = this.sdk;
    const get = <T>(p: string, query: Record<string, unknown>) => call(() => sdk.get<T>(p, { query }));
    const post = <T>(p: string, body?: unknown) => call(() => sdk.post<T>(p, body === undefined ? {} : { body }));
    const list = <T extends { id: string }>(p: string, params: PageParams, extra: Record<string, unknown> = {}) =>
      new CursorList<T>((page) => get<ListEnvelope<T>>(p, { ...extra, ...page }), params);
    this.files = {
      async create(file, purpose = "fine-tune") {
        // A file-backed Blob: the upload streams from disk, and a retry can send it again.
        const blob = await openAsBlob(file);
        const upload = new File([blob], basename(file), { type: "application/jsonl" });
        return call(() => sdk.files.create({ file: upload, purpose: purpose as "fine-tune" }) as unknown as Promise<FileObject>);
      },
    };
    this.jobs = {
      create: (body) => post<FineTuningJob>("/fine_tuning/jobs", body),
      retrieve: (id) => get<FineTuningJob>(path`/fine_tuning/jobs/${id}`, {}),
      list: ({ metadata, ...params } = {}) => list<FineTuningJob>("/fine_tuning/jobs", params, metadata ? { metadata } : {}),
      cancel: (id) => post<FineTuningJob>(path`/fine_tuning/jobs/${id}/cancel`),
      pause: (id) => post<FineTuningJob>(path`/fine_tuning/jobs/${id}/pause`),
      resume: (id) => post<FineTuningJob>(path`/fine_tuning/jobs/${id}/resume`),
      events: { list: (id, params = {}) => list<FineTuningJobEvent>(path`/fine_tuning/jobs/${id}/events`, params) },
      checkpoints: { list: (id, params = {}) => list<FineTuningJobCheckpoint>(path`/fine_tuning/jobs/${id}/checkpoints`, params) },
    };
  }
}
