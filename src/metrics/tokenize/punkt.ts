// NLTK's PunktSentenceTokenizer (nltk 3.8 / 3.9 `sent_tokenize`) with the pre-trained English
// parameters in data/punkt-english.json. Only sentence splitting is ported, not training. Indices
// are UTF-16 offsets throughout; they are only used to slice the same JS string, so they agree with
// Python's code-point offsets wherever it matters.

import { readFileSync } from "node:fs";
import { HashFilter, hashChars } from "../hash-filter.js";
import { HASH_START, MemoFirstPolicy, hashStep, textUnits } from "./chunk-memo.js";
import { PY_DIGIT, PY_SPACE, isPySpace, pyHasNonSpace, pyRstripLength } from "./pyregex.js";

// ---------------------------------------------------------------------------------------------
// Parameters (loaded once, on first use)

export interface PunktParams {
  abbrevTypes: Set<string>;
  /** "type1\0type2" */
  collocations: Set<string>;
  sentStarters: Set<string>;
  orthoContext: Map<string, number>;
  /** type1 → the type2s it forms a collocation with (the same pairs as `collocations`) */
  collocates: Map<string, Set<string>>;
  /**
   * The hashChars of each abbreviation type and each first type of a collocation: a word the
   * filter rules out (by lowerAsciiHash) is neither, known without a lower-cased string.
   */
  firstTypes: HashFilter;
}

interface PunktFile {
  abbrev_types: string[];
  collocations: [string, string][];
  sent_starters: string[];
  ortho_context: Record<string, number>;
}

let params: PunktParams | undefined;

export function loadParams(): PunktParams {
  if (params) return params;
  const raw = JSON.parse(
    readFileSync(new URL("../../../data/punkt-english.json", import.meta.url), "utf8"),
  ) as PunktFile;
  const collocates = new Map<string, Set<string>>();
  for (const [a, b] of raw.collocations) {
    // Pairs and "a\0b" keys agree as long as no parameter string holds a NUL.
    if (a.includes("\0") || b.includes("\0")) throw new Error("punkt: NUL in a collocation");
    let set = collocates.get(a);
    if (set === undefined) collocates.set(a, (set = new Set()));
    set.add(b);
  }
  const firstTypes = new HashFilter(FIRST_TYPES_LOG2_BITS);
  for (const type of [...raw.abbrev_types, ...collocates.keys()]) firstTypes.add(hashChars(type));
  params = {
    firstTypes,
    abbrevTypes: new Set(raw.abbrev_types),
    collocations: new Set(raw.collocations.map(([a, b]) => collocationKey(a, b))),
    sentStarters: new Set(raw.sent_starters),
    orthoContext: new Map(Object.entries(raw.ortho_context)),
    collocates,
  };
  return params;
}

/** Size of PunktParams.firstTypes: ~160 types in 2^16 bits, so a new word nearly never passes. */
const FIRST_TYPES_LOG2_BITS = 16;

/**
 * hashChars of u[from, to) lower-cased, for a run of ASCII letters and digits: `c | 0x20` is
 * the lower case of a letter and leaves a digit as it is.
 */
function lowerAsciiHash(u: Uint16Array, from: number, to: number): number {
  let h = HASH_START;
  for (let i = from; i < to; i++) h = hashStep(h, u[i]! | 0x20);
  return h;
}

function collocationKey(a: string, b: string): string {
  return a + "\0" + b;
}

// Orthographic-context flags, as in the model file.
const ORTHO_BEG_UC = 1 << 1;
const ORTHO_MID_UC = 1 << 2;
const ORTHO_UNK_UC = 1 << 3;
const ORTHO_BEG_LC = 1 << 4;
const ORTHO_MID_LC = 1 << 5;
const ORTHO_UNK_LC = 1 << 6;
const ORTHO_UC = ORTHO_BEG_UC | ORTHO_MID_UC | ORTHO_UNK_UC;
const ORTHO_LC = ORTHO_BEG_LC | ORTHO_MID_LC | ORTHO_UNK_LC;

