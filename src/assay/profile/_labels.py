"""Human-readable slice labels: class-based TF-IDF (c-TF-IDF, as in BERTopic) over content words.

All records of a cluster are read as one document. For a term t and cluster c::

    tf(t, c)     = count of t in c / count of all terms in c          (L1 per cluster)
    score(t, c)  = tf(t, c) * log(1 + A / f(t))

where f(t) is the count of t over all clusters and A the mean number of terms per
cluster. A term frequent in one cluster and rare overall scores high.

Before counting, function words of English, German, French, Spanish, Italian,
Portuguese and Dutch and chat courtesy words are dropped (:mod:`._stopwords`): a word
n-gram is kept only when none of its words is one, so "my order" never becomes a term
but "order status" can. Tokens with digits and PII placeholders are skipped. On large
inputs a seeded sample of 60,000 records is counted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from assay.profile._stopwords import STOP_WORDS

_SAMPLE = 60_000
_TOKEN = re.compile(r"(?u)\b[^\W\d_]{3,}\b")


def content_ngrams(text: str, stop_words: frozenset[str] = STOP_WORDS) -> list[str]:
    """Word 1- and 2-grams of ``text`` (lower case) that contain no stop word."""
    words = _TOKEN.findall(text.lower())
    keep = [w not in stop_words for w in words]
    out = [w for w, k in zip(words, keep) if k]
    out += [f"{a} {b}" for a, b, ka, kb in zip(words, words[1:], keep, keep[1:]) if ka and kb]
    return out


def ctfidf(counts: np.ndarray) -> np.ndarray:
    """c-TF-IDF scores from a (clusters × terms) count matrix (see the module docstring)."""
    counts = np.asarray(counts, dtype=np.float64)
    per_cluster = counts.sum(axis=1, keepdims=True)
    tf = counts / np.maximum(per_cluster, 1)
    f_t = counts.sum(axis=0)
    avg = per_cluster.mean()
    idf = np.log1p(avg / np.maximum(f_t, 1))
    return tf * idf


def label_terms(texts: Sequence[str], clusters: np.ndarray, *, n_terms: int = 6, seed: int = 0) -> dict[int, list[str]]:
    """The most distinctive content terms of each cluster id in ``clusters``."""
    n = len(texts)
    idx = np.arange(n)
    if n > _SAMPLE:
        idx = np.sort(np.random.default_rng(seed).choice(n, _SAMPLE, replace=False))
    sample = [texts[i][:2000] for i in idx]
    labels = np.asarray(clusters)[idx]
    ids = np.unique(clusters)
    min_df = 3 if len(sample) > 500 else 1
    vec = CountVectorizer(analyzer=content_ngrams, min_df=min_df)
    try:
        x = vec.fit_transform(sample).tocsr()
    except ValueError:  # empty vocabulary
        return {int(c): [] for c in ids}
    vocab = vec.get_feature_names_out()
    present, row_of = np.unique(labels, return_inverse=True)
    # Cluster × term counts: a sparse indicator (clusters × records) times the records' counts.
    member = sparse.csr_matrix((np.ones(len(labels)), (row_of, np.arange(len(labels)))), shape=(len(present), len(labels)))
    scores = ctfidf((member @ x).toarray())
    out: dict[int, list[str]] = {int(c): [] for c in ids}
    for row, c in enumerate(present):
        score = scores[row]
        picked: list[str] = []
        words: list[set[str]] = []
        for i in np.argsort(-score, kind="stable"):
            if score[i] <= 0 or len(picked) >= n_terms:
                break
            term = str(vocab[i])
            w = set(term.split())
            if any(w <= p or p <= w for p in words):
                continue
            picked.append(term)
            words.append(w)
        out[int(c)] = picked
    return out


def make_label(terms: list[str], strata: list[str]) -> str:
    """``"refund / erstattung / reembolso [locale=de-DE]"``."""
    head = " / ".join(terms[:3]) if terms else "(no distinctive terms)"
    return head + (f" [{' '.join(strata)}]" if strata else "")


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
