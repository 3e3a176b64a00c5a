// NLTKWordTokenizer on one chunk without regexes: the rule list of treebank.ts (rewriteAndSplit)
// reproduced as the places where it would insert spaces, for the chunks that ordinary text is
// made of. The memos of treebank.ts only help with words seen before; an unseen word (a name, a
// number, a typo, an identifier) costs the whole rule list there, and this scanner makes that
// path a few passes over the chunk's units.
//
// Why a set of break positions is enough: on the chunks handled here (see `CLASS`: Latin-1
// without `"`, backticks, guillemets or Python whitespace, and at most one apostrophe), every rule
// that fires only inserts spaces, so the tokens are the chunk cut at those places. The rules are
// applied in rewriteAndSplit's order, each reading the spaces the earlier ones inserted where it
// can see them (`br`, below):
//
//   APOSTROPHE_WORD  a break between ' and one word char followed by a non-word char, unless that
//                    char is m, t, s, d or n (either case);
//   FINAL_PERIOD_1   (end of a sentence) breaks around the last `.` when only `)]}>` follow it and
//                    the char before it is not a `.`; FINAL_PERIOD_2 then inserts nothing new;
//   COMMA_COLON      `,` or `:` not followed by a digit: breaks before and after it, and the next
//                    char is consumed (`,,x` gives `,` and `,x`); at a sentence's end
//                    COMMA_COLON_AT_END gives a final `,` or `:` the same breaks;
//   ELLIPSIS         breaks around every run of two or more periods;
//   PAD              `; @ # $ % & ? ! * [ ] ( ) { } < >`, each on its own (MISC_PUNCT,
//                    QUESTION_EXCLAIM, ASTERISK, PARENS_BRACKETS);
//   DOUBLE_DASH      breaks around each `--`, pairs taken from the left;
//   APOSTROPHE_SPACE, CLITIC_SMD, CLITIC_OTHER
//                    a break before ' when a space follows it (either rule), or 's 'm 'd (either
//                    case), 'll 're 've (all lower or all upper case) and then a space; a break
//                    before the n of n't / N'T followed by a space, when a char is before the n;
//   CONTRACTIONS     cannot, d'ye, gimme, gonna, gotta, lemme, more'n, wanna (before a space),
//                    'tis and 'twas (after a space): breaks around the word and inside it.
//
// The other rules cannot fire on these chunks: the quote rules need `"`, backticks, `''` or
// Unicode quotes, and the whitespace collapse only changes spacing. Between two U+0020 spaces
// (a chunk in the middle of a sentence) and at a sentence's start the rules give the same breaks
// here: the start-anchored rule needs a `"`, and the rules that need a char before a `'` or an
// `n't` find the chunk's edge, which is a break anyway. test/metrics/treebank-scan.test.ts checks
// the scanner against rewriteAndSplit on random chunks of every kind, open-vocabulary words and
// the nltk 3.9.1 whitespace and clitic cases included.

import { PY_DIGIT, PY_WORD } from "./pyregex.js";

// Classes of the Latin-1 units (a chunk with any other unit is not scanned).
const UNSUPPORTED = 0; // Python whitespace, `"`, backtick, « and »: the regex path decides
const WORD = 1; // Python \w: str.isalnum() or "_"
const PAD = 2; // ; @ # $ % & ? ! * [ ] ( ) { } < >
const COMMA_COLON = 3;
const PERIOD = 4;
const DASH = 5;
const APOSTROPHE = 6;
const INERT = 7; // read by no rule, and not a word char: + / = ^ | ~ \ ¡ ¿ § ° ...

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
    if (space[c] || `"\`\u00ab\u00bb`.includes(ch)) classes[c] = UNSUPPORTED;
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
 * to `out`, as rewriteAndSplit gives them for the chunk in the middle or at the start of a
 * sentence, or, with `sentenceEnd`, for the chunk ending the sentence (after a space or at its
 * start). Returns false, appending nothing, for a chunk it does not handle.
 */
