// nltk 3.9.1's METEOR alignment (nltk/translate/meteor_score.py), the plain port: string lists,
// each stage popping matched words from both sides as nltk does. test/metrics/meteor-fast.test.ts
// checks the id-based aligner of ../meteor.ts against it; the library never calls it.

import { porterStem } from "../porter-stemmer.js";
import { synonyms } from "../wordnet.js";

type Match = [hypIndex: number, refIndex: number];

/** The words still unaligned on one side, with their positions in the original sentence. */
interface Side {
  index: number[];
  word: string[];
}

// nltk's alignment stages: each hypothesis word, from the last, takes the last still-unaligned
// reference word it matches, and aligned words leave both sides (nltk pops them from its lists;
// walking backwards, skipping taken entries is the same thing).

/** Exact-match stage. The last untaken equal reference word is the top of that word's stack. */
function exactStage(hyp: Side, ref: Side, matches: Match[]): void {
  const positions = new Map<string, number[]>();
  for (let j = 0; j < ref.word.length; j++) {
    const stack = positions.get(ref.word[j]!);
    if (stack === undefined) positions.set(ref.word[j]!, [j]);
    else stack.push(j);
  }
  const keepHyp = new Array<boolean>(hyp.word.length).fill(true);
  const keepRef = new Array<boolean>(ref.word.length).fill(true);
  for (let i = hyp.word.length - 1; i >= 0; i--) {
    const j = positions.get(hyp.word[i]!)?.pop();
    if (j === undefined) continue;
    matches.push([hyp.index[i]!, ref.index[j]!]);
    keepHyp[i] = false;
    keepRef[j] = false;
  }
  compact(hyp, keepHyp);
  compact(ref, keepRef);
}

/** Synonym stage: a reference word matches if it is the hypothesis word or one of its synonyms. */
function synonymStage(hyp: Side, ref: Side, matches: Match[]): void {
  const keepHyp = new Array<boolean>(hyp.word.length).fill(true);
  const keepRef = new Array<boolean>(ref.word.length).fill(true);
  let left = ref.word.length;
  for (let i = hyp.word.length - 1; i >= 0 && left > 0; i--) {
    const h = hyp.word[i]!;
    const names = synonyms(h);
    for (let j = ref.word.length - 1; j >= 0; j--) {
      const r = ref.word[j]!;
      if (keepRef[j] && (r === h || names.has(r))) {
        matches.push([hyp.index[i]!, ref.index[j]!]);
        keepHyp[i] = false;
        keepRef[j] = false;
        left--;
        break;
      }
    }
  }
  compact(hyp, keepHyp);
  compact(ref, keepRef);
}

function compact(side: Side, keep: readonly boolean[]): void {
  let at = 0;
  for (let i = 0; i < side.word.length; i++) {
    if (!keep[i]) continue;
    side.index[at] = side.index[i]!;
    side.word[at++] = side.word[i]!;
  }
  side.index.length = at;
  side.word.length = at;
}

/**
 * nltk _enum_align_words: exact, then stem, then WordNet-synonym matches, sorted by hypothesis
 * index, on lower-cased words.
 */
export function alignWordsReference(hypothesis: readonly string[], reference: readonly string[]): Match[] {
  const hyp: Side = { index: hypothesis.map((_, i) => i), word: [...hypothesis] };
  const ref: Side = { index: reference.map((_, i) => i), word: [...reference] };
  const matches: Match[] = [];
  exactStage(hyp, ref, matches);
  if (hyp.word.length > 0 && ref.word.length > 0) {
    // The leftovers are replaced by their stems, which the synonym stage then sees too.
    hyp.word = hyp.word.map((w) => porterStem(w));
    ref.word = ref.word.map((w) => porterStem(w));
    exactStage(hyp, ref, matches);
    synonymStage(hyp, ref, matches);
  }
  return matches.sort((a, b) => a[0] - b[0]);
}

/** nltk _count_chunks: runs of matches adjacent on both sides. */
function countChunks(matches: readonly Match[]): number {
  let chunks = 1;
  for (let i = 0; i < matches.length - 1; i++) {
    const [h, r] = matches[i]!;
    const [nh, nr] = matches[i + 1]!;
    if (!(nh === h + 1 && nr === r + 1)) chunks++;
  }
  return chunks;
}

/** The (matches, chunks) METEOR scores, from the plain alignment: what meteorCounts must return. */
export function meteorCountsReference(reference: readonly string[], hypothesis: readonly string[]): [number, number] {
  const matches = alignWordsReference(
    hypothesis.map((w) => w.toLowerCase()),
    reference.map((w) => w.toLowerCase()),
  );
  return [matches.length, countChunks(matches)];
}
