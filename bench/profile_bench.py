"""Profile N generated records (SYNTHETIC, examples/support-desk/generate.py) with the default
embedder and print wall time per stage and peak RSS.

    .venv/bin/python bench/profile_bench.py --records 1000000
    .venv/bin/python bench/profile_bench.py --records 100000 --embedder minilm --embed-only
"""

from __future__ import annotations

import argparse
import json
import resource
import runpy
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--embedder", default="tfidf")
    ap.add_argument("--embed-only", action="store_true", help="time only the embedder on the texts (texts/s)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="assay-profile-bench-"))
    try:
        gen = runpy.run_path(str(ROOT / "examples" / "support-desk" / "generate.py"))
        t = time.perf_counter()
        if args.embed_only:
            from assay.profile import make_embedder

            texts = [
                "\n".join(m["content"] for m in rec["messages"] if m["role"] == "user")
                for _, rec in gen["production_records"](args.records, 7)
            ]
            print(f"generate {len(texts)} texts: {time.perf_counter() - t:.1f}s")
            emb = make_embedder(args.embedder)
            t = time.perf_counter()
            emb.fit(texts).transform(texts)
            dt = time.perf_counter() - t
            print(json.dumps({"embedder": args.embedder, "texts": len(texts), "seconds": round(dt, 1),
                              "texts_per_s": round(len(texts) / dt), "peak_rss_gb": round(_rss_gb(), 2)}))
            return
        shutil.copy(ROOT / "examples" / "support-desk" / "assay.yaml", tmp / "assay.yaml")
        gen["generate"](tmp / "data", n_records=args.records)
        print(f"generate: {time.perf_counter() - t:.1f}s")
        from assay.ingest import ingest
        from assay.profile import profile
        from assay.project import load_project

        project = load_project(tmp)
        t = time.perf_counter()
        ingest(project)
        print(f"ingest: {time.perf_counter() - t:.1f}s (not part of the goal)")
        stages: dict[str, float] = {}

        from contextlib import contextmanager

        @contextmanager
        def timed(desc, total):
            s = time.perf_counter()

            class _T:
                def advance(self, n=1): pass

                def note(self, text): pass

            yield _T()
            stages[desc] = round(stages.get(desc, 0) + time.perf_counter() - s, 1)

        rss0 = _rss_gb()
        t = time.perf_counter()
        prof = profile(project, embedder=args.embedder, progress=timed)
        dt = time.perf_counter() - t
        print(json.dumps({"records": prof.n_records, "profile_seconds": round(dt, 1), "stages": stages,
                          "k": prof.params["k"], "slices": len(prof.slices),
                          "peak_rss_gb_process": round(_rss_gb(), 2), "peak_rss_gb_before_profile": round(rss0, 2)}))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
