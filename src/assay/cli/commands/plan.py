"""``assay plan``: how many cases (or votes) a comparison needs."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from assay.cli._app import JsonOpt, app
from assay.cli._output import emit_json, out


@app.command()
def plan(
    baseline: Annotated[float, typer.Option(help="the incumbent's pass rate, e.g. 0.82")],
    mde: Annotated[float, typer.Option(help="smallest difference worth detecting, e.g. 0.03 (3 pts)")],
    rho: Annotated[float, typer.Option(help="per-case correlation of the two candidates' scores (from a pilot run)")] = 0.5,
    alpha: Annotated[float, typer.Option(help="two-sided significance level")] = 0.05,
    power: Annotated[float, typer.Option(help="chance of detecting a real difference of size mde")] = 0.8,
    win_rate: Annotated[float, typer.Option("--win-rate", help="pairwise preference to detect, for the vote count")] = 0.55,
    json_out: JsonOpt = False,
) -> None:
    """Cases needed for a target MDE (paired and unpaired), votes for a preference, MDE per set size."""
    from assay.stats import plan as make_plan

    p = make_plan(baseline, mde, rho=rho, alpha=alpha, power=power, vote_win_rate=win_rate)
    if json_out:
        emit_json({"schema": "assay.plan/v1", **p.to_json()})
        return
    out.print(
        f"to detect {baseline:.1%} → {baseline + mde:.1%} ({100 * mde:+.1f} pts) with {power:.0%} power at α = {alpha:g}:\n"
        f"  paired (same cases, correlation {rho:g}): [bold]{p.n_paired}[/] cases\n"
        f"  unpaired (separate cases per candidate): {p.n_unpaired_per_group} cases per candidate\n"
        f"  pairwise preference votes to detect a {win_rate:.0%} win rate: {p.votes}"
    )
    t = Table(title=f"smallest detectable difference, paired, from a {baseline:.0%} baseline")
    t.add_column("cases")
    t.add_column("MDE (pts)")
    for n, d in p.mde_at.items():
        t.add_row(str(n), "–" if d != d else f"{100 * d:.1f}")
    out.print(t)
