"""Plots as inline SVG (matplotlib, no CDN), so reports work offline."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from assay._svg import figure_to_svg  # noqa: E402
import numpy as np  # noqa: E402

from assay.analyze._tables import Tables  # noqa: E402


def candidate_intervals(t: Tables) -> str:
    """Each candidate's overall score with its 95% interval, best first."""
    cands = sorted(t.candidates, key=lambda c: c.overall.mean)
    fig, ax = plt.subplots(figsize=(7, 0.55 * len(cands) + 1.2))
    for i, c in enumerate(cands):
        e = c.overall
        color = "#b45309" if c.incumbent else "#1d4ed8"
        ax.errorbar(e.mean, i, xerr=[[e.mean - e.low], [e.high - e.mean]], fmt="o", color=color, capsize=4)
        ax.text(e.high + 0.01, i, f"{e.mean:.1%}", va="center", fontsize=9)
    ax.set_yticks(range(len(cands)), [c.name + (" (incumbent)" if c.incumbent else "") for c in cands])
    ax.set_xlim(0, 1.08)
    ax.set_xlabel(f"overall score on {t.n_cases} dev cases (95% interval)")
    ax.grid(axis="x", alpha=0.3)
    return figure_to_svg(fig)


def slice_heatmap(t: Tables, top: int = 20) -> str:
    """Candidates x the largest slices, overall score per cell."""
    rows = [s for s in t.slices if s.n_cases > 0][:top]
    cands = [c.name for c in t.candidates]
    data = np.array([[s.means.get(c, np.nan) for c in cands] for s in rows])
    fig, ax = plt.subplots(figsize=(1.3 * len(cands) + 4.5, 0.36 * len(rows) + 1.5))
    im = ax.imshow(data, cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(cands)), cands, rotation=20, ha="right")
    ax.set_yticks(range(len(rows)), [f"{s.label[:38]} ({s.weight:.1%}, n={s.n_cases})" for s in rows], fontsize=8)
    for i in range(len(rows)):
        for j in range(len(cands)):
            if not np.isnan(data[i, j]):
                ax.text(j, i, f"{data[i, j]:.0%}", ha="center", va="center", fontsize=7)
    fig.colorbar(im, ax=ax, fraction=0.03)
    ax.set_title("overall score per slice (slice share of traffic, cases)", fontsize=10)
    return figure_to_svg(fig)


def forest(comparison) -> str:  # noqa: ANN001
    """Paired differences vs. the reference with 95% intervals: eval-set and traffic-weighted."""
    rows = comparison.rows
    fig, ax = plt.subplots(figsize=(7, 0.7 * len(rows) + 1.4))
    for i, r in enumerate(rows):
        for off, d, color, lab in ((0.15, r.eval_set, "#1d4ed8", "eval set"), (-0.15, r.traffic, "#047857", "traffic-weighted")):
            ax.errorbar(100 * d.diff, i + off, xerr=[[100 * (d.diff - d.low)], [100 * (d.high - d.diff)]], fmt="o",
                        color=color, capsize=3, label=lab if i == 0 else None)
    ax.axvline(0, color="#555", lw=1)
    ax.set_yticks(range(len(rows)), [f"{r.candidate} − {r.reference}" for r in rows])
    ax.set_xlabel(f"difference in overall score, pts (95% CI; n={comparison.n_cases} cases)")
    ax.legend(fontsize=8, loc="best")
    ax.grid(axis="x", alpha=0.3)
    return figure_to_svg(fig)


def diff_heatmap(comparison, top: int = 20) -> str:  # noqa: ANN001
    """Per-slice paired difference vs. the reference (pts); * marks BH-significant cells."""
    rows = comparison.rows
    slices = sorted({(s.slice_id, s.label, s.weight, s.diff.n) for r in rows for s in r.slices}, key=lambda x: -x[2])[:top]
    cell = {(s.slice_id, r.candidate): s for r in rows for s in r.slices}
    data = np.array([[100 * cell[(sid, r.candidate)].diff.diff if (sid, r.candidate) in cell else np.nan for r in rows]
                     for sid, *_ in slices])
    fig, ax = plt.subplots(figsize=(1.4 * len(rows) + 4.5, 0.36 * len(slices) + 1.5))
    im = ax.imshow(data, cmap="RdBu", vmin=-50, vmax=50, aspect="auto")
    ax.set_xticks(range(len(rows)), [r.candidate for r in rows], rotation=20, ha="right")
    ax.set_yticks(range(len(slices)), [f"{lab[:34]} ({w:.1%}, n={n})" for _, lab, w, n in slices], fontsize=8)
    for i, (sid, *_) in enumerate(slices):
        for j, r in enumerate(rows):
            s = cell.get((sid, r.candidate))
            if s is not None:
                ax.text(j, i, f"{s.diff.diff * 100:+.0f}{'*' if s.p_adjusted < 0.05 else ''}", ha="center", va="center", fontsize=7)
    fig.colorbar(im, ax=ax, fraction=0.03)
    ax.set_title(f"difference vs. {comparison.reference} per slice, pts (* BH-adjusted p < 0.05)", fontsize=10)
    return figure_to_svg(fig)


