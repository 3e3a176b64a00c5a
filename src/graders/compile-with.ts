// The type dispatch every way of compiling goes through: a validated grader plus the compilers
// of its types (multi's children included) gives a CompiledGrader. Which compilers are passed is
// the caller's choice: compile.ts passes every type (the synchronous library entry),
// compile-on-demand.ts only the types a grader uses, imported first (`graderkit run`'s
// start-up). A grader that cannot be compiled becomes one that fails every sample with the
// matching flag, never a crash.

import { FormulaError } from "../formula/errors.js";
import { GradingFailure, type ErrorFlag } from "../core/response.js";
import type { Grader, LeafGrader, MultiGrader } from "../schema/types.js";
import { TemplateSyntaxError } from "../templates/template.js";
import type { ChildCompiler, CompiledGrader, CompileOptions, GraderCompiler } from "./types.js";

export type MultiCompiler = (grader: MultiGrader, compileChild: ChildCompiler) => CompiledGrader;

/** Compilers by grader type; a type left out compiles to a grader that fails every sample. */
export type GraderCompilers = {
  readonly [T in LeafGrader["type"]]?: GraderCompiler<Extract<LeafGrader, { type: T }>>;
} & { readonly multi?: MultiCompiler };

function failingGrader(grader: Grader, flag: ErrorFlag, message: string): CompiledGrader {
  return {
    name: String(grader.name ?? grader.type),
    type: grader.type,
    async: false,
    grade() {
      throw new GradingFailure(flag, message);
    },
  };
}

function compileLeafOrMulti(compilers: GraderCompilers, grader: Grader, options: CompileOptions): CompiledGrader {
  if (grader.type === "multi") {
    if (!compilers.multi) return failingGrader(grader, "other_error", "no compiler for grader type 'multi'");
    return compilers.multi(grader, (child) => compileWith(compilers, child, options));
  }
  const compiler = (Object.hasOwn(compilers, grader.type) ? compilers[grader.type] : undefined) as GraderCompiler<Grader> | undefined;
  if (!compiler) return failingGrader(grader, "other_error", `unknown grader type '${grader.type}'`);
  return compiler(grader, options);
}

/** Compile a grader that already passed validation (normalised: names filled, multi as a map). */
export function compileWith(compilers: GraderCompilers, grader: Grader, options: CompileOptions = {}): CompiledGrader {
  try {
    return compileLeafOrMulti(compilers, grader, options);
  } catch (err) {
    if (err instanceof FormulaError) return failingGrader(grader, "formula_parse_error", err.message);
    if (err instanceof TemplateSyntaxError) return failingGrader(grader, "invalid_variable_error", err.message);
    return failingGrader(grader, "other_error", err instanceof Error ? err.message : String(err));
  }
}
