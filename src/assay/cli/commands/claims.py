"""``assay claims``: record and list public benchmark claims per candidate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from assay.cli._app import JsonOpt, ProjectOpt, app
from assay.cli._output import emit_json, out

claims_app = typer.Typer(help="Public benchmark claims (vendor-reported or independent) per candidate.", no_args_is_help=True)
app.add_typer(claims_app, name="claims")


@claims_app.command("add")
def add(
    candidate: Annotated[str, typer.Argument(help="candidate name from assay.yaml")],
    benchmark: Annotated[str, typer.Argument(help="benchmark name, e.g. mmlu")],
    score: Annotated[float, typer.Argument(help="the claimed score, as published")],
    source: Annotated[str, typer.Option(help="where the claim comes from, e.g. 'vendor model card 2024-05'")],
    date: Annotated[Optional[str], typer.Option(help="date of the claim (YYYY-MM-DD)")] = None,
    independent: Annotated[bool, typer.Option("--independent", help="measured by a third party, not the vendor")] = False,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Record a benchmark claim for a candidate."""
    from assay.analyze import add_claim
    from assay.project import load_project
    from assay.records import BenchmarkClaim

    c = add_claim(load_project(project), BenchmarkClaim(candidate=candidate, benchmark=benchmark, score=score,
                                                         source=source, date=date, independent=independent))
    if json_out:
        emit_json({"schema": "assay.claims/v1", "claims": [c.model_dump(mode="json")]})
        return
    out.print(f"recorded {benchmark} {score:g} for [bold]{candidate}[/] ({'independent' if independent else 'vendor-reported'}: {source})")


@claims_app.command("list")
def list_(project: ProjectOpt = Path("."), json_out: JsonOpt = False) -> None:
    """List recorded benchmark claims."""
    from assay.analyze import list_claims
    from assay.project import load_project

    cs = list_claims(load_project(project))
    if json_out:
        emit_json({"schema": "assay.claims/v1", "claims": [c.model_dump(mode="json") for c in cs]})
        return
    t = Table(title=f"{len(cs)} benchmark claims")
    for col in ("benchmark", "candidate", "score", "kind", "source", "date"):
        t.add_column(col)
    for c in cs:
        t.add_row(c.benchmark, c.candidate, f"{c.score:g}", "independent" if c.independent else "vendor", c.source, c.date or "")
    out.print(t)
