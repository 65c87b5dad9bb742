"""Recorded answers imported from a JSONL file keyed by case id."""

from __future__ import annotations

import json

import pytest

from assay.errors import InputError, ProviderError
from assay.providers import Prompt, ProviderContext, make_provider
from assay.records import Candidate, Case, Message


def _case(cid: str) -> Case:
    return Case(id=cid, set_name="s", split="dev", record_ids=["r"], slice_id="sl", weight=1.0,
                messages=[Message(role="user", content="hi")])


def _make(tmp_path, path):
    cand = Candidate(name="other-team", provider="recorded", options={"path": path})
    return make_provider(cand, ProviderContext(project_root=tmp_path))


async def test_answers_tokens_and_cost_by_case_id(tmp_path):
    rows = [{"case_id": "c1", "output": "refund_status", "tokens_in": 10, "tokens_out": 2, "cost_usd": 0.001},
            {"case_id": "c2", "output": "order_status"}]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    prov = _make(tmp_path, "a.jsonl")
    one = await prov.complete(Prompt(text="x"), {}, _case("c1"))
    assert (one.output, one.tokens_in, one.tokens_out, one.cost_usd) == ("refund_status", 10, 2, 0.001)
    assert (await prov.complete(Prompt(text="x"), {}, _case("c2"))).output == "order_status"
    with pytest.raises(ProviderError, match="no recorded answer for case c3"):
        await prov.complete(Prompt(text="x"), {}, _case("c3"))
    assert prov.identity()["path"].endswith("a.jsonl")


@pytest.mark.parametrize(
    "text, line, message",
    [('{"case_id": "c1", "output": "a"}\n{broken\n', 2, "not valid JSON"),
     ('{"case_id": "c1"}\n', 1, "case_id"),
     ('{"case_id": "c1", "output": "a"}\n{"case_id": "c1", "output": "b"}\n', 2, "twice")],
)
def test_bad_lines_name_file_and_line(tmp_path, text, line, message):
    (tmp_path / "a.jsonl").write_text(text)
    with pytest.raises(InputError, match=message) as err:
        _make(tmp_path, "a.jsonl")
    assert err.value.line == line and err.value.file.endswith("a.jsonl")


def test_missing_file(tmp_path):
    with pytest.raises(Exception, match="not found"):
        _make(tmp_path, "nope.jsonl")
