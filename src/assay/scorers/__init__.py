"""Scorers: task checks registered by name (the built-ins use the same registry)."""

from assay.scorers import _builtin  # noqa: F401  (register the built-ins)
from assay.scorers._builtin import extract_json, normalise
from assay.scorers._registry import RegisteredScorer, ScoreValue, get_scorer, scorer, scorer_names
from assay.scorers._score import applies, score_run

__all__ = [
    "RegisteredScorer",
    "ScoreValue",
    "applies",
    "extract_json",
    "get_scorer",
    "normalise",
    "score_run",
    "scorer",
    "scorer_names",
]
