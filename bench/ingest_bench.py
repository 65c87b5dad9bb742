"""Ingest throughput: records/s end to end and peak RSS on a generated OpenAI-style JSONL.

    .venv/bin/python bench/ingest_bench.py --size-mb 1000 [--workers 2] [--stages] [--agent | --parts]

Generates (once, cached under /tmp) a JSONL of ~2 KB synthetic chat-completion logs:
a shared system prompt and tool list, a unique user question (some with an e-mail, phone
or card number), an answer, usage and metadata. ``--stages`` first times each stage
alone on the first 50,000 rows (read, +parse, +normalise, +scrub, +ids), so the
bottleneck is measured, not guessed.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SYSTEM = ("You are the customer support assistant of Acme Outdoor. Answer politely and concisely. "
          "Use the tools to look up orders. Never reveal internal notes. Policies: returns within 30 days; "
          "free shipping over 50 EUR; warranty claims need the order number. ") * 2
TOOLS = [{"type": "function", "function": {"name": n, "description": f"{n} tool", "parameters": {"type": "object", "properties": {"id": {"type": "string"}}}}}
         for n in ("get_order", "start_return", "check_stock")]
# ``--tool-docs``: descriptions as real apps write them, which hold words the secret
# detector looks at ("key", "token") and a URL
TOOL_DOCS = {
    "get_order": "Look up an order by its order number or the customer's key. Returns status, items and the tracking token. Docs: https://api.acme.example/docs/orders",
    "start_return": "Start a return for an order within the 30-day window; needs the order number and a reason. Docs: https://api.acme.example/docs/returns",
    "check_stock": "Check the stock of a product key in a store or the warehouse. Docs: https://api.acme.example/docs/stock",
}
WORDS = ("order tent stove boots jacket delivery refund size colour warranty broken zip late parcel address "
         "invoice discount coupon store hiking rain weekend sleeping bag backpack trail").split()


def make_row(i: int, r: random.Random) -> dict:
    q = " ".join(r.choice(WORDS) for _ in range(r.randint(40, 90)))
    if i % 10 == 0:
        q += f" my email is user{i}@example.com"
    if i % 25 == 0:
        q += " call me on +44 20 7946 0958"
    if i % 50 == 0:
        q += " card 4111 1111 1111 1111"
    a = " ".join(r.choice(WORDS) for _ in range(r.randint(40, 90)))
    return {
        "request": {"model": "gpt-4o-mini", "temperature": 0.3, "tools": TOOLS,
                    "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": f"#{i} {q}"}]},
        "response": {"id": f"chatcmpl-{i}", "created": 1793520000 + i, "model": "gpt-4o-mini-2024-07-18",
                     "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": a}}],
                     "usage": {"prompt_tokens": 300 + i % 50, "completion_tokens": 60 + i % 30}},
        "latency_ms": 400 + i % 900, "metadata": {"locale": r.choice(["en-GB", "de-DE", "fr-FR"]), "channel": "web"},
    }


AGENT = [False]
"""``--agent``: each request's history holds an answer that called a tool and the tool's result."""


def agent_row(i: int, r: random.Random) -> dict:
    """A row of ``make_row`` whose conversation went through a tool call first, as an agent's
    second call sends it: the question, the answer that called ``get_order``, the tool's
    result, then the customer's follow-up."""
    row = make_row(i, r)
    system, question = row["request"]["messages"]
    call = {"id": f"call_{i}", "type": "function", "function": {"name": "get_order", "arguments": f'{{"id": "A-{i:06d}"}}'}}
    result = {"order": f"A-{i:06d}", "status": r.choice(["shipped", "delayed", "delivered"]), "items": r.randint(1, 4)}
    row["request"]["messages"] = [
        system, question,
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": call["id"], "content": json.dumps(result)},
        {"role": "user", "content": " ".join(r.choice(WORDS) for _ in range(r.randint(5, 15)))},
    ]
    return row


PARTS = [False]
"""``--parts``: the customer's message as content parts, with an image in every fourth row."""


