// Porter stemmer, exactly as nltk 3.9.1 `PorterStemmer()` (mode NLTK_EXTENSIONS) `.stem(word)`.
// rouge-score and nltk's METEOR both use this mode, which differs from the original 1980 algorithm
// (and from npm `natural`): an irregular-forms pool, 'ies'/'ied' on 4-letter words, the y -> i
// rule, 'alli' handled first, 'bli' -> 'ble', 'fulli', 'logi', and a 2-letter *o condition.
//
// Every helper below looks at a word through (word, len): the prefix word[0, len). A letter's
// consonant status depends only on the letters before it, so a prefix is analysed exactly as
// the sliced stem would be, without allocating the slice.

import { BoundedMemo } from "./bounded-memo.js";
import { astralStandIns, codePointLength, replaceAstral } from "./code-points.js";

const A = 97, E = 101, I = 105, L = 108, O = 111, U = 117, Y = 121;

// nltk keys the pool by the word as given (before lower-casing): "Sky" is stemmed normally.
const IRREGULAR_POOL: ReadonlyMap<string, string> = new Map([
  ["sky", "sky"], ["skies", "sky"],
  ["dying", "die"], ["lying", "lie"], ["tying", "tie"],
  ["news", "news"],
  ["innings", "inning"], ["inning", "inning"],
  ["outings", "outing"], ["outing", "outing"],
  ["cannings", "canning"], ["canning", "canning"],
  ["howe", "howe"],
  ["proceed", "proceed"], ["exceed", "exceed"], ["succeed", "succeed"],
]);

function isVowelLetter(c: number): boolean {
  return c === A || c === E || c === I || c === O || c === U;
}

/** Porter's consonant: not a/e/i/o/u, and 'y' only when not preceded by a consonant. */
function isConsonant(word: string, i: number): boolean {
  // A y is a consonant at the start of the word or after a vowel, else a vowel; so a run of y's
  // alternates, starting from whatever precedes the run.
  let j = i;
  while (j >= 0 && word.charCodeAt(j) === Y) j--;
  const runLength = i - j; // y's ending at i
  if (runLength === 0) return !isVowelLetter(word.charCodeAt(i));
  const firstYConsonant = j < 0 || isVowelLetter(word.charCodeAt(j));
  return runLength % 2 === 1 ? firstYConsonant : !firstYConsonant;
}

/** m in [C](VC){m}[V] for word[0, len): the number of vowel→consonant transitions. */
function measure(word: string, len: number): number {
  let m = 0;
  let previousIsVowel = false;
  for (let i = 0; i < len; i++) {
    const consonant = isConsonant(word, i);
    if (consonant && previousIsVowel) m++;
    previousIsVowel = !consonant;
  }
  return m;
}

function containsVowel(word: string, len: number): boolean {
  for (let i = 0; i < len; i++) if (!isConsonant(word, i)) return true;
  return false;
}

/** *d: ends with a double consonant. */
function endsDoubleConsonant(word: string, len: number): boolean {
  return (
    len >= 2 &&
    word.charCodeAt(len - 1) === word.charCodeAt(len - 2) &&
    isConsonant(word, len - 1)
  );
}

/** *o: ends consonant-vowel-consonant, last not w/x/y; NLTK also accepts a 2-letter vowel-consonant. */
function endsCvc(word: string, len: number): boolean {
  if (len >= 3) {
    const last = word.charCodeAt(len - 1);
    if (
      isConsonant(word, len - 3) &&
      !isConsonant(word, len - 2) &&
      isConsonant(word, len - 1) &&
      last !== 119 && last !== 120 && last !== Y
    ) {
      return true;
    }
  }
  return len === 2 && !isConsonant(word, 0) && isConsonant(word, 1);
}

/** A rule's condition, evaluated on the stem that is left once the suffix is removed. */
type Condition = (word: string, stemLength: number) => boolean;
type Rule = readonly [suffix: string, replacement: string, condition: Condition | null];

const mGt0: Condition = (w, n) => measure(w, n) > 0;
const mGt1: Condition = (w, n) => measure(w, n) > 1;

/** A rule as applyRules reads it: the char before the suffix's last one (-1 for a 1-char suffix) told apart first. */
interface TableRule {
  readonly suffix: string;
  readonly beforeLast: number;
  readonly replacement: string;
  readonly condition: Condition | null;
}

/** A rule list split by the last char of the suffixes (ASCII), each part in the list's order. */
type RuleTable = readonly (readonly TableRule[] | undefined)[];

function byLastChar(rules: readonly Rule[]): RuleTable {
  const table: TableRule[][] = [];
  for (const [suffix, replacement, condition] of rules) {
    const last = suffix.charCodeAt(suffix.length - 1);
    if (last >= 128) throw new Error("porter: a suffix must end in ASCII");
    const beforeLast = suffix.length > 1 ? suffix.charCodeAt(suffix.length - 2) : -1;
    (table[last] ??= []).push({ suffix, beforeLast, replacement, condition });
  }
  return table;
}

