"""``assay coverage SOURCE``: how well a set represents production traffic."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from assay.cli._app import JsonOpt, ProjectOpt, app
from assay.cli._output import emit_json, out, rich_progress


@app.command()
def coverage(
    source: Annotated[str, typer.Argument(help="eval:NAME (an eval set) or file:PATH (JSONL, never ingested is fine)")],
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="folder for coverage.md and coverage.html")] = None,
    top: Annotated[int, typer.Option(help="missing slices to show")] = 10,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Score how well a set represents production: slice coverage, JSD, classifier AUC."""
    from assay.coverage import coverage as run_coverage
    from assay.project import load_project

    rep = run_coverage(load_project(project), source, out_dir=out_dir, progress=rich_progress)
    if json_out:
        emit_json(rep.to_json())
        return
    out.print(f"[bold]{rep.source}[/]: {rep.verdict}")
    a = rep.auc
    auc = "n/a" if a is None else f"{a.auc:.3f} ({a.low:.3f}-{a.high:.3f})"
    out.print(
        f"  traffic covered k=1 {rep.coverage_k1:.1%}, k=5 {rep.coverage_k5:.1%}; JSD {rep.jsd:.3f} bits; "
        f"classifier AUC {auc}; {rep.n_items} items, {rep.n_unmatched} unmatched"
    )
    if rep.missing:
        table = Table(title="uncovered / under-covered slices, largest first")
        for col in ("slice", "share", "items", "status", "example"):
            table.add_column(col, overflow="fold")
        for s in rep.missing[:top]:
            table.add_row(s.label, f"{s.weight:.1%}", str(s.n_items), s.status, (s.examples[0] if s.examples else "").replace("\n", " ")[:60])
        out.print(table)
    if rep.paths:
        out.print(f"report: [bold]{rep.paths['html']}[/] and {rep.paths['markdown']}")
