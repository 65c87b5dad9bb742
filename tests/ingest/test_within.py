"""Model calls logged inside an application's own log lines (``jsonl:openai@llm``)."""

import json

import pytest

from assay.errors import InputError
from assay.ingest import ingest, preview
from tests.ingest.conftest import stored
from tests.ingest.test_ingest import _contents, _new_project


def _call(i, **extra):
    return {"request": {"model": "gpt-4o", "messages": [{"role": "user", "content": f"question {i}, mail q{i}@example.com"}]},
            "response": {"id": f"c{i}", "object": "chat.completion", "model": "gpt-4o",
                         "choices": [{"index": 0, "message": {"role": "assistant", "content": f"answer {i}"}, "finish_reason": "stop"}],
                         "usage": {"prompt_tokens": 5, "completion_tokens": 3}, **extra}}


def _pino(n=6):
    """A pino log (synthetic): a health check before each model call, which sits under ``llm``."""
    lines = []
    for i in range(n):
        lines.append({"level": 30, "time": 1764234000000 + i * 1000, "pid": 7, "hostname": "web-1", "msg": "GET /health 200"})
        lines.append({"level": 30, "time": 1764234000500 + i * 1000, "pid": 7, "hostname": "web-1", "msg": "llm call",
                      "request_id": f"r-{i}", "tenant": "acme", "llm": _call(i)})
    return lines


