// Clipped n-gram matching for BLEU and GLEU without per-call garbage: tokens are interned to
// small integers, the n-grams of order n get numeric keys ((n-1)-gram key * V + last token id,
// unique within one order), and a reusable open-addressing table counts them. Tables and buffers
// are cleared in O(1) by bumping an epoch, so scoring a sentence pair allocates almost nothing.
//
// Usage: load(hypothesis, references) once, then for n = 1, 2, ...: nextOrder(), countHypothesis(),
// and matchReference(r) for each reference.

const EPOCH_LIMIT = 2 ** 30;
const VOCABULARY_LIMIT = 1 << 18;

export class NgramMatcher {
  // Interning: a process-wide token → global id map, then global → local ids per call.
  private readonly globalIds = new Map<string, number>();
  private localId = new Int32Array(1024);
  private localStamp = new Int32Array(1024);
  private internEpoch = 0;
  private vocabularySize = 0;

  // Sequences (0 = hypothesis, 1.. = references), laid end to end.
  private ids = new Int32Array(256);
  private keys = new Float64Array(256);
  private starts: number[] = [];
  private lengths: number[] = [];
  private order = 0;
  private renumber: Map<number, number> | null = null;

  // Hash table from n-gram key to counts.
  private slotKey = new Float64Array(64);
  private slotStamp = new Int32Array(64);
  private hypCount = new Int32Array(64);
  private refCount = new Int32Array(64);
  private refStamp = new Int32Array(64);
  private bestCount = new Int32Array(64);
  private usedSlots = new Int32Array(64);
  private usedCount = 0;
  private tableEpoch = 0;
  private referenceEpoch = 0;

  /** Interns the sequences; the next nextOrder() call moves to unigrams. */
  load(sequences: readonly (readonly string[])[]): void {
    let total = 0;
    for (const seq of sequences) total += seq.length;
    if (this.ids.length < total) {
      this.ids = new Int32Array(total * 2);
      this.keys = new Float64Array(total * 2);
    }
    if (++this.internEpoch >= EPOCH_LIMIT) {
      this.localStamp.fill(0);
      this.internEpoch = 1;
    }
    if (this.globalIds.size > VOCABULARY_LIMIT) this.globalIds.clear();
    this.vocabularySize = 0;
    this.starts.length = 0;
    this.lengths.length = 0;
    let at = 0;
    for (const seq of sequences) {
      this.starts.push(at);
      this.lengths.push(seq.length);
      for (const token of seq) this.ids[at++] = this.intern(token);
    }
    this.order = 0;
  }

  private intern(token: string): number {
    let global = this.globalIds.get(token);
    if (global === undefined) {
      global = this.globalIds.size;
      this.globalIds.set(token, global);
    }
    if (global >= this.localId.length) {
      const size = Math.max(global + 1, this.localId.length * 2);
      const ids = new Int32Array(size);
      ids.set(this.localId);
      const stamps = new Int32Array(size);
      stamps.set(this.localStamp);
      this.localId = ids;
      this.localStamp = stamps;
    }
    if (this.localStamp[global] !== this.internEpoch) {
      this.localStamp[global] = this.internEpoch;
      this.localId[global] = this.vocabularySize++;
    }
    return this.localId[global]!;
  }

  /** Number of n-grams of the current order in sequence s. */
  count(s: number): number {
    return Math.max(0, this.lengths[s]! - this.order + 1);
  }

  /** Moves every sequence's keys to the next n-gram order (in place, positions aligned). */
  nextOrder(): void {
    const n = ++this.order;
    const base = Math.max(this.vocabularySize, 1);
    if (n === 1) {
      for (let s = 0; s < this.starts.length; s++) {
        const start = this.starts[s]!;
        for (let i = 0; i < this.lengths[s]!; i++) this.keys[start + i] = this.ids[start + i]!;
      }
      this.renumber = null;
      return;
    }
    // Keys compose exactly while V^n stays below 2^53; past that, each order is renumbered densely
    // (ids below the number of positions), so prefix * V + id stays exact.
    if (this.renumber === null && Math.pow(base, n) > Number.MAX_SAFE_INTEGER) {
      this.renumber = new Map();
      this.densify(n - 1);
    }
    const renumber = this.renumber;
    renumber?.clear();
    for (let s = 0; s < this.starts.length; s++) {
      const start = this.starts[s]!;
      const count = this.count(s);
      for (let i = 0; i < count; i++) {
        const key = this.keys[start + i]! * base + this.ids[start + i + n - 1]!;
        if (renumber === null) {
          this.keys[start + i] = key;
        } else {
          let dense = renumber.get(key);
          if (dense === undefined) renumber.set(key, (dense = renumber.size));
          this.keys[start + i] = dense;
        }
      }
    }
  }

