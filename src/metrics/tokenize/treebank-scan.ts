// NLTKWordTokenizer on one chunk without regexes: the rule list of treebank.ts (rewriteAndSplit)
// reproduced as the places where it would insert spaces, for the chunks that ordinary text is
// made of. The memos of treebank.ts only help with words seen before; an unseen word (a name, a
// number, a typo, an identifier) costs the whole rule list there, and this scanner makes that
// path a few passes over the chunk's units.
//
// Why a set of break positions is enough: on the chunks handled here (see `CLASS`: Latin-1
// without Python whitespace or guillemets), every rule that fires inserts spaces, and the only
// ones that also replace chars turn a `"` or `''` into `` or a `"` into '', always as a token
// of its own; so the tokens are the chunk cut at those places, with those tokens marked (`rep`).
// The rules are applied in rewriteAndSplit's order, each reading the spaces the earlier ones
// inserted where it can see them (`br`, below). A chunk of word chars only, or with at most one
// apostrophe and no `"` or backtick, takes scanChunk's short path, where the quote rules cannot
// fire; any other chunk takes scanQuoted, which runs them all:
//
//   QUOTES_OPEN_UNICODE, DOUBLE_BACKTICK
//                    (scanQuoted) breaks around each run of backticks, and after each pair of
//                    them from the left (```` `` ` ````);
//   QUOTE_AT_START   (scanQuoted, at a sentence's start) a first `"` becomes ``;
//   QUOTE_AFTER_OPENER
//                    (scanQuoted) `"` or `''` after a space (an inserted one, or in the middle
//                    of a sentence the one before the chunk) or after `([{<` becomes ``;
//   APOSTROPHE_WORD  a break between ' and one word char followed by a non-word char, unless that
//                    char is m, t, s, d or n (either case);
//   FINAL_PERIOD_1   (end of a sentence) breaks around the last `.` when only `)]}>"'` follow it
//                    and the char before it is not a `.`; FINAL_PERIOD_2 then inserts nothing new
//                    (an apostrophe among those closers takes scanQuoted: the space FINAL_PERIOD_1
//                    puts after them is one APOSTROPHE_SPACE can read);
//   COMMA_COLON      `,` or `:` not followed by a digit: breaks before and after it, and the next
//                    char is consumed (`,,x` gives `,` and `,x`); at a sentence's end
//                    COMMA_COLON_AT_END gives a final `,` or `:` the same breaks;
//   ELLIPSIS         breaks around every run of two or more periods;
//   PAD              `; @ # $ % & ? ! * [ ] ( ) { } < >`, each on its own (MISC_PUNCT,
//                    QUESTION_EXCLAIM, ASTERISK, PARENS_BRACKETS);
//   DOUBLE_DASH      breaks around each `--`, pairs taken from the left;
//   APOSTROPHE_SPACE a break before ' when a space follows it and no ' precedes it (scanQuoted
//                    applies it between QUESTION_EXCLAIM and ASTERISK, where it stands, since a
//                    second apostrophe's clitic can read it: `it's' x` gives `it 's '`, `it's'] x`
//                    `it's ' ]`);
//   TWO_APOSTROPHES  (scanQuoted) breaks around each `''` left, pairs taken from the left;
//   DOUBLE_QUOTE     (scanQuoted) every `"` left becomes '';
//   CLITIC_SMD, CLITIC_OTHER
//                    a break before ' when a space follows it, or 's 'm 'd (either case), 'll 're
//                    've (all lower or all upper case) and then a space, each after a char other
//                    than ' (or a space); a break before the n of n't / N'T followed by a space,
//                    when such a char is before the n;
//   CONTRACTIONS     cannot, d'ye, gimme, gonna, gotta, lemme, more'n, wanna (before a space),
//                    'tis and 'twas (after a space): breaks around the word and inside it.
//
// The other rules cannot fire on these chunks: QUOTES_CLOSE_UNICODE and the Unicode part of
// QUOTES_OPEN_UNICODE need non-Latin-1 quotes or guillemets, and the whitespace collapse only
// changes spacing. Between two U+0020 spaces (a chunk in the middle of a sentence) and at a
// sentence's start (`atStart`) the rules differ only in the quote rules above (the rules that
// need a char before a `'` or an `n't` find the chunk's edge, which is a break anyway).
// test/metrics/treebank-scan.test.ts checks the scanner against rewriteAndSplit on random chunks
// of every kind, in each position, open-vocabulary words and the nltk 3.9.1 whitespace and clitic
// cases included.

