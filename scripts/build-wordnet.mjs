#!/usr/bin/env node
// Builds data/wordnet-3.0-synonyms.json, the part of WordNet 3.0 that nltk's METEOR uses, from
// the WordNet database files (Debian/Ubuntu: `apt-get install wordnet-base`, /usr/share/wordnet).
//
//   node scripts/build-wordnet.mjs [wordnet-dict-dir]
//
// METEOR's synonym stage needs, for a word: nltk 3.9.1's `_morphy` candidates for each part of
// speech (the word, plus its exception-list forms or else the suffix rules applied once, kept if
// they are index lemmas of that POS; src/metrics/wordnet.ts applies them, so this needs only the
// index lemmas and the exception lists), the synsets of each candidate, and the lemma names of
// those synsets that contain no "_". So the file keeps:
//
//   words       every string used below, sorted and front-coded: each word is one base-36 digit
//               (how many leading characters it shares with the previous word, at most 35)
//               followed by the rest of it; words are joined by " " (WordNet tokens contain no
//               spaces). A word's id is its position in this list
//   synsets     " "-joined groups of ","-joined base-36 word ids: the distinct "_"-free name sets
//               of WordNet's synsets (synsets with the same names collapse into one group)
//   index.<p>   per POS (n, v, a, r): " "-joined entries "<delta>:<group>,<group>..." where
//               delta is the base-36 gap to the previous entry's word id (the first counts from
//               0) and the groups are the synsets of that lemma; a lemma whose synsets have no
//               "_"-free name keeps an empty list, because morphy still sees it in the index
//   exc.<p>     per POS, entries "<delta>:<id>,<id>..." from <pos>.exc: an inflected form and
//               those of its base forms that are in that POS's index (the others can never
//               pass nltk's filter, but the form itself must stay: it stops the suffix rules)
//
// Lemma names keep WordNet's case (nltk's Lemma.name()); adjective markers such as "(p)" are
// stripped as nltk does.

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dictDir = process.argv[2] ?? "/usr/share/wordnet";
const outFile = join(root, "data", "wordnet-3.0-synonyms.json");
const licenseFile = join(root, "data", "WORDNET-LICENSE");
const debianCopyright = "/usr/share/doc/wordnet-base/copyright";

// nltk's POS order (POS_LIST) and file names.
const POS = [
  ["n", "noun"],
  ["v", "verb"],
  ["a", "adj"],
  ["r", "adv"],
];

function lines(file) {
  // Database files start with a license header whose lines begin with two spaces.
  return readFileSync(join(dictDir, file), "utf8")
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith(" "));
}

/** synset offset → "_"-free lemma names, for one data.<pos> file. */
function readSynsets(fileName) {
  const synsets = new Map();
  for (const line of lines(`data.${fileName}`)) {
    const fields = line.split("|")[0].trim().split(/\s+/);
    const offset = Number(fields[0]);
    const count = parseInt(fields[3], 16);
    const names = [];
    for (let i = 0; i < count; i++) {
      // nltk: re.match(r"(.*?)(\(.*\))?$", name) drops a trailing syntactic marker.
      const name = fields[4 + 2 * i].replace(/\(.*\)$/, "");
      if (!name.includes("_") && !names.includes(name)) names.push(name);
    }
    synsets.set(offset, names);
  }
  return synsets;
}

/** lemma → synset offsets, for one index.<pos> file (nltk _load_lemma_pos_offset_map). */
function readIndex(fileName) {
  const index = new Map();
  for (const line of lines(`index.${fileName}`)) {
    const fields = line.trim().split(/\s+/);
    const lemma = fields[0];
    const synsetCount = Number(fields[2]);
    const pointerCount = Number(fields[3]);
    const offsetsStart = 4 + pointerCount + 2;
    const offsets = fields.slice(offsetsStart, offsetsStart + synsetCount).map(Number);
    if (offsets.length !== synsetCount) throw new Error(`index.${fileName}: bad line ${line}`);
    index.set(lemma, offsets);
  }
  return index;
}

/** inflected form → base forms, for one <pos>.exc file (nltk _load_exception_map). */
function readExceptions(fileName) {
  const exceptions = new Map();
  for (const line of readFileSync(join(dictDir, `${fileName}.exc`), "utf8").split("\n")) {
    const terms = line.trim().split(/\s+/).filter((t) => t !== "");
    if (terms.length === 0) continue;
    exceptions.set(terms[0], terms.slice(1)); // a repeated form overwrites, as in nltk
  }
  return exceptions;
}