// ---------------------------------------------------------------------------------------------
// Regexes of PunktLanguageVars (English defaults)

// Characters that cannot appear within words: `) " ; } ] * : @ ' ( { [` plus `?` and `!`.
export const NON_WORD = `[)";}\\]*:@'({[?!]`;
// Hyphen runs and ellipses are multi-character punctuation.
const MULTI_CHAR = `(?:-{2,}|\\.{2,}|(?:\\.[${PY_SPACE}]){2,}\\.)`;
const WORD_START = `[^("\`{\\[:;&#*@)}\\]\\-,]`;

// Punkt's own word tokenizer (splits off punctuation other than periods), applied per line, so
// Python's `$` (end, or before a final "\n") is plain end of string here.
const PUNKT_WORD_RE = new RegExp(
  `${MULTI_CHAR}` +
    `|(?=${WORD_START})[^${PY_SPACE}]+?` +
    `(?=[${PY_SPACE}]|$|${NON_WORD}|${MULTI_CHAR}|,(?=$|[${PY_SPACE}]|${NON_WORD}|${MULTI_CHAR}))` +
    `|[^${PY_SPACE}]`,
  "gu",
);

// Closing punctuation that belongs to the sentence before a break. Python compiles it with
// MULTILINE, where `$` means "before any \n, or at the end" (JS's `m` flag would add \r, U+2028...).
export const BOUNDARY_REALIGN_RE = new RegExp(`^["')\\]}]+?(?:[${PY_SPACE}]+|(?=--)|(?=\\n)|$)`, "u");

// PunktToken's regexes; tokens never hold "\n", so Python's `$` is plain end of string.
const NUMERIC_RE = new RegExp(`^-?[.,]?[${PY_DIGIT}][${PY_DIGIT},.\\-]*\\.?$`, "u");
const ELLIPSIS_RE = /^\.\.+$/;
// `[^\W\d]\.$`: one Python word char that is not a decimal digit (\p{Nd}), then the period.
const INITIAL_RE = /^[\p{L}\p{Nl}\p{No}_]\.$/u;
const FIRST_UPPER_RE = /^\p{Uppercase}/u;
const FIRST_LOWER_RE = /^\p{Lowercase}/u;

// The regexes above, with the answer for an ASCII first char read off its code (\p{Uppercase}
// and \p{Lowercase} hold no ASCII beyond A-Z and a-z; a number starts with - . , or a digit; an
// ellipsis with a period; an initial is one code point and a period). Most tokens are new words
// of an open vocabulary, each annotated once, and a regex test costs more than the rest of it.
function startsUpper(tok: string): boolean {
  const c = tok.charCodeAt(0);
  return c < 128 ? c >= 0x41 && c <= 0x5a : FIRST_UPPER_RE.test(tok);
}

function startsLower(tok: string): boolean {
  const c = tok.charCodeAt(0);
  return c < 128 ? c >= 0x61 && c <= 0x7a : FIRST_LOWER_RE.test(tok);
}

function isNumeric(lower: string): boolean {
  const c = lower.charCodeAt(0);
  if (c < 128 && c !== 0x2d && c !== 0x2e && c !== 0x2c && (c < 0x30 || c > 0x39)) return false;
  return NUMERIC_RE.test(lower);
}

function isEllipsis(tok: string): boolean {
  return tok.charCodeAt(0) === 0x2e && ELLIPSIS_RE.test(tok);
}

function isInitialToken(tok: string): boolean {
  return tok.length <= 3 && INITIAL_RE.test(tok);
}

// ---------------------------------------------------------------------------------------------
// Tokens and their annotation

interface PunktToken {
  tok: string;
  type: string;
  periodFinal: boolean;
  sentbreak: boolean;
  abbr: boolean;
  ellipsis: boolean;
}

