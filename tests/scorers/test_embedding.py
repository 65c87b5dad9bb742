"""The embedding_similarity scorer: cosine checked against scikit-learn, batching, the
store cache, the default embedder, and MiniLM ranking paraphrases above unrelated text.
All texts here are synthetic."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
from sklearn.metrics.pairwise import cosine_similarity
from sqlalchemy import func, select

from assay.errors import ConfigError
from assay.profile import embedder
from assay.project import ScorerSettings
from assay.records import Case, Message
from assay.scorers import get_scorer
from assay.scorers._embedding import choose_embedder, cosine_rows, minilm_installed
from assay.store._schema import embeddings

CALLS: list[int] = []


@embedder("test-hashed-words")
class HashedWords:
    """A deterministic bag-of-hashed-words embedder (not normalised, some negative weights)."""

    name = "test-hashed-words"

    def __init__(self, dim: int = 16) -> None:
        self.dim = dim

    def fit(self, texts):
        return self

    def transform(self, texts):
        CALLS.append(len(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                h = int(hashlib.sha256(w.encode()).hexdigest(), 16)
                out[i, h % self.dim] += 1.0 if (h >> 8) % 2 else -1.0
        return out

    def fingerprint(self):
        return f"test-hashed-words-{self.dim}"


def _case(i: int, reference) -> Case:
    return Case(id=f"c{i}", set_name="v1", split="dev", record_ids=["r"], slice_id="t00", weight=0.1,
                messages=[Message(role="user", content="hi")], reference=reference)


def _run(outputs, references, **params):
    cases = {f"c{i}": _case(i, None if ref is None else {"answer": ref}) for i, ref in enumerate(references)}
    items = [{"run_id": "r", "candidate": "x", "case_id": f"c{i}", "epoch": 0, "output": o} for i, o in enumerate(outputs)]
    cfg = ScorerSettings(name="sim", type="embedding_similarity", params=params)
    sc = get_scorer("embedding_similarity")
    assert sc.run_level and sc.kind == "graded"
    return {r["case_id"]: v for r, v in sc.fn(items, cases, cfg, None)}


OUTS = ["your refund was sent today", "the parcel left the depot", "reset the password from the login page",
        "totally unrelated words here", "refund refund refund"]
REFS = ["we sent the refund today", "your parcel has left our depot", "use the login page to reset your password",
        "order status is shipped", "no refund possible"]


def _opposite_words() -> tuple[str, str]:
    """Two words that land on one dimension with opposite signs: a pair of cosine -1."""
    emb, words = HashedWords(), [f"w{i}" for i in range(100)]
    vecs = emb.transform(words)
    for i in range(len(words)):
        for j in range(i):
            if cosine_similarity(vecs[i : i + 1], vecs[j : j + 1])[0, 0] < -0.99:
                return words[i], words[j]
    raise AssertionError("no opposite pair")


def test_cosine_matches_sklearn_and_is_clipped():
    a, b = _opposite_words()
    outs, refs = OUTS + [a], REFS + [b]
    CALLS.clear()
    got = _run(outs, refs, embedder="test-hashed-words")
    calls = list(CALLS)
    emb = HashedWords()
    want = np.diag(cosine_similarity(emb.transform(outs), emb.transform(refs)))
    assert any(w < 0 for w in want)  # the reference has negative cosines; the scorer clips them
    for i, w in enumerate(want):
        assert got[f"c{i}"].value == pytest.approx(min(1.0, max(0.0, w)), abs=1e-6)
    assert calls == [len(set(outs) | set(refs))]  # one batch of distinct texts for the whole run


def test_cosine_rows_against_sklearn():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(20, 7)), rng.normal(size=(20, 7))
    np.testing.assert_allclose(cosine_rows(a, b), np.diag(cosine_similarity(a, b)), atol=1e-12)
    assert cosine_rows(np.zeros((1, 3)), np.ones((1, 3)))[0] == 0.0


def test_not_applicable_empty_and_output_field():
    got = _run(["", "x", '{"summary": "we sent the refund today"}'], ["ref", None, "we sent the refund today"],
               embedder="test-hashed-words", output_field="summary")
    assert "c1" not in got  # no reference: not applicable
    assert got["c0"].value == 0.0  # '' has no JSON field
    assert got["c2"].value == pytest.approx(1.0)
    got = _run(["  "], ["something"], embedder="test-hashed-words")
    assert got["c0"].value == 0.0 and got["c0"].detail == "empty answer"


def test_reference_that_is_not_text_is_embedded_as_json():
    got = _run([json.dumps({"a": 1}, sort_keys=True)], [{"a": 1}], embedder="test-hashed-words")
    assert got["c0"].value == pytest.approx(1.0)


def test_unknown_embedder_names_the_field():
    with pytest.raises(ConfigError, match=r"scorers\.sim\.params\.embedder.*unknown embedder"):
        _run(["a"], ["b"], embedder="nope")


def test_tfidf_fits_on_the_run_texts():
    outs = [f"refund for order {i} was sent to your card" for i in range(6)] + ["the weather is sunny and warm"]
    refs = [f"we sent the refund for order {i} to your card" for i in range(6)] + ["we sent the refund to your card"]
    got = _run(outs, refs, embedder="tfidf", embedder_options={"dim": 4})
    assert min(got[f"c{i}"].value for i in range(6)) > got["c6"].value


def test_default_embedder(recorded_project):
    cfg = ScorerSettings(name="sim", type="embedding_similarity")
    assert choose_embedder(cfg, recorded_project) == ("minilm" if minilm_installed() else "tfidf", {})
    recorded_project.config.profile.embedder = "openai"
    recorded_project.config.profile.embedder_options = {"base_url": "http://127.0.0.1:9/v1"}
    assert choose_embedder(cfg, recorded_project) == ("openai", {"base_url": "http://127.0.0.1:9/v1"})
    cfg = ScorerSettings(name="sim", type="embedding_similarity", params={"embedder": "tfidf"})
    assert choose_embedder(cfg, recorded_project) == ("tfidf", {})


needs_minilm = pytest.mark.skipif(not minilm_installed(), reason="extra `minilm` not installed")


@needs_minilm
def test_minilm_paraphrase_beats_unrelated_and_vectors_are_cached(recorded_project):
    ref = "Your refund has been issued and should reach your card within five days."
    para = "We have sent your money back; it will be on your card in about 5 days."
    unrelated = "The museum opens at nine and closes at six on weekdays."
    cases = {"c0": _case(0, {"answer": ref}), "c1": _case(1, {"answer": ref})}
    items = [{"case_id": "c0", "output": para, "candidate": "a", "epoch": 0},
             {"case_id": "c1", "output": unrelated, "candidate": "a", "epoch": 0}]
    cfg = ScorerSettings(name="sim", type="embedding_similarity", params={"embedder": "minilm"})
    got = {r["case_id"]: v.value for r, v in get_scorer("embedding_similarity").fn(items, cases, cfg, recorded_project)}
    assert got["c0"] > 0.6 > 0.2 > got["c1"]
    store = recorded_project.open_store()
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(embeddings)).scalar() == 3  # ref once, two answers
    store.close()


def test_scores_a_whole_run_through_the_registry(recorded_project):
    from assay.project import load_project
    from assay.run import run
    from assay.store._schema import scores

    path = recorded_project.root / "assay.yaml"
    path.write_text(path.read_text().replace(
        "  - {name: intent, type: exact_match, field: intent}",
        "  - {name: intent, type: exact_match, field: intent}\n"
        "  - {name: close, type: embedding_similarity, field: intent, params: {embedder: test-hashed-words}}"))
    project = load_project(recorded_project.root)
    CALLS.clear()
    s = run(project, "v1")
    assert s.scores["close"] == s.scores["intent"] == 24
    assert len(CALLS) == 1  # the whole run in one batch
    store = project.open_store()
    with store.read() as conn:
        rows = conn.execute(select(scores.c.case_id, scores.c.scorer, scores.c.value, scores.c.kind)).all()
    store.close()
    exact = {c: v for c, sc, v, _ in rows if sc == "intent"}
    for case_id, sc, value, kind in rows:
        if sc == "close":
            assert kind == "graded" and 0.0 <= value <= 1.0
            if exact[case_id] == 1.0:
                assert value == pytest.approx(1.0)
