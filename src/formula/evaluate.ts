// Compiles a formula AST once into a tree of closures over a Float64Array of variable values
// (one slot per variable). Constants are folded, and arithmetic with a constant or variable
// operand reads it directly instead of calling a leaf closure: `0.1 * a` is one closure.
//
// Folding uses the very operations the closures use, so folded and unfolded results are
// bit-identical; nothing is rewritten algebraically (that could change NaN/-0/rounding).

import type { BinaryExpression, BinaryOperator, FormulaAst, FunctionCall } from "./parser.js";

/** Evaluates a compiled formula over variable values in slot order. */
export type Evaluator = (values: Float64Array) => number;

type Operand =
  | { readonly kind: "const"; readonly value: number }
  | { readonly kind: "slot"; readonly slot: number }
  | { readonly kind: "fn"; readonly fn: Evaluator };

interface BinaryKernels {
  apply(a: number, b: number): number;
  constSlot(c: number, j: number): Evaluator;
  slotConst(i: number, c: number): Evaluator;
  slotSlot(i: number, j: number): Evaluator;
  fnFn(l: Evaluator, r: Evaluator): Evaluator;
}

// One entry per operator, written out so each closure body is a plain, inlinable expression.
const BINARY: Readonly<Record<BinaryOperator, BinaryKernels>> = {
  "+": {
    apply: (a, b) => a + b,
    constSlot: (c, j) => (v) => c + v[j]!,
    slotConst: (i, c) => (v) => v[i]! + c,
    slotSlot: (i, j) => (v) => v[i]! + v[j]!,
    fnFn: (l, r) => (v) => l(v) + r(v),
  },
  "-": {
    apply: (a, b) => a - b,
    constSlot: (c, j) => (v) => c - v[j]!,
    slotConst: (i, c) => (v) => v[i]! - c,
    slotSlot: (i, j) => (v) => v[i]! - v[j]!,
    fnFn: (l, r) => (v) => l(v) - r(v),
  },
  "*": {
    apply: (a, b) => a * b,
    constSlot: (c, j) => (v) => c * v[j]!,
    slotConst: (i, c) => (v) => v[i]! * c,
    slotSlot: (i, j) => (v) => v[i]! * v[j]!,
    fnFn: (l, r) => (v) => l(v) * r(v),
  },
  "/": {
    apply: (a, b) => a / b,
    constSlot: (c, j) => (v) => c / v[j]!,
    slotConst: (i, c) => (v) => v[i]! / c,
    slotSlot: (i, j) => (v) => v[i]! / v[j]!,
    fnFn: (l, r) => (v) => l(v) / r(v),
  },
  "^": {
    apply: (a, b) => Math.pow(a, b),
    constSlot: (c, j) => (v) => Math.pow(c, v[j]!),
    slotConst: (i, c) => (v) => Math.pow(v[i]!, c),
    slotSlot: (i, j) => (v) => Math.pow(v[i]!, v[j]!),
    fnFn: (l, r) => (v) => Math.pow(l(v), r(v)),
  },
};

function constant(value: number): Operand {
  return { kind: "const", value };
}

function fn(f: Evaluator): Operand {
  return { kind: "fn", fn: f };
}

function toEvaluator(operand: Operand): Evaluator {
  switch (operand.kind) {
    case "const": {
      const c = operand.value;
      return () => c;
    }
    case "slot": {
      const i = operand.slot;
      return (v) => v[i]!;
    }
    case "fn":
      return operand.fn;
  }
}

function compileBinary(op: BinaryOperator, l: Operand, r: Operand): Operand {
  const k = BINARY[op];
  if (l.kind === "const" && r.kind === "const") return constant(k.apply(l.value, r.value));
  if (l.kind === "const" && r.kind === "slot") return fn(k.constSlot(l.value, r.slot));
  if (l.kind === "slot" && r.kind === "const") return fn(k.slotConst(l.slot, r.value));
  if (l.kind === "slot" && r.kind === "slot") return fn(k.slotSlot(l.slot, r.slot));
  return fn(k.fnFn(toEvaluator(l), toEvaluator(r)));
}

function compileNegate(x: Operand): Operand {
  switch (x.kind) {
    case "const":
      return constant(-x.value);
    case "slot": {
      const i = x.slot;
      return fn((v) => -v[i]!);
    }
    case "fn": {
      const f = x.fn;
      return fn((v) => -f(v));
    }
  }
}

const UNARY_MATH: Readonly<Record<"abs" | "floor" | "ceil" | "exp" | "sqrt" | "log", (x: number) => number>> = {
  abs: Math.abs,
  floor: Math.floor,
  ceil: Math.ceil,
  exp: Math.exp,
  sqrt: Math.sqrt,
  log: Math.log,
};

// Direct Math.* calls (not through UNARY_MATH) so the optimizer sees the builtin.
function unaryMathClosure(name: keyof typeof UNARY_MATH, f: Evaluator): Evaluator {
  switch (name) {
    case "abs":
      return (v) => Math.abs(f(v));
    case "floor":
      return (v) => Math.floor(f(v));
    case "ceil":
      return (v) => Math.ceil(f(v));
    case "exp":
      return (v) => Math.exp(f(v));
    case "sqrt":
      return (v) => Math.sqrt(f(v));
    case "log":
      return (v) => Math.log(f(v));
  }
}

