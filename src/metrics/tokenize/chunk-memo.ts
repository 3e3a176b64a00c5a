// Memos keyed by a range of UTF-16 units, looked up without making a substring: the tokenizers
// memoise their work per whitespace-free chunk (and per sentence tail), and with a JS Map every
// lookup would need a new string and its hash. A text is copied once into a buffer of units
// (textUnits); keys are stored as units in a pool and compared unit by unit, so a hit is always
// the same chunk. Open addressing on our own hash; dropped wholesale when full, like the other
// token memos.

import { Buffer } from "node:buffer";
import { endianness } from "node:os";

let units = new Uint16Array(1024);
/** The bytes of `units`, which Buffer's UTF-16LE write fills natively. */
let unitBytes = Buffer.from(units.buffer);

// Past this many units the native copy is cheaper than a charCodeAt loop (a 190-char text: ~65
// against ~400 ns); below it the call costs more than the loop. Uint16Array has the platform's
// byte order, so only little-endian platforms take it.
const NATIVE_COPY_FROM = 32;
const NATIVE_COPY = endianness() === "LE";

/**
 * The UTF-16 units of `text` in a shared buffer (valid until the next call; callers use it
 * synchronously and do not nest calls for different texts).
 */
export function textUnits(text: string): Uint16Array {
  if (units.length < text.length) {
    units = new Uint16Array(Math.max(text.length, units.length * 2));
    unitBytes = Buffer.from(units.buffer);
  }
  const u = units;
  if (NATIVE_COPY && text.length >= NATIVE_COPY_FROM) unitBytes.write(text, 0, "utf16le");
  else for (let i = 0; i < text.length; i++) u[i] = text.charCodeAt(i);
  return u;
}

// The hash: FNV-1a over the units (HASH_START, then hashStep per unit), then hashFinish. Callers
// that scan a chunk anyway may fold the steps into their scan; hashUnits is the same thing.
export const HASH_START = 0x811c9dc5 | 0;

export function hashStep(h: number, unit: number): number {
  return Math.imul(h ^ unit, 0x01000193);
}

