// Bench: python grader throughput through the worker pool (2 workers), a trivial grader, with a
// bounded window of calls in flight. Needs a build first (`npx tsc -p tsconfig.json`) and python3.
// Run directly: `node bench/python.mjs`.

import { pathToFileURL } from "node:url";
import { createPythonExecutor } from "../dist/executors/python/executor.js";

const SOURCE = `def grade(sample, item):
    return 1.0 if sample["output_text"] == item["answer"] else 0.0
`;

/** Grades `rows` samples keeping at most `window` calls in flight; returns elapsed seconds. */
async function grade(py, rows, window) {
  let next = 0;
  let correct = 0;
  const start = process.hrtime.bigint();
  async function lane() {
    while (next < rows) {
      const i = next++;
      const out = await py.grade(SOURCE, { output_text: String(i % 7) }, { answer: "0" });
      if (out.kind !== "ok") throw new Error(`python bench: unexpected outcome ${JSON.stringify(out)}`);
      correct += out.reward;
    }
  }
  await Promise.all(Array.from({ length: window }, lane));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const expected = Math.ceil(rows / 7);
  if (correct !== expected) throw new Error(`python bench: ${correct} correct, expected ${expected}`);
  return seconds;
}

export async function run({ rows = 20_000, window = 64, workers = 2 } = {}) {
  const py = createPythonExecutor({ workers });
  try {
    await grade(py, 2_000, window); // warm-up: spawn the workers, compile the source
    const seconds = await grade(py, rows, window);
    return { name: "python_trivial", rows_per_s: Math.round(rows / seconds), rows, window, workers };
  } finally {
    await py.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await run();
  console.log(
    `${result.name}: ${result.rows_per_s.toLocaleString("en-US")} rows/s ` +
      `(${result.rows} rows, window ${result.window}, ${result.workers} workers)`,
  );
}
