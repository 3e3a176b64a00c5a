// Bench: cost of evaluating a compiled 10-term calculate_output formula per row.
// Needs a build first (`npx tsc -p tsconfig.json`). Run directly: `node bench/formula.mjs`.

import { pathToFileURL } from "node:url";
import { compileFormula } from "../dist/formula/index.js";

const KEYS = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
const SOURCE = "0.1*a + 0.1*b + 0.1*c + 0.1*d + 0.1*e + 0.1*f + 0.1*g + 0.1*h + 0.1*i + 0.1*min(1, j)";
const DISTINCT_ROWS = 4096; // cycled through, so the loop is not measuring one cached row

function makeRows(variables) {
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const arrays = Array.from({ length: DISTINCT_ROWS }, () => Float64Array.from(variables, () => rand() * 1.5));
  const records = arrays.map((row) => Object.fromEntries(variables.map((k, i) => [k, row[i]])));
  return { arrays, records };
}

/** Times `rows` calls of `evaluateRow(i)`; returns ns per row. The sum defeats dead-code elimination. */
function time(rows, evaluateRow) {
  let sum = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rows; i++) sum += evaluateRow(i & (DISTINCT_ROWS - 1));
  const elapsed = Number(process.hrtime.bigint() - start);
  if (!Number.isFinite(sum)) throw new Error("formula bench produced a non-finite sum");
  return elapsed / rows;
}

/** Warms the path up, then reports the median of REPEATS timed runs of `rows / REPEATS` rows. */
function measure(rows, evaluateRow) {
  const REPEATS = 5;
  time(Math.min(rows, 1_000_000), evaluateRow);
  const samples = Array.from({ length: REPEATS }, () => time(Math.ceil(rows / REPEATS), evaluateRow));
  return samples.sort((a, b) => a - b)[Math.floor(REPEATS / 2)];
}

export async function run({ rows = 5_000_000 } = {}) {
  const formula = compileFormula(SOURCE, KEYS);
  const { arrays, records } = makeRows(formula.variables);
  const arrayNs = measure(rows, (i) => formula.evaluateArray(arrays[i]));
  const recordNs = measure(rows, (i) => formula.evaluate(records[i]));

  return {
    name: "formula_10_terms",
    ns_per_row: round(arrayNs),
    rows_per_s: Math.round(1e9 / arrayNs),
    // The per-row cost through evaluate(record), which reads values by key first.
    record_ns_per_row: round(recordNs),
  };
}

function round(x) {
  return Math.round(x * 100) / 100;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await run();
  console.log(
    `${result.name}: ${result.ns_per_row} ns/row via evaluateArray (${result.rows_per_s.toLocaleString("en-US")} rows/s), ` +
      `${result.record_ns_per_row} ns/row via evaluate(record)`,
  );
}
