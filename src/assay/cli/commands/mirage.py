"""``assay mirage``: benchmark ranking vs. the ranking on your traffic, and the demo illusion."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from assay.cli._app import JsonOpt, ProjectOpt, app
from assay.cli._output import emit_json, out


@app.command()
def mirage(
    set_name: Annotated[str, typer.Option("--set", help="representative eval set")],
    benchmark: Annotated[Optional[str], typer.Option(help="benchmark (default: the one with most claims)")] = None,
    demo_set: Annotated[Optional[str], typer.Option("--demo-set", help="a hand-picked eval set, with a run, to set beside it")] = None,
    run_id: Annotated[Optional[str], typer.Option("--run", help="run id (default: newest on the set)")] = None,
    benchmark_prompts: Annotated[
        Optional[Path], typer.Option("--benchmark-prompts", help="JSONL of the benchmark's own prompts: add their coverage of traffic")
    ] = None,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Where the public benchmark (or a demo set) would have misled you."""
    from assay.analyze import mirage as run_mirage
    from assay.project import load_project

    m = run_mirage(
        load_project(project), set_name, benchmark=benchmark, demo_set=demo_set, run_id=run_id, benchmark_prompts=benchmark_prompts
    )
    if json_out:
        emit_json(m.to_json())
        return
    doc = m.to_json()
    t = Table(title=f"{m.benchmark or 'benchmark'} vs. your traffic ({m.n_cases} cases, {m.traffic_covered:.0%} of traffic)")
    for col in ("candidate", "task (traffic-weighted)", "task rank", f"{m.benchmark or 'benchmark'}", "benchmark rank", "claim"):
        t.add_column(col)
    for c in doc["candidates"]:
        t.add_row(c["name"], f"{c['task_traffic_weighted']:.1%}", str(c["task_rank"]),
                  "–" if c["benchmark_score"] is None else f"{c['benchmark_score']:g}", str(c["benchmark_rank"] or "–"),
                  "" if c["claim_source"] is None else ("independent: " if c["claim_independent"] else "vendor: ") + c["claim_source"])
    out.print(t)
    if m.tau == m.tau:
        out.print(f"Kendall τ between the rankings: {m.tau:.2f} (95% CI {m.tau_low:.2f} to {m.tau_high:.2f})")
    for f in m.flips:
        out.print(f"  order flips: {f.better_on_benchmark} leads on the benchmark, {f.better_on_task} on your traffic by "
                  f"{100 * f.task_diff:.1f} pts (95% CI {100 * f.low:.1f} to {100 * f.high:.1f}), "
                  + ("significant" if f.significant else "not significant"))
    if m.demo:
        d = m.demo
        out.print(f"demo set {d.demo_set} ({d.n_demo_cases} cases) vs. {m.set_name}: "
                  + ", ".join(f"{c} {d.demo_scores[c]:.0%} vs {d.task_scores[c]:.0%}" for c in d.demo_scores))
    out.print(f"[bold]{m.headline}[/]")
