"""Plots as inline SVG (matplotlib, no CDN), so reports work offline."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from assay.analyze._tables import Tables  # noqa: E402


def _svg(fig: plt.Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.find("<svg") :]


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
    return _svg(fig)


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
    return _svg(fig)