export function scanChunk(text: string, u: Uint16Array, from: number, to: number, sentenceEnd: boolean, out: string[]): boolean {
  const n = to - from;
  if (br.length < n + 1) {
    br = new Uint8Array(Math.max(n + 1, br.length * 2));
    cls = new Uint8Array(br.length);
  }
  let seen = 0;
  let apostrophe = -1;
  for (let i = from; i < to; i++) {
    const c = u[i]!;
    const k = c < 256 ? CLASS[c]! : UNSUPPORTED;
    if (k === UNSUPPORTED) return false;
    if (k === APOSTROPHE) {
      if (apostrophe >= 0) return false;
      apostrophe = i - from;
    }
    cls[i - from] = k;
    seen |= 1 << k;
  }
  if (seen === ONLY_WORDS) {
    pushWord(text, u, from, to, out);
    return true;
  }
  const finalPeriod = sentenceEnd ? finalPeriodOf(u, from, to) : -1;
  if (finalPeriod === -2) return false;

  const b = br;
  b.fill(0, 0, n + 1);
  b[0] = 1;
  b[n] = 1;
  const a = apostrophe;

  // APOSTROPHE_WORD
  if (a >= 0 && isWordAt(a + 1, n) && !isWordAt(a + 2, n)) {
    const c = lower(u[from + a + 1]!);
    if (c !== 0x6d && c !== 0x74 && c !== 0x73 && c !== 0x64 && c !== 0x6e) b[a + 1] = 1;
  }
  // FINAL_PERIOD_1
  if (finalPeriod >= 0) {
    b[finalPeriod - from] = 1;
    b[finalPeriod - from + 1] = 1;
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
  // MISC_PUNCT, QUESTION_EXCLAIM, ASTERISK, PARENS_BRACKETS
  if (seen & (1 << PAD)) {
    for (let i = 0; i < n; i++) {
      if (cls[i] === PAD) {
        b[i] = 1;
        b[i + 1] = 1;
      }
    }
  }
  // DOUBLE_DASH
  if (seen & (1 << DASH)) {
    for (let i = 0; i + 1 < n; i++) {
      if (cls[i] === DASH && cls[i + 1] === DASH && b[i + 1] === 0) {
        b[i] = 1;
        b[i + 2] = 1;
        i++;
      }
    }
  }
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
  if (seen & ONLY_WORDS) {
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
  if (a >= 0) {
    // d'ye
    if (a >= 1 && lower(u[from + a - 1]!) === 0x64 && a + 3 <= n && spells(u, from + a + 1, "ye") &&
        noWordBefore(a - 1, n) && noBreaks(a, a + 2) && noWordAfter(a + 3, n)) {
      b[a - 1] = 1;
      b[a] = 1;
      b[a + 3] = 1;
    }
    // more'n
    if (a >= 4 && spells(u, from + a - 4, "more") && a + 2 <= n && lower(u[from + a + 1]!) === 0x6e &&
        noWordBefore(a - 4, n) && noBreaks(a - 3, a + 1) && noWordAfter(a + 2, n)) {
      b[a - 4] = 1;
      b[a] = 1;
      b[a + 2] = 1;
    }
    // 'tis and 'twas need a space before the apostrophe.
    if (b[a] === 1 && a + 1 < n && lower(u[from + a + 1]!) === 0x74) {
      if (a + 4 <= n && spells(u, from + a + 2, "is") && noBreaks(a + 1, a + 3) && noWordAfter(a + 4, n)) {
        b[a + 2] = 1;
        b[a + 4] = 1;
      } else if (a + 5 <= n && spells(u, from + a + 2, "was") && noBreaks(a + 1, a + 4) && noWordAfter(a + 5, n)) {
        b[a + 2] = 1;
        b[a + 5] = 1;
      }
    }
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
 * -2 when the closers after that period hold an apostrophe (left to the regex path).
 */
function finalPeriodOf(u: Uint16Array, from: number, to: number): number {
  let i = to - 1;
  let apostrophe = false;
  for (; i >= from; i--) {
    const c = u[i]!;
    if (c === 0x27) apostrophe = true;
    else if (c !== 0x29 && c !== 0x5d && c !== 0x7d && c !== 0x3e) break;
  }
  if (i < from || u[i] !== 0x2e) return -1;
  if (i > from && u[i - 1] === 0x2e) return -1;
  return apostrophe ? -2 : i;
}
