// NLTK's PunktSentenceTokenizer (nltk 3.8 / 3.9 `sent_tokenize`) with the pre-trained English
// parameters in data/punkt-english.json. Only sentence splitting is ported, not training. Indices
// are UTF-16 offsets throughout; they are only used to slice the same JS string, so they agree with
// Python's code-point offsets wherever it matters.

import { readFileSync } from "node:fs";
import { PY_DIGIT, PY_SPACE, pyHasNonSpace, pyRstripLength } from "./pyregex.js";

// ---------------------------------------------------------------------------------------------
// Parameters (loaded once, on first use)

interface PunktParams {
  abbrevTypes: Set<string>;
  /** "type1\0type2" */
  collocations: Set<string>;
  sentStarters: Set<string>;
  orthoContext: Map<string, number>;
}

interface PunktFile {
  abbrev_types: string[];
  collocations: [string, string][];
  sent_starters: string[];
  ortho_context: Record<string, number>;
}

let params: PunktParams | undefined;

function loadParams(): PunktParams {
  if (params) return params;
  const raw = JSON.parse(
    readFileSync(new URL("../../../data/punkt-english.json", import.meta.url), "utf8"),
  ) as PunktFile;
  params = {
    abbrevTypes: new Set(raw.abbrev_types),
    collocations: new Set(raw.collocations.map(([a, b]) => collocationKey(a, b))),
    sentStarters: new Set(raw.sent_starters),
    orthoContext: new Map(Object.entries(raw.ortho_context)),
  };
  return params;
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
const NON_WORD = `[)";}\\]*:@'({[?!]`;
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

// A candidate break: `.`, `?` or `!`, followed by another non-word char or by whitespace and a
// token. Group 1 is NLTK's `after_tok`, group 2 its `next_tok`.
const PERIOD_CONTEXT_RE = new RegExp(
  `[.?!](?=(${NON_WORD}|[${PY_SPACE}]+([^${PY_SPACE}]+)))`,
  "gu",
);

// Closing punctuation that belongs to the sentence before a break. Python compiles it with
// MULTILINE, where `$` means "before any \n, or at the end" (JS's `m` flag would add \r, U+2028...).
const BOUNDARY_REALIGN_RE = new RegExp(`^["')\\]}]+?(?:[${PY_SPACE}]+|(?=--)|(?=\\n)|$)`, "u");

// PunktToken's regexes; tokens never hold "\n", so Python's `$` is plain end of string.
const NUMERIC_RE = new RegExp(`^-?[.,]?[${PY_DIGIT}][${PY_DIGIT},.\\-]*\\.?$`, "u");
const ELLIPSIS_RE = /^\.\.+$/;
// `[^\W\d]\.$`: one Python word char that is not a decimal digit (\p{Nd}), then the period.
const INITIAL_RE = /^[\p{L}\p{Nl}\p{No}_]\.$/u;
const FIRST_UPPER_RE = /^\p{Uppercase}/u;
const FIRST_LOWER_RE = /^\p{Lowercase}/u;

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
    type: NUMERIC_RE.test(lower) ? "##number##" : lower,
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
  } else if (ELLIPSIS_RE.test(tok)) {
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
  const tok = t.tok;
  if (tok === ";" || tok === ":" || tok === "," || tok === "." || tok === "!" || tok === "?") {
    return false;
  }
  const ctx = p.orthoContext.get(typeNoSentPeriod(t)) ?? 0;
  const upper = FIRST_UPPER_RE.test(tok);
  if (upper && ctx & ORTHO_LC && !(ctx & ORTHO_MID_UC)) return true;
  if (FIRST_LOWER_RE.test(tok) && (ctx & ORTHO_UC || !(ctx & ORTHO_BEG_LC))) return false;
  return "unknown";
}

