// The chunk scanner of the word tokenizer (src/metrics/tokenize/treebank-scan.ts) against the
// rule-by-rule tokenizer (rewriteAndSplit, the plain port of NLTKWordTokenizer's regex list), on
// random chunks in each of the positions the scanner is used in, and whole texts through the
// tokenizer with and without Punkt against rewriteAndSplit over the reference Punkt's sentences.

import { describe, expect, it } from "vitest";
import { punktSentencesReference } from "../../src/metrics/reference/punkt.js";
import { nltkTokenize, treebankWordTokenize } from "../../src/metrics/tokenize/index.js";
import { textUnits } from "../../src/metrics/tokenize/chunk-memo.js";
import { rewriteAndSplit } from "../../src/metrics/tokenize/treebank.js";
import { scanChunk } from "../../src/metrics/tokenize/treebank-scan.js";
import { mulberry32 } from "../helpers/random.js";

const rand = mulberry32(20261202);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
/** A word never seen before: letters (Latin-1 ones too), sometimes digits. */
function freshWord(): string {
  let w = "";
  for (let k = 1 + Math.floor(rand() * 9); k > 0; k--) w += rand() < 0.9 ? pick([...LETTERS]) : pick(["é", "ß", "Ñ", "ª", "µ", "²", "_", "7", "0"]);
  return w;
}

// Pieces of chunks (no U+0020): every char a rule reads, the clitics and fused forms of the rule
// list in both cases, and fresh words.
const PIECES = [
  ".", "..", "...", ",", ":", ";", "@", "#", "$", "%", "&", "?", "!", "*", "[", "]", "(", ")", "{", "}", "<", ">",
  "-", "--", "---", "'", "''", "+", "/", "=", "~", "\\", "^", "|", "¡", "¿", "§", "°", "×", "1", "42", "3.5",
  "'s", "'S", "'m", "'d", "'D", "'ll", "'LL", "'Ll", "'re", "'RE", "'ve", "'VE", "n't", "N'T", "'t", "'n", "'ye",
  "can", "not", "cannot", "CanNot", "gimme", "gonna", "gotta", "lemme", "wanna", "Wanna", "more", "d", "'tis",
  "'Twas", "tis", "was", "don't", "it's", "o'clock", "rock'n'roll", "U.S.", "Mr.", "1,000", "10:30", ",5", ":x",
  // Quotes: `"`, backticks, `''` and more apostrophes, alone and next to the chars the quote and
  // final-period rules read (openers, closers, periods).
  '"', '"', '""', "`", "``", "```", "''", "'''", "'", "t", "s", "ye", "n", '."', ".'", ".''", ".')", '")', `"'`, `'"`,
  '("', "(''", "<''", '{"', "[`", ')".', "'.", "''.", "``a''",
  // Units the scanner leaves to the rules.
  "«", "»", "\u00a0", "\t", "’", "“",
];

function randomChunk(): string {
  let chunk = "";
  for (let k = 1 + Math.floor(rand() * 5); k > 0; k--) chunk += rand() < 0.35 ? freshWord() : pick(PIECES);
  return chunk.replace(/ /g, "");
}

/** What scanChunk gives for `chunk` in a position, or undefined when it leaves the chunk to the rules. */
function scanned(chunk: string, sentenceEnd: boolean, atStart: boolean): string[] | undefined {
  const u = textUnits(chunk);
  const out: string[] = [];
  return scanChunk(chunk, u, 0, chunk.length, sentenceEnd, atStart, out) ? out : undefined;
}

/** The frequent quoted chunk shapes of open-vocabulary text (a: a word), and a few more. */
const QUOTED_SHAPES = [
  '"a', '"a"', 'a"', "'a'", "`a", "a`", 'a."', "a'a'a", "``a''", 'a".', "'a'.", '"a.', "``a''.", '"a".',
  "a.'", "a.''", '("a")', "''a''", `don't"`, `"it's`, "'tis'", "a''a", "```a",
].map((shape) => shape.replace(/a/g, "Word"));

/** rewriteAndSplit of `before + chunk + after`, without the tokens of `before` and `after`. */
function rulesOn(before: string, chunk: string, after: string): string[] {
  const tokens = rewriteAndSplit(before + chunk + after);
  return tokens.slice(before.trim() === "" ? 0 : 1, after.trim() === "" ? tokens.length : -1);
}

