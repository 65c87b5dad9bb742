"""How k is chosen: the old silhouette rule vs split-half stability, on the example's gold intents
(SYNTHETIC data from examples/support-desk/generate.py) and on synthetic nested groups with a
known answer. Prints one JSON line per (data, bounds, method): chosen k, AMI and purity of the
resulting k-means slices, and the seconds the choice took.

    .venv/bin/python bench/profile_k.py --records 20000
"""

from __future__ import annotations

import argparse
import json
import runpy
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_mutual_info_score, silhouette_score
from sklearn.metrics.cluster import contingency_matrix

ROOT = Path(__file__).resolve().parents[1]


def purity(gold, pred) -> float:
    m = contingency_matrix(gold, pred)
    return float(m.max(axis=0).sum() / m.sum())


def silhouette_k(x, lo, hi, seed=0):
    """The rule used before: best mean silhouette (3,000 points of a 30,000 subsample) on a linear grid."""
    from assay.profile._kselect import kmeans

    rng = np.random.default_rng(seed)
    xs = x[np.sort(rng.choice(len(x), size=min(len(x), 30_000), replace=False))]
    s = rng.choice(len(xs), size=min(len(xs), 3000), replace=False)
    grid = sorted(set(np.linspace(lo, hi, num=min(8, hi - lo + 1)).round().astype(int).tolist()))
    sc = {k: float(silhouette_score(xs[s], kmeans(k, seed).fit(xs).labels_[s])) for k in grid}
    return max(sc, key=lambda k: (round(sc[k], 3), -k))


def nested_groups(seed=3, d=32):
    """SYNTHETIC: 4 well-separated groups of 4 sub-groups each (16 in all), unit rows."""
    rng = np.random.default_rng(seed)
    x, y = [], []
    for t in range(4):
        top = rng.normal(size=d) * 3.0
        for s in range(4):
            n = int(rng.integers(300, 1500))
            x.append(top + rng.normal(size=d) * 0.9 + rng.normal(size=(n, d)) * 0.25)
            y += [t * 4 + s] * n
    x = np.vstack(x).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True), y


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=20_000)
    args = ap.parse_args()
    from assay.profile import make_embedder
    from assay.profile._kselect import choose_k, kmeans

    gen = runpy.run_path(str(ROOT / "examples" / "support-desk" / "generate.py"))
    texts, gold = [], []
    for _, rec in gen["production_records"](args.records, 7):
        texts.append("\n".join(m["content"] for m in rec["messages"] if m["role"] == "user"))
        gold.append(rec["labels"]["intent"] if rec["labels"] else None)
    x = make_embedder("tfidf").fit(texts).transform(texts)
    lab = np.array([g is not None for g in gold])
    g = [v for v in gold if v is not None]
    hx, hy = nested_groups()
    cases = [("example", x, lab, g, 12, 40), ("example", x, lab, g, 8, 160), ("nested-16", hx, np.ones(len(hy), bool), hy, 2, 40)]
    for data, xx, mask, yy, lo, hi in cases:
        for method in ("silhouette", "stability"):
            t = time.perf_counter()
            k = silhouette_k(xx, lo, hi) if method == "silhouette" else choose_k(xx, k_min=lo, k_max=hi, seed=0).k
            dt = time.perf_counter() - t
            pred = kmeans(k, 0).fit(xx).labels_[mask]
            print(json.dumps({"data": data, "bounds": [lo, hi], "method": method, "k": k,
                              "ami": round(adjusted_mutual_info_score(yy, pred), 3), "purity": round(purity(yy, pred), 3),
                              "choose_seconds": round(dt, 1)}), flush=True)


if __name__ == "__main__":
    main()
