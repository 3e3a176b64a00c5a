// Getting OUT ready before the first row is graded, so that a run that cannot finish well
// fails at once: OUT must not be the input (by device and inode, so ./in.jsonl, a symlink or a
// hard link count), its folder must exist and be writable, no other run may be writing it (the
// lock), and --resume must find output of the same grader, input and format (the fingerprint).
// OUT that is not a regular file (/dev/null, a FIFO) gets no lock and no fingerprint and cannot
// be resumed.

import { accessSync, constants, fstatSync, realpathSync, statSync, type BigIntStats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Writable } from "node:stream";
import { ioError, RunFileError } from "./errors.js";
import { fingerprintDifferences, readSidecar, sidecarPath, writeSidecar, type Fingerprint } from "./fingerprint.js";
import type { InputSource } from "./input.js";
import { lockOutput } from "./lock.js";
import { openFileOutput, streamOutput, type Output } from "./output.js";
import type { ResumeState } from "./resume.js";
import type { SummaryBuilder } from "./summary.js";

/**
 * Throws a RunFileError (`FILE: cannot write (CODE)`) unless `path` can be written: an existing file
 * must be writable (and not a folder), a new one needs a writable folder.
 */
export function checkWritablePath(path: string): void {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    if (st?.isDirectory()) throw Object.assign(new Error("a directory"), { code: "EISDIR" });
    if (st) return accessSync(path, constants.W_OK);
    const dir = dirname(resolve(path));
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw ioError(path, "write", err);
  }
}

const sameFile = (a: BigIntStats, b: BigIntStats) => a.dev === b.dev && a.ino === b.ino;

function stdoutStats(): BigIntStats | null {
  try {
    return fstatSync(1, { bigint: true });
  } catch {
    return null;
  }
}

export interface Destination {
  output: Output;
  /** Set when --resume found rows to continue after. */
  resumed: ResumeState | null;
  /** Unlock OUT (after the output is closed). */
  release(): void;
}

export interface DestinationOptions {
  /** OUT's path; without it, rows go to `stdout`. */
  path?: string;
  /** The stream for rows without `path` (default process.stdout). */
  stdout?: Writable;
  resume: boolean;
  input: InputSource;
  /** This run's fingerprint (computed only when OUT is a file). */
  fingerprint: () => Promise<Fingerprint>;
  /** Rows found by --resume are added to it. */
  summary: SummaryBuilder;
}

export async function openDestination(options: DestinationOptions): Promise<Destination> {
  const { path, input } = options;
  if (path === undefined) {
    if (options.resume) throw new RunFileError("not_resumable", "--resume needs an output file (-o OUT.jsonl), not stdout");
    const stream = options.stdout ?? process.stdout;
    const out = stream === process.stdout ? stdoutStats() : null;
    if (out && input.stats && out.isFile() && sameFile(out, input.stats)) {
      throw new RunFileError("same_file", `stdout is the input file ${input.name}: writing rows to it would destroy it`);
    }
    return { output: streamOutput("stdout", stream), resumed: null, release() {} };
  }

  checkWritablePath(path);
  const existing = statSync(path, { bigint: true, throwIfNoEntry: false });
  if (existing && input.stats && sameFile(existing, input.stats)) {
    throw new RunFileError("same_file", `${path} is the input file ${input.name}: refusing to overwrite the input (choose another -o)`);
  }
  if (existing && !existing.isFile()) {
    if (options.resume) throw new RunFileError("not_resumable", `${path}: --resume needs OUT to be a regular file`);
    return { output: await openFileOutput(path, "w", false), resumed: null, release() {} };
  }
  // Every name of one file (a symlink, ./x) shares one lock and one fingerprint.
  const real = existing ? realpathSync(path) : join(realpathSync(dirname(resolve(path))), basename(path));
  const lock = lockOutput(real);
  try {
    const fingerprint = await options.fingerprint();
    const hasRows = existing !== undefined && existing.size > 0n;
    if (options.resume && hasRows) {
      if (fingerprint.input.kind === "stream") throw new RunFileError("not_resumable", `--resume needs SAMPLES to be a file: ${input.name} cannot be checked against the earlier run`);
      const stored = readSidecar(real);
      if (!stored) {
        throw new RunFileError("not_resumable", `${path}: cannot resume: ${sidecarPath(path)} is missing, so nothing says which grader and input made ${path} (delete ${path} to start over)`);
      }
      const differences = fingerprintDifferences(stored, fingerprint);
      if (differences.length > 0) throw new RunFileError("resume_mismatch", `${path}: cannot resume: ${differences.join("; ")} (delete ${path} to start over)`);
      // Imported here: only a resumed run reads OUT's rows.
      const { prepareResume } = await import("./resume.js");
      const resumed = await prepareResume(path, fingerprint.format, options.summary);
      return { output: await openFileOutput(path, "a", true), resumed, release: lock.release };
    }
    writeSidecar(real, fingerprint);
    return { output: await openFileOutput(path, "w", true), resumed: null, release: lock.release };
  } catch (err) {
    lock.release();
    throw err;
  }
}
