import gzip
import json
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from assay.errors import InputError
from assay.ingest import ingest
from assay.project import load_project
from assay.store._schema import audit_log, quarantine, records
from tests.ingest.conftest import stored


def _row(i, **extra):
    row = {
        "id": f"x{i}",
        "ts": f"2026-10-0{1 + i % 9}T10:00:00Z",
        "model": "m1",
        "messages": [{"role": "system", "content": "triage"}, {"role": "user", "content": f"where is order {i}?"}],
        "output": "order_status",
        "latency_ms": 100 + i,
        "metadata": {"locale": "en-US"},
        "feature": "triage",
    }
    row.update(extra)
    return row


@pytest.fixture
def project(tmp_path):
    (tmp_path / "assay.yaml").write_text("project: t\n")
    return load_project(tmp_path)


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _new_project(root):
    root.mkdir()
    (root / "assay.yaml").write_text("project: t\n")
    return load_project(root)


def _contents(proj):
    """Records (id, output, messages, meta) and quarantine entries (line, reason), sorted."""
    store = proj.open_store()
    with store.read() as conn:
        recs = sorted((r.id, r.output, json.dumps(r.messages), json.dumps(r.meta)) for r in conn.execute(select(records)))
        quar = sorted((r.line, r.reason) for r in conn.execute(select(quarantine)))
    store.close()
    return recs, quar


def test_bad_rows_are_quarantined_with_line_and_reason_and_neighbours_kept(project, tmp_path):
    lines = [
        json.dumps(_row(1)),
        "{not json",
        json.dumps({"output": "x"}),
        json.dumps(_row(4, latency_ms="fast")),
        json.dumps(_row(5)),
        json.dumps(_row(6, messages=[{"role": "robot", "content": "x"}])),
    ]
    f = _write(tmp_path / "logs.jsonl", lines)
    summary = ingest(project, [str(f)])
    assert (summary.kept, summary.quarantined, summary.duplicates) == (2, 4, 0)
    store = project.open_store()
    with store.read() as conn:
        q = {r.line: r.reason for r in conn.execute(select(quarantine))}
        assert sorted(q) == [2, 3, 4, 6]
        assert "not valid JSON" in q[2]
        assert "messages" in q[3]
        assert "latency_ms" in q[4]
        assert "messages.0.role" in q[6]
        meta = conn.execute(select(records.c.meta)).scalars().first()
        assert meta["feature"] == "triage"  # unknown top-level keys kept as metadata
    store.close()


def test_reingest_is_idempotent(project, tmp_path):
    f = _write(tmp_path / "logs.jsonl", [json.dumps(_row(i)) for i in range(30)] + ["{bad"])
    first = ingest(project, [str(f)])
    again = ingest(project, [str(f)], force=True)  # read again: every record a duplicate
    assert first.kept == 30 and again.kept == 0 and again.duplicates == 30
    store = project.open_store()
    with store.read() as conn:
        assert len(conn.execute(select(records.c.id)).all()) == 30
        assert len(conn.execute(select(quarantine.c.id)).all()) == 1
    store.close()


def test_pii_scrubbed_before_storage_unless_explicitly_disabled(project, tmp_path):
    row = _row(1, messages=[{"role": "user", "content": "I'm ann@example.com, card 4111 1111 1111 1111"}])
    f = _write(tmp_path / "a.jsonl", [json.dumps(row)])
    s = ingest(project, [str(f)])
    assert s.pii["EMAIL"] == 1 and s.pii["CARD"] == 1
    store = project.open_store()
    with store.read() as conn:
        text = conn.execute(select(records.c.messages)).scalar()[0]["content"]
    assert "ann@example.com" not in text and "4111" not in text and "<EMAIL_" in text
    g = _write(tmp_path / "b.jsonl", [json.dumps(_row(2, messages=[{"role": "user", "content": "bob@example.com"}]))])
    ingest(project, [str(g)], scrub=False)
    with store.read() as conn:
        assert conn.execute(select(audit_log.c.action)).scalars().all() == ["ingest.no_scrub"]
    store.close()


def test_gzip_and_globs(project, tmp_path):
    (tmp_path / "logs").mkdir()
    with gzip.open(tmp_path / "logs" / "a.jsonl.gz", "wt") as fh:
        fh.write(json.dumps(_row(1)) + "\n")
    _write(tmp_path / "logs" / "b.jsonl", [json.dumps(_row(2))])
    assert ingest(project, ["logs/*.jsonl*"]).kept == 2


