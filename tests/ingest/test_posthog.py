"""PostHog LLM analytics events (fixture written by this project in the documented
``$ai_generation`` event shape: tests/fixtures/ingest/posthog-events.jsonl)."""

import json

from assay.ingest import ingest
from tests.ingest.conftest import stored


def test_posthog_ai_generation_events(project, fixtures):
    f = fixtures / "posthog-events.jsonl"
    s = ingest(project, [str(f)])
    assert s.formats[str(f)] == "jsonl:posthog" and (s.kept, s.skipped, s.quarantined) == (2, 2, 2)
    recs, quar = stored(project)
    by_trace = {r["meta"]["trace_id"]: r for r in recs}
    oa = by_trace["conv-9"]
    assert [m["role"] for m in oa["messages"]] == ["system", "user"] and "<EMAIL_" in oa["messages"][1]["content"]
    assert oa["output"] == '[tool_call get_order {"id":"4417"}]'
    assert (oa["model"], oa["tokens_in"], oa["tokens_out"], oa["latency_ms"], oa["cost_usd"]) == ("gpt-4o-mini", 61, 14, 841.2, 0.0000175)
    assert str(oa["ts"]).startswith("2026-11-06 14:00:02.25")
    meta = oa["meta"]
    assert (meta["conversation_id"], meta["plan"], meta["provider"], meta["country_code"], meta["distinct_id"], meta["span_id"]) == (
        "conv-9", "pro", "openai", "DE", "user_123", "gen-1")
    assert meta["params"] == {"temperature": 0.2, "stream": False} and meta["source_id"].endswith("0002")
    assert meta["cache_read_input_tokens"] == 0 and meta["base_url"] == "https://api.openai.com/v1"
    assert not [k for k in meta if k.startswith("$")] and "203.0.113.9" not in json.dumps(recs, default=str)
    assert [t["function"]["name"] for t in meta["tools"]] == ["get_order"]
    an = by_trace["conv-10"]  # properties held as JSON text
    assert an["messages"][0] == {"role": "system", "content": "Answer in one line."} and an["output"] == "Yes, in 3 to 5 days."
    assert (an["latency_ms"], an["meta"]["feature"], an["meta"]["params"]) == (1200.0, "shipping", {"max_tokens": 200})
    reasons = {q["line"]: q["reason"] for q in quar}
    assert reasons == {4: "the model call failed (HTTP 429): anthropic.RateLimitError: 429 rate_limit_error",
                       5: reasons[5]} and reasons[5].startswith("no $ai_input: the event holds no prompt (captured in privacy mode")
