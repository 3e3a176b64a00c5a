// OpenRLHF's remote reward protocol (`--remote_rm_url`, `--reward.remote_url` from v0.10): a POST
// of `{"query": [...], "prompts": [...], "labels": [...]}`, one entry per sample, answered with
// `{"rewards": [...], "scores": [...], "extra_logs": {...}}`. As pure functions from the request to
// graderkit rows and from the graded rows to the answer.
//
// A query is the prompt and the response decoded together, so the response is the query with its
// prompt removed when the query starts with it (else the whole query). A label is the dataset's
// `--label_key` value: a string holding a JSON object becomes the item itself (several fields
// travel through one label), anything else is `{"label": label}`.

import { isJsonObject } from "../util/json-object.js";

/** A problem with the request, as the 400's message and the JSON pointer of the field. */
export class OpenRlhfRequestError extends Error {
  constructor(
    message: string,
    readonly param: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "OpenRlhfRequestError";
  }
}

const FIELDS = ["query", "prompts", "labels"];

function stringList(body: Record<string, unknown>, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new OpenRlhfRequestError(`'${key}' must be an array of strings`, `/${key}`, "invalid_type");
  v.forEach((s, i) => {
    if (typeof s !== "string") throw new OpenRlhfRequestError(`'${key}' must be an array of strings`, `/${key}/${i}`, "invalid_type");
  });
  return v as string[];
}

/** The response part of a query: without its prompt when it starts with it. */
export function responseText(query: string, prompt: string | undefined): string {
  return prompt !== undefined && prompt !== "" && query.startsWith(prompt) ? query.slice(prompt.length) : query;
}

/** The item a label stands for. */
export function labelItem(label: unknown): Record<string, unknown> {
  if (label === undefined) return {};
  if (typeof label === "string") {
    const t = label.trimStart();
    if (t.startsWith("{")) {
      try {
        const parsed: unknown = JSON.parse(label);
        if (isJsonObject(parsed)) return parsed;
      } catch {
        // Not JSON: the label as it is.
      }
    }
  }
  if (isJsonObject(label)) return label;
  return { label };
}

/** graderkit rows (`{item, model_sample}`) for an OpenRLHF request body. */
export function openRlhfRows(body: unknown): Array<{ item: Record<string, unknown>; model_sample: string }> {
  if (!isJsonObject(body)) throw new OpenRlhfRequestError("the request body must be a JSON object", "", "invalid_type");
  for (const key of Object.keys(body)) {
    if (!FIELDS.includes(key)) throw new OpenRlhfRequestError(`unrecognized request argument '${key}' (OpenRLHF sends query, prompts and labels)`, `/${key}`, "unknown_parameter");
  }
  const query = stringList(body, "query");
  if (query === undefined) throw new OpenRlhfRequestError("missing required parameter 'query'", "/query", "missing_required_field");
  const prompts = stringList(body, "prompts");
  const labels = body.labels === undefined || body.labels === null ? undefined : body.labels;
  if (labels !== undefined && !Array.isArray(labels)) throw new OpenRlhfRequestError("'labels' must be an array", "/labels", "invalid_type");
  for (const [key, list] of [["prompts", prompts], ["labels", labels]] as const) {
    if (list !== undefined && list.length !== query.length) {
      throw new OpenRlhfRequestError(`'${key}' has ${list.length} entries and 'query' ${query.length}: one per sample`, `/${key}`, "invalid_length");
    }
  }
  return query.map((q, i) => ({ item: labelItem(labels?.[i]), model_sample: responseText(q, prompts?.[i]) }));
}

/**
 * The answer OpenRLHF reads: `rewards` (the reward it trains on), `scores` (what it logs; the
 * same numbers) and `extra_logs`, lists aligned with the samples: a multi grader's sub-rewards
 * by key, and `graderkit_error` (1 where the grading failed, else 0), which OpenRLHF logs as means.
 */
export function openRlhfAnswer(rows: ReadonlyArray<{ reward: number; sub_rewards?: Record<string, number>; error?: unknown }>): { rewards: number[]; scores: number[]; extra_logs: Record<string, number[]> } {
  const rewards = rows.map((r) => r.reward);
  const extra: Record<string, number[]> = {};
  const keys = new Set(rows.flatMap((r) => Object.keys(r.sub_rewards ?? {})));
  for (const key of keys) extra[key] = rows.map((r) => r.sub_rewards?.[key] ?? 0);
  // Always present, so every batch of a run has the same keys.
  extra.graderkit_error = rows.map((r) => (r.error !== undefined ? 1 : 0));
  return { rewards, scores: [...rewards], extra_logs: extra };
}