function makeToken(tok: string): PunktToken {
  const lower = tok.toLowerCase();
  return {
    tok,
    // Number-like tokens share one type so that the model generalises over them.
    type: isNumeric(lower) ? "##number##" : lower,
    periodFinal: tok.endsWith("."),
    sentbreak: false,
    abbr: false,
    ellipsis: false,
  };
}

function typeNoPeriod(t: PunktToken): string {
  return t.type.length > 1 && t.type.endsWith(".") ? t.type.slice(0, -1) : t.type;
}

function typeNoSentPeriod(t: PunktToken): string {
  return t.sentbreak ? typeNoPeriod(t) : t.type;
}

/** Punkt tokens of a context string: split into lines, then punctuation other than periods. */
function tokenizeWords(text: string): PunktToken[] {
  const out: PunktToken[] = [];
  for (const line of text.split("\n")) {
    if (!pyHasNonSpace(line)) continue;
    for (const m of line.matchAll(PUNKT_WORD_RE)) out.push(makeToken(m[0]));
  }
  return out;
}

/** First pass: decisions from the token alone. */
function annotateFirstPass(t: PunktToken, p: PunktParams): void {
  const tok = t.tok;
  if (tok === "." || tok === "?" || tok === "!") {
    t.sentbreak = true;
  } else if (isEllipsis(tok)) {
    t.ellipsis = true;
  } else if (t.periodFinal && !tok.endsWith("..")) {
    const stem = tok.slice(0, -1).toLowerCase();
    const lastPart = stem.slice(stem.lastIndexOf("-") + 1);
    if (p.abbrevTypes.has(stem) || p.abbrevTypes.has(lastPart)) t.abbr = true;
    else t.sentbreak = true;
  }
}

type Ortho = true | false | "unknown";

/** Orthographic heuristic: does this token start a sentence? */
function orthoHeuristic(t: PunktToken, p: PunktParams): Ortho {
  return orthoOf(t.tok, p.orthoContext.get(typeNoSentPeriod(t)) ?? 0);
}

/** orthoHeuristic of the token `tok`, whose type's orthographic context is `ctx`. */
function orthoOf(tok: string, ctx: number): Ortho {
  if (tok === ";" || tok === ":" || tok === "," || tok === "." || tok === "!" || tok === "?") {
    return false;
  }
  if (startsUpper(tok) && ctx & ORTHO_LC && !(ctx & ORTHO_MID_UC)) return true;
  if (startsLower(tok) && (ctx & ORTHO_UC || !(ctx & ORTHO_BEG_LC))) return false;
  return "unknown";
}

/** Second pass: revise the decision on `t1` using the (first-pass annotated) next token. */
function annotateSecondPass(t1: PunktToken, t2: PunktToken, p: PunktParams): void {
  if (!t1.periodFinal) return;
  const typ = typeNoPeriod(t1);
  const nextTyp = typeNoSentPeriod(t2);
  const isInitial = isInitialToken(t1.tok);

  if (p.collocations.has(collocationKey(typ, nextTyp))) {
    t1.sentbreak = false;
    t1.abbr = true;
    return;
  }

  if ((t1.abbr || t1.ellipsis) && !isInitial) {
    if (orthoHeuristic(t2, p) === true) {
      t1.sentbreak = true;
      return;
    }
    if (startsUpper(t2.tok) && p.sentStarters.has(nextTyp)) {
      t1.sentbreak = true;
      return;
    }
  }

  if (isInitial || typ === "##number##") {
    const starter = orthoHeuristic(t2, p);
    if (starter === false) {
      t1.sentbreak = false;
      t1.abbr = true;
      return;
    }
    if (
      starter === "unknown" &&
      isInitial &&
      startsUpper(t2.tok) &&
      !((p.orthoContext.get(nextTyp) ?? 0) & ORTHO_LC)
    ) {
      t1.sentbreak = false;
      t1.abbr = true;
    }
  }
}

