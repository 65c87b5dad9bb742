"""``assay.report``: Markdown + self-contained HTML for one run."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from assay.analyze._plots import candidate_intervals, slice_heatmap
from assay.analyze._tables import Tables, build_tables
from assay.project import as_project, Project
from assay.run import latest_run
from assay.stats import Estimate
from assay.store import Store, utcnow

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("assay.analyze", "templates"), autoescape=jinja2.select_autoescape(["html", "j2"])
)


def pct(x: float) -> str:
    return "–" if x is None or math.isnan(x) else f"{x:.1%}"


def est(e: Estimate) -> str:
    if e.n == 0:
        return "–"
    return f"{e.mean:.1%} ({e.low:.1%}–{e.high:.1%}) n={e.n}"


@dataclass
class Report:
    tables: Tables
    markdown_path: Path
    html_path: Path

    def to_json(self) -> dict[str, Any]:
        t = self.tables
        return {
            "schema": "assay.report/v1",
            "set": t.set_name,
            "run_id": t.run_id,
            "profile_id": t.profile_id,
            "n_cases": t.n_cases,
            "traffic_covered": t.traffic_covered,
            "candidates": [c.to_json() for c in t.candidates],
            "slices": [s.to_json() for s in t.slices],
            "files": {"markdown": str(self.markdown_path), "html": str(self.html_path)},
        }


def _markdown(t: Tables, scorer_names: list[str]) -> str:
    lines = [
        f"# assay report: eval set `{t.set_name}`",
        "",
        f"Run `{t.run_id}` · {t.n_cases} dev cases from traffic profile `{t.profile_id}`, "
        f"drawn from slices carrying {pct(t.traffic_covered)} of production traffic. Intervals are 95%.",
        "",
        "| candidate | overall (95% CI) | traffic-weighted (95% CI) | " + " | ".join(scorer_names) + " | errors |",
        "|---|---|---|" + "---|" * len(scorer_names) + "---|",
    ]
    for c in sorted(t.candidates, key=lambda c: -c.overall.mean):
        cells = [est(c.scorers[s]) if s in c.scorers else "" for s in scorer_names]
        name = c.name + (" (incumbent)" if c.incumbent else "")
        lines.append(f"| {name} | {est(c.overall)} | {est(c.traffic_weighted)} | " + " | ".join(cells) + f" | {c.errors}/{c.results} |")
    lines += ["", "## Per slice (largest first)", "", "| slice | traffic | cases | " + " | ".join(c.name for c in t.candidates) + " |"]
    lines.append("|---|---|---|" + "---|" * len(t.candidates))
    for s in t.slices:
        cells = [pct(s.means[c.name]) if c.name in s.means else "–" for c in t.candidates]
        lines.append(f"| {s.label} | {pct(s.weight)} | {s.n_cases} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def report(
    project: Project | str | Path,
    set_name: str,
    *,
    run_id: str | None = None,
    out_dir: Path | None = None,
    store: Store | None = None,
) -> Report:
    """Write ``report.md`` and ``report.html`` for a run (the newest on the set by default)."""
    project = as_project(project)
    own_store = store is None
    store = store or project.open_store()
    try:
        run_id = run_id or latest_run(store, set_name)
        inc = project.incumbent
        t = build_tables(store, set_name, run_id, inc.name if inc else None)
    finally:
        if own_store:
            store.close()
    out_dir = out_dir or project.state_dir / "reports" / set_name
    out_dir.mkdir(parents=True, exist_ok=True)
    scorer_names = sorted({s for c in t.candidates for s in c.scorers})
    md = out_dir / "report.md"
    md.write_text(_markdown(t, scorer_names), encoding="utf-8")
    html = out_dir / "report.html"
    html.write_text(
        _TEMPLATES.get_template("report.html.j2").render(
            t=t,
            scorer_names=scorer_names,
            svg_candidates=candidate_intervals(t),
            svg_slices=slice_heatmap(t),
            pct=pct,
            est=est,
            generated=utcnow().strftime("%Y-%m-%d %H:%M UTC"),
        ),
        encoding="utf-8",
    )
    return Report(tables=t, markdown_path=md, html_path=html)