def _write(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def test_model_calls_in_an_apps_log_lines_are_read_and_the_other_lines_skipped(project, tmp_path):
    log = _write(tmp_path / "app.log", _pino())
    s = ingest(project, [str(log)])
    assert (s.kept, s.skipped, s.quarantined) == (6, 6, 0)
    assert s.formats[str(log)] == "jsonl:openai@llm" and "'llm' field" in s.hints[str(log)]
    recs, _ = stored(project)
    first = recs[0]
    assert first["model"] == "gpt-4o" and first["output"] == "answer 0" and "<EMAIL_" in first["messages"][0]["content"]
    # the log line's time stands in for the call's; its own plain fields are kept, the logging's are not
    assert str(first["ts"]).startswith("2025-11-27 09:00:00.500")
    assert first["meta"]["request_id"] == "r-0" and first["meta"]["tenant"] == "acme"
    assert not {"level", "time", "pid", "hostname", "msg"} & set(first["meta"])
    again = ingest(project, [str(log)], force=True)
    assert (again.kept, again.duplicates, again.skipped) == (0, 6, 6)


def test_json_text_fields_of_cloud_log_exports(project, tmp_path):
    """CloudWatch puts the logged line in ``message`` as text, Kubernetes' JSON log files in
    ``log``: text that is an object is read, other text is another log line, and an object cut
    short is quarantined."""
    cw = _write(tmp_path / "cloudwatch.jsonl", [
        {"timestamp": 1764234000000, "message": "START RequestId: 1 Version: $LATEST", "logStream": "s", "ingestionTime": 1},
        {"timestamp": 1764234001000, "message": json.dumps({"event": "llm", **_call(1)}), "logStream": "s", "ingestionTime": 2},
        {"timestamp": 1764234002000, "message": json.dumps(_call(2))[:60], "logStream": "s", "ingestionTime": 3},
        {"timestamp": 1764234003000, "message": json.dumps(_call(3)), "logStream": "s", "ingestionTime": 4},
    ])
    k8s = _write(tmp_path / "pod.log", [
        {"log": "Server listening on :8080\n", "stream": "stdout", "time": "2026-11-27T09:00:00.1Z"},
        {"log": json.dumps(_call(4)) + "\n", "stream": "stdout", "time": "2026-11-27T09:00:01.1Z"},
    ])
    s = ingest(project, [str(cw), str(k8s)])
    assert s.formats == {str(cw): "jsonl:openai@message", str(k8s): "jsonl:openai@log"}
    assert (s.kept, s.skipped, s.quarantined) == (3, 2, 1)
    recs, quar = stored(project)
    assert [q["line"] for q in quar] == [3] and quar[0]["reason"].startswith("message: not valid JSON")
    by_out = {r["output"]: r for r in recs}
    assert str(by_out["answer 4"]["ts"]).startswith("2026-11-27 09:00:01.1") and by_out["answer 1"]["meta"] == {
        "event": "llm", "finish_reason": "stop", "response_id": "c1"}  # the call's own field kept; CloudWatch's are the logging's


def test_the_place_can_be_said_and_calls_at_the_top_among_other_lines(project, tmp_path):
    top = _write(tmp_path / "top.jsonl", [{"msg": "boot"}, {"msg": "llm", **_call(1)}, {"msg": "shutdown", "code": 0}])
    s = ingest(project, [str(top)])
    assert s.formats[str(top)] == "jsonl:openai@." and (s.kept, s.skipped, s.quarantined) == (1, 2, 0)
    # said: the first row is a call, the others skipped (without it they would be quarantined)
    mixed = _write(tmp_path / "mixed.jsonl", [{"llm": _call(5)}, {"msg": "GET /"}, {"llm": {"note": "no call"}}])
    s = ingest(project, [str(mixed)], format="openai@llm")
    assert s.formats[str(mixed)] == "jsonl:openai@llm" and (s.kept, s.skipped, s.quarantined) == (1, 2, 0)
    with pytest.raises(InputError, match="after '@'"):
        ingest(project, [str(mixed)], format="openai@")
    # a call that the shape claims but cannot read is quarantined, not skipped
    broken = _write(tmp_path / "broken.jsonl", [{"msg": "x"}, {"llm": _call(6)}, {"llm": {**_call(7), "response": {"choices": "none"}}}])
    s = ingest(project, [str(broken)])
    assert (s.kept, s.skipped, s.quarantined) == (1, 1, 1)


def test_rows_no_shape_claims_anywhere_still_get_the_mapping_hint(project, tmp_path):
    f = _write(tmp_path / "qa.jsonl", [{"question": "q", "answer": "a", "meta": {"x": 1}}] * 3)
    s = ingest(project, [str(f)])
    assert s.formats[str(f)] == "jsonl:generic" and "--map" in s.hints[str(f)] and s.quarantined == 3


def test_workers_store_what_one_process_stores(tmp_path, monkeypatch):
    import importlib

    ing = importlib.import_module("assay.ingest._ingest")
    monkeypatch.setattr(ing, "RANGE_BYTES", 2_000)
    monkeypatch.setenv("ASSAY_PROJECT_KEY", "same")
    rows = _pino(40)
    rows[9] = "{broken"
    out = []
    for workers in (0, 2):
        proj = _new_project(tmp_path / f"w{workers}")
        s = ingest(proj, [str(_write(proj.root / "app.log", rows))], workers=workers)
        out.append(((s.kept, s.skipped, s.quarantined), _contents(proj)))
    assert out[0][0] == (39, 40, 1) and out[0] == out[1]


def test_dry_run_shows_the_first_calls(project, tmp_path):
    log = _write(tmp_path / "app.log", _pino(5))
    (f,) = preview(project, [str(log)], rows=3).files
    assert f.format == "jsonl:openai@llm" and len(f.records) == 3 and f.skipped == 3 and f.rows == 6 and "'llm' field" in f.hint


def test_kong_ai_gateway_file_log_three_keys_down(tmp_path):
    """Kong's AI Gateway (File Log plugin with the AI Proxy's payload logging) holds the
    provider's request and response as JSON text under ``ai.proxy.payload``, and the call's
    cost and latency beside them."""
    proj = _new_project(tmp_path / "p")
    call = _call(1)
    lines = [{"request": {"method": "POST", "uri": "/v1/chat/completions"}, "response": {"status": 200},
              "started_at": 1793697262512, "consumer": {"username": "support-bot"},
              "ai": {"proxy": {"payload": {"request": json.dumps(call["request"]), "response": json.dumps(call["response"])},
                               "usage": {"prompt_tokens": 5, "completion_tokens": 3, "cost": 0.0000235},
                               "meta": {"request_model": "gpt-4o", "llm_latency": 1842}}}},
             {"request": {"method": "GET", "uri": "/health"}, "response": {"status": 200}, "started_at": 1793697263000}]
    f = _write(proj.root / "kong.jsonl", lines)
    s = ingest(proj, [str(f)])
    assert (s.kept, s.skipped, s.quarantined) == (1, 1, 0) and s.formats[str(f)] == "jsonl:openai@ai.proxy.payload"
    rec = stored(proj)[0][0]
    assert (rec["output"], rec["latency_ms"], rec["cost_usd"], rec["meta"]["consumer"]) == ("answer 1", 1842.0, 0.0000235, "support-bot")
