// Scratch tables that the metrics clear once per comparison (or per n-gram order) in O(1): each
// entry carries the epoch it was written in, and clearing is one increment of the epoch, so
// scoring a pair allocates nothing and touches only the entries it uses.
//
// - EpochIds: an open-addressing hash table from numeric keys to dense ids 0, 1, 2... in order of
//   first sight (bleu / gleu n-grams, single- and multi-reference).
// - EpochStrings: the same for string keys (tokens → local ids 0, 1, 2... for one comparison),
//   so interning a pair's tokens neither allocates (a per-call Map is rebuilt from capacity 4 on
//   every clear) nor grows a process-wide table without bound on an open vocabulary.
// - EpochArray: an int value per small non-negative index (global → local token ids, per-word
//   stack heads of METEOR's aligner).
// ROUGE keeps two tables of its own, for speed: PairIds in ../rouge.ts and the token vocabulary in
// ./tokenize/rouge.ts (their comments say why).
//
// Everything here is synchronous and single-threaded, like the metrics that use it.

/** Past this the epoch counter restarts from 1 after wiping the stamps (int32 stamps). */
const EPOCH_LIMIT = 2 ** 30;

/** A 32-bit hash of a non-negative integer key below 2^53 (both halves mixed). */
function hashKey(key: number): number {
  const lo = key >>> 0;
  // Most keys fit 32 bits: skip the division for them (a well-predicted branch).
  const hi = key > 0xffffffff ? (key / 4294967296) >>> 0 : 0;
  const h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 15);
}

const MIN_SLOTS = 128;

/** What a table stores its keys in: a Float64Array for numbers, an array for strings. */
interface KeyArray<K> {
  [slot: number]: K;
  readonly length: number;
}

/**
 * Keys to dense ids 0, 1, 2... in order of first sight, by open addressing with linear probing;
 * the subclasses give the key storage and the hash. Every slot carries the epoch it was written
 * in, so reset() is one increment.
 */
abstract class EpochKeyedIds<K> {
  protected keys: KeyArray<K>;
  private ids = new Int32Array(MIN_SLOTS);
  private stamps = new Int32Array(MIN_SLOTS);
  private epoch = 1;
  private mask = MIN_SLOTS - 1;
  /** Ids handed out since the last reset: they are 0 .. size-1. */
  size = 0;

  constructor() {
    this.keys = this.newKeys(MIN_SLOTS);
  }

  protected abstract newKeys(size: number): KeyArray<K>;
  protected abstract hash(key: K): number;

  /** Forgets every key and makes room for `capacity` of them (load at most 1/2). */
  reset(capacity: number): void {
    this.size = 0;
    if (this.ids.length < 2 * capacity) {
      this.allocate(2 * capacity);
    } else if (++this.epoch >= EPOCH_LIMIT) {
      this.stamps.fill(0);
      this.epoch = 1;
    }
  }

  /** The id of `key`, a new one the first time it is seen since the last reset. */
  idOf(key: K): number {
    const slot = this.slotOf(key);
    if (this.stamps[slot] === this.epoch) return this.ids[slot]!;
    // More keys than reset() was told of: keep the load at 1/2 (the slot moves with the rest).
    if (2 * (this.size + 1) > this.ids.length) {
      this.grow();
      return this.idOf(key);
    }
    this.stamps[slot] = this.epoch;
    this.keys[slot] = key;
    this.ids[slot] = this.size;
    return this.size++;
  }

  /** The id of `key`, or -1 when it has not been seen since the last reset. */
  find(key: K): number {
    const slot = this.slotOf(key);
    return this.stamps[slot] === this.epoch ? this.ids[slot]! : -1;
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  private slotOf(key: K): number {
    const keys = this.keys;
    const stamps = this.stamps;
    const epoch = this.epoch;
    const mask = this.mask;
    let slot = this.hash(key) & mask;
    while (stamps[slot] === epoch && keys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }

  private allocate(minimum: number): void {
    let size = MIN_SLOTS;
    while (size < minimum) size *= 2;
    this.keys = this.newKeys(size);
    this.ids = new Int32Array(size);
    this.stamps = new Int32Array(size);
    this.mask = size - 1;
    this.epoch = 1;
  }

  /** Doubles the table, keeping every key's id. */
  private grow(): void {
    const { keys, ids, stamps, epoch } = this;
    this.allocate(2 * ids.length);
    for (let slot = 0; slot < ids.length; slot++) {
      if (stamps[slot] !== epoch) continue;
      let to = this.hash(keys[slot]!) & this.mask;
      while (this.stamps[to] === 1) to = (to + 1) & this.mask;
      this.stamps[to] = 1;
      this.keys[to] = keys[slot]!;
      this.ids[to] = ids[slot]!;
    }
  }
}

/** Integer keys in [0, 2^53). */
export class EpochIds extends EpochKeyedIds<number> {
  protected newKeys(size: number): Float64Array {
    return new Float64Array(size);
  }

  protected hash(key: number): number {
    return hashKey(key);
  }
}

/**
 * A cheap hash of a token: its length and three of its characters. Tokens that share them
 * collide and are told apart by comparing the strings, so this only has to spread typical words
 * (a full-string hash would cost a pass over every character of every token).
 */
function hashToken(token: string): number {
  const n = token.length;
  if (n === 0) return 0;
  const h = Math.imul(n ^ Math.imul(token.charCodeAt(0), 0x01000193), 0x9e3779b1) ^ Math.imul(token.charCodeAt(n - 1), 0x85ebca6b) ^ Math.imul(token.charCodeAt(n >> 1), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** String keys (tokens). */
export class EpochStrings extends EpochKeyedIds<string> {
  protected newKeys(size: number): string[] {
    return new Array<string>(size).fill("");
  }

  protected hash(key: string): number {
    return hashToken(key);
  }
}

export class EpochArray {
  private values: Int32Array;
  private stamps: Int32Array;
  private epoch = 1;

  constructor(length = 1024) {
    this.values = new Int32Array(length);
    this.stamps = new Int32Array(length);
  }

  /** Forgets every value. */
  clear(): void {
    if (++this.epoch >= EPOCH_LIMIT) {
      this.stamps.fill(0);
      this.epoch = 1;
    }
  }

  /** Makes room for indices below `length` (values set since the last clear are kept). */
  reserve(length: number): void {
    if (this.values.length >= length) return;
    const size = Math.max(length, this.values.length * 2);
    const values = new Int32Array(size);
    values.set(this.values);
    const stamps = new Int32Array(size);
    stamps.set(this.stamps);
    this.values = values;
    this.stamps = stamps;
  }

  /** Whether index i (within the reserved length) was set since the last clear. */
  has(i: number): boolean {
    return this.stamps[i] === this.epoch;
  }

  /** The value at i, or `missing` if it was not set since the last clear (any i >= 0). */
  get(i: number, missing = -1): number {
    return this.stamps[i] === this.epoch ? this.values[i]! : missing;
  }

  /** Sets the value at i (within the reserved length). */
  set(i: number, value: number): void {
    this.stamps[i] = this.epoch;
    this.values[i] = value;
  }
}