/** min/max fold pairwise, left to right: same result as Math.min(...all), NaN and -0 included. */
function extremumClosure(name: "min" | "max", args: readonly Evaluator[]): Evaluator {
  if (args.length === 1) return args[0]!; // Math.min(x) is x for any number x
  if (args.length === 2) {
    const [a, b] = args as [Evaluator, Evaluator];
    return name === "min" ? (v) => Math.min(a(v), b(v)) : (v) => Math.max(a(v), b(v));
  }
  const pick = name === "min" ? Math.min : Math.max;
  return (v) => {
    let m = args[0]!(v);
    for (let i = 1; i < args.length; i++) m = pick(m, args[i]!(v));
    return m;
  };
}

function compileCall(node: FunctionCall, slots: ReadonlyMap<string, number>): Operand {
  const args = node.args.map((arg) => compileNode(arg, slots));
  const allConst = args.every((a) => a.kind === "const");
  if (node.name === "min" || node.name === "max") {
    const pick = node.name === "min" ? Math.min : Math.max;
    if (allConst) return constant(args.map((a) => (a as { value: number }).value).reduce((m, x) => pick(m, x)));
    return fn(extremumClosure(node.name, args.map(toEvaluator)));
  }
  const arg = args[0]!;
  if (arg.kind === "const") return constant(UNARY_MATH[node.name](arg.value));
  return fn(unaryMathClosure(node.name, toEvaluator(arg)));
}

// --- sums: `w1*a + w2*b - ... + w*f(x)` as one loop instead of a closure per node ---
//
// The chain ((t0 ± t1) ± t2) ... is evaluated as s = -0; s += c_k * x_k, in order. This is
// bit-identical to the tree: -0 is the additive identity (even for -0), s - t == s + (-t),
// -(c*x) == (-c)*x and c*x == x*c exactly in IEEE arithmetic, and 1*x == x.

interface SumTerm {
  readonly coef: number;
  readonly operand: Operand;
}

function isAdditive(node: FormulaAst): node is BinaryExpression {
  return node.kind === "binary" && (node.operator === "+" || node.operator === "-");
}

/** Chains of three or more terms; shorter ones gain nothing over compileBinary. */
function isSumChain(node: BinaryExpression): boolean {
  return isAdditive(node) && isAdditive(node.left);
}

/** `c * x` or `x * c` with a constant c becomes (c, x); anything else is (1, term). */
function sumTerm(node: FormulaAst, sign: number, slots: ReadonlyMap<string, number>): SumTerm {
  if (node.kind === "binary" && node.operator === "*") {
    const l = compileNode(node.left, slots);
    const r = compileNode(node.right, slots);
    if (l.kind === "const" && r.kind !== "const") return { coef: sign * l.value, operand: r };
    if (r.kind === "const" && l.kind !== "const") return { coef: sign * r.value, operand: l };
    return { coef: sign, operand: compileBinary("*", l, r) };
  }
  return { coef: sign, operand: compileNode(node, slots) };
}

function compileSumChain(node: BinaryExpression, slots: ReadonlyMap<string, number>): Operand {
  const reversed: SumTerm[] = [];
  let rest: FormulaAst = node;
  for (; isAdditive(rest); rest = rest.left) {
    reversed.push(sumTerm(rest.right, rest.operator === "-" ? -1 : 1, slots));
  }
  reversed.push(sumTerm(rest, 1, slots));
  const terms = reversed.reverse();

  if (terms.every((t) => t.operand.kind === "const")) {
    let s = -0;
    for (const t of terms) s += t.coef * (t.operand as { value: number }).value;
    return constant(s);
  }
  const n = terms.length;
  const coefs = Float64Array.from(terms, (t) => t.coef);
  // slot >= 0: read v[slot]; -1: call fns[k] (constants become closures, they are rare here).
  const termSlots = Int32Array.from(terms, (t) => (t.operand.kind === "slot" ? t.operand.slot : -1));
  const fns = terms.map((t) => (t.operand.kind === "slot" ? unreachable : toEvaluator(t.operand)));
  return fn((v) => {
    let s = -0;
    for (let k = 0; k < n; k++) {
      const slot = termSlots[k]!;
      s += coefs[k]! * (slot >= 0 ? v[slot]! : fns[k]!(v));
    }
    return s;
  });
}

const unreachable: Evaluator = () => {
  throw new Error("calculate_output: internal error, slot term evaluated as a closure");
};

function compileNode(node: FormulaAst, slots: ReadonlyMap<string, number>): Operand {
  switch (node.kind) {
    case "number":
      return constant(node.value);
    case "variable": {
      const slot = slots.get(node.name);
      if (slot === undefined) throw new Error(`calculate_output: no slot for variable '${node.name}'`);
      return { kind: "slot", slot };
    }
    case "unary": {
      const operand = compileNode(node.operand, slots);
      return node.operator === "-" ? compileNegate(operand) : operand; // unary plus is the identity
    }
    case "binary":
      if (isSumChain(node)) return compileSumChain(node, slots);
      return compileBinary(node.operator, compileNode(node.left, slots), compileNode(node.right, slots));
    case "call":
      return compileCall(node, slots);
  }
}

/** Compiles `ast`; `variables[i]` is read from slot `i` of the values array. */
export function compileAst(ast: FormulaAst, variables: readonly string[]): Evaluator {
  const slots = new Map(variables.map((name, i) => [name, i] as const));
  return toEvaluator(compileNode(ast, slots));
}

/** Distinct variable names referenced by `ast`. */
export function referencedVariables(ast: FormulaAst): Set<string> {
  const names = new Set<string>();
  const visit = (node: FormulaAst): void => {
    switch (node.kind) {
      case "variable":
        names.add(node.name);
        break;
      case "unary":
        visit(node.operand);
        break;
      case "binary":
        visit(node.left);
        visit(node.right);
        break;
      case "call":
        node.args.forEach(visit);
        break;
      case "number":
        break;
    }
  };
  visit(ast);
  return names;
}
