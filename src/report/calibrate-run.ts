// `graderkit calibrate`: a run's rewards against human labels. Labels come from LABELS.jsonl
// rows {"id" | "line", "label"}, or from a field of the run's input items (--label-field
// item.PATH). Rows whose grading failed are left out by default: their reward 0 says the
// grader did not judge, not that it judged 0.

import { parsePlaceholders, lookup, type Placeholder } from "../templates/template.js";
import type { LineSource } from "../util/read-lines.js";
import { calibrateBinary, calibrateNumeric, type BinaryCalibration, type NumericCalibration } from "./calibrate.js";
import { FileLineError } from "./file-error.js";
import { joinOnKeys } from "./join.js";
import { forEachJsonLine } from "./jsonl.js";
import { idKey, idsUsable, readRunColumns } from "./run-columns.js";
import { runFileWarnings } from "./run-rows.js";
import { scanSamples } from "./samples.js";

export type LabelKind = "binary" | "numeric";

export interface CalibrateOptions {
  run: LineSource;
  runName: string;
  /** LABELS.jsonl: {"id" | "line", "label"} per row. */
  labels?: LineSource;
  labelsName?: string;
  /** Or the run's input and a path into its items: "item.human.score". */
  input?: LineSource;
  inputName?: string;
  labelField?: string;
  /** For at_threshold (binary labels); default best_f1's threshold. */
  threshold?: number;
  /** Default: binary when every label is 0, 1 or a boolean, else numeric. */
  kind?: LabelKind;
  /** Keep rows whose grading failed (reward 0 with an error flag). */
  includeErrors?: boolean;
}

export interface CalibrationRun {
  kind: LabelKind;
  result: BinaryCalibration | NumericCalibration;
  joinedBy: "id" | "line";
  /** What the user should know: rows left out, undefined numbers. */
  messages: string[];
  /** The pairs the numbers are computed from, in run line order. */
  labels: Float64Array;
  rewards: Float64Array;
  runName: string;
  labelsName: string;
}

/** Labels by key (an id's JSON or a line number), with where each came from. */
interface LabelSet {
  byId: Map<string, { value: number; where: number }> | null;
  byLine: Map<number, { value: number; where: number }>;
  name: string;
  /** Label rows with "label": null, left out. */
  unlabelled: number;
  /** Labelled rows without a 'line' (joinable by id only). */
  withoutLine: number;
}

/** A label as a number: numbers as they are, booleans as 1 / 0; null for "not labelled". */
function labelValue(v: unknown, name: string, where: number, field = "a label"): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  throw new FileLineError(name, where, `${field} must be a number or a boolean, got ${JSON.stringify(v)}`);
}

async function readLabelsFile(source: LineSource, name: string): Promise<LabelSet> {
  const byId = new Map<string, { value: number; where: number }>();
  const byLine = new Map<number, { value: number; where: number }>();
  let allIds = true;
  let unlabelled = 0;
  let withoutLine = 0;
  await forEachJsonLine(source, name, (row, where) => {
    if (typeof row !== "object" || row === null || Array.isArray(row)) throw new FileLineError(name, where, 'a label row must be an object {"id" | "line", "label"}');
    const r = row as Record<string, unknown>;
    if (!("label" in r)) throw new FileLineError(name, where, "the row has no 'label'");
    const value = labelValue(r.label, name, where);
    if (r.id === undefined && r.line === undefined) throw new FileLineError(name, where, "a label row needs an 'id' or a 'line'");
    if (r.line !== undefined && (typeof r.line !== "number" || !Number.isInteger(r.line) || r.line < 1)) throw new FileLineError(name, where, "'line' must be a positive integer");
    if (value === null) {
      unlabelled++;
      return;
    }
    if (r.id === undefined) allIds = false;
    else {
      const key = idKey(r.id);
      if (byId.has(key)) throw new FileLineError(name, where, `a second label for id ${key} (the first is on line ${byId.get(key)!.where})`);
      byId.set(key, { value, where });
    }
    if (r.line === undefined) withoutLine++;
    else {
      const line = r.line as number;
      if (byLine.has(line)) throw new FileLineError(name, where, `a second label for line ${line} (the first is on line ${byLine.get(line)!.where})`);
      byLine.set(line, { value, where });
    }
  });
  return { byId: allIds ? byId : null, byLine, name, unlabelled, withoutLine };
}

/** Labels read from a field of the input items, by input line. */
async function readLabelField(source: LineSource, name: string, field: string): Promise<LabelSet> {
  let placeholder: Placeholder;
  try {
    [placeholder] = parsePlaceholders(`{{ ${field} }}`) as [Placeholder];
  } catch {
    throw new RangeError(`--label-field must be a path like item.label or item.human[0].score, got '${field}'`);
  }
  if (!placeholder || placeholder.namespace !== "item") throw new RangeError(`--label-field must be a path into the items, item.PATH, got '${field}'`);
  const byLine = new Map<number, { value: number; where: number }>();
  let unlabelled = 0;
  await scanSamples(source, (line, row) => {
    const v = row ? lookup({ item: row.item, sample: row.sample }, placeholder) : undefined;
    const value = labelValue(v, name, line, placeholder.path);
    if (value === null) unlabelled++;
    else byLine.set(line, { value, where: line });
  });
  return { byId: null, byLine, name: `${name} ${placeholder.path}`, unlabelled, withoutLine: 0 };
}