/** Does the context hold a break that is followed by another token? */
export function containsSentBreak(context: string, p: PunktParams): boolean {
  const toks = tokenizeWords(context);
  for (const t of toks) annotateFirstPass(t, p);
  // A break on the last token does not count: NLTK only returns True on seeing a token after it.
  for (let i = 0; i + 1 < toks.length; i++) {
    const t = toks[i]!;
    annotateSecondPass(t, toks[i + 1]!, p);
    if (t.sentbreak) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Speed: the same decisions as NLTK's code (ported plainly in ../reference/punkt.ts, which the
// tests compare this with) without regex scans of the whole text or per-call token objects.
//
// - Candidates are found with a char loop that does what Punkt's period-context regex does: a
//   mark, then either one NON_WORD char, or a whitespace run and the maximal non-space run after
//   it.
// - A candidate's context is a substring of the text (word before, mark, what follows). Punkt's
//   word regex never matches across whitespace, except for the spaced ellipsis `. . .`, and its
//   look-aheads see whitespace and end of line alike; so unless the context holds a `.`, one
//   whitespace char and another `.` (then containsSentBreak above decides), its tokens are those of
//   each whitespace-free chunk on its own, memoised per chunk.
// - A token's first-pass annotation depends on the token alone and the second pass on two
//   first-pass tokens, so everything either pass reads is computed once per distinct token.

/** What the two passes read of one token, in its first-pass state (immutable, shared). */
interface TokenInfo {
  periodFinal: boolean;
  /** first-pass sentbreak */
  sentbreak: boolean;
  /** first-pass abbr or ellipsis */
  abbrOrEllipsis: boolean;
  isInitial: boolean;
  /** type without its final period */
  typeNoPeriod: string;
  /** collocation partners of typeNoPeriod (when this token is the first of a pair) */
  collocates: Set<string> | undefined;
  /** type without a sentence-final period (when this token is the second of a pair) */
  nextTyp: string;
  ortho: Ortho;
  upper: boolean;
  sentStarter: boolean;
  orthoLc: boolean;
}

const INFO_LIMIT = 50_000;
const tokenInfos = new Map<string, TokenInfo>();

/**
 * Memo or not: a closed vocabulary's tokens hit ~95% of the time, an open one's ~32% (punctuation
 * and words repeated within a text), where a look-up and an insertion per new token cost more than
 * they save.
 */
const infoPolicy = new MemoFirstPolicy();

function tokenInfo(tok: string, p: PunktParams): TokenInfo {
  if (!infoPolicy.throughMemo()) return annotatedInfo(tok, p);
  let info = tokenInfos.get(tok);
  infoPolicy.record(info !== undefined);
  if (info !== undefined) return info;
  info = annotatedInfo(tok, p);
  if (tokenInfos.size >= INFO_LIMIT) tokenInfos.clear();
  tokenInfos.set(tok, info);
  return info;
}

function annotatedInfo(tok: string, p: PunktParams): TokenInfo {
  const t = makeToken(tok);
  annotateFirstPass(t, p);
  const typeNP = typeNoPeriod(t);
  const nextTyp = typeNoSentPeriod(t);
  const ctx = p.orthoContext.get(nextTyp) ?? 0;
  return {
    periodFinal: t.periodFinal,
    sentbreak: t.sentbreak,
    abbrOrEllipsis: t.abbr || t.ellipsis,
    isInitial: isInitialToken(tok),
    typeNoPeriod: typeNP,
    collocates: p.collocates.get(typeNP),
    nextTyp,
    ortho: orthoOf(tok, ctx),
    upper: startsUpper(tok),
    sentStarter: p.sentStarters.has(nextTyp),
    orthoLc: (ctx & ORTHO_LC) !== 0,
  };
}

/** `( " \` { [ : ; & # * @ ) } ] - ,`: what a Punkt word cannot start with (WORD_START's complement). */
function isNotWordStart(c: number): boolean {
  switch (c) {
    case 0x28: case 0x22: case 0x60: case 0x7b: case 0x5b: case 0x3a: case 0x3b: case 0x26:
    case 0x23: case 0x2a: case 0x40: case 0x29: case 0x7d: case 0x5d: case 0x2d: case 0x2c:
      return true;
  }
  return false;
}

/** A MULTI_CHAR run (`--`... or `..`...) starting at u[i], within u[.., end)? (No spaced ellipsis: see below.) */
function multiCharAt(u: Uint16Array, i: number, end: number): boolean {
  if (i + 1 >= end) return false;
  const c = u[i]!;
  return (c === 0x2d || c === 0x2e) && u[i + 1] === c;
}

/**
 * The end of the Punkt word token (PUNKT_WORD_RE) that starts at u[i], in the whitespace-free
 * chunk u[.., end) (its end is whitespace or the end of the context, which the regex's
 * look-aheads treat alike). The regex's three alternatives in order: a MULTI_CHAR run; a word
 * start, then the fewest chars up to whitespace, a NON_WORD char, a MULTI_CHAR run or a comma that
 * is itself followed by one of those; one char. (The spaced ellipsis `. . .` spans whitespace, and
 * contexts holding one go to containsSentBreak.) Every unit the regex treats specially is ASCII,
 * so a surrogate pair is never cut.
 */
function punktTokenEnd(u: Uint16Array, i: number, end: number): number {
  const c = u[i]!;
  if (multiCharAt(u, i, end)) {
    let j = i + 2;
    while (j < end && u[j] === c) j++;
    return j;
  }
  if (isNotWordStart(c)) return i + 1;
  let j = i + 1;
  for (; j < end; j++) {
    const d = u[j]!;
    if (isNonWord(d) || multiCharAt(u, j, end)) break;
    if (d === 0x2c && (j + 1 === end || isNonWord(u[j + 1]!) || multiCharAt(u, j + 1, end))) break;
  }
  return j;
}

/** annotateSecondPass's verdict on t1's sentbreak, given the first-pass t1 and t2. */
function breaksBefore(t1: TokenInfo, t2: TokenInfo): boolean {
  if (!t1.periodFinal) return t1.sentbreak;
  if (t1.collocates !== undefined && t1.collocates.has(t2.nextTyp)) return false;
  if (t1.abbrOrEllipsis && !t1.isInitial) {
    if (t2.ortho === true) return true;
    if (t2.upper && t2.sentStarter) return true;
  }
  if (t1.isInitial || t1.typeNoPeriod === "##number##") {
    if (t2.ortho === false) return false;
    if (t2.ortho === "unknown" && t1.isInitial && t2.upper && !t2.orthoLc) return false;
  }
  return t1.sentbreak;
}

function isAsciiLetter(c: number): boolean {
  return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
}

function isAsciiAlnum(c: number): boolean {
  return isAsciiLetter(c) || (c >= 0x30 && c <= 0x39);
}

/** What may end the word after a mark in wordAfterMarkVerdict: `, ? ! ; : .` */
function isWordCloser(c: number): boolean {
  return c === 0x2c || c === 0x3f || c === 0x21 || c === 0x3b || c === 0x3a || c === 0x2e;
}

/** The end of the run of ASCII letters and digits from `i`, or -1 if it holds only digits. */
function alnumRunEnd(u: Uint16Array, i: number, end: number): number {
  let letters = false;
  for (; i < end; i++) {
    const c = u[i]!;
    if (isAsciiLetter(c)) letters = true;
    else if (c < 0x30 || c > 0x39) break;
  }
  return letters ? i : -1;
}

const UNDECIDED = -1;

/**
 * containsSentBreakAt for the context most candidates have: a word of ASCII letters and digits
 * (not only digits) and the mark, whitespace, and another such word, maybe closed by one of
 * `, ? ! ; : .` (`word. Next`, `word? and,`, `end. Here.`). 1 or 0 for true or false, UNDECIDED
 * for any other context.
 *
 * Why that is the general code's answer: Punkt's word regex makes `W.` one token and `W?` two
 * (`W`, `?`); the next chunk's first token is its word (with a final `.`, `X.` is one token), and
 * another closer is a token of its own that ends the context. A token without a final period
 * breaks before the next one only as its first-pass sentbreak says: never for a word, always for
 * `?` and `!`, so `W? X` breaks and the pair after X never does. Neither word is a number type
 * (it holds a letter) and only a lone letter is an initial. What remains is breaksBefore(`W.`, X),
 * spelled out below on the lower-cased words, with no token objects and nothing memoised: with
 * an open vocabulary each word is new, and its annotation was the cost (tests:
 * test/metrics/punkt-fast.test.ts).
 */
function wordAfterMarkVerdict(text: string, u: Uint16Array, start: number, end: number, p: PunktParams): number {
  const wordEnd = alnumRunEnd(u, start, end);
  if (wordEnd < 0 || wordEnd + 1 >= end) return UNDECIDED;
  const mark = u[wordEnd]!;
  if ((mark !== 0x2e && mark !== 0x3f && mark !== 0x21) || !isPySpace(u[wordEnd + 1]!)) return UNDECIDED;
  let next = wordEnd + 2;
  while (next < end && isPySpace(u[next]!)) next++;
  const nextEnd = alnumRunEnd(u, next, end);
  if (nextEnd <= next || (nextEnd < end && !(nextEnd + 1 === end && isWordCloser(u[nextEnd]!)))) return UNDECIDED;
  if (mark !== 0x2e) return 1;

  // breaksBefore(W., X)
  const isInitial = wordEnd - start === 1; // a letter: a lone digit is a number
  // Most words are neither abbreviations nor collocations' first words: the filter says so
  // without making the lower-cased string (with an open vocabulary, a new one per context).
  if (!isInitial && !p.firstTypes.mayHave(lowerAsciiHash(u, start, wordEnd))) return 1;
  const typ = text.slice(start, wordEnd).toLowerCase();
  const collocates = p.collocates.get(typ);
  const abbr = p.abbrevTypes.has(typ);
  if (collocates === undefined && !abbr && !isInitial) return 1;
  // X's type without a sentence-final period: `X.` keeps its period when it is an abbreviation.
  let nextTyp = text.slice(next, nextEnd).toLowerCase();
  if (nextEnd < end && u[nextEnd] === 0x2e && p.abbrevTypes.has(nextTyp)) nextTyp += ".";
  if (collocates !== undefined && collocates.has(nextTyp)) return 0;
  const first = u[next]!;
  const upper = first >= 0x41 && first <= 0x5a;
  const ctx = p.orthoContext.get(nextTyp) ?? 0;
  // orthoHeuristic(X): X is no punctuation token; a digit is neither upper nor lower case.
  const ortho: Ortho = upper
    ? ctx & ORTHO_LC && !(ctx & ORTHO_MID_UC) ? true : "unknown"
    : first >= 0x61 && (ctx & ORTHO_UC || !(ctx & ORTHO_BEG_LC)) ? false : "unknown";
  if (abbr && !isInitial) {
    if (ortho === true) return 1;
    if (upper && p.sentStarters.has(nextTyp)) return 1;
  }
  if (isInitial) {
    if (ortho === false) return 0;
    if (ortho === "unknown" && upper && !(ctx & ORTHO_LC)) return 0;
  }
  return abbr ? 0 : 1;
}

/** containsSentBreak(text.slice(start, end)); u holds text's units. */
function containsSentBreakAt(text: string, u: Uint16Array, start: number, end: number, p: PunktParams): boolean {
  // The verdict first, always: it decides most contexts with a slice or two and a few look-ups,
  // less than hashing the context's chunks for the memo even when they hit (an A/B in both load
  // orders: closed sets +7-17% for nltk_tokenize, bleu, gleu and METEOR, the open one 0.94-1.36),
  // so unlike the word tokenizer's chunks it needs no memo-or-verdict policy.
  const verdict = wordAfterMarkVerdict(text, u, start, end, p);
  if (verdict !== UNDECIDED) return verdict === 1;
  for (let i = start; i + 2 < end; i++) {
    if (u[i] === 0x2e && u[i + 2] === 0x2e && isPySpace(u[i + 1]!)) {
      return containsSentBreak(text.slice(start, end), p);
    }
  }
  // The context's Punkt tokens, chunk by chunk. breaksBefore(t1, t2) reads t1 beyond its
  // first-pass sentbreak only when t1 ends in a period, and t2 only then; and only `?` and `!`
  // have a first-pass sentbreak without a final period. So a token is annotated (tokenInfo) only
  // when it ends in a period or follows one that does: with an open vocabulary most tokens are
  // new, and annotating each was most of Punkt's time.
  let prev: TokenInfo | undefined; // the token before, when it ends in a period
  let prevBreaks = false; // the token before is `?` or `!`
  let i = start;
  while (i < end) {
    while (i < end && isPySpace(u[i]!)) i++;
    if (i >= end) break;
    let chunkEnd = i + 1;
    while (chunkEnd < end && !isPySpace(u[chunkEnd]!)) chunkEnd++;
    while (i < chunkEnd) {
      const j = punktTokenEnd(u, i, chunkEnd);
      if (prevBreaks) return true;
      const periodFinal = u[j - 1] === 0x2e;
      if (prev !== undefined) {
        const t = tokenInfo(text.slice(i, j), p);
        if (breaksBefore(prev, t)) return true;
        prev = periodFinal ? t : undefined;
      } else {
        prev = periodFinal ? tokenInfo(text.slice(i, j), p) : undefined;
      }
      prevBreaks = j === i + 1 && (u[i] === 0x3f || u[i] === 0x21);
      i = j;
    }
  }
  return false;
}

/** NON_WORD: `) " ; } ] * : @ ' ( { [ ? !` */
function isNonWord(c: number): boolean {
  switch (c) {
    case 0x29: case 0x22: case 0x3b: case 0x7d: case 0x5d: case 0x2a: case 0x3a:
    case 0x40: case 0x27: case 0x28: case 0x7b: case 0x5b: case 0x3f: case 0x21:
      return true;
  }
  return false;
}

/**
 * Offset from `from` of the last ASCII whitespace in text[from, to), 0 if none (NLTK scans for
 * Python's string.whitespace, which lacks NBSP). The last space is found natively; only the
 * units after it (or all of them, when there is none) are checked for \t \n \v \f \r.
 */
function lastAsciiSpaceIndex(text: string, u: Uint16Array, from: number, to: number): number {
  const space = to > from ? text.lastIndexOf(" ", to - 1) : -1;
  const low = space >= from ? space + 1 : from;
  for (let i = to - 1; i >= low; i--) {
    const c = u[i]!;
    if (c >= 0x09 && c <= 0x0d) return i - from;
  }
  return space >= from ? space - from : 0;
}

/** The next of `.`, `?` and `!` in text from `from` (-1 for none), from their next positions. */
function nextOf(a: number, b: number, c: number): number {
  let m = a;
  if (b >= 0 && (m < 0 || b < m)) m = b;
  if (c >= 0 && (m < 0 || c < m)) m = c;
  return m;
}

/** NLTK's _slices_from_text: the same candidates and decisions (see ../reference/punkt.ts), flat. */
function slicesFast(text: string, u: Uint16Array, p: PunktParams): number[] {
  // Flat [start, end, start, end, ...].
  const slices: number[] = [];
  let lastBreak = 0;
  let havePrev = false;
  let prevStart = 0;
  let prevStop = 0;
  let prevCtxEnd = 0;
  let prevNextTokStart = -1;
  const n = text.length;
  // The marks are found natively (a JS loop over every unit was most of this function's time).
  let period = text.indexOf(".");
  let question = text.indexOf("?");
  let bang = text.indexOf("!");
  for (let i = nextOf(period, question, bang); i >= 0; i = nextOf(period, question, bang)) {
    if (i === period) period = text.indexOf(".", i + 1);
    else if (i === question) question = text.indexOf("?", i + 1);
    else bang = text.indexOf("!", i + 1);
    if (i + 1 >= n) break;
    const a = u[i + 1]!;
    let ctxEnd: number;
    let nextTokStart = -1;
    if (isNonWord(a)) {
      ctxEnd = i + 2;
    } else if (isPySpace(a)) {
      let j = i + 2;
      while (j < n && isPySpace(u[j]!)) j++;
      if (j >= n) break; // only whitespace follows: no later mark either
      let k = j + 1;
      while (k < n && !isPySpace(u[k]!)) k++;
      ctxEnd = k;
      nextTokStart = j;
    } else {
      continue;
    }
    const ws = lastAsciiSpaceIndex(text, u, prevStop, i);
    const start = ws ? ws + prevStop + 1 : prevStart;
    if (havePrev && prevStop <= start && containsSentBreakAt(text, u, prevStart, prevCtxEnd, p)) {
      slices.push(lastBreak, prevStop + 1);
      lastBreak = prevNextTokStart >= 0 ? prevNextTokStart : prevStop + 1;
    }
    havePrev = true;
    prevStart = start;
    prevStop = i;
    prevCtxEnd = ctxEnd;
    prevNextTokStart = nextTokStart;
  }
  if (havePrev && containsSentBreakAt(text, u, prevStart, prevCtxEnd, p)) {
    slices.push(lastBreak, prevStop + 1);
    lastBreak = prevNextTokStart >= 0 ? prevNextTokStart : prevStop + 1;
  }
  let end = n;
  while (end > 0 && isPySpace(u[end - 1]!)) end--;
  slices.push(lastBreak, end);
  return slices;
}

function isRealignStart(c: number): boolean {
  return c === 0x22 || c === 0x27 || c === 0x29 || c === 0x5d || c === 0x7d;
}

/**
 * NLTK's _realign_boundaries on flat slices: each sentence stretched over the closing quotes and
 * brackets after its break. The sentences' [start, end) offsets, flat.
 */
function realignFlat(text: string, u: Uint16Array, slices: readonly number[]): number[] {
  const out: number[] = [];
  let realign = 0;
  for (let i = 0; i < slices.length; i += 2) {
    const start1 = slices[i]! + realign;
    const stop1 = slices[i + 1]!;
    if (i + 2 >= slices.length) {
      if (start1 < stop1) out.push(start1, stop1);
      continue;
    }
    const nextStart = slices[i + 2]!;
    const nextStop = slices[i + 3]!;
    const m =
      nextStart < nextStop && isRealignStart(u[nextStart]!)
        ? BOUNDARY_REALIGN_RE.exec(text.slice(nextStart, nextStop))
        : null;
    if (m) {
      out.push(start1, nextStart + pyRstripLength(m[0]));
      realign = m[0].length;
    } else {
      realign = 0;
      if (start1 < stop1) out.push(start1, stop1);
    }
  }
  return out;
}

/**
 * The sentences of `text` as flat [start, end) offsets; `u` holds the text's units (textUnits).
 * For the word tokenizer, which then needs no sentence strings.
 */
export function punktSpans(text: string, u: Uint16Array): number[] {
  const p = loadParams();
  return realignFlat(text, u, slicesFast(text, u, p));
}

/** `nltk.sent_tokenize(text)` (English Punkt model). */
export function punktSentences(text: string): string[] {
  const spans = punktSpans(text, textUnits(text));
  const out: string[] = [];
  for (let i = 0; i < spans.length; i += 2) out.push(text.slice(spans[i]!, spans[i + 1]!));
  return out;
}