const perPos = POS.map(([pos, fileName]) => ({
  pos,
  synsets: readSynsets(fileName),
  index: readIndex(fileName),
  exceptions: readExceptions(fileName),
}));

// Collect every string, then number them in sorted order.
const wordSet = new Set();
for (const { synsets, index, exceptions } of perPos) {
  for (const names of synsets.values()) for (const name of names) wordSet.add(name);
  for (const lemma of index.keys()) wordSet.add(lemma);
  for (const form of exceptions.keys()) wordSet.add(form);
}
const words = [...wordSet].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const wordId = new Map(words.map((w, i) => [w, i]));
const b36 = (n) => n.toString(36);

/** Sorted words share long prefixes: store each as (shared length, remaining characters). */
function frontCode(sorted) {
  let previous = "";
  return sorted
    .map((word) => {
      let shared = 0;
      const limit = Math.min(35, previous.length, word.length);
      while (shared < limit && previous[shared] === word[shared]) shared++;
      previous = word;
      return b36(shared) + word.slice(shared);
    })
    .join(" ");
}

// Distinct name sets ("groups"), numbered in order of first use.
const groupId = new Map();
const groups = [];
function groupOf(names) {
  if (names.length === 0) return null;
  const key = names
    .map((name) => wordId.get(name))
    .sort((a, b) => a - b)
    .map(b36)
    .join(",");
  let id = groupId.get(key);
  if (id === undefined) {
    id = groups.length;
    groups.push(key);
    groupId.set(key, id);
  }
  return id;
}

function deltaEntries(pairs) {
  // pairs: [wordId, list-string][], encoded with gaps between sorted word ids.
  pairs.sort((a, b) => a[0] - b[0]);
  let last = 0;
  return pairs
    .map(([id, list]) => {
      const entry = `${b36(id - last)}:${list}`;
      last = id;
      return entry;
    })
    .join(" ");
}

const index = {};
const exc = {};
for (const { pos, synsets, index: lemmaIndex, exceptions } of perPos) {
  const pairs = [];
  for (const [lemma, offsets] of lemmaIndex) {
    const ids = [];
    for (const offset of offsets) {
      const names = synsets.get(offset);
      if (names === undefined) throw new Error(`${pos}: no synset at ${offset} for ${lemma}`);
      const id = groupOf(names);
      if (id !== null && !ids.includes(id)) ids.push(id);
    }
    pairs.push([wordId.get(lemma), ids.map(b36).join(",")]);
  }
  index[pos] = deltaEntries(pairs);

  const excPairs = [];
  for (const [form, bases] of exceptions) {
    const kept = bases.filter((base) => lemmaIndex.has(base)).map((base) => b36(wordId.get(base)));
    excPairs.push([wordId.get(form), kept.join(",")]);
  }
  exc[pos] = deltaEntries(excPairs);
}

const data = {
  format: "graderkit-wordnet-synonyms/1",
  source: "WordNet 3.0 (Princeton University), database files as in Debian wordnet-base",
  license: "WordNet 3.0 license, see WORDNET-LICENSE",
  words: frontCode(words),
  synsets: groups.join(" "),
  index,
  exc,
};
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify(data)}\n`);

// The license notice must travel with the derived data: take it from the Debian package.
const copyright = readFileSync(debianCopyright, "utf8");
const licenseBlock = copyright.match(/^License: WordNet3\.0\n((?: .*\n)+)/m);
if (!licenseBlock) throw new Error(`no WordNet license block in ${debianCopyright}`);
const licenseText = licenseBlock[1]
  .split("\n")
  .map((line) => (line === " ." ? "" : line.replace(/^ /, "")))
  .join("\n");
writeFileSync(
  licenseFile,
  "data/wordnet-3.0-synonyms.json is derived from WordNet 3.0 and is distributed under its license:\n\n" +
    licenseText.trimEnd() +
    "\n",
);

const size = readFileSync(outFile).length;
console.log(
  `${outFile}: ${(size / 1e6).toFixed(2)} MB, ${words.length} words, ${groups.length} synonym groups`,
);
