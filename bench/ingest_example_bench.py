"""Ingest speed on varied text: the bundled example's support log, not the uniform rows of
``ingest_bench.py``.

    .venv/bin/python bench/ingest_example_bench.py [--records 20000] [--workers 0] [--steps]

Generates the SYNTHETIC support-desk example (``examples/support-desk/generate.py``:
multi-turn chats and e-mails in six languages, with order numbers, addresses, sign-offs and
quoted replies) into a temporary folder and ingests its log into a fresh project, as
``assay ingest`` does. Prints records/s and the CPU time of this process (``--workers 0``,
the default, keeps all the work in it; a file this size is ingested in process anyway).

``--steps``: also scrubs every distinct message text once and prints, per PII detector, on
how many texts its RE2 trigger fired and what its Python step cost each time. The uniform
benchmark rows repeat a few words, so a cost that only varied text shows (a detector's
trigger firing on common words, RE2's state cache overflowing) stays hidden there.
"""

from __future__ import annotations

import argparse
import json
import resource
import runpy
import tempfile
import time
from collections import Counter
from pathlib import Path

from assay.ingest import Scrubber, ingest
from assay.project import load_project

ROOT = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime


def _steps(log: Path) -> None:
    texts: list[str] = []
    for line in log.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts += [m["content"] for m in row.get("messages") or [] if isinstance(m.get("content"), str)]
        if isinstance(row.get("output"), str):
            texts.append(row["output"])
    texts = list(dict.fromkeys(texts))
    s = Scrubber(b"bench")
    kinds = [kind for kind, _, trigger in s._steps if trigger is not None]
    spent: Counter[str] = Counter()
    fired: Counter[str] = Counter()

    def timed(step, kind):  # type: ignore[no-untyped-def]
        def run(text: str, found: list[str]) -> str:
            t0 = time.perf_counter()
            out = step(text, found)
            spent[kind] += time.perf_counter() - t0
            fired[kind] += 1
            return out
        return run

    s._triggered = [timed(step, kind) for step, kind in zip(s._triggered, kinds)]
    t0 = time.perf_counter()
    for t in texts:
        s.scrub(t)
    total = time.perf_counter() - t0
    print(f"scrub: {len(texts):,} distinct texts, {total / len(texts) * 1e6:.1f} us a text")
    print(f"{'detector':12} {'fired on':>9} {'us each':>9} {'s in all':>9}")
    for kind in kinds:
        if fired[kind]:
            print(f"{kind:12} {fired[kind]:9,} {spent[kind] / fired[kind] * 1e6:9.1f} {spent[kind]:9.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=20000)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--steps", action="store_true")
    args = ap.parse_args()
    gen = runpy.run_path(str(ROOT / "examples" / "support-desk" / "generate.py"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        gen["generate"](tmp_path / "data", n_records=args.records)
        (log,) = sorted((tmp_path / "data" / "logs").glob("*.jsonl"))
        (tmp_path / "project").mkdir()
        (tmp_path / "project" / "assay.yaml").write_text("project: bench\n")
        project = load_project(tmp_path / "project")
        cpu0, t0 = _cpu(), time.perf_counter()
        summary = ingest(project, [str(log)], workers=args.workers)
        wall, cpu = time.perf_counter() - t0, _cpu() - cpu0
        print(f"ingest: {log.stat().st_size / 1e6:.1f} MB, {args.records:,} records, kept {summary.kept:,}; {wall:.1f} s = "
              f"{args.records / wall:,.0f} records/s; CPU {cpu:.1f} s ({cpu / args.records * 1e6:.0f} us a record)")
        if args.steps:
            _steps(log)


if __name__ == "__main__":
    main()
