// The graders a reward server is started with (`graderkit serve --grader NAME=path.json`): each
// validated and compiled once, before the server listens, so a trainer refers to it by name and a
// typo in a grader stops the server at start rather than zeroing rewards for hours.

import { graderFingerprint } from "../engine/fingerprint.js";
import { compileValidGrader } from "../graders/compile.js";
import { textSimilarity } from "../metrics/text-similarity.js";
import type { LocalMetric } from "../metrics/names.js";
import { checkedGrader } from "../schema/load.js";
import type { Grader } from "../schema/types.js";
import { pointerJoin } from "../util/json-pointer.js";
import type { ResolvedGrader } from "./row-grader.js";

/** Letters, digits, '_', '-' and '.': a name that is one segment of a URL path (/v1/openrlhf/NAME). */
export const GRADER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** What GET /v1/graders says about a grader. */
export interface GraderListing {
  object: "grader";
  name: string;
  type: Grader["type"];
  /** The grader's own `name` field. */
  grader_name: string;
  /** SHA-256 of the validated grader's canonical JSON (what `graderkit run` records as grader_sha256). */
  sha256: string;
  /** Python or model calls: graded through the executors, not the worker pool. */
  executor_backed: boolean;
  /** The metric signature of each text_similarity grader in it, by JSON pointer ("" for the grader itself). */
  signatures: Record<string, string>;
}

/** Validate (GraderValidationError naming the grader) and compile each named grader. */
export function resolveNamedGraders(graders: Readonly<Record<string, unknown>>): Map<string, ResolvedGrader> {
  const out = new Map<string, ResolvedGrader>();
  for (const [name, raw] of Object.entries(graders)) {
    if (!GRADER_NAME.test(name)) throw new RangeError(`grader name ${JSON.stringify(name)}: use 1-64 letters, digits, '_', '-' or '.'`);
    out.set(name, resolveGrader(checkedGrader(raw), name));
  }
  return out;
}

/** A validated grader ready for the routes: its key, its compiled form, and its registered name. */
export function resolveGrader(grader: Grader, registeredName: string | null): ResolvedGrader {
  return { key: graderFingerprint(grader, undefined), grader, compiled: compileValidGrader(grader), registeredName };
}

/** The signatures of the text_similarity graders in `grader`, by pointer. */
export function metricSignatures(grader: Grader, pointer = ""): Record<string, string> {
  if (grader.type === "multi") {
    let out: Record<string, string> = {};
    for (const [key, child] of Object.entries(grader.graders)) out = { ...out, ...metricSignatures(child as Grader, pointerJoin(pointer, "graders", key)) };
    return out;
  }
  if (grader.type !== "text_similarity" || grader.evaluation_metric === "cosine") return {};
  // A signature depends on the metric and its options only: score any pair to read it.
  return { [pointer]: textSimilarity(grader.evaluation_metric as LocalMetric, "a", "a").signature };
}

export function graderListing(name: string, resolved: ResolvedGrader): GraderListing {
  const { grader, compiled, key } = resolved;
  return {
    object: "grader",
    name,
    type: grader.type,
    grader_name: compiled.name,
    sha256: key,
    executor_backed: compiled.async,
    signatures: metricSignatures(grader),
  };
}
