// Clipped n-gram matching for BLEU and GLEU without per-call garbage: tokens are interned to
// small integers, the n-grams of order n get numeric keys ((n-1)-gram key * V + last token id,
// unique within one order), and a reusable table (epoch-table.ts) gives them dense ids to count
// by. Tables are cleared in O(1) by bumping an epoch, so scoring a sentence pair allocates almost
// nothing.
//
// Usage: load(hypothesis, references) once, then for n = 1, 2, ...: nextOrder(), countHypothesis(),
// and matchReference(r) for each reference.

import { EpochArray, EpochIds, EpochStrings } from "./epoch-table.js";

export class NgramMatcher {
  // Interning: token → local id, per call (see PairMatcher.tokenIds for why not process-wide).
  private readonly tokenIds = new EpochStrings();
  private vocabularySize = 0;

  // Sequences (0 = hypothesis, 1.. = references), laid end to end.
  private ids = new Int32Array(256);
  private keys = new Float64Array(256);
  private starts: number[] = [];
  private lengths: number[] = [];
  private order = 0;
  private renumber: Map<number, number> | null = null;

  // The current order's hypothesis n-grams: key → dense id, and per id its count in the
  // hypothesis, its best count in any one reference so far, and its count in the current one.
  private readonly grams = new EpochIds();
  private hypCount = new Int32Array(64);
  private bestCount = new Int32Array(64);
  private readonly refCounts = new EpochArray(64);

  /** Interns the sequences; the next nextOrder() call moves to unigrams. */
  load(sequences: readonly (readonly string[])[]): void {
    let total = 0;
    for (const seq of sequences) total += seq.length;
    if (this.ids.length < total) {
      this.ids = new Int32Array(total * 2);
      this.keys = new Float64Array(total * 2);
    }
    const tokenIds = this.tokenIds;
    tokenIds.reset(total);
    this.starts.length = 0;
    this.lengths.length = 0;
    let at = 0;
    for (const seq of sequences) {
      this.starts.push(at);
      this.lengths.push(seq.length);
      for (const token of seq) this.ids[at++] = tokenIds.idOf(token);
    }
    this.vocabularySize = tokenIds.size;
    this.order = 0;
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

  /** Counts the hypothesis' (sequence 0) n-grams of the current order. */
  countHypothesis(): void {
    const count = this.count(0);
    const grams = this.grams;
    grams.reset(count);
    if (this.hypCount.length < count) {
      this.hypCount = new Int32Array(count * 2);
      this.bestCount = new Int32Array(count * 2);
    }
    const hypCount = this.hypCount;
    const start = this.starts[0]!;
    let dense = 0;
    for (let i = 0; i < count; i++) {
      const id = grams.idOf(this.keys[start + i]!);
      if (id === dense) {
        dense++;
        hypCount[id] = 0;
        this.bestCount[id] = 0;
      }
      hypCount[id]++;
    }
  }

  /**
   * Size of the multiset intersection of the hypothesis' and reference s's n-grams (Counter &
   * Counter); also records, per hypothesis n-gram, the best clipped count over references so far.
   */
  matchReference(s: number): number {
    const grams = this.grams;
    const refCounts = this.refCounts;
    refCounts.clear();
    refCounts.reserve(grams.size);
    const start = this.starts[s]!;
    let matches = 0;
    for (let i = 0; i < this.count(s); i++) {
      const id = grams.find(this.keys[start + i]!);
      if (id < 0) continue;
      const seen = refCounts.get(id, 0);
      refCounts.set(id, seen + 1);
      if (seen < this.hypCount[id]!) {
        matches++;
        if (seen + 1 > this.bestCount[id]!) this.bestCount[id] = seen + 1;
      }
    }
    return matches;
  }

  /** nltk's clipped count after matchReference over every reference: Σ min(count, max ref count). */
  clippedTotal(): number {
    let total = 0;
    for (let id = 0; id < this.grams.size; id++) total += this.bestCount[id]!;
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
  /**
   * Hypothesis token → local id (0.. in order of first sight) for one call. Per call, not
   * process-wide: with an open vocabulary (names, numbers, typos) a process-wide intern table only
   * grows, and every unseen token paid an insertion into a large table that stays cold in cache.
   * An epoch table rather than a Map: Map.clear() drops the Map's storage, so every call paid
   * the rehashes of growing it back (the epoch table: bleu / gleu 4-14% faster on every set).
   */
  private readonly tokenIds = new EpochStrings();

  /** Per position: unigram local id (or -1), then the current order's dense id (or -1). */
  private hypTok = new Int32Array(64);
  private refTok = new Int32Array(64);
  private hypGram = new Int32Array(64);
  private refGram = new Int32Array(64);
  /** Per dense id of the current order. */
  private hypCount = new Int32Array(64);
  private refCount = new Int32Array(64);
  /** (id of the (n-1)-gram, last token) key → dense id of the n-gram, for the current order */
  private readonly grams = new EpochIds();

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
    const tokenIds = this.tokenIds;
    tokenIds.reset(h);
    const hypTok = this.hypTok;
    const refTok = this.refTok;
    const hypGram = this.hypGram;
    const refGram = this.refGram;
    const hypCount = this.hypCount;
    const refCount = this.refCount;

    // Unigrams: local ids for the hypothesis' words.
    let v = 0;
    for (let i = 0; i < h; i++) {
      const id = tokenIds.idOf(hypothesis[i]!);
      if (id === v) {
        v++;
        hypCount[id] = 0;
        refCount[id] = 0;
      }
      hypTok[i] = id;
      hypCount[id]++;
    }
    let m = 0;
    for (let j = 0; j < r; j++) {
      const id = tokenIds.find(reference[j]!);
      refTok[j] = id;
      refGram[j] = id;
      if (id < 0) continue;
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

    const grams = this.grams;
    for (let n = 2; n <= maxN; n++) {
      const hn = h - n + 1;
      const rn = r - n + 1;
      if (hn <= 0 || rn <= 0) return;
      grams.reset(live);
      let dense = 0;
      for (let i = 0; i < hn; i++) {
        const p = hypGram[i]!;
        if (p < 0 || hypGram[i + 1]! < 0) {
          hypGram[i] = -1;
          continue;
        }
        const id = grams.idOf(p * v + hypTok[i + n - 1]!);
        if (id === dense) {
          dense++;
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
        const id = grams.find(p * v + refTok[j + n - 1]!);
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
}