export function hashFinish(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

/** Hash of u[from, to). */
export function hashUnits(u: Uint16Array, from: number, to: number): number {
  let h = HASH_START;
  for (let i = from; i < to; i++) h = hashStep(h, u[i]!);
  return hashFinish(h);
}

/** Keys longer than this are not memoised (callers compute directly). */
export const MAX_KEY = 256;

// Each slot is four adjacent int32s (hash, length, pool start, index of its value in a dense list
// kept in insertion order): a lookup touches one cache line of slots, one of the pool and one of
// the values. (Five parallel tables of 2^16 entries each cost a cache miss apiece on every
// lookup, most of a memo hit's time.)
const SLOT = 4;

export class ChunkMemo<V> {
  // The tables get their full size on the first set(): a process that never tokenizes (a
  // string_check run) does not pay for ~3 MB of zeroed tables at start-up. Until then there is
  // one empty slot, so get() finds nothing without a branch of its own.
  private pool = new Uint16Array(0);
  private poolUsed = 0;
  /** Per slot: hash, length + 1 (0 = empty), where the key starts in the pool, index into values. */
  private slots = new Int32Array(SLOT);
  private values: V[] = [];
  private mask = 0;
  private readonly size: number;
  private readonly limit: number;

  /** Room for 2^(bits-1) entries. */
  constructor(bits: number) {
    this.size = 1 << bits;
    this.limit = this.size >>> 1;
  }

  private allocate(): void {
    this.pool = new Uint16Array(1 << 16);
    this.slots = new Int32Array(this.size * SLOT);
    this.mask = this.size - 1;
  }

  /** The value stored for u[from, to), whose hashUnits is `hash`. */
  get(u: Uint16Array, from: number, to: number, hash: number): V | undefined {
    const stored = to - from + 1;
    const slots = this.slots;
    const mask = this.mask;
    let slot = hash & mask;
    for (;;) {
      const at = slot * SLOT;
      const length = slots[at + 1]!;
      if (length === 0) return undefined;
      if (slots[at] === hash && length === stored) {
        const pool = this.pool;
        let i = slots[at + 2]!;
        let j = from;
        while (j < to && pool[i] === u[j]) {
          i++;
          j++;
        }
        if (j === to) return this.values[slots[at + 3]!];
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Stores a value (not undefined) for u[from, to) (not present yet; at most MAX_KEY units). */
  set(u: Uint16Array, from: number, to: number, hash: number, value: V): void {
    if (this.mask === 0) this.allocate();
    const length = to - from;
    if (this.values.length >= this.limit || this.poolUsed + length > this.pool.length) {
      if (this.values.length < this.limit && this.pool.length < 1 << 22) {
        const pool = new Uint16Array(this.pool.length * 2);
        pool.set(this.pool.subarray(0, this.poolUsed));
        this.pool = pool;
      } else {
        this.slots.fill(0);
        this.values.length = 0;
        this.poolUsed = 0;
      }
    }
    const slots = this.slots;
    let slot = hash & this.mask;
    while (slots[slot * SLOT + 1] !== 0) slot = (slot + 1) & this.mask;
    const start = this.poolUsed;
    // A loop, not pool.set(u.subarray(...)): keys are short, and a subarray is an object.
    const pool = this.pool;
    for (let i = 0; i < length; i++) pool[start + i] = u[from + i]!;
    this.poolUsed += length;
    const at = slot * SLOT;
    slots[at] = hash;
    slots[at + 1] = length + 1;
    slots[at + 2] = start;
    slots[at + 3] = this.values.length;
    this.values.push(value);
  }
}

// Memo or fast path first. A memo hit costs a lookup and makes no new strings or objects; the
// fast path (the word tokenizer's chunk scanner) costs about as much as the lookup but makes its
// strings, and a miss costs both plus an insertion. So while most lookups hit (a closed
// vocabulary: a test set, a model's outputs) the memo goes first, and while most miss (an open
// vocabulary: names, numbers, typos) the fast path does, with one item in SAMPLE_EVERY still
// going through the memo to fill it and to notice when the texts start repeating. Results are
// the same either way; only the speed depends on the choice. (Punkt's context verdict is cheaper
// than its memo's lookup even on a hit, so it always goes first: punkt.ts.)
// One in 64: one in 16 cost the open vocabulary ~10% (a sampled miss is a lookup, a scan and an
// insertion); one in 256 cost the closed sets ~13% in a 1-second bench, since a cold memo's
// first 1,024 lookups mostly miss and the memo then fills only through the samples, so the
// policy needs 1,024 sampled lookups (~260k chunks, ~9,000 texts of 30 words) to go back to
// memo first (one in 64: ~2,000 texts).
// The first decision waits for 4,096 lookups: a cold memo misses every chunk it meets for the
// first time, so its first 1,024 lookups mostly miss even for a closed vocabulary (measured on
// the bench's sentences: 43% hits in the first 1,024, 66% over the first 4,096, 80%+ after), and
// deciding on them sent it to the fast path for ~1,000 texts. An open vocabulary pays 3,072 more
// lookups and insertions once.
const SAMPLE_EVERY = 64;
const DECIDE_EVERY = 1024;
const FIRST_DECISION_AFTER = 4 * DECIDE_EVERY;

/** The policy: the memo goes first when at least half of the recent lookups were hits. */
export function shouldMemoFirst(hits: number, lookups: number): boolean {
  return 2 * hits >= lookups;
}

export class MemoFirstPolicy {
  private memoFirst = true;
  private lookups = 0;
  private hits = 0;
  private tick = 0;
  private window = FIRST_DECISION_AFTER;

  /** Whether the next item goes through the memo (re-deciding every DECIDE_EVERY lookups, the first time after FIRST_DECISION_AFTER). */
  throughMemo(): boolean {
    if (this.lookups >= this.window) {
      this.memoFirst = shouldMemoFirst(this.hits, this.lookups);
      this.window = DECIDE_EVERY;
      this.lookups = 0;
      this.hits = 0;
    }
    return this.memoFirst || ++this.tick % SAMPLE_EVERY === 0;
  }

  /** Counts one memo lookup. */
  record(hit: boolean): void {
    this.lookups++;
    if (hit) this.hits++;
  }
}
