"""Nothing lost, nothing duplicated: quarantine paths, interrupted ingest, random garbage."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from assay.ingest import ingest
from assay.ingest._formats import read_jsonl
from assay.ingest._process import Processor
from assay.store._schema import records
from tests.ingest.conftest import stored


def _row(i, text="where is my order?"):
    return {"id": f"r{i}", "ts": "2026-11-01T10:00:00Z", "model": "m", "messages": [{"role": "user", "content": f"{text} {i}"}], "output": "ok"}


def test_bad_encoding_oversized_wrong_types_are_quarantined(project, tmp_path, monkeypatch):
    from assay.ingest import _process as proc

    monkeypatch.setattr(proc, "MAX_ROW_BYTES", 10_000)
    f = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps(_row(1)).encode(),
        b'{"messages": "caf\xe9 latin-1", "output": "x"}',
        json.dumps({**_row(3), "messages": [{"role": "user", "content": "x" * 20_000}]}).encode(),
        json.dumps({**_row(4), "output": {"text": "not a string"}}).encode(),
        json.dumps({**_row(5), "ts": "yesterday"}).encode(),
        json.dumps({**_row(6), "feedback": {"thumb": "sideways"}}).encode(),
        json.dumps([1, 2, 3]).encode(),
        json.dumps(_row(8)).encode(),
    ]
    f.write_bytes(b"\n".join(lines) + b"\n")
    s = ingest(project, [str(f)])
    assert (s.kept, s.quarantined) == (2, 6)
    _, quar = stored(project)
    reasons = {q["line"]: q["reason"] for q in quar}
    assert "UTF-8" in reasons[2]
    assert "MB, over the" in reasons[3]
    assert reasons[4].startswith("output: expected a string")
    assert reasons[5].startswith("ts: not an ISO 8601")
    assert "feedback.thumb" in reasons[6]
    assert "expected a JSON object" in reasons[7]
    assert all(q["file"] == str(f) and q["source"] == "default" for q in quar)


@pytest.mark.parametrize("name,workers", [
    ("big.json", 0), ("big.json", 2), ("big.json.gz", 0), ("big.csv", 0), ("big.csv", 2), ("big.parquet", 0), ("big.parquet", 2),
])
def test_a_row_over_10_mib_is_quarantined_in_every_format(tmp_path, name, workers):
    """Not only JSONL lines: a JSON array's item, a CSV row and a Parquet row over the
    limit go to quarantine too, with their number, the start of their text (scrubbed), and the rows
    around them kept. A row just under the limit is kept."""
    import gzip

    from assay.ingest._formats import MAX_ROW_BYTES
    from assay.project import load_project

    (tmp_path / "assay.yaml").write_text("project: t\n")
    project = load_project(tmp_path)
    huge = "mail ann@example.com " + "x" * (MAX_ROW_BYTES + 1000)
    near = "y" * (MAX_ROW_BYTES - 2000)
    path = tmp_path / name
    if ".csv" in name:
        path.write_text("messages,output\n" + "\n".join(["hello,ok", f"{huge},big", f"{near},fits", "bye,ok"]) + "\n")
        bad_at = 3  # the header is line 1
    elif name.endswith(".parquet"):
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = [_row(1), {**_row(2), "output": huge}, {**_row(3), "output": near}, _row(4)]
        pq.write_table(pa.Table.from_pylist(rows), path)
        bad_at = 2
    else:
        items = [_row(1), {**_row(2), "output": huge}, {**_row(3), "output": near}, _row(4)]
        data = json.dumps(items).encode()
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
        bad_at = 2
    s = ingest(project, [str(path)], workers=workers)
    assert (s.kept, s.quarantined) == (3, 1)
    recs, quar = stored(project)
    assert [q["line"] for q in quar] == [bad_at] and "MB, over the 10 MiB limit" in quar[0]["reason"]
    assert 1000 < len(quar[0]["raw"]) <= 4100 and "ann@example.com" not in quar[0]["raw"] and "<EMAIL_" in quar[0]["raw"]
    assert max(len(json.dumps(r["messages"])) + len(r["output"] or "") for r in recs) > MAX_ROW_BYTES - 3000  # the one just under it is stored


@pytest.mark.parametrize("workers", [0, 2])
def test_a_json_document_of_one_object_over_10_mib_is_quarantined(project, tmp_path, workers):
    from assay.ingest._formats import MAX_ROW_BYTES

    big, small = tmp_path / "one-big.json", tmp_path / "one-small.json"
    big.write_text(json.dumps({**_row(1), "output": "mail ann@example.com " + "x" * MAX_ROW_BYTES}))
    small.write_text(json.dumps({**_row(2), "output": "y" * (MAX_ROW_BYTES - 2000)}))
    s = ingest(project, [str(big), str(small)], workers=workers)
    assert (s.kept, s.quarantined) == (1, 1)
    _, quar = stored(project)
    assert quar[0]["file"] == str(big) and "over the 10 MiB limit" in quar[0]["reason"] and "<EMAIL_" in quar[0]["raw"]


def _otel_span(i, prompt):
    attr = [{"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
            {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o"}},
            {"key": "gen_ai.input.messages", "value": {"stringValue": json.dumps([{"role": "user", "parts": [{"type": "text", "content": prompt}]}])}},
            {"key": "gen_ai.output.messages", "value": {"stringValue": json.dumps([{"role": "assistant", "parts": [{"type": "text", "content": "ok"}]}])}}]
    return {"traceId": f"{i:032x}", "spanId": f"{i:016x}", "name": "chat gpt-4o", "startTimeUnixNano": str(1793520000 * 10**9 + i),
            "endTimeUnixNano": str(1793520001 * 10**9 + i), "attributes": attr}


@pytest.mark.parametrize("name", ["batches.jsonl", "export.json"])
def test_a_collector_batch_over_the_row_limit_keeps_its_spans(project, tmp_path, monkeypatch, name):
    """An OpenTelemetry collector writes a batch of spans as one JSON line (or one resource's
    spans as one item): the row limit holds for each span's record, not for the batch, so a
    big batch is not lost; a span over the limit is quarantined alone, and a plain row over
    the limit still is."""
    from assay.ingest import _process as proc

    monkeypatch.setattr(proc, "MAX_ROW_BYTES", 20_000)
    monkeypatch.setattr(proc, "MAX_EXPORT_ROW_BYTES", 200_000)
    spans = [_otel_span(i, f"question {i} from ann@example.com " + "lorem ipsum " * 30) for i in range(60)]
    spans[7] = _otel_span(7, "x" * 25_000)
    batch = {"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "bot"}}]},
                                "scopeSpans": [{"scope": {"name": "openai"}, "spans": spans}]}]}
    f = tmp_path / name
    if name.endswith(".jsonl"):
        huge_batch = {"resourceSpans": [{**batch["resourceSpans"][0], "scopeSpans": [{"spans": [_otel_span(i, "y" * 5000) for i in range(100, 150)]}]}]}
        f.write_text(json.dumps(batch) + "\n" + json.dumps(huge_batch) + "\n")
    else:
        f.write_text(json.dumps(batch, indent=1))
    assert len(json.dumps(batch)) > 40_000
    s = ingest(project, [str(f)], workers=0)
    recs, quar = stored(project)
    reasons = [q["reason"] for q in quar]
    if name.endswith(".jsonl"):  # the second batch is over the batch limit too
        assert (s.kept, s.quarantined) == (59, 2) and "row is 0.3 MB, over the 0 MiB limit" in reasons[1]
    else:
        assert (s.kept, s.quarantined) == (59, 1)
    assert reasons[0].startswith("span 8: record is 0.0 MB, over the 0 MiB limit") and quar[0]["line"] == 1
    assert sum("<EMAIL_" in r["messages"][0]["content"] for r in recs) == 59 and all("ann@" not in json.dumps(r, default=str) for r in recs)

    plain = tmp_path / "plain.jsonl"
    plain.write_text(json.dumps({**_row(1), "output": "z" * 25_000}) + "\n")
    assert ingest(project, [str(plain)], workers=0).quarantined == 1


def test_quarantined_raw_is_scrubbed(project, tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('{"messages": 5, "email": "ann@example.com"}\n')
    ingest(project, [str(f)])
    _, quar = stored(project)
    assert "ann@example.com" not in quar[0]["raw"] and "<EMAIL_" in quar[0]["raw"]


def test_broken_json_array_keeps_items_before_the_break(project, tmp_path):
    f = tmp_path / "a.json"
    f.write_text("[" + ",".join(json.dumps(_row(i)) for i in range(3)) + ', {"messages": ')
    s = ingest(project, [str(f)])
    assert (s.kept, s.quarantined) == (3, 1)
    _, quar = stored(project)
    assert quar[0]["line"] == 4 and "breaks after item 3" in quar[0]["reason"]


def test_quarantine_is_idempotent_too(project, tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text("{bad\n" + json.dumps(_row(1)) + "\n{worse\n")
    ingest(project, [str(f)])
    again = ingest(project, [str(f)], force=True)
    assert (again.kept, again.duplicates, again.quarantined) == (0, 1, 2)
    _, quar = stored(project)
    assert [q["line"] for q in quar] == [1, 3]


_WORKER = """
import sys
from assay.ingest import _ingest
_ingest.RANGE_BYTES = 200_000  # with workers: many byte ranges in a small file
_ingest.TASK_ROWS = 2_000  # and many tasks of the rows this process reads
workers = int(sys.argv[3]) if len(sys.argv) > 3 else None
import json
print(json.dumps(_ingest.ingest(sys.argv[1], [sys.argv[2]], workers=workers).to_json()))
"""


def _count(project):
    store = project.open_store()
    with store.read() as conn:
        n = conn.execute(select(func.count()).select_from(records)).scalar()
    store.close()
    return n


@pytest.mark.parametrize("fmt,workers", [("jsonl", 0), ("jsonl", 2), ("jsonl.gz", 2), ("json", 2), ("parquet", 2)])
def test_kill_9_mid_file_then_rerun_equals_one_clean_run(project, tmp_path, fmt, workers):
    """Killed mid-file (with its worker processes, which store what they process
    themselves: byte ranges of JSONL, tasks of the rows read from a compressed file or a
    JSON array, slices of a Parquet file), then run again: exactly the records and
    quarantine rows of one clean run."""
    import gzip

    n = 40_000
    f = tmp_path / f"big.{fmt}"
    if fmt == "jsonl":
        with f.open("w") as fh:
            for i in range(n):
                fh.write((json.dumps(_row(i)) if i % 997 else "{broken") + "\n")
    else:  # every 997th row has no input
        rows = [_row(i) if i % 997 else {**_row(i), "messages": None} for i in range(n)]
        if fmt == "jsonl.gz":
            f.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode(), 1))
        elif fmt == "json":
            f.write_text(json.dumps(rows, indent=1))
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.Table.from_pylist(rows), f, row_group_size=15_000)
    env = {**os.environ, "ASSAY_PROJECT_KEY": "fixed-key-for-test"}
    proc = subprocess.Popen([sys.executable, "-c", _WORKER, str(project.root), str(f), str(workers)], env=env,
                            start_new_session=True)
    deadline = time.time() + 60
    try:
        while time.time() < deadline:
            time.sleep(0.05)
            if (project.root / ".assay" / "assay.db").exists() and _count(project) > 2000:
                break
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    partial = _count(project)
    assert 0 < partial < n - n // 997  # killed mid-file
    rerun = json.loads(subprocess.run([sys.executable, "-c", _WORKER, str(project.root), str(f), str(workers)], env=env,
                                      check=True, capture_output=True).stdout)
    if workers:  # the parts the workers stored before the kill are not processed again
        assert rerun["duplicates"] == 0 and 0 < rerun["continued"][str(f)] < n
    recs, quar = stored(project)
    # a clean run into a fresh project with the same key
    clean_dir = tmp_path / "clean"
    clean_dir.mkdir()
    (clean_dir / "assay.yaml").write_text("project: t\n")
    subprocess.run([sys.executable, "-c", _WORKER, str(clean_dir), str(f)], env=env, check=True, capture_output=True)
    from assay.project import load_project

    clean_recs, clean_quar = stored(load_project(clean_dir))
    assert sorted(r["id"] for r in recs) == sorted(r["id"] for r in clean_recs)
    assert len(recs) == n - len(range(0, n, 997))
    assert [(q["line"], q["reason"]) for q in quar] == [(q["line"], q["reason"]) for q in clean_quar]


_garbage = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                 lambda c: st.lists(c, max_size=4) | st.dictionaries(st.sampled_from(["messages", "output", "ts", "model", "feedback", "role", "content", "metadata", "input", "type",
                                                  "contents", "parts", "text", "candidates", "request", "response", "conversations",
                                                  "from", "value", "choices", "delta", "object", "level", "error"]), c, max_size=4),
                 max_leaves=12).map(lambda v: json.dumps(v).encode()),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.lists(_garbage, min_size=1, max_size=8),
       shape=st.sampled_from(["generic", "openai", "anthropic", "otel", "langfuse", "phoenix", "langsmith", "responses", "gemini",
                              "braintrust", "weave", "helicone", "bedrock", "mlflow"]))
def test_garbage_never_crashes_and_valid_rows_survive(tmp_path, garbage, shape):
    valid = {"generic": _row(0), "openai": {"request": {"messages": [{"role": "user", "content": "hi"}]}, "response": {"choices": []}},
             "anthropic": {"request": {"messages": [{"role": "user", "content": "hi"}]}, "response": {"type": "message", "content": []}},
             "otel": {"traceId": "t", "spanId": "s", "attributes": [{"key": "gen_ai.prompt.0.role", "value": {"stringValue": "user"}}, {"key": "gen_ai.prompt.0.content", "value": {"stringValue": "hi"}}]},
             "langfuse": {"traceId": "t", "type": "GENERATION", "startTime": "2026-11-01T00:00:00Z", "input": "hi"},
             "phoenix": {"span_kind": "LLM", "attributes": {"input.value": "hi"}},
             "langsmith": {"run_type": "llm", "inputs": {"prompts": ["hi"]}},
             "responses": {"object": "response", "input": "hi", "output": [{"type": "message", "content": [{"type": "output_text", "text": "yo"}]}]},
             "braintrust": {"span_id": "s", "span_attributes": {"type": "llm"}, "input": [{"role": "user", "content": "hi"}], "output": "yo"},
             "weave": {"op_name": "weave:///t/p/op/openai.chat.completions.create:v1", "started_at": "2026-11-01T00:00:00Z",
                       "inputs": {"messages": [{"role": "user", "content": "hi"}]}, "output": {"choices": []}},
             "helicone": {"request_id": "r", "request_created_at": "2026-11-01T00:00:00Z", "request_body": {"messages": [{"role": "user", "content": "hi"}]},
                          "response_body": {"choices": []}},
             "gemini": {"contents": [{"role": "user", "parts": [{"text": "hi"}]}], "candidates": [{"content": {"parts": [{"text": "yo"}]}}]},
             "bedrock": {"schemaType": "ModelInvocationLog", "modelId": "m", "input": {"inputBodyJson": {"messages": [{"role": "user", "content": [{"text": "hi"}]}]}},
                         "output": {"outputBodyJson": {"output": {"message": {"content": [{"text": "yo"}]}}}}},
             "mlflow": {"span_id": "s", "attributes": {"mlflow.spanType": '"LLM"', "mlflow.spanInputs": '"hi"', "mlflow.spanOutputs": '"yo"'}}}[shape]
    lines = [g.replace(b"\n", b" ").replace(b"\r", b" ") for g in garbage]
    lines.insert(len(lines) // 2, json.dumps(valid).encode())
    f = tmp_path / "g.jsonl"
    f.write_bytes(b"\n".join(lines) + b"\n")
    rows = list(read_jsonl(f))
    res = Processor(b"k", "s", str(f), shape, None, True).process(rows, None)
    # (a line the reader already knows is broken, such as one holding gzip's magic bytes, comes as a _BadRow)
    valid_pos = next(p for p, raw in rows if isinstance(raw, bytes) and raw.strip() == json.dumps(valid).encode())
    bad_lines = {b["line"] for b in res.bad}
    assert valid_pos not in bad_lines
    assert len(res.good) >= 1
    # every non-blank line is accounted for: kept, skipped or quarantined
    assert len({*bad_lines}) + len(res.good) + res.skipped >= len(rows)


def _complete_rows(fmt, data):
    """How many rows of ``data`` (uncompressed text of ``fmt``) end before byte ``len(data)``."""
    if fmt == "jsonl":
        return data.count(b"\n")
    if fmt == "csv":
        return data.count(b"\n") - 1  # the header
    return data.count(b"},\n")  # JSON array items, one per line (indent=None, one item a line)


@pytest.mark.parametrize("name,workers", [
    ("t.jsonl.gz", 0), ("t.jsonl.gz", 2), ("t.jsonl.zst", 0), ("t.jsonl.zst", 2), ("t.csv.gz", 0), ("t.json.gz", 0), ("t.json.gz", 2),
])
def test_a_truncated_compressed_file_keeps_every_row_before_the_break(tmp_path, name, workers):
    """A .gz or .zst file cut off mid-stream (a copy of a log still being written, a broken
    download): every row whose text was complete before the break is stored, and the
    break itself is one quarantine entry at the next row, saying what happened."""
    import gzip
    import zlib

    import zstandard

    from assay.project import load_project

    (tmp_path / "assay.yaml").write_text("project: t\n")
    project = load_project(tmp_path)
    rows = [_row(i, text=f"question {i} " + "x" * (i % 300)) for i in range(6000)]
    fmt = name.split(".")[1]
    if fmt == "jsonl":
        text = "".join(json.dumps(r) + "\n" for r in rows)
    elif fmt == "csv":
        text = "id,ts,model,messages,output\n" + "".join(
            f"{r['id']},{r['ts']},{r['model']},\"{json.dumps(r['messages']).replace(chr(34), chr(34) * 2)}\",{r['output']}\n" for r in rows)
    else:
        text = "[\n" + ",\n".join(json.dumps(r) for r in rows) + "\n]"
    data = text.encode()
    packed = gzip.compress(data) if name.endswith(".gz") else zstandard.ZstdCompressor().compress(data)
    cut = packed[: len(packed) * 2 // 3]
    path = tmp_path / name
    path.write_bytes(cut)
    readable = (zlib.decompressobj(31) if name.endswith(".gz") else zstandard.ZstdDecompressor().decompressobj()).decompress(cut)
    expected = _complete_rows(fmt, readable)
    assert 0 < expected < len(rows)
    s = ingest(project, [str(path)], workers=workers)
    assert (s.kept, s.quarantined) == (expected, 1)
    _, quar = stored(project)
    at = expected + 1 + (fmt == "csv")  # the row after the last complete one (CSV: the header is line 1)
    assert quar[0]["line"] == at and "compressed data breaks off" in quar[0]["reason"]


def test_a_corrupt_gz_keeps_the_rows_before_and_a_file_that_is_not_compressed_is_an_error(project, tmp_path):
    import gzip

    from assay.errors import InputError

    data = "".join(json.dumps(_row(i, text=f"q{i} " + "y" * (i % 97))) + "\n" for i in range(3000)).encode()
    packed = bytearray(gzip.compress(data))
    packed[len(packed) // 2] ^= 0xFF  # a flipped byte: the deflate data or its CRC no longer checks out
    bad = tmp_path / "corrupt.jsonl.gz"
    bad.write_bytes(bytes(packed))
    s = ingest(project, [str(bad)])
    recs, quar = stored(project)
    # deflate has no checksum per block: the lines after the flipped byte come out garbled (quarantined as
    # not JSON) until the CRC at the end fails; the lines before it are kept
    assert 0 < s.kept < 3000 and all(r["output"] == "ok" for r in recs)
    assert quar[-1]["line"] > s.kept and "compressed data breaks off" in quar[-1]["reason"] and "CRC" in quar[-1]["reason"]
    plain = tmp_path / "plain.jsonl.gz"
    plain.write_bytes(data)  # named .gz, never compressed
    with pytest.raises(InputError, match="not gzip-compressed"):
        ingest(project, [str(plain)])


@pytest.mark.parametrize("shape", ["generic", "openai", "otel", "langfuse"])
def test_a_json_null_row_is_quarantined_not_skipped(tmp_path, shape):
    """``null`` as a JSONL line, a JSON array's item or a whole document is no row: it is
    quarantined, not counted as a span that is no model call (those are skipped)."""
    from assay.project import load_project

    (tmp_path / "assay.yaml").write_text("project: t\n")
    project = load_project(tmp_path)
    (tmp_path / "a.jsonl").write_text("null\n" + json.dumps(_row(1)) + "\n")
    (tmp_path / "b.json").write_text("[null, " + json.dumps(_row(2)) + "]")
    (tmp_path / "c.json").write_text("null")
    fmt = {"generic": "auto"}.get(shape, shape)
    s = ingest(project, [str(tmp_path / n) for n in ("a.jsonl", "b.json", "c.json")], format=fmt)
    _, quar = stored(project)
    nulls = [(q["file"].rsplit("/", 1)[1], q["line"]) for q in quar if q["reason"] == "expected a JSON object, got null"]
    assert s.skipped == 0 and nulls == [("a.jsonl", 1), ("b.json", 1), ("c.json", 1)]
    if shape in ("generic", "openai"):  # the other row fits these shapes
        assert (s.kept, s.quarantined) == (2, 3)


@pytest.mark.parametrize("name,workers", [("b.jsonl", 0), ("b.jsonl", 2), ("b.jsonl.gz", 0), ("b.json", 0), ("b.json", 2), ("b.csv", 0)])
def test_a_utf8_byte_order_mark_is_not_part_of_the_first_row(tmp_path, monkeypatch, name, workers):
    """Windows tools start UTF-8 files with a byte order mark: the first row is kept like
    the others (it used to be quarantined as not JSON, or a JSON array not read at all)."""
    import gzip
    import importlib

    from assay.project import load_project

    monkeypatch.setattr(importlib.import_module("assay.ingest._ingest"), "RANGE_BYTES", 300)  # with workers: many ranges
    (tmp_path / "assay.yaml").write_text("project: t\n")
    project = load_project(tmp_path)
    rows = [_row(i) for i in range(40)]
    if ".jsonl" in name:
        text = "".join(json.dumps(r) + "\n" for r in rows)
    elif name.endswith(".json"):
        text = json.dumps(rows)
    else:
        text = "messages,output\n" + "".join(f"{r['messages'][0]['content']},{r['output']}\n" for r in rows)
    data = b"\xef\xbb\xbf" + text.encode()
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    s = ingest(project, [str(path)], workers=workers)
    assert (s.kept, s.quarantined) == (40, 0)
    recs, _ = stored(project)
    assert any(r["messages"][0]["content"].startswith("where is my order? 0") for r in recs)


def test_utf16_text_is_an_error_that_says_to_name_its_encoding(project, tmp_path):
    from assay.errors import InputError

    path = tmp_path / "w.jsonl"
    path.write_bytes("".join(json.dumps(_row(i)) + "\n" for i in range(3)).encode("utf-16"))
    with pytest.raises(InputError, match="UTF-16") as info:
        ingest(project, [str(path)])
    assert "--encoding utf-16" in (info.value.hint or "")


@pytest.mark.parametrize("workers", [0, 2])
def test_a_csv_row_that_is_not_utf8_is_one_bad_row_and_the_rows_after_it_are_kept(tmp_path, workers):
    """An Excel CSV saved as cp1252 with one 'é' among UTF-8 rows: that row is quarantined
    (with its text, the bad byte shown as U+FFFD), every other row is kept. Strict decoding
    used to stop the file there, or fail its header when the byte was in the first 8 KB."""
    from assay.errors import InputError
    from assay.project import load_project

    (tmp_path / "assay.yaml").write_text("project: t\n")
    project = load_project(tmp_path)
    lines = [f"question {i},ok".encode() for i in range(500)]
    lines[3] = "caf\xe9 au lait,ok".encode("cp1252")
    lines[400] = "na\xefve,ok".encode("cp1252")
    path = tmp_path / "excel.csv"
    path.write_bytes(b"messages,output\r\n" + b"\r\n".join(lines) + b"\r\n")
    s = ingest(project, [str(path)], workers=workers)
    assert (s.kept, s.quarantined) == (498, 2)
    _, quar = stored(project)
    assert [q["line"] for q in quar] == [5, 402]
    assert "not valid UTF-8 text (byte 0xe9)" in quar[0]["reason"] and quar[0]["raw"] == "caf\ufffd au lait,ok"
    bad_header = tmp_path / "h.csv"
    bad_header.write_bytes("m\xe9ssages,output\r\nhi,ok\r\n".encode("cp1252"))
    with pytest.raises(InputError, match="header is not UTF-8"):
        ingest(project, [str(bad_header)])


@pytest.mark.parametrize("name,encoding,workers", [
    ("w.csv", "cp1252", 0), ("w.csv", "cp1252", 2), ("w.jsonl", "utf-16", 0), ("w.jsonl", "latin-1", 2), ("w.jsonl.gz", "cp1252", 0),
    ("w.json", "utf-16", 0),
])
def test_files_in_another_encoding_are_read_with_encoding(tmp_path, name, encoding, workers):
    """--encoding reads text files that are not UTF-8 (an Excel CSV saved as cp1252, a UTF-16
    export); a byte the encoding cannot decode quarantines only its row. The encoding is part
    of the file's fingerprint: read again in another encoding, the file is not 'unchanged'."""
    import gzip

    from assay.errors import InputError
    from assay.project import load_project

    (tmp_path / "assay.yaml").write_text("project: t\n")
    project = load_project(tmp_path)
    texts = [f"caf\xe9 {i} \u20ac" if encoding != "latin-1" else f"caf\xe9 {i} \xa3" for i in range(300)]
    path = tmp_path / name
    if name.endswith(".csv"):
        data = ("messages,output\r\n" + "".join(f"{t},ok\r\n" for t in texts)).encode(encoding)
        if encoding == "cp1252":  # a byte cp1252 does not define, in one row
            data = data.replace("caf\xe9 7 ".encode(encoding), b"caf\x81 7 ")
    elif name.endswith(".json"):
        data = json.dumps([{"messages": t, "output": "ok"} for t in texts], ensure_ascii=False).encode(encoding)
    else:
        data = "".join(json.dumps({"messages": t, "output": "ok"}, ensure_ascii=False) + "\n" for t in texts).encode(encoding)
        if encoding == "cp1252":
            data = data.replace("caf\xe9 7 ".encode(encoding), b"caf\x81 7 ")
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    s = ingest(project, [str(path)], encoding=encoding, workers=workers)
    bad = 1 if encoding == "cp1252" else 0
    assert (s.kept, s.quarantined) == (300 - bad, bad)
    recs, quar = stored(project)
    assert {r["messages"][0]["content"] for r in recs} == set(texts) - ({texts[7]} if bad else set())
    if bad:
        assert quar[0]["reason"].startswith(f"not valid {encoding} text") and "check the file's encoding" in quar[0]["reason"]
    assert ingest(project, [str(path)], encoding=encoding).unchanged == [str(path)]
    if encoding != "utf-16":  # (UTF-16 read as latin-1 is no JSON document at all)
        again = ingest(project, [str(path)], encoding="latin-1" if encoding != "latin-1" else "cp1252", workers=0)
        assert again.unchanged == []  # another encoding: other records, so the file is read again
    with pytest.raises(InputError, match="unknown encoding"):
        ingest(project, [str(path)], encoding="klingon")


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_a_csv_with_semicolons_or_tabs_is_read_by_its_header(project, tmp_path, sep):
    """Excel in many locales writes ';' between fields; the header tells the separator
    (when it holds no comma), so the rows are read, not quarantined as missing their input."""
    path = tmp_path / "semi.csv"
    path.write_text(f"messages{sep}output{sep}locale\nwhere is my order?{sep}ok{sep}de-DE\nhi, there{sep}yo{sep}fr-FR\n")
    s = ingest(project, [str(path)])
    assert (s.kept, s.quarantined) == (2, 0)
    recs, _ = stored(project)
    assert sorted(r["messages"][0]["content"] for r in recs) == ["hi, there", "where is my order?"]
    assert {r["meta"]["locale"] for r in recs} == {"de-DE", "fr-FR"}


