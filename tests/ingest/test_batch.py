"""OpenAI and Anthropic Batch API files: requests and results joined by custom_id."""

import importlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.errors import InputError
from assay.ingest import ingest
from assay.ingest._batch import batch_role
from assay.project import load_project
from tests.ingest.conftest import stored

OPENAI_REQ, OPENAI_RES = "openai-batch-requests.jsonl", "openai-batch-results.jsonl"
ANTH_REQ, ANTH_RES = "anthropic-batch-requests.jsonl", "anthropic-batch-results.jsonl"


def _by_custom_id(recs):
    return {r["meta"]["custom_id"]: r for r in recs}


def test_batch_role_tells_requests_from_results():
    assert batch_role({"custom_id": "a", "method": "POST", "url": "/v1/chat/completions", "body": {}}) == ("openai", "requests")
    assert batch_role({"id": "b", "custom_id": "a", "response": None, "error": {"code": "x"}}) == ("openai", "results")
    assert batch_role({"custom_id": "a", "params": {"messages": []}}) == ("anthropic", "requests")
    assert batch_role({"custom_id": "a", "result": {"type": "expired"}}) == ("anthropic", "results")
    assert batch_role({"custom_id": 7, "params": {}}) is None  # custom_id is text in both APIs
    assert batch_role({"messages": [], "output": "x"}) is None


def test_openai_requests_and_results_are_joined_by_custom_id(project, fixtures):
    s = ingest(project, [str(fixtures / OPENAI_REQ), str(fixtures / OPENAI_RES)])
    # req-1, 2, 3 (Responses API), 7 stored; the embedding skipped; the HTTP 400 and the
    # result with no request quarantined; req-6 has no result
    assert (s.kept, s.skipped, s.quarantined) == (4, 1, 2)
    assert s.files == [str(fixtures / OPENAI_RES)]  # the requests file is read through the join only
    assert s.formats == {str(fixtures / OPENAI_RES): "jsonl:openai-batch"}
    assert s.joined == {str(fixtures / OPENAI_RES): [str(fixtures / OPENAI_REQ)]}
    assert "1 of its batch requests has no result" in s.hints[str(fixtures / OPENAI_REQ)]
    recs, quar = stored(project)
    got = _by_custom_id(recs)
    assert sorted(got) == ["req-1", "req-2", "req-3", "req-7"]
    r1 = got["req-1"]
    assert [m["role"] for m in r1["messages"]] == ["system", "user"]
    assert r1["messages"][1]["content"] == "Where is my order NW-5512?"
    assert r1["output"] == '[tool_call get_order {"order_id": "NW-5512"}]'
    assert (r1["model"], r1["tokens_in"], r1["tokens_out"]) == ("gpt-4o-mini-2024-07-18", 88, 17)
    assert r1["meta"]["params"] == {"temperature": 0.2} and r1["meta"]["tools"][0]["function"]["name"] == "get_order"
    assert (r1["meta"]["batch_request_id"], r1["meta"]["request_id"], r1["meta"]["finish_reason"]) == ("batch_req_0001", "rq_0001", "tool_calls")
    assert str(r1["ts"]) == "2026-11-02 08:01:00"  # the completion's created time
    assert [m["role"] for m in got["req-2"]["messages"]] == ["system", "user", "assistant", "tool"]
    r3 = got["req-3"]  # a /v1/responses request: its instructions are the system message
    assert [(m["role"], m["content"]) for m in r3["messages"]] == [("system", "Answer in one sentence."), ("user", "Do you repair e-bikes?")]
    assert (r3["output"], r3["model"], r3["tokens_in"]) == ("Yes, all our shops repair e-bikes.", "gpt-4.1-mini-2025-04-14", 22)
    assert "ana.lima" not in json.dumps(got["req-7"]["messages"]) + got["req-7"]["output"]  # scrubbed as any record
    assert s.pii["EMAIL"] == 2
    assert [(q["file"], q["line"]) for q in quar] == [(str(fixtures / OPENAI_RES), 5), (str(fixtures / OPENAI_RES), 7)]
    assert quar[0]["reason"] == "the batch request failed with HTTP 400: Invalid 'max_tokens': integer below minimum value."
    assert json.loads(quar[0]["raw"])["custom_id"] == "req-5"  # the result row as the file holds it
    assert "custom_id 'req-99' is in none of the batch requests files" in quar[1]["reason"]
    assert not list(project.state_dir.glob("batch-requests-*"))  # the index is gone


