import { describe, expect, it } from "vitest";
import { compileFormula, FormulaError, parseFormula } from "../src/formula/index.js";

/** Compiles over the keys of `values` and evaluates once. */
function calc(source: string, values: Record<string, number> = {}): number {
  return compileFormula(source, Object.keys(values)).evaluate(values);
}

describe("grammar", () => {
  // [formula, variable values, expected] — expected values worked out by hand.
  const cases: Array<[string, Record<string, number>, number]> = [
    // precedence
    ["1 + 2 * 3", {}, 7],
    ["(1 + 2) * 3", {}, 9],
    ["2 * 3 + 1", {}, 7],
    ["1 + 6 / 2", {}, 4],
    ["2 ^ 2 * 3", {}, 12],
    ["3 * 2 ^ 2", {}, 12],
    ["2 ^ 3 + 1", {}, 9],
    ["-2 * 3 ^ 2", {}, -18],
    // associativity
    ["10 - 4 - 3", {}, 3],
    ["10 - (4 - 3)", {}, 9],
    ["64 / 4 / 2", {}, 8],
    ["8 / 2 * 4", {}, 16],
    ["1 + 2 - 3 + 4", {}, 4],
    ["2 ^ 3 ^ 2", {}, 512],
    ["(2 ^ 3) ^ 2", {}, 64],
    // unary operators
    ["--1", {}, 1],
    ["-+1", {}, -1],
    ["+-1", {}, -1],
    ["+1", {}, 1],
    ["- - -2", {}, -2],
    ["-2^2", {}, -4],
    ["(-2)^2", {}, 4],
    ["2^-1", {}, 0.5],
    ["2^-1^2", {}, 0.5],
    ["2^+3", {}, 8],
    ["2 * -3", {}, -6],
    ["1 - -1", {}, 2],
    ["-a", { a: 3 }, -3],
    ["-a^2", { a: 3 }, -9],
    // functions
    ["min(3)", {}, 3],
    ["min(3, 1, 2)", {}, 1],
    ["max(3)", {}, 3],
    ["max(1, 3, 2)", {}, 3],
    ["min(a, b)", { a: 0.25, b: 0.75 }, 0.25],
    ["max(a, b, c)", { a: 0.25, b: 0.75, c: 0.5 }, 0.75],
    ["abs(-2.5)", {}, 2.5],
    ["abs(a)", { a: -0.5 }, 0.5],
    ["floor(-2.5)", {}, -3],
    ["floor(a)", { a: 2.75 }, 2],
    ["ceil(-2.5)", {}, -2],
    ["ceil(a)", { a: 2.25 }, 3],
    ["exp(0)", {}, 1],
    ["exp(a)", { a: 0 }, 1],
    ["sqrt(2.25)", {}, 1.5],
    ["sqrt(a)", { a: 16 }, 4],
    ["log(1)", {}, 0],
    ["log(a)", { a: 1 }, 0],
    ["min(1, max(0, a * 2))", { a: 0.25 }, 0.5],
    ["-min(2, 3)", {}, -2],
    // whitespace
    ["  \t1\n+\r\n2  ", {}, 3],
    ["min ( 1 , 2 )", {}, 1],
    ["a*b+c", { a: 2, b: 3, c: 1 }, 7],
    // number literals
    ["1e-3", {}, 0.001],
    ["2.5E+2", {}, 250],
    ["1E2", {}, 100],
    ["3e0", {}, 3],
    [".5", {}, 0.5],
    ["1.", {}, 1],
    ["1.e1", {}, 10],
    ["0.25e1", {}, 2.5],
    ["007", {}, 7],
    // identifiers; a key may share a function's name when used without a call
    ["_x1 + B2", { _x1: 1, B2: 2 }, 3],
    ["min + 1", { min: 4 }, 5],
    ["min(min, 2)", { min: 4 }, 2],
    ["0.5 * correct + 0.25 * format + 0.25 * min(1, length)", { correct: 1, format: 0.5, length: 2 }, 0.875],
    // signed zero survives sums (toBe distinguishes -0 from 0)
    ["a + b + c", { a: -0, b: -0, c: -0 }, -0],
    ["0 * a - 0 * b - 0", { a: -1, b: 1 }, -0],
    ["-a", { a: 0 }, -0],
    ["a - b - c", { a: 1, b: 0.5, c: 0.25 }, 0.25],
    ["a - 2 * b + c * 4 - 0.5", { a: 1, b: 0.25, c: 0.125 }, 0.5],
  ];

  it.each(cases)("%j with %j = %d", (source, values, expected) => {
    expect(calc(source, values)).toBe(expected);
  });

  it("evaluates log as the natural logarithm", () => {
    expect(calc("log(8) / log(2)")).toBeCloseTo(3, 12);
    expect(calc("log(exp(a))", { a: 2 })).toBeCloseTo(2, 12);
  });

  it("builds the documented tree shape", () => {
    expect(parseFormula("-2^2")).toEqual({
      kind: "unary",
      operator: "-",
      column: 1,
      operand: {
        kind: "binary",
        operator: "^",
        column: 2,
        left: { kind: "number", value: 2, column: 2 },
        right: { kind: "number", value: 2, column: 4 },
      },
    });
    expect(parseFormula("a - b - c")).toEqual({
      kind: "binary",
      operator: "-",
      column: 1,
      left: {
        kind: "binary",
        operator: "-",
        column: 1,
        left: { kind: "variable", name: "a", column: 1 },
        right: { kind: "variable", name: "b", column: 5 },
      },
      right: { kind: "variable", name: "c", column: 9 },
    });
  });

  it("parses without checking keys when none are given", () => {
    expect(parseFormula("zebra + min")).toMatchObject({
      kind: "binary",
      left: { kind: "variable", name: "zebra" },
      right: { kind: "variable", name: "min" },
    });
  });
});

