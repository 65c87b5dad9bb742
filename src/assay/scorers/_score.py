"""Apply the project's scorers to a run's results and store the scores."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import delete, insert, select

from assay.project import Project, ScorerSettings
from assay.records import Case
from assay.scorers._registry import get_scorer
from assay.store import Store
from assay.store._schema import results, runs, scores


def applies(settings: ScorerSettings, case: Case) -> bool:
    return all(case.metadata.get(k) == v for k, v in settings.when.items())


def score_run(project: Project, run_id: str, cases: list[Case], store: Store) -> Counter[str]:
    """(Re)score every result of ``run_id``; returns how many scores each scorer wrote."""
    by_id = {c.id: c for c in cases}
    registered = [(s, get_scorer(s.type)) for s in project.config.scorers]
    rows: list[dict[str, Any]] = []
    written: Counter[str] = Counter()
    with store.read() as conn:
        if conn.execute(select(runs.c.id).where(runs.c.id == run_id)).first() is None:
            return written
        res = conn.execute(select(results).where(results.c.run_id == run_id, results.c.error.is_(None))).mappings().all()
    for r in res:
        case = by_id.get(r["case_id"])
        if case is None:
            continue
        for settings, sc in registered:
            if not applies(settings, case):
                continue
            value = sc(r["output"] or "", case, settings)
            if value.value is None:
                continue
            rows.append(
                {
                    "run_id": run_id,
                    "candidate": r["candidate"],
                    "case_id": r["case_id"],
                    "epoch": r["epoch"],
                    "scorer": settings.name,
                    "value": value.value,
                    "kind": sc.kind,
                    "detail": value.detail,
                }
            )
            written[settings.name] += 1
    with store.write() as conn:
        conn.execute(delete(scores).where(scores.c.run_id == run_id))
        for i in range(0, len(rows), 5000):
            conn.execute(insert(scores), rows[i : i + 5000])
    return written
