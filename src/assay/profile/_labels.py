"""Human-readable slice labels: terms that are frequent in a slice *and* rare elsewhere.

For a term t and cluster c, with df_c(t) the share of the cluster's records containing
t and x_c(t) the share of all records containing t that lie in c (exclusivity)::

    score(t, c) = df_c(t) * x_c(t)

Function words ("the", "ich", "el") are frequent but spread over every cluster of their
language, so their exclusivity is low; "Rückerstattung" lies almost only in the refund
cluster. Tokens with digits and PII placeholders are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

_SAMPLE = 60_000
_TOKEN = r"(?u)\b[^\W\d_]{3,}\b"


def label_terms(texts: Sequence[str], clusters: np.ndarray, *, n_terms: int = 6, seed: int = 0) -> dict[int, list[str]]:
    """The most distinctive terms of each cluster id in ``clusters``."""
    n = len(texts)
    idx = np.arange(n)
    if n > _SAMPLE:
        idx = np.sort(np.random.default_rng(seed).choice(n, _SAMPLE, replace=False))
    sample = [texts[i][:2000] for i in idx]
    labels = clusters[idx]
    min_df = 3 if len(sample) > 500 else 1
    vec = CountVectorizer(ngram_range=(1, 2), min_df=min_df, binary=True, token_pattern=_TOKEN, lowercase=True)
    try:
        x = vec.fit_transform(sample).tocsc().astype(np.float32)
    except ValueError:  # empty vocabulary
        return {int(c): [] for c in np.unique(clusters)}
    vocab = vec.get_feature_names_out()
    total = np.asarray(x.sum(axis=0)).ravel()
    out: dict[int, list[str]] = {}
    xr = x.tocsr()
    for c in np.unique(clusters):
        mask = labels == c
        if not mask.any():
            out[int(c)] = []
            continue
        in_c = np.asarray(xr[mask].sum(axis=0)).ravel()
        score = (in_c / mask.sum()) * (in_c / np.maximum(total, 1))
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
