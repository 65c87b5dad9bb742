"""``assay.report``: Markdown + self-contained HTML for one run."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import numpy as np

from assay.analyze._claims import list_claims
from assay.analyze._compare import Comparison, compare_matrix
from assay.analyze._data import load_matrix
from assay.analyze._mirage import Mirage, mirage_matrix
from assay.analyze._plots import (
    benchmark_scatter,
    bt_plot,
    candidate_intervals,
    diff_heatmap,
    forest,
    power_curve_plot,
    slice_heatmap,
)
from assay.analyze._tables import Tables, build_tables
from assay.project import as_project, Project
from assay.run import latest_run
from assay.scorers import JudgeEvidence, judge_evidence
from sqlalchemy import select

from assay.stats import BTResult, Estimate, bradley_terry, fragility, mde_graded, power_curve
from assay.store import Store, utcnow
from assay.store._schema import verdicts

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
    comparison: Comparison | None = None
    mirage: Mirage | None = None
    ratings: BTResult | None = None
    fragility: dict[str, Any] | None = None
    judges: JudgeEvidence | None = None

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
            "detectable": None if self.comparison is None else self.comparison.to_json()["mde"],
            "comparison": None if self.comparison is None else self.comparison.to_json(),
            "mirage": None if self.mirage is None else self.mirage.to_json(),
            "ratings": None if self.ratings is None else {**self.ratings.to_json(), "fragility": self.fragility},
            "judges": None if self.judges is None else self.judges.to_json(),
        }


def _pts(x: float) -> str:
    return "–" if x is None or math.isnan(x) else f"{100 * x:+.1f}"


def _extra_markdown(c: Comparison | None, m: Mirage | None, bt: BTResult | None, frag: dict[str, Any] | None) -> list[str]:
    lines: list[str] = []
    if c is not None:
        lines += ["", f"## Paired comparison vs. `{c.reference}`", "",
                  f"{c.n_cases} cases from slices carrying {pct(c.traffic_covered)} of production traffic; "
                  f"differences in pts with 95% CI; p-values Benjamini–Hochberg-adjusted over all candidate and slice tests. "
                  f"**{c.detect_sentence()}.**", "",
                  "| candidate | eval set (95% CI) | traffic-weighted (95% CI) | r | test | p (BH) | verdict |",
                  "|---|---|---|---|---|---|---|"]
        for r in c.rows:
            e, w = r.eval_set, r.traffic
            lines.append(f"| {r.candidate} | {_pts(e.diff)} ({_pts(e.low)} to {_pts(e.high)}) n={e.n} | "
                         f"{_pts(w.diff)} ({_pts(w.low)} to {_pts(w.high)}) | {e.correlation:.2f} | {e.test} | {r.p_adjusted:.2g} | {r.verdict} |")
        worse = c.worse_slices()
        if worse:
            lines += ["", "Slices significantly worse than the reference, worst first:", "",
                      "| candidate | slice | traffic | n | difference (95% CI) | p (BH) |", "|---|---|---|---|---|---|"]
            for s in worse:
                lines.append(f"| {s.candidate} | {s.label} | {pct(s.weight)} | {s.diff.n} | {_pts(s.diff.diff)} "
                             f"({_pts(s.diff.low)} to {_pts(s.diff.high)}) | {s.p_adjusted:.2g} |")
    if m is not None:
        lines += ["", "## Benchmark mirage", "", f"**{m.headline}**"]
        if m.tau == m.tau:
            lines.append(f"Kendall τ between the {m.benchmark} ranking and the task ranking: {m.tau:.2f} "
                         f"(95% CI {m.tau_low:.2f} to {m.tau_high:.2f}; {m.n_cases} cases, {pct(m.traffic_covered)} of traffic).")
    if bt is not None:
        lines += ["", f"## Bradley–Terry ratings ({bt.n_votes} verdicts)", "", "| model | Elo (95% CI) |", "|---|---|"]
        for k in np.argsort(-bt.rating):
            lines.append(f"| {bt.models[k]} | {bt.elo[k]:.0f} ({1000 + 173.7178 * bt.low[k]:.0f}–{1000 + 173.7178 * bt.high[k]:.0f}) |")
        if frag and frag.get("flips"):
            lines.append(f"\nFlipping {frag['flips']} of {bt.n_votes} verdicts would make {frag['new_leader']} the top model.")
    return lines


def _num(x: float | None) -> str:
    return "–" if x is None or x != x else f"{x:.2f}"


def _judge_markdown(ev: JudgeEvidence | None) -> list[str]:
    """The judges used in the run, their agreement with human verdicts, and a flag on each uncalibrated one."""
    if ev is None or not ev.judges:
        return []
    lines = ["", "## LLM judges", "",
             "Agreement with human verdicts on the same results: Cohen's κ, and EvalGen alignment (harmonic mean of "
             "coverage — human-failed outputs the judge fails — and 1 − false failure rate).", "",
             "| judge | mode | human verdicts | κ | alignment | coverage | false failure rate | calibrated |",
             "|---|---|---|---|---|---|---|---|"]
    for j in ev.judges:
        lines.append(f"| {j.scorer} | {j.mode} | {j.n} | {_num(j.kappa)} | {_num(j.alignment)} | {_num(j.coverage)} | "
                     f"{_num(j.false_failure_rate)} | {'yes' if j.calibrated else 'no'} |")
    lines.append("")
    lines += [f"> **Warning:** {w}" for w in ev.warnings()]
    if not ev.ok:
        lines += ["", "> **The only evidence in this run comes from uncalibrated judges.**"]
    return lines


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


def _evidence(store: Store, set_name: str, run_id: str, incumbent: str | None):  # noqa: ANN202
    """Paired comparison, mirage and BT ratings for the report (each only when its data exist)."""
    m = load_matrix(store, set_name, run_id)
    comp = compare_matrix(m, incumbent) if incumbent in m.candidates and len(m.candidates) > 1 else None
    mir = mirage_matrix(m, list_claims(store=store)) if len(m.candidates) > 1 else None
    with store.read() as conn:
        v = conn.execute(
            select(verdicts.c.left, verdicts.c.right, verdicts.c.winner)
            .where(verdicts.c.run_id == run_id, verdicts.c.kind == "pairwise", verdicts.c.winner.is_not(None))
        ).all()
    bt = frag = None
    if v:
        bt = bradley_terry([r[0] for r in v], [r[1] for r in v], [r[2] for r in v])
        frag = fragility(bt)
    return comp, mir, bt, frag


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
        comp, mir, bt, frag = _evidence(store, set_name, run_id, inc.name if inc else None)
        judges = judge_evidence(project, run_id, store=store)
    finally:
        if own_store:
            store.close()
    out_dir = out_dir or project.state_dir / "reports" / set_name
    out_dir.mkdir(parents=True, exist_ok=True)
    scorer_names = sorted({s for c in t.candidates for s in c.scorers})
    md = out_dir / "report.md"
    md.write_text(_markdown(t, scorer_names) + "\n".join(_judge_markdown(judges) + _extra_markdown(comp, mir, bt, frag)) + "\n",
                  encoding="utf-8")
    svg = {}
    if comp is not None and comp.rows:
        svg["forest"] = forest(comp)
        svg["diff_heatmap"] = diff_heatmap(comp)
    if comp is not None and comp.binary:
        sizes = np.unique(np.geomspace(20, 5000, 25).astype(int))
        rho = max(min(comp.mde_rho, 0.99), -0.99)
        base = max(min(comp.mde_baseline, 1 - comp.mde_baseline), 0.01)
        svg["power"] = power_curve_plot(base, rho, comp.n_cases, sizes, power_curve(base, rho, sizes))
    elif comp is not None and comp.rows:
        sds = [r.eval_set.se * math.sqrt(r.eval_set.n) for r in comp.rows if r.eval_set.se > 0]
        if sds:
            sizes = np.unique(np.geomspace(20, 5000, 25).astype(int))
            sd = float(np.median(sds))
            svg["power"] = power_curve_plot(comp.mde_baseline, comp.mde_rho, comp.n_cases, sizes,
                                            np.array([mde_graded(int(n), sd) for n in sizes]))
    if mir is not None and len([c for c in mir.task_scores if c in mir.claims]) >= 2:
        svg["mirage"] = benchmark_scatter(mir)
    if bt is not None:
        svg["bt"] = bt_plot(bt)
    html = out_dir / "report.html"
    html.write_text(
        _TEMPLATES.get_template("report.html.j2").render(
            t=t,
            scorer_names=scorer_names,
            svg_candidates=candidate_intervals(t),
            svg_slices=slice_heatmap(t),
            svg=svg,
            comp=comp,
            mir=mir,
            bt=bt,
            frag=frag,
            pts=_pts,
            pct=pct,
            est=est,
            generated=utcnow().strftime("%Y-%m-%d %H:%M UTC"),
            judges=judges,
            num=_num,
        ),
        encoding="utf-8",
    )
    return Report(tables=t, markdown_path=md, html_path=html, comparison=comp, mirage=mir, ratings=bt, fragility=frag,
                  judges=judges)