def test_a_line_that_starts_with_gzips_magic_bytes_is_no_gzip_file(project, tmp_path):
    """A text file whose first line starts with a compressor's magic bytes is read as text and
    keeps the valid rows after that line (it was read as a compressed file that broke off at
    once, and lost them); real compressed data without a suffix is still read as such."""
    for i, magic in enumerate((b"\x1f\x8b", b"\x1f\x8b\x08", b"(\xb5/\xfd", b"BZh9")):  # gzip, zstd, bzip2
        f = tmp_path / f"c{i}.jsonl"
        f.write_bytes(magic + b" garbage\n" + json.dumps(_row(10 + i)).encode() + b"\n")
        summary = ingest(project, [str(f)])
        assert (summary.kept, summary.quarantined) == (1, 1), magic
    g = tmp_path / "d"  # no suffix: the bytes decide, and real gzip data is still read as such
    g.write_bytes(gzip.compress((json.dumps(_row(2)) + "\n").encode()))
    assert ingest(project, [str(g)]).kept == 1


def test_a_compressed_file_that_breaks_off_in_its_header_is_quarantined_not_empty(project, tmp_path):
    """A .gz file cut inside its header holds nothing to keep, but it is no empty file: ingest
    says where it breaks (it stored nothing and reported nothing)."""
    for name in ("cut.jsonl.gz", "cut.json.gz"):
        f = tmp_path / name
        f.write_bytes(b"\x1f\x8b\x08\x0a" + b'{"input": "hi"}\n')  # the flags say a file name follows, which never ends
        summary = ingest(project, [str(f)])
        assert (summary.kept, summary.quarantined) == (0, 1), name


def test_missing_file_is_a_clear_error(project):
    with pytest.raises(InputError, match="no file matches"):
        ingest(project, ["nope/*.jsonl"])


def test_worker_processes_store_exactly_what_one_process_stores(tmp_path, monkeypatch):
    """``workers`` only changes where rows are parsed, scrubbed and written, never what is
    stored: in one process, in workers that each ingest byte ranges of a plain JSONL file,
    and in workers that get chunks of rows (a compressed file)."""
    import gzip
    import importlib

    ing = importlib.import_module("assay.ingest._ingest")

    monkeypatch.setattr(ing, "BATCH", 7)  # many chunks, so several are in flight at once
    monkeypatch.setattr(ing, "TASK_ROWS", 9)  # many worker tasks, each storing its own rows
    monkeypatch.setattr(ing, "RANGE_BYTES", 700)  # many ranges, each a few lines
    monkeypatch.setenv("ASSAY_PROJECT_KEY", "same-key-for-both")
    lines = [json.dumps(_row(i, metadata={"locale": "en-US", "note": f"mail me at u{i}@example.com" if i % 3 == 0 else "ok"}))
             for i in range(60)]
    lines[10] = "{not json"
    lines[41] = json.dumps({"id": "no-messages"})
    lines[50] = lines[20]  # the same interaction again: a duplicate
    lines[30] = ""
    results = []
    for workers, name in ((0, "log.jsonl"), (2, "log.jsonl"), (2, "log.jsonl.gz")):
        proj = _new_project(tmp_path / f"w{workers}-{name}")
        log = _write(proj.root / "log.jsonl", lines)
        if name.endswith(".gz"):
            log = proj.root / name
            log.write_bytes(gzip.compress((proj.root / "log.jsonl").read_bytes()))
        s = ingest(proj, [str(log)], source="bot", workers=workers)
        recs, quar = _contents(proj)
        results.append((s.kept, s.duplicates, s.quarantined, dict(s.pii), recs, [q[0] for q in quar]))
    assert results[0][:4] == (56, 1, 2, {"EMAIL": 19})
    assert results[0][5] == [11, 42]
    assert results[0] == results[1] == results[2]