import { PY_DIGIT, PY_WORD } from "./pyregex.js";

// Classes of the Latin-1 units (a chunk with any other unit is not scanned).
const UNSUPPORTED = 0; // Python whitespace, « and »: the regex path decides
const WORD = 1; // Python \w: str.isalnum() or "_"
const PAD = 2; // ; @ # $ % & ? ! * [ ] ( ) { } < >
const COMMA_COLON = 3;
const PERIOD = 4;
const DASH = 5;
const APOSTROPHE = 6;
const INERT = 7; // read by no rule, and not a word char: + / = ^ | ~ \ ¡ ¿ § ° ...
const DQUOTE = 8; // "
const BACKTICK = 9;
/** A `"` or `''` that a quote rule has replaced by `` (or a `"` by ''): read by no later rule. */
const REPLACED = 10;

/** The chunks that take scanQuoted: a `"` or a backtick in them (or a second apostrophe). */
const QUOTE_CLASSES = (1 << DQUOTE) | (1 << BACKTICK);

const CLASS = buildClasses();
/** Latin-1 decimal digits (Python's \d there is 0-9). */
const DIGIT = buildTable(new RegExp(`[${PY_DIGIT}]`, "u"));

function buildTable(re: RegExp): Uint8Array {
  const table = new Uint8Array(256);
  for (let c = 0; c < 256; c++) table[c] = re.test(String.fromCharCode(c)) ? 1 : 0;
  return table;
}

function buildClasses(): Uint8Array {
  const word = buildTable(new RegExp(`[${PY_WORD}]`, "u"));
  const space = buildTable(/[\t\n\v\f\r\x1c-\x20\x85\xa0]/);
  const classes = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    const ch = String.fromCharCode(c);
    if (space[c] || ch === "\u00ab" || ch === "\u00bb") classes[c] = UNSUPPORTED;
    else if (ch === '"') classes[c] = DQUOTE;
    else if (ch === "`") classes[c] = BACKTICK;
    else if (word[c]) classes[c] = WORD;
    else if (";@#$%&?!*[](){}<>".includes(ch)) classes[c] = PAD;
    else if (ch === "," || ch === ":") classes[c] = COMMA_COLON;
    else if (ch === ".") classes[c] = PERIOD;
    else if (ch === "-") classes[c] = DASH;
    else if (ch === "'") classes[c] = APOSTROPHE;
    else classes[c] = INERT;
  }
  return classes;
}

const ONLY_WORDS = 1 << WORD;

/** 1 for the Latin-1 units that are Python word chars (\w), else 0. */
export const LATIN1_WORD = CLASS.map((k) => (k === WORD ? 1 : 0));

/** Break positions of the chunk being scanned: br[i] = a space before its char i (0..n). */
let br = new Uint8Array(256);
/** Classes of the chunk being scanned: cls[i] for its char i. */
let cls = new Uint8Array(256);
/** Replacements in the chunk being scanned (scanQuoted only): rep[i] for its char i, REP_*. */
let rep = new Uint8Array(256);
/** Scratch marks of scanQuoted: the apostrophes a contraction rule matches, before it applies. */
let hit = new Uint8Array(256);
const REP_NONE = 0;
const REP_OPEN = 1; // the token starting here is ``
const REP_CLOSE = 2; // the token starting here is ''