def power_curve_plot(baseline: float, rho: float, n_now: int, sizes: np.ndarray, mdes: np.ndarray) -> str:
    """MDE (pts) against the number of cases, with the current set size marked."""
    fig, ax = plt.subplots(figsize=(6.5, 3.2))
    ax.plot(sizes, 100 * mdes, color="#1d4ed8")
    ax.axvline(n_now, color="#b45309", ls="--", lw=1)
    ax.text(n_now, ax.get_ylim()[1] * 0.9, f" this set: n={n_now}", color="#b45309", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("cases (paired)")
    ax.set_ylabel("detectable difference, pts")
    ax.set_title(f"80% power, α = 0.05, baseline {baseline:.0%}, correlation {rho:.2f}", fontsize=9)
    ax.grid(alpha=0.3)
    return figure_to_svg(fig)


def benchmark_scatter(mirage) -> str:  # noqa: ANN001
    """Benchmark score vs. task score, and the two rankings joined by lines."""
    have = [c for c in mirage.task_scores if c in mirage.claims]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
    for c in have:
        ax.scatter(mirage.claims[c].score, 100 * mirage.task_scores[c], color="#1d4ed8")
        ax.annotate(c, (mirage.claims[c].score, 100 * mirage.task_scores[c]), fontsize=8, xytext=(4, 4), textcoords="offset points")
    ax.set_xlabel(f"{mirage.benchmark} (claimed)")
    ax.set_ylabel(f"task score, traffic-weighted % (n={mirage.n_cases})")
    ax.grid(alpha=0.3)
    br, tr = mirage.benchmark_ranks(), mirage.task_ranks()
    sub_b = {c: r for c, r in sorted(br.items(), key=lambda x: x[1]) if c in have}
    sub_t = sorted(have, key=lambda c: tr[c])
    tpos = {c: i + 1 for i, c in enumerate(sub_t)}
    for i, c in enumerate(sub_b):
        ax2.plot([0, 1], [i + 1, tpos[c]], color="#b91c1c" if i + 1 != tpos[c] else "#047857", marker="o")
        ax2.text(-0.05, i + 1, c, ha="right", va="center", fontsize=8)
        ax2.text(1.05, tpos[c], c, ha="left", va="center", fontsize=8)
    ax2.set_xlim(-0.8, 1.8)
    ax2.invert_yaxis()
    ax2.set_xticks([0, 1], [f"{mirage.benchmark} rank", "task rank"])
    ax2.set_yticks([])
    ax2.set_title(f"Kendall τ = {mirage.tau:.2f} (95% CI {mirage.tau_low:.2f} to {mirage.tau_high:.2f})", fontsize=9)
    return figure_to_svg(fig)


def bt_plot(bt) -> str:  # noqa: ANN001
    """Bradley-Terry ratings (Elo scale) with 95% bootstrap intervals."""
    order = np.argsort(bt.rating)
    fig, ax = plt.subplots(figsize=(6.5, 0.5 * len(order) + 1.2))
    elo, lo, hi = bt.elo, 1000 + 400 / np.log(10) * bt.low, 1000 + 400 / np.log(10) * bt.high
    for y, k in enumerate(order):
        ax.errorbar(elo[k], y, xerr=[[elo[k] - lo[k]], [hi[k] - elo[k]]], fmt="o", color="#7c3aed", capsize=3)
    ax.set_yticks(range(len(order)), [bt.models[k] for k in order])
    ax.set_xlabel(f"Bradley–Terry rating, Elo scale (95% bootstrap CI; {bt.n_votes} verdicts)")
    ax.grid(axis="x", alpha=0.3)
    return figure_to_svg(fig)
