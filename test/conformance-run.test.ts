// `graderkit run` of a text_similarity grader, one per metric, over every pair of both fixtures:
// the reward of each output row is the reference library's default score.
import { conformanceRows, FIXTURES } from "./helpers/fixtures.js";
import { describe, expect, it } from "vitest";
import { cli, parseRows, tempDir, writeJson, writeLines } from "./helpers/cli.js";

const rows = FIXTURES.flatMap((fixture) => conformanceRows(fixture));

const METRICS = ["fuzzy_match", "bleu", "gleu", "meteor", "rouge_1", "rouge_2", "rouge_3", "rouge_4", "rouge_5", "rouge_l"];

describe("graderkit run matches the reference libraries", () => {
  it("runs the pairs of both fixtures", () => {
    expect(rows).toHaveLength(342 + 41);
  });
  const dir = tempDir("graderkit-conf-run-");
  // Texts go through templates: the input as the model's output, the reference from the item.
  const input = writeLines(dir, "pairs.jsonl", rows.map((r) => ({ id: r.id, item: { reference: r.reference }, sample: { output_text: r.input } })));
  for (const metric of METRICS) {
    it(`text_similarity ${metric}`, async () => {
      const grader = writeJson(dir, `${metric}.json`, {
        type: "text_similarity",
        name: metric,
        input: "{{ sample.output_text }}",
        reference: "{{ item.reference }}",
        evaluation_metric: metric,
      });
      // Half the metrics through the worker pool, half on the main thread.
      const workers = METRICS.indexOf(metric) % 2 === 0 ? "2" : "0";
      const r = await cli(["run", grader, input, "--quiet", "--workers", workers, "--batch-size", "50"]);
      expect(r.code).toBe(0);
      const out = parseRows(r.stdout);
      expect(out).toHaveLength(rows.length);
      const tol = ["bleu", "gleu", "meteor"].includes(metric) ? 1e-9 : 1e-12;
      out.forEach((o, i) => {
        expect(o.id).toBe(rows[i].id);
        const expected = rows[i][`default_${metric}`] as number;
        if (!(Math.abs(o.reward - expected) <= tol)) throw new Error(`${rows[i].id} ${metric}: reward ${o.reward}, reference ${expected}`);
        expect(o.metadata.scores.signature).toMatch(new RegExp(`^${metric}\\|`));
      });
    });
  }
});
