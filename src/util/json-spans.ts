// Where the members of a JSON object are in its text, and the elements of an array member, without
// building their values. The reward server reads a batch body's small members (`grader`,
// `format`) on the main thread and hands the rows, still UTF-8 text, to its worker pool: parsing a
// 256-row body with JSON.parse on the main thread cost an eighth of the rows' grading time, and
// cloning the parsed rows into a worker twice that, both on the thread that must stay free.
//
// Validity is shared: this checks the skeleton (braces, brackets, colons, commas, where strings
// start and end) and whoever takes a span parses its text with JSON.parse, so a body is accepted
// only when it is JSON. Strings are skipped with indexOf (memchr speed), the rest byte by byte.

/** Byte offsets [start, end) of a JSON value in the text. */
export interface Span {
  start: number;
  end: number;
}

export class JsonSpanError extends SyntaxError {
  constructor(
    message: string,
    /** The byte offset where the text stopped being what was expected. */
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = "JsonSpanError";
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isWhitespace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

const keyDecoder = new TextDecoder("utf-8", { fatal: true });

function skipWhitespace(bytes: Uint8Array, i: number, end: number): number {
  while (i < end && isWhitespace(bytes[i]!)) i++;
  return i;
}

function describe(bytes: Uint8Array, i: number, end: number): string {
  return i >= end ? "the end of the text" : `'${String.fromCharCode(bytes[i]!)}'`;
}

/** The end of the string starting at `i` (its opening quote), just past its closing quote. */
function stringEnd(bytes: Uint8Array, i: number, end: number): number {
  let from = i + 1;
  for (;;) {
    const q = bytes.indexOf(QUOTE, from);
    if (q < 0 || q >= end) throw new JsonSpanError("unterminated string", i);
    // A quote preceded by an odd number of backslashes is escaped.
    let b = q - 1;
    while (bytes[b] === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** The end of the value starting at `i` (not whitespace). */
function valueEnd(bytes: Uint8Array, i: number, end: number): number {
  const c = bytes[i];
  if (c === QUOTE) return stringEnd(bytes, i, end);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0;
    for (let j = i; j < end; j++) {
      const d = bytes[j]!;
      if (d === QUOTE) j = stringEnd(bytes, j, end) - 1;
      else if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
      else if ((d === CLOSE_BRACE || d === CLOSE_BRACKET) && --depth === 0) return j + 1;
    }
    throw new JsonSpanError(`unterminated ${c === OPEN_BRACE ? "object" : "array"}`, i);
  }
  // A number, true, false or null: up to the next delimiter (JSON.parse of the span judges it).
  let j = i;
  while (j < end) {
    const d = bytes[j]!;
    if (isWhitespace(d) || d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || d === COLON || d === QUOTE || d === OPEN_BRACE || d === OPEN_BRACKET) break;
    j++;
  }
  if (j === i) throw new JsonSpanError(`unexpected ${describe(bytes, i, end)}`, i);
  return j;
}

function expect(bytes: Uint8Array, i: number, end: number, code: number, what: string): void {
  if (bytes[i] !== code || i >= end) throw new JsonSpanError(`expected ${what}, found ${describe(bytes, i, end)}`, i);
}

/**
 * The members of the JSON object that is the whole of `bytes` (whitespace around it allowed): key
 * → the span of its value. A key given twice keeps its last value, as JSON.parse does. Throws
 * JsonSpanError when the text is not an object or its skeleton is broken.
 */
export function objectMemberSpans(bytes: Uint8Array): Map<string, Span> {
  const end = bytes.length;
  const members = new Map<string, Span>();
  let i = skipWhitespace(bytes, 0, end);
  expect(bytes, i, end, OPEN_BRACE, "'{'");
  i = skipWhitespace(bytes, i + 1, end);
  if (bytes[i] === CLOSE_BRACE) i++;
  else {
    for (;;) {
      expect(bytes, i, end, QUOTE, "a member name");
      const keyEnd = stringEnd(bytes, i, end);
      let key: string;
      try {
        key = JSON.parse(keyDecoder.decode(bytes.subarray(i, keyEnd))) as string;
      } catch {
        throw new JsonSpanError("a member name that is not a valid JSON string", i);
      }
      i = skipWhitespace(bytes, keyEnd, end);
      expect(bytes, i, end, COLON, "':'");
      i = skipWhitespace(bytes, i + 1, end);
      const start = i;
      i = valueEnd(bytes, i, end);
      members.set(key, { start, end: i });
      i = skipWhitespace(bytes, i, end);
      if (bytes[i] === COMMA && i < end) {
        i = skipWhitespace(bytes, i + 1, end);
        continue;
      }
      expect(bytes, i, end, CLOSE_BRACE, "',' or '}'");
      i++;
      break;
    }
  }
  i = skipWhitespace(bytes, i, end);
  if (i < end) throw new JsonSpanError("unexpected text after the object", i);
  return members;
}

/** Whether the value at `span` is an array (its text starts with '['). */
export function isArraySpan(bytes: Uint8Array, span: Span): boolean {
  return bytes[span.start] === OPEN_BRACKET;
}

/** The spans of the elements of the array at `span` (found by objectMemberSpans or valueEnd). */
export function arrayElementSpans(bytes: Uint8Array, span: Span): Span[] {
  const end = span.end;
  let i = span.start;
  expect(bytes, i, end, OPEN_BRACKET, "'['");
  const out: Span[] = [];
  i = skipWhitespace(bytes, i + 1, end);
  if (bytes[i] === CLOSE_BRACKET) return out;
  for (;;) {
    const start = i;
    if (i >= end) throw new JsonSpanError("unterminated array", span.start);
    i = valueEnd(bytes, i, end);
    out.push({ start, end: i });
    i = skipWhitespace(bytes, i, end);
    if (bytes[i] === COMMA && i < end) {
      i = skipWhitespace(bytes, i + 1, end);
      continue;
    }
    expect(bytes, i, end, CLOSE_BRACKET, "',' or ']'");
    return out;
  }
}
