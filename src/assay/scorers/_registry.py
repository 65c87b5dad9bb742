"""Scorers, registered by name; the built-ins use the same decorator as user code::

    @scorer("polite", kind="binary")
    def polite(output: str, case: Case, settings: ScorerSettings) -> float | None:
        return 1.0 if "please" in output.lower() else 0.0

A scorer returns a value in [0, 1], or ``None`` when it does not apply to the case.
It may also ask for more by naming extra keyword parameters, which are then passed:

- ``result``: the stored result row (``latency_ms``, ``cost_usd``, ``tokens_out``, ...);
- ``project``: the :class:`~assay.project.Project` (to read files next to assay.yaml);
- ``baseline``: for ``kind="pairwise"``, the baseline candidate's output for the same
  case and epoch (1 = this answer is better, 0 = worse, 0.5 = tie).

Scorers that need the whole run at once (LLM judges) register with ``run_level=True``
and take ``(items, settings, project)``; see ``_judge``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from assay.errors import ConfigError
from assay.project import ScorerSettings
from assay.records import Case

Kind = Literal["binary", "graded", "pairwise"]
_EXTRAS = ("result", "project", "baseline")


@dataclass(frozen=True)
class ScoreValue:
    """A score in [0, 1] (None: not applicable), why, and optionally its kind for this row."""

    value: float | None
    detail: str | None = None
    kind: Kind | None = None


ScorerFn = Callable[..., "ScoreValue | float | None"]


@dataclass(frozen=True)
class RegisteredScorer:
    name: str
    kind: Kind
    fn: ScorerFn
    run_level: bool = False
    wants: frozenset[str] = field(default_factory=frozenset)

    def __call__(self, output: str, case: Case, settings: ScorerSettings, **extra: Any) -> ScoreValue:
        out = self.fn(output, case, settings, **{k: v for k, v in extra.items() if k in self.wants})
        if isinstance(out, ScoreValue):
            value = out
        else:
            value = ScoreValue(None if out is None else float(out))
        if value.value is not None and not 0.0 <= value.value <= 1.0:
            raise ConfigError(f"scorer {self.name!r} returned {value.value}, outside [0, 1]", field=f"scorers.{settings.name}")
        return value


_SCORERS: dict[str, RegisteredScorer] = {}


def scorer(name: str, *, kind: Kind = "binary", run_level: bool = False) -> Callable[[ScorerFn], ScorerFn]:
    """Register ``fn`` as the scorer type ``name`` (used as ``type:`` in assay.yaml)."""

    def register(fn: ScorerFn) -> ScorerFn:
        params = inspect.signature(fn).parameters
        wants = frozenset(p for p in _EXTRAS if p in params)
        _SCORERS[name] = RegisteredScorer(name, kind, fn, run_level, wants)
        return fn

    return register


def scorer_names() -> list[str]:
    return sorted(_SCORERS)


def get_scorer(name: str) -> RegisteredScorer:
    try:
        return _SCORERS[name]
    except KeyError:
        raise ConfigError(f"unknown scorer type {name!r}", field="scorers.type", hint=f"use one of: {', '.join(scorer_names())}") from None
