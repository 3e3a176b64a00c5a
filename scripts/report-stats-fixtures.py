#!/usr/bin/python3
"""Expected values for graderkit's report statistics, computed by the reference libraries.

    /usr/bin/python3 scripts/report-stats-fixtures.py > test/fixtures/report/statistics.json

Debian bookworm's python3-scipy 1.10, python3-sklearn 1.2 and python3-numpy 1.24 compute every
number here; the project's tests compare against this committed file, so they do not need
Python. Inputs are generated from fixed seeds and stored next to the expected values.

The bootstrap and reservoir cases cannot come from a library (the resampling depends on the
generator), so they come from an independent implementation of the documented algorithm:
xoshiro128** seeded by splitmix32 (src/util/random.ts), written here from the published
reference code, and scipy.stats.bootstrap's percentile definition (np.percentile, linear).
"""

import json
import math
import sys
import warnings

import numpy as np
import scipy
import sklearn
from scipy import stats
from sklearn import metrics

warnings.simplefilter("ignore")
MASK = 0xFFFFFFFF


def nan_to_none(x):
    x = float(x)
    return None if math.isnan(x) else x


# ---- correlations ---------------------------------------------------------------------------

def correlation_case(name, x, y):
    x = [float(v) for v in x]
    y = [float(v) for v in y]
    n = len(x)
    pearson = None
    if n >= 2:
        pearson = nan_to_none(stats.pearsonr(x, y)[0])
    return {
        "name": name,
        "x": x,
        "y": y,
        "pearson": pearson,
        "spearman": nan_to_none(stats.spearmanr(x, y)[0]) if n > 0 else None,
        "kendall_tau_b": nan_to_none(stats.kendalltau(x, y)[0]),
        "mae": float(np.mean(np.abs(np.array(x) - np.array(y)))) if n > 0 else None,
        "mean_x": float(np.mean(x)) if n > 0 else None,
    }


