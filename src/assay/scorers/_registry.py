"""Scorers, registered by name; the built-ins use the same decorator as user code::

    @scorer("polite", kind="binary")
    def polite(output: str, case: Case, settings: ScorerSettings) -> float | None:
        return 1.0 if "please" in output.lower() else 0.0

A scorer returns a value in [0, 1], or ``None`` when it does not apply to the case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from assay.errors import ConfigError
from assay.project import ScorerSettings
from assay.records import Case

Kind = Literal["binary", "graded", "pairwise"]


@dataclass(frozen=True)
class ScoreValue:
    value: float | None
    detail: str | None = None


ScorerFn = Callable[[str, Case, ScorerSettings], "ScoreValue | float | None"]


@dataclass(frozen=True)
class RegisteredScorer:
    name: str
    kind: Kind
    fn: ScorerFn

    def __call__(self, output: str, case: Case, settings: ScorerSettings) -> ScoreValue:
        out = self.fn(output, case, settings)
        if isinstance(out, ScoreValue):
            return out
        return ScoreValue(None if out is None else float(out))


_SCORERS: dict[str, RegisteredScorer] = {}


def scorer(name: str, *, kind: Kind = "binary") -> Callable[[ScorerFn], ScorerFn]:
    def register(fn: ScorerFn) -> ScorerFn:
        _SCORERS[name] = RegisteredScorer(name, kind, fn)
        return fn

    return register


def scorer_names() -> list[str]:
    return sorted(_SCORERS)


def get_scorer(name: str) -> RegisteredScorer:
    try:
        return _SCORERS[name]
    except KeyError:
        raise ConfigError(f"unknown scorer type {name!r}", field="scorers.type", hint=f"use one of: {', '.join(scorer_names())}") from None
