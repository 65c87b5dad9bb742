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


def _records(proj):
    from sqlalchemy import select

    from assay.store._schema import records
    store = proj.open_store()
    with store.read() as conn:
        got = list(conn.execute(select(records).order_by(records.c.ts, records.c.id)))
    store.close()
    return got


def _ingested(tmp_path, name, text):
    """A new project, ``text`` written to ``name`` in it and ingested: (summary, project)."""
    proj = _new_project(tmp_path / "p")
    f = proj.root / name
    f.write_text(text)
    return ingest(proj, [str(f)]), proj


def test_postgres_text_copy_tsv_escapes_and_nulls(tmp_path):
    """PostgreSQL's COPY text format (ClickHouse's TabSeparated, MySQL's dumps): no quoting,
    escapes for tabs, line breaks and backslashes, \\N for NULL. A stray quote no longer
    swallows the rows after it."""
    s, proj = _ingested(tmp_path, "calls.tsv", "prompt\tcompletion\tmodel\tlatency_ms\n"
                        '"Hi\tthere\tgpt-4o\t\\N\n'
                        "Where is my order?\\nThanks\tIt ships\\ttomorrow.\tgpt-4o\t120\n"
                        "q3\ta \\\\ b\t\\N\t\\N\n"
                        'He said "yes"\tok\tNULL\t5\n')
    assert (s.kept, s.quarantined) == (4, 0)
    got = {r.messages[0]["content"]: (r.output, r.model, r.latency_ms) for r in _records(proj)}
    assert got == {'"Hi': ("there", "gpt-4o", None), "Where is my order?\nThanks": ("It ships\ttomorrow.", "gpt-4o", 120.0),
                   "q3": ("a \\ b", None, None), 'He said "yes"': ("ok", None, 5.0)}


def test_quoted_tsv_is_still_read_with_quoting(tmp_path):
    """A TSV file as pandas and Excel write it: a value with a tab or line break is quoted."""
    s, proj = _ingested(tmp_path, "calls.tsv", 'prompt\tcompletion\n"line one\nline two"\t"a\tb"\nplain \\n text\tok\n')
    assert (s.kept, s.quarantined) == (2, 0)
    got = {r.messages[0]["content"]: r.output for r in _records(proj)}
    assert got == {"line one\nline two": "a\tb", "plain \\n text": "ok"}


def test_csv_null_marker_is_a_missing_value(tmp_path):
    s, proj = _ingested(tmp_path, "data_0_0_0.csv", 'prompt,completion,model,ts,latency_ms\n"Hi","Hello!","gpt-4o-mini",\\N,640\n'
                        '"Hi","Hello!",\\N,2026-11-01 10:06:00.000 -0800,\\N\n')
    assert (s.kept, s.quarantined) == (2, 0)
    got = sorted((str(r.ts), r.model, r.latency_ms) for r in _records(proj))
    assert got == [("2026-11-01 18:06:00", None, None), ("None", "gpt-4o-mini", 640.0)]


def test_table_columns_under_their_usual_names(tmp_path):
    """A flat table's created_at, prompt_tokens, completion_tokens, cost are the record's
    time, tokens and cost; a value that does not fit (cost as an object) stays metadata.
    --map reads the fields it does not name from the same columns."""
    proj = _new_project(tmp_path / "p")
    f = proj.root / "calls.csv"
    f.write_text("prompt,completion,model,created_at,latency_ms,user_id,feedback,prompt_tokens,completion_tokens,cost\n"
                 "Hi,Hello,gpt-4o,2026-11-01 10:00:00.123456 UTC,812,u-42,up,12,3,\"{\"\"a\"\": 1}\"\n")
    s = ingest(proj, [str(f)])
    assert s.kept == 1
    (r,) = _records(proj)
    assert (str(r.ts), r.model, r.latency_ms, r.tokens_in, r.tokens_out, r.cost_usd) == (
        "2026-11-01 10:00:00.123456", "gpt-4o", 812.0, 12, 3, None)
    assert r.meta == {"user_id": "u-42", "cost": '{"a": 1}'} and r.feedback == {"thumb": "up", "rating": None, "comment": None,
                                                                                 "edit": None}
    pv = preview(proj, [str(f)], mapping="input=prompt,output=completion,ts=created_at")
    (rec,) = pv.files[0].records
    assert (rec.model, rec.latency_ms, rec.tokens_in, rec.feedback.thumb) == ("gpt-4o", 812.0, 12, "up")
    assert rec.metadata == {"user_id": "u-42", "cost": '{"a": 1}'}


