"""Embedders: text -> vectors, with the scikit-learn ``fit``/``transform`` shape.

Every embedder is registered by name (``@embedder("tfidf")``) and built with
:func:`make_embedder`; the built-ins go through the same registry as user code.

- ``tfidf`` (default, no download): TF-IDF over word 1-2 grams, reduced by truncated
  SVD (latent semantic analysis) and L2-normalised, so cosine distance is a dot
  product. It is *fitted on the traffic*: on large inputs the vocabulary and the SVD
  are learned from a seeded sample of ``fit_sample`` texts and every text is then
  transformed in chunks, which keeps memory flat.
- ``minilm`` (extra ``minilm``): the packaged all-MiniLM-L6-v2 sentence encoder.
- ``openai``: any OpenAI-compatible ``/embeddings`` endpoint.

Pretrained embedders (``minilm``, ``openai``) give the same vector for the same text
every time, so :class:`CachedEmbedder` keeps their vectors in the store by content hash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from assay.errors import AssayError

MAX_CHARS = 2000
_CHUNK = 20_000


@runtime_checkable
class Embedder(Protocol):
    """What the profile needs from an embedder. ``fit`` returns ``self``."""

    name: str

    def fit(self, texts: Sequence[str]) -> "Embedder": ...

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 rows, one per text."""
        ...

    def fingerprint(self) -> str:
        """Identity of the fitted embedder: equal fingerprints give equal vectors for a text."""
        ...


_REGISTRY: dict[str, Callable[..., Embedder]] = {}


def embedder(name: str) -> Callable[[Callable[..., Embedder]], Callable[..., Embedder]]:
    """Register an embedder class or factory under ``name`` (built-ins use this too)."""

    def deco(factory: Callable[..., Embedder]) -> Callable[..., Embedder]:
        _REGISTRY[name] = factory
        return factory

    return deco


def embedder_names() -> list[str]:
    return sorted(_REGISTRY)


def embedder_factory(name: str) -> Callable[..., Embedder] | None:
    """The class or factory registered as ``name`` (None when unknown)."""
    return _REGISTRY.get(name)


def make_embedder(name: str, **options: Any) -> Embedder:
    """Build the embedder registered as ``name`` with its options."""
    if name not in _REGISTRY:
        raise AssayError(
            f"unknown embedder {name!r}; expected one of: {', '.join(embedder_names())}",
            hint="set profile.embedder in assay.yaml to a registered name",
        )
    return _REGISTRY[name](**options)


def _clip(texts: Sequence[str]) -> list[str]:
    return [t[:MAX_CHARS] for t in texts]


def chunks(n: int, size: int = _CHUNK) -> Iterator[slice]:
    for start in range(0, n, size):
        yield slice(start, min(n, start + size))


@embedder("tfidf")
class TfidfSvdEmbedder:
    """LSA embedding. ``vectorizer_`` and ``svd_`` are set by :meth:`fit`."""

    name = "tfidf"

    def __init__(self, dim: int = 96, max_features: int = 50_000, seed: int = 0, fit_sample: int = 60_000) -> None:
        self.dim = dim
        self.max_features = max_features
        self.seed = seed
        self.fit_sample = fit_sample

    def fit(self, texts: Sequence[str]) -> "TfidfSvdEmbedder":
        if len(texts) > self.fit_sample:
            idx = np.sort(np.random.default_rng(self.seed).choice(len(texts), self.fit_sample, replace=False))
            texts = [texts[i] for i in idx]
        self.vectorizer_ = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, max_features=self.max_features, sublinear_tf=True, dtype=np.float32
        )
        tfidf = self.vectorizer_.fit_transform(_clip(texts))
        # stop_words_ holds every pruned term: large and useless once fitted.
        self.vectorizer_.stop_words_ = None
        dim = max(2, min(self.dim, tfidf.shape[1] - 1, tfidf.shape[0] - 1))
        self.svd_ = TruncatedSVD(n_components=dim, random_state=self.seed).fit(tfidf)
        return self

    def _check(self) -> None:
        if not hasattr(self, "svd_"):
            raise AssayError("this embedder is not fitted yet; call fit() first")

    def tfidf(self, texts: Sequence[str]):  # -> scipy.sparse matrix
        self._check()
        return self.vectorizer_.transform(_clip(texts))

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        self._check()
        out = np.empty((len(texts), self.svd_.n_components), dtype=np.float32)
        for part in chunks(len(texts)):
            out[part] = self.svd_.transform(self.tfidf(texts[part]))
        return normalize(out).astype(np.float32, copy=False)

    def fit_transform(self, texts: Sequence[str]) -> np.ndarray:
        return self.fit(texts).transform(texts)

    def vocabulary(self) -> np.ndarray:
        self._check()
        return self.vectorizer_.get_feature_names_out()

    def get_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """JSON parameters and numpy arrays that rebuild this fitted embedder (no pickle)."""
        self._check()
        vocab = self.vectorizer_.vocabulary_
        terms = [""] * len(vocab)
        for term, i in vocab.items():
            terms[i] = term
        params = {"dim": self.dim, "max_features": self.max_features, "seed": self.seed,
                  "fit_sample": self.fit_sample, "vocabulary": terms}
        return params, {"idf": np.asarray(self.vectorizer_.idf_), "components": self.svd_.components_}

    @classmethod
    def from_state(cls, params: dict[str, Any], arrays: dict[str, np.ndarray]) -> "TfidfSvdEmbedder":
        """Rebuild from :meth:`get_state`; gives the same vectors and fingerprint."""
        params = dict(params)
        terms = params.pop("vocabulary")
        emb = cls(**params)
        emb.vectorizer_ = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, max_features=emb.max_features, sublinear_tf=True, dtype=np.float32,
            vocabulary={t: i for i, t in enumerate(terms)},
        )
        emb.vectorizer_.idf_ = arrays["idf"]
        components = arrays["components"]
        emb.svd_ = TruncatedSVD(n_components=components.shape[0], random_state=emb.seed)
        emb.svd_.components_ = components
        emb.svd_.n_features_in_ = components.shape[1]
        return emb

    def fingerprint(self) -> str:
        self._check()
        import hashlib

        h = hashlib.sha256(self.svd_.components_.tobytes())
        return f"tfidf-{self.svd_.n_components}-{h.hexdigest()[:16]}"
