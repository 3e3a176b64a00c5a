// A disk cache of model answers, so re-running a grader over the same data costs nothing and
// gives the same rewards. One JSON file per key; the key is the sha256 of a canonical JSON of
// everything that decides the answer (endpoint, model, messages, sampling, response format).
// Only successful answers are stored: an error must be retried next time, not replayed.

import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { canonicalJson } from "../../util/canonical-json.js";
import { DEFAULT_CACHE_DIR } from "./settings.js";

export { canonicalJson };

/** Bump when the stored shape or the key parts change: old entries then simply miss. */
const FORMAT = 1;

/** The cache key of everything that decides an answer. */
export function cacheKey(parts: unknown): string {
  return createHash("sha256").update(canonicalJson({ graderkit_cache: FORMAT, parts })).digest("hex");
}

export interface ResponseCacheOptions {
  /** Default `.graderkit-cache/` in the current directory. */
  dir?: string;
  /** false → every get misses and nothing is written (and nothing is counted). */
  enabled?: boolean;
}

export interface CacheStats {
  hits: number;
  misses: number;
  writes: number;
  /** Failed writes (disk full, permissions): caching is best effort and never fails a grading. */
  write_errors: number;
}

export class ResponseCache {
  readonly dir: string;
  readonly enabled: boolean;
  private readonly counts: CacheStats = { hits: 0, misses: 0, writes: 0, write_errors: 0 };

  constructor(options: ResponseCacheOptions = {}) {
    this.dir = path.resolve(options.dir ?? DEFAULT_CACHE_DIR);
    this.enabled = options.enabled ?? true;
  }

  /** Sharded by the first two hex digits so no directory grows to millions of entries. */
  pathOf(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<unknown | undefined> {
    if (!this.enabled) return undefined;
    try {
      const stored = JSON.parse(await readFile(this.pathOf(key), "utf8")) as { graderkit_cache?: number; value?: unknown };
      if (stored?.graderkit_cache === FORMAT && stored.value !== undefined) {
        this.counts.hits++;
        return stored.value;
      }
    } catch {
      // Absent or unreadable: a miss either way.
    }
    this.counts.misses++;
    return undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    if (!this.enabled) return;
    const file = this.pathOf(key);
    // Write then rename: rename is atomic, so a crash leaves either no entry or a whole one.
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      // Owner-only: answers can quote the prompts, i.e. the user's data.
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await writeFile(tmp, JSON.stringify({ graderkit_cache: FORMAT, value }), { mode: 0o600 });
      await rename(tmp, file);
      this.counts.writes++;
    } catch {
      this.counts.write_errors++;
      await unlink(tmp).catch(() => undefined);
    }
  }

  stats(): CacheStats {
    return { ...this.counts };
  }
}

export function createResponseCache(options: ResponseCacheOptions = {}): ResponseCache {
  return new ResponseCache(options);
}
