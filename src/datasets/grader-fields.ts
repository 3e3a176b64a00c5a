// Does a reinforcement file give its grader what the grader reads? Every `{{ item.* }}`
// placeholder of the grader (multi children included) must resolve on every row — checked with
// the template resolver that grading uses, so the message is the one a grading would fail with —
// and `{{ sample.* }}` placeholders should name something a sample of this job will have.

import { GradingFailure } from "../core/response.js";
import type { Grader } from "../schema/types.js";
import { templateFields } from "../schema/validate.js";
import { parsePlaceholders, resolve, SAMPLE_FIELDS, type Placeholder } from "../templates/template.js";
import { pointerJoin } from "../util/json-pointer.js";
import type { Findings } from "./problems.js";

export interface GraderPlaceholder {
  placeholder: Placeholder;
  /** JSON pointer of the template field in the grader, e.g. "/graders/exact/reference". */
  field: string;
}

export interface GraderReads {
  /** One entry per distinct item path (the first field that reads it). */
  item: GraderPlaceholder[];
  sample: GraderPlaceholder[];
  /** Pointers of python graders: they read the item in code, which no template check sees. */
  python: string[];
}

/** Every placeholder of a valid grader, multi children included. */
export function graderReads(grader: Grader): GraderReads {
  const reads: GraderReads = { item: [], sample: [], python: [] };
  const seen = new Set<string>();
  const visit = (g: Record<string, unknown>, pointer: string) => {
    if (g.type === "python") reads.python.push(pointer || "/");
    for (const [field, text] of templateFields(g, pointer)) {
      if (typeof text !== "string") continue;
      for (const placeholder of parsePlaceholders(text)) {
        if (seen.has(placeholder.path)) continue;
        seen.add(placeholder.path);
        reads[placeholder.namespace].push({ placeholder, field });
      }
    }
  };
  if (grader.type === "multi") {
    for (const [key, child] of Object.entries(grader.graders)) visit(child as unknown as Record<string, unknown>, pointerJoin("/graders", key));
  } else visit(grader as unknown as Record<string, unknown>, "");
  return reads;
}

/** Where a placeholder's path would sit in a reinforcement row: item.a[0].b → /a/0/b. */
export function rowPointer(p: Placeholder): string {
  return pointerJoin("", ...p.steps);
}

/** Report each item placeholder that does not resolve on this row's item data. */
export function checkItemFields(item: Record<string, unknown>, reads: GraderReads, out: Findings): void {
  for (const { placeholder, field } of reads.item) {
    try {
      resolve({ item, sample: {} }, placeholder);
    } catch (err) {
      if (!(err instanceof GradingFailure)) throw err;
      // The resolver's message says what is missing and what the item has instead.
      const marker = " not found: ";
      const at = err.message.indexOf(marker);
      const why = at < 0 ? err.message : err.message.slice(at + marker.length);
      out.error(rowPointer(placeholder), "missing_item_field", `the grader's ${field || "/"} reads ${placeholder.raw}: ${why}`);
    }
  }
}

/** The sample placeholders no sample of this job will have. */
export function sampleFieldWarnings(reads: GraderReads, anyRowHasTools: boolean): Array<{ field: string; message: string }> {
  const out: Array<{ field: string; message: string }> = [];
  for (const { placeholder, field } of reads.sample) {
    const name = placeholder.steps[0];
    if (typeof name !== "string" || !SAMPLE_FIELDS.includes(name)) {
      out.push({ field, message: `${placeholder.raw}: no sample has '${String(name)}'; sample fields are ${SAMPLE_FIELDS.join(", ")}` });
    } else if (name === "output_tools" && !anyRowHasTools) {
      out.push({ field, message: `${placeholder.raw}: no row offers tools, so no sample will have output_tools` });
    } else if (name === "output_audio") {
      out.push({ field, message: `${placeholder.raw}: reinforcement fine-tuning samples are text; none will have output_audio` });
    }
  }
  return out;
}
