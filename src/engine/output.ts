// Where output rows go: a file (opened before grading starts, made durable on close) or a
// stream (stdout). Every write error, including one that surfaces only when the data reaches
// the disk (fsync, close: a full or failing filesystem), becomes a RunFileError naming the file,
// never a silent success.

import { constants, createWriteStream, fdatasync, fstatSync, fsync, ftruncateSync, close as closeFd, open as openFd } from "node:fs";
import { promisify } from "node:util";
import type { Writable } from "node:stream";
import { ioError, type RunFileError } from "./errors.js";

const openAsync = promisify(openFd);
const fsyncAsync = promisify(fsync);
const fdatasyncAsync = promisify(fdatasync);
const closeAsync = promisify(closeFd);

/**
 * A file output flushes its data to the disk every this many bytes, in the background, so the
 * fsync of close has little left to wait for (and a failing disk is noticed early).
 */
export const SYNC_EVERY_BYTES = 32 * 1024 * 1024;

/**
 * Bytes a file output takes before it asks the run to wait. A block of full rows is ~1 MB; with
 * the stream's default (16 KB) every block waited for its own write (and for a background flush
 * ahead of it) before the next block was graded, so grading and writing took turns. A few blocks
 * of room let them overlap; memory stays bounded by it.
 */
export const FILE_BUFFER_BYTES = 8 * 1024 * 1024;

export interface Output {
  /** The file as messages name it (its path, or "stdout"). */
  readonly name: string;
  /**
   * Queue bytes for writing; after a failure, writes are dropped (close reports the failure).
   * `written` is called once they are handed to the OS (not after a failure).
   */
  write(chunk: string | Uint8Array, written?: () => void): void;
  /**
   * A descriptor of OUT that a worker process may write rows to itself (a file's), or null (a
   * stream). Its writes go between this output's: after `settled`, before the next `write`.
   */
  readonly fd: number | null;
  /** Resolves once every byte queued so far is handed to the OS (or the output failed). */
  settled(): Promise<void>;
  /** `bytes` were written to `fd` by a worker process (they count towards the background flush). */
  wroteDirectly(bytes: number): void;
  /** OUT's size in bytes (with `fd`: where a worker process's write starts, once settled). */
  size(): number;
  /**
   * Cut OUT back to `size` bytes (with `fd`: a worker process died inside its write). Writes
   * append, so the next one starts there.
   */
  truncate(size: number): void;
  /** A promise while the stream asks to wait (backpressure), else null. */
  ready(): Promise<void> | null;
  /** The first write error, if any. */
  readonly failure: RunFileError | null;
  /** Write out everything queued (a file: fsync and close it); rejects with the first failure. */
  close(): Promise<void>;
}

const NOTHING = new Uint8Array(0);

class StreamOutput implements Output {
  failure: RunFileError | null = null;
  readonly fd: number | null = null;
  private drained: Promise<void> | null = null;
  private waiters = new Set<() => void>();

  private readonly onError = (err: unknown) => {
    this.failure ??= ioError(this.name, "write", err);
    this.wakeAll();
  };
  private readonly onDrain = () => this.wakeAll();

  constructor(
    readonly name: string,
    protected readonly stream: Writable,
  ) {
    stream.on("error", this.onError);
    stream.on("drain", this.onDrain);
  }

  /** Stop listening to a stream that outlives the run (stdout). */
  protected detach(): void {
    this.stream.off("error", this.onError);
    this.stream.off("drain", this.onDrain);
  }

  private wakeAll(): void {
    for (const w of this.waiters) w();
    this.waiters.clear();
    this.drained = null;
  }

  write(chunk: string | Uint8Array, written?: () => void): void {
    if (this.failure) return;
    try {
      if (!this.stream.write(chunk, written && ((err) => err || written())) && !this.drained) {
        // An error ends the wait too: the caller then finds `failure` set.
        this.drained = new Promise((resolve) => this.waiters.add(resolve));
      }
    } catch (err) {
      this.failure ??= ioError(this.name, "write", err);
    }
  }