/**
 * nltk's _apply_rule_list: the first rule whose suffix matches decides. If its condition fails
 * the word is returned unchanged; later rules are not tried. Only the rules whose suffix ends in
 * the word's last char can match, and they keep their order, so they are the only ones tried;
 * of those, one whose char before the last differs from the word's cannot match either.
 */
function applyRules(word: string, table: RuleTable): string {
  const n = word.length;
  const last = word.charCodeAt(n - 1);
  const rules = last < 128 ? table[last] : undefined;
  if (rules === undefined) return word;
  const beforeLast = n > 1 ? word.charCodeAt(n - 2) : -2;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (rule.beforeLast >= 0 && rule.beforeLast !== beforeLast) continue;
    const suffix = rule.suffix;
    if (word.endsWith(suffix)) {
      const stemLength = n - suffix.length;
      const condition = rule.condition;
      if (condition === null || condition(word, stemLength)) {
        return word.slice(0, stemLength) + rule.replacement;
      }
      return word;
    }
  }
  return word;
}

const STEP1A_RULES: RuleTable = byLastChar([
  ["sses", "ss", null],
  ["ies", "i", null],
  ["ss", "ss", null],
  ["s", "", null],
]);

function step1a(word: string): string {
  // NLTK: 'dies' -> 'die' while 'flies' -> 'fli'.
  if (word.length === 4 && word.endsWith("ies")) return word.slice(0, 1) + "ie";
  return applyRules(word, STEP1A_RULES);
}

function step1b(word: string): string {
  // Every suffix of this step ends in 'd' or 'g' (most words end in neither).
  const last = word.charCodeAt(word.length - 1);
  if (last !== 100 && last !== 103) return word;
  // NLTK: 'died' -> 'die', 'spied' -> 'spi'; nothing else of step 1b runs.
  if (word.endsWith("ied")) return word.slice(0, -3) + (word.length === 4 ? "ie" : "i");

  // (m>0) EED -> EE; a failing condition still stops 'feed' reaching the ED rule.
  if (word.endsWith("eed")) {
    return measure(word, word.length - 3) > 0 ? word.slice(0, -1) : word;
  }

  let stem: string;
  if (word.endsWith("ed") && containsVowel(word, word.length - 2)) {
    stem = word.slice(0, -2);
  } else if (word.endsWith("ing") && containsVowel(word, word.length - 3)) {
    stem = word.slice(0, -3);
  } else {
    return word;
  }

  // Tidy-up after ED/ING removal: AT/BL/IZ get their E back, doubles are undoubled (except l/s/z),
  // and a short cvc stem gets an E.
  if (stem.endsWith("at") || stem.endsWith("bl") || stem.endsWith("iz")) return stem + "e";
  const n = stem.length;
  if (endsDoubleConsonant(stem, n)) {
    const last = stem.charCodeAt(n - 1);
    return last === 108 || last === 115 || last === 122 ? stem : stem.slice(0, -1);
  }
  return measure(stem, n) === 1 && endsCvc(stem, n) ? stem + "e" : stem;
}

function step1c(word: string): string {
  // NLTK: y -> i only after a consonant that is not the whole stem ('happy' -> 'happi',
  // 'enjoy' and 'by' unchanged, 'fly' -> 'fli').
  const n = word.length - 1;
  if (word.charCodeAt(n) !== Y) return word;
  return n > 1 && isConsonant(word, n - 1) ? word.slice(0, n) + "i" : word;
}

const STEP2_RULES: RuleTable = byLastChar([
  ["ational", "ate", mGt0],
  ["tional", "tion", mGt0],
  ["enci", "ence", mGt0],
  ["anci", "ance", mGt0],
  ["izer", "ize", mGt0],
  ["bli", "ble", mGt0], // NLTK/Martin variant of the paper's ABLI -> ABLE
  ["alli", "al", mGt0],
  ["entli", "ent", mGt0],
  ["eli", "e", mGt0],
  ["ousli", "ous", mGt0],
  ["ization", "ize", mGt0],
  ["ation", "ate", mGt0],
  ["ator", "ate", mGt0],
  ["alism", "al", mGt0],
  ["iveness", "ive", mGt0],
  ["fulness", "ful", mGt0],
  ["ousness", "ous", mGt0],
  ["aliti", "al", mGt0],
  ["iviti", "ive", mGt0],
  ["biliti", "ble", mGt0],
  ["fulli", "ful", mGt0],
  // The 'l' stays with the stem for the measure, so 'geologi' and 'theologi' work alike.
  ["logi", "log", (w, n) => measure(w, n + 1) > 0],
]);

function step2(word: string): string {
  // NLTK applies ALLI -> AL first and, if it fires, runs step 2 again on the result.
  if (word.charCodeAt(word.length - 1) === I && word.endsWith("alli") && measure(word, word.length - 4) > 0) {
    return step2(word.slice(0, -2));
  }
  return applyRules(word, STEP2_RULES);
}