describe("errors", () => {
  const KEYS = ["accuracy", "format"];
  // [formula, keys, code, column, message]
  const cases: Array<[string, string[], string, number, string]> = [
    ["min(a, b) + c)", ["a", "b", "c"], "unexpected_token", 14, "calculate_output: unexpected ')' at column 14"],
    ["a + ", ["a"], "unexpected_end", 5, "calculate_output: unexpected end of formula, expected an operand at column 5"],
    ["-", [], "unexpected_end", 2, "calculate_output: unexpected end of formula, expected an operand at column 2"],
    ["2^", [], "unexpected_end", 3, "calculate_output: unexpected end of formula, expected an operand at column 3"],
    ["1 +* 2", [], "unexpected_token", 4, "calculate_output: unexpected '*', expected an operand at column 4"],
    ["()", [], "unexpected_token", 2, "calculate_output: unexpected ')', expected an operand at column 2"],
    ["(a + b", ["a", "b"], "unexpected_end", 7, "calculate_output: unexpected end of formula, expected an operator or ')' at column 7"],
    ["(a b)", ["a", "b"], "unexpected_token", 4, "calculate_output: unexpected 'b', expected an operator or ')' at column 4"],
    ["a b", ["a", "b"], "unexpected_token", 3, "calculate_output: unexpected 'b', expected an operator or end of formula at column 3"],
    ["2a", ["a"], "unexpected_token", 2, "calculate_output: unexpected 'a', expected an operator or end of formula at column 2"],
    ["a , b", ["a", "b"], "unexpected_token", 3, "calculate_output: unexpected ',', expected an operator or end of formula at column 3"],
    ["min(a b)", ["a", "b"], "unexpected_token", 7, "calculate_output: unexpected 'b', expected an operator, ',' or ')' at column 7"],
    ["min(a,)", ["a"], "unexpected_token", 7, "calculate_output: unexpected ')', expected an operand at column 7"],
    ["min(a", ["a"], "unexpected_end", 6, "calculate_output: unexpected end of formula, expected an operator, ',' or ')' at column 6"],
    ["0.5 * acuracy", KEYS, "unknown_key", 7, "calculate_output: unknown grader key 'acuracy' (did you mean 'accuracy'?) at column 7"],
    ["Format", KEYS, "unknown_key", 1, "calculate_output: unknown grader key 'Format' (did you mean 'format'?) at column 1"],
    ["0.5 * zebra", KEYS, "unknown_key", 7, "calculate_output: unknown grader key 'zebra', expected one of 'accuracy', 'format' at column 7"],
    ["x", [], "unknown_key", 1, "calculate_output: unknown grader key 'x', graders has no keys at column 1"],
    ["log(accuracy, format)", KEYS, "arity", 1, "calculate_output: log expects 1 argument, got 2 at column 1"],
    ["abs()", [], "arity", 1, "calculate_output: abs expects 1 argument, got 0 at column 1"],
    ["1 + min()", [], "arity", 5, "calculate_output: min expects at least 1 argument, got 0 at column 5"],
    ["max()", [], "arity", 1, "calculate_output: max expects at least 1 argument, got 0 at column 1"],
    ["foo(accuracy)", KEYS, "unknown_function", 1, "calculate_output: unknown function 'foo', expected one of min, max, abs, floor, ceil, exp, sqrt, log at column 1"],
    ["2 * mni(1)", [], "unknown_function", 5, "calculate_output: unknown function 'mni' (did you mean 'min'?) at column 5"],
    ["min + 1", KEYS, "missing_call", 1, "calculate_output: function 'min' used without arguments, expected 'min(...)' at column 1"],
    ["1 - accuracy(2)", KEYS, "not_callable", 5, "calculate_output: grader key 'accuracy' is not a function, expected an operator before '(' at column 5"],
    ["accuracy # 2", KEYS, "unexpected_character", 10, "calculate_output: unexpected character '#' at column 10"],
    [".", [], "unexpected_character", 1, "calculate_output: unexpected character '.' at column 1"],
    ["1 ** 2", [], "unexpected_token", 4, "calculate_output: unexpected '*', expected an operand at column 4"],
    ["2e", [], "malformed_number", 1, "calculate_output: malformed number '2e', expected digits after the exponent at column 1"],
    ["1 + 3E+", [], "malformed_number", 5, "calculate_output: malformed number '3E+', expected digits after the exponent at column 5"],
    ["", [], "empty_formula", 1, "calculate_output: empty formula, expected an expression at column 1"],
    [" \t\n ", [], "empty_formula", 1, "calculate_output: empty formula, expected an expression at column 1"],
  ];

  it.each(cases)("%j", (source, keys, code, column, message) => {
    let caught: unknown;
    try {
      compileFormula(source, keys);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FormulaError);
    expect(caught).toBeInstanceOf(Error);
    expect(caught).toMatchObject({ name: "FormulaError", code, column, message });
  });

  it("reports the leftmost error first", () => {
    expect(() => compileFormula("zebra + foo(1", KEYS)).toThrow("unknown grader key 'zebra'");
  });

  it("checks syntax and functions, but not keys, in parseFormula", () => {
    expect(() => parseFormula("foo(1)")).toThrow("calculate_output: unknown function 'foo'");
    expect(() => parseFormula("log(1, 2)")).toThrow("calculate_output: log expects 1 argument, got 2 at column 1");
    expect(() => parseFormula("1 +")).toThrow(FormulaError);
  });

  it("rejects formulas too deeply nested or too long to evaluate recursively", () => {
    const nested = "(".repeat(300) + "1" + ")".repeat(300);
    expect(() => parseFormula(nested)).toThrow(expect.objectContaining({ code: "too_complex" }));
    expect(() => parseFormula("-".repeat(300) + "1")).toThrow(expect.objectContaining({ code: "too_complex" }));
    const longSum = Array.from({ length: 1200 }, () => "1").join("+");
    expect(() => parseFormula(longSum)).toThrow(expect.objectContaining({ code: "too_complex" }));
    // Moderately large formulas are fine.
    expect(calc("(".repeat(100) + "1" + ")".repeat(100))).toBe(1);
    expect(calc(Array.from({ length: 500 }, () => "1").join("+"))).toBe(500);
  });
});

