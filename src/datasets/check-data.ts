// `checkTrainingData`: everything that would make a fine-tuning job fail in validating_files, or
// train on something other than intended, found before the upload. The file is streamed; every
// problem is reported (not just the first) with its line and a JSON pointer into the example;
// token counts and the cookbook's epoch / billed-token estimate come with it.

import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { DEFAULT_MODEL_INFO, modelInfo, type BaseModelInfo } from "../export/models.js";
import type { FineTuningMethodType } from "../schema/fine-tuning-types.js";
import type { Grader } from "../schema/types.js";
import { canonicalJson } from "../util/canonical-json.js";
import { locateSyntaxError } from "../util/json-text.js";
import { defaultEpochs, TokenTally, type TokenStats } from "./estimate.js";
import { checkExample } from "./examples.js";
import { checkItemFields, graderReads, sampleFieldWarnings, type GraderReads } from "./grader-fields.js";
import { invalidUtf8Offset, isBlank, readLines, UTF8_BOM } from "./lines.js";
import { Findings, type DataProblem } from "./problems.js";
import { countExampleTokens, loadTokenizer } from "./tokens.js";

/** Limits of the Files API and the fine-tuning service (AROUND-GRADERS §1, GRADERS §9). */
export const DATA_LIMITS = {
  fileBytes: 512 * 1024 * 1024,
  minTrainingExamples: 10,
  reinforcementTrainingRows: 50_000,
  reinforcementValidationRows: 1_000,
} as const;

export type DataLimits = { [K in keyof typeof DATA_LIMITS]: number };

export interface CheckDataOptions {
  method: FineTuningMethodType;
  /** Reinforcement: the (valid) grader whose item placeholders every row must satisfy. */
  grader?: Grader;
  /** The grader's file, named in findings about the grader. */
  graderFile?: string;
  /** The base model: its encoding and training context (else o200k_base and 65,536). */
  model?: string;
  /** A validation file: no minimum number of examples; reinforcement's 1,000-row limit. */
  validation?: boolean;
  /** Called with each problem as it is found (in line order, file-level findings last). */
  onProblem?: (problem: DataProblem) => void;
  /** Keep the problems in the report (default true); false for a caller that streams them. */
  keepProblems?: boolean;
  /** Other limits than the service's (DATA_LIMITS), e.g. a stricter file size. */
  limits?: Partial<DataLimits>;
}

export interface DataReport {
  file: string;
  method: FineTuningMethodType;
  /** Non-blank lines. */
  examples: number;
  problems: DataProblem[];
  errors: number;
  warnings: number;
  tokens: TokenStats;
  /** Examples over the model's training context (truncated by the service). */
  overContext: number;
  estimate: {
    n_epochs: number;
    /** Supervised and DPO; null for reinforcement, which is billed by training time. */
    billed_tokens: number | null;
  };
  model: { name: string | null; known: boolean } & BaseModelInfo;
}

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