  /** Replaces the keys of order n by dense ids (same n-gram, same id). */
  private densify(n: number): void {
    const dense = new Map<number, number>();
    for (let s = 0; s < this.starts.length; s++) {
      const start = this.starts[s]!;
      const count = Math.max(0, this.lengths[s]! - n + 1);
      for (let i = 0; i < count; i++) {
        const key = this.keys[start + i]!;
        let id = dense.get(key);
        if (id === undefined) dense.set(key, (id = dense.size));
        this.keys[start + i] = id;
      }
    }
  }

  private ensureTable(entries: number): void {
    let size = this.slotKey.length;
    if (size >= entries * 2) return;
    while (size < entries * 2) size *= 2;
    this.slotKey = new Float64Array(size);
    this.slotStamp = new Int32Array(size);
    this.hypCount = new Int32Array(size);
    this.refCount = new Int32Array(size);
    this.refStamp = new Int32Array(size);
    this.bestCount = new Int32Array(size);
    this.usedSlots = new Int32Array(size);
    this.tableEpoch = 0;
    this.referenceEpoch = 0;
  }

  /** Slot of key: its own if present; otherwise the empty slot it would take (as ~slot). */
  private find(key: number): number {
    const mask = this.slotKey.length - 1;
    const lo = key >>> 0;
    const hi = (key / 4294967296) >>> 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
    h ^= h >>> 15;
    let slot = h & mask;
    while (this.slotStamp[slot] === this.tableEpoch) {
      if (this.slotKey[slot] === key) return slot;
      slot = (slot + 1) & mask;
    }
    return ~slot;
  }

  /** Counts the hypothesis' (sequence 0) n-grams of the current order. */
  countHypothesis(): void {
    this.ensureTable(Math.max(this.count(0), 1));
    if (++this.tableEpoch >= EPOCH_LIMIT) {
      this.slotStamp.fill(0);
      this.refStamp.fill(0);
      this.tableEpoch = 1;
      this.referenceEpoch = 0;
    }
    this.usedCount = 0;
    const start = this.starts[0]!;
    for (let i = 0; i < this.count(0); i++) {
      const key = this.keys[start + i]!;
      let slot = this.find(key);
      if (slot < 0) {
        slot = ~slot;
        this.slotStamp[slot] = this.tableEpoch;
        this.slotKey[slot] = key;
        this.hypCount[slot] = 0;
        this.bestCount[slot] = 0;
        this.usedSlots[this.usedCount++] = slot;
      }
      this.hypCount[slot]++;
    }
  }

  /**
   * Size of the multiset intersection of the hypothesis' and reference s's n-grams (Counter &
   * Counter); also records, per hypothesis n-gram, the best clipped count over references so far.
   */
  matchReference(s: number): number {
    if (++this.referenceEpoch >= EPOCH_LIMIT) {
      this.refStamp.fill(0);
      this.referenceEpoch = 1;
    }
    const start = this.starts[s]!;
    let matches = 0;
    for (let i = 0; i < this.count(s); i++) {
      const slot = this.find(this.keys[start + i]!);
      if (slot < 0) continue;
      const seen = this.refStamp[slot] === this.referenceEpoch ? this.refCount[slot]! : 0;
      this.refStamp[slot] = this.referenceEpoch;
      this.refCount[slot] = seen + 1;
      if (seen < this.hypCount[slot]!) {
        matches++;
        if (seen + 1 > this.bestCount[slot]!) this.bestCount[slot] = seen + 1;
      }
    }
    return matches;
  }

  /** nltk's clipped count after matchReference over every reference: Σ min(count, max ref count). */
  clippedTotal(): number {
    let total = 0;
    for (let i = 0; i < this.usedCount; i++) total += this.bestCount[this.usedSlots[i]!]!;
    return total;
  }
}
