"""Logs kept in a data warehouse and exported from it: Snowflake's upper-case column names,
BigQuery's labels as key/value pairs, JSON columns as text. Samples written by this project
in the layouts those tools document."""

import json

import pytest

from assay.ingest import ingest, preview
from tests.ingest.conftest import FIXTURES
from tests.ingest.test_ingest import _contents, _new_project


def _openai_rows():
    return [json.loads(line) for line in (FIXTURES / "openai.jsonl").read_text().splitlines() if line.strip()]


def _upper(row, as_text=True):
    return {k.upper(): json.dumps(v) if as_text and isinstance(v, (dict, list)) else v for k, v in row.items()}


def test_snowflake_upper_case_columns_read_as_the_shape_they_hold(tmp_path, monkeypatch):
    """COPY INTO a stage writes the table's column names upper case (REQUEST, RESPONSE,
    CREATED_AT) and VARIANT columns as JSON text: the same records as the log itself."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    monkeypatch.setenv("ASSAY_PROJECT_KEY", "same")
    rows = _openai_rows()
    ref = _new_project(tmp_path / "ref")
    s_ref = ingest(ref, [str(FIXTURES / "openai.jsonl")])
    proj = _new_project(tmp_path / "snow")
    f = proj.root / "data_0_0_0.snappy.parquet"
    table = [_upper(r) for r in rows]
    keys = sorted({k for r in table for k in r})
    pq.write_table(pa.Table.from_pylist([{k: r.get(k) for k in keys} for r in table]), f)
    s = ingest(proj, [str(f)])
    assert s.formats[str(f)] == "parquet:openai+lower-keys"
    assert "upper case" in s.hints[str(f)]
    assert (s.kept, s.quarantined) == (s_ref.kept, s_ref.quarantined) and s.kept > 0
    got, ref_got = _contents(proj)[0], _contents(ref)[0]
    # outputs and messages as from the log itself (a null column of another row adds a key to meta)
    assert sorted(r[1:3] for r in got) == sorted(r[1:3] for r in ref_got)


def test_upper_case_json_lines_with_workers_and_an_explicit_shape(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSAY_PROJECT_KEY", "same")
    rows = [_upper(r, as_text=False) for r in _openai_rows()]
    out = []
    for tag, kw in (("auto", {}), ("workers", {"workers": 2}), ("explicit", {"format": "openai"})):
        proj = _new_project(tmp_path / tag)
        f = proj.root / "export.jsonl"
        f.write_text("".join(json.dumps(r) + "\n" for r in rows))
        s = ingest(proj, [str(f)], **kw)
        out.append((s.formats[str(f)], s.kept, _contents(proj)))
    assert out[0][1] > 0
    assert out[0][0] == "jsonl:openai+lower-keys" and out[2][0] == "jsonl:openai+lower-keys"
    assert out[0][1:] == out[1][1:] == out[2][1:]


def test_upper_case_flat_columns_and_the_dry_run(tmp_path):
    proj = _new_project(tmp_path / "p")
    f = proj.root / "calls.csv"
    f.write_text("PROMPT,COMPLETION,MODEL,TS,USER_ID\n"
                 "where is my parcel?,It left the depot today.,gpt-4o,2026-11-01 10:00:00.000 -0800,u1\n")
    pv = preview(proj, [str(f)])
    (fp,) = pv.files
    assert fp.format == "csv:generic+lower-keys" and "upper case" in fp.hint
    (rec,) = fp.records
    assert rec.output == "It left the depot today." and rec.model == "gpt-4o"
    assert rec.ts.isoformat().startswith("2026-11-01T18:00:00") and rec.metadata == {"user_id": "u1"}


def test_mixed_case_keys_are_left_as_they_are(tmp_path):
    proj = _new_project(tmp_path / "p")
    f = proj.root / "calls.jsonl"
    f.write_text(json.dumps({"prompt": "hi", "output": "hello", "USER": "u1"}) + "\n")
    s = ingest(proj, [str(f)])
    assert s.formats[str(f)] == "jsonl:generic" and s.kept == 1
    assert json.loads(_contents(proj)[0][0][3]) == {"USER": "u1"}


def test_labels_as_key_value_pairs_or_tags_keep_the_row(tmp_path):
    """BigQuery and GCP hold labels as ARRAY<STRUCT<key, value>>; other tables as a list of
    tags. Neither loses the record any more (it was quarantined: 'labels: expected an object')."""
    proj = _new_project(tmp_path / "p")
    f = proj.root / "bq.json"
    base = {"request": {"model": "gpt-4o", "messages": [{"role": "user", "content": "q"}]},
            "response": json.dumps({"choices": [{"message": {"role": "assistant", "content": "a"}}]}),
            "created_at": "2026-11-01 10:00:00.123456 UTC"}
    f.write_text("".join(json.dumps({**base, "labels": labels, "n": i}) + "\n" for i, labels in enumerate((
        [{"key": "team", "value": "search"}, {"key": "env", "value": "prod"}],
        ["vip", "beta"],
        {"team": "search"},
        [],
    ))))
    s = ingest(proj, [str(f)])
    assert (s.kept, s.quarantined) == (4, 0)
    store = proj.open_store()
    from sqlalchemy import select

    from assay.store._schema import records
    with store.read() as conn:
        got = {r.meta["n"]: (r.labels, r.meta.get("labels"), r.ts)
               for r in conn.execute(select(records))}
    store.close()
    assert got[0][:2] == ({"team": "search", "env": "prod"}, None)
    assert got[1][:2] == (None, ["vip", "beta"])
    assert got[2][:2] == ({"team": "search"}, None)
    assert got[3][:2] == (None, None)
    assert str(got[0][2]).startswith("2026-11-01 10:00:00.123456")


def test_metadata_that_is_not_an_object_is_kept(tmp_path):
    proj = _new_project(tmp_path / "p")
    f = proj.root / "calls.jsonl"
    f.write_text(json.dumps({"prompt": "hi", "output": "hello", "metadata": ["a", "b"]}) + "\n")
    s = ingest(proj, [str(f)])
    assert (s.kept, s.quarantined) == (1, 0)
    assert json.loads(_contents(proj)[0][0][3]) == {"metadata": ["a", "b"]}