def test_parquet_row_slices_in_workers_store_exactly_what_one_process_stores(tmp_path, monkeypatch):
    """With workers, each one decodes its own slices of a Parquet file's row groups; the
    store ends the same as reading the file in one process, row numbers of bad rows too."""
    import importlib

    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    ing = importlib.import_module("assay.ingest._ingest")
    monkeypatch.setenv("ASSAY_PROJECT_KEY", "same-key-for-both")
    rows = [_row(i, metadata={"locale": "en-US", "note": f"mail me at u{i}@example.com" if i % 3 == 0 else "ok"})
            for i in range(60)]
    rows[41]["messages"] = None  # missing input: quarantined as row 42
    rows[50] = rows[20]  # the same interaction again: a duplicate
    sliced = []
    real = ing._run_parquet

    def spy(store, proc, path, task, summary, pool, parts=None):
        sliced.append(ing._parquet_plan(path, pool._max_workers))
        return real(store, proc, path, task, summary, pool, parts)

    monkeypatch.setattr(ing, "_run_parquet", spy)
    results = []
    for workers in (0, 2):
        proj = _new_project(tmp_path / f"w{workers}")
        log = proj.root / "log.parquet"
        pq.write_table(pa.Table.from_pylist(rows), log, row_group_size=23)  # row groups of 23, 23 and 14 rows
        s = ingest(proj, [str(log)], source="bot", workers=workers)
        recs, quar = _contents(proj)
        results.append((s.kept, s.duplicates, s.quarantined, dict(s.pii), recs, quar))
    assert results[0][:4] == (58, 1, 1, {"EMAIL": 20}) and [q[0] for q in results[0][5]] == [42]
    assert results[0] == results[1]
    assert len(sliced) == 1 and len(sliced[0]) == 8  # 8 rows a slice (3 + 3 + 2); none crosses a row group
    assert sliced[0][:4] == [(0, 0, 8, 1), (0, 8, 16, 9), (0, 16, 23, 17), (1, 0, 8, 24)]


def test_workers_default_to_two_only_for_big_inputs(monkeypatch):
    import importlib

    ing = importlib.import_module("assay.ingest._ingest")
    monkeypatch.setattr(ing.os, "cpu_count", lambda: 8)
    assert ing._auto_workers(10_000) == 0 and ing._auto_workers(ing.AUTO_WORKERS_MIN_BYTES) == 2
    monkeypatch.setattr(ing.os, "cpu_count", lambda: 1)
    assert ing._auto_workers(10 * ing.AUTO_WORKERS_MIN_BYTES) == 0


@pytest.mark.parametrize("workers", [0, 2])
def test_a_file_ingested_already_is_not_read_again(project, tmp_path, workers, monkeypatch):
    from assay.ingest import _ingest as ing

    monkeypatch.setattr(ing, "RANGE_BYTES", 700)  # with workers: many ranges, hashed as they are cut
    rows = [json.dumps(_row(i)) for i in range(40)]
    f = _write(tmp_path / "day1.jsonl", rows)
    assert ingest(project, [str(f)], workers=workers).kept == 40
    again = ingest(project, [str(f)], workers=workers)
    assert again.unchanged == [str(f)] and again.files == [] and (again.kept, again.duplicates) == (0, 0)
    # the fingerprint does not depend on how the file was read
    assert ingest(project, [str(f)], workers=2 - workers).unchanged == [str(f)]
    # a copy under another name holds nothing new either
    g = _write(tmp_path / "copy.jsonl", rows)
    assert ingest(project, [str(g)]).unchanged == [str(g)]
    # read as another source, or forced: read again
    other = ingest(project, [str(g)], source="other-bot")
    assert other.unchanged == [] and other.kept == 40
    assert ingest(project, [str(g)], force=True).duplicates == 40


def test_an_interrupted_ingest_is_read_again(project, tmp_path, monkeypatch):
    from assay.ingest import _ingest as ing

    f = _write(tmp_path / "l.jsonl", [json.dumps(_row(i)) for i in range(30)])
    real = ing._flush
    calls = []

    def fail_once(*args):
        calls.append(1)
        if len(calls) == 1:
            real(*args)  # the first batch is stored, then the ingest dies
            raise KeyboardInterrupt

    monkeypatch.setattr(ing, "BATCH", 10)
    monkeypatch.setattr(ing, "WRITE_ROWS", 10)
    monkeypatch.setattr(ing, "_flush", fail_once)
    with pytest.raises(KeyboardInterrupt):
        ingest(project, [str(f)], workers=0)
    monkeypatch.setattr(ing, "_flush", real)
    again = ingest(project, [str(f)], workers=0)  # no finished ingest of it: read again, in full
    assert again.unchanged == [] and (again.kept, again.duplicates) == (20, 10)


