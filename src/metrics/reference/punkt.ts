// NLTK's PunktSentenceTokenizer.tokenize, the plain port: candidate breaks found with Punkt's
// period-context regex and each candidate's context tokenized and annotated on its own, as NLTK
// does. test/metrics/punkt-fast.test.ts checks the fast path (../tokenize/punkt.ts) against it;
// the library never calls it. The token annotation is shared with the fast path, which falls back
// on it for contexts holding a spaced ellipsis.

import { BOUNDARY_REALIGN_RE, containsSentBreak, loadParams, NON_WORD, type PunktParams } from "../tokenize/punkt.js";
import { PY_SPACE, pyRstripLength } from "../tokenize/pyregex.js";

// A candidate break: `.`, `?` or `!`, followed by another non-word char or by whitespace and a
// token. Group 1 is NLTK's `after_tok`, group 2 its `next_tok`.
const PERIOD_CONTEXT_RE = new RegExp(
  `[.?!](?=(${NON_WORD}|[${PY_SPACE}]+([^${PY_SPACE}]+)))`,
  "gu",
);


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

/** `nltk.sent_tokenize(text)`, the plain port: what punktSentences must return. */
export function punktSentencesReference(text: string): string[] {
  const p = loadParams();
  const slices = realignBoundaries(text, slicesFromText(text, p));
  return slices.map(([s, e]) => text.slice(s, e));
}