describe("evaluation", () => {
  it("returns non-finite results instead of throwing", () => {
    expect(calc("1/0")).toBe(Infinity);
    expect(calc("-1/0")).toBe(-Infinity);
    expect(calc("log(0)")).toBe(-Infinity);
    expect(calc("sqrt(-1)")).toBeNaN();
    expect(calc("a / b", { a: 1, b: 0 })).toBe(Infinity);
    expect(calc("a / b", { a: 0, b: 0 })).toBeNaN();
    expect(calc("log(a)", { a: 0 })).toBe(-Infinity);
    expect(calc("sqrt(a)", { a: -1 })).toBeNaN();
    expect(calc("min(1, a)", { a: NaN })).toBeNaN();
  });

  it("lists only the keys the formula uses, in key order, as evaluateArray slots", () => {
    const f = compileFormula("2 * c + a - a", ["a", "b", "c"]);
    expect(f.source).toBe("2 * c + a - a");
    expect(f.variables).toEqual(["a", "c"]);
    expect(f.evaluateArray(Float64Array.of(5, 3))).toBe(6);
    expect(f.evaluate({ a: 5, b: 100, c: 3 })).toBe(6);
  });

  it("evaluates a formula without variables", () => {
    const f = compileFormula("min(1, 2) + 3", ["a"]);
    expect(f.variables).toEqual([]);
    expect(f.evaluate({})).toBe(4);
    expect(f.evaluateArray(new Float64Array(0))).toBe(4);
  });

  it("throws when a variable's value is missing", () => {
    const f = compileFormula("a + b", ["a", "b"]);
    expect(() => f.evaluate({ a: 1 })).toThrow("no numeric value for grader key 'b'");
    expect(() => f.evaluateArray(Float64Array.of(1))).toThrow("expected 2 values (a, b), got 1");
    const g = compileFormula("constructor", ["constructor"]);
    expect(() => g.evaluate({})).toThrow("no numeric value for grader key 'constructor'");
  });

  it("is reusable across calls", () => {
    const f = compileFormula("a * 2", ["a"]);
    expect([1, 2, 3].map((a) => f.evaluate({ a }))).toEqual([2, 4, 6]);
  });
});

