// The slice of WordNet 3.0 that nltk's METEOR uses: `wordnet.synsets(word)` over all parts of
// speech, with nltk 3.9.1's `_morphy` (suffix rules, exception lists, index checks), reduced to the
// lemma names that contain no "_". The data file is built by scripts/build-wordnet.mjs (its
// header describes the format) and is read lazily, once per process, on the first lookup.

import { readFileSync } from "node:fs";
import { BoundedMemo } from "./bounded-memo.js";

export type WordNetPos = "n" | "v" | "a" | "r";

/** nltk's POS_LIST order. */
const POS_LIST: readonly WordNetPos[] = ["n", "v", "a", "r"];

/** nltk WordNetCorpusReader.MORPHOLOGICAL_SUBSTITUTIONS, in nltk's order. */
const SUBSTITUTIONS: Record<WordNetPos, readonly (readonly [string, string])[]> = {
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
  return { groups: file.synsets.split(" "), words, index, exceptions };
}

let data: WordNetData | null = null;

function wordnet(): WordNetData {
  data ??= load();
  return data;
}

// ---------------------------------------------------------------------------------------------

/** nltk _morphy's filter_forms: the forms in the POS's index, first occurrences only. */
function filterForms(forms: readonly string[], index: Map<string, string>): string[] {
  const result: string[] = [];
  for (const form of forms) if (index.has(form) && !result.includes(form)) result.push(form);
  return result;
}

/** The suffix rules of `pos` applied once to `form`, in nltk's order. */
function applyRules(form: string, pos: WordNetPos): string[] {
  const out: string[] = [];
  for (const [suffix, replacement] of SUBSTITUTIONS[pos]) {
    if (form.endsWith(suffix)) out.push(form.slice(0, form.length - suffix.length) + replacement);
  }
  return out;
}

/**
 * nltk 3.9.1 `WordNetCorpusReader._morphy(form, pos)`: the base forms of `form` that WordNet lists
 * under `pos`: the word itself and either its exception-list forms or, for other words, the
 * suffix rules applied once. nltk 3.8 went on applying the rules until something matched
 * ("assess" → "asses" → "ass"); 3.9 dropped that step, so a form needing two substitutions has
 * no base form.
 */
export function morphy(form: string, pos: WordNetPos): string[] {
  const { index, exceptions } = wordnet();
  const candidates = exceptions[pos].get(form) ?? applyRules(form, pos);
  return filterForms([form, ...candidates], index[pos]);
}

function synonymsUncached(word: string): Set<string> {
  const { index, groups, words } = wordnet();
  const lemma = word.toLowerCase(); // nltk synsets() lower-cases its argument
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
  return names;
}

// Bounded memo: vocabularies repeat heavily across METEOR calls.
const memo = new BoundedMemo<ReadonlySet<string>>(50_000);

/**
 * The lemma names without "_" of every synset nltk's `wordnet.synsets(word)` returns (all parts
 * of speech, after morphy), as nltk's METEOR collects them. The word itself is included only when
 * WordNet lists it. Names keep WordNet's case (e.g. "Einstein").
 */
export function synonyms(word: string): ReadonlySet<string> {
  return memo.get(word, synonymsUncached);
}
