// A seeded pseudo-random generator for everything graderkit draws at random and must reproduce
// from a seed (bootstrap resamples, reservoir samples). xoshiro128** (Blackman & Vigna): 32-bit
// integer arithmetic only, so JavaScript runs it fast and exactly; a period of 2^128 - 1, where
// mulberry32's 2^32 would repeat within one bootstrap of a large run (10,000 × 1M draws). The
// seed is spread over the 128-bit state with splitmix32, so nearby seeds give unrelated streams.
//
// The algorithm is written down exactly (scripts/report-stats-fixtures.py reimplements it in
// Python to compute the bootstrap fixtures), so changing it changes every seeded result.

const TWO_POW_26 = 67_108_864;
const TWO_POW_53 = 9_007_199_254_740_992;

/** The largest seed: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 0xffff_ffff;

export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new RangeError(`seed must be an integer in [0, ${MAX_SEED}], got ${seed}`);
    let x = seed | 0;
    // splitmix32: a Weyl sequence through a bijective mixer, one output per state word.
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) | 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    // The all-zero state is xoshiro's one fixed point; splitmix32 cannot produce it, but be sure.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits (two draws, as numpy's random_sample). */
  nextFloat(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * TWO_POW_26 + b) / TWO_POW_53;
  }

  /**
   * A uniform integer in [0, n). From 53 random bits, so the bias is at most n / 2^53 (below
   * 1e-9 for any n this library meets), where 32 bits would be off by up to n / 2^32.
   */
  nextIndex(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }
}