function isWordAt(i: number, n: number): boolean {
  return i >= 0 && i < n && cls[i] === WORD;
}

/** No word char just before p: the chunk's start, a break, or another char. */
function noWordBefore(p: number, n: number): boolean {
  return p === 0 || br[p] === 1 || !isWordAt(p - 1, n);
}

/** No word char at q: the chunk's end, a break, or another char. */
function noWordAfter(q: number, n: number): boolean {
  return q === n || br[q] === 1 || !isWordAt(q, n);
}

/** No break at any of i..j. */
function noBreaks(i: number, j: number): boolean {
  for (let k = i; k <= j; k++) if (br[k] === 1) return false;
  return true;
}

/** ASCII lower case of a unit (other units unchanged): the contractions' `(?i)` on Latin-1. */
function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/** Does u[at, at + word.length) spell `word` (lower-case ASCII), ignoring ASCII case? */
function spells(u: Uint16Array, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (lower(u[at + k]!) !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * Where a contraction splits the word run u[p, p + length) (a whole run of word chars): the
 * length of its first part, or 0. cannot, gimme, gonna, gotta, lemme split after 3 chars, and
 * wanna too when a space follows it, which `spaceAfter` tells.
 */
function fusedSplit(u: Uint16Array, p: number, length: number, spaceAfter: boolean): number {
  if (length === 6) return spells(u, p, "cannot") ? 3 : 0;
  if (length !== 5) return 0;
  if (spells(u, p, "gimme") || spells(u, p, "gonna") || spells(u, p, "gotta") || spells(u, p, "lemme")) return 3;
  return spaceAfter && spells(u, p, "wanna") ? 3 : 0;
}

/**
 * The tokens of the chunk text[from, to) (no U+0020 in it; u holds the text's units), appended
 * to `out`, as rewriteAndSplit gives them for the chunk in the middle (after a space) or, with
 * `atStart`, at the start of a sentence, and with `sentenceEnd` as the chunk ending the sentence
 * (else a space follows it). Returns false, appending nothing, for a chunk it does not handle
 * (one with a unit that is not Latin-1, Python whitespace, « or »).
 */
export function scanChunk(text: string, u: Uint16Array, from: number, to: number, sentenceEnd: boolean, atStart: boolean, out: string[]): boolean {
  const n = to - from;
  if (br.length < n + 1) {
    br = new Uint8Array(Math.max(n + 1, br.length * 2));
    cls = new Uint8Array(br.length);
    rep = new Uint8Array(br.length);
    hit = new Uint8Array(br.length);
  }
  let seen = 0;
  let apostrophe = -1;
  let apostrophes = 0;
  let notWords = 0;
  for (let i = from; i < to; i++) {
    const c = u[i]!;
    const k = c < 256 ? CLASS[c]! : UNSUPPORTED;
    if (k === UNSUPPORTED) return false;
    if (k === APOSTROPHE) {
      apostrophe = i - from;
      apostrophes++;
    }
    if (k !== WORD) notWords++;
    cls[i - from] = k;
    seen |= 1 << k;
  }
  if (seen === ONLY_WORDS) {
    pushWord(text, u, from, to, out);
    return true;
  }
  if (notWords === 1 && n >= 2 && cls[n - 1] !== WORD && standsAloneAfterWord(u[to - 1]!, sentenceEnd)) {
    // The commonest chunk after a plain word (13% of an open vocabulary's): word chars, then one
    // mark that every rule reading it pads with spaces (a space follows the chunk, or it ends the
    // sentence), and that no rule reads together with the word.
    pushWord(text, u, from, to - 1, out);
    out.push(String.fromCharCode(u[to - 1]!));
    return true;
  }
  if (apostrophes > 1 || (seen & QUOTE_CLASSES) !== 0) return scanQuoted(text, u, from, n, seen, sentenceEnd, atStart, out);
  const finalPeriod = sentenceEnd ? finalPeriodOf(u, from, to) : -1;
  if (finalPeriod === -2) return scanQuoted(text, u, from, n, seen, sentenceEnd, atStart, out);

  const b = br;
  b.fill(0, 0, n + 1);
  b[0] = 1;
  b[n] = 1;
  const a = apostrophe;

  // APOSTROPHE_WORD
  if (a >= 0) apostropheWord(u, from, n, a);
  // FINAL_PERIOD_1
  if (finalPeriod >= 0) {
    b[finalPeriod - from] = 1;
    b[finalPeriod - from + 1] = 1;
  }
  punctuationBreaks(u, from, n, seen, ALL);
  // APOSTROPHE_SPACE, CLITIC_SMD, CLITIC_OTHER
  if (a >= 0) {
    const c1 = a + 1 < n ? u[from + a + 1]! : 0;
    const c2 = a + 2 < n ? u[from + a + 2]! : 0;
    if (b[a + 1] === 1) {
      b[a] = 1;
    } else if (isSmd(c1) && b[a + 2] === 1) {
      b[a] = 1;
    } else if (a + 3 <= n && isLlReVe(c1, c2) && b[a + 2] === 0 && b[a + 3] === 1) {
      b[a] = 1;
    } else if (
      a >= 2 &&
      b[a + 2] === 1 &&
      b[a] === 0 &&
      b[a - 1] === 0 &&
      ((u[from + a - 1] === 0x6e && c1 === 0x74) || (u[from + a - 1] === 0x4e && c1 === 0x54))
    ) {
      b[a - 1] = 1;
    }
  }
  // CONTRACTIONS: the whole-word ones on every run of word chars, then those around the apostrophe.
  if (seen & ONLY_WORDS) fusedWordBreaks(u, from, n);
  if (a >= 0) {
    if (dYe(u, from, n, a)) applyDYe(a);
    if (moreN(u, from, n, a)) applyMoreN(a);
    // 'tis and 'twas need a space before the apostrophe.
    const t = tisTwas(u, from, n, a, TIS | TWAS);
    if (t > 0) applyTisTwas(a, t);
  }

  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (b[i] === 0) continue;
    if (i > start) out.push(text.slice(from + start, from + i));
    start = i;
  }
  return true;
}

/**
 * `, : ; ? !` after a word: COMMA_COLON_NOT_DIGIT (the space after it is no digit) or
 * COMMA_COLON_AT_END, MISC_PUNCT, QUESTION_EXCLAIM; and `.` ending a sentence: FINAL_PERIOD_1
 * (the char before it is a word char, not a period).
 */
function standsAloneAfterWord(c: number, sentenceEnd: boolean): boolean {
  return c === 0x2c || c === 0x3a || c === 0x3b || c === 0x3f || c === 0x21 || (c === 0x2e && sentenceEnd);
}

/** APOSTROPHE_WORD at the apostrophe a: ' then one word char then a non-word char, not m t s d n. */
function apostropheWord(u: Uint16Array, from: number, n: number, a: number): void {
  if (isWordAt(a + 1, n) && br[a + 1] === 0 && noWordAfter(a + 2, n)) {
    const c = lower(u[from + a + 1]!);
    if (c !== 0x6d && c !== 0x74 && c !== 0x73 && c !== 0x64 && c !== 0x6e) br[a + 1] = 1;
  }
}

/** The rules APOSTROPHE_SPACE comes after (EARLY), or before (LATE), or both (ALL). */
const EARLY = 1;
const LATE = 2;
const ALL = EARLY | LATE;
/** 1 for the PAD units padded after APOSTROPHE_SPACE (ASTERISK, PARENS_BRACKETS): * [ ] ( ) { } < > */
const LATE_PAD = buildTable(/[*[\](){}<>]/);

/**
 * COMMA_COLON_NOT_DIGIT (and COMMA_COLON_AT_END), ELLIPSIS, MISC_PUNCT, QUESTION_EXCLAIM
 * (`stages` EARLY), then ASTERISK, PARENS_BRACKETS, DOUBLE_DASH (LATE).
 */
function punctuationBreaks(u: Uint16Array, from: number, n: number, seen: number, stages: number): void {
  const b = br;
  if (stages === LATE) {
    if (seen & (1 << PAD)) {
      for (let i = 0; i < n; i++) {
        if (cls[i] === PAD && LATE_PAD[u[from + i]!] === 1) {
          b[i] = 1;
          b[i + 1] = 1;
        }
      }
    }
    doubleDash(n, seen);
    return;
  }
  // COMMA_COLON_NOT_DIGIT (and COMMA_COLON_AT_END, which gives a final one the same breaks)
  if (seen & (1 << COMMA_COLON)) {
    for (let i = 0; i < n; i++) {
      if (cls[i] !== COMMA_COLON) continue;
      // The char after it is a space when one was inserted there, else the next unit.
      const spaced = b[i + 1] === 1;
      if (!spaced && i + 1 < n && DIGIT[u[from + i + 1]!] === 1) continue;
      b[i] = 1;
      b[i + 1] = 1;
      // The match consumed that char: a unit of the chunk cannot start the next match.
      if (!spaced) i++;
    }
  }
  // ELLIPSIS
  if (seen & (1 << PERIOD)) {
    for (let i = 0; i < n; i++) {
      if (cls[i] !== PERIOD) continue;
      let j = i + 1;
      while (j < n && cls[j] === PERIOD && b[j] === 0) j++;
      if (j - i >= 2) {
        b[i] = 1;
        b[j] = 1;
      }
      i = j - 1;
    }
  }
  // MISC_PUNCT, QUESTION_EXCLAIM, and with LATE ASTERISK, PARENS_BRACKETS
  if (seen & (1 << PAD)) {
    for (let i = 0; i < n; i++) {
      if (cls[i] === PAD && (stages === ALL || LATE_PAD[u[from + i]!] === 0)) {
        b[i] = 1;
        b[i + 1] = 1;
      }
    }
  }
  if (stages === ALL) doubleDash(n, seen);
}

/** DOUBLE_DASH: breaks around each `--`, pairs taken from the left. */
function doubleDash(n: number, seen: number): void {
  const b = br;
  if (seen & (1 << DASH)) {
    for (let i = 0; i + 1 < n; i++) {
      if (cls[i] === DASH && cls[i + 1] === DASH && b[i + 1] === 0) {
        b[i] = 1;
        b[i + 2] = 1;
        i++;
      }
    }
  }
}

/** The whole-word contractions (cannot, gimme, gonna, gotta, lemme, wanna) on every run of word chars. */
function fusedWordBreaks(u: Uint16Array, from: number, n: number): void {
  const b = br;
  for (let p = 0; p < n; p++) {
    if (!isWordAt(p, n)) continue;
    let q = p + 1;
    while (q < n && b[q] === 0 && isWordAt(q, n)) q++;
    const split = fusedSplit(u, from + p, q - p, b[q] === 1);
    if (split > 0) {
      b[p] = 1;
      b[p + split] = 1;
      b[q] = 1;
    }
    p = q - 1;
  }
}

/** d'ye around the apostrophe a. */
function dYe(u: Uint16Array, from: number, n: number, a: number): boolean {
  return a >= 1 && lower(u[from + a - 1]!) === 0x64 && a + 3 <= n && spells(u, from + a + 1, "ye") &&
    noWordBefore(a - 1, n) && noBreaks(a, a + 2) && noWordAfter(a + 3, n);
}
function applyDYe(a: number): void {
  br[a - 1] = 1;
  br[a] = 1;
  br[a + 3] = 1;
}

/** more'n around the apostrophe a. */
function moreN(u: Uint16Array, from: number, n: number, a: number): boolean {
  return a >= 4 && spells(u, from + a - 4, "more") && a + 2 <= n && lower(u[from + a + 1]!) === 0x6e &&
    noWordBefore(a - 4, n) && noBreaks(a - 3, a + 1) && noWordAfter(a + 2, n);
}
function applyMoreN(a: number): void {
  br[a - 4] = 1;
  br[a] = 1;
  br[a + 2] = 1;
}

const TIS = 1;
const TWAS = 2;

/** 'tis or 'twas (`forms`: TIS, TWAS or both) at the apostrophe a, after a space: the match's length, or 0. */
function tisTwas(u: Uint16Array, from: number, n: number, a: number, forms: number): number {
  if (br[a] !== 1 || a + 1 >= n || lower(u[from + a + 1]!) !== 0x74) return 0;
  if ((forms & TIS) !== 0 && a + 4 <= n && spells(u, from + a + 2, "is") && noBreaks(a + 1, a + 3) && noWordAfter(a + 4, n)) return 4;
  if ((forms & TWAS) !== 0 && a + 5 <= n && spells(u, from + a + 2, "was") && noBreaks(a + 1, a + 4) && noWordAfter(a + 5, n)) return 5;
  return 0;
}
function applyTisTwas(a: number, length: number): void {
  br[a + 2] = 1;
  br[a + length] = 1;
}

function isOpener(c: number): boolean {
  return c === 0x28 || c === 0x5b || c === 0x7b || c === 0x3c; // ( [ { <
}

/**
 * scanChunk for a chunk with a `"`, a backtick or more than one apostrophe (classes in cls,
 * `seen` their bits): the quote rules too, each a pass over the chunk in rewriteAndSplit's order,
 * replaced quotes marked in `rep`. A pass reads the breaks of the passes before it; where two
 * matches of one rule could see each other's breaks, they are found first and applied after.
 */
function scanQuoted(text: string, u: Uint16Array, from: number, n: number, seen: number, sentenceEnd: boolean, atStart: boolean, out: string[]): boolean {
  let finalPeriod = sentenceEnd ? finalPeriodOf(u, from, from + n) : -1;
  if (finalPeriod === -2) finalPeriod = finalPeriodOf(u, from, from + n, true);
  const b = br;
  b.fill(0, 0, n + 1);
  b[0] = 1;
  b[n] = 1;
  rep.fill(REP_NONE, 0, n);

  // QUOTES_OPEN_UNICODE pads each run of backticks, DOUBLE_BACKTICK then splits it in pairs from
  // the left (```` `` ` ````).
  if (seen & (1 << BACKTICK)) {
    for (let i = 0; i < n; i++) {
      if (cls[i] !== BACKTICK) continue;
      let j = i + 1;
      while (j < n && cls[j] === BACKTICK) j++;
      for (let k = i; k < j; k += 2) b[k] = 1;
      b[j] = 1;
      i = j - 1;
    }
  }
  // QUOTE_AT_START: `^"` becomes ``, which DOUBLE_BACKTICK pads.
  if (atStart && cls[0] === DQUOTE) replaceOpen(0, 1);
  // QUOTE_AFTER_OPENER: `"` or `''` after a space (inserted, or the one before the chunk in the
  // middle of a sentence) or `([{<` becomes ``. All matches are found on the text before the
  // rule, then replaced (a `"` right after a replaced one is after a `"`, not a space).
  if (seen & ((1 << DQUOTE) | (1 << APOSTROPHE))) {
    let found = false;
    for (let p = 0; p < n; p++) {
      const k = cls[p];
      let length: number;
      if (k === DQUOTE) length = 1;
      else if (k === APOSTROPHE && p + 1 < n && cls[p + 1] === APOSTROPHE) length = 2;
      else continue;
      if (p === 0 ? !atStart : b[p] === 1 || isOpener(u[from + p - 1]!)) {
        hit[p] = length;
        found = true;
        p += length - 1;
      } else {
        hit[p] = 0;
      }
    }
    if (found) {
      for (let p = 0; p < n; p++) {
        const k = cls[p];
        if ((k === DQUOTE || k === APOSTROPHE) && hit[p] !== 0) {
          const length = hit[p]!;
          hit[p] = 0;
          replaceOpen(p, length);
          p += length - 1;
        }
      }
    }
  }
  // APOSTROPHE_WORD
  if (seen & (1 << APOSTROPHE)) {
    for (let p = 0; p < n; p++) if (cls[p] === APOSTROPHE) apostropheWord(u, from, n, p);
  }
  // FINAL_PERIOD_1 (FINAL_PERIOD_2 inserts nothing new)
  if (finalPeriod >= 0) {
    b[finalPeriod - from] = 1;
    b[finalPeriod - from + 1] = 1;
  }
  punctuationBreaks(u, from, n, seen, EARLY);
  // APOSTROPHE_SPACE: `([^'])' `, a break before ' when a space follows it and no ' is before it.
  // (A final ' at a sentence's end has no space after it yet.) Its breaks show in CLITIC_SMD:
  // `it's' x` gives `it 's '`, `it's'] x` (the bracket padded later) `it's ' ]`.
  if (seen & (1 << APOSTROPHE)) {
    // FINAL_PERIOD_1 puts a space after the closers that follow the period.
    const last = sentenceEnd && finalPeriod < 0 ? n - 1 : n;
    for (let p = 0; p < last; p++) {
      if (cls[p] === APOSTROPHE && b[p + 1] === 1 && (p === 0 || cls[p - 1] !== APOSTROPHE || b[p] === 1)) b[p] = 1;
    }
  }
  punctuationBreaks(u, from, n, seen, LATE);
  if (seen & (1 << APOSTROPHE)) {
    // TWO_APOSTROPHES, pairs taken from the left.
    for (let p = 0; p + 1 < n; p++) {
      if (cls[p] === APOSTROPHE && cls[p + 1] === APOSTROPHE && b[p + 1] === 0) {
        b[p] = 1;
        b[p + 2] = 1;
        p++;
      }
    }
  }
  // DOUBLE_QUOTE: every `"` left becomes ''.
  if (seen & (1 << DQUOTE)) {
    for (let p = 0; p < n; p++) {
      if (cls[p] === DQUOTE) {
        cls[p] = REPLACED;
        rep[p] = REP_CLOSE;
        b[p] = 1;
        b[p + 1] = 1;
      }
    }
  }
  if (seen & (1 << APOSTROPHE)) {
    // CLITIC_SMD: `([^' ])('[sS]|'[mM]|'[dD]|') `.
    for (let p = 1; p < n; p++) {
      if (cls[p] !== APOSTROPHE || b[p] === 1 || cls[p - 1] === APOSTROPHE) continue;
      if (b[p + 1] === 1 || (isSmd(u[from + p + 1]!) && b[p + 2] === 1)) b[p] = 1;
    }
    // CLITIC_OTHER: `([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) `.
    for (let p = 1; p < n; p++) {
      if (cls[p] !== APOSTROPHE) continue;
      if (b[p] === 0 && cls[p - 1] !== APOSTROPHE && p + 3 <= n && b[p + 1] === 0 && b[p + 2] === 0 && b[p + 3] === 1 &&
          isLlReVe(u[from + p + 1]!, u[from + p + 2]!)) {
        b[p] = 1;
      } else if (p >= 2 && p + 2 <= n && b[p + 2] === 1 && b[p + 1] === 0 && b[p] === 0 && b[p - 1] === 0 && cls[p - 2] !== APOSTROPHE &&
          ((u[from + p - 1] === 0x6e && u[from + p + 1] === 0x74) || (u[from + p - 1] === 0x4e && u[from + p + 1] === 0x54))) {
        b[p - 1] = 1;
      }
    }
  }
  // CONTRACTIONS, each rule's matches found before they are applied.
  if (seen & ONLY_WORDS) fusedWordBreaks(u, from, n);
  if (seen & (1 << APOSTROPHE)) {
    for (let p = 0; p < n; p++) hit[p] = cls[p] === APOSTROPHE && dYe(u, from, n, p) ? 1 : 0;
    for (let p = 0; p < n; p++) if (hit[p] === 1) applyDYe(p);
    for (let p = 0; p < n; p++) hit[p] = cls[p] === APOSTROPHE && moreN(u, from, n, p) ? 1 : 0;
    for (let p = 0; p < n; p++) if (hit[p] === 1) applyMoreN(p);
    for (let p = 0; p < n; p++) hit[p] = cls[p] === APOSTROPHE && tisTwas(u, from, n, p, TIS) > 0 ? 1 : 0;
    for (let p = 0; p < n; p++) if (hit[p] === 1) applyTisTwas(p, 4);
    for (let p = 0; p < n; p++) hit[p] = cls[p] === APOSTROPHE && tisTwas(u, from, n, p, TWAS) > 0 ? 1 : 0;
    for (let p = 0; p < n; p++) if (hit[p] === 1) applyTisTwas(p, 5);
    hit.fill(0, 0, n);
  }

  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (b[i] === 0) continue;
    if (i > start) {
      const r = rep[start];
      out.push(r === REP_OPEN ? "``" : r === REP_CLOSE ? "''" : text.slice(from + start, from + i));
    }
    start = i;
  }
  return true;
}