@pytest.mark.parametrize("name", ["py.jsonl", "py.json"])
def test_nan_and_infinity_as_pythons_json_writes_them_are_missing_values(project, tmp_path, name):
    """``json.dumps`` writes NaN, Infinity and -Infinity by default; such a row is kept with
    those values missing, not quarantined whole. A row broken otherwise is still quarantined."""
    rows = [{**_row(1), "latency_ms": float("nan"), "metadata": {"score": float("inf"), "low": float("-inf"), "note": "NaN in text"}},
            _row(2)]
    path = tmp_path / name
    if name.endswith(".jsonl"):
        path.write_text(json.dumps(rows[0]) + "\n" + json.dumps(rows[1]) + "\n" + '{"messages": NaN, broken\n')
    else:
        path.write_text(json.dumps(rows))
    s = ingest(project, [str(path)])
    assert s.kept == 2 and s.quarantined == (1 if name.endswith(".jsonl") else 0)
    recs, _ = stored(project)
    first = next(r for r in recs if r["messages"][0]["content"].endswith(" 1"))
    assert first["latency_ms"] is None and first["meta"]["score"] is None and first["meta"]["low"] is None
    assert first["meta"]["note"] == "NaN in text"


_cells = st.lists(st.sampled_from(list('ab \\ntN"\t,;{}[]0123456789é') + ["\\N", "\\t", "\\n", "\\\\", '\\"', "NULL"]),
                  max_size=30).map("".join)


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(_cells, min_size=1, max_size=10), sep=st.sampled_from(["\t", ","]), header=st.booleans())
def test_csv_and_tsv_garbage_never_crashes_the_reader(tmp_path_factory, lines, sep, header):
    """Quotes, backslash escapes, NULL markers and separators in any order (the TSV dump and
    backslash-quote readers included): every row comes out as a row or a bad row, in order."""
    from assay.ingest._formats import _BadRow, read_csv

    f = tmp_path_factory.mktemp("g") / "g.csv"
    head = f"prompt{sep}output\n" if header else ""
    f.write_text(head + "\n".join(lines) + "\n", encoding="utf-8")
    rows = list(read_csv(f))
    assert all(isinstance(r, (dict, _BadRow)) for _, r in rows)
    assert [p for p, _ in rows] == sorted(p for p, _ in rows)


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(_cells.filter(lambda c: '"' not in c and "\t" not in c), min_size=1, max_size=10), at=st.integers(0, 10))
def test_a_database_dumps_valid_row_survives_garbage_around_it(tmp_path_factory, lines, at):
    """A TSV dump (no quoting): each line is one row, so garbage never takes a valid row with it."""
    from assay.ingest._formats import _BadRow, read_tsv

    f = tmp_path_factory.mktemp("g") / "g.tsv"
    body = [f"{c}\tx" for c in lines]
    body.insert(min(at, len(body)), "where is my order?\\nthanks\tIt ships\\ttoday.")
    f.write_text("prompt\toutput\n" + "\n".join(body) + "\n", encoding="utf-8")
    rows = [r for _, r in read_tsv(f) if not isinstance(r, _BadRow)]
    assert {"prompt": "where is my order?\nthanks", "output": "It ships\ttoday."} in rows


