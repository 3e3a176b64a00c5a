// The slice of WordNet 3.0 that nltk's METEOR uses: `wordnet.synsets(word)` over all parts of
// speech, with nltk 3.9.1's `_morphy` (suffix rules, exception lists, index checks), reduced to the
// lemma names that contain no "_". The data file is built by scripts/build-wordnet.mjs (its
// header describes the format) and is read lazily, once per process, on the first lookup.

import { readFileSync } from "node:fs";
import { BoundedMemo } from "./bounded-memo.js";
import { HashFilter, hashChars } from "./hash-filter.js";

export type WordNetPos = "n" | "v" | "a" | "r";

/** nltk's POS_LIST order. */
export const POS_LIST: readonly WordNetPos[] = ["n", "v", "a", "r"];

/** nltk WordNetCorpusReader.MORPHOLOGICAL_SUBSTITUTIONS, in nltk's order. */
export const SUBSTITUTIONS: Record<WordNetPos, readonly (readonly [string, string])[]> = {
  n: [
    ["s", ""],
    ["ses", "s"],
    ["ves", "f"],
    ["xes", "x"],
    ["zes", "z"],
    ["ches", "ch"],
    ["shes", "sh"],
    ["men", "man"],
    ["ies", "y"],
  ],
  v: [
    ["s", ""],
    ["ies", "y"],
    ["es", "e"],
    ["es", ""],
    ["ed", "e"],
    ["ed", ""],
    ["ing", "e"],
    ["ing", ""],
  ],
  a: [
    ["er", ""],
    ["est", ""],
    ["er", "e"],
    ["est", "e"],
  ],
  r: [],
};

interface WordNetData {
  /** Synonym groups, still encoded ("id,id,..." in base 36), decoded on use. */
  groups: string[];
  words: string[];
  /** lemma → its synonym groups ("g,g,..." in base 36; "" for none), per POS. */
  index: Record<WordNetPos, Map<string, string>>;
  /** inflected form → base forms, per POS. */
  exceptions: Record<WordNetPos, Map<string, string[]>>;
  /**
   * Every string of the file (each key of `index` and `exceptions`, any POS, each base form and
   * each synonym name), as a Bloom filter of their hashChars.
   */
  known: HashFilter;
}

interface WordNetFile {
  format: string;
  words: string;
  synsets: string;
  index: Record<WordNetPos, string>;
  exc: Record<WordNetPos, string>;
}

const DATA_URL = new URL("../../data/wordnet-3.0-synonyms.json", import.meta.url);
const FORMAT = "graderkit-wordnet-synonyms/1";

function decodeWords(frontCoded: string): string[] {
  const entries = frontCoded.split(" ");
  const words = new Array<string>(entries.length);
  let previous = "";
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    previous = previous.slice(0, parseInt(entry[0]!, 36)) + entry.slice(1);
    words[i] = previous;
  }
  return words;
}

/** Decodes "<delta>:<list> ..." entries into a word → list-string map. */
function decodeEntries(encoded: string, words: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  if (encoded === "") return map;
  let id = 0;
  for (const entry of encoded.split(" ")) {
    const colon = entry.indexOf(":");
    id += parseInt(entry.slice(0, colon), 36);
    map.set(words[id]!, entry.slice(colon + 1));
  }
  return map;
}

function load(): WordNetData {
  const file = JSON.parse(readFileSync(DATA_URL, "utf8")) as WordNetFile;
  if (file.format !== FORMAT) throw new Error(`${DATA_URL.pathname}: expected format ${FORMAT}`);
  const words = decodeWords(file.words);
  const index = {} as Record<WordNetPos, Map<string, string>>;
  const exceptions = {} as Record<WordNetPos, Map<string, string[]>>;
  for (const pos of POS_LIST) {
    index[pos] = decodeEntries(file.index[pos], words);
    const exc = new Map<string, string[]>();
    for (const [form, list] of decodeEntries(file.exc[pos], words)) {
      exc.set(form, list === "" ? [] : list.split(",").map((id) => words[parseInt(id, 36)]!));
    }
    exceptions[pos] = exc;
  }
  // All of `words`, not only the index and exception keys: mayBeSynonymName needs the names too
  // (the lower-case ones are index keys, "Einstein" is not).
  const known = new HashFilter(FILTER_LOG2_BITS);
  for (const word of words) known.add(hashChars(word));
  return { groups: file.synsets.split(" "), words, index, exceptions, known };
}

// A Bloom filter of the strings WordNet knows (forms and synonym names), so that the candidate
// forms of a word (the word, and the word with each matching suffix replaced) are looked up only
// when they may be there.
// With an open vocabulary (names, numbers, typos) nearly every candidate is unknown, and each
// would cost a new string and a lookup in a large, cache-cold Map; a candidate's hash is made
// from the word's units and the replacement without building the string. 2^21 bits (256 KB)
// for ~168k strings, two probes: ~2% false positives, which only cost the Map lookup.
const FILTER_LOG2_BITS = 21;