/** A `"` (length 1) or `''` (2) at p replaced by ``, on its own. */
function replaceOpen(p: number, length: number): void {
  cls[p] = REPLACED;
  if (length === 2) cls[p + 1] = REPLACED;
  rep[p] = REP_OPEN;
  br[p] = 1;
  br[p + length] = 1;
}

/**
 * scanChunk for a chunk of word chars only (LATIN1_WORD), which the caller has checked: only a
 * contraction can split it (a space always follows it: the next chunk's, or the one the rules
 * pad a text with).
 */
export function pushWord(text: string, u: Uint16Array, from: number, to: number, out: string[]): void {
  const split = to - from === 5 || to - from === 6 ? fusedSplit(u, from, to - from, true) : 0;
  if (split === 0) {
    out.push(to - from === text.length ? text : text.slice(from, to));
  } else {
    out.push(text.slice(from, from + split), text.slice(from + split, to));
  }
}

/** 's 'm 'd: s, m or d in either case. */
function isSmd(c: number): boolean {
  const l = lower(c);
  return l === 0x73 || l === 0x6d || l === 0x64;
}

/** 'll 're 've: both lower case or both upper case. */
function isLlReVe(c1: number, c2: number): boolean {
  return (
    (c1 === 0x6c && c2 === 0x6c) || (c1 === 0x72 && c2 === 0x65) || (c1 === 0x76 && c2 === 0x65) ||
    (c1 === 0x4c && c2 === 0x4c) || (c1 === 0x52 && c2 === 0x45) || (c1 === 0x56 && c2 === 0x45)
  );
}

/**
 * FINAL_PERIOD_1 on a sentence's last chunk: the index of the period it splits off, -1 for none,
 * -2 when the closers after that period hold an apostrophe and not `apostrophes` (scanQuoted's
 * case: FINAL_PERIOD_1's space after them changes what APOSTROPHE_SPACE sees).
 */
function finalPeriodOf(u: Uint16Array, from: number, to: number, apostrophes = false): number {
  let i = to - 1;
  let apostrophe = false;
  for (; i >= from; i--) {
    const c = u[i]!;
    if (c === 0x27) apostrophe = true;
    else if (c !== 0x29 && c !== 0x5d && c !== 0x7d && c !== 0x3e && c !== 0x22) break;
  }
  if (i < from || u[i] !== 0x2e) return -1;
  if (i > from && u[i - 1] === 0x2e) return -1;
  return apostrophe && !apostrophes ? -2 : i;
}
