"""Apply the project's scorers to a run's results and store the scores."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import delete, insert, select

from assay.errors import ConfigError
from assay.project import Project, ScorerSettings
from assay.records import Case
from assay.scorers._registry import RegisteredScorer, ScoreValue, get_scorer
from assay.store import Store
from assay.store._schema import results, runs, scores


def applies(settings: ScorerSettings, case: Case) -> bool:
    return all(case.metadata.get(k) == v for k, v in settings.when.items())


def baseline_name(project: Project, settings: ScorerSettings, candidates: list[str]) -> str:
    """The candidate a pairwise scorer compares against: ``params.baseline`` or the incumbent."""
    name = settings.params.get("baseline") or (project.incumbent.name if project.incumbent else None)
    if not name:
        raise ConfigError(
            f"pairwise scorer {settings.name!r} needs a baseline",
            field=f"scorers.{settings.name}.params.baseline",
            hint="set params.baseline: <candidate>, or mark one candidate `incumbent: true`",
        )
    if name not in candidates:
        raise ConfigError(f"baseline {name!r} of scorer {settings.name!r} is not in this run ({', '.join(candidates)})",
                          field=f"scorers.{settings.name}.params.baseline")
    return str(name)


def _row(r: dict[str, Any], settings: ScorerSettings, sc: RegisteredScorer, value: ScoreValue) -> dict[str, Any]:
    return {
        "run_id": r["run_id"],
        "candidate": r["candidate"],
        "case_id": r["case_id"],
        "epoch": r["epoch"],
        "scorer": settings.name,
        "value": value.value,
        "kind": value.kind or sc.kind,
        "detail": value.detail,
    }


def score_run(project: Project, run_id: str, cases: list[Case], store: Store) -> Counter[str]:
    """(Re)score every result of ``run_id``; returns how many scores each scorer wrote.

    Per-result scorers see one answer at a time; pairwise scorers also get the baseline
    candidate's answer to the same case and epoch; run-level scorers (LLM judges) get
    every applicable result at once.
    """
    by_id = {c.id: c for c in cases}
    registered = [(s, get_scorer(s.type)) for s in project.config.scorers]
    rows: list[dict[str, Any]] = []
    written: Counter[str] = Counter()
    with store.read() as conn:
        run_row = conn.execute(select(runs.c.candidates).where(runs.c.id == run_id)).first()
        if run_row is None:
            return written
        res = [dict(r) for r in conn.execute(select(results).where(results.c.run_id == run_id, results.c.error.is_(None))).mappings()]
    res = [r for r in res if r["case_id"] in by_id]
    outputs = {(r["candidate"], r["case_id"], r["epoch"]): r["output"] or "" for r in res}
    for settings, sc in registered:
        items = [r for r in res if applies(settings, by_id[r["case_id"]])]
        if sc.run_level:
            for r, value in sc.fn(items, by_id, settings, project):
                if value.value is not None:
                    rows.append(_row(r, settings, sc, value))
            continue
        base = baseline_name(project, settings, list(run_row[0])) if sc.kind == "pairwise" else None
        for r in items:
            extra: dict[str, Any] = {"result": r, "project": project}
            if base is not None:
                if r["candidate"] == base or (base, r["case_id"], r["epoch"]) not in outputs:
                    continue
                extra["baseline"] = outputs[(base, r["case_id"], r["epoch"])]
            value = sc(r["output"] or "", by_id[r["case_id"]], settings, **extra)
            if value.value is not None:
                rows.append(_row(r, settings, sc, value))
    for r in rows:
        written[r["scorer"]] += 1
    with store.write() as conn:
        conn.execute(delete(scores).where(scores.c.run_id == run_id))
        for i in range(0, len(rows), 5000):
            conn.execute(insert(scores), rows[i : i + 5000])
    return written