def _ranges_left(proj):
    from assay.store._schema import ingest_parts

    store = proj.open_store()
    with store.read() as conn:
        n = len(conn.execute(select(ingest_parts.c.key)).all())
    store.close()
    return n


def _write_log(path, fmt, n=300):
    """``n`` rows as ``fmt``; every 37th has no input (JSONL: is not JSON): 9 bad rows in 300."""
    rows = [_row(i) if i % 37 else {**_row(i), "messages": None} for i in range(n)]
    if fmt == "jsonl":
        return _write(path, [json.dumps(r) if i % 37 else "{broken" for i, r in enumerate(rows)])
    if fmt == "jsonl.gz":
        path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))
    elif fmt == "json":
        path.write_text(json.dumps(rows, indent=1))
    elif fmt == "csv":
        import csv

        with path.open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "ts", "model", "messages", "output", "latency_ms"])
            for r in rows:
                w.writerow([r["id"], r["ts"], r["model"], json.dumps(r["messages"]) if r["messages"] else "", r["output"], r["latency_ms"]])
    else:
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=120)
    return path


def _interrupting(run_tasks, after=6):
    """``_run_tasks`` that stops with Ctrl-C when asked for the task after ``after``: the
    tasks sent before are finished (or never started) as after a real Ctrl-C."""
    def interrupted(pool, calls, task, summary):
        def some():
            for n, call in enumerate(calls):
                if n == after:
                    raise KeyboardInterrupt
                yield call
        return run_tasks(pool, some(), task, summary)
    return interrupted


@pytest.mark.parametrize("fmt", ["jsonl", "jsonl.gz", "json", "csv", "parquet"])
def test_an_interrupted_ingest_with_workers_goes_on_without_the_parts_it_stored(tmp_path, monkeypatch, fmt):
    """With workers, each part of a file (a byte range of plain JSONL, a task of the rows
    this process reads, a Parquet slice) is stored with its key in one transaction.
    Interrupted after some parts, the same command again skips exactly those (no
    duplicates) and ends with the store of one clean run; --force reads every part. A
    finished ingest keeps no keys."""
    import importlib

    ing = importlib.import_module("assay.ingest._ingest")
    monkeypatch.setenv("ASSAY_PROJECT_KEY", "same-key")
    monkeypatch.setattr(ing, "RANGE_BYTES", 3_000)
    monkeypatch.setattr(ing, "TASK_ROWS", 20)
    real = ing._run_tasks
    interrupted = _interrupting(real)

    def interrupt(proj, f):
        monkeypatch.setattr(ing, "_run_tasks", interrupted)
        with pytest.raises(KeyboardInterrupt):
            ingest(proj, [str(f)], workers=2)
        monkeypatch.setattr(ing, "_run_tasks", real)
        partial = _contents(proj)
        assert 0 < len(partial[0]) < 291 and _ranges_left(proj) > 0  # 300 rows, 9 bad
        return partial

    proj = _new_project(tmp_path / "p")
    f = _write_log(proj.root / f"l.{fmt}", fmt)
    partial = interrupt(proj, f)[0]
    again = ingest(proj, [str(f)], workers=2)
    assert again.duplicates == 0 and again.kept == 291 - len(partial)
    assert again.continued[str(f)] + again.kept + again.quarantined == 300  # every row once: skipped with its part, or read
    clean = _new_project(tmp_path / "clean")
    g = _write_log(clean.root / f"l.{fmt}", fmt)
    ingest(clean, [str(g)], workers=0)
    assert _contents(proj) == _contents(clean) and _ranges_left(proj) == 0

    if fmt != "jsonl":  # keyed by the whole file's content: after any change every part is read again
        proj2 = _new_project(tmp_path / "p2")
        f2 = _write_log(proj2.root / f"l.{fmt}", fmt)
        partial2 = interrupt(proj2, f2)[0]
        _write_log(f2, fmt, n=301)
        grown = ingest(proj2, [str(f2)], workers=2)
        assert grown.continued == {} and grown.duplicates == len(partial2) and grown.kept == 292 - len(partial2)

    # --force reads every part
    proj3 = _new_project(tmp_path / "p3")
    f3 = _write_log(proj3.root / f"l.{fmt}", fmt)
    partial3 = interrupt(proj3, f3)[0]
    forced = ingest(proj3, [str(f3)], workers=2, force=True)
    assert forced.continued == {} and forced.duplicates == len(partial3) > 0 and _contents(proj3) == _contents(clean)


