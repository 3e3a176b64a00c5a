// The calculate_output formula language of `multi` graders (spec §7).

import { compileAst, referencedVariables } from "./evaluate.js";
import { parse, type FormulaAst } from "./parser.js";

export { FormulaError, type FormulaErrorCode } from "./errors.js";
export {
  FORMULA_FUNCTIONS,
  type BinaryExpression,
  type BinaryOperator,
  type FormulaAst,
  type FormulaFunction,
  type FunctionCall,
  type NumberLiteral,
  type UnaryExpression,
  type UnaryOperator,
  type VariableRef,
} from "./parser.js";

export interface CompiledFormula {
  readonly source: string;
  /** The grader keys the formula uses, in the order of `keys`; the slot order of evaluateArray. */
  readonly variables: readonly string[];
  /**
   * The raw result, possibly NaN or ±Infinity (the caller decides that is an error).
   * Throws if a variable is missing from `values`: that is a programming error.
   */
  evaluate(values: Readonly<Record<string, number>>): number;
  /** Hot path: `values[i]` is the value of `variables[i]`. */
  evaluateArray(values: Float64Array): number;
}

/** Parses a formula, checking syntax and function names/arity only. Throws FormulaError. */
export function parseFormula(source: string): FormulaAst {
  return parse(source);
}

/** Parses and compiles a formula over the multi's grader `keys`. Throws FormulaError. */
export function compileFormula(source: string, keys: readonly string[]): CompiledFormula {
  const ast = parse(source, keys);
  const used = referencedVariables(ast);
  const variables = Object.freeze([...new Set(keys)].filter((key) => used.has(key)));
  const run = compileAst(ast, variables);
  // Reused across calls: evaluate is synchronous and never re-entered.
  const scratch = new Float64Array(variables.length);

  return {
    source,
    variables,
    evaluate(values) {
      for (let i = 0; i < variables.length; i++) {
        const value = values[variables[i]!];
        if (typeof value !== "number") {
          throw new TypeError(`calculate_output: no numeric value for grader key '${variables[i]}' (got ${typeof value})`);
        }
        scratch[i] = value;
      }
      return run(scratch);
    },
    evaluateArray(values) {
      if (values.length < variables.length) {
        throw new RangeError(`calculate_output: expected ${variables.length} values (${variables.join(", ")}), got ${values.length}`);
      }
      return run(values);
    },
  };
}
