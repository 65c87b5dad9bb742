"""Tests for examples/support-desk/generate.py (the synthetic support-desk data generator)."""

from __future__ import annotations

import collections
import hashlib
import importlib.util
import json
import re
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parents[2] / "examples" / "support-desk" / "generate.py"
N = 3000
FILES = [
    "logs/support-2026-10.jsonl",
    "labelled/train.jsonl",
    "sets/demo_prompts.jsonl",
    "sets/public_benchmark_sample.jsonl",
]

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CARD_RE = re.compile(r"\b(?:\d{4}[ -]){3}\d{4}\b")
PHONE_RE = re.compile(
    r"\+\d{1,3} ?\d{1,4}[ \d-]{5,}\d"  # +49 30 1234567, +44 20 7946 0958, +1 415-555-0132
    r"|\(\d{2,3}\) ?\d{3,5}-\d{4}"  # (415) 555-0132, (11) 91234-5678
    r"|\b\d{3}-\d{3}-\d{4}\b"  # 415-555-0132
    r"|\b0\d{2,4} \d{6,8}\b"  # 0170 1234567, 07700 900123
    r"|\b0\d(?: \d{2}){4}\b"  # 06 12 34 56 78
    r"|\b6\d{2} \d{3} \d{3}\b"  # 612 345 678
)


def _load_module():
    spec = importlib.util.spec_from_file_location("support_desk_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen():
    return _load_module()


@pytest.fixture(scope="module")
def out(gen, tmp_path_factory):
    d = tmp_path_factory.mktemp("sd-a")
    counts = gen.generate(d, n_records=N, seed=7)
    assert counts["records"] == N
    return d


def _digest(d: Path) -> dict:
    return {f: hashlib.sha256((d / f).read_bytes()).hexdigest() for f in FILES}


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]  # every line must be valid JSON


@pytest.fixture(scope="module")
def records(out):
    return _rows(out / FILES[0])


def _user_text(rec: dict) -> str:
    return "\n".join(m["content"] for m in rec["messages"] if m["role"] == "user")


def test_same_seed_is_byte_identical(gen, out, tmp_path):
    gen.generate(tmp_path, n_records=N, seed=7)
    assert _digest(tmp_path) == _digest(out)


def test_other_seed_differs(gen, out, tmp_path):
    gen.generate(tmp_path, n_records=N, seed=8)
    a, b = _digest(out), _digest(tmp_path)
    assert a[FILES[0]] != b[FILES[0]]
    assert a[FILES[1]] != b[FILES[1]]


def test_every_line_is_json_with_expected_fields(out, records):
    for f in FILES:
        assert _rows(out / f)
    assert len(records) == N
    keys = ["id", "ts", "model", "feature", "messages", "output", "latency_ms", "tokens_in",
            "tokens_out", "metadata", "feedback", "labels"]
    for rec in records:
        assert list(rec) == keys
        assert rec["feature"] in ("triage", "extract")
        assert rec["messages"][0]["role"] == "system"
        assert rec["messages"][-1]["role"] == "user"
        assert rec["ts"].startswith("2026-10-")
    assert [r["ts"] for r in records] == sorted(r["ts"] for r in records)
    assert len({r["id"] for r in records}) == N


def test_intent_distribution(records):
    labelled = [r["labels"]["intent"] for r in records if r["labels"]]
    counts = collections.Counter(labelled)
    assert len(counts) >= 25
    top_share = counts.most_common(1)[0][1] / len(labelled)
    assert 0.12 <= top_share <= 0.35


def test_locales(records):
    non_en = sum(not r["metadata"]["locale"].startswith("en") for r in records) / N
    assert non_en >= 0.13


def test_pii_share(records):
    pii = sum(bool(EMAIL_RE.search(t) or CARD_RE.search(t) or PHONE_RE.search(t))
              for t in map(_user_text, records)) / N
    assert 0.06 <= pii <= 0.15


def test_cards_are_luhn_valid(gen, records):
    cards = [m.group(0) for r in records for m in CARD_RE.finditer(_user_text(r))]
    assert cards
    assert all(gen.luhn_valid(c) for c in cards)


def test_multi_turn_and_long_inputs(records):
    multi = sum(sum(m["role"] == "user" for m in r["messages"]) > 1 for r in records)
    assert 0.15 * N <= multi <= 0.35 * N
    long_ = [len(r["messages"][-1]["content"]) for r in records if len(_user_text(r)) > 1500]
    assert len(long_) >= 0.01 * N
    assert max(long_) <= 6000


def test_labels_share(records):
    share = sum(r["labels"] is not None for r in records) / N
    assert 0.20 <= share <= 0.40


def test_extract_labels_match_text(gen, records):
    extract = [r for r in records if r["feature"] == "extract"]
    assert extract
    labelled = [r for r in extract if r["labels"]]
    assert labelled
    for r in labelled:
        ex = r["labels"]["extraction"]
        assert set(ex) == {"order_id", "product", "amount"}
        last = r["messages"][-1]["content"]
        if ex["order_id"] is not None:
            assert ex["order_id"] in last
        if ex["product"] is not None:
            assert ex["product"] in gen.PRODUCTS
            assert ex["product"].lower() in last.lower()
        if ex["amount"] is not None:
            assert isinstance(ex["amount"], float)
    for r in records:
        if r["labels"] and r["feature"] == "triage":
            assert r["labels"]["extraction"] is None


def test_demo_set_is_cherry_picked(out, records):
    demo = _rows(out / "sets" / "demo_prompts.jsonl")
    assert len(demo) == 40
    assert len({d["intent"] for d in demo}) == 3
    labelled = collections.Counter(r["labels"]["intent"] for r in records if r["labels"])
    top3 = {i for i, _ in labelled.most_common(3)}
    assert {d["intent"] for d in demo} == top3
    for d in demo:
        text = d["input"]
        assert text.isascii() and len(text) < 200
        assert not (EMAIL_RE.search(text) or CARD_RE.search(text) or PHONE_RE.search(text))


def test_benchmark_and_train_sets(out):
    bench = _rows(out / "sets" / "public_benchmark_sample.jsonl")
    assert len(bench) == 60
    assert {b["answer"] for b in bench} == set("ABCD")
    for b in bench:
        assert f"\n{b['answer']}) " in b["input"]
    train = _rows(out / "labelled" / "train.jsonl")
    assert len(train) == 1500
    for t in train:
        assert set(t) == {"text", "locale", "intent", "feature", "extraction"}


def test_templates_cover_every_intent_and_language(gen):
    assert len(gen.INTENTS) == 30 == len(set(gen.INTENTS_BY_RANK))
    for intent in gen.INTENTS:
        for lang in ("en", "de", "es", "fr", "pt"):
            assert len(gen.TEMPLATES[intent][lang]) >= 4, (intent, lang)
    for intent in gen.EXTRACT_INTENTS:
        for lang in ("en", "de", "es", "fr", "pt"):
            # extract records that lack a field need a template without it
            assert any(not (gen._slots_of(t) & set(gen.OPA)) for t in gen.TEMPLATES[intent][lang])
