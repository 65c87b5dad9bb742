"""``assay records``: what ingest stored and what it quarantined."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from assay.cli._app import JsonOpt, ProjectOpt, app
from assay.cli._output import emit_json, out
from assay.ingest import quarantined_rows, record_stats

records_app = typer.Typer(no_args_is_help=True, help="Inspect ingested records and quarantined rows.")
app.add_typer(records_app, name="records")


@records_app.command("stats")
def stats(
    source: Annotated[Optional[str], typer.Option(help="only this source")] = None,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Counts of stored records per source, day and model, and of quarantined rows."""
    s = record_stats(project, source=source)
    if json_out:
        emit_json(s.to_json())
        return
    out.print(f"[bold]{s.total:,}[/] record{'' if s.total == 1 else 's'}, "
              f"[bold]{s.quarantined:,}[/] quarantined row{'' if s.quarantined == 1 else 's'}")
    for title, counts in (("source", s.by_source), ("day", s.by_day), ("model", s.by_model), ("quarantined file", s.quarantined_by_file)):
        if not counts:
            continue
        table = Table(title=f"per {title}")
        table.add_column(title, overflow="fold")
        table.add_column("rows", justify="right")
        for k, n in counts.items():
            table.add_row(str(k), str(n))
        out.print(table)


@records_app.command("quarantine")
def quarantine(
    show: Annotated[int, typer.Option("--show", help="how many rows to list")] = 20,
    source: Annotated[Optional[str], typer.Option(help="only this source")] = None,
    file: Annotated[Optional[str], typer.Option(help="only files whose path ends with this")] = None,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """List quarantined rows as file:line: reason."""
    rows = quarantined_rows(project, limit=show, source=source, file=file)
    if json_out:
        emit_json({"schema": "assay.records.quarantine/v1", "rows": [r.to_json() for r in rows]})
        return
    if not rows:
        out.print("no quarantined rows")
        return
    for r in rows:
        out.print(f"{r.file}:{r.line}: {r.reason}", markup=False, highlight=False, soft_wrap=True)
