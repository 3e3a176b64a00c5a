// What check-data reports: one problem per finding, with the line of the file, a JSON pointer into
// that line's example, a message, and whether it stops a job (error) or deserves a look (warning).

export type Severity = "error" | "warning";

export interface DataProblem {
  /** 1-based line of the data file; null for a finding about the whole file or the grader. */
  line: number | null;
  /** JSON pointer into the line's example ("" for the whole line); into the grader for grader findings. */
  pointer: string;
  message: string;
  severity: Severity;
  /** Machine-readable kind; the cookbook's names where it has one (message_missing_key, unrecognized_role, ...). */
  code: string;
  /** Set when the finding is about another file than the data file (the grader). */
  file?: string;
}

/** Collects the findings of one example: pointers relative to the example, the line added later. */
export class Findings {
  readonly items: Array<Omit<DataProblem, "line">> = [];

  error(pointer: string, code: string, message: string): void {
    this.items.push({ pointer, message, severity: "error", code });
  }

  warning(pointer: string, code: string, message: string): void {
    this.items.push({ pointer, message, severity: "warning", code });
  }

  get hasErrors(): boolean {
    return this.items.some((p) => p.severity === "error");
  }
}

/** "a string", "an array", "null": what a value is, for messages. */
export function describeType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  const t = typeof v;
  return t === "object" ? "an object" : t === "undefined" ? "missing" : `a ${t}`;
}
