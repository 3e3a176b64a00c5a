// Recursive-descent parser for calculate_output formulas (spec §7).
//
//   expression := term (('+' | '-') term)*
//   term       := unary (('*' | '/') unary)*
//   unary      := ('-' | '+') unary | power
//   power      := primary ('^' unary)?          -- right-associative; `2^-1` is allowed
//   primary    := number | key | function '(' expression (',' expression)* ')' | '(' expression ')'
//
// `^` binds tighter than unary minus (`-2^2` = -4), like Python's `**`.

import { closestName, FormulaError } from "./errors.js";
import { tokenize, type Token } from "./lexer.js";

export type BinaryOperator = "+" | "-" | "*" | "/" | "^";
export type UnaryOperator = "+" | "-";

export const FORMULA_FUNCTIONS = ["min", "max", "abs", "floor", "ceil", "exp", "sqrt", "log"] as const;
export type FormulaFunction = (typeof FORMULA_FUNCTIONS)[number];

/** Every node records the 1-based column where it starts, for error reporting by callers. */
export interface NumberLiteral {
  readonly kind: "number";
  readonly value: number;
  readonly column: number;
}
export interface VariableRef {
  readonly kind: "variable";
  readonly name: string;
  readonly column: number;
}
export interface UnaryExpression {
  readonly kind: "unary";
  readonly operator: UnaryOperator;
  readonly operand: FormulaAst;
  readonly column: number;
}
export interface BinaryExpression {
  readonly kind: "binary";
  readonly operator: BinaryOperator;
  readonly left: FormulaAst;
  readonly right: FormulaAst;
  readonly column: number;
}
export interface FunctionCall {
  readonly kind: "call";
  readonly name: FormulaFunction;
  readonly args: readonly FormulaAst[];
  readonly column: number;
}
export type FormulaAst = NumberLiteral | VariableRef | UnaryExpression | BinaryExpression | FunctionCall;

/**
 * Limits that keep parsing and the (recursive) compiled evaluator far from the JS stack limit:
 * parentheses/unary nesting, and the height of the tree (a long `a+b+c+...` chain is a deep
 * left-leaning tree even without parentheses).
 */
const MAX_NESTING = 256;
const MAX_HEIGHT = 1000;

interface Parser {
  readonly tokens: readonly Token[];
  pos: number;
  nesting: number;
  /** Heights of nodes built so far; see MAX_HEIGHT. */
  readonly heights: Map<FormulaAst, number>;
  /** The multi's keys, or undefined for a syntax-only parse. */
  readonly keys: readonly string[] | undefined;
}

const FUNCTION_NAMES: ReadonlySet<string> = new Set(FORMULA_FUNCTIONS);

function isFunctionName(name: string): name is FormulaFunction {
  return FUNCTION_NAMES.has(name);
}

function peek(p: Parser): Token {
  return p.tokens[p.pos]!;
}

function next(p: Parser): Token {
  return p.tokens[p.pos++]!;
}

function column(token: Token): number {
  return token.start + 1;
}

function quoteList(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(", ");
}

/** "unexpected X, expected Y": at the end of input the error is `unexpected_end`. */
function unexpected(token: Token, expected: string): FormulaError {
  if (token.kind === "end") {
    return new FormulaError("unexpected_end", `unexpected end of formula, expected ${expected}`, column(token));
  }
  return new FormulaError("unexpected_token", `unexpected '${token.text}', expected ${expected}`, column(token));
}

/** Registers a finished node, rejecting trees too tall to evaluate recursively. */
function built<T extends FormulaAst>(p: Parser, node: T, children: readonly FormulaAst[]): T {
  let height = 1;
  for (const child of children) height = Math.max(height, p.heights.get(child)! + 1);
  if (height > MAX_HEIGHT) {
    throw new FormulaError("too_complex", `formula is too complex, expected at most ${MAX_HEIGHT} nested operations`, node.column);
  }
  p.heights.set(node, height);
  return node;
}

function parseExpression(p: Parser): FormulaAst {
  let left = parseTerm(p);
  for (let op = peek(p); op.kind === "operator" && (op.text === "+" || op.text === "-"); op = peek(p)) {
    next(p);
    const right = parseTerm(p);
    left = built(p, { kind: "binary", operator: op.text, left, right, column: left.column }, [left, right]);
  }
  return left;
}

function parseTerm(p: Parser): FormulaAst {
  let left = parseUnary(p);
  for (let op = peek(p); op.kind === "operator" && (op.text === "*" || op.text === "/"); op = peek(p)) {
    next(p);
    const right = parseUnary(p);
    left = built(p, { kind: "binary", operator: op.text, left, right, column: left.column }, [left, right]);
  }
  return left;
}

