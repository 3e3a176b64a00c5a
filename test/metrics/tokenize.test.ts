// Tokenizers of the metric layer against the conformance fixture (tokens computed by NLTK with
// the same Punkt / perluniprops data), plus hand-picked cases for the tricky rules. Every expected
// value in the hand-written cases was produced by running NLTK's own tokenizer code
// (nltk/tokenize/punkt.py, destructive.py, nist.py) on data/punkt-english.json and
// data/nist-intl-charsets.json, and matches the rules described in the data README.

import { conformanceRows } from "../helpers/fixtures.js";
import { describe, expect, it } from "vitest";
import {
  TOKENIZERS,
  isPrintableLatin1,
  nistInternationalTokenize,
  nltkTokenize,
  punktSentences,
  pythonSplit,
  treebankWordTokenize,
} from "../../src/metrics/tokenize/index.js";
import { rewriteAndSplit } from "../../src/metrics/tokenize/treebank.js";
import { seededBelow } from "../helpers/random.js";

const rows = conformanceRows();

describe("conformance fixture", () => {
  it("has all 342 rows", () => {
    expect(rows).toHaveLength(342);
  });

  it.each(rows)("$id ($category)", (row) => {
    expect(nltkTokenize(row.input)).toEqual(row.tokens_pf_input);
    expect(nltkTokenize(row.reference)).toEqual(row.tokens_pf_reference);
    expect(pythonSplit(row.input)).toHaveLength(row.scores.ntokens_input!);
    expect(pythonSplit(row.reference)).toHaveLength(row.scores.ntokens_reference!);
    const tb = { preserveLine: true };
    expect(treebankWordTokenize(row.input, tb)).toHaveLength(row.scores.ntokens_input_tb!);
    expect(treebankWordTokenize(row.reference, tb)).toHaveLength(row.scores.ntokens_reference_tb!);
  });
});

describe("nltkTokenize path choice", () => {
  it("accepts only U+0020–U+007E and U+00A0–U+00FF as Latin-1", () => {
    expect(isPrintableLatin1("")).toBe(true);
    expect(isPrintableLatin1("naïve café\u00a0ÿ ~")).toBe(true);
    expect(isPrintableLatin1("a\nb")).toBe(false);
    expect(isPrintableLatin1("a\tb")).toBe(false);
    expect(isPrintableLatin1("\x7f")).toBe(false);
    expect(isPrintableLatin1("\x85")).toBe(false);
    expect(isPrintableLatin1("€")).toBe(false);
    expect(isPrintableLatin1("😀")).toBe(false);
  });

  it("draws the Latin-1 line at every unit below U+0300, alone and after a printable prefix", () => {
    for (let c = 0; c < 0x300; c++) {
      const printable = (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff);
      const ch = String.fromCharCode(c);
      expect(isPrintableLatin1(ch), `U+${c.toString(16)}`).toBe(printable);
      expect(isPrintableLatin1(`word ${ch} word`), `U+${c.toString(16)} inside`).toBe(printable);
    }
    expect(isPrintableLatin1("a\ud800b")).toBe(false); // a lone surrogate
  });

  it("sends a whole text with one newline down the NIST path", () => {
    expect(nltkTokenize("Hello world. It's fine.")).toEqual(["Hello", "world", ".", "It", "'s", "fine", "."]);
    expect(nltkTokenize("Hello world.\nIt's fine.")).toEqual(["Hello", "world", ".", "It", "'", "s", "fine", "."]);
  });

  it("gives no tokens for empty or blank text", () => {
    expect(nltkTokenize("")).toEqual([]);
    expect(nltkTokenize("   ")).toEqual([]);
    expect(treebankWordTokenize("")).toEqual([]);
    expect(nistInternationalTokenize("")).toEqual([]);
    expect(punktSentences("")).toEqual([]);
    expect(punktSentences("   ")).toEqual([]);
  });

  it("unescapes XML entities only on the NIST path", () => {
    // Latin-1 text: word_tokenize splits the entity text like any other.
    expect(nltkTokenize("&amp;lt;")).toEqual(["&", "amp", ";", "lt", ";"]);
    // `&amp;` is unescaped last, so `&amp;lt;` becomes the text `&lt;`.
    expect(nltkTokenize("&amp;lt;\n")).toEqual(["&", "lt", ";"]);
  });

  it("tokenizes CJK text through the NIST sets", () => {
    expect(nltkTokenize("東京は首都。人口")).toEqual(["東京は首都。人口"]);
    expect(nltkTokenize("です。人口")).toEqual(["です", "。", "人口"]);
  });

  it("returns a fresh array on every call", () => {
    const text = "He cannot go, I don't know. Really?";
    const first = nltkTokenize(text);
    const copy = [...first];
    first.push("junk");
    expect(nltkTokenize(text)).toEqual(copy);
  });
});