def test_the_join_gives_the_same_records_in_worker_processes(tmp_path, fixtures, monkeypatch):
    monkeypatch.setenv("ASSAY_PROJECT_KEY", "k" * 64)
    ing = importlib.import_module("assay.ingest._ingest")
    monkeypatch.setattr(ing, "RANGE_BYTES", 700)  # several byte ranges, each joined and stored by a worker
    got = {}
    for workers in (0, 2):
        root = tmp_path / f"w{workers}"
        root.mkdir()
        (root / "assay.yaml").write_text("project: t\n")
        project = load_project(root)
        s = ingest(project, [str(fixtures / OPENAI_REQ), str(fixtures / OPENAI_RES)], workers=workers)
        assert (s.kept, s.skipped, s.quarantined) == (4, 1, 2)
        recs, quar = stored(project)
        got[workers] = (sorted((r["id"], r["output"]) for r in recs), [(q["line"], q["reason"]) for q in quar])
    assert got[0] == got[2]


def test_results_without_their_requests_are_refused_before_anything_is_stored(project, fixtures):
    with pytest.raises(InputError) as err:
        ingest(project, [str(fixtures / OPENAI_RES)])
    assert OPENAI_RES in str(err.value) and "carry no prompts" in str(err.value)
    assert "assay ingest <requests>.jsonl openai-batch-results.jsonl" in err.value.hint
    assert stored(project) == ([], [])


def test_requests_alone_are_prompt_only_records(project, fixtures):
    s = ingest(project, [str(fixtures / OPENAI_REQ)])
    assert (s.kept, s.skipped, s.quarantined) == (6, 1, 0)  # the embedding request is skipped
    recs, _ = stored(project)
    assert {r["output"] for r in recs} == {None}
    assert _by_custom_id(recs)["req-6"]["messages"][0]["content"] == "Is the Lyon shop open on Sunday?"


def test_anthropic_results_are_joined_and_failures_say_why(project, fixtures):
    s = ingest(project, [str(fixtures / ANTH_RES), str(fixtures / ANTH_REQ)])  # any order
    assert (s.kept, s.quarantined) == (2, 2)
    recs, quar = stored(project)
    got = _by_custom_id(recs)
    assert [(m["role"], m["content"]) for m in got["q1"]["messages"]] == [("system", "Be brief."), ("user", "Can I return a helmet after 40 days?")]
    assert got["q1"]["output"] == "No: returns are accepted within 30 days."
    assert got["q2"]["output"] == '[tool_call get_order {"order_id":"NW-2231"}]'
    assert (got["q2"]["model"], got["q2"]["tokens_in"], got["q2"]["meta"]["finish_reason"]) == ("claude-sonnet-4-5-20250929", 301, "tool_use")
    assert [q["reason"] for q in quar] == [
        "the batch request failed: invalid_request_error: max_tokens: 512 > 256, the maximum for this model",
        "the batch request was expired before it ran: there is no answer to store",
    ]


def test_anthropic_requests_as_the_create_request_document(project, fixtures, tmp_path):
    # the body sent to /v1/messages/batches, saved as it was: {"requests": [...]}
    reqs = [json.loads(line) for line in (fixtures / ANTH_REQ).read_text().splitlines()]
    (tmp_path / "batch.json").write_text(json.dumps({"requests": reqs}, indent=2))
    s = ingest(project, [str(tmp_path / "batch.json"), str(fixtures / ANTH_RES)])
    assert (s.kept, s.quarantined) == (2, 2)


def test_one_custom_id_for_two_different_requests_is_refused(project, fixtures, tmp_path):
    lines = (fixtures / OPENAI_REQ).read_text().splitlines()
    other = json.loads(lines[0])
    other["body"]["messages"][-1]["content"] = "a question of another batch"
    (tmp_path / "other.jsonl").write_text(json.dumps(other) + "\n")
    with pytest.raises(InputError) as err:
        ingest(project, [str(fixtures / OPENAI_REQ), str(tmp_path / "other.jsonl"), str(fixtures / OPENAI_RES)])
    assert "other.jsonl:1" in str(err.value) and f"{OPENAI_REQ}:1" in str(err.value) and "'req-1'" in str(err.value)
    assert "in a command of their own" in err.value.hint
    assert stored(project) == ([], [])
    assert not list(project.state_dir.glob("batch-requests-*"))
    # the same request twice (a file copied) is no conflict
    (tmp_path / "copy.jsonl").write_text(lines[0] + "\n")
    s = ingest(project, [str(fixtures / OPENAI_REQ), str(tmp_path / "copy.jsonl"), str(fixtures / OPENAI_RES)])
    assert s.kept == 4


