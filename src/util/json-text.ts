// JSON documents as people write them: a UTF-8 BOM (Notepad writes one) is not part of the
// document, and a syntax error is reported as line:column with what was expected, not as V8's
// "Unexpected token ... is not valid JSON" (which often has no position at all).

const BOM = "\ufeff";

/** The text without a leading byte-order mark. */
export function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

export class JsonSyntaxError extends SyntaxError {
  constructor(
    /** What is wrong, e.g. "expected ':' after a property name". */
    readonly reason: string,
    /** 0-based offset into the text. */
    readonly offset: number,
    /** 1-based line and column (columns count UTF-16 units, as editors that report columns do). */
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = "JsonSyntaxError";
  }
}

/** Parse JSON text (a leading BOM is ignored); a syntax error is a JsonSyntaxError with line:column. */
export function parseJsonText(text: string): unknown {
  const body = stripBom(text);
  try {
    return JSON.parse(body);
  } catch {
    // JSON.parse failed: find where, with our own scanner (it runs only on invalid documents).
    throw locateSyntaxError(body);
  }
}

/** Line and column (1-based) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The first syntax error of an invalid JSON text (RFC 8259 grammar). */
export function locateSyntaxError(text: string): JsonSyntaxError {
  let pos = 0;
  const fail = (reason: string, at = pos): never => {
    const { line, column } = lineColumn(text, at);
    throw new JsonSyntaxError(reason, at, line, column);
  };
  const describe = (at: number) => (at >= text.length ? "the end of the text" : `'${text[at]}'`);
  const skipWhitespace = () => {
    while (pos < text.length && (text[pos] === " " || text[pos] === "\t" || text[pos] === "\n" || text[pos] === "\r")) pos++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, pos)) pos += word.length;
    else fail(`unexpected ${describe(pos)}: expected a value`);
  };
  const string = () => {
    pos++; // the opening quote
    for (;;) {
      if (pos >= text.length) fail("unterminated string");
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        pos++;
        return;
      }
      if (c < 0x20) fail("control character in a string (escape it, e.g. \\n)");
      if (c === 0x5c) {
        const e = text[pos + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) fail("invalid \\u escape: expected 4 hex digits");
          pos += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) pos += 2;
        else fail(`invalid escape '\\${e ?? ""}'`);
      } else pos++;
    }
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(pos, pos + 400));
    if (!m || m[0] === "-") fail(`invalid number`);
    pos += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail("nested too deeply");
    skipWhitespace();
    const c = text[pos];
    if (c === "{") {
      pos++;
      skipWhitespace();
      if (text[pos] === "}") {
        pos++;
        return;
      }
      for (;;) {
        skipWhitespace();
        if (text[pos] !== '"') fail(`unexpected ${describe(pos)}: expected a property name in double quotes`);
        string();
        skipWhitespace();
        if (text[pos] !== ":") fail(`unexpected ${describe(pos)}: expected ':' after a property name`);
        pos++;
        value(depth + 1);
        skipWhitespace();
        if (text[pos] === ",") {
          pos++;
          skipWhitespace();
          if (text[pos] === "}") fail("trailing comma before '}'");
          continue;
        }
        if (text[pos] === "}") {
          pos++;
          return;
        }
        fail(`unexpected ${describe(pos)}: expected ',' or '}' after a property value`);
      }
    }
    if (c === "[") {
      pos++;
      skipWhitespace();
      if (text[pos] === "]") {
        pos++;
        return;
      }
      for (;;) {
        value(depth + 1);
        skipWhitespace();
        if (text[pos] === ",") {
          pos++;
          skipWhitespace();
          if (text[pos] === "]") fail("trailing comma before ']'");
          continue;
        }
        if (text[pos] === "]") {
          pos++;
          return;
        }
        fail(`unexpected ${describe(pos)}: expected ',' or ']' after an array element`);
      }
    }
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    if (c === "'") fail("strings must use double quotes");
    fail(`unexpected ${describe(pos)}: expected a value`);
  };
  try {
    value(0);
    skipWhitespace();
    if (pos < text.length) fail(`unexpected ${describe(pos)} after the JSON value`);
  } catch (err) {
    if (err instanceof JsonSyntaxError) return err;
    throw err;
  }
  // The scanner accepts what JSON.parse rejected: should not happen; report the whole text.
  return new JsonSyntaxError("not valid JSON", 0, 1, 1);
}
