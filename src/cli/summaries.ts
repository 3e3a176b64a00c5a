// One line per command, in the order `graderkit --help` lists them: the top-level help shows these
// without loading any command module (each is imported only when it runs), and each command's own
// --help shows the same line, so the two cannot drift.

export const COMMAND_SUMMARIES = {
  validate: "Check grader JSON files against the schema and graderkit's static rules.",
  grade: "Grade one sample and print the graders/run response as JSON.",
  run: "Grade every row of a JSONL file; one output row per input row, in input order.",
  test: "Run grader test suites: each case's reward, flags and sub-rewards against what it expects.",
  eval: "Run an exported OpenAI eval locally: its testing criteria over its data; prints the eval.run.",
  report: "Write a self-contained HTML report of a run: summary, errors, reward histograms, worst rows, a row table.",
  diff: "Compare two runs over the same samples row by row (grader v1 against v2).",
  calibrate: "Check a run's rewards against human labels: ROC AUC, average precision, best thresholds, kappa, or correlations.",
  serve: "Serve the graders API and batch rewards for RL trainers (OpenRLHF, verl, TRL) locally.",
  "check-data": "Check a fine-tuning training file (supervised, DPO or reinforcement) before uploading it.",
  export: "Print the POST /v1/fine_tuning/jobs body of a supervised, DPO or reinforcement fine-tuning job.",
  jobs: "Fine-tuning jobs on OpenAI or Azure OpenAI: create, list, get, cancel, pause, resume, events, checkpoints.",
  doctor: "Report the Python interpreter, the active sandbox and which of the hosted grader image's packages it can import.",
  init: "Write a starter grader, a suite of test cases for it and a tiny dataset.",
  bench: "Measure a grader's throughput on your data: rows/s per worker count, per-row latency, peak memory, each multi child's share.",
} as const;

export type CommandName = keyof typeof COMMAND_SUMMARIES;