def test_map_decodes_a_json_text_feedback_column(tmp_path):
    proj = _new_project(tmp_path / "p")
    f = proj.root / "mapfb.csv"
    f.write_text('q,a,fb\nhi,hello,"{""thumb"": ""up"", ""comment"": ""great""}"\n')
    pv = preview(proj, [str(f)], mapping="input=q,output=a,feedback=fb")
    (rec,) = pv.files[0].records
    assert (rec.feedback.thumb, rec.feedback.comment) == ("up", "great")


def test_feedback_as_databases_hold_it(tmp_path):
    proj = _new_project(tmp_path / "p")
    f = proj.root / "fb.jsonl"
    rows = [("t", "up", None), ("f", "down", None), ("4", None, 4.0), (5, None, 5.0), ({"thumbs_up": True}, "up", None),
            (-1, "down", None)]
    f.write_text("".join(json.dumps({"prompt": f"q{i}", "output": "a", "feedback": fb}) + "\n" for i, (fb, _, _) in enumerate(rows)))
    s = ingest(proj, [str(f)])
    assert (s.kept, s.quarantined) == (6, 0)
    got = {r.messages[0]["content"]: (r.feedback["thumb"], r.feedback["rating"]) for r in _records(proj)}
    assert got == {f"q{i}": (t, rating) for i, (_, t, rating) in enumerate(rows)}