// --- property test: random formulas against a reference evaluator written here ---

/** mulberry32: small seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Node =
  | { t: "num"; text: string }
  | { t: "var"; name: string }
  | { t: "neg" | "pos"; x: Node }
  | { t: "bin"; op: "+" | "-" | "*" | "/" | "^"; l: Node; r: Node }
  | { t: "call"; fn: string; args: Node[] };

// Includes keys named like functions: used bare they must read the key.
const POOL = ["a", "b", "score", "x_1", "_y", "Len2", "min", "log"];
const UNARY_FNS = ["abs", "floor", "ceil", "exp", "sqrt", "log"];

function generate(rand: () => number, depth: number): Node {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const int = (n: number) => Math.floor(rand() * n);
  if (depth === 0 || rand() < 0.25) {
    if (rand() < 0.5) return { t: "var", name: pick(POOL) };
    const i = int(20);
    const d = int(1000);
    const text = pick([`${i}`, `${i}.${d}`, `.${d}`, `${i}.`, `${i}.${d}e${pick(["", "+", "-"])}${int(3)}`, `${i}E-${int(3)}`]);
    return { t: "num", text };
  }
  const r = rand();
  if (r < 0.1) return weightedSum(rand, depth);
  if (r < 0.55) {
    return { t: "bin", op: pick(["+", "+", "-", "*", "*", "/", "^"] as const), l: generate(rand, depth - 1), r: generate(rand, depth - 1) };
  }
  if (r < 0.7) return { t: rand() < 0.75 ? "neg" : "pos", x: generate(rand, depth - 1) };
  const fn = pick(["min", "max", ...UNARY_FNS]);
  const count = fn === "min" || fn === "max" ? 1 + int(4) : 1;
  return { t: "call", fn, args: Array.from({ length: count }, () => generate(rand, depth - 1)) };
}

/** `w1*x1 ± x2*w2 ± ...`: the shape real multi formulas have, including `-0` and constant terms. */
function weightedSum(rand: () => number, depth: number): Node {
  const weights = ["0.1", "0.25", "0.5", "1", "0", "3", "1e-2"];
  const term = (): Node => {
    const x = generate(rand, depth - 1);
    const w: Node = { t: "num", text: weights[Math.floor(rand() * weights.length)]! };
    const r = rand();
    return r < 0.4 ? { t: "bin", op: "*", l: w, r: x } : r < 0.7 ? { t: "bin", op: "*", l: x, r: w } : r < 0.8 ? w : x;
  };
  let sum = term();
  const count = 2 + Math.floor(rand() * 8);
  for (let k = 0; k < count; k++) sum = { t: "bin", op: rand() < 0.7 ? "+" : "-", l: sum, r: term() };
  return sum;
}