/** Second pass: revise the decision on `t1` using the (first-pass annotated) next token. */
function annotateSecondPass(t1: PunktToken, t2: PunktToken, p: PunktParams): void {
  if (!t1.periodFinal) return;
  const typ = typeNoPeriod(t1);
  const nextTyp = typeNoSentPeriod(t2);
  const isInitial = INITIAL_RE.test(t1.tok);

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
    if (FIRST_UPPER_RE.test(t2.tok) && p.sentStarters.has(nextTyp)) {
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
      FIRST_UPPER_RE.test(t2.tok) &&
      !((p.orthoContext.get(nextTyp) ?? 0) & ORTHO_LC)
    ) {
      t1.sentbreak = false;
      t1.abbr = true;
    }
  }
}

/** Does the context hold a break that is followed by another token? */
function containsSentBreak(context: string, p: PunktParams): boolean {
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
// Sentence spans

interface Candidate {
  /** index just after the sentence-end character */
  end: number;
  /** start of the next token when the character was followed by whitespace, else -1 */
  nextTokStart: number;
  context: string;
}

// Python's string.whitespace: ASCII only (NBSP is not in it, though `\s` matches it).
function lastAsciiSpaceIndex(text: string, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return i - from;
  }
  return 0;
}

/**
 * Candidate breaks with their context (word before, the mark, what follows). Since NLTK's ReDoS
 * fix, the word before is found by a backward scan, and a run such as `!!!` yields only its last
 * mark: a candidate whose word overlaps the next one's is dropped.
 */
function potentialEndContexts(text: string): Candidate[] {
  const out: Candidate[] = [];
  let prevStart = 0;
  let prevStop = 0;
  let prev: RegExpExecArray | undefined;
  const emit = (m: RegExpExecArray, start: number, stop: number): void => {
    const afterTok = m[1]!;
    const nextTok = m[2];
    out.push({
      end: m.index + 1,
      nextTokStart: nextTok ? m.index + 1 + afterTok.length - nextTok.length : -1,
      context: text.slice(start, stop) + m[0] + afterTok,
    });
  };
  PERIOD_CONTEXT_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PERIOD_CONTEXT_RE.exec(text)) !== null) {
    // NLTK treats "whitespace at offset 0" like "no whitespace" (a falsy index): kept on purpose.
    const ws = lastAsciiSpaceIndex(text, prevStop, m.index);
    const start = ws ? ws + prevStop + 1 : prevStart;
    if (prev && prevStop <= start) emit(prev, prevStart, prevStop);
    prev = m;
    prevStart = start;
    prevStop = m.index;
  }
  if (prev) emit(prev, prevStart, prevStop);
  return out;
}

function slicesFromText(text: string, p: PunktParams): [number, number][] {
  const slices: [number, number][] = [];
  let lastBreak = 0;
  for (const c of potentialEndContexts(text)) {
    if (containsSentBreak(c.context, p)) {
      slices.push([lastBreak, c.end]);
      lastBreak = c.nextTokStart >= 0 ? c.nextTokStart : c.end;
    }
  }
  slices.push([lastBreak, pyRstripLength(text)]);
  return slices;
}

/** Stretch each sentence over closing quotes/brackets that follow its break. */
function realignBoundaries(text: string, slices: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let realign = 0;
  for (let i = 0; i < slices.length; i++) {
    const start1 = slices[i]![0] + realign;
    const stop1 = slices[i]![1];
    const next = slices[i + 1];
    if (!next) {
      if (start1 < stop1) out.push([start1, stop1]);
      continue;
    }
    const m = BOUNDARY_REALIGN_RE.exec(text.slice(next[0], next[1]));
    if (m) {
      out.push([start1, next[0] + pyRstripLength(m[0])]);
      realign = m[0].length;
    } else {
      realign = 0;
      if (start1 < stop1) out.push([start1, stop1]);
    }
  }
  return out;
}

/** `nltk.sent_tokenize(text)` (English Punkt model). */
export function punktSentences(text: string): string[] {
  const p = loadParams();
  const slices = realignBoundaries(text, slicesFromText(text, p));
  return slices.map(([s, e]) => text.slice(s, e));
}
