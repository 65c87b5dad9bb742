"""Instructions a row of ingest's per-row work, counted by valgrind's callgrind.

Wall-clock figures on a shared 2-core machine swing by 15% from one run to the next, more
than most single changes; an instruction count does not. This runs ``Processor.process``
(parse, normalise, scrub, keyed ids, store-ready rows; no store writes) under
``valgrind --tool=callgrind`` twice, once on the warm-up rows only and once on the warm-up
rows and ``--rows`` more, and prints the difference per row.

    .venv/bin/python bench/ingest_instructions.py                      # the benchmark's rows
    .venv/bin/python bench/ingest_instructions.py --data my.jsonl --shape openai
    .venv/bin/python bench/ingest_instructions.py --no-fast            # every line on the general path
    .venv/bin/python bench/ingest_instructions.py --agent              # rows whose history called a tool
    .venv/bin/python bench/ingest_instructions.py --parts              # the question as content parts, some with an image

Needs ``valgrind`` (Debian: ``apt-get install valgrind``). Under valgrind OpenSSL cannot use
the CPU's SHA instructions, so the keyed id's HMAC-SHA256 counts far more (about 71k
instructions for 2.4 KB) than its 2 us on the machine: compare counts with each other, not
with timings. The rows default to ``bench/ingest_bench.py``'s 200 MB file, made if missing.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WARM = 2000

_CHILD = r"""
import itertools, sys
from pathlib import Path
from assay.ingest._formats import read_jsonl
from assay.ingest._process import Processor
from assay.store import utcnow
path, shape, n, warm, fast = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
rows = list(itertools.islice(read_jsonl(path), warm + n))
proc = Processor(key=b"k" * 32, source="s", file=str(path), shape_name=shape, mapping=None, scrub=True, fast=fast)
now = utcnow()
proc.process(rows[:warm], now)  # compiled patterns, caches, imports
kept = sum(len(proc.process(rows[i:i + 2000], now).good) for i in range(warm, warm + n, 2000))
print(kept)
"""


def _count(script: Path, args: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        run = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, str(script), *args],
                             capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"valgrind failed ({run.returncode}):\n{run.stderr[-2000:]}")
        m = re.search(r"Collected : (\d+)", run.stderr)
        if m is None:
            sys.exit(f"no instruction count in valgrind's output:\n{run.stderr[-2000:]}")
        return int(m.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None, help="a JSONL file (default: the benchmark's 200 MB file)")
    ap.add_argument("--shape", default="openai", help="the rows' shape (default: openai)")
    ap.add_argument("--rows", type=int, default=5000, help="rows counted after the warm-up (default: 5000)")
    ap.add_argument("--no-fast", action="store_true", help="every line on the general path (Processor(fast=False))")
    ap.add_argument("--agent", action="store_true",
                    help="the benchmark's rows with a tool call and its result in each request's history (ingest_bench.py --agent)")
    ap.add_argument("--parts", action="store_true",
                    help="the benchmark's rows with the question as content parts, an image in every fourth (ingest_bench.py --parts)")
    args = ap.parse_args()
    if subprocess.run(["which", "valgrind"], capture_output=True).returncode != 0:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    data = args.data
    if data is None:
        sys.path.insert(0, str(HERE))
        import ingest_bench  # the benchmark's own rows

        folder = Path(tempfile.gettempdir()) / "assay-bench"  # (where ingest_bench.py keeps it)
        folder.mkdir(parents=True, exist_ok=True)
        data = folder / "openai-200mb.jsonl"
        if args.agent:
            ingest_bench.AGENT[0] = True
            data = folder / "openai-200mb-agent.jsonl"
        elif args.parts:
            ingest_bench.PARTS[0] = True
            data = folder / "openai-200mb-parts.jsonl"
        ingest_bench.generate(data, 200)
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(_CHILD)
        script = Path(fh.name)
    try:
        fast = "0" if args.no_fast else "1"
        base = _count(script, [str(data), args.shape, "0", str(WARM), fast])
        total = _count(script, [str(data), args.shape, str(args.rows), str(WARM), fast])
    finally:
        script.unlink()
    per_row = (total - base) / args.rows
    print(f"{data.name}: {per_row / 1000:.1f}k instructions a row over {args.rows:,} rows after {WARM:,} warm-up rows "
          f"({'general path only' if args.no_fast else 'fast path on'}; warm-up run {base / 1e9:.2f}G, with the rows {total / 1e9:.2f}G)")


if __name__ == "__main__":
    main()