@pytest.mark.parametrize("workers", [0, 2])
def test_rows_nested_too_deeply_are_quarantined_and_the_rows_around_them_kept(project, tmp_path, workers):
    """JSON's writer stops at 255 levels and its reader at 1,024: a row nested deeper (in its
    metadata, its answer, or with a NaN that sends it to another reader) is one quarantined
    row, kept in part as text; it used to stop the whole ingest and lose the file's rows."""
    def deep(n, leaf="1"):
        return '{"a":' * n + leaf + "}" * n

    good = [json.dumps({"messages": [{"role": "user", "content": f"ok {i}"}], "output": "x"}) for i in range(3)]
    lines = [good[0],
             '{"messages": [{"role": "user", "content": "q"}], "output": "x", "metadata": ' + deep(300) + "}",
             good[1],
             '{"messages": [{"role": "user", "content": "to Infinity"}], "output": "x", "metadata": ' + deep(1100) + "}",
             '{"messages": [{"role": "user", "content": "q2"}], "output": ' + deep(300) + "}",
             '{"messages": [{"role": "user", "content": "nan"}], "output": "x", "score": NaN, "metadata": ' + deep(300) + "}",
             good[2]]
    f = tmp_path / "deep.jsonl"
    f.write_text("\n".join(lines) + "\n")
    s = ingest(project, [str(f)], workers=workers)
    assert (s.kept, s.quarantined) == (3, 4)
    recs, quar = stored(project)
    assert sorted(r["messages"][0]["content"] for r in recs) == ["ok 0", "ok 1", "ok 2"]
    reasons = {q["line"]: q["reason"] for q in quar}
    assert "too deep to store" in reasons[2] and "too deep to read" in reasons[4] and "too deep to store" in reasons[6]
    assert all(q["raw"] for q in quar)


