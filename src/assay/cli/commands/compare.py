"""``assay compare``: every candidate against the incumbent, paired, with intervals and tests."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from assay.cli._app import JsonOpt, ProjectOpt, app
from assay.cli._output import emit_json, out


def _pts(x: float) -> str:
    return f"{100 * x:+.1f}"


def _ci(d) -> str:  # noqa: ANN001
    return f"{_pts(d.diff)} ({_pts(d.low)} to {_pts(d.high)})"


@app.command()
def compare(
    set_name: Annotated[str, typer.Option("--set", help="eval set")],
    run_id: Annotated[Optional[str], typer.Option("--run", help="run id (default: newest on the set)")] = None,
    against: Annotated[Optional[str], typer.Option("--against", help="reference candidate (default: the incumbent)")] = None,
    all_pairs: Annotated[bool, typer.Option("--all-pairs", help="also compare every pair of candidates")] = False,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Paired differences vs. the incumbent: eval-set and traffic-weighted, CI, test, BH-adjusted p."""
    from assay.analyze import compare as run_compare
    from assay.project import load_project

    c = run_compare(load_project(project), set_name, run_id=run_id, reference=against, all_pairs=all_pairs)
    if json_out:
        emit_json(c.to_json())
        return
    t = Table(title=f"{set_name}: candidate − reference, pts (95% CI); {c.n_cases} cases from slices carrying {c.traffic_covered:.0%} of traffic")
    for col in ("candidate", "reference", "eval set", "traffic-weighted", "r", "test", "p", "p (BH)", "verdict"):
        t.add_column(col)
    for r in c.rows:
        e = r.eval_set
        t.add_row(r.candidate, r.reference, _ci(e), _ci(r.traffic), f"{e.correlation:.2f}", e.test,
                  f"{e.p_value:.2g}", f"{r.p_adjusted:.2g}", r.verdict)
    out.print(t)
    worse = c.worse_slices()
    if worse:
        w = Table(title="slices significantly worse than the reference (BH-adjusted p < 0.05), worst first")
        for col in ("candidate", "slice", "traffic", "n", "difference (95% CI)", "p (BH)"):
            w.add_column(col)
        for s in worse[:20]:
            w.add_row(s.candidate, s.label[:40], f"{s.weight:.1%}", str(s.diff.n), _ci(s.diff), f"{s.p_adjusted:.2g}")
        out.print(w)
    else:
        out.print("no slice is significantly worse than the reference after Benjamini–Hochberg adjustment")
    out.print(c.detect_sentence())