def test_bad_request_rows_are_quarantined_and_a_changed_requests_file_is_read_again(project, fixtures, tmp_path):
    req = tmp_path / "in.jsonl"
    lines = (fixtures / OPENAI_REQ).read_text().splitlines()
    req.write_text("\n".join([lines[0], "{broken", *lines[1:]]) + "\n")
    res = fixtures / OPENAI_RES
    s = ingest(project, [str(req), str(res)])
    assert (s.kept, s.quarantined) == (4, 3)
    _, quar = stored(project)
    assert [(q["file"], q["line"], q["reason"]) for q in quar if q["file"] == str(req)] == [(str(req), 2, "not valid JSON")]
    again = ingest(project, [str(req), str(res)])
    assert again.unchanged == [str(res)] and again.kept == 0 and again.joined == {}  # not read, so not joined
    # a request edited: the results file's rows now join with other prompts, so it is read again
    req.write_text("\n".join([lines[0].replace("Where is my order", "Where is my parcel"), *lines[1:]]) + "\n")
    edited = ingest(project, [str(req), str(res)])
    assert edited.unchanged == [] and (edited.kept, edited.duplicates) == (1, 3)
    _, quar = stored(project)
    assert [q["line"] for q in quar if q["file"] == str(req)] == []  # the broken row is gone from the file, and from quarantine


_json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                            max_leaves=8)
_result_keys = st.sampled_from(["id", "custom_id", "response", "error", "result", "status_code", "body", "message", "type"])
_garbage_results = st.one_of(
    st.binary(max_size=60),
    _json_values.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(_result_keys, _json_values, max_size=5).map(lambda d: json.dumps(d).encode()),
    # results rows of the right kind whose parts are anything
    st.fixed_dictionaries({"custom_id": st.sampled_from(["req-1", "req-2", "nope"]), "response": _json_values,
                           "error": _json_values}).map(lambda d: json.dumps(d).encode()),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.lists(_garbage_results, min_size=1, max_size=6))
def test_garbage_results_never_crash_the_join_and_valid_results_are_stored(tmp_path_factory, fixtures, garbage):
    """Among broken result rows, every valid one is joined and stored; every other line is
    quarantined (or, for blank lines, skipped by the reader); nothing is lost."""
    tmp = tmp_path_factory.mktemp("g")
    (tmp / "assay.yaml").write_text("project: t\n")
    valid = (fixtures / OPENAI_RES).read_text().splitlines()[:2]  # req-2, req-1
    lines = [g.replace(b"\n", b" ").replace(b"\r", b" ") for g in garbage]
    lines[:0] = [v.encode() for v in valid]  # first, so the file is told to be a results file
    res = tmp / "results.jsonl"
    res.write_bytes(b"\n".join(lines) + b"\n")
    s = ingest(load_project(tmp), [str(fixtures / OPENAI_REQ), str(res)], workers=0)
    recs, quar = stored(load_project(tmp))
    ids = sorted(r["meta"]["custom_id"] for r in recs)
    assert ids[:2] == ["req-1", "req-2"] and set(ids) <= {"req-1", "req-2"}
    non_blank = sum(1 for line in lines if line.strip())
    assert s.kept + s.duplicates + s.quarantined + s.skipped == non_blank
    assert {q["line"] for q in quar} <= set(range(3, len(lines) + 1))


def test_an_index_left_by_a_killed_ingest_is_removed(project, fixtures):
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    project.state_dir.mkdir(parents=True, exist_ok=True)
    orphan = project.state_dir / f"batch-requests-{dead.stdout.strip()}-0123456789ab.db"
    orphan.write_bytes(b"unscrubbed requests")
    ingest(project, [str(fixtures / OPENAI_REQ), str(fixtures / OPENAI_RES)])
    assert not orphan.exists() and not list(project.state_dir.glob("batch-requests-*"))
