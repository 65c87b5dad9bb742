"""``assay results``: candidates x scorers of a run."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.table import Table

from assay.cli._app import JsonOpt, ProjectOpt, app
from assay.cli._output import emit_json, out
from assay.project import load_project

if TYPE_CHECKING:
    from assay.scorers import Calibration


@app.command()
def results(
    set_name: Annotated[str, typer.Option("--set", help="eval set")],
    run_id: Annotated[Optional[str], typer.Option("--run", help="run id (default: newest on the set)")] = None,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Table of candidates x scorers for a run, with errors, spend and judge calibration."""
    from assay.scorers import results_table  # (its imports take a fifth of the CLI's start: only when asked)

    t = results_table(load_project(project), set_name, run_id=run_id)
    if json_out:
        emit_json(t.to_json())
        return
    table = Table(title=f"run {t.run_id} on {t.set_name} ({t.status})")
    for col in ["candidate", *t.scorers, "errors", "spend", "p50 latency"]:
        table.add_column(col, justify="left" if col == "candidate" else "right")
    for c in t.candidates:
        cells = [f"{c.scores[s][0]:.3f} (n={c.scores[s][1]})" if s in c.scores else "–" for s in t.scorers]
        lat = "–" if c.latency_p50_ms is None else f"{c.latency_p50_ms:.0f} ms"
        table.add_row(c.name, *cells, f"{c.errors}/{c.results}", f"${c.cost_usd:.4f}", lat)
    out.print(table)
    for name, n in t.inconsistent_pairs.items():
        out.print(f"  {name}: {n} pairs judged differently in the two orders (counted as ties)")
    for j in t.judges:
        out.print(f"  judge {j.scorer}: " + ("[green]calibrated[/]" if j.calibrated else "[yellow]UNCALIBRATED[/]")
                  + f" ({j.reason}); {judge_stats(j)}")
    for w in t.warnings():
        out.print(f"[yellow]warning:[/] {w}")
    if not t.evidence_ok:
        out.print("[red]The only evidence in this run comes from uncalibrated judges.[/]")


def _num(x: float | None) -> str:
    return "–" if x is None or x != x else f"{x:.2f}"


def judge_stats(j: Calibration) -> str:
    """κ, EvalGen alignment (coverage, false failure rate), TPR/TNR on fail and n, as one line."""
    return (f"n={j.n} verdicts, kappa={_num(j.kappa)}, alignment={_num(j.alignment)} "
            f"(coverage={_num(j.coverage)}, false failures={_num(j.false_failure_rate)}), "
            f"TPR(fail)={_num(j.tpr_fail)}, TNR(fail)={_num(j.tnr_fail)}")
