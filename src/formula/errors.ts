// Errors of the calculate_output formula language, plus the "did you mean" helper used by
// the parser for unknown grader keys and function names.

export type FormulaErrorCode =
  | "empty_formula"
  | "unexpected_character"
  | "malformed_number"
  | "unexpected_token"
  | "unexpected_end"
  | "unknown_key"
  | "unknown_function"
  | "not_callable"
  | "missing_call"
  | "arity"
  | "too_complex";

/**
 * A formula that does not parse or does not fit the multi's keys (→ `formula_parse_error`).
 * The message always reads `calculate_output: <detail> at column <column>`.
 */
export class FormulaError extends Error {
  override readonly name = "FormulaError";
  readonly code: FormulaErrorCode;
  /** 1-based column (UTF-16 code unit) in the formula source. */
  readonly column: number;

  constructor(code: FormulaErrorCode, detail: string, column: number) {
    super(`calculate_output: ${detail} at column ${column}`);
    this.code = code;
    this.column = column;
  }
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transposition), so that both
 * `acuracy` and `mni` count as one typo away from `accuracy` and `min`.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/**
 * The candidate closest to `name`, if it is close enough to be a plausible typo: at most one
 * edit per three characters (minimum one, maximum three). Case is ignored; ties go to the
 * earliest candidate so the suggestion is deterministic.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    const allowed = Math.min(3, Math.max(1, Math.floor(Math.max(name.length, candidate.length) / 3)));
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