export async function checkTrainingData(file: string, options: CheckDataOptions): Promise<DataReport> {
  const { method } = options;
  const limits: DataLimits = { ...DATA_LIMITS, ...options.limits };
  const problems: DataProblem[] = [];
  let errors = 0;
  let warnings = 0;
  const report = (p: DataProblem) => {
    if (p.severity === "error") errors++;
    else warnings++;
    if (options.keepProblems !== false) problems.push(p);
    options.onProblem?.(p);
  };
  const fileProblem = (severity: DataProblem["severity"], code: string, message: string, line: number | null = null) =>
    report({ line, pointer: "", message, severity, code });

  const info = options.model !== undefined ? modelInfo(options.model) : undefined;
  const model = { name: options.model ?? null, known: info !== undefined, ...(info ?? DEFAULT_MODEL_INFO) };
  if (options.model !== undefined && !info) {
    fileProblem("warning", "unknown_model", `unknown model '${options.model}': tokens counted with ${model.encoding} against a ${model.trainingContext.toLocaleString("en-US")}-token training context (gpt-4o's)`);
  }
  const size = (await stat(file)).size;
  if (size > limits.fileBytes) {
    fileProblem("error", "file_too_large", `the file is ${mb(size)}; the Files API takes at most ${mb(limits.fileBytes)}`);
  }

  const tokenizer = await loadTokenizer(model.encoding);
  const tally = new TokenTally(model.trainingContext);
  const reads: GraderReads | undefined = method === "reinforcement" && options.grader ? graderReads(options.grader) : undefined;
  const seen = new Map<string, number>();
  let examples = 0;
  let overContext = 0;
  let anyRowHasTools = false;
  let blankFrom: number | null = null;
  let blankTo = 0;
  const flushBlank = () => {
    if (blankFrom === null) return;
    const which = blankFrom === blankTo ? "a blank line" : `blank lines ${blankFrom}-${blankTo}`;
    fileProblem("error", "blank_line", `${which}: every line of a training file must be a JSON object`, blankFrom);
    blankFrom = null;
  };

  for await (const { number, bytes: raw } of readLines(file)) {
    let bytes = raw;
    if (number === 1 && raw.subarray(0, 3).equals(UTF8_BOM)) {
      fileProblem("warning", "bom", "the file starts with a UTF-8 byte-order mark (Azure accepts it; remove it to be safe)", 1);
      bytes = raw.subarray(3);
    }
    if (isBlank(bytes)) {
      if (blankFrom === null) blankFrom = number;
      blankTo = number;
      continue;
    }
    flushBlank();
    examples++;
    const bad = invalidUtf8Offset(bytes);
    if (bad >= 0) {
      fileProblem("error", "invalid_utf8", `not valid UTF-8 (byte ${bad + 1} of the line, 0x${bytes[bad]!.toString(16).padStart(2, "0")}): training files must be UTF-8`, number);
      continue;
    }
    const text = bytes.toString("utf8");
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      const err = locateSyntaxError(text);
      fileProblem("error", "invalid_json", `not valid JSON: column ${err.column}: ${err.reason}`, number);
      continue;
    }
    const findings = new Findings();
    const example = checkExample(method, value, findings);
    if (example) {
      if (reads && example.item) checkItemFields(example.item, reads, findings);
      if (example.hasTools) anyRowHasTools = true;
      const length = countExampleTokens(example.messages, example.tools, tokenizer);
      tally.add(length);
      if (length > model.trainingContext) {
        overContext++;
        findings.warning("", "over_context", `${length.toLocaleString("en-US")} tokens: over ${options.model ?? "the default"}'s ${model.trainingContext.toLocaleString("en-US")}-token training context, so the service truncates it`);
      }
      const digest = createHash("sha1").update(canonicalJson(value)).digest("base64").slice(0, 16);
      const first = seen.get(digest);
      if (first !== undefined) findings.warning("", "duplicate_example", `the same example as line ${first}`);
      else seen.set(digest, number);
    }
    for (const f of findings.items) report({ line: number, ...f });
  }
  flushBlank();

  if (!options.validation && examples < limits.minTrainingExamples) {
    fileProblem("error", "too_few_examples", `${examples} example${examples === 1 ? "" : "s"}; a training file needs at least ${limits.minTrainingExamples}`);
  }
  if (method === "reinforcement") {
    const limit = options.validation ? limits.reinforcementValidationRows : limits.reinforcementTrainingRows;
    if (examples > limit) {
      fileProblem("error", "too_many_examples", `${examples.toLocaleString("en-US")} rows; a reinforcement ${options.validation ? "validation" : "training"} file takes at most ${limit.toLocaleString("en-US")}`);
    }
  }
  if (reads) {
    const graderFinding = (pointer: string, code: string, message: string) =>
      report({ line: null, pointer, message, severity: "warning", code, ...(options.graderFile ? { file: options.graderFile } : {}) });
    for (const w of sampleFieldWarnings(reads, anyRowHasTools)) graderFinding(w.field, "unknown_sample_field", `the grader's ${w.message}`);
    for (const p of reads.python) graderFinding(p, "python_item_unchecked", "a python grader reads the item in code: the fields it reads are not checked");
  }

  const n_epochs = defaultEpochs(tally.count);
  return {
    file,
    method,
    examples,
    problems,
    errors,
    warnings,
    tokens: tally.stats(),
    overContext,
    estimate: { n_epochs, billed_tokens: method === "reinforcement" ? null : tally.billable * n_epochs },
    model,
  };
}
