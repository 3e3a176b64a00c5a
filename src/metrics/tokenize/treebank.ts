// `nltk.word_tokenize(text, preserve_line=...)`: NLTK's NLTKWordTokenizer (the improved
// "destructive" Treebank tokenizer of nltk 3.9.1), optionally after Punkt sentence splitting.
// The tokenizer is a fixed sequence of regex rewrites followed by Python's str.split(); each step
// below mirrors one NLTK regex, rewritten with Python's Unicode classes (see pyregex.ts):
// Python `\b` next to a known word char becomes a one-sided look-around, `$` (end, or before a
// final "\n") becomes `(?=\n?$)` where the difference can show.

import { ChunkMemo, HASH_START, MAX_KEY, MemoFirstPolicy, hashFinish, hashStep, hashUnits, textUnits } from "./chunk-memo.js";
import { punktSpans } from "./punkt.js";
import { PY_DIGIT, PY_SPACE, PY_WORD, isPySpace } from "./pyregex.js";
import { LATIN1_WORD, pushWord, scanChunk } from "./treebank-scan.js";
import { pythonSplit } from "./whitespace.js";

type Rule = readonly [RegExp, string];

const NOT_WORD_BEFORE = `(?<![${PY_WORD}])`; // `\b` before a word char
const NOT_WORD_AFTER = `(?![${PY_WORD}])`; // `\b` after a word char

