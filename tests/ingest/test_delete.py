"""Deleting what ingest stored from some files, and ingest --replace."""

import gzip
import importlib
import json

import pytest
from sqlalchemy import insert, select

from assay.errors import InputError
from assay.ingest import delete_files, ingest
from assay.project import load_project
from assay.store._schema import audit_log, ingests, quarantine, record_slices, records


def _rows(tag, n, bad_at=None):
    lines = [json.dumps({"messages": [{"role": "user", "content": f"{tag} question {i}"}], "output": f"{tag} answer {i}"})
             for i in range(n)]
    if bad_at is not None:
        lines[bad_at] = "{not json"
    return "\n".join(lines) + "\n"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "assay.yaml").write_text("project: t\n")
    return load_project(tmp_path)


def _table(project, table, *cols):
    store = project.open_store()
    with store.read() as conn:
        rows = [tuple(r) for r in conn.execute(select(*[table.c[c] for c in cols]))]
    store.close()
    return rows


@pytest.mark.parametrize("workers", [0, 2])
def test_each_record_keeps_the_ingest_that_stored_it(project, tmp_path, workers, monkeypatch):
    ing = importlib.import_module("assay.ingest._ingest")
    monkeypatch.setattr(ing, "RANGE_BYTES", 300)  # several byte ranges, each stored by a worker
    monkeypatch.setattr(ing, "TASK_ROWS", 4)
    (tmp_path / "a.jsonl").write_text(_rows("a", 20))
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(_rows("b", 20).encode()))
    ingest(project, [str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl.gz")], workers=workers)
    by_file = {f: i for i, f in _table(project, ingests, "id", "file")}
    got = {}
    for ingest_id, msgs in _table(project, records, "ingest_id", "messages"):
        got.setdefault(ingest_id, set()).add(msgs[0]["content"].split()[0])
    assert got == {by_file[str(tmp_path / "a.jsonl")]: {"a"}, by_file[str(tmp_path / "b.jsonl.gz")]: {"b"}}


def test_delete_a_file_leaves_the_others(project, tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "a.jsonl").write_text(_rows("a", 10, bad_at=3))
    (logs / "b.jsonl").write_text(_rows("b", 5, bad_at=1))
    ingest(project, [str(logs)])
    plan = delete_files(project, ["logs/a.jsonl"], dry_run=True)
    assert (plan.records, plan.quarantined, plan.ingests, plan.dry_run) == (9, 1, 1, True)
    assert len(_table(project, records, "id")) == 13  # a dry run deletes nothing
    (logs / "a.jsonl").unlink()  # the file need not exist any more
    done = delete_files(project, ["logs/a.jsonl"])
    assert (done.records, done.quarantined, done.files) == (9, 1, [str(logs / "a.jsonl")])
    assert sorted(m[0]["content"] for (m,) in _table(project, records, "messages")) == [f"b question {i}" for i in (0, 2, 3, 4)]
    assert _table(project, quarantine, "file", "line") == [(str(logs / "b.jsonl"), 2)]
    assert [f for (f,) in _table(project, ingests, "file")] == [str(logs / "b.jsonl")]
    (detail,) = [d for a, d in _table(project, audit_log, "action", "detail") if a == "records.delete"]
    assert detail == {"files": [str(logs / "a.jsonl")], "source": None, "records": 9, "quarantined": 1}


def test_delete_by_glob_or_directory_and_a_clear_error_when_nothing_matches(project, tmp_path):
    logs = tmp_path / "logs"
    (logs / "day1").mkdir(parents=True)
    (logs / "day1" / "a.jsonl").write_text(_rows("a", 3))
    (logs / "b.jsonl").write_text(_rows("b", 3))
    (tmp_path / "c.jsonl").write_text(_rows("c", 3))
    ingest(project, [str(logs), str(tmp_path / "c.jsonl")])
    assert delete_files(project, ["logs/**/*.jsonl"], dry_run=True).records == 6
    assert delete_files(project, ["logs/day[0-9]/?.jsonl"], dry_run=True).records == 3
    assert delete_files(project, ["logs/*.jsonl"], dry_run=True).files == [str(logs / "b.jsonl")]
    assert delete_files(project, ["logs/day1"]).records == 3
    with pytest.raises(InputError) as e:
        delete_files(project, ["logs/day1"])
    assert "no ingested file matches 'logs/day1'" in str(e.value) and "b.jsonl" in e.value.hint


def test_a_deleted_file_is_read_again_and_its_profile_assignments_go(project, tmp_path):
    (tmp_path / "a.jsonl").write_text(_rows("a", 4))
    ingest(project, [str(tmp_path / "a.jsonl")])
    store = project.open_store()
    with store.write() as conn:  # as a profile assigns records to slices
        conn.execute(insert(record_slices), [{"profile_id": "p1", "record_id": rid, "slice_id": "s0", "distance": 0.1}
                                             for (rid,) in conn.execute(select(records.c.id))])
    store.close()
    delete_files(project, ["a.jsonl"])
    assert _table(project, record_slices, "record_id") == []
    s = ingest(project, [str(tmp_path / "a.jsonl")])  # its ingest history is gone too: not "unchanged"
    assert (s.kept, s.unchanged) == (4, [])


@pytest.mark.parametrize("workers", [0, 2])
def test_replace_drops_what_a_wrong_mapping_stored(project, tmp_path, workers):
    log = tmp_path / "chat.jsonl"
    log.write_text("".join(json.dumps({"q": f"question {i}", "a": f"answer {i}", "n": i}) + "\n" for i in range(5)))
    ingest(project, [str(log)], mapping="input=q,output=n", workers=workers)  # the wrong output field
    s = ingest(project, [str(log)], mapping="input=q,output=a", workers=workers, replace=True)
    assert (s.kept, s.duplicates, s.replaced) == (5, 0, {str(log): 5})
    assert sorted(o for (o,) in _table(project, records, "output")) == [f"answer {i}" for i in range(5)]
    again = ingest(project, [str(log)], mapping="input=q,output=a", workers=workers, replace=True)
    assert (again.kept, again.replaced) == (5, {str(log): 5})
    assert len(_table(project, records, "id")) == 5


def test_delete_a_source(project, tmp_path):
    (tmp_path / "a.jsonl").write_text(_rows("a", 5, bad_at=0))
    (tmp_path / "b.jsonl").write_text(_rows("b", 3))
    ingest(project, [str(tmp_path / "a.jsonl")], source="staging")
    ingest(project, [str(tmp_path / "b.jsonl")], source="prod")
    plan = delete_files(project, source="staging", dry_run=True)
    assert (plan.records, plan.quarantined, plan.files) == (4, 1, [str(tmp_path / "a.jsonl")])
    delete_files(project, source="staging")
    assert {s for (s,) in _table(project, records, "source")} == {"prod"} and _table(project, quarantine, "id") == []
    with pytest.raises(InputError) as e:
        delete_files(project, source="staging")
    assert "no records or ingests of the source 'staging'" in str(e.value) and "prod" in e.value.hint
    with pytest.raises(InputError):
        delete_files(project, ["b.jsonl"], source="prod")


def test_deleting_a_file_marks_later_files_that_shared_its_records_to_be_read_again(project, tmp_path):
    """A record two files of one source hold is stored once, with the file ingested first:
    deleting that file deletes it, and the later file is read again in full by the next
    ingest (not skipped as unchanged), which stores it again. Nothing is lost for good."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "a.jsonl").write_text(_rows("x", 6))  # x0..x5
    (logs / "b.jsonl").write_text("".join(_rows("x", 6).splitlines(keepends=True)[3:]) + _rows("b", 2))  # x3..x5 too
    (logs / "c.jsonl").write_text(_rows("c", 2))  # shares nothing
    ingest(project, [str(logs / "a.jsonl")])
    s = ingest(project, [str(logs / "b.jsonl"), str(logs / "c.jsonl")])
    assert (s.kept, s.duplicates) == (4, 3)
    plan = delete_files(project, ["logs/a.jsonl"], dry_run=True)
    assert (plan.records, plan.read_again) == (6, [str(logs / "b.jsonl")])
    delete_files(project, ["logs/a.jsonl"])
    contents = sorted(m[0]["content"] for (m,) in _table(project, records, "messages"))
    assert contents == ["b question 0", "b question 1", "c question 0", "c question 1"]  # x3..x5 went with a.jsonl
    again = ingest(project, [str(logs / "b.jsonl"), str(logs / "c.jsonl")])
    assert again.unchanged == [str(logs / "c.jsonl")] and (again.kept, again.duplicates) == (3, 2)  # b.jsonl read again
    contents = sorted(m[0]["content"] for (m,) in _table(project, records, "messages"))
    assert contents == sorted(["b question 0", "b question 1", "c question 0", "c question 1", "x question 3", "x question 4", "x question 5"])


def test_replace_hints_at_later_files_that_shared_the_records(project, tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "a.jsonl").write_text(_rows("x", 4))
    (logs / "b.jsonl").write_text(_rows("x", 4) + _rows("b", 1))  # not the same bytes: an identical file is not read at all
    ingest(project, [str(logs / "a.jsonl")])
    ingest(project, [str(logs / "b.jsonl")])
    s = ingest(project, [str(logs / "a.jsonl")], replace=True)
    assert s.kept == 4 and "ingest it again to store those: assay ingest " + str(logs / "b.jsonl") in s.hints[str(logs / "a.jsonl")]