describe("Punkt sentence splitting", () => {
  it("keeps known abbreviations (Mr., U.S.) inside a sentence", () => {
    expect(punktSentences("Mr. Smith went to Washington. He arrived late.")).toEqual([
      "Mr. Smith went to Washington.",
      "He arrived late.",
    ]);
    expect(punktSentences("The U.S. economy grew. Prices rose.")).toEqual([
      "The U.S. economy grew.",
      "Prices rose.",
    ]);
  });

  it("breaks after an abbreviation followed by a capitalised sentence starter", () => {
    // `it` is in sent_starters, so `U.S.` ends the sentence here.
    expect(punktSentences("I live in the U.S. It is big.")).toEqual(["I live in the U.S.", "It is big."]);
  });

  it("treats e.g. as a sentence end: it is not in the model's abbreviations", () => {
    expect(punktSentences("Fruit, e.g. apples, is healthy.")).toEqual(["Fruit, e.g.", "apples, is healthy."]);
  });

  it("keeps initials but not unknown abbreviations", () => {
    expect(punktSentences("It was Fig. 3 and J. Smith.")).toEqual(["It was Fig.", "3 and J. Smith."]);
  });

  it("takes only the last mark of a run and realigns closing brackets and quotes", () => {
    expect(punktSentences("Very bad acting!!! I promise.")).toEqual(["Very bad acting!!!", "I promise."]);
    expect(
      punktSentences('(How does it deal with this parenthesis?) "It should be part of the previous sentence."'),
    ).toEqual(["(How does it deal with this parenthesis?)", '"It should be part of the previous sentence."']);
    expect(punktSentences("A sentence (with a note.) Next one.")).toEqual([
      "A sentence (with a note.)",
      "Next one.",
    ]);
  });
});

describe("word_tokenize (NLTKWordTokenizer)", () => {
  it("splits clitics and fused forms", () => {
    expect(nltkTokenize("I don't know.")).toEqual(["I", "do", "n't", "know", "."]);
    expect(nltkTokenize("He cannot go.")).toEqual(["He", "can", "not", "go", "."]);
    expect(nltkTokenize("CANNOT")).toEqual(["CAN", "NOT"]);
    expect(nltkTokenize("gonna wanna gimme")).toEqual(["gon", "na", "wan", "na", "gim", "me"]);
  });

  it("splits on NBSP like on a space", () => {
    expect(nltkTokenize("x\u00a0don't")).toEqual(["x", "do", "n't"]);
  });

  it("turns double quotes into `` and ''", () => {
    expect(nltkTokenize('She said "hello" to me.')).toEqual(["She", "said", "``", "hello", "''", "to", "me", "."]);
    expect(nltkTokenize('"Hi," she said.')).toEqual(["``", "Hi", ",", "''", "she", "said", "."]);
    // An opening single quote stays on its word.
    expect(nltkTokenize("He said 'hi' to them.")).toEqual(["He", "said", "'hi", "'", "to", "them", "."]);
  });

  it("keeps commas and colons before a digit", () => {
    expect(nltkTokenize("It costs 1,000 dollars at 10:30 today.")).toEqual([
      "It", "costs", "1,000", "dollars", "at", "10:30", "today", ".",
    ]);
    expect(nltkTokenize("a,1 and a, b")).toEqual(["a,1", "and", "a", ",", "b"]);
    expect(nltkTokenize("Step 1: go")).toEqual(["Step", "1", ":", "go"]);
  });

  it("splits ellipses and only the sentence-final period", () => {
    expect(nltkTokenize("Wait... what?")).toEqual(["Wait", "...", "what", "?"]);
    expect(nltkTokenize("The U.S. economy grew. Prices rose.")).toEqual([
      "The", "U.S.", "economy", "grew", ".", "Prices", "rose", ".",
    ]);
    // At a sentence end the abbreviation loses its final period.
    expect(nltkTokenize("I live in the U.S. It is big.")).toEqual([
      "I", "live", "in", "the", "U.S", ".", "It", "is", "big", ".",
    ]);
    expect(nltkTokenize("Fruit, e.g. apples, is healthy.")).toEqual([
      "Fruit", ",", "e.g", ".", "apples", ",", "is", "healthy", ".",
    ]);
    expect(nltkTokenize("End of text.)")).toEqual(["End", "of", "text", ".", ")"]);
  });

  it("does not split sentences with preserveLine", () => {
    expect(treebankWordTokenize("Hello world. It's fine.", { preserveLine: true })).toEqual([
      "Hello", "world.", "It", "'s", "fine", ".",
    ]);
    expect(treebankWordTokenize("Hello world. It's fine.")).toEqual(["Hello", "world", ".", "It", "'s", "fine", "."]);
  });
});