/** Binding strength: + - 1, * / 2, unary 3, ^ 4, atoms 5. */
function strength(node: Node): number {
  if (node.t === "bin") return node.op === "^" ? 4 : node.op === "+" || node.op === "-" ? 1 : 2;
  if (node.t === "neg" || node.t === "pos") return 3;
  return 5;
}

/** Prints with the parentheses the tree needs, plus random redundant ones and random whitespace. */
function print(node: Node, rand: () => number): string {
  const ws = () => ["", "", "", " ", "  ", "\t", "\n"][Math.floor(rand() * 7)]!;
  const wrap = (child: Node, needed: boolean) => {
    const text = print(child, rand);
    return needed || rand() < 0.1 ? `(${ws()}${text}${ws()})` : text;
  };
  switch (node.t) {
    case "num":
      return node.text;
    case "var":
      return node.name;
    case "neg":
    case "pos":
      return `${node.t === "neg" ? "-" : "+"}${ws()}${wrap(node.x, strength(node.x) < 3)}`;
    case "bin": {
      const s = strength(node);
      // `^` is right-associative and its exponent may be unary; the others are left-associative.
      const left = node.op === "^" ? strength(node.l) <= 4 : strength(node.l) < s;
      const right = node.op === "^" ? strength(node.r) < 3 : strength(node.r) <= s;
      return `${wrap(node.l, left)}${ws()}${node.op}${ws()}${wrap(node.r, right)}`;
    }
    case "call":
      return `${node.fn}${ws()}(${ws()}${node.args.map((a) => wrap(a, false)).join(`${ws()},${ws()}`)}${ws()})`;
  }
}

const MATH: Record<string, (...xs: number[]) => number> = {
  min: Math.min, max: Math.max, abs: Math.abs, floor: Math.floor, ceil: Math.ceil, exp: Math.exp, sqrt: Math.sqrt, log: Math.log,
};

function reference(node: Node, env: Record<string, number>): number {
  switch (node.t) {
    case "num":
      return Number(node.text);
    case "var":
      return env[node.name]!;
    case "neg":
      return -reference(node.x, env);
    case "pos":
      return reference(node.x, env);
    case "bin": {
      const l = reference(node.l, env);
      const r = reference(node.r, env);
      return node.op === "+" ? l + r : node.op === "-" ? l - r : node.op === "*" ? l * r : node.op === "/" ? l / r : Math.pow(l, r);
    }
    case "call":
      return MATH[node.fn]!(...node.args.map((a) => reference(a, env)));
  }
}

function usedNames(node: Node, into: Set<string>): Set<string> {
  if (node.t === "var") into.add(node.name);
  if (node.t === "neg" || node.t === "pos") usedNames(node.x, into);
  if (node.t === "bin") (usedNames(node.l, into), usedNames(node.r, into));
  if (node.t === "call") node.args.forEach((a) => usedNames(a, into));
  return into;
}

describe("property: compiled formulas agree with a reference evaluator", () => {
  it("on 4000 random formulas × 3 value rows", () => {
    const rand = prng(0x5eed);
    const special = [0, 1, -0.5, 2.5, 0.1, -0];
    let finite = 0;
    for (let n = 0; n < 4000; n++) {
      const tree = generate(rand, 1 + Math.floor(rand() * 6));
      const source = print(tree, rand);
      const compiled = compileFormula(source, POOL);
      expect(compiled.variables).toEqual(POOL.filter((k) => usedNames(tree, new Set()).has(k)));
      for (let row = 0; row < 3; row++) {
        const env = Object.fromEntries(POOL.map((k) => [k, rand() < 0.2 ? special[Math.floor(rand() * special.length)]! : rand()]));
        const expected = reference(tree, env);
        const got = compiled.evaluate(env);
        const gotArray = compiled.evaluateArray(Float64Array.from(compiled.variables, (k) => env[k]!));
        if (!Object.is(got, expected) || !Object.is(gotArray, expected)) {
          throw new Error(`mismatch for ${JSON.stringify(source)} with ${JSON.stringify(env)}: got ${got}/${gotArray}, expected ${expected}`);
        }
        if (Number.isFinite(expected)) finite++;
      }
    }
    // Guard against a generator that only produces NaN/Infinity (which would compare trivially).
    expect(finite).toBeGreaterThan(6000);
  });
});
