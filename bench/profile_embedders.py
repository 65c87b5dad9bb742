"""Slice quality per embedder on the example's gold intents (SYNTHETIC data): adjusted mutual
information and purity of k-means slices (k from the example's assay.yaml grid), and speed.

    .venv/bin/python bench/profile_embedders.py --records 10000
"""

from __future__ import annotations

import argparse
import json
import runpy
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix

ROOT = Path(__file__).resolve().parents[1]


def purity(gold, pred) -> float:
    m = contingency_matrix(gold, pred)
    return float(m.max(axis=0).sum() / m.sum())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=10_000)
    ap.add_argument("--embedders", default="tfidf,minilm")
    ap.add_argument("--k", type=int, default=40)
    args = ap.parse_args()
    gen = runpy.run_path(str(ROOT / "examples" / "support-desk" / "generate.py"))
    texts, gold = [], []
    for _, rec in gen["production_records"](args.records, 7):
        if rec["labels"]:
            texts.append("\n".join(m["content"] for m in rec["messages"] if m["role"] == "user"))
            gold.append(rec["labels"]["intent"])
    from assay.profile import make_embedder
    from assay.profile._profile import _kmeans

    for name in args.embedders.split(","):
        emb = make_embedder(name)
        t = time.perf_counter()
        x = emb.fit(texts).transform(texts)
        dt = time.perf_counter() - t
        pred = _kmeans(args.k, 0).fit(x).labels_
        print(json.dumps({"embedder": name, "texts": len(texts), "k": args.k,
                          "ami": round(adjusted_mutual_info_score(gold, pred), 3), "purity": round(purity(gold, pred), 3),
                          "embed_seconds": round(dt, 1), "texts_per_s": round(len(texts) / dt)}))


if __name__ == "__main__":
    main()
