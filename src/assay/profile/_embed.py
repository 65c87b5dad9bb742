"""Embedders: text -> vectors, with the scikit-learn ``fit``/``transform`` shape.

The default needs no model download: TF-IDF over word 1-2 grams, reduced by truncated
SVD (latent semantic analysis) and L2-normalised, so cosine distance is a dot product.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from assay.errors import AssayError

MAX_CHARS = 2000


class TfidfSvdEmbedder:
    """LSA embedding. ``vectorizer_`` and ``svd_`` are set by :meth:`fit`."""

    def __init__(self, dim: int = 96, max_features: int = 50_000, seed: int = 0) -> None:
        self.dim = dim
        self.max_features = max_features
        self.seed = seed

    def fit(self, texts: Sequence[str]) -> "TfidfSvdEmbedder":
        self.vectorizer_ = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, max_features=self.max_features, sublinear_tf=True, strip_accents=None
        )
        tfidf = self.vectorizer_.fit_transform([t[:MAX_CHARS] for t in texts])
        dim = max(2, min(self.dim, tfidf.shape[1] - 1, tfidf.shape[0] - 1))
        self.svd_ = TruncatedSVD(n_components=dim, random_state=self.seed).fit(tfidf)
        return self

    def _check(self) -> None:
        if not hasattr(self, "svd_"):
            raise AssayError("this embedder is not fitted yet; call fit() first")

    def tfidf(self, texts: Sequence[str]):  # -> scipy.sparse matrix
        self._check()
        return self.vectorizer_.transform([t[:MAX_CHARS] for t in texts])

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        self._check()
        return normalize(self.svd_.transform(self.tfidf(texts))).astype(np.float32)

    def fit_transform(self, texts: Sequence[str]) -> np.ndarray:
        return self.fit(texts).transform(texts)
