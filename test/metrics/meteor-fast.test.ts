// The fast METEOR aligner (shared per-word and per-stem facts numbered per call, integer stacks,
// synonym stages skipped when no reference stem may be a name) must count the same matches and
// chunks as the plain port of nltk's alignment.

import { conformanceRows } from "../helpers/fixtures.js";
import { describe, expect, it } from "vitest";
import { FACTS_LIMIT_LARGE, FACTS_LIMIT_SMALL, factsLimitFor, meteorCounts } from "../../src/metrics/meteor.js";
import { meteorCountsReference } from "../../src/metrics/reference/meteor.js";
import { nltkTokenize } from "../../src/metrics/tokenize/index.js";
import { seededBelow } from "../helpers/random.js";

const rows = conformanceRows();

const VOCABULARY = [
  "big", "large", "Large", "great", "running", "runs", "ran", "run", "Run", "dogs", "dog", "Dog", "canine", "happy",
  "glad", "felicitous", "car", "automobile", "cars", "auto", "quick", "fast", "speedy", "rapid", "quickly", "house",
  "home", "houses", "housing", "student", "pupil", "students", "walk", "walking", "walked", "stroll", "the", "a",
  "The", "an", ",", ".", "n't", "'s", "Einstein", "einstein", "I", "i", "\u0130", "ΣΑΣ", "σας", "news", "sky",
  "skies", "dying", "die", "begin", "start", "commence", "get", "got", "buy", "purchase", "bought", "child",
  "children", "kid", "kids", "good", "well", "better", "best", "see", "saw", "seen", "watch", "look", "happily",
  "__proto__", "constructor", "toString", "0", "00", "1", "-0",
];

const next = seededBelow(31337);
const sentence = (): string[] =>
  Array.from({ length: next(8) === 0 ? next(150) : next(25) }, () => VOCABULARY[next(VOCABULARY.length)]!);

describe("fast METEOR alignment", () => {
  it("agrees with the plain port on the fixture texts", () => {
    for (const row of rows) {
      const hyp = nltkTokenize(row.input);
      const ref = nltkTokenize(row.reference);
      expect(meteorCounts(ref, hyp)).toEqual(meteorCountsReference(ref, hyp));
      expect(meteorCounts(hyp, ref)).toEqual(meteorCountsReference(hyp, ref));
    }
  });

  it("agrees with the plain port on random sentences", () => {
    for (let k = 0; k < 5000; k++) {
      const hyp = sentence();
      const ref = next(4) === 0 ? sentence() : hyp.map((w) => (next(3) === 0 ? VOCABULARY[next(VOCABULARY.length)]! : w));
      expect(meteorCounts(ref, hyp), JSON.stringify({ hyp, ref })).toEqual(meteorCountsReference(ref, hyp));
    }
  });
});

describe("fast METEOR alignment with an open vocabulary", () => {
  // Words never seen before (fresh letters after a real stem, so stems and WordNet forms still
  // come into play: "housesqxa", "runningabc"), mixed with the vocabulary, so the per-word memos
  // keep missing and the word and stem facts are dropped and refilled between calls: ~100k
  // distinct words, past the large limit once and the small one many times (the fills' limits
  // were logged once to see it).
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const fresh = (): string => {
    let w = next(2) === 0 ? VOCABULARY[next(VOCABULARY.length)]! : "";
    for (let k = 3 + next(4); k > 0; k--) w += letters[next(26)];
    return next(5) === 0 ? w.toUpperCase() : w;
  };
  const word = (): string => (next(3) === 0 ? VOCABULARY[next(VOCABULARY.length)]! : fresh());

  it("agrees with the plain port on random sentences of unseen words", () => {
    for (let k = 0; k < 8000; k++) {
      const hyp = Array.from({ length: next(30) }, word);
      const ref = hyp.map((w) => (next(3) === 0 ? word() : next(6) === 0 ? w.toUpperCase() : w));
      expect(meteorCounts(ref, hyp), JSON.stringify({ hyp, ref })).toEqual(meteorCountsReference(ref, hyp));
    }
  });

  it("still agrees on the closed vocabulary once the open one has made the facts Maps small", () => {
    for (let k = 0; k < 5000; k++) {
      const hyp = sentence();
      const ref = hyp.map((w) => (next(3) === 0 ? VOCABULARY[next(VOCABULARY.length)]! : w));
      expect(meteorCounts(ref, hyp), JSON.stringify({ hyp, ref })).toEqual(meteorCountsReference(ref, hyp));
    }
  });
});

describe("the facts Maps' limit per fill", () => {
  it("stays large while at least a quarter of the lookups find an earlier call's word", () => {
    expect(factsLimitFor(1024, 4096, 1)).toBe(FACTS_LIMIT_LARGE);
    expect(factsLimitFor(2007, 4096, 5)).toBe(FACTS_LIMIT_LARGE); // a closed vocabulary's small fill: 0.49
    expect(factsLimitFor(4000, 4096, 3)).toBe(FACTS_LIMIT_LARGE);
  });

  it("goes small (a local phase, then a small fill) while they do not, with a large fill every 32nd as a probe", () => {
    expect(factsLimitFor(300, 4100, 1)).toBe(FACTS_LIMIT_SMALL); // the open set's: 0.07
    expect(factsLimitFor(1023, 4096, 31)).toBe(FACTS_LIMIT_SMALL);
    expect(factsLimitFor(0, 4096, 32)).toBe(FACTS_LIMIT_LARGE);
    expect(factsLimitFor(0, 4096, 64)).toBe(FACTS_LIMIT_LARGE);
    expect(FACTS_LIMIT_SMALL).toBeLessThan(FACTS_LIMIT_LARGE);
  });
});