// Starting quotes.
const QUOTES_OPEN_UNICODE: Rule = [/([«“‘„]|`+)/gu, " $1 "];
const QUOTE_AT_START: Rule = [/^"/u, "``"];
const DOUBLE_BACKTICK: Rule = [/(``)/gu, " $1 "];
const QUOTE_AFTER_OPENER: Rule = [/([ ([{<])("|'{2})/gu, "$1 `` "];
// An apostrophe before a word char is split off unless a clitic follows (Python `(?i)`).
const APOSTROPHE_WORD: Rule = [
  new RegExp(`(')(?!re|ve|ll|m|t|s|d|n)([${PY_WORD}])${NOT_WORD_AFTER}`, "giu"),
  "$1 $2",
];

// Punctuation. The first and sixth rules both target the sentence-final period, as in NLTK.
const FINAL_PERIOD_1: Rule = [
  new RegExp(`([^.])(\\.)([\\])}>"'»”’ ]*)[${PY_SPACE}]*$`, "u"),
  "$1 $2 $3 ",
];
const COMMA_COLON_NOT_DIGIT: Rule = [new RegExp(`([:,])([^${PY_DIGIT}])`, "gu"), " $1 $2"];
const COMMA_COLON_AT_END: Rule = [/([:,])(?=\n?$)/u, " $1 "];
const ELLIPSIS: Rule = [/\.{2,}/gu, " $& "];
const MISC_PUNCT: Rule = [/[;@#$%&]/gu, " $& "];
const FINAL_PERIOD_2: Rule = [new RegExp(`([^.])(\\.)([\\])}>"']*)[${PY_SPACE}]*$`, "u"), "$1 $2$3 "];
const QUESTION_EXCLAIM: Rule = [/[?!]/gu, " $& "];
const APOSTROPHE_SPACE: Rule = [/([^'])' /gu, "$1 ' "];
const ASTERISK: Rule = [/\*/gu, " $& "];

const PARENS_BRACKETS: Rule = [/[\][(){}<>]/gu, " $& "];
const DOUBLE_DASH: Rule = [/--/gu, " -- "];

// Ending quotes (applied after padding the text with a space on each side).
const QUOTES_CLOSE_UNICODE: Rule = [/([»”’])/gu, " $1 "];
const TWO_APOSTROPHES: Rule = [/''/gu, " '' "];
const DOUBLE_QUOTE: Rule = [/"/gu, " '' "];
// nltk 3.9: every whitespace run becomes one space before the clitic rules, so a clitic followed
// by a tab, NBSP, U+2028... splits like one followed by a space (3.8 kept `It's\u00a0` whole).
const WHITESPACE_RUN: Rule = [new RegExp(`[${PY_SPACE}]+`, "gu"), " "];
const CLITIC_SMD: Rule = [/([^' ])('[sS]|'[mM]|'[dD]|') /gu, "$1 $2 "];
const CLITIC_OTHER: Rule = [/([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) /gu, "$1 $2 "];

// Robert MacIntyre's fused forms. Python's case-insensitive `i` also matches `ı` and `İ`, which
// JS's case folding does not, so `i` is spelled out.
const I = "[iı\\u0130]";
const contraction = (body: string): Rule => [new RegExp(body, "giu"), " $1 $2 "];
const CONTRACTIONS: readonly Rule[] = [
  contraction(`${NOT_WORD_BEFORE}(can)(not)${NOT_WORD_AFTER}`),
  contraction(`${NOT_WORD_BEFORE}(d)('ye)${NOT_WORD_AFTER}`),
  contraction(`${NOT_WORD_BEFORE}(g${I}m)(me)${NOT_WORD_AFTER}`),
  contraction(`${NOT_WORD_BEFORE}(gon)(na)${NOT_WORD_AFTER}`),
  contraction(`${NOT_WORD_BEFORE}(got)(ta)${NOT_WORD_AFTER}`),
  contraction(`${NOT_WORD_BEFORE}(lem)(me)${NOT_WORD_AFTER}`),
  contraction(`${NOT_WORD_BEFORE}(more)('n)${NOT_WORD_AFTER}`),
  contraction(`${NOT_WORD_BEFORE}(wan)(na)(?=[${PY_SPACE}])`),
  contraction(` ('t)(${I}s)${NOT_WORD_AFTER}`),
  contraction(` ('t)(was)${NOT_WORD_AFTER}`),
];
// Cheap pre-test: the contraction rules can only fire if one of these letter groups occurs.
const CONTRACTION_HINT = new RegExp(`can|d'|g${I}m|gon|got|lem|more|wan|'t`, "iu");

function apply(text: string, [re, sub]: Rule): string {
  return text.replace(re, sub);
}

// Bits of a one-pass scan telling which groups of rules can possibly match (speed only: a rule
// whose trigger characters are absent leaves the text unchanged anyway).
const HAS_QUOTE = 1; // " ` ' and the Unicode quotes
const HAS_COMMA_COLON = 2;
const HAS_PERIOD = 4;
const HAS_MISC = 8; // ; @ # $ % &
const HAS_QE = 16; // ? !
const HAS_STAR = 32;
const HAS_BRACKET = 64;
const HAS_DASH = 128;

function scanTriggers(text: string): number {
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case 0x22: case 0x27: case 0x60: case 0xab: case 0xbb:
      case 0x2018: case 0x2019: case 0x201c: case 0x201d: case 0x201e:
        bits |= HAS_QUOTE; break;
      case 0x2c: case 0x3a:
        bits |= HAS_COMMA_COLON; break;
      case 0x2e:
        bits |= HAS_PERIOD; break;
      case 0x3b: case 0x40: case 0x23: case 0x24: case 0x25: case 0x26:
        bits |= HAS_MISC; break;
      case 0x3f: case 0x21:
        bits |= HAS_QE; break;
      case 0x2a:
        bits |= HAS_STAR; break;
      case 0x5b: case 0x5d: case 0x28: case 0x29: case 0x7b: case 0x7d: case 0x3c: case 0x3e:
        bits |= HAS_BRACKET; break;
      case 0x2d:
        bits |= HAS_DASH; break;
    }
  }
  return bits;
}

/**
 * NLTKWordTokenizer.tokenize(sentence) (no parenthesis conversion), rule by rule, without the
 * chunk memo below. Exported for tests only.
 */
export function rewriteAndSplit(sentence: string): string[] {
  const bits = scanTriggers(sentence);
  let t = sentence;
  if (bits & HAS_QUOTE) {
    t = apply(t, QUOTES_OPEN_UNICODE);
    t = apply(t, QUOTE_AT_START);
    t = apply(t, DOUBLE_BACKTICK);
    t = apply(t, QUOTE_AFTER_OPENER);
    t = apply(t, APOSTROPHE_WORD);
  }
  if (bits & HAS_PERIOD) t = apply(t, FINAL_PERIOD_1);
  if (bits & HAS_COMMA_COLON) {
    t = apply(t, COMMA_COLON_NOT_DIGIT);
    t = apply(t, COMMA_COLON_AT_END);
  }
  if (bits & HAS_PERIOD) t = apply(t, ELLIPSIS);
  if (bits & HAS_MISC) t = apply(t, MISC_PUNCT);
  if (bits & HAS_PERIOD) t = apply(t, FINAL_PERIOD_2);
  if (bits & HAS_QE) t = apply(t, QUESTION_EXCLAIM);
  if (bits & HAS_QUOTE) t = apply(t, APOSTROPHE_SPACE);
  if (bits & HAS_STAR) t = apply(t, ASTERISK);
  if (bits & HAS_BRACKET) t = apply(t, PARENS_BRACKETS);
  if (bits & HAS_DASH) t = apply(t, DOUBLE_DASH);

  t = " " + t + " ";
  if (bits & HAS_QUOTE) {
    t = apply(t, QUOTES_CLOSE_UNICODE);
    t = apply(t, TWO_APOSTROPHES);
    t = apply(t, DOUBLE_QUOTE);
    // Only the clitic and `'t` rules read literal spaces, and each needs an apostrophe: without
    // a quote the collapse changes no token, so it stays inside this block.
    t = apply(t, WHITESPACE_RUN);
    t = apply(t, CLITIC_SMD);
    t = apply(t, CLITIC_OTHER);
  }
  if (CONTRACTION_HINT.test(t)) {
    for (const rule of CONTRACTIONS) t = apply(t, rule);
  }
  return pythonSplit(t);
}

// ---------------------------------------------------------------------------------------------
// Speed: the same result, one space-separated chunk at a time, memoised.
//
// Every rule above is local around U+0020 spaces: no match runs across a space into the next
// chunk, lookarounds only inspect the space itself, and a rule that consumes a space puts it back.
// (nltk 3.9's whitespace collapse turns whitespace inside a chunk into spaces, which the chunk's
// own tokenization sees, and a run reaching a chunk's edge into the one space that is there.)
// (The one overlap, `([^'])' ` eating the space before a lone `'` chunk, only changes spacing
// around a token that is already separated.) The exceptions are anchored at the ends of the text:
// `^"` (first chunk only) and the final-period / final-comma rules, whose match may reach back over
// closing brackets, quotes and spaces. So a sentence's tokens are: its first chunk tokenized as if
// at the start of a text, each middle chunk tokenized between spaces, and the tail (from the
// last space before the final run of closers and spaces, minus one char) through the full rule
// list. The tests compare this with rewriteAndSplit on random text; it was also checked against
// NLTK itself on 200,000+ random strings.

// Closers of the final-period rule, plus Python whitespace: what may follow a sentence's last `.`.
function isCloserOrSpace(c: number): boolean {
  switch (c) {
    case 0x5d: case 0x29: case 0x7d: case 0x3e: case 0x22: case 0x27:
    case 0xbb: case 0x201d: case 0x2019:
      return true;
  }
  return isPySpace(c);
}

// Memos looked up by range (no substring per lookup); see chunk-memo.ts.
const midMemo = new ChunkMemo<readonly string[]>(16);
const startMemo = new ChunkMemo<readonly string[]>(14);
const tailMemo = new ChunkMemo<readonly string[]>(15);
const sentenceMemo = new ChunkMemo<readonly string[]>(14);

// A chunk is tokenized with a sentinel chunk after it, so that the end-anchored rules cannot fire.
const SENTINEL = " x";

function chunkTokensUncached(chunk: string, atStart: boolean): string[] {
  const all = rewriteAndSplit((atStart ? "" : " ") + chunk + SENTINEL);
  all.pop(); // the sentinel's own token
  return all;
}

/**
 * Tokens of the chunk text[from, to) (no U+0020 in it), at the start of its sentence or not,
 * through the memo; `hash` is its hashUnits, `plainWord` whether it is word chars only. A miss
 * is scanned (treebank-scan.ts), and only what the scanner leaves goes through the rule list.
 */
function chunkTokens(text: string, u: Uint16Array, from: number, to: number, atStart: boolean, hash: number, plainWord: boolean): readonly string[] {
  const memo = atStart ? startMemo : midMemo;
  const memoised = to - from <= MAX_KEY;
  if (memoised) {
    const hit = memo.get(u, from, to, hash);
    chunkPolicy.record(hit !== undefined);
    if (hit !== undefined) return hit;
  }
  let toks: string[] = [];
  if (plainWord) pushWord(text, u, from, to, toks);
  else if (!scanChunk(text, u, from, to, false, atStart, toks)) toks = chunkTokensUncached(text.slice(from, to), atStart);
  if (memoised) memo.set(u, from, to, hash, toks);
  return toks;
}

/** Memo or scanner first for the chunks of a sentence (chunk-memo.ts says why). */
const chunkPolicy = new MemoFirstPolicy();

/** Memo or scanner first for sentence tails and short sentences (their hit rate is their own). */
const tailPolicy = new MemoFirstPolicy();

/**
 * rewriteAndSplit(text.slice(from, to)) for a sentence's tail or a whole sentence, appended to out, memoised (one
 * lookup per sentence, which short and repeated texts hit) while the lookups mostly hit; on a
 * miss, or while they mostly miss, when text[scanFrom, to) is all of it that is not spaces (one
 * chunk), that chunk is scanned (treebank-scan.ts).
 */
function rulesAt(memo: ChunkMemo<readonly string[]>, text: string, u: Uint16Array, from: number, to: number, scanFrom: number, out: string[]): void {
  if (!(to - from <= MAX_KEY && tailPolicy.throughMemo())) {
    // Straight into out, with no array of its own (the open vocabulary's path).
    scanOrRulesInto(text, u, from, to, scanFrom, out);
    return;
  }
  const hash = hashUnits(u, from, to);
  const hit = memo.get(u, from, to, hash);
  tailPolicy.record(hit !== undefined);
  if (hit !== undefined) {
    pushAll(out, hit);
    return;
  }
  const toks: string[] = [];
  scanOrRulesInto(text, u, from, to, scanFrom, toks);
  memo.set(u, from, to, hash, toks);
  pushAll(out, toks);
}

/**
 * Tokens of text[from, to) appended to into: by the scanner when the part after scanFrom has no
 * space and the scanner takes it (it appends only when it does), else by the rule passes.
 */
function scanOrRulesInto(text: string, u: Uint16Array, from: number, to: number, scanFrom: number, into: string[]): void {
  if (!(noSpaceIn(u, scanFrom, to) && scanChunk(text, u, scanFrom, to, true, scanFrom === from, into))) pushAll(into, rewriteAndSplit(text.slice(from, to)));
}

function pushAll(out: string[], toks: readonly string[]): void {
  for (let k = 0; k < toks.length; k++) out.push(toks[k]!);
}

/** Tokens of the sentence text[s, e) (u: the text's units), appended to out. */
function tokenizeSentenceInto(text: string, u: Uint16Array, s: number, e: number, out: string[]): void {
  // Last char that is neither a closer nor whitespace; the final-period rule can only start at
  // the char before it. The tail starts at the last space before that char's predecessor.
  let q = e - 1;
  while (q >= s && isCloserOrSpace(u[q]!)) q--;
  let tailStart = -1;
  if (q - s >= 2) {
    for (let i = q - 2; i >= s; i--) {
      if (u[i] === 0x20) {
        tailStart = i;
        break;
      }
    }
  }
  if (tailStart <= s) {
    rulesAt(sentenceMemo, text, u, s, e, s, out);
    return;
  }

  // Each chunk goes through its memo or straight to the scanner (treebank-scan.ts), as the
  // policy says; the memos also serve the chunks the scanner leaves to the rules. A chunk of word
  // chars only (most of them) is told apart while finding its end (and hashing it for the memo:
  // two loops, so that the scanner's path, the open vocabulary's, takes no hash step per unit).
  let pos = s;
  while (pos < tailStart) {
    if (u[pos] === 0x20) {
      pos++; // a second space
      continue;
    }
    let end = pos;
    let word = 1;
    if (chunkPolicy.throughMemo()) {
      let h = HASH_START;
      for (; end < tailStart; end++) {
        const c = u[end]!;
        if (c === 0x20) break;
        word &= c < 256 ? LATIN1_WORD[c]! : 0;
        h = hashStep(h, c);
      }
      pushAll(out, chunkTokens(text, u, pos, end, pos === s, hashFinish(h), word === 1));
    } else {
      for (; end < tailStart; end++) {
        const c = u[end]!;
        if (c === 0x20) break;
        word &= c < 256 ? LATIN1_WORD[c]! : 0;
      }
      if (word === 1) pushWord(text, u, pos, end, out);
      else if (!scanChunk(text, u, pos, end, false, pos === s, out)) pushAll(out, chunkTokensUncached(text.slice(pos, end), pos === s));
    }
    pos = end + 1;
  }
  rulesAt(tailMemo, text, u, tailStart, e, tailStart + 1, out);
}

function noSpaceIn(u: Uint16Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (u[i] === 0x20) return false;
  return true;
}

export interface TreebankOptions {
  /** true: tokenize the text as one line, without Punkt sentence splitting (NLTK's default: false). */
  preserveLine?: boolean;
}

/** `nltk.word_tokenize(text, preserve_line=...)` with the English Punkt model. */
export function treebankWordTokenize(text: string, options?: TreebankOptions): string[] {
  return tokenizeUnits(text, textUnits(text), options?.preserveLine === true);
}

/** treebankWordTokenize with the text's units already in `u` (textUnits). */
export function tokenizeUnits(text: string, u: Uint16Array, preserveLine: boolean): string[] {
  const out: string[] = [];
  if (preserveLine) {
    tokenizeSentenceInto(text, u, 0, text.length, out);
    return out;
  }
  const spans = punktSpans(text, u);
  for (let k = 0; k < spans.length; k += 2) tokenizeSentenceInto(text, u, spans[k]!, spans[k + 1]!, out);
  return out;
}
