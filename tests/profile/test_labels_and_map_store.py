"""c-TF-IDF slice labels without function words, and the fitted map kept in the store."""

from __future__ import annotations

import pickle
import re

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer
from sqlalchemy import select

from assay.errors import NotFoundError
from assay.profile import load_profile, load_traffic_map
from assay.profile._labels import content_ngrams, ctfidf, label_terms
from assay.profile._map import map_path
from assay.profile._mapstore import FORMAT, map_from_bytes, map_to_bytes
from assay.profile._stopwords import STOP_WORDS
from assay.store._schema import profile_models

# SYNTHETIC multilingual tickets: three topics in five languages, function words everywhere.
TOPICS = {
    "refund": ["where is my refund for the order {i} it is late", "ich warte auf die rückerstattung für die bestellung {i}",
               "je voudrais le remboursement de la commande {i}", "quiero el reembolso de mi pedido {i} por favor",
               "eu quero o reembolso do meu pedido {i} por favor"],
    "password": ["i cannot reset my password on the app {i}", "ich kann das passwort nicht zurücksetzen {i}",
                 "je ne peux pas changer le mot de passe {i}", "no puedo cambiar la contraseña de la cuenta {i}",
                 "não consigo mudar a senha da conta {i}"],
    "delivery": ["the parcel {i} was never delivered to the address", "das paket {i} wurde nicht an die adresse geliefert",
                 "le colis {i} n'est pas arrivé à l'adresse", "el paquete {i} no ha llegado a la dirección",
                 "o pacote {i} não chegou no endereço"],
}


def _corpus():
    texts, clusters = [], []
    for i in range(30):
        for t, (topic, lines) in enumerate(TOPICS.items()):
            for lang, line in enumerate(lines):
                texts.append(line.format(i=i))
                clusters.append(t * 5 + lang)  # one cluster per topic and language, as the embedder makes them
    return texts, np.array(clusters)


def test_ctfidf_matches_the_formula_on_a_hand_computed_example():
    counts = np.array([[3, 1, 0], [0, 1, 4]])
    # tf: row / row sum; A = mean row sum = 4.5; f = column sums = [3, 2, 4]
    want = np.array([[0.75 * np.log(1 + 4.5 / 3), 0.25 * np.log(1 + 4.5 / 2), 0.0],
                     [0.0, 0.2 * np.log(1 + 4.5 / 2), 0.8 * np.log(1 + 4.5 / 4)]])
    assert np.allclose(ctfidf(counts), want)
    # and equals BERTopic's construction from scikit-learn parts: L1-normalised tf times log(1 + A / f)
    from sklearn.preprocessing import normalize

    ref = normalize(counts.astype(float), norm="l1") * np.log(1 + counts.sum(axis=1).mean() / counts.sum(axis=0))
    assert np.allclose(ctfidf(counts), ref)


def test_ngrams_drop_stop_words_but_keep_content_bigrams():
    assert content_ngrams("Where is my order status, please?") == ["order", "status", "order status"]
    assert {"der", "die", "und", "les", "pour", "que", "para", "het", "della", "não"} <= STOP_WORDS
    assert not {"bestellung", "commande", "pedido", "refund", "paquete"} & STOP_WORDS


def test_multilingual_labels_are_content_words():
    texts, clusters = _corpus()
    terms = label_terms(texts, clusters, n_terms=6)
    want = {0: "refund", 1: "rückerstattung", 2: "remboursement", 3: "reembolso", 4: "reembolso",
            5: "password", 6: "passwort", 7: "passe", 8: "contraseña", 9: "senha",
            10: "parcel", 11: "paket", 12: "colis", 13: "paquete", 14: "pacote"}
    for c, word in want.items():
        assert any(word in t.split() for t in terms[c]), (c, terms[c])
    for c, ts in terms.items():
        words = {w for t in ts for w in t.split()}
        assert words and not words & STOP_WORDS, (c, ts)
    # The corpus is full of function words, so the check above can fail.
    vocab = CountVectorizer(token_pattern=r"(?u)\b[^\W\d_]{3,}\b").fit(texts).vocabulary_
    assert {"die", "por", "não", "the", "das", "pas"} <= set(vocab)


def test_fitted_map_round_trips_through_the_store(recorded_project):
    with recorded_project.open_store() as store:
        prof = load_profile(store)
        with store.read() as conn:
            fmt, blob = conn.execute(select(profile_models.c.format, profile_models.c.blob)).one()
        assert fmt == FORMAT  # written on profile, in the format without pickle
        assert not map_path(recorded_project.state_dir, prof.id).exists()
        tmap = load_traffic_map(recorded_project, prof.id, store=store)
    texts = ["where is my parcel", "refund please", "something else entirely"]
    again = map_from_bytes(*map_to_bytes(tmap))
    assert again.embedder.fingerprint() == tmap.embedder.fingerprint()
    assert np.array_equal(again.embedder.transform(texts), tmap.embedder.transform(texts))
    assert again.slice_ids == tmap.slice_ids and again.nn_threshold == tmap.nn_threshold
    assert again.assign(texts)[0] == tmap.assign(texts)[0]
    with np.load(__import__("io").BytesIO(map_to_bytes(tmap)[1]), allow_pickle=False) as z:
        assert "emb_pickle" not in z.files  # the built-in embedder needs no pickle


def test_old_projects_fall_back_to_the_pickle_file(recorded_project):
    with recorded_project.open_store() as store:
        prof = load_profile(store)
        tmap = load_traffic_map(recorded_project, prof.id, store=store)
        with store.write() as conn:
            conn.execute(profile_models.delete())
        with pytest.raises(NotFoundError, match=re.escape(prof.id)):
            load_traffic_map(recorded_project, prof.id, store=store)
        path = map_path(recorded_project.state_dir, prof.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(tmap))
        old = load_traffic_map(recorded_project, prof.id, store=store)
    assert old.embedder.fingerprint() == tmap.embedder.fingerprint() and old.slice_ids == tmap.slice_ids