def parts_row(i: int, r: random.Random) -> dict:
    """A row of ``make_row`` whose question is sent as content parts, as apps that can attach
    images send every message: a text part, and in every fourth row an image after it."""
    row = make_row(i, r)
    question = row["request"]["messages"][1]
    question["content"] = [{"type": "text", "text": question["content"]}]
    if i % 4 == 0:
        question["content"].append({"type": "image_url", "image_url": {"url": f"https://cdn.example.com/u/{i}.jpg", "detail": "low"}})
    return row


def generate(path: Path, size_mb: int) -> int:
    if path.exists():
        return sum(1 for _ in path.open("rb"))
    r = random.Random(0)
    n, written = 0, 0
    with path.open("w") as fh:
        while written < size_mb * 1_000_000:
            line = json.dumps((agent_row if AGENT[0] else parts_row if PARTS[0] else make_row)(n, r)) + "\n"
            fh.write(line)
            written += len(line)
            n += 1
    return n


def stages(path: Path, limit: int = 50_000) -> None:
    """Each stage alone on the first ``limit`` rows, with the cyclic GC paused as ingest
    pauses it; all in this process (a worker does the same work per row)."""
    import itertools

    import orjson

    from assay.ingest._formats import read_jsonl
    from assay.ingest._ingest import WRITE_ROWS, IngestSummary, _flush
    from assay.ingest._pii import Scrubber
    from assay.ingest._process import Processor, gc_paused
    from assay.ingest._shapes import get_shape
    from assay.project import load_project
    from assay.store import utcnow

    rows = list(itertools.islice(read_jsonl(path), limit))
    n = len(rows)
    norm = get_shape("openai").normalise
    proc = Processor(key=b"k" * 32, source="s", file=str(path), shape_name="openai", mapping=None, scrub=True)
    now = utcnow()
    timings: list[tuple[str, float]] = []

    def timed(name: str, fn: Any) -> Any:
        with gc_paused():
            t = time.perf_counter()
            out = fn()
            timings.append((name, time.perf_counter() - t))
        return out

    timed("read lines", lambda: list(itertools.islice(read_jsonl(path), limit)))
    parsed = timed("orjson parse", lambda: [orjson.loads(b) for _, b in rows])
    fields = timed("normalise", lambda: [norm(p) for p in parsed])
    s = Scrubber(b"k" * 32)
    timed("scrub", lambda: [([s.scrub(m.content) for m in f["messages"]], s.scrub(f["output"]), s.scrub_json(f["metadata"])) for f in fields])
    timed("ids+json+scrub", lambda: [proc._store_row(f, Scrubber(b"k" * 32) if i == 0 else s, "x") for i, f in enumerate(fields)])
    ready = timed("process (all)", lambda: [g for i in range(0, n, 2000) for g in proc.process(rows[i:i + 2000], now).good])
    d = Path(tempfile.mkdtemp(prefix="assay-bench-store-"))
    (d / "assay.yaml").write_text("project: bench\n")
    store = load_project(d).open_store()
    summary = IngestSummary(scrubbed=True)
    timed("store write", lambda: [_flush(store, ready[i:i + WRITE_ROWS], [], summary) for i in range(0, len(ready), WRITE_ROWS)])
    store.close()
    shutil.rmtree(d)
    for name, sec in timings:
        print(f"  {name:15s} {sec / n * 1e6:7.1f} us/row  ({n / sec:,.0f} rows/s alone)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mb", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=None, help="default: what ingest picks (2 over 64 MB)")
    ap.add_argument("--stages", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the benchmark's project (and its database)")
    ap.add_argument("--rerun", action="store_true",
                    help="then ingest the file again (unchanged: skipped) and after appending 1%% more rows (read from where it ended); "
                         "the file is copied into the project for this")
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "assay-bench")
    ap.add_argument("--tool-docs", action="store_true",
                    help="tool descriptions as apps write them (a sentence, a docs URL) instead of 'get_order tool'")
    ap.add_argument("--system-chars", type=int, default=0,
                    help="a system prompt this long (the shared prompt repeated), as production apps often send; default ~580")
    ap.add_argument("--agent", action="store_true",
                    help="each request's history holds an answer that called a tool and the tool's result (an agent's traffic)")
    ap.add_argument("--parts", action="store_true",
                    help="the customer's message as content parts, an image in every fourth row (apps that attach images)")
    args = ap.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    path = args.data / f"openai-{args.size_mb}mb.jsonl"
    if args.agent:
        AGENT[0] = True
        path = path.with_name(path.stem + "-agent.jsonl")
    elif args.parts:
        PARTS[0] = True
        path = path.with_name(path.stem + "-parts.jsonl")
    if args.system_chars:
        global SYSTEM
        SYSTEM = (SYSTEM * (args.system_chars // len(SYSTEM) + 1))[:args.system_chars]
        path = args.data / f"openai-{args.size_mb}mb-system{args.system_chars}.jsonl"
    if args.tool_docs:
        for tool in TOOLS:
            tool["function"]["description"] = TOOL_DOCS[tool["function"]["name"]]
        path = path.with_name(path.stem + "-tooldocs.jsonl")
    t = time.perf_counter()
    n = generate(path, args.size_mb)
    print(f"data: {path} ({path.stat().st_size / 1e6:,.0f} MB, {n:,} rows, {path.stat().st_size / n:,.0f} B/row, "
          f"system prompt {len(SYSTEM):,} chars; ready in {time.perf_counter() - t:.0f}s)")
    if args.stages:
        stages(path)
    from assay.ingest import ingest
    from assay.project import load_project

    proj_dir = Path(tempfile.mkdtemp(prefix="assay-bench-"))
    (proj_dir / "assay.yaml").write_text("project: bench\n")
    project = load_project(proj_dir)
    if args.rerun:  # the file grows later: work on a copy
        shutil.copyfile(path, proj_dir / path.name)
        path = proj_dir / path.name
    before = resource.getrusage(resource.RUSAGE_SELF)
    t = time.perf_counter()
    s = ingest(project, [str(path)], workers=args.workers)
    sec = time.perf_counter() - t
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    rss = max(me.ru_maxrss, kids.ru_maxrss) / 1024
    cpu_main = me.ru_utime + me.ru_stime - before.ru_utime - before.ru_stime
    cpu_kids = kids.ru_utime + kids.ru_stime  # the workers live only during the ingest
    db = proj_dir / ".assay" / "assay.db"
    print(f"ingest: {s.kept:,} kept, {s.duplicates:,} dup, {s.quarantined:,} quarantined in {sec:,.1f}s "
          f"= {s.kept / sec:,.0f} records/s, {path.stat().st_size / sec / 1e6:,.1f} MB/s; peak RSS {rss:,.0f} MiB "
          f"(workers={'auto' if args.workers is None else args.workers}); db {db.stat().st_size / 1e6:,.0f} MB; PII {dict(s.pii)}")
    if not args.stages:  # (the stages' own work would count as this process's)
        print(f"cpu per record: {cpu_main / s.kept * 1e6:,.1f} us in this process, {cpu_kids / s.kept * 1e6:,.1f} us in workers "
              f"(their start-up included); {(cpu_main + cpu_kids) / sec:,.2f} cores busy on average")
    if args.rerun:
        t = time.perf_counter()
        again = ingest(project, [str(path)], workers=args.workers)
        print(f"again, unchanged: {time.perf_counter() - t:.2f}s (unchanged={len(again.unchanged)}, kept {again.kept:,}, duplicates {again.duplicates:,})")
        r = random.Random(1)
        extra = max(1, n // 100)
        with path.open("a") as fh:
            for i in range(n, n + extra):
                fh.write(json.dumps(make_row(i, r)) + "\n")
        t = time.perf_counter()
        grown = ingest(project, [str(path)], workers=args.workers)
        sec = time.perf_counter() - t
        print(f"after appending {extra:,} rows: {sec:.2f}s (read from line {grown.resumed.get(str(path))}, kept {grown.kept:,}, "
              f"duplicates {grown.duplicates:,}); with --force it reads all {n + extra:,} rows again")
    from assay._compiled import status

    core = status()
    print(f"python {sys.version.split()[0]}; ingest core: {sum(v == 'compiled' for v in core.values())} of {len(core)} modules compiled"
          " (ASSAY_PURE_PYTHON=1 runs the source)")
    if args.keep:
        print(f"project kept: {proj_dir}")
    else:
        shutil.rmtree(proj_dir)  # a 5 GB run leaves a 5 GB database


if __name__ == "__main__":
    main()