describe("nltk 3.9.1: whitespace runs become one space before the clitic rules", () => {
  // Expected tokens: Debian's nltk 3.8 NLTKWordTokenizer with nltk 3.9's one added rule
  // (`(re.compile(r"\s+"), " ")` before the clitic rules of ENDING_QUOTES) and Punkt built from
  // data/punkt-english.json; that setup reproduces every token of the nltk 3.9.1 fixture.
  // nltk 3.8 keeps each clitic below on its word (`It's`, `'tis`, `students'`).
  const clitics: Array<[string, string[]]> = [
    ["It's\u00a0raining", ["It", "'s", "raining"]],
    ["I'm\u00a0here", ["I", "'m", "here"]],
    ["She'd\u00a0go", ["She", "'d", "go"]],
    ["We're\u00a0ready", ["We", "'re", "ready"]],
    ["We've\u00a0won", ["We", "'ve", "won"]],
    ["They'll\u00a0call", ["They", "'ll", "call"]],
    ["I don't\u00a0know", ["I", "do", "n't", "know"]],
  ];
  const upperCase: Array<[string, string[]]> = [
    ["IT'S\u00a0DONE", ["IT", "'S", "DONE"]],
    ["I'M\u00a0HERE", ["I", "'M", "HERE"]],
    ["SHE'D\u00a0GO", ["SHE", "'D", "GO"]],
    ["WE'RE\u00a0READY", ["WE", "'RE", "READY"]],
    ["WE'VE\u00a0WON", ["WE", "'VE", "WON"]],
    ["THEY'LL\u00a0CALL", ["THEY", "'LL", "CALL"]],
    ["I DON'T\u00a0KNOW", ["I", "DO", "N'T", "KNOW"]],
  ];

  it.each([...clitics, ...upperCase])("splits the clitic before an NBSP: %j", (text, tokens) => {
    expect(nltkTokenize(text)).toEqual(tokens);
    expect(treebankWordTokenize(text, { preserveLine: true })).toEqual(tokens);
  });

  it("splits a closing ' before an NBSP", () => {
    expect(nltkTokenize("The students'\u00a0essays")).toEqual(["The", "students", "'", "essays"]);
  });

  it("splits 'tis and 'twas after an NBSP (the rule needs a space before the ')", () => {
    expect(nltkTokenize("And\u00a0'tis the season")).toEqual(["And", "'t", "is", "the", "season"]);
    expect(nltkTokenize("And\u00a0'Twas night")).toEqual(["And", "'T", "was", "night"]);
  });

  it("changes a text-final NBSP only without Punkt, which strips it", () => {
    expect(nltkTokenize("It's\u00a0")).toEqual(["It", "'s"]);
    expect(treebankWordTokenize("It's\u00a0", { preserveLine: true })).toEqual(["It", "'s"]);
    expect(nltkTokenize("It's\u00a0late.")).toEqual(["It", "'s", "late", "."]);
  });

  it("splits before any Python whitespace on the Treebank-only path", () => {
    for (const space of ["\t", "\n", "\u2028", "\u3000", " \u00a0"]) {
      expect(treebankWordTokenize(`It's${space}fine`, { preserveLine: true }), JSON.stringify(space)).toEqual(["It", "'s", "fine"]);
    }
  });
});

