"""People's names in the bundled example's messages: how many the scrubber takes out.

    .venv/bin/python bench/pii_names_example.py [--records 3000]

Generates the SYNTHETIC support-desk example (``examples/support-desk/generate.py``, which
was written before the name detector: its e-mails sign off with the customer's first name,
sometimes misspelt, and quote earlier mails under "On ..., NAME wrote:") into a temporary
folder, scrubs every message text as ingest does (names found in a text are also swapped
where else the text writes them), and counts:

- texts holding one of the generator's first names, and how many still hold one after;
- texts holding none of them that get a ``PERSON`` token anyway (printed, to be read: the
  generator also misspells names, which are names all the same).
"""

from __future__ import annotations

import argparse
import json
import re
import runpy
import tempfile
from pathlib import Path

from assay.ingest import Scrubber

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(r"[^\W\d_]+")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=3000)
    ap.add_argument("--show", type=int, default=8, help="texts to print of each kind")
    args = ap.parse_args()
    gen = runpy.run_path(str(ROOT / "examples" / "support-desk" / "generate.py"))
    names = {n for per_locale in gen["FIRST_NAMES"].values() for n in per_locale}
    s = Scrubber(b"names-eval")
    texts = holding = left = other_tokens = 0
    leaks: list[str] = []
    others: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        gen["generate"](Path(tmp), n_records=args.records)
        for path in sorted((Path(tmp) / "logs").glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                msgs = row.get("messages") or (row.get("request") or {}).get("messages") or []
                for m in msgs:
                    text = m.get("content") if isinstance(m, dict) else None
                    if not isinstance(text, str):
                        continue
                    texts += 1
                    s.names_begin()
                    out = s.with_names(s.scrub(text), s.names_found())
                    if set(WORD.findall(text)) & names:
                        holding += 1
                        if set(WORD.findall(out)) & names:
                            left += 1
                            leaks.append(out[-120:])
                    elif "<PERSON_" in out:
                        other_tokens += 1
                        others.append(text[-80:])
    print(f"message texts: {texts:,}; holding a customer's first name: {holding:,}; still holding one after scrubbing: "
          f"{left:,} ({1 - left / max(holding, 1):.1%} clean)")
    print(f"texts holding none of the first names that got a PERSON token: {other_tokens:,} of {texts - holding:,}")
    for t in leaks[:args.show]:
        print("  left:", repr(t))
    for t in others[:args.show]:
        print("  token in:", repr(t))


if __name__ == "__main__":
    main()
