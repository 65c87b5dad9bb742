"""Non-LLM baseline for the support-desk example: no model weights, no network.

Triage: TF-IDF over character n-grams of last month's labelled tickets
(``data/labelled/train.jsonl``) and a 5-nearest-neighbour vote by cosine similarity.
Extraction: regular expressions for the order id and the amount, and the product
names seen in last month's labels. Used as ``provider: python, target: baseline:answer``.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

HERE = Path(__file__).resolve().parent
TRAIN = HERE / "data" / "labelled" / "train.jsonl"
_ORDER = re.compile(r"\b[A-Z]{1,3}-\d{4,8}\b")
_AMOUNT = re.compile(r"(?:[$€£]\s?)?(\d{1,5}(?:[.,]\d{3})*(?:[.,]\d{2}))\s?(?:€|EUR|USD|GBP|R\$|\$|£)?")


class _Model:
    def __init__(self, train_path: Path) -> None:
        rows = [json.loads(line) for line in train_path.read_text(encoding="utf-8").splitlines() if line.strip()]
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2)
        self.matrix = normalize(self.vectorizer.fit_transform([r["text"] for r in rows]))
        self.labels = np.array([r["intent"] for r in rows])
        products = {r["extraction"]["product"] for r in rows if r.get("extraction") and r["extraction"].get("product")}
        self.products = sorted(products, key=len, reverse=True)

    def intent(self, text: str, k: int = 5) -> str:
        sims = (self.matrix @ normalize(self.vectorizer.transform([text])).T).toarray().ravel()
        top = np.argsort(-sims)[:k]
        votes = Counter()
        for i in top:
            votes[self.labels[i]] += float(sims[i])
        return votes.most_common(1)[0][0]

    def extract(self, text: str) -> dict:
        order = _ORDER.search(text)
        amount = None
        for m in _AMOUNT.finditer(text):
            raw = m.group(1)
            if order and raw in order.group(0):
                continue
            # "1.299,00" / "49,99" (comma decimals) and "1,299.00" / "49.99"
            if re.search(r",\d{2}$", raw):
                raw = raw.replace(".", "").replace(",", ".")
            else:
                raw = raw.replace(",", "")
            amount = float(raw)
            break
        lowered = text.lower()
        product = next((p for p in self.products if p.lower() in lowered), None)
        return {"order_id": order.group(0) if order else None, "product": product, "amount": amount}


_model: _Model | None = None
_lock = threading.Lock()


def _get() -> _Model:
    global _model
    with _lock:
        if _model is None:
            _model = _Model(TRAIN)
        return _model


def answer(case) -> str:
    """Answer one case the way the production assistant is asked to."""
    text = next((m.content for m in reversed(case.messages) if m.role == "user"), "")
    model = _get()
    if case.metadata.get("feature") == "extract":
        return json.dumps(model.extract(text))
    return model.intent("\n".join(m.content for m in case.messages if m.role == "user"))
