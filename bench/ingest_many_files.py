"""Ingest of a folder of many small files (``opik export`` writes a file per trace; a Spark
job a part file per task): seconds per file, end to end, through the CLI as a user runs it.

    .venv/bin/python bench/ingest_many_files.py [--files 2000] [--rows 5]

Writes the files once under /tmp (synthetic OpenAI-style rows), then runs ``assay ingest``
on the folder into a new project, and again (every file unchanged).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--rows", type=int, default=5)
    args = ap.parse_args()
    data = Path(tempfile.gettempdir()) / f"assay-bench-many-{args.files}x{args.rows}"
    if not data.exists():
        tmp = data.with_suffix(".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for i in range(args.files):
            with (tmp / f"trace-{i:06d}.jsonl").open("w") as fh:
                for j in range(args.rows):
                    fh.write(json.dumps({"request": {"model": "gpt-4o-mini", "messages": [
                        {"role": "user", "content": f"question {i} {j}: where is my order?"}]},
                        "response": {"choices": [{"message": {"role": "assistant", "content": "It ships today."}}]}}) + "\n")
        tmp.rename(data)
    proj = Path(tempfile.mkdtemp(prefix="assay-bench-many-proj-"))
    (proj / "assay.yaml").write_text("project: bench\n")
    cmd = [sys.executable, "-m", "assay", "ingest", str(data), "-p", str(proj), "--json"]
    try:
        for label in ("first ingest", "again (unchanged)"):
            t = time.perf_counter()
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
            sec = time.perf_counter() - t
            doc = json.loads(out)
            print(f"{label:18s} {args.files:,} files x {args.rows} rows: {sec:6.1f} s, {sec / args.files * 1e3:5.2f} ms a file; "
                  f"kept {doc['kept']:,}, unchanged {len(doc['unchanged']):,}")
    finally:
        shutil.rmtree(proj, ignore_errors=True)


if __name__ == "__main__":
    main()