def test_a_changed_byte_range_is_read_again_after_an_interrupt(tmp_path, monkeypatch):
    """Plain JSONL ranges are keyed by their own bytes: after an interrupt, a stored range
    whose bytes changed is read again, the other stored ranges are not."""
    import importlib

    ing = importlib.import_module("assay.ingest._ingest")
    monkeypatch.setattr(ing, "RANGE_BYTES", 3_000)
    real = ing._run_tasks
    interrupted = _interrupting(real)

    proj = _new_project(tmp_path / "p")
    f = _write_log(proj.root / "l.jsonl", "jsonl")
    monkeypatch.setattr(ing, "_run_tasks", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ingest(proj, [str(f)], workers=2)
    monkeypatch.setattr(ing, "_run_tasks", real)
    partial = _contents(proj)[0]
    assert any("where is order 1?" in r[2] for r in partial)  # the first range was stored
    f.write_bytes(f.read_bytes().replace(b"where is order 1?", b"where is order X?", 1))
    changed = ingest(proj, [str(f)], workers=2)
    # the first range is read again: its row 1 is new, the rest duplicates; the other stored ranges are skipped
    assert changed.kept == 291 - len(partial) + 1 and 0 < changed.duplicates < len(partial)
    assert changed.continued[str(f)] > 0 and len(_contents(proj)[0]) == 292  # the old row 1 stays stored


def test_ranged_digest_is_the_files_digest(tmp_path):
    import xxhash

    from assay.ingest._formats import jsonl_ranges
    from assay.ingest._ingest import content_hash, file_digest

    f = tmp_path / "f.jsonl"
    f.write_bytes(b"".join(b'{"n": %d, "pad": "%s"}\n' % (i, b"x" * (i % 50)) for i in range(500)) + b'{"last": 1}')
    whole = (xxhash.xxh3_128(f.read_bytes()).hexdigest(), f.stat().st_size)
    assert file_digest(f) == whole
    for target in (1, 97, 4096, 10**7):
        h = content_hash()
        covered = sum(n for _, n, _ in jsonl_ranges(f, target, h))
        assert (h.hexdigest(), covered) == whole


@pytest.mark.parametrize("workers", [0, 2])
def test_a_file_that_grew_is_read_from_where_the_last_ingest_ended(project, tmp_path, workers, monkeypatch):
    from assay.ingest import _ingest as ing

    monkeypatch.setattr(ing, "RANGE_BYTES", 700)
    f = _write(tmp_path / "today.jsonl", [json.dumps(_row(i)) for i in range(40)])
    assert ingest(project, [str(f)], workers=workers).kept == 40
    with f.open("a") as fh:  # the service logs on
        fh.write("\n".join([json.dumps(_row(i)) for i in range(40, 60)] + ["{broken"]) + "\n")
    grown = ingest(project, [str(f)], workers=workers)
    assert grown.resumed == {str(f): 41} and (grown.kept, grown.duplicates, grown.quarantined) == (20, 0, 1)
    _, quar = stored(project)
    assert [q["line"] for q in quar] == [61]  # line numbers count from the top of the file
    again = ingest(project, [str(f)], workers=2 - workers)  # the whole file is fingerprinted now
    assert again.unchanged == [str(f)]
    recs, _ = stored(project)
    assert len(recs) == 60


def test_a_file_changed_before_its_end_is_read_whole(project, tmp_path):
    f = _write(tmp_path / "a.jsonl", [json.dumps(_row(i)) for i in range(10)])
    ingest(project, [str(f)])
    _write(f, [json.dumps(_row(i)) for i in range(1, 10)] + [json.dumps(_row(i)) for i in range(10, 13)])  # rotated in place
    changed = ingest(project, [str(f)])
    assert changed.resumed == {} and (changed.kept, changed.duplicates) == (3, 9)


@pytest.mark.parametrize("workers", [0, 2])
def test_a_last_line_still_being_written_is_read_again_when_it_is_finished(project, tmp_path, workers, monkeypatch):
    from assay.ingest import _ingest as ing

    monkeypatch.setattr(ing, "RANGE_BYTES", 700)
    g = tmp_path / "b.jsonl"
    g.write_text("".join(json.dumps(_row(i)) + "\n" for i in range(20)) + json.dumps(_row(20))[:15])  # the writer is mid-line
    first = ingest(project, [str(g)], workers=workers)
    assert (first.kept, first.quarantined) == (20, 1)
    _, quar = stored(project)
    assert [q["line"] for q in quar] == [21] and "may still be being written" in quar[0]["reason"]
    still = ingest(project, [str(g)], workers=workers)  # nothing new yet: only that line is read again
    assert still.resumed == {str(g): 21} and (still.kept, still.duplicates, still.quarantined) == (0, 0, 1)
    assert [q["line"] for q in stored(project)[1]] == [21]
    with g.open("a") as fh:
        fh.write(json.dumps(_row(20))[15:] + "\n" + json.dumps(_row(21)) + "\n")
    finished = ingest(project, [str(g)], workers=workers)
    assert finished.resumed == {str(g): 21} and (finished.kept, finished.duplicates, finished.quarantined) == (2, 0, 0)
    recs, quar = stored(project)
    assert len(recs) == 22 and quar == []  # the line is stored, its quarantine entry gone
    assert ingest(project, [str(g)], workers=workers).unchanged == [str(g)]


def test_a_broken_last_line_of_a_file_that_never_grows_stays_quarantined(project, tmp_path):
    g = tmp_path / "c.jsonl"
    g.write_text(json.dumps(_row(1)) + "\n{truncated")
    assert ingest(project, [str(g)]).quarantined == 1
    assert ingest(project, [str(g)]).quarantined == 1  # read again (one line), quarantined again
    assert [q["line"] for q in stored(project)[1]] == [2]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_parsed_rows_sent_to_workers_store_what_one_process_stores(tmp_path, monkeypatch, fmt):
    """Items of a JSON array travel to workers as their bytes in the file (CSV rows as
    dicts), and both are stored exactly as one process stores them. An item is parsed like
    a JSONL line, so one with a lone surrogate escape is quarantined, as such a line is."""
    import csv
    import importlib

    ing = importlib.import_module("assay.ingest._ingest")
    monkeypatch.setattr(ing, "BATCH", 5)
    monkeypatch.setattr(ing, "TASK_ROWS", 6)
    monkeypatch.setenv("ASSAY_PROJECT_KEY", "same-key-for-both")
    items = [_row(i, metadata={"n": i, "x": -0.0 if i % 4 else 1e300, "t": "naïve ☃"}) for i in range(30)]
    items[3]["metadata"].update(big=2**63 - 1, small=1 - 2**63, tiny=5e-324)
    items[7]["output"] = "half a pair: \ud800"
    items[9] = {"id": "no-messages"}
    items[12]["latency_ms"] = "not a number"
    results = []
    for workers in (0, 2):
        root = tmp_path / f"{fmt}-{workers}"
        root.mkdir()
        (root / "assay.yaml").write_text("project: t\n")
        proj = load_project(root)
        if fmt == "json":
            log = root / "log.json"
            log.write_text(json.dumps(items), encoding="utf-8")  # ensure_ascii: the surrogate as \ud800
        else:
            log = root / "log.csv"
            with log.open("w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh)
                w.writerow(["input", "output", "latency_ms", "note"])
                for i, it in enumerate(items):
                    w.writerow([f"question {i}", it.get("output", "").replace("\ud800", "?"), it.get("latency_ms", ""), json.dumps(it.get("metadata", {}))])
        s = ingest(proj, [str(log)], source="bot", workers=workers)
        store = proj.open_store()
        with store.read() as conn:
            recs = sorted((r.id, r.output, json.dumps(r.messages), json.dumps(r.meta), r.latency_ms) for r in conn.execute(select(records)))
            quar = sorted((r.line, r.reason, r.raw) for r in conn.execute(select(quarantine)))
        store.close()
        results.append((s.kept, s.duplicates, s.quarantined, recs, quar))
    assert results[0] == results[1]
    assert results[0] == results[1]
    assert results[0][:3] == ((27, 0, 3) if fmt == "json" else (29, 0, 1))
    if fmt == "json":
        assert [q[0] for q in results[0][4]] == [8, 10, 13] and "surrogate" in results[0][4][0][1]


def test_compressed_inputs_count_what_they_unpack_to_when_choosing_workers(tmp_path):
    import gzip

    from assay.ingest._ingest import data_bytes

    raw = b"".join(json.dumps(_row(i)).encode() + b"\n" for i in range(2000))
    plain = tmp_path / "a.jsonl"
    plain.write_bytes(raw)
    gz = tmp_path / "a.jsonl.gz"
    gz.write_bytes(gzip.compress(raw))
    assert data_bytes(plain) == len(raw) and data_bytes(gz) == len(raw) > gz.stat().st_size
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = [_row(i) for i in range(2000)]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "a.parquet")
    size = (tmp_path / "a.parquet").stat().st_size
    assert data_bytes(tmp_path / "a.parquet") > 2 * size  # the columns compress well
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not really")
    assert data_bytes(tmp_path / "broken.parquet") == 15


@pytest.mark.parametrize("name,workers", [("app.jsonl", 0), ("app.jsonl", 2), ("app.jsonl.gz", 2), ("app.csv", 0)])
def test_a_log_rotated_in_place_leaves_no_quarantine_entry_of_its_old_content(tmp_path, monkeypatch, name, workers):
    """The same path, new content: the quarantine holds exactly the new bad rows. An old
    entry at a line that is good now, or past the new end, goes; a new bad row at a line
    that was bad before is recorded with its own reason and bytes."""
    import importlib

    ing = importlib.import_module("assay.ingest._ingest")
    monkeypatch.setattr(ing, "RANGE_BYTES", 120)  # several byte ranges with workers
    monkeypatch.setattr(ing, "BATCH", 2)
    monkeypatch.setattr(ing, "WRITE_ROWS", 3)  # several writes in one process
    monkeypatch.setattr(ing, "TASK_ROWS", 3)  # several worker tasks
    (tmp_path / "assay.yaml").write_text("project: t\n")
    project = load_project(tmp_path)
    path = tmp_path / name

    def write(rows):
        if name.endswith(".csv"):
            text = "messages,output\n" + "\n".join(rows) + "\n"
            path.write_text(text)
        elif name.endswith(".gz"):
            path.write_bytes(gzip.compress(("\n".join(rows) + "\n").encode()))
        else:
            _write(path, rows)

    if name.endswith(".csv"):
        good = [f"question {i},answer {i}" for i in range(12)]
        old, new = list(good), list(good)
        old[1] = old[4] = old[10] = ",answer without a question"  # lines 3, 6, 12 (after the header)
        new = new[:8]
        new[1] = ",another answer without a question"  # line 3: bad again, other bytes
        new[6] = ",no question here"  # line 8, good before
        old_lines, new_lines = [3, 6, 12], [3, 8]
    else:
        good = [json.dumps(_row(i)) for i in range(12)]
        old, new = list(good), list(good)
        old[1], old[4], old[10] = "{not json", json.dumps({"output": "x"}), "[1, 2]"  # lines 2, 5, 11
        new = new[:8]
        new[1] = json.dumps(_row(1, output=7))  # line 2: bad for another reason
        new[6] = json.dumps(_row(6, latency_ms="slow"))  # line 7, good before
        old_lines, new_lines = [2, 5, 11], [2, 7]
    write(old)
    ingest(project, [str(path)], workers=workers)
    assert [q["line"] for q in stored(project)[1]] == old_lines
    write(new)
    s = ingest(project, [str(path)], workers=workers)
    quar = stored(project)[1]
    assert s.quarantined == len(new_lines) and [q["line"] for q in quar] == new_lines
    if name.endswith(".csv"):
        assert "another answer" in quar[0]["raw"]
    else:
        assert "output" in quar[0]["reason"] and "not valid JSON" not in quar[0]["reason"]
        assert '"output":7' in quar[0]["raw"]
    again = ingest(project, [str(path)], workers=workers, force=True)  # reading it again changes nothing
    def entries(rows):
        return [(q["line"], q["reason"], q["raw"]) for q in rows]

    assert again.quarantined == len(new_lines) and entries(stored(project)[1]) == entries(quar)


def test_a_directory_means_every_log_file_under_it(project, tmp_path):
    """``assay ingest logs/`` reads every file under logs/ whose name says a format assay
    reads (compressed too, at any depth), not hidden ones or notes; ``**`` globs work too."""
    logs = project.root / "logs"
    (logs / "2026" / "11").mkdir(parents=True)
    (logs / ".cache").mkdir()
    _write(logs / "2026" / "11" / "a.jsonl", [json.dumps(_row(1))])
    (logs / "b.jsonl.gz").write_bytes(gzip.compress((json.dumps(_row(2)) + "\n").encode()))
    _write(logs / ".cache" / "c.jsonl", [json.dumps(_row(3))])
    _write(logs / ".d.jsonl", [json.dumps(_row(4))])
    (logs / "README.md").write_text("how these logs were exported\n")
    s = ingest(project, ["logs"])
    assert sorted(Path(f).name for f in s.files) == ["a.jsonl", "b.jsonl.gz"] and s.kept == 2
    assert ingest(project, ["logs/**/*.jsonl"]).unchanged == [str(logs / "2026" / "11" / "a.jsonl")]
    (project.root / "empty").mkdir()
    with pytest.raises(InputError, match="no log files in the directory"):
        ingest(project, ["empty"])


def test_a_path_with_glob_characters_that_exists_is_read_as_it_is(project, tmp_path):
    folder = tmp_path / "[old]"
    folder.mkdir()
    log = folder / "calls.jsonl"
    log.write_text(json.dumps({"messages": [{"role": "user", "content": "hi"}], "output": "a"}) + "\n")
    assert ingest(project, [str(log)]).kept == 1


@pytest.mark.parametrize("finish", ["deleted-while-unfinished", "finished-without-workers"])
def test_deleting_a_file_that_shares_records_never_leaves_another_files_stored_parts_skipping_them(tmp_path, monkeypatch, finish):
    import importlib

    """A record two files of a source hold is stored once, with the file that brought it
    first. Deleting that file deletes it; an ingest of the other file must then store it
    again, also when that file's ingest was interrupted with workers (its stored parts must
    not be skipped) or finished later without workers (its parts' keys must not stay)."""
    from assay.ingest import delete_files

    ing = importlib.import_module("assay.ingest._ingest")
    monkeypatch.setenv("ASSAY_PROJECT_KEY", "same-key")
    monkeypatch.setattr(ing, "RANGE_BYTES", 3_000)
    proj = _new_project(tmp_path / "p")
    big = _write_log(proj.root / "big.jsonl", "jsonl")
    head = _write(proj.root / "head.jsonl", big.read_text().splitlines()[:150])
    ingest(proj, [str(head)], workers=0)  # stores the first 150 lines' records first
    real = ing._run_tasks
    monkeypatch.setattr(ing, "_run_tasks", _interrupting(real))
    with pytest.raises(KeyboardInterrupt):
        ingest(proj, [str(big)], workers=2)
    monkeypatch.setattr(ing, "_run_tasks", real)
    assert _ranges_left(proj) > 0
    if finish == "finished-without-workers":
        ingest(proj, [str(big)], workers=0)
        assert _ranges_left(proj) == 0
    delete_files(proj, [str(head)])
    ingest(proj, [str(big)], workers=2)
    clean = _new_project(tmp_path / "clean")
    ingest(clean, [str(_write_log(clean.root / "big.jsonl", "jsonl"))], workers=0)
    assert _contents(proj)[0] == _contents(clean)[0] and len(_contents(proj)[0]) == 291


def _worker_dies(*args, **kwargs):
    os._exit(9)  # as a worker killed by the kernel for want of memory, or by kill -9


def test_a_worker_that_dies_is_an_error_that_says_to_run_again(tmp_path, monkeypatch):
    import importlib

    from assay.errors import AssayError

    ing = importlib.import_module("assay.ingest._ingest")
    monkeypatch.setattr(ing, "RANGE_BYTES", 3_000)
    monkeypatch.setattr(ing, "ingest_range", _worker_dies)
    proj = _new_project(tmp_path / "p")
    log = _write_log(proj.root / "l.jsonl", "jsonl")
    with pytest.raises(AssayError) as err:
        ingest(proj, [str(log)], workers=2)
    assert "a worker process stopped" in err.value.message and "run the same command again" in err.value.hint