  ready(): Promise<void> | null {
    return this.failure ? null : this.drained;
  }

  settled(): Promise<void> {
    if (this.failure || this.stream.writableLength === 0) return Promise.resolve();
    // Writes are done in order: the callback of an empty one comes after all before it.
    return new Promise((resolve) => this.stream.write(NOTHING, () => resolve()));
  }

  wroteDirectly(_bytes: number): void {}

  size(): number {
    throw new Error(`${this.name}: a stream has no size`);
  }

  truncate(_size: number): void {
    throw new Error(`${this.name}: a stream cannot be truncated`);
  }

  /** Wait until the stream has handed everything to the OS (or failed). */
  protected async flushed(): Promise<void> {
    while (!this.failure && this.stream.writableNeedDrain) await (this.drained ??= new Promise((resolve) => this.waiters.add(resolve)));
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    try {
      await this.flushed();
    } finally {
      this.detach();
    }
  }
}

class FileOutput extends StreamOutput {
  private sinceSync = 0;
  private syncing: Promise<void> | null = null;
  /** Worker processes write to a regular file only (it can be measured and cut back). */
  override readonly fd: number | null;

  constructor(
    name: string,
    private readonly descriptor: number,
    /** fsync it (a regular file; devices and FIFOs cannot be synced). */
    private readonly durable: boolean,
  ) {
    super(name, createWriteStream("", { fd: descriptor, autoClose: false, highWaterMark: FILE_BUFFER_BYTES }));
    this.fd = durable ? descriptor : null;
  }

  override size(): number {
    return fstatSync(this.descriptor).size;
  }

  override truncate(size: number): void {
    ftruncateSync(this.descriptor, size);
  }

  override write(chunk: string | Uint8Array, written?: () => void): void {
    super.write(chunk, written);
    this.wroteDirectly(chunk.length);
  }

  override wroteDirectly(bytes: number): void {
    if (!this.durable) return;
    this.sinceSync += bytes;
    if (this.sinceSync >= SYNC_EVERY_BYTES && !this.syncing) {
      this.sinceSync = 0;
      // fdatasync on the written part runs in the thread pool; the stream keeps writing.
      this.syncing = fdatasyncAsync(this.descriptor).then(
        () => void (this.syncing = null),
        (err) => {
          this.failure ??= ioError(this.name, "write", err);
          this.syncing = null;
        },
      );
    }
  }

  override async close(): Promise<void> {
    try {
      await new Promise<void>((resolve) => this.stream.end(resolve));
      if (this.syncing) await this.syncing;
      if (this.failure) throw this.failure;
      if (this.durable) {
        await fsyncAsync(this.descriptor).catch((err) => {
          throw ioError(this.name, "write", err);
        });
      }
    } finally {
      await closeAsync(this.descriptor).catch((err) => {
        this.failure ??= ioError(this.name, "write", err);
      });
    }
    if (this.failure) throw this.failure;
  }
}

// "w" that appends: every write goes to the end, so a worker process's write and this process's
// follow each other, and a cut-back file (truncate) goes on from its new end.
const FROM_START_APPENDING = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_APPEND;

/**
 * Open OUT for writing ("w": from the start, "a": appending, for --resume); a `durable` one (a
 * regular file) is fsynced on close. Either way every write appends.
 */
export async function openFileOutput(path: string, mode: "w" | "a", durable: boolean): Promise<Output> {
  let fd: number;
  try {
    fd = await openAsync(path, mode === "w" ? FROM_START_APPENDING : "a", 0o666);
  } catch (err) {
    throw ioError(path, "open", err);
  }
  return new FileOutput(path, fd, durable);
}

/** Rows written to a stream the caller owns (stdout); close waits for it to drain, not end. */
export function streamOutput(name: string, stream: Writable): Output {
  return new StreamOutput(name, stream);
}
