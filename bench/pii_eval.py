"""Recall and precision of the PII detectors per kind on the labelled synthetic corpus.

    .venv/bin/python bench/pii_eval.py [--errors N]

A gold span counts as found when a token of its kind appears and the value is gone from
the scrubbed text; every token of a kind without a gold span of that kind is a false
positive (negatives carry no PII at all).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from assay.ingest import Scrubber

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "ingest" / "pii_corpus.jsonl"
STRUCTURED = {"EMAIL", "PHONE", "CARD", "IBAN", "SSN", "NATIONAL_ID", "IP", "SECRET"}


def evaluate(path: Path = CORPUS) -> tuple[dict[str, dict[str, float]], list[tuple[str, str, str]]]:
    s = Scrubber(b"eval-key")
    tp, fn, fp = Counter(), Counter(), Counter()
    errors = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        out = s.scrub(row["text"])
        kinds = Counter(re.findall(r"<([A-Z_]+)_[0-9a-f]{6}>", out))
        gold = row["kind"]
        if gold is not None:
            # (the value as a whole word: "Li" is still in "Liebe <PERSON_...>")
            if kinds[gold] and re.search(rf"(?<!\w){re.escape(row['value'])}(?!\w)", out) is None:
                tp[gold] += 1
                kinds[gold] -= 1
            else:
                fn[gold] += 1
                errors.append(("FN", gold, f"{row['text']!r} -> {out!r}"))
        for k, n in kinds.items():
            if n > 0:
                fp[k] += n
                errors.append(("FP", k, f"{row['text']!r} -> {out!r}"))
    table = {}
    for k in sorted(set(tp) | set(fn) | set(fp)):
        table[k] = {
            "gold": tp[k] + fn[k],
            "recall": tp[k] / (tp[k] + fn[k]) if tp[k] + fn[k] else float("nan"),
            "precision": tp[k] / (tp[k] + fp[k]) if tp[k] + fp[k] else float("nan"),
            "fp": fp[k],
        }
    return table, errors


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", type=int, default=0, help="print this many misses and false alarms")
    args = ap.parse_args()
    table, errors = evaluate()
    n_rows = sum(1 for _ in CORPUS.open(encoding="utf-8"))
    print(f"corpus: {CORPUS.name}, {n_rows} texts, {sum(v['gold'] for v in table.values())} PII spans")
    print(f"| kind | spans | recall | precision | false positives |\n|---|---:|---:|---:|---:|")
    for k, v in table.items():
        tag = "" if k in STRUCTURED else " (best effort)"
        print(f"| {k}{tag} | {v['gold']} | {v['recall']:.1%} | {v['precision']:.1%} | {v['fp']} |")
    for e in errors[: args.errors]:
        print(*e)


if __name__ == "__main__":
    main()