describe("treebank-scan: scanChunk against the rule list", () => {
  const chunks = Array.from({ length: 20_000 }, randomChunk);
  chunks.push("cannot", "gonna", "wanna", "d'ye", "more'n", "'tis", "'Twas", "'TIS", "'twas", "It's", "isn't", "ISN'T");

  chunks.push(...QUOTED_SHAPES);

  it("scans most chunks made of Latin-1 text, and every one without whitespace or guillemets", () => {
    const handled = chunks.filter((c) => scanned(c, false, false) !== undefined).length;
    expect(handled / chunks.length).toBeGreaterThan(0.7);
    const left = chunks.filter((c) => !/[\s«»’“]/u.test(c) && scanned(c, false, false) === undefined);
    expect(left.slice(0, 5)).toEqual([]);
  });

  it("scans the frequent quoted shapes in every position", () => {
    const left: unknown[] = [];
    for (const shape of QUOTED_SHAPES) {
      for (const [sentenceEnd, atStart] of [[false, false], [false, true], [true, false], [true, true]] as const) {
        if (scanned(shape, sentenceEnd, atStart) === undefined) left.push({ shape, sentenceEnd, atStart });
      }
    }
    expect(left).toEqual([]);
  });

  it("gives the rules' tokens for a chunk between spaces and at a sentence's start", () => {
    const mismatches: unknown[] = [];
    for (const chunk of chunks) {
      const middle = scanned(chunk, false, false);
      const start = scanned(chunk, false, true);
      const ruleMiddle = rulesOn("a ", chunk, " x");
      const ruleStart = rulesOn("", chunk, " x");
      if ((middle !== undefined && JSON.stringify(middle) !== JSON.stringify(ruleMiddle)) ||
          (start !== undefined && JSON.stringify(start) !== JSON.stringify(ruleStart))) {
        mismatches.push({ chunk, middle, ruleMiddle, start, ruleStart });
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it("gives the rules' tokens for a chunk that ends a sentence, alone or after a space", () => {
    const mismatches: unknown[] = [];
    for (const chunk of chunks) {
      const alone = scanned(chunk, true, true);
      const last = scanned(chunk, true, false);
      const ruleAlone = rewriteAndSplit(chunk);
      const ruleLast = rulesOn("a ", chunk, "");
      if ((alone !== undefined && JSON.stringify(alone) !== JSON.stringify(ruleAlone)) ||
          (last !== undefined && JSON.stringify(last) !== JSON.stringify(ruleLast))) {
        mismatches.push({ chunk, alone, ruleAlone, last, ruleLast });
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it("replaces and splits the quotes as the rules do", () => {
    expect(scanned('"Word".', true, true)).toEqual(["``", "Word", "''", "."]);
    expect(scanned('Word."', true, false)).toEqual(["Word", ".", "''"]);
    expect(scanned('Word."', false, false)).toEqual(["Word.", "''"]);
    // `''` opens a quote after a space, not at a sentence's start.
    expect(scanned("''Word", false, false)).toEqual(["``", "Word"]);
    expect(scanned("''Word", false, true)).toEqual(["''", "Word"]);
    expect(scanned("```Word", false, false)).toEqual(["``", "`", "Word"]);
    // APOSTROPHE_SPACE comes before the brackets are padded: `it's' x` and `it's'] x` differ.
    expect(scanned("it's'", false, false)).toEqual(["it", "'s", "'"]);
    expect(scanned("it's']", false, false)).toEqual(["it's", "'", "]"]);
  });

  it("splits the fused forms and clitics as nltk 3.9.1 does", () => {
    // Expected tokens: Debian's nltk 3.8 NLTKWordTokenizer, which nltk 3.9.1 agrees with here (its
    // one change, the whitespace collapse, cannot show without whitespace runs).
    expect(treebankWordTokenize("I cannot go, gonna stay", { preserveLine: true })).toEqual(["I", "can", "not", "go", ",", "gon", "na", "stay"]);
    expect(treebankWordTokenize("d'ye think 'tis more'n that", { preserveLine: true })).toEqual(["d", "'ye", "think", "'t", "is", "more", "'n", "that"]);
    expect(treebankWordTokenize("They'll say we're late--again...", { preserveLine: true })).toEqual([
      "They", "'ll", "say", "we", "'re", "late", "--", "again", "...",
    ]);
    expect(treebankWordTokenize("students' 1,000 books: 10:30 (sharp)!", { preserveLine: true })).toEqual([
      "students", "'", "1,000", "books", ":", "10:30", "(", "sharp", ")", "!",
    ]);
  });
});

describe("treebank-scan: whole texts with an open vocabulary", () => {
  /** Prose of fresh words and random chunks, with sentence ends and the odd extra space. */
  function randomText(): string {
    const words: string[] = [];
    for (let k = Math.floor(rand() * 25); k > 0; k--) {
      let w = rand() < 0.6 ? freshWord() : randomChunk();
      if (rand() < 0.1) w = pick(['"', "``", "'", "`", '("', "''"]) + w + pick(['"', "''", "'", "`", "", '")']);
      if (rand() < 0.15) w += pick([".", "?", "!", ".'", ".)", "...", ",", ":", '."', '".', ".''", `.'"`]);
      if (rand() < 0.1) w = w[0]!.toUpperCase() + w.slice(1);
      words.push(w);
    }
    return words.join(rand() < 0.9 ? " " : pick(["  ", " \u00a0", "\t"]));
  }
  const texts = Array.from({ length: 4000 }, randomText);

  it("tokenizes one line like the rule list", () => {
    const mismatches = texts.filter(
      (t) => JSON.stringify(treebankWordTokenize(t, { preserveLine: true })) !== JSON.stringify(rewriteAndSplit(t)),
    );
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it("tokenizes each Punkt sentence like the rule list", () => {
    const mismatches = texts.filter((t) => {
      const expected = punktSentencesReference(t).flatMap((s) => rewriteAndSplit(s));
      return JSON.stringify(treebankWordTokenize(t)) !== JSON.stringify(expected);
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it("gives nltkTokenize the same tokens on a second pass (no state carried between texts)", () => {
    const first = texts.map((t) => nltkTokenize(t));
    const second = texts.map((t) => nltkTokenize(t));
    expect(second).toEqual(first);
  });
});