export async function calibrateRun(options: CalibrateOptions): Promise<CalibrationRun> {
  const run = await readRunColumns(options.run, options.runName);
  let labels: LabelSet;
  if (options.labels !== undefined) labels = await readLabelsFile(options.labels, options.labelsName ?? "labels");
  else if (options.input !== undefined && options.labelField !== undefined) labels = await readLabelField(options.input, options.inputName ?? "input", options.labelField);
  else throw new RangeError("calibrate needs labels: a labels file, or an input file and a label field");

  const messages = runFileWarnings(run.info);
  // By id when every label has one and the run's ids are unique (a run row without an id, a
  // line that did not parse, say, then has no label); else by line.
  const runIds = idsUsable(run, true);
  const byId = labels.byId !== null && labels.byId.size > 0 && runIds === true;
  let joinedBy: "id" | "line" = "line";
  let keys: Map<string | number, { value: number; where: number }>;
  if (byId) {
    joinedBy = "id";
    keys = labels.byId!;
  } else {
    if (labels.withoutLine > 0) {
      const why = labels.byId === null ? "not every label row has an id" : runIds === true ? "the run has no rows" : runIds;
      throw new RangeError(`${labels.name}: ${labels.withoutLine} label row${labels.withoutLine === 1 ? " has" : "s have"} no 'line', and the labels cannot be joined by id (${why})`);
    }
    keys = labels.byLine;
  }
  // A row without an id gets a key no label has.
  const runKeys = byId ? run.ids.map((id, i) => (id === undefined ? -1 - i : idKey(id))) : Array.from(run.lines);
  const labelKeys = [...keys.keys()];
  const joined = joinOnKeys(runKeys, labelKeys, (i) => run.lines[i]!);

  const scores: number[] = [];
  const values: number[] = [];
  let leftOutErrors = 0;
  for (let k = 0; k < joined.left.length; k++) {
    const i = joined.left[k]!;
    if (run.errored[i] && !options.includeErrors) {
      leftOutErrors++;
      continue;
    }
    scores.push(run.rewards[i]!);
    values.push(keys.get(labelKeys[joined.right[k]!]!)!.value);
  }
  if (joined.leftOnly.length) messages.push(`${joined.leftOnly.length} run row${joined.leftOnly.length === 1 ? " has" : "s have"} no label`);
  if (joined.rightOnly.length) messages.push(`${joined.rightOnly.length} label${joined.rightOnly.length === 1 ? " matches" : "s match"} no run row (joined by ${joinedBy})`);
  if (labels.unlabelled) messages.push(`${labels.unlabelled} row${labels.unlabelled === 1 ? " is" : "s are"} not labelled (label null or missing)`);
  if (leftOutErrors) messages.push(`${leftOutErrors} labelled row${leftOutErrors === 1 ? "" : "s"} left out because grading failed (their reward is not a judgement); --include-errors keeps them`);

  const isBinary = values.every((v) => v === 0 || v === 1);
  const kind: LabelKind = options.kind ?? (isBinary ? "binary" : "numeric");
  if (kind === "binary" && !isBinary) {
    const bad = values.find((v) => v !== 0 && v !== 1);
    throw new RangeError(`binary labels must be 0, 1 or booleans; ${labels.name} has ${bad}`);
  }
  const calibrated = kind === "binary" ? calibrateBinary(values, scores, options.threshold) : calibrateNumeric(values, scores);
  return {
    kind,
    result: calibrated.result,
    joinedBy,
    messages: [...messages, ...calibrated.messages],
    labels: Float64Array.from(values),
    rewards: Float64Array.from(scores),
    runName: options.runName,
    labelsName: labels.name,
  };
}

const num = (x: number | null, digits = 4) => (x === null ? "-" : Number.isInteger(x) ? String(x) : x.toFixed(digits));

/** The calibration as a summary for people (what `graderkit calibrate` prints without --json). */
export function formatCalibrationText(c: CalibrationRun): string {
  const lines: string[] = [];
  if (c.kind === "numeric") {
    const r = c.result as NumericCalibration;
    lines.push(`rows: ${r.rows} (numeric labels, joined by ${c.joinedBy})`);
    lines.push(`pearson ${num(r.pearson)}  spearman ${num(r.spearman)}  kendall tau-b ${num(r.kendall_tau_b)}  mae ${num(r.mae)}`);
    return lines.join("\n") + "\n";
  }
  const r = c.result as BinaryCalibration;
  lines.push(`rows: ${r.rows} (binary labels, ${r.positives} positive, joined by ${c.joinedBy})`);
  lines.push(`roc_auc ${num(r.roc_auc)}  average_precision ${num(r.average_precision)}`);
  if (r.best_f1) {
    const b = r.best_f1;
    lines.push(`best F1: threshold ${b.threshold}  precision ${num(b.precision)}  recall ${num(b.recall)}  f1 ${num(b.f1)}  accuracy ${num(b.accuracy)}`);
  }
  if (r.best_youden) {
    const y = r.best_youden;
    lines.push(`best Youden's J: threshold ${y.threshold}  tpr ${num(y.tpr)}  fpr ${num(y.fpr)}  J ${num(y.j)}`);
  }
  if (r.at_threshold) {
    const t = r.at_threshold;
    const { tp, fp, tn, fn } = t.confusion;
    lines.push(`at threshold ${t.threshold} (reward >= threshold predicts 1): tp ${tp}  fp ${fp}  tn ${tn}  fn ${fn}  cohen_kappa ${num(t.cohen_kappa)}`);
  }
  return lines.join("\n") + "\n";
}
