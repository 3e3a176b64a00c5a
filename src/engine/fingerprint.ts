// What an output file was made from, stored beside it (OUT.graderkit.json, written before the
// first row) so that --resume appends only to output of the same grader, input and format:
// - grader: SHA-256 of the canonical JSON (keys sorted) of the validated grader and the
//   library's metric options;
// - input: its size and the SHA-256 of its first and last MiB (a copied or moved input still
//   matches; an edit that keeps the size and both ends is not detected); "stdin" for a stream;
// - format: the output row format ("full" or "compact": one file never mixes them).
// Each part is compared on its own, so a refusal says exactly what differs, and a new part is
// one more entry in PARTS.

import { createHash } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { canonicalJson } from "../util/canonical-json.js";
import { VERSION } from "../util/version.js";
import { ioError, RunFileError } from "./errors.js";
import type { RowFormat } from "./serialize.js";
import type { InputSource } from "./input.js";

/** The sidecar's schema version; a sidecar with a higher one was written by a newer graderkit. */
export const SIDECAR_VERSION = 1;
export const SIDECAR_SUFFIX = ".graderkit.json";
/** Bytes hashed at each end of the input. */
export const INPUT_ENDS_BYTES = 1024 * 1024;

export type OutputFormat = RowFormat;

export type InputFingerprint =
  | { kind: "file"; path: string; bytes: number; head_sha256: string; tail_sha256: string }
  | { kind: "stream"; name: string };

export interface Fingerprint {
  grader_sha256: string;
  input: InputFingerprint;
  format: OutputFormat;
}

interface Sidecar extends Fingerprint {
  graderkit_output: number;
  graderkit_version: string;
  created: string;
}

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

export function graderFingerprint(grader: unknown, metricOptions: unknown): string {
  return sha256(canonicalJson(metricOptions === undefined ? { grader } : { grader, metricOptions }));
}

export async function inputFingerprint(input: InputSource): Promise<InputFingerprint> {
  if (input.size === null || !input.readAt) return { kind: "stream", name: input.name };
  const ends = Math.min(input.size, INPUT_ENDS_BYTES);
  const head = await input.readAt(0, ends);
  const tail = await input.readAt(input.size - ends, ends);
  return { kind: "file", path: input.name, bytes: input.size, head_sha256: sha256(head), tail_sha256: sha256(tail) };
}

function describeInput(i: InputFingerprint): string {
  return i.kind === "stream" ? i.name : `${i.path} (${i.bytes} bytes)`;
}

/** The parts of a fingerprint, each with the sentence that says how two of them differ. */
const PARTS: Array<(was: Fingerprint, now: Fingerprint) => string | null> = [
  (was, now) => (was.grader_sha256 === now.grader_sha256 ? null : "the grader differs (or its metric options do)"),
  (was, now) => {
    const a = was.input;
    const b = now.input;
    if (a.kind === "stream" || b.kind === "stream") {
      return a.kind === b.kind ? "the earlier input was a stream, which cannot be checked" : `the input differs: ${describeInput(a)} then, ${describeInput(b)} now`;
    }
    if (a.bytes !== b.bytes) return `the input differs: ${describeInput(a)} then, ${describeInput(b)} now`;
    if (a.head_sha256 !== b.head_sha256 || a.tail_sha256 !== b.tail_sha256) return `the input differs: ${b.path} has the same size as ${a.path} but other content`;
    return null;
  },
  (was, now) => (was.format === now.format ? null : `the output format differs: ${was.format} then, ${now.format} now`),
];

/** Why OUT cannot be continued with this run's grader, input and format; empty when it can. */
export function fingerprintDifferences(was: Fingerprint, now: Fingerprint): string[] {
  return PARTS.map((part) => part(was, now)).filter((d): d is string => d !== null);
}

export function sidecarPath(outPath: string): string {
  return outPath + SIDECAR_SUFFIX;
}

/** Write the sidecar atomically (a temporary file renamed over it) and durably. */
export function writeSidecar(outPath: string, fingerprint: Fingerprint): void {
  const path = sidecarPath(outPath);
  const sidecar: Sidecar = { graderkit_output: SIDECAR_VERSION, graderkit_version: VERSION, created: new Date().toISOString(), ...fingerprint };
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, JSON.stringify(sidecar, null, 2) + "\n");
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    throw ioError(path, "write", err);
  }
}

/** The fingerprint stored beside OUT; null when there is no sidecar. */
export function readSidecar(outPath: string): Fingerprint | null {
  const path = sidecarPath(outPath);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw ioError(path, "read", err);
  }
  let sidecar: Partial<Sidecar>;
  try {
    sidecar = JSON.parse(text);
  } catch {
    throw new RunFileError("not_resumable", `${path}: cannot resume: the file is not JSON`);
  }
  if (typeof sidecar.graderkit_output !== "number" || typeof sidecar.grader_sha256 !== "string" || typeof sidecar.input !== "object" || typeof sidecar.format !== "string") {
    throw new RunFileError("not_resumable", `${path}: cannot resume: not a graderkit output description`);
  }
  if (sidecar.graderkit_output > SIDECAR_VERSION) {
    throw new RunFileError("not_resumable", `${path}: cannot resume: written by a newer graderkit (${sidecar.graderkit_version ?? "unknown version"})`);
  }
  return { grader_sha256: sidecar.grader_sha256, input: sidecar.input as InputFingerprint, format: sidecar.format as OutputFormat };
}
