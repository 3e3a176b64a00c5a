// The input of a run: a file, or a stream ("-": stdin). A regular file has a size (progress,
// the automatic pool), can be read again at an offset (a crashed worker's block) and has an
// identity for the same-file check and the resume fingerprint; a stream (stdin, a FIFO) has
// none of these and is read as it comes.

import { fstatSync, readSync, type BigIntStats } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import type { Readable } from "node:stream";
import { ioError } from "./errors.js";
import type { ByteSource } from "./read-blocks.js";

export interface InputSource extends ByteSource {
  /** The input as messages name it: its path, or "stdin". */
  readonly name: string;
  /** Size in bytes when the input is a regular file, else null. */
  readonly size: number | null;
  /** fstat of the input when it is a file descriptor (a file, or a redirected stdin), for the same-file check. */
  readonly stats: BigIntStats | null;
  /** The open file's descriptor when the input is a regular file (pool processes read blocks from it), else null. */
  readonly fd: number | null;
  /**
   * Read the next bytes now, blocking (a regular file), else null: for a run whose thread has
   * nothing else to do while it waits (CPU-bound grading on the main thread), where it skips the
   * thread-pool round trip of every read.
   */
  readonly readNow: ((into: Uint8Array, offset: number, length: number) => number) | null;
  /** Read `length` bytes at `position` again; null for a stream. */
  readonly readAt: ((position: number, length: number) => Promise<Uint8Array>) | null;
  /** End a pending read now (the run was interrupted while waiting for stdin). */
  interrupt(): void;
  close(): Promise<void>;
}

export const STDIN = "-";

/** Open SAMPLES: a path, or "-" for `stdin` (default process.stdin). */
export async function openInput(path: string, stdin?: Readable): Promise<InputSource> {
  if (path === STDIN) {
    const stream = stdin ?? process.stdin;
    return streamInput("stdin", stream, stream === process.stdin ? statFd(0) : null);
  }
  let fh: FileHandle;
  let stats: BigIntStats;
  try {
    fh = await open(path, "r");
    stats = await fh.stat({ bigint: true });
  } catch (err) {
    throw ioError(path, "open", err);
  }
  return fileInput(path, fh, stats);
}

function statFd(fd: number): BigIntStats | null {
  try {
    return fstatSync(fd, { bigint: true });
  } catch {
    return null;
  }
}

function fileInput(name: string, fh: FileHandle, stats: BigIntStats): InputSource {
  const regular = stats.isFile();
  const read = async (into: Uint8Array, offset: number, length: number, position: number | null) => {
    try {
      return (await fh.read(into, offset, length, position)).bytesRead;
    } catch (err) {
      throw ioError(name, "read", err);
    }
  };
  return {
    name,
    size: regular ? Number(stats.size) : null,
    stats,
    fd: regular ? fh.fd : null,
    readNow: regular
      ? (into, offset, length) => {
          try {
            return readSync(fh.fd, into, offset, length, null);
          } catch (err) {
            throw ioError(name, "read", err);
          }
        }
      : null,
    read: (into, offset, length) => read(into, offset, length, null),
    readAt: regular
      ? async (position, length) => {
          const bytes = new Uint8Array(length);
          let got = 0;
          while (got < length) {
            const n = await read(bytes, got, length - got, position + got);
            if (n === 0) break;
            got += n;
          }
          return bytes.subarray(0, got);
        }
      : null,
    interrupt() {},
    close: () => fh.close(),
  };
}

function streamInput(name: string, stream: Readable, stats: BigIntStats | null): InputSource {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array | string>;
  let chunk: Uint8Array = new Uint8Array(0);
  let at = 0;
  let ended = false;
  let interrupted = false;
  return {
    name,
    size: null,
    stats,
    fd: null,
    readNow: null,
    readAt: null,
    async read(into, offset, length) {
      while (at >= chunk.length) {
        if (ended) return 0;
        let next: IteratorResult<Uint8Array | string>;
        try {
          next = await chunks.next();
        } catch (err) {
          if (interrupted) return 0;
          throw ioError(name, "read", err);
        }
        if (next.done) {
          ended = true;
          return 0;
        }
        chunk = typeof next.value === "string" ? Buffer.from(next.value, "utf8") : next.value;
        at = 0;
      }
      const n = Math.min(length, chunk.length - at);
      into.set(chunk.subarray(at, at + n), offset);
      at += n;
      return n;
    },
    interrupt() {
      interrupted = true;
      ended = true;
      stream.destroy();
    },
    async close() {
      if (!ended) stream.destroy();
    },
  };
}
