"""Ingest throughput by file format: the same generated OpenAI-style rows written as plain
JSONL, gzip JSONL, CSV, a JSON array, an export wrapper (``{"meta": ..., "data": [...]}``),
Parquet, and an OpenAI Batch API pair (a requests file and its results file, in another
order, joined by ``custom_id``), each ingested into a fresh project with
the default workers. Prints records/s, CPU per row and peak RSS (main process / workers).

    .venv/bin/python bench/ingest_formats_bench.py --size-mb 200

Each format runs in its own process, so the RSS and CPU figures are its own. Parquet
needs pyarrow (the ``formats`` extra)."""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import multiprocessing
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ingest_bench import generate  # noqa: E402

ONE = r"""
import resource, shutil, sys, tempfile, time
from pathlib import Path
from assay.ingest import ingest
from assay.project import load_project
path = Path(sys.argv[1])
paths = [str(p) for p in sys.argv[1:]]
d = Path(tempfile.mkdtemp(prefix="assay-fmt-")); (d / "assay.yaml").write_text("project: b\n")
t = time.perf_counter(); s = ingest(load_project(d), paths); dt = time.perf_counter() - t
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{path.name:28s} {sum(Path(p).stat().st_size for p in paths) / 1e6:7.0f} MB {s.kept:9,} kept {s.kept / dt:9,.0f} records/s  "
      f"cpu {(me.ru_utime + me.ru_stime) / s.kept * 1e6:5.1f} + {(kids.ru_utime + kids.ru_stime) / s.kept * 1e6:5.1f} us/row  "
      f"peak RSS {me.ru_maxrss / 1024:4.0f} / {kids.ru_maxrss / 1024:4.0f} MiB", flush=True)
shutil.rmtree(d)
"""


def convert(src: Path, out: Path) -> dict[str, Path]:
    import orjson

    files = {"jsonl": src, "jsonl.gz": out / (src.name + ".gz"), "csv": out / (src.stem + ".csv"),
             "json": out / (src.stem + ".json"), "export": out / (src.stem + ".export.json"),
             "parquet": out / (src.stem + ".parquet")}
    with src.open("rb") as fh, gzip.open(files["jsonl.gz"], "wb", compresslevel=1) as gz:
        shutil.copyfileobj(fh, gz, 1 << 20)
    with src.open("rb") as fh, files["json"].open("wb") as js, files["csv"].open("w", newline="") as cf:
        w = csv.writer(cf)
        w.writerow(["messages", "output", "model", "ts", "latency_ms", "locale"])
        js.write(b"[")
        for i, line in enumerate(fh):
            js.write((b"," if i else b"") + line.rstrip(b"\n"))
            r = orjson.loads(line)
            w.writerow([orjson.dumps(r["request"]["messages"]).decode(), r["response"]["choices"][0]["message"]["content"],
                        r["response"]["model"], r["response"]["created"], r["latency_ms"], r["metadata"]["locale"]])
        js.write(b"]")
    with files["export"].open("wb") as ex, files["json"].open("rb") as js:  # an export wrapper, as Langfuse writes
        ex.write(b'{"meta": {"page": 1, "note": "synthetic"}, "data": ')
        shutil.copyfileobj(js, ex, 1 << 20)
        ex.write(b"}")
    files["batch"] = out / (src.stem + ".batch-requests.jsonl")
    results = out / (src.stem + ".batch-results.jsonl")
    with src.open("rb") as fh, files["batch"].open("wb") as rq, results.open("wb") as rs:
        held = []
        for i, line in enumerate(fh):
            r = orjson.loads(line)
            rq.write(orjson.dumps({"custom_id": f"request-{i}", "method": "POST", "url": "/v1/chat/completions",
                                   "body": r["request"]}) + b"\n")
            held.append(orjson.dumps({"id": f"batch_req_{i}", "custom_id": f"request-{i}", "error": None,
                                      "response": {"status_code": 200, "request_id": f"req_{i}", "body": r["response"]}}) + b"\n")
            if len(held) == 1000:  # results come back in another order than the requests
                rs.writelines(held[::-1])
                held = []
        rs.writelines(held[::-1])
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        del files["parquet"]
        return files
    with src.open("rb") as fh:
        pq.write_table(pa.Table.from_pylist([json.loads(line) for line in fh]), files["parquet"])
    return files


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mb", type=int, default=200)
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "assay-bench")
    args = ap.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    src = args.data / f"openai-{args.size_mb}mb.jsonl"
    n = generate(src, args.size_mb)
    out = Path(tempfile.mkdtemp(prefix="assay-formats-"))
    try:
        # converted in a fresh process: Linux keeps a process's peak RSS across fork and
        # exec, so the ingest processes must not start from one that held all the rows
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            files = pool.apply(convert, (src, out))
        print(f"{n:,} rows of {src.name}, default workers, python {sys.version.split()[0]}")
        for name, path in files.items():
            extra = [str(path).replace(".batch-requests.", ".batch-results.")] if name == "batch" else []
            subprocess.run([sys.executable, "-c", ONE, str(path), *extra], check=True)
    finally:
        shutil.rmtree(out)


if __name__ == "__main__":
    main()
