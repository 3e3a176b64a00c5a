// The report's statistics against scipy 1.10, scikit-learn 1.2 and numpy 1.24, to 1e-12, on
// ties and degenerate inputs. Expected values: test/fixtures/report/statistics.json, produced by
// scripts/report-stats-fixtures.py (run it with Debian's python3-scipy / python3-sklearn to
// regenerate); the bootstrap and PRNG cases come from that script's independent Python
// implementation of the documented generator, with scipy.stats.bootstrap as a sanity check.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SeededRandom } from "../src/util/random.js";
import { bootstrapMeanCi } from "../src/report/stats/bootstrap.js";
import {
  averagePrecision,
  cohenKappa,
  confusionAt,
  precisionRecallCurve,
  rocAuc,
  rocCurve,
  thresholdCurve,
} from "../src/report/stats/classification.js";
import { kendallTauB, meanAbsoluteError, pearson, spearman } from "../src/report/stats/correlation.js";
import { histogram, histogram2d } from "../src/report/stats/describe.js";
import { percentileOfSorted } from "../src/util/percentile.js";
import { mean } from "../src/report/stats/sum.js";
import { bestF1, bestYouden } from "../src/report/calibrate.js";

const fixtures = JSON.parse(readFileSync(new URL("./fixtures/report/statistics.json", import.meta.url), "utf8"));
const TOL = 1e-12;

/** Equal within TOL, null for null; arrays element-wise. */
function close(actual: unknown, expected: unknown, what: string): void {
  if (expected === null || actual === null) {
    expect(actual, what).toBe(expected);
    return;
  }
  if (Array.isArray(expected)) {
    const a = Array.from(actual as ArrayLike<unknown>);
    expect(a.length, `${what}: length`).toBe(expected.length);
    expected.forEach((e, i) => close(a[i], e, `${what}[${i}]`));
    return;
  }
  if (typeof expected === "object") {
    for (const [k, v] of Object.entries(expected as object)) close((actual as Record<string, unknown>)[k], v, `${what}.${k}`);
    return;
  }
  expect(Math.abs((actual as number) - (expected as number)), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(TOL);
}

describe("correlations match scipy", () => {
  for (const c of fixtures.correlation) {
    it(c.name, () => {
      close(pearson(c.x, c.y), c.pearson, "pearson");
      close(spearman(c.x, c.y), c.spearman, "spearman");
      close(kendallTauB(c.x, c.y), c.kendall_tau_b, "kendall_tau_b");
      close(meanAbsoluteError(c.x, c.y), c.mae, "mae");
      close(mean(c.x), c.mean_x, "mean");
    });
  }
  it("unequal lengths are an error, not a number", () => {
    expect(() => spearman([1, 2], [1])).toThrow(RangeError);
  });
});

describe("classification matches scikit-learn", () => {
  for (const c of fixtures.classification) {
    it(c.name, () => {
      const curve = thresholdCurve(c.labels, c.scores);
      expect(curve.positives).toBe(c.positives);
      close(rocAuc(curve), c.roc_auc, "roc_auc");
      close(averagePrecision(curve), c.average_precision, "average_precision");
      if (!c.pr_curve) return;
      const pr = precisionRecallCurve(curve);
      close(pr.precision, c.pr_curve.precision, "precision");
      close(pr.recall, c.pr_curve.recall, "recall");
      close(pr.thresholds, c.pr_curve.thresholds, "pr thresholds");
      const roc = rocCurve(curve);
      if (c.roc_curve === null) expect(roc).toBeNull();
      else {
        close(roc!.fpr, c.roc_curve.fpr, "fpr");
        close(roc!.tpr, c.roc_curve.tpr, "tpr");
        expect(roc!.thresholds[0]).toBeNull();
        close(roc!.thresholds.slice(1), c.roc_curve.thresholds.slice(1), "roc thresholds");
      }
      close(bestF1(curve), c.best_f1, "best_f1");
      close(bestYouden(curve), c.best_youden, "best_youden");
      if (c.at_threshold) {
        const confusion = confusionAt(c.labels, c.scores, c.at_threshold.threshold);
        expect(confusion).toEqual(c.at_threshold.confusion);
        close(cohenKappa(confusion), c.at_threshold.cohen_kappa, "cohen_kappa");
      }
    });
  }
  for (const k of fixtures.kappa) {
    it(`cohen_kappa_score: ${k.name}`, () => close(cohenKappa(k.confusion), k.cohen_kappa, "kappa"));
  }
  it("labels other than 0/1 are refused", () => {
    expect(() => thresholdCurve([0, 2], [0.1, 0.2])).toThrow(/0 or 1/);
  });
});

describe("percentiles and histograms match numpy", () => {
  for (const c of fixtures.describe.filter((d: { histogram2d?: unknown }) => d.histogram2d)) {
    it(c.name, () => {
      const { bins, lo, hi, cells } = c.histogram2d;
      const h = histogram2d(c.x, c.y, bins, lo, hi);
      const sorted = h.cells.map((k) => [k.x, k.y, k.count]).sort((p, q) => p[0]! - q[0]! || p[1]! - q[1]!);
      expect(sorted).toEqual(cells);
    });
  }
  for (const c of fixtures.describe.filter((d: { histogram2d?: unknown }) => !d.histogram2d)) {
    it(c.name, () => {
      const sorted = Float64Array.from(c.values).sort();
      for (const [p, v] of Object.entries(c.percentiles)) close(percentileOfSorted(sorted, Number(p)), v, `p${p}`);
      const h = histogram(c.values, c.histogram.bins, c.histogram.lo, c.histogram.hi);
      expect(h.counts).toEqual(c.histogram.counts);
      close(h.edges, c.histogram.edges, "edges");
    });
  }
  it("no values: no percentile", () => {
    expect(percentileOfSorted([], 50)).toBeNull();
  });
});

describe("the seeded generator and the bootstrap", () => {
  for (const [seed, draws] of Object.entries(fixtures.random.first_draws) as Array<[string, { uint32: number[]; float: number[] }]>) {
    it(`seed ${seed}: the documented xoshiro128** stream`, () => {
      const r = new SeededRandom(Number(seed));
      expect(Array.from({ length: 8 }, () => r.nextUint32())).toEqual(draws.uint32);
      expect(Array.from({ length: 4 }, () => r.nextFloat())).toEqual(draws.float);
    });
  }
  for (const b of fixtures.random.bootstrap) {
    it(`bootstrap CI: ${b.name}`, () => {
      const ci = bootstrapMeanCi(b.deltas, { resamples: b.resamples, seed: b.seed });
      // Bit for bit: the same draws summed in the same order.
      expect(ci).toEqual(b.ci);
      // And close to scipy.stats.bootstrap's percentile interval, which draws differently.
      if (b.scipy_percentile_ci) {
        const width = b.ci[1] - b.ci[0];
        for (let i = 0; i < 2; i++) expect(Math.abs(ci![i] - b.scipy_percentile_ci[i])).toBeLessThan(0.05 * width + 1e-12);
      }
    });
  }
  it("no values or no resamples: no interval; seeds are checked", () => {
    expect(bootstrapMeanCi([], {})).toBeNull();
    expect(bootstrapMeanCi([1, 2], { resamples: 0 })).toBeNull();
    expect(() => new SeededRandom(-1)).toThrow(RangeError);
    expect(() => new SeededRandom(2 ** 32)).toThrow(RangeError);
  });
});
