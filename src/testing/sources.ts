// What `graderkit test` is given: suite files, and grader files each followed by a JSONL file
// of cases. All of them are loaded (and every problem collected) before anything is graded.

import type { Executors } from "../core/executors.js";
import type { Grader } from "../schema/types.js";
import { loadCases, loadSuite, SuiteError, type LoadSuiteOptions, type SuiteProblem } from "./load-suite.js";
import type { TestSuite } from "./types.js";

export type SuiteSource = { kind: "suite"; file: string } | { kind: "cases"; grader: string; cases: string };

const isCasesFile = (path: string) => /\.(jsonl|ndjson)$/i.test(path);

/**
 * Pair the arguments: a `.jsonl` (or `.ndjson`) file holds the cases of the grader file right
 * before it; any other file is a suite. Throws RangeError for a cases file with no grader before it.
 */
export function suiteSources(paths: readonly string[]): SuiteSource[] {
  const out: SuiteSource[] = [];
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    if (isCasesFile(path)) throw new RangeError(`${path}: a cases file must follow the grader file it tests (GRADER.json CASES.jsonl)`);
    const next = paths[i + 1];
    if (next !== undefined && isCasesFile(next)) {
      out.push({ kind: "cases", grader: path, cases: next });
      i++;
    } else out.push({ kind: "suite", file: path });
  }
  return out;
}

export interface LoadedSources {
  suites: TestSuite[];
  /** Every problem of every source; empty when all loaded. */
  problems: SuiteProblem[];
}

/** Load every source; unreadable files and invalid suites are problems, not exceptions. */
export function loadSources(sources: readonly SuiteSource[], options: LoadSuiteOptions = {}): LoadedSources {
  const suites: TestSuite[] = [];
  const problems: SuiteProblem[] = [];
  for (const source of sources) {
    const file = source.kind === "suite" ? source.file : source.cases;
    try {
      suites.push(source.kind === "suite" ? loadSuite(source.file, options) : loadCases(source.grader, source.cases, options));
    } catch (err) {
      if (err instanceof SuiteError) problems.push(...err.problems);
      else if (typeof (err as NodeJS.ErrnoException).code === "string") {
        problems.push({ file, pointer: "", message: `cannot read (${(err as NodeJS.ErrnoException).code})`, code: "unreadable_file" });
      } else throw err;
    }
  }
  return { suites, problems };
}

function leaves(grader: Grader): Grader[] {
  return grader.type === "multi" ? Object.values(grader.graders) : [grader];
}

/**
 * What a suite's grader needs that the executors lack, in words: without a model endpoint every
 * case of a score_model grader would fail with the same flag (and one expecting that flag would
 * pass for the wrong reason).
 */
export function missingExecutors(grader: Grader, executors: Executors): string[] {
  const out: string[] = [];
  for (const g of leaves(grader)) {
    if ((g.type === "score_model" || g.type === "label_model") && !executors.chat) {
      out.push(`the ${g.type} grader '${g.name}' needs a model endpoint (executors.model.baseUrl, or $OPENAI_BASE_URL)`);
    }
    if (g.type === "text_similarity" && g.evaluation_metric === "cosine" && !executors.embedding) {
      out.push(`the cosine grader '${g.name}' needs an embedding endpoint (executors.embedding.baseUrl, or executors.model.baseUrl)`);
    }
    if (g.type === "python" && !executors.python) out.push(`the python grader '${g.name}' needs a python executor`);
  }
  return [...new Set(out)];
}
