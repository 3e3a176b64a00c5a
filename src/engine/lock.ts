// One run at a time per output file: a lock file beside OUT (OUT.graderkit.lock) holding the
// owner's pid and host, created atomically (written to a private temporary file, then hard-linked
// to the lock name, which fails if the lock exists: the lock is never seen half-written). A lock
// whose owner is gone (same host, pid not alive: a kill -9, a power cut) is stale and taken over;
// one held by a live process, or by another host (whose pids cannot be checked), refuses the run.

import { hostname } from "node:os";
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { ioError, RunFileError } from "./errors.js";

export const LOCK_SUFFIX = ".graderkit.lock";

interface Holder {
  pid: number;
  host: string;
  started: string;
}

/** Whether the holder may still be writing: alive on this host, or on a host we cannot check. */
export function holderMayBeAlive(holder: Holder, host = hostname()): boolean {
  if (holder.host !== host) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // alive, another user's
  }
}

function readLock(path: string): { text: string; holder: Holder | null } | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  try {
    const h = JSON.parse(text) as Holder;
    return { text, holder: Number.isInteger(h.pid) && typeof h.host === "string" ? h : null };
  } catch {
    return { text, holder: null };
  }
}

const unlinkQuietly = (path: string) => {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
};

/** Move a stale lock aside; if what was moved turns out to be a fresh lock (a race), put it back. */
function breakStaleLock(path: string, staleText: string): void {
  const aside = `${path}.stale.${process.pid}.${Date.now()}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return; // someone else broke it
    throw err;
  }
  if (readFileSync(aside, "utf8") !== staleText) {
    try {
      linkSync(aside, path);
    } catch {
      // another lock exists by now; it is the one that counts
    }
  }
  unlinkQuietly(aside);
}

export interface OutputLock {
  readonly path: string;
  release(): void;
}

/** Lock OUT (the path of a regular file or of one to create) for this process. */
export function lockOutput(outPath: string): OutputLock {
  const path = outPath + LOCK_SUFFIX;
  const holder: Holder = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  const text = JSON.stringify(holder) + "\n";
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(tmp, path);
        const release = () => {
          process.off("exit", release);
          const now = readLock(path);
          if (now?.text === text) unlinkQuietly(path);
        };
        // A forced exit (a second Ctrl-C) still removes the lock.
        process.on("exit", release);
        return { path, release };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      const current = readLock(path);
      if (!current) continue; // released meanwhile
      const other = current.holder;
      if (other && holderMayBeAlive(other)) {
        const who = other.pid === process.pid && other.host === holder.host ? "another run in this process" : `pid ${other.pid} on ${other.host}, since ${other.started}`;
        throw new RunFileError("locked", `${outPath}: another graderkit run is writing it (${who}); if none is, delete ${path}`);
      }
      breakStaleLock(path, current.text);
    }
    throw new RunFileError("locked", `${outPath}: cannot take the lock ${path}: it keeps changing`);
  } catch (err) {
    if (err instanceof RunFileError) throw err;
    throw ioError(outPath, "lock", err);
  } finally {
    unlinkQuietly(tmp);
  }
}