def correlation_cases():
    rng = np.random.default_rng(20240601)
    cases = [
        correlation_case("empty", [], []),
        correlation_case("one pair", [0.3], [0.9]),
        correlation_case("two pairs", [0.2, 0.7], [0.9, 0.1]),
        correlation_case("two pairs, a tie", [0.2, 0.2], [0.9, 0.1]),
        correlation_case("three pairs", [1, 2, 3], [1, 3, 2]),
        correlation_case("x constant", [0.5] * 6, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
        correlation_case("y constant", [0.1, 0.9, 0.4, 0.3], [1, 1, 1, 1]),
        correlation_case("both constant", [0, 0, 0], [1, 1, 1]),
        correlation_case("perfect", list(range(10)), [2 * v + 1 for v in range(10)]),
        correlation_case("perfect reverse", list(range(10)), [-v for v in range(10)]),
        correlation_case("binary vs binary", [0, 1, 1, 0, 1, 0, 0, 1, 1, 1], [0, 1, 0, 0, 1, 1, 0, 1, 1, 0]),
        correlation_case("all pairs tied jointly but not constant", [0, 0, 1, 1], [5, 5, 7, 7]),
        correlation_case("large magnitudes", [1e9 + v for v in [1, 2, 4, 8, 16]], [3, 1, 4, 1, 5]),
    ]
    cases.append(correlation_case("continuous n=60", rng.random(60), rng.random(60)))
    a = rng.random(200)
    cases.append(correlation_case("correlated n=200", a, a + 0.3 * rng.random(200)))
    cases.append(correlation_case("heavy ties n=300", rng.choice([0, 0.25, 0.5, 0.75, 1], 300), rng.choice([0, 0.5, 1], 300)))
    x = rng.integers(0, 40, 3000) / 40
    cases.append(correlation_case("ties n=3000", x, np.clip(x + rng.normal(0, 0.2, 3000).round(1), 0, 1)))
    return cases


# ---- classification -----------------------------------------------------------------------------

def best_f1(y, s, precision, recall, thresholds):
    if sum(y) == 0 or len(thresholds) == 0:
        return None
    p = precision[:-1]
    r = recall[:-1]
    f1 = [0.0 if pi + ri == 0 else 2 * pi * ri / (pi + ri) for pi, ri in zip(p, r)]
    # Ties: the highest threshold (arrays are in increasing threshold order: the last maximum).
    best = max(f1)
    i = max(k for k, v in enumerate(f1) if v == best)
    t = float(thresholds[i])
    pred = [1 if v >= t else 0 for v in s]
    accuracy = sum(1 for a, b in zip(y, pred) if a == b) / len(y)
    return {"threshold": t, "precision": float(p[i]), "recall": float(r[i]), "f1": float(f1[i]), "accuracy": accuracy}


def best_youden(y, s):
    if len(set(y)) < 2:
        return None
    fpr, tpr, thresholds = metrics.roc_curve(y, s, drop_intermediate=False)
    j = tpr[1:] - fpr[1:]
    # Ties: the highest threshold (roc_curve's thresholds decrease: the first maximum).
    i = int(np.argmax(j)) + 1
    return {"threshold": float(thresholds[i]), "tpr": float(tpr[i]), "fpr": float(fpr[i]), "j": float(tpr[i] - fpr[i])}


def confusion(y, s, t):
    pred = [1 if v >= t else 0 for v in s]
    tp = sum(1 for a, b in zip(y, pred) if a == 1 and b == 1)
    fp = sum(1 for a, b in zip(y, pred) if a == 0 and b == 1)
    tn = sum(1 for a, b in zip(y, pred) if a == 0 and b == 0)
    fn = sum(1 for a, b in zip(y, pred) if a == 1 and b == 0)
    kappa = nan_to_none(metrics.cohen_kappa_score(y, pred)) if len(y) else None
    return {"threshold": t, "confusion": {"tp": tp, "fp": fp, "tn": tn, "fn": fn}, "cohen_kappa": kappa}


def classification_case(name, y, s, at=None):
    y = [int(v) for v in y]
    s = [float(v) for v in s]
    out = {"name": name, "labels": y, "scores": s, "positives": sum(y)}
    out["roc_auc"] = float(metrics.roc_auc_score(y, s)) if len(set(y)) == 2 else None
    out["average_precision"] = float(metrics.average_precision_score(y, s)) if len(y) else None
    if len(y):
        precision, recall, thresholds = metrics.precision_recall_curve(y, s)
        out["pr_curve"] = {"precision": precision.tolist(), "recall": recall.tolist(), "thresholds": thresholds.tolist()}
        if len(set(y)) == 2:
            fpr, tpr, th = metrics.roc_curve(y, s)
            out["roc_curve"] = {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": [None] + th[1:].tolist()}
        else:
            out["roc_curve"] = None
        out["best_f1"] = best_f1(y, s, precision, recall, thresholds)
        out["best_youden"] = best_youden(y, s)
        t = at if at is not None else (out["best_f1"]["threshold"] if out["best_f1"] else None)
        out["at_threshold"] = confusion(y, s, t) if t is not None else None
    return out


def classification_cases():
    rng = np.random.default_rng(7)
    cases = [
        classification_case("sklearn docstring", [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
        classification_case("perfect", [0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]),
        classification_case("inverted", [1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]),
        classification_case("tied scores across classes", [0, 1, 0, 1, 1, 0], [0.5, 0.5, 0.5, 1, 0, 0]),
        classification_case("all scores equal", [0, 1, 1, 0, 1], [0.7] * 5),
        classification_case("all positive", [1, 1, 1], [0.2, 0.9, 0.5]),
        classification_case("all negative", [0, 0, 0, 0], [0.2, 0.9, 0.5, 0.5]),
        classification_case("one row, positive", [1], [0.4]),
        classification_case("at a given threshold", [0, 1, 1, 0, 1, 0, 1], [0.1, 0.6, 0.5, 0.5, 0.9, 0.2, 0.3], at=0.5),
        classification_case("threshold above every score", [0, 1, 1, 0], [0.1, 0.6, 0.5, 0.5], at=2.0),
    ]
    y = rng.integers(0, 2, 400)
    cases.append(classification_case("discrete scores n=400", y, np.clip(rng.choice([0, 0.25, 0.5, 0.75, 1], 400) * 0.6 + 0.4 * y, 0, 1).round(2)))
    y = rng.integers(0, 2, 300)
    cases.append(classification_case("continuous n=300", y, rng.random(300) * 0.7 + 0.3 * y))
    y = (rng.random(500) < 0.1).astype(int)
    cases.append(classification_case("rare positives n=500", y, rng.random(500) + 0.2 * y))
    return cases


def kappa_cases():
    out = []
    for name, a, b in [
        ("agree", [0, 1, 1, 0], [0, 1, 1, 0]),
        ("disagree", [0, 1, 1, 0], [1, 0, 0, 1]),
        ("chance", [0, 1, 0, 1], [0, 0, 1, 1]),
        ("one class both", [1, 1, 1], [1, 1, 1]),
        ("one class true", [1, 1, 1, 1], [1, 0, 1, 1]),
        ("mixed", [0, 0, 1, 1, 1, 0, 1, 0, 1, 1], [0, 1, 1, 1, 0, 0, 1, 0, 1, 0]),
    ]:
        tp = sum(1 for x, y in zip(a, b) if x == 1 and y == 1)
        fp = sum(1 for x, y in zip(a, b) if x == 0 and y == 1)
        tn = sum(1 for x, y in zip(a, b) if x == 0 and y == 0)
        fn = sum(1 for x, y in zip(a, b) if x == 1 and y == 0)
        out.append({"name": name, "confusion": {"tp": tp, "fp": fp, "tn": tn, "fn": fn}, "cohen_kappa": nan_to_none(metrics.cohen_kappa_score(a, b))})
    return out


# ---- describing one sample ----------------------------------------------------------------------

def describe_cases():
    rng = np.random.default_rng(11)
    out = []
    for name, values in [
        ("one value", [0.42]),
        ("two values", [0.0, 1.0]),
        ("rewards", rng.random(37).round(3).tolist()),
        ("binary", rng.integers(0, 2, 50).astype(float).tolist()),
        ("on the edges", [0, 0.05, 0.1, 0.15, 0.3, 0.35, 0.95, 1, 1, 0.5, 0.55]),
        ("tenths", [i / 10 for i in range(11)] * 3),
    ]:
        v = np.array(values, dtype=float)
        s = np.sort(v)
        counts, edges = np.histogram(v, bins=20, range=(0.0, 1.0))
        out.append({
            "name": name,
            "values": v.tolist(),
            "percentiles": {str(p): float(np.percentile(s, p)) for p in [0, 2.5, 10, 25, 50, 75, 90, 97.5, 99, 100]},
            "histogram": {"bins": 20, "lo": 0.0, "hi": 1.0, "counts": counts.tolist(), "edges": edges.tolist()},
        })
    v = np.array([-0.5, 0.0, 0.3, 1.7, 2.0, 2.0], dtype=float)
    counts, edges = np.histogram(v, bins=7, range=(-0.5, 2.0))
    out.append({"name": "outside [0, 1], 7 bins", "values": v.tolist(), "percentiles": {"50": float(np.percentile(np.sort(v), 50))},
                "histogram": {"bins": 7, "lo": -0.5, "hi": 2.0, "counts": counts.tolist(), "edges": edges.tolist()}})
    x = np.concatenate([rng.random(300), [0.0, 1.0, 0.5, 0.05, 0.95]])
    y = np.concatenate([np.clip(x[:300] + rng.normal(0, 0.15, 300), 0, 1), [1.0, 0.0, 0.5, 0.05, 1.0]])
    counts, _, _ = np.histogram2d(x, y, bins=20, range=[[0.0, 1.0], [0.0, 1.0]])
    out.append({"name": "histogram2d, 20 x 20 over [0, 1]", "x": x.tolist(), "y": y.tolist(), "histogram2d": {"bins": 20, "lo": 0.0, "hi": 1.0,
                "cells": [[i, j, int(counts[i, j])] for i in range(20) for j in range(20) if counts[i, j] > 0]}})
    return out


# ---- the seeded generator and the bootstrap --------------------------------------------------------

def imul(a, b):
    return (a * b) & MASK


class SeededRandom:
    """xoshiro128** (Blackman & Vigna), state from splitmix32 (as src/util/random.ts)."""

    def __init__(self, seed):
        x = seed & MASK
        words = []
        for _ in range(4):
            x = (x + 0x9E3779B9) & MASK
            z = x
            z = imul(z ^ (z >> 16), 0x21F0AAAD)
            z = imul(z ^ (z >> 15), 0x735A2D97)
            words.append((z ^ (z >> 15)) & MASK)
        if not any(words):
            words[0] = 1
        self.s = words

    def next_uint32(self):
        s0, s1, s2, s3 = self.s
        m = imul(s1, 5)
        result = imul(((m << 7) | (m >> 25)) & MASK, 9)
        t = (s1 << 9) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = ((s3 << 11) | (s3 >> 21)) & MASK
        self.s = [s0, s1, s2, s3]
        return result

    def next_float(self):
        a = self.next_uint32() >> 5
        b = self.next_uint32() >> 6
        return (a * 67108864.0 + b) / 9007199254740992.0

    def next_index(self, n):
        return math.floor(self.next_float() * n)


def bootstrap_ci(deltas, resamples, seed, level=0.95):
    n = len(deltas)
    rnd = SeededRandom(seed)
    means = []
    for _ in range(resamples):
        total = 0.0
        for _ in range(n):
            total += deltas[rnd.next_index(n)]
        means.append(total / n)
    means = np.sort(np.array(means))
    tail = ((1 - level) / 2) * 100
    return [float(np.percentile(means, tail)), float(np.percentile(means, 100 - tail))]


def random_cases():
    first = {}
    for seed in [0, 1, 42, 0xFFFFFFFF]:
        rnd = SeededRandom(seed)
        first[str(seed)] = {"uint32": [rnd.next_uint32() for _ in range(8)], "float": [rnd.next_float() for _ in range(4)]}
    rng = np.random.default_rng(3)
    boots = []
    for name, deltas, resamples, seed in [
        ("one delta", [0.25], 200, 0),
        ("binary flips n=40", rng.choice([-1.0, 0.0, 0.0, 1.0], 40).tolist(), 10000, 0),
        ("continuous n=150, seed 7", (rng.random(150) - 0.4).tolist(), 10000, 7),
        ("continuous n=150, seed 0", (rng.random(150) - 0.4).tolist(), 10000, 0),
    ]:
        boots.append({"name": name, "deltas": deltas, "resamples": resamples, "seed": seed, "ci": bootstrap_ci(deltas, resamples, seed)})
        # A sanity check against scipy's own bootstrap (a different generator): close, not equal.
        if len(deltas) > 1:
            ref = stats.bootstrap((np.array(deltas),), np.mean, n_resamples=resamples, method="percentile", random_state=1)
            boots[-1]["scipy_percentile_ci"] = [float(ref.confidence_interval.low), float(ref.confidence_interval.high)]
    return {"first_draws": first, "bootstrap": boots}


def main():
    out = {
        "generated_by": "scripts/report-stats-fixtures.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__},
        "correlation": correlation_cases(),
        "classification": classification_cases(),
        "kappa": kappa_cases(),
        "describe": describe_cases(),
        "random": random_cases(),
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
