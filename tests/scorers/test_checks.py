"""The task checks registered beside exact_match, each through the registry."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from assay.errors import ConfigError
from assay.project import ScorerSettings
from assay.records import Case, Message
from assay.scorers import get_scorer, scorer, scorer_names


def _case(reference=None):
    return Case(id="c1", set_name="v1", split="dev", record_ids=["r"], slice_id="t00", weight=0.1,
                messages=[Message(role="user", content="hi")], reference=reference)


def _score(kind, output, *, field=None, reference=None, result=None, **params):
    cfg = ScorerSettings(name="x", type=kind, field=field, params=params)
    return get_scorer(kind)(output, _case(reference), cfg, result=result or {})


def test_regex_whole_answer_and_json_field():
    assert _score("regex", "intent: billing", pattern=r"billing|shipping").value == 1.0
    assert _score("regex", "billing", pattern=r"bill", match="full").value == 0.0
    assert _score("regex", '{"intent": "shipping"}', pattern=r"^(billing|shipping)$", output_field="intent").value == 1.0
    v = _score("regex", '{"intent": "other"}', pattern=r"^(billing|shipping)$", output_field="intent")
    assert v.value == 0.0 and "other" in v.detail
    assert _score("regex", "no json", pattern="x", output_field="intent").value == 0.0
    with pytest.raises(ConfigError, match="regular expression"):
        _score("regex", "x", pattern="(")
    with pytest.raises(ConfigError, match="params.pattern"):
        _score("regex", "x")


def test_contains_and_not_contains():
    assert _score("contains", "Your refund is on its way", text=["refund", "way"]).value == 1.0
    assert _score("contains", "Your refund", text=["refund", "sorry"]).value == 0.0
    assert _score("contains", "Your refund", text=["refund", "sorry"], mode="any").value == 1.0
    assert _score("contains", "order A-1 shipped", field="id", reference={"id": "a-1"}).value == 1.0
    assert _score("contains", "x", field="id", reference={}).value is None
    v = _score("not_contains", "As an AI language model I cannot", text=["as an ai", "I apologize"])
    assert v.value == 0.0 and "as an ai" in v.detail
    assert _score("not_contains", "Sure, here it is", text=["as an ai"]).value == 1.0


@pytest.mark.parametrize("output, ok", [("The total is 1,234.50 EUR", True), ("total: 1234.4", False), ("none", False)])
def test_numeric_tolerance(output, ok):
    assert _score("numeric", output, field="total", reference={"total": 1234.5}, abs_tol=0.05).value == (1.0 if ok else 0.0)


def test_numeric_relative_tolerance_and_json_field():
    assert _score("numeric", '{"amount": 101}', field="a", reference={"a": 100}, rel_tol=0.02, output_field="amount").value == 1.0
    assert _score("numeric", "97", field="a", reference={"a": 100}, rel_tol=0.02).value == 0.0


def test_length_and_format_budgets():
    assert _score("length", "one two three", max_words=3, max_chars=20).value == 1.0
    v = _score("length", "a\nb\nc", max_lines=2)
    assert v.value == 0.0 and "max_lines" in v.detail
    assert _score("format", '{"a": 1}', format="json").value == 1.0
    assert _score("format", "[1]", format="json_array").value == 1.0
    assert _score("format", "a\nb", format="single_line").value == 0.0
    assert _score("format", "## Title\n- item", format="no_markdown").value == 0.0
    assert _score("format", "plain answer.", format="no_markdown").value == 1.0
    with pytest.raises(ConfigError, match="unknown format"):
        _score("format", "x", format="yaml")


def test_latency_and_cost_budgets_read_the_result():
    assert _score("latency_budget", "x", result={"latency_ms": 120.0}, max_ms=200).value == 1.0
    assert _score("latency_budget", "x", result={"latency_ms": 250.0}, max_ms=200).value == 0.0
    assert _score("cost_budget", "x", result={"cost_usd": 0.002}, max_usd=0.001).value == 0.0
    assert _score("cost_budget", "x", result={"cost_usd": None}, max_usd=0.001).value is None


def test_similarity_is_rapidfuzz_ratio():
    ref = "your refund was issued on monday"
    out = "The refund was issued Monday"
    v = _score("similarity", out, field="a", reference={"a": ref}, normalise=False)
    assert v.value == pytest.approx(fuzz.ratio(out, ref) / 100)
    assert 0 < v.value < 1
    v2 = _score("similarity", out, field="a", reference={"a": ref}, method="token_set_ratio", normalise=False)
    assert v2.value == pytest.approx(fuzz.token_set_ratio(out, ref) / 100)
    assert get_scorer("similarity").kind == "graded"


def test_json_schema_inline_and_errors_name_the_path():
    schema = {"type": "object", "required": ["intent"], "properties": {"intent": {"enum": ["billing", "shipping"]}}}
    assert _score("json_schema", 'Here: {"intent": "billing"}', schema=schema).value == 1.0
    v = _score("json_schema", '{"intent": "x"}', schema=schema)
    assert v.value == 0.0 and v.detail.startswith("intent:")
    assert _score("json_schema", "nope", schema=schema).value == 0.0
    with pytest.raises(ConfigError, match="not found"):
        _score("json_schema", "{}", schema="schemas/missing.json")


def test_custom_scorer_with_result_and_out_of_range_value():
    @scorer("test_fast_and_short", kind="binary")
    def fast_and_short(output, case, settings, result):
        return float(len(output) < 10 and result["latency_ms"] < 100)

    assert "test_fast_and_short" in scorer_names()
    assert _score("test_fast_and_short", "ok", result={"latency_ms": 5}).value == 1.0

    @scorer("test_broken")
    def broken(output, case, settings):
        return 3

    with pytest.raises(ConfigError, match="outside"):
        _score("test_broken", "x")
