// Hand-written lexer for calculate_output formulas. Positions are 0-based offsets into the
// source; errors convert them to 1-based columns.

import { FormulaError } from "./errors.js";

export type OperatorText = "+" | "-" | "*" | "/" | "^";

export type Token =
  | { readonly kind: "number"; readonly text: string; readonly start: number; readonly value: number }
  | { readonly kind: "identifier"; readonly text: string; readonly start: number }
  | { readonly kind: "operator"; readonly text: OperatorText; readonly start: number }
  | { readonly kind: "(" | ")" | ","; readonly text: string; readonly start: number }
  | { readonly kind: "end"; readonly text: ""; readonly start: number };

const OPERATORS: ReadonlySet<string> = new Set(["+", "-", "*", "/", "^"]);
const PUNCTUATION: ReadonlySet<string> = new Set(["(", ")", ","]);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57; // 0-9 (NaN past the end is false)
}

function isIdentifierStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // A-Z a-z _
}

function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || isDigit(c);
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13); // space \t \n \v \f \r
}

function skipDigits(source: string, i: number): number {
  while (isDigit(source.charCodeAt(i))) i++;
  return i;
}

/** End offset of the number starting at `start`: `12`, `1.`, `.5`, `2.5E+2`, `1e-3`. */
function scanNumber(source: string, start: number): number {
  let i = skipDigits(source, start);
  if (source[i] === ".") i = skipDigits(source, i + 1);
  if (source[i] !== "e" && source[i] !== "E") return i;
  let digits = i + 1;
  if (source[digits] === "+" || source[digits] === "-") digits++;
  const end = skipDigits(source, digits);
  if (end === digits) {
    // `2e` is almost certainly a typo, not `2` followed by a key named `e`.
    const text = source.slice(start, digits);
    throw new FormulaError("malformed_number", `malformed number '${text}', expected digits after the exponent`, start + 1);
  }
  return end;
}

/** Shows an offending character readably, escaping control characters. */
function describeCharacter(source: string, i: number): string {
  const char = String.fromCodePoint(source.codePointAt(i)!);
  return JSON.stringify(char).slice(1, -1).replace(/'/g, "\\'");
}

/** Splits a formula into tokens, always ending with an `end` token at `source.length`. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source.charCodeAt(i);
    if (isSpace(c)) {
      i++;
    } else if (isDigit(c) || (c === 46 /* . */ && isDigit(source.charCodeAt(i + 1)))) {
      const end = scanNumber(source, i);
      const text = source.slice(i, end);
      tokens.push({ kind: "number", text, start: i, value: Number(text) });
      i = end;
    } else if (isIdentifierStart(c)) {
      let end = i + 1;
      while (isIdentifierPart(source.charCodeAt(end))) end++;
      tokens.push({ kind: "identifier", text: source.slice(i, end), start: i });
      i = end;
    } else if (OPERATORS.has(source[i]!)) {
      tokens.push({ kind: "operator", text: source[i] as OperatorText, start: i });
      i++;
    } else if (PUNCTUATION.has(source[i]!)) {
      tokens.push({ kind: source[i] as "(" | ")" | ",", text: source[i]!, start: i });
      i++;
    } else {
      throw new FormulaError("unexpected_character", `unexpected character '${describeCharacter(source, i)}'`, i + 1);
    }
  }
  tokens.push({ kind: "end", text: "", start: source.length });
  return tokens;
}