/** hashChars of form[0, length) + replacement. */
function hashForm(form: string, length: number, replacement: string): number {
  return hashChars(replacement, replacement.length, hashChars(form, length));
}

let data: WordNetData | null = null;

function wordnet(): WordNetData {
  data ??= load();
  return data;
}

// ---------------------------------------------------------------------------------------------

/** The tables morphy reads (for the plain port in ./reference/wordnet.ts). */
export function morphyTables(): Pick<WordNetData, "index" | "exceptions"> {
  const { index, exceptions } = wordnet();
  return { index, exceptions };
}

/** Appends `form` to `out` when the POS's index has it and `out` does not yet (filter_forms). */
function pushIndexed(out: string[], form: string, index: Map<string, string>): void {
  if (index.has(form) && !out.includes(form)) out.push(form);
}

/**
 * nltk 3.9.1 `WordNetCorpusReader._morphy(form, pos)`: the base forms of `form` that WordNet lists
 * under `pos`: the word itself and either its exception-list forms or, for other words, the
 * suffix rules applied once. nltk 3.8 went on applying the rules until something matched
 * ("assess" → "asses" → "ass"); 3.9 dropped that step, so a form needing two substitutions has
 * no base form. Candidates that the filter rules out are never built (./reference/wordnet.ts has
 * the plain version, which the tests compare this with).
 */
export function morphy(form: string, pos: WordNetPos): string[] {
  const { index, exceptions, known } = wordnet();
  const out: string[] = [];
  const formKnown = known.mayHave(hashChars(form));
  if (formKnown) pushIndexed(out, form, index[pos]);
  const listed = formKnown ? exceptions[pos].get(form) : undefined;
  if (listed !== undefined) {
    for (const base of listed) pushIndexed(out, base, index[pos]);
    return out;
  }
  for (const [suffix, replacement] of SUBSTITUTIONS[pos]) {
    if (!form.endsWith(suffix)) continue;
    const stem = form.length - suffix.length;
    if (!known.mayHave(hashForm(form, stem, replacement))) continue;
    pushIndexed(out, form.slice(0, stem) + replacement, index[pos]);
  }
  return out;
}

/**
 * false when the filter rules out every form morphy could find for `lemma` under any POS (the
 * word itself and each suffix substitution): then it has no synsets. No allocation, no lookup.
 */
function mayHaveForms(lemma: string, known: HashFilter): boolean {
  if (known.mayHave(hashChars(lemma))) return true;
  for (const pos of POS_LIST) {
    for (const [suffix, replacement] of SUBSTITUTIONS[pos]) {
      if (!lemma.endsWith(suffix)) continue;
      if (known.mayHave(hashForm(lemma, lemma.length - suffix.length, replacement))) return true;
    }
  }
  return false;
}

/**
 * false when `word` is no synonym name of any WordNet synset (then no `synonyms(...)` set holds
 * it); true when it may be one (a Bloom filter: ~2% of other words pass too). No allocation, no
 * lookup: METEOR skips its synonym stage when no leftover reference word may be a name.
 */
export function mayBeSynonymName(word: string): boolean {
  return wordnet().known.mayHave(hashChars(word));
}

const NO_NAMES: ReadonlySet<string> = new Set<string>();

// Bounded memo: vocabularies repeat heavily across METEOR calls.
const memo = new BoundedMemo<ReadonlySet<string>>(50_000);

function synonymsUncached(lemma: string): ReadonlySet<string> {
  const { index, groups, words } = wordnet();
  const names = new Set<string>();
  const seenGroups = new Set<number>();
  for (const pos of POS_LIST) {
    for (const form of morphy(lemma, pos)) {
      const list = index[pos].get(form)!;
      if (list === "") continue;
      for (const g of list.split(",")) {
        const group = parseInt(g, 36);
        if (seenGroups.has(group)) continue;
        seenGroups.add(group);
        for (const id of groups[group]!.split(",")) names.add(words[parseInt(id, 36)]!);
      }
    }
  }
  return names.size === 0 ? NO_NAMES : names;
}

/**
 * The lemma names without "_" of every synset nltk's `wordnet.synsets(word)` returns (all parts
 * of speech, after morphy), as nltk's METEOR collects them. The word itself is included only when
 * WordNet lists it. Names keep WordNet's case (e.g. "Einstein").
 */
export function synonyms(word: string): ReadonlySet<string> {
  const lemma = word.toLowerCase(); // nltk synsets() lower-cases its argument
  // A word WordNet cannot know (most of an open vocabulary) skips the memo: deciding that is
  // cheaper than a memo lookup and insertion.
  if (!mayHaveForms(lemma, wordnet().known)) return NO_NAMES;
  return memo.get(lemma, synonymsUncached);
}