const STEP3_RULES: RuleTable = byLastChar([
  ["icate", "ic", mGt0],
  ["ative", "", mGt0],
  ["alize", "al", mGt0],
  ["iciti", "ic", mGt0],
  ["ical", "ic", mGt0],
  ["ful", "", mGt0],
  ["ness", "", mGt0],
]);

const STEP4_RULES: RuleTable = byLastChar([
  ["al", "", mGt1],
  ["ance", "", mGt1],
  ["ence", "", mGt1],
  ["er", "", mGt1],
  ["ic", "", mGt1],
  ["able", "", mGt1],
  ["ible", "", mGt1],
  ["ant", "", mGt1],
  ["ement", "", mGt1],
  ["ment", "", mGt1],
  ["ent", "", mGt1],
  // (m>1 and (*S or *T)) ION
  ["ion", "", (w, n) => {
    if (measure(w, n) <= 1) return false;
    const c = w.charCodeAt(n - 1);
    return c === 115 || c === 116;
  }],
  ["ou", "", mGt1],
  ["ism", "", mGt1],
  ["ate", "", mGt1],
  ["iti", "", mGt1],
  ["ous", "", mGt1],
  ["ive", "", mGt1],
  ["ize", "", mGt1],
]);

function step5a(word: string): string {
  // Both E rules are tried (unlike _apply_rule_list): (m>1) E, then (m=1 and not *o) E.
  const n = word.length - 1;
  if (word.charCodeAt(n) !== E) return word;
  const m = measure(word, n);
  return m > 1 || (m === 1 && !endsCvc(word, n)) ? word.slice(0, n) : word;
}

function step5b(word: string): string {
  // (m>1 and *d and *L) -> single letter; nltk measures the word minus one 'l'.
  const n = word.length;
  if (n >= 2 && word.charCodeAt(n - 1) === L && word.charCodeAt(n - 2) === L && measure(word, n - 1) > 1) return word.slice(0, n - 1);
  return word;
}

function runSteps(word: string): string {
  let w = step1a(word);
  w = step1b(w);
  w = step1c(w);
  w = step2(w);
  w = applyRules(w, STEP3_RULES);
  w = applyRules(w, STEP4_RULES);
  w = step5a(w);
  return step5b(w);
}

function hasSurrogatePair(s: string): boolean {
  return codePointLength(s) !== s.length;
}

/**
 * nltk indexes by code point. For the rare word holding astral characters, stand each distinct
 * one in for a BMP private-use character not otherwise in the word (all of them are consonants
 * and never part of a suffix), stem, and swap back. (A word with more distinct astral characters
 * than free stand-ins, beyond any real text, is stemmed unit by unit.)
 */
function stemAstral(word: string): string {
  const standIns = astralStandIns([word]);
  if (standIns === null) return runSteps(word);
  const fromPlaceholder = new Map<string, string>();
  for (const [ch, p] of standIns) fromPlaceholder.set(p, ch);
  let out = "";
  for (const ch of runSteps(replaceAstral(word, standIns))) out += fromPlaceholder.get(ch) ?? ch;
  return out;
}

// The lengths of the pool's words (3 to 8 units): a look-up for any other word would hash it for nothing.
const POOL_MIN_LENGTH = Math.min(...[...IRREGULAR_POOL.keys()].map((w) => w.length));
const POOL_MAX_LENGTH = Math.max(...[...IRREGULAR_POOL.keys()].map((w) => w.length));

/** The stem of `word`, whose toLowerCase is `lower`. */
function stemOf(word: string, lower: string): string {
  if (word.length >= POOL_MIN_LENGTH && word.length <= POOL_MAX_LENGTH) {
    const pooled = IRREGULAR_POOL.get(word);
    if (pooled !== undefined) return pooled;
  }
  // Words of one or two letters (of the original word) are returned lower-cased, unstemmed.
  // (Past 4 units a word has at least 3 code points.)
  if (word.length <= 4 && codePointLength(word) <= 2) return lower;
  return hasSurrogatePair(lower) ? stemAstral(lower) : runSteps(lower);
}

// Bounded memo: stemming dominates stemmed ROUGE/METEOR, and vocabularies repeat heavily.
const memo = new BoundedMemo<string>(50_000);

/** nltk `PorterStemmer().stem(word)` (NLTK_EXTENSIONS, to_lowercase=True). */
export function porterStem(word: string): string {
  return memo.get(word, computeStem);
}

function computeStem(word: string): string {
  return stemOf(word, word.toLowerCase());
}

/**
 * porterStem of a lower-cased word (a toLowerCase result: lower-casing again changes nothing,
 * checked for every code point in test/metrics/porter-stemmer.test.ts), without the memo, for a
 * caller that keeps its own (METEOR's word facts). Skipping the second toLowerCase is ~15% of a
 * stem.
 */
export function porterStemOfLowerCase(lower: string): string {
  return stemOf(lower, lower);
}