// Every recursive path (parentheses, call arguments, unary chains, exponents) passes through
// here, so this is where nesting is bounded.
function parseUnary(p: Parser): FormulaAst {
  const token = peek(p);
  if (++p.nesting > MAX_NESTING) {
    throw new FormulaError("too_complex", `formula is too complex, expected at most ${MAX_NESTING} levels of nesting`, column(token));
  }
  let node: FormulaAst;
  if (token.kind === "operator" && (token.text === "-" || token.text === "+")) {
    next(p);
    const operand = parseUnary(p);
    node = built(p, { kind: "unary", operator: token.text, operand, column: column(token) }, [operand]);
  } else {
    node = parsePower(p);
  }
  p.nesting--;
  return node;
}

function parsePower(p: Parser): FormulaAst {
  const base = parsePrimary(p);
  const op = peek(p);
  if (op.kind !== "operator" || op.text !== "^") return base;
  next(p);
  const exponent = parseUnary(p); // recursion makes `^` right-associative
  return built(p, { kind: "binary", operator: "^", left: base, right: exponent, column: base.column }, [base, exponent]);
}

function parsePrimary(p: Parser): FormulaAst {
  const token = next(p);
  switch (token.kind) {
    case "number":
      return built(p, { kind: "number", value: token.value, column: column(token) }, []);
    case "identifier":
      return peek(p).kind === "(" ? parseCall(p, token) : parseVariable(p, token);
    case "(": {
      const inner = parseExpression(p);
      const close = next(p);
      if (close.kind !== ")") throw unexpected(close, "an operator or ')'");
      return inner;
    }
    default:
      throw unexpected(token, "an operand");
  }
}

function parseVariable(p: Parser, token: Token): VariableRef {
  const name = token.text;
  const node = built(p, { kind: "variable", name, column: column(token) } as const, []);
  if (p.keys === undefined || p.keys.includes(name)) return node;
  if (isFunctionName(name)) {
    throw new FormulaError("missing_call", `function '${name}' used without arguments, expected '${name}(...)'`, column(token));
  }
  const suggestion = closestName(name, p.keys);
  const detail =
    suggestion !== undefined
      ? `unknown grader key '${name}' (did you mean '${suggestion}'?)`
      : p.keys.length > 0
        ? `unknown grader key '${name}', expected one of ${quoteList(p.keys)}`
        : `unknown grader key '${name}', graders has no keys`;
  throw new FormulaError("unknown_key", detail, column(token));
}

function parseCall(p: Parser, nameToken: Token): FunctionCall {
  const name = nameToken.text;
  if (!isFunctionName(name)) {
    if (p.keys?.includes(name)) {
      throw new FormulaError("not_callable", `grader key '${name}' is not a function, expected an operator before '('`, column(nameToken));
    }
    const suggestion = closestName(name, FORMULA_FUNCTIONS);
    const detail =
      suggestion !== undefined
        ? `unknown function '${name}' (did you mean '${suggestion}'?)`
        : `unknown function '${name}', expected one of ${FORMULA_FUNCTIONS.join(", ")}`;
    throw new FormulaError("unknown_function", detail, column(nameToken));
  }
  next(p); // "("
  const args: FormulaAst[] = [];
  if (peek(p).kind === ")") {
    next(p);
  } else {
    for (;;) {
      args.push(parseExpression(p));
      const separator = next(p);
      if (separator.kind === ")") break;
      if (separator.kind !== ",") throw unexpected(separator, "an operator, ',' or ')'");
    }
  }
  checkArity(name, args.length, column(nameToken));
  return built(p, { kind: "call", name, args, column: column(nameToken) }, args);
}

function checkArity(name: FormulaFunction, count: number, col: number): void {
  const variadic = name === "min" || name === "max";
  if (variadic ? count >= 1 : count === 1) return;
  const expected = variadic ? "at least 1 argument" : "1 argument";
  throw new FormulaError("arity", `${name} expects ${expected}, got ${count}`, col);
}

/**
 * Parses a formula. With `keys`, identifiers are also checked against the multi's grader keys
 * (a key may even shadow a function name when used without a call); without, only syntax and
 * function names/arity are checked.
 */
export function parse(source: string, keys?: readonly string[]): FormulaAst {
  const tokens = tokenize(source);
  if (tokens.length === 1) {
    throw new FormulaError("empty_formula", "empty formula, expected an expression", 1);
  }
  const p: Parser = { tokens, pos: 0, nesting: 0, heights: new Map(), keys };
  const ast = parseExpression(p);
  const rest = peek(p);
  if (rest.kind === ")") {
    // A stray ')' is self-explanatory: there is no '(' for it to close.
    throw new FormulaError("unexpected_token", "unexpected ')'", column(rest));
  }
  if (rest.kind !== "end") throw unexpected(rest, "an operator or end of formula");
  return ast;
}