@pytest.mark.parametrize("workers", [0, 2])
def test_a_line_over_the_largest_row_limit_is_skipped_not_held(project, tmp_path, monkeypatch, workers):
    """A line longer than any row may be (a dump with no line breaks) is quarantined with
    its size and its start, read past in pieces instead of held whole; the lines around it
    are kept, with their numbers."""
    import importlib

    fmts = importlib.import_module("assay.ingest._formats")
    ing = importlib.import_module("assay.ingest._ingest")
    monkeypatch.setattr(fmts, "MAX_EXPORT_ROW_BYTES", 50_000)
    monkeypatch.setattr(fmts, "READ_PIECE", 4096)
    monkeypatch.setattr(ing, "RANGE_BYTES", 100_000)
    row = lambda i: json.dumps({"messages": [{"role": "user", "content": f"q{i}"}], "output": "a"})  # noqa: E731
    long_line = '{"messages": "' + "x" * 300_000 + '", "output": "a"}'
    f = tmp_path / "l.jsonl"
    f.write_text("\n".join([row(0), long_line, row(2), *[row(i) for i in range(3, 200)], long_line]))  # the last has no line break
    s = ingest(project, [str(f)], workers=workers)
    assert (s.kept, s.quarantined) == (199, 2)
    recs, quar = stored(project)
    assert [(q["line"], q["reason"]) for q in quar] == [(2, "row is 0.3 MB, over the 0 MiB limit"), (201, "row is 0.3 MB, over the 0 MiB limit")]
    assert all(q["raw"].startswith('{"messages": "xxx') for q in quar)
