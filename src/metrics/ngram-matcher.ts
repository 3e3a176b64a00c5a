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

// ---------------------------------------------------------------------------------------------
// One hypothesis against one reference (the text_similarity case), faster.
//
// Only n-grams present on both sides can count, so each order keeps, per position, the dense id
// of its n-gram or -1 when that n-gram cannot occur on the other side. An n-gram is made of the
// (n-1)-grams at i and at i+1, so it is dead when either of them is; live ones get dense ids from
// the pair (id of the (n-1)-gram at i, id of the last token), so keys stay below
// (hypothesis length + 1) · vocabulary. Reference tokens that are not hypothesis tokens are never
// interned: they are dead from the start.

export class PairMatcher {
  private globalIds: Record<string, number> = Object.create(null) as Record<string, number>;
  private globalCount = 0;
  private localId = new Int32Array(1024);
  private localStamp = new Int32Array(1024);
  private internEpoch = 0;

  /** Per position: unigram local id (or -1), then the current order's dense id (or -1). */
  private hypTok = new Int32Array(64);
  private refTok = new Int32Array(64);
  private hypGram = new Int32Array(64);
  private refGram = new Int32Array(64);
  /** Per dense id of the current order. */
  private hypCount = new Int32Array(64);
  private refCount = new Int32Array(64);

  private slotKey = new Float64Array(128);
  private slotId = new Int32Array(128);
  private slotStamp = new Int32Array(128);
  private tableEpoch = 0;

  /**
   * matches[n-1] = size of the multiset intersection (Counter & Counter) of the hypothesis' and
   * the reference's n-grams, for n = 1..maxN.
   */
  match(hypothesis: readonly string[], reference: readonly string[], maxN: number, matches: number[]): void {
    const h = hypothesis.length;
    const r = reference.length;
    for (let n = 0; n < maxN; n++) matches[n] = 0;
    if (h === 0 || r === 0 || maxN < 1) return;
    if (this.hypTok.length < h) {
      this.hypTok = new Int32Array(h * 2);
      this.hypGram = new Int32Array(h * 2);
      this.hypCount = new Int32Array(h * 2);
      this.refCount = new Int32Array(h * 2);
    }
    if (this.refTok.length < r) {
      this.refTok = new Int32Array(r * 2);
      this.refGram = new Int32Array(r * 2);
    }
    if (++this.internEpoch >= EPOCH_LIMIT) {
      this.localStamp.fill(0);
      this.internEpoch = 1;
    }
    if (this.globalCount > VOCABULARY_LIMIT) {
      this.globalIds = Object.create(null) as Record<string, number>;
      this.globalCount = 0;
    }
    const globalIds = this.globalIds;
    const epoch = this.internEpoch;
    const hypTok = this.hypTok;
    const refTok = this.refTok;
    const hypGram = this.hypGram;
    const refGram = this.refGram;
    const hypCount = this.hypCount;
    const refCount = this.refCount;

    // Unigrams: local ids for the hypothesis' words.
    let v = 0;
    for (let i = 0; i < h; i++) {
      const token = hypothesis[i]!;
      let global = globalIds[token];
      if (global === undefined) globalIds[token] = global = this.globalCount++;
      if (global >= this.localId.length) this.growLocal(global + 1);
      let id: number;
      if (this.localStamp[global] !== epoch) {
        this.localStamp[global] = epoch;
        this.localId[global] = id = v++;
        hypCount[id] = 0;
        refCount[id] = 0;
      } else {
        id = this.localId[global]!;
      }
      hypTok[i] = id;
      hypCount[id]++;
    }
    const localStamp = this.localStamp;
    const localId = this.localId;
    let m = 0;
    for (let j = 0; j < r; j++) {
      const global = globalIds[reference[j]!];
      if (global === undefined || global >= localStamp.length || localStamp[global] !== epoch) {
        refTok[j] = -1;
        refGram[j] = -1;
        continue;
      }
      const id = localId[global]!;
      refTok[j] = id;
      refGram[j] = id;
      if (refCount[id]! < hypCount[id]!) m++;
      refCount[id]++;
    }
    matches[0] = m;
    if (m === 0) return;
    let live = 0;
    for (let i = 0; i < h; i++) {
      const id = hypTok[i]!;
      if (refCount[id] === 0) {
        hypTok[i] = -1;
        hypGram[i] = -1;
      } else {
        hypGram[i] = id;
        live++;
      }
    }

    for (let n = 2; n <= maxN; n++) {
      const hn = h - n + 1;
      const rn = r - n + 1;
      if (hn <= 0 || rn <= 0) return;
      this.ensureTable(live);
      if (++this.tableEpoch >= EPOCH_LIMIT) {
        this.slotStamp.fill(0);
        this.tableEpoch = 1;
      }
      const tableEpoch = this.tableEpoch;
      const slotKey = this.slotKey;
      const slotId = this.slotId;
      const slotStamp = this.slotStamp;
      let dense = 0;
      for (let i = 0; i < hn; i++) {
        const p = hypGram[i]!;
        if (p < 0 || hypGram[i + 1]! < 0) {
          hypGram[i] = -1;
          continue;
        }
        const key = p * v + hypTok[i + n - 1]!;
        const slot = this.probe(key);
        let id = slotStamp[slot] === tableEpoch ? slotId[slot]! : -1;
        if (id < 0) {
          slotStamp[slot] = tableEpoch;
          slotKey[slot] = key;
          slotId[slot] = id = dense++;
          hypCount[id] = 0;
          refCount[id] = 0;
        }
        hypGram[i] = id;
        hypCount[id]++;
      }
      if (dense === 0) return;
      m = 0;
      for (let j = 0; j < rn; j++) {
        const p = refGram[j]!;
        if (p < 0 || refGram[j + 1]! < 0) {
          refGram[j] = -1;
          continue;
        }
        const key = p * v + refTok[j + n - 1]!;
        const slot = this.probe(key);
        const id = slotStamp[slot] === tableEpoch ? slotId[slot]! : -1;
        refGram[j] = id;
        if (id < 0) continue;
        if (refCount[id]! < hypCount[id]!) m++;
        refCount[id]++;
      }
      matches[n - 1] = m;
      if (m === 0) return;
      live = 0;
      for (let i = 0; i < hn; i++) {
        const id = hypGram[i]!;
        if (id < 0) continue;
        if (refCount[id] === 0) hypGram[i] = -1;
        else live++;
      }
    }
  }

  /** The slot holding `key` in this level's table, or the empty slot where it would go. */
  private probe(key: number): number {
    const slotKey = this.slotKey;
    const slotStamp = this.slotStamp;
    const tableEpoch = this.tableEpoch;
    const mask = slotKey.length - 1;
    let slot = hashKey(key) & mask;
    while (slotStamp[slot] === tableEpoch && slotKey[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }

  private growLocal(size: number): void {
    size = Math.max(size, this.localId.length * 2);
    const ids = new Int32Array(size);
    ids.set(this.localId);
    const stamps = new Int32Array(size);
    stamps.set(this.localStamp);
    this.localId = ids;
    this.localStamp = stamps;
  }

  private ensureTable(entries: number): void {
    let size = this.slotKey.length;
    if (size >= entries * 2) return;
    while (size < entries * 2) size *= 2;
    this.slotKey = new Float64Array(size);
    this.slotId = new Int32Array(size);
    this.slotStamp = new Int32Array(size);
    this.tableEpoch = 0;
  }
}

/** A 32-bit hash of a non-negative integer key below 2^53. */
function hashKey(key: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  const h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 15);
}