def test_metadata_as_key_value_pairs_and_a_parquet_map_column(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    proj = _new_project(tmp_path / "p")
    f = proj.root / "calls.parquet"
    table = pa.table({"prompt": ["hi"], "output": ["hello"],
                      "metadata": pa.array([[("locale", "en"), ("tier", "pro")]], type=pa.map_(pa.string(), pa.string()))})
    pq.write_table(table, f)
    g = proj.root / "bq.jsonl"
    g.write_text(json.dumps({"prompt": "q", "output": "a", "metadata": [{"key": "locale", "value": "de"}]}) + "\n")
    s = ingest(proj, [str(f), str(g)])
    assert (s.kept, s.quarantined) == (2, 0)
    assert sorted(json.dumps(r.meta, sort_keys=True) for r in _records(proj)) == [
        '{"locale": "de"}', '{"locale": "en", "tier": "pro"}']


def test_a_serving_endpoints_failed_calls_are_quarantined(tmp_path):
    """Databricks inference tables log failed calls with the endpoint's error and status."""
    proj = _new_project(tmp_path / "p")
    f = proj.root / "inference.jsonl"
    req = {"messages": [{"role": "user", "content": "hi"}], "model": "m"}
    ok = {"choices": [{"message": {"role": "assistant", "content": "hello"}}]}
    f.write_text("".join(json.dumps(r) + "\n" for r in (
        {"request": req, "response": ok, "status_code": 200, "execution_duration_ms": 321, "request_time": "2026-11-01T10:00:00Z"},
        {"request": req, "response": {"error_code": "REQUEST_LIMIT_EXCEEDED", "message": "Exceeded rate limit"}, "status_code": 429},
        {"request": req, "response": None, "status_code": 500},
    )))
    s = ingest(proj, [str(f)])
    assert (s.kept, s.quarantined) == (1, 2)
    (r,) = _records(proj)
    assert (r.latency_ms, str(r.ts)) == (321.0, "2026-11-01 10:00:00")
    reasons = sorted(q[1] for q in _contents(proj)[1])
    assert reasons == ["the call failed: HTTP 500", "the call failed: REQUEST_LIMIT_EXCEEDED: Exceeded rate limit (HTTP 429)"]


def test_compressed_files_told_by_their_bytes_bzip2_and_empty_parts(tmp_path):
    import bz2
    import gzip

    proj = _new_project(tmp_path / "p")
    lines = "".join(json.dumps({"prompt": f"q{i}", "output": "a"}) + "\n" for i in range(3))
    (proj.root / "calls-000000000000").write_bytes(gzip.compress(lines.encode()))  # bq extract --compression GZIP
    d = proj.root / "spark"
    d.mkdir()
    (d / "part-00000-a-c000.json.bz2").write_bytes(bz2.compress(lines.replace("q", "b").encode()))
    (d / "part-00001-a-c000.json").write_text("")
    (d / "_SUCCESS").write_text("")
    s = ingest(proj, [str(proj.root / "calls-000000000000"), str(d)])
    assert (s.kept, s.quarantined) == (6, 0)


def test_a_litellm_spend_log_without_prompts_says_how_to_store_them(tmp_path):
    proj = _new_project(tmp_path / "p")
    f = proj.root / "spendlogs.csv"
    f.write_text("request_id,call_type,model,spend,startTime,messages,response\n"
                 "r1,acompletion,gpt-4o,0.001,2026-11-01T10:00:00Z,{},{}\n")
    s = ingest(proj, [str(f)])
    assert (s.kept, s.quarantined) == (0, 1)
    assert "store_prompts_in_spend_logs" in _contents(proj)[1][0][1]


def test_langfuse_tables_synced_to_a_warehouse(tmp_path):
    """Langfuse's own tables (observations and traces, snake_case columns as in its ClickHouse
    and PostgreSQL schemas) are read as its API's observations and traces."""
    proj = _new_project(tmp_path / "p")
    f = proj.root / "observations.jsonl"
    rows = [
        {"id": "o1", "trace_id": "t1", "project_id": "p1", "type": "GENERATION", "start_time": "2026-11-01 10:00:00.000",
         "end_time": "2026-11-01 10:00:01.250", "metadata": {"locale": "en"}, "level": "DEFAULT",
         "input": json.dumps([{"role": "user", "content": "Where is my order?"}]),
         "output": json.dumps({"role": "assistant", "content": "On its way."}), "provided_model_name": "gpt-4o",
         "usage_details": {"input": 12, "output": 5, "total": 17}, "total_cost": 0.0001},
        {"id": "o2", "trace_id": "t1", "project_id": "p1", "type": "SPAN", "start_time": "2026-11-01 10:00:00.000",
         "input": "x", "output": "y"},
        {"id": "o3", "trace_id": "t2", "project_id": "p1", "type": "GENERATION", "start_time": "2026-11-01T11:00:00Z",
         "end_time": "2026-11-01T11:00:02Z", "input": [{"role": "user", "content": "hi"}], "output": "hello",
         "model": "gpt-4o-mini", "prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4, "calculated_total_cost": 2e-05},
    ]
    f.write_text("".join(json.dumps(r) + "\n" for r in rows))
    t = proj.root / "traces.jsonl"
    t.write_text(json.dumps({"id": "t1", "timestamp": "2026-11-01 10:00:00", "name": "support", "user_id": "u1",
                             "session_id": "s1", "project_id": "p1", "input": "Where is my order?", "output": "On its way."}) + "\n")
    s = ingest(proj, [str(f), str(t)])
    assert s.formats == {str(f): "jsonl:langfuse", str(t): "jsonl:langfuse"}
    assert (s.kept, s.skipped, s.quarantined) == (3, 1, 0)
    got = {r.meta["source_id"]: (r.model, r.latency_ms, r.tokens_in, r.tokens_out, r.cost_usd, r.output) for r in _records(proj)}
    assert got["o1"] == ("gpt-4o", 1250.0, 12, 5, 0.0001, "On its way.")
    assert got["o3"] == ("gpt-4o-mini", 2000.0, 3, 1, 2e-05, "hello")
    assert got["t1"][5] == "On its way."


def test_a_csv_file_without_a_header_row(tmp_path):
    """Snowflake's COPY INTO and Redshift's UNLOAD write no header by default: the first row
    is data (a number, a time or JSON in it), the columns are column_1..N, and the hint
    says how to map them."""
    proj = _new_project(tmp_path / "p")
    f = proj.root / "data_0_0_0.csv"
    f.write_text('"Where is my order 1234?","It ships tomorrow.","gpt-4o",2026-11-01 10:00:00.000 -0800,640\n'
                 '"Hi there","Hello!","gpt-4o-mini",2026-11-01 10:06:00.000 -0800,12\n')
    pv = preview(proj, [str(f)])
    (fp,) = pv.files
    assert [q[0] for q in fp.quarantined] == [1, 2]
    assert "no header row" in fp.hint and "--map input=column_1,output=column_2,ts=column_4" in fp.hint
    s = ingest(proj, [str(f)], mapping="input=column_1,output=column_2,ts=column_4,model=column_3,latency_ms=column_5")
    assert (s.kept, s.quarantined) == (2, 0)
    got = sorted((r.messages[0]["content"], r.output, r.model, r.latency_ms, str(r.ts)) for r in _records(proj))
    assert got[1] == ("Where is my order 1234?", "It ships tomorrow.", "gpt-4o", 640.0, "2026-11-01 18:00:00")


def test_a_header_of_names_is_still_a_header(tmp_path):
    proj = _new_project(tmp_path / "p")
    f = proj.root / "survey.csv"
    f.write_text("How was the answer?,prompt,output\n5,hi,hello\n")
    s = ingest(proj, [str(f)])
    assert s.kept == 1 and _records(proj)[0].meta == {"How was the answer?": "5"}


def test_spark_csv_with_backslash_escaped_quotes_and_a_psql_footer(tmp_path):
    proj = _new_project(tmp_path / "p")
    f = proj.root / "part-00000-x-c000.csv"
    f.write_text('prompt,completion,model\n'
                 '"Reply with \\"yes\\" or \\"no\\"","\\"yes\\"",gpt-4o\n'
                 '"a path C:\\\\",ok,gpt-4o\n'
                 'hi,"say \\"hi\\" back",gpt-4o\n')
    g = proj.root / "psql.csv"
    g.write_text("prompt,completion\nhello,there\n(1 row)\n")
    s = ingest(proj, [str(f), str(g)])
    assert (s.kept, s.quarantined) == (4, 0)
    got = {r.messages[0]["content"]: r.output for r in _records(proj)}
    assert got == {'Reply with "yes" or "no"': '"yes"', "a path C:\\": "ok", "hi": 'say "hi" back', "hello": "there"}


def test_a_jobs_output_folder_with_part_files_named_without_a_suffix(tmp_path):
    import gzip

    proj = _new_project(tmp_path / "p")
    out = proj.root / "out"
    out.mkdir()
    (out / "part-00000").write_text("".join(json.dumps({"prompt": f"q{i}", "output": "a"}) + "\n" for i in range(2)))
    (out / "part-00001.gz").write_bytes(gzip.compress(b'{"prompt": "g", "output": "a"}\n'))
    (out / "part-00002").write_text("")  # an empty part
    (out / ".part-00000.crc").write_bytes(b"\x00\x01")
    (out / "part-00000.crc").write_bytes(b"\x00\x01")
    (out / "_SUCCESS").write_text("")
    s = ingest(proj, [str(out)])
    assert (s.kept, s.quarantined) == (3, 0) and len(s.files) == 2


def test_a_folder_of_files_named_without_a_suffix_or_as_an_apps_logs(tmp_path):
    """A bucket logger's objects (LiteLLM's GCS/S3 logging: ``2026-11-03/chatcmpl-9f2a``, one
    JSON document each) and an app's ``.log`` files with JSON lines are read from a folder;
    other files there (a README, a text log) are not."""
    import gzip

    proj = _new_project(tmp_path / "p")
    day = proj.root / "bucket" / "2026-11-03"
    day.mkdir(parents=True)
    call = {"messages": [{"role": "user", "content": "q"}], "response": {"choices": [{"message": {"content": "a"}}]}, "model": "m"}
    (day / "chatcmpl-0001").write_text(json.dumps(call, indent=2))
    (day / "chatcmpl-0002").write_bytes(gzip.compress(json.dumps({**call, "messages": "q2"}).encode()))
    (proj.root / "bucket" / "app.log").write_text(json.dumps({"prompt": "q3", "output": "a"}) + "\n")
    (proj.root / "bucket" / "app.log.1").write_text("\ufeff" + json.dumps({"prompt": "q4", "output": "a"}) + "\n")
    (proj.root / "bucket" / "server.log").write_text("INFO started\n")
    (proj.root / "bucket" / "README").write_text("# what is here\n")
    s = ingest(proj, [str(proj.root / "bucket")])
    assert (s.kept, s.quarantined) == (4, 0) and len(s.files) == 4


def test_an_old_excel_workbook_is_refused_with_what_to_do(tmp_path):
    from assay.errors import InputError

    proj = _new_project(tmp_path / "p")
    f = proj.root / "export.xls"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(InputError, match="old Excel workbook") as err:
        ingest(proj, [str(f)])
    assert "xlsx" in err.value.hint
    g = proj.root / "export-without-suffix"
    g.write_bytes(f.read_bytes())
    with pytest.raises(InputError, match="old Excel workbook"):
        ingest(proj, [str(g)])


@pytest.mark.parametrize("name", ["cut.log", "cut.json", "cut.jsonl"])
def test_json_lines_cut_at_their_start_are_read_as_json_lines(tmp_path, name):
    proj = _new_project(tmp_path / "p")
    f = proj.root / name
    f.write_text('tput": "cut off"}\n' + "".join(json.dumps({"prompt": f"q{i}", "output": "a"}) + "\n" for i in range(5)))
    s = ingest(proj, [str(f)])
    assert s.formats[str(f)] == "jsonl:generic" and (s.kept, s.quarantined) == (5, 1)


def test_an_unknown_format_lists_the_shapes_too(tmp_path):
    from assay.errors import InputError

    proj = _new_project(tmp_path / "p")
    (proj.root / "a.jsonl").write_text('{"prompt": "q", "output": "a"}\n')
    with pytest.raises(InputError, match="unknown --format") as err:
        ingest(proj, ["a.jsonl"], format="jsonlines")
    assert "openai" in err.value.hint and "jsonl:openai" in err.value.hint


@pytest.mark.parametrize("value, fmt", [("01/11/2026", "'%d/%m/%Y' (or '%m/%d/%Y')"), ("13/11/2026 09:30", "'%d/%m/%Y %H:%M'"),
                                        ("11/13/26 09:30:05", "'%m/%d/%y %H:%M:%S'"), ("01.11.2026 10:00", "'%d.%m.%Y %H:%M'")])
def test_a_day_month_date_says_the_ts_format_that_reads_it(value, fmt):
    from assay.ingest._normalise import RowError, parse_ts

    with pytest.raises(RowError) as err:
        parse_ts(value)
    assert f"--ts-format {fmt}" in str(err.value) or f"e.g. --ts-format {fmt}" in str(err.value)


def test_a_folder_of_many_small_files_gets_one_progress_bar(tmp_path):
    """``opik export`` writes a file per trace: one bar counts the files (a bar each was
    thousands of lines, and most of the time an ingest of small files took)."""
    from contextlib import contextmanager

    from assay.ingest._ingest import MANY_FILES

    proj = _new_project(tmp_path / "p")
    d = proj.root / "traces"
    d.mkdir()
    for i in range(MANY_FILES + 5):
        (d / f"trace-{i:03d}.jsonl").write_text(json.dumps({"prompt": f"q{i}", "output": "a"}) + "\n")
    bars: list[tuple[str, float | None]] = []
    advanced: list[float] = []

    class Task:
        def advance(self, n=1):
            advanced.append(n)

        def note(self, text):
            pass

    @contextmanager
    def progress(description, total):
        bars.append((description, total))
        yield Task()

    s = ingest(proj, [str(d)], progress=progress)
    assert s.kept == MANY_FILES + 5
    assert bars == [(f"ingest {MANY_FILES + 5} files", float(MANY_FILES + 5))] and sum(advanced) == MANY_FILES + 5


def test_scrubbers_share_their_compiled_triggers():
    from assay.ingest import Scrubber

    assert Scrubber(b"a")._trigger is Scrubber(b"b")._trigger


def test_a_dry_run_of_a_big_folder_looks_at_its_first_files(tmp_path):
    proj = _new_project(tmp_path / "p")
    d = proj.root / "traces"
    d.mkdir()
    for i in range(13):
        (d / f"trace-{i:03d}.jsonl").write_text(json.dumps({"prompt": f"q{i}", "output": "a"}) + "\n")
    pv = preview(proj, [str(d)])
    assert len(pv.files) == 10 and [p.rsplit("/", 1)[-1] for p in pv.more_files] == ["trace-010.jsonl", "trace-011.jsonl",
                                                                                      "trace-012.jsonl"]
    assert pv.to_json()["more_files"] == pv.more_files
