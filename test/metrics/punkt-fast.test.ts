// The fast Punkt path (char-loop candidates, per-chunk memoised token annotations) must split
// exactly as the plain port does, which tokenizes every candidate context with Punkt's regexes.

import { conformanceRows } from "../helpers/fixtures.js";
import { describe, expect, it } from "vitest";
import { punktSentencesReference } from "../../src/metrics/reference/punkt.js";
import { punktSentences } from "../../src/metrics/tokenize/punkt.js";
import { seededBelow } from "../helpers/random.js";

const rows = conformanceRows();

describe("fast Punkt sentence splitting", () => {
  it("agrees with the plain port on the fixture texts", () => {
    for (const row of rows) {
      expect(punktSentences(row.input)).toEqual(punktSentencesReference(row.input));
      expect(punktSentences(row.reference)).toEqual(punktSentencesReference(row.reference));
    }
  });

  const pieces = [
    " ", " ", " ", " ", "  ", "\n", "\t", "\u00a0", "\u2003", "\x1c", "a", "the", "The", "He", "it", "Ab", "x1",
    "é", "É", "ß", "²", "3", "1.5", "-2", "1990", ".", ".", ".", "..", "...", ". .", ". . .", "?", "!", "!!", "?!", ",",
    ":", ";", "'", "''", '"', "`", "(", ")", "[", "]", "{", "}", "*", "@", "&", "#", "-", "--", "«", "»", "“", "”",
    "’", "Mr.", "mr.", "U.S.", "e.g.", "Fig.", "J.", "j.", "No.", "St.", "Inc.", "vs.", "co-op.", "ltd.", "a.m.", "p.m.",
    "Jan.", "However", "But", "And", "in", "In", "##number##.", "1.", "23.", "ii.", "I.", "Smith", "US", "abreast",
    "business", "\u0130", "😀", "\ud800",
  ];
  const next = seededBelow(987654);
  const texts = Array.from({ length: 20000 }, () =>
    Array.from({ length: 1 + next(24) }, () => pieces[next(pieces.length)]).join(""),
  );

  it("agrees with the plain port on random text", () => {
    const mismatches = texts.filter(
      (t) => JSON.stringify(punktSentences(t)) !== JSON.stringify(punktSentencesReference(t)),
    );
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  // Open vocabulary: words never seen before around the marks, in every case and length, next to
  // the model's abbreviations, initials, collocations and sentence starters (the contexts that
  // wordAfterMarkVerdict decides without token objects), and the contexts it leaves to the rest.
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const fresh = (): string => {
    let w = "";
    for (let k = 1 + next(8); k > 0; k--) w += letters[next(letters.length)];
    return w;
  };
  const known = [
    "mr", "Mr", "dr", "st", "U.S", "e.g", "inc", "jan", "Jan", "No", "no", "vs", "fig", "J", "j", "A", "i", "X",
    "However", "But", "The", "the", "In", "in", "He", "he", "It", "it", "They", "business", "Smith", "US", "abreast",
  ];
  const digits = (): string => String(next(1000));
  const word = (): string => {
    const w = next(3) === 0 ? known[next(known.length)]! : fresh();
    // Digits before, after or instead of the letters (a number type only without letters).
    return [w, w, w, w, digits() + w, w + digits(), digits()][next(7)]!;
  };
  const openTexts = Array.from({ length: 20000 }, () => {
    let t = "";
    for (let k = 1 + next(12); k > 0; k--) {
      t += word();
      if (next(3) === 0) t += [".", ".", ".", "?", "!", ",", ";", ":", "..", ".)", '."', "-"][next(12)];
      t += [" ", " ", " ", " ", "  ", "\u00a0", "\n", ""][next(8)];
    }
    return t;
  });

  it("agrees with the plain port on open-vocabulary text", () => {
    const mismatches = openTexts.filter(
      (t) => JSON.stringify(punktSentences(t)) !== JSON.stringify(punktSentencesReference(t)),
    );
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  // Char by char, dense with what Punkt's word regex treats specially (NON_WORD, the word-start
  // exclusions, `--`, `..`, commas before them): the contexts' own token scanner (punktTokenEnd)
  // against the regex the plain port runs.
  // (Whole words of the model among the chars, so that a token cut in the wrong place changes a
  // type that the model knows: `He,` is not `He`.)
  const alphabet = [..."aAbZ9x.,,--..:;'\"()[]{}?!@#&*_/=`+é😀  ", "He", "he", "Mr", "J", "A", "However", "the", "Inc", "1990"];
  const charTexts = Array.from({ length: 20000 }, () => {
    let t = "";
    for (let k = 2 + next(30); k > 0; k--) t += alphabet[next(alphabet.length)];
    // Most contexts need a mark followed by whitespace and more text.
    return next(2) === 0 ? t.replace(/ /g, ". ") : t;
  });

  it("agrees with the plain port on text dense with punctuation, char by char", () => {
    const mismatches = charTexts.filter(
      (t) => JSON.stringify(punktSentences(t)) !== JSON.stringify(punktSentencesReference(t)),
    );
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it("agrees on every pairing of the model's abbreviations, initials, collocations and starters", () => {
    // `W. X` with X closed by a period too: the model's orthographic context has entries for
    // abbreviations with their period ("co.", "corp."), which an `X.` must be looked up by.
    // (The non-ASCII, dotted and hyphenated ones are left to the general path, token by token.)
    const before = ["c", "J", "b", "B", "Dr", "dr", "co", "corp", "Aug", "ave", "smith", "xqzt", "A1", "5", "12", "é", "É", "Ø", "U.S", "e.g", "co-op", "_"];
    const after = ["Co", "Corp", "co", "Aug", "Ill", "Ore", "Wed", "Vs", "S", "ALA", "Ala", "Smith", "Edelman", "levine", "However", "he", "He", "I", "x", "Xqzt", "abreast", "7b"];
    const texts: string[] = [];
    for (const w of before) for (const x of after) for (const end of ["", ".", ",", "?"]) texts.push(`Then ${w}. ${x}${end} more.`, `${w}. ${x}${end}`);
    const mismatches = texts.filter((t) => JSON.stringify(punktSentences(t)) !== JSON.stringify(punktSentencesReference(t)));
    expect(mismatches).toEqual([]);
  });

  it("agrees again when the memos are warm", () => {
    const mismatches = texts
      .slice(0, 5000)
      .filter((t) => JSON.stringify(punktSentences(t)) !== JSON.stringify(punktSentencesReference(t)));
    expect(mismatches).toEqual([]);
  });
});
