// `graderkit init`: a starter grader of each type, a suite of cases that pins its behaviour
// down (including an error case), and a tiny dataset to `run` it on. Every expected value is
// worked out in the comment next to it, so a user can see why it holds.

import type { Grader } from "../schema/types.js";

export const STARTER_TYPES = ["string_check", "text_similarity", "python", "score_model", "multi"] as const;
export type StarterType = (typeof STARTER_TYPES)[number];

type Json = Record<string, unknown>;

export interface StarterFiles {
  grader: Grader;
  /** The suite document; its `grader` is the grader file's name (it sits next to it). */
  suite: Json;
  /** Dataset rows for `graderkit run`. */
  samples: Json[];
}

/** NAME.json, NAME.suite.json, NAME.jsonl. */
export function starterFileNames(name: string): { grader: string; suite: string; samples: string } {
  return { grader: `${name}.json`, suite: `${name}.suite.json`, samples: `${name}.jsonl` };
}

/** A name that is a file-name stem: letters, digits, '.', '_' and '-', starting with a letter or digit. */
export function isStarterName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) && !/\.jsonl?$/i.test(name);
}

const answer = "{{ item.answer }}";
const output = "{{ sample.output_text }}";

const PYTHON_SOURCE = `def grade(sample, item):
    """1.0 for exactly the answer, 0.5 when a longer reply contains it, else 0.0."""
    answer = item["answer"].strip().lower()
    output = sample["output_text"].strip().lower()
    if output == answer:
        return 1.0
    return 0.5 if answer in output else 0.0
`;

const QUESTION = "What is the capital of France?";
const row = (id: string, modelSample: string, item: Json = { question: QUESTION, answer: "Paris" }) => ({ id, item, model_sample: modelSample });
const SAMPLES = [row("r1", "Paris"), row("r2", "paris"), row("r3", "It is Paris."), row("r4", "Lyon")];
const missingAnswer = { question: QUESTION };

function graderOf(name: string, type: StarterType): Grader {
  switch (type) {
    case "string_check":
      return { type, name, input: output, reference: answer, operation: "eq" };
    case "text_similarity":
      return { type, name, input: output, reference: answer, evaluation_metric: "fuzzy_match", pass_threshold: 0.8 };
    case "python":
      return { type, name, source: PYTHON_SOURCE, image_tag: "2025-05-08", pass_threshold: 1 };
    case "score_model":
      return {
        type,
        name,
        model: "gpt-4o-mini",
        input: [
          { role: "developer", content: "You grade answers to questions. Score 0 (wrong) to 1 (correct and complete)." },
          { role: "user", content: `Question: {{ item.question }}\nReference answer: ${answer}\nAnswer to grade: ${output}` },
        ],
        range: [0, 1],
        sampling_params: { temperature: 0, seed: 42 },
        pass_threshold: 0.7,
      };
    case "multi":
      return {
        type,
        name,
        graders: {
          exact: { type: "string_check", name: "exact", input: output, reference: answer, operation: "eq" },
          close: { type: "text_similarity", name: "close", input: output, reference: answer, evaluation_metric: "fuzzy_match" },
        },
        calculate_output: "0.5 * exact + 0.5 * close",
      };
  }
}

// fuzzy_match is rapidfuzz's fuzz.ratio / 100 = 1 - InDel distance / (len(a) + len(b)):
// "paris" vs "Paris" share "aris" (4 of 5 letters): 1 - 2/10 = 0.8; "Lyon" and "Paris" share
// no letter: 0.
function casesOf(type: StarterType): Json[] {
  const c = (name: string, modelSample: string, expect: Json, item: Json = { question: QUESTION, answer: "Paris" }) => ({ name, item, model_sample: modelSample, expect });
  const missing = (name: string, flag: string, includes: string) => c(name, "Paris", { reward: 0, errors: [flag], error_message_includes: includes }, missingAnswer);
  switch (type) {
    case "string_check":
      return [
        c("the exact answer scores 1", "Paris", { reward: 1 }),
        c("eq is case-sensitive", "paris", { reward: 0 }),
        c("a wrong answer scores 0", "Lyon", { reward: 0 }),
        missing("a row without item.answer raises invalid_variable_error", "invalid_variable_error", "answer"),
      ];
    case "text_similarity":
      return [
        c("the exact answer scores 1 and passes", "Paris", { reward: 1, passed: true }),
        c("one letter's case costs 0.2 and still passes", "paris", { reward: 0.8, passed: true }),
        c("an answer with no letter in common scores 0", "Lyon", { reward: 0, passed: false }),
        missing("a row without item.answer raises invalid_variable_error", "invalid_variable_error", "answer"),
      ];
    case "python":
      return [
        c("the exact answer scores 1", "Paris", { reward: 1, passed: true }),
        c("the answer inside a sentence scores 0.5", "It is Paris.", { reward: 0.5, passed: false }),
        c("a wrong answer scores 0", "Lyon", { reward: 0 }),
        missing("a row without item.answer is a python runtime error", "python_grader_runtime_error", "KeyError"),
      ];
    case "score_model":
      return [
        c("a correct answer passes", "Paris", { reward_min: 0.7, reward_max: 1, passed: true }),
        c("a wrong answer fails", "Lyon", { reward_max: 0.3, passed: false }),
        missing("a row without item.answer raises invalid_variable_error", "invalid_variable_error", "answer"),
      ];
    case "multi":
      return [
        c("the exact answer gets full marks from both children", "Paris", { reward: 1, sub_rewards: { exact: 1, close: 1 }, passed: true }),
        c("a case difference: exact 0, close 0.8", "paris", { reward: 0.4, sub_rewards: { exact: 0, close: 0.8 }, passed: false }),
        c("a wrong answer scores 0", "Lyon", { reward: 0, sub_rewards: { exact: 0, close: { max: 0.1 } } }),
        missing("a row without item.answer raises invalid_variable_error", "invalid_variable_error", "answer"),
      ];
  }
}

export function starterFiles(name: string, type: StarterType): StarterFiles {
  const suite: Json = {
    name,
    description: "Cases that pin the grader down; run them with `graderkit test`.",
    grader: starterFileNames(name).grader,
  };
  // A multi grader has no pass_threshold of its own; the suite sets the one `passed` uses.
  if (type === "multi") suite.pass_threshold = 0.5;
  suite.cases = casesOf(type);
  return { grader: graderOf(name, type), suite, samples: SAMPLES };
}