describe("NIST international_tokenize", () => {
  it("splits punctuation from letters, which the 'Number' set contains", () => {
    expect(nistInternationalTokenize("a.b")).toEqual(["a", ".", "b"]);
    expect(nistInternationalTokenize("file_name-v2.pdf")).toEqual(["file", "_", "name", "-", "v2", ".", "pdf"]);
  });

  it("keeps punctuation between digits and spaces, which are in no set", () => {
    expect(nistInternationalTokenize("Temp is 3.88 degrees\tnow")).toEqual(["Temp", "is", "3.88", "degrees", "now"]);
    expect(nistInternationalTokenize("It costs 1,000 dollars at 10:30 today.")).toEqual([
      "It", "costs", "1,000", "dollars", "at", "10:30", "today", ".",
    ]);
    expect(nistInternationalTokenize("Step 1: go")).toEqual(["Step", "1:", "go"]);
  });

  it("separates ASCII from non-ASCII runs", () => {
    expect(nistInternationalTokenize("日本語test")).toEqual(["日本語", "test"]);
    expect(nistInternationalTokenize("naïve café.")).toEqual(["na", "ï", "ve", "caf", "é", "."]);
  });

  it("leaves CJK ideographs whole but splits kana from 。", () => {
    expect(nistInternationalTokenize("東京は首都。人口")).toEqual(["東京は首都。人口"]);
    expect(nistInternationalTokenize("です。人口")).toEqual(["です", "。", "人口"]);
  });

  it("pads symbols", () => {
    expect(nistInternationalTokenize("€5 and 😀!")).toEqual(["€", "5", "and", "😀", "!"]);
  });

  it("strips <skipped>, maps U+2028 to a space and unescapes XML", () => {
    expect(nistInternationalTokenize("a<skipped>b 東")).toEqual(["ab", "東"]);
    expect(nistInternationalTokenize("x\u2028y")).toEqual(["x", "y"]);
    expect(nistInternationalTokenize("&amp;lt;")).toEqual(["&", "lt", ";"]);
    expect(nistInternationalTokenize("&quot;hi&quot; &#124; &#91;x&#93; 東")).toEqual([
      '"', "hi", '"', "|", "[", "x", "]", "東",
    ]);
  });
});

describe("TOKENIZERS registry", () => {
  const text = "Hello world. It's fine.";
  it("names the three tokenizers used in result signatures", () => {
    expect(Object.keys(TOKENIZERS).sort()).toEqual(["nltk_tokenize", "split", "treebank"]);
    expect(TOKENIZERS.split(text)).toEqual(["Hello", "world.", "It's", "fine."]);
    expect(TOKENIZERS.treebank(text)).toEqual(["Hello", "world.", "It", "'s", "fine", "."]);
    expect(TOKENIZERS.nltk_tokenize(text)).toEqual(["Hello", "world", ".", "It", "'s", "fine", "."]);
  });
});

describe("memoised chunking of the word tokenizer", () => {
  // The fast path tokenizes space-separated chunks one by one (memoised) and only the tail of a
  // sentence with the full rule list; it must agree with the plain rule-by-rule tokenizer.
  const pieces = [
    " ", " ", " ", "  ", "\u00a0", "\t", "a", "Ab", "x1", "é", "²", ".", "..", "...", ",", ":", ";", "!", "?",
    "'", "''", '"', "`", "``", "(", ")", "[", "]", "{", "}", "<", ">", "-", "--", "*", "&", "«", "»", "“", "”",
    "‘", "’", "can", "not", "cannot", "gonna", "wanna", "gimme", "d'ye", "more'n", "'tis", "'Twas", "don't",
    "it's", "we'll", "I'M", "U.S.", "Mr.", "1,000", "10:30",
  ];
  const next = seededBelow(12345);
  const texts = Array.from({ length: 3000 }, () =>
    Array.from({ length: next(14) }, () => pieces[next(pieces.length)]).join(""),
  );

  it("gives the same tokens as the rule-by-rule tokenizer on random text", () => {
    const mismatches = texts.filter(
      (t) =>
        JSON.stringify(treebankWordTokenize(t, { preserveLine: true })) !== JSON.stringify(rewriteAndSplit(t)),
    );
    expect(mismatches).toEqual([]);
  });
});
