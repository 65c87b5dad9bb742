"""Coverage reports: Markdown, and self-contained HTML with inline SVG plots (no CDN)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from assay._svg import figure_to_svg  # noqa: E402
import numpy as np  # noqa: E402

if TYPE_CHECKING:
    from assay.coverage._coverage import CoverageReport

_TOP = 25


def share_bars(rep: "CoverageReport", top: int = _TOP) -> str:
    """Production share vs set share for the largest slices."""
    rows = rep.slices[:top][::-1]
    n = max(1, rep.n_items)
    y = np.arange(len(rows))
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(rows) + 1.4))
    ax.barh(y + 0.2, [r.weight for r in rows], height=0.4, color="#64748b", label="production")
    ax.barh(y - 0.2, [r.n_items / n for r in rows], height=0.4, color="#1d4ed8", label="this set")
    ax.set_yticks(y, [f"{r.label[:40]}" for r in rows], fontsize=7)
    ax.set_xlabel("share")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("slice weight: production vs the set", fontsize=10)
    return figure_to_svg(fig)


def coverage_bars(rep: "CoverageReport", top: int = _TOP) -> str:
    """Items per slice against the count a traffic-proportional set would have."""
    rows = rep.slices[:top][::-1]
    colors = {"covered": "#15803d", "under": "#d97706", "uncovered": "#b91c1c"}
    y = np.arange(len(rows))
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(rows) + 1.4))
    ax.barh(y, [r.n_items for r in rows], color=[colors[r.status] for r in rows])
    ax.scatter([r.expected for r in rows], y, marker="|", s=120, color="black", label="proportional")
    ax.set_yticks(y, [f"{r.label[:40]} ({r.weight:.1%})" for r in rows], fontsize=7)
    ax.set_xlabel("items in the set (bar) vs traffic-proportional count (tick)")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("coverage per slice: green covered, amber under-covered, red uncovered", fontsize=10)
    return figure_to_svg(fig)


def map_plot(rep: "CoverageReport") -> str:
    """Production and the set on production's first two principal axes."""
    if not rep.map2d:
        return ""
    prod = np.asarray(rep.map2d["production"])
    st = np.asarray(rep.map2d["set"])
    fig, ax = plt.subplots(figsize=(6.5, 5))
    ax.scatter(prod[:, 0], prod[:, 1], s=4, alpha=0.3, color="#64748b", label="production (sample)")
    if len(st):
        ax.scatter(st[:, 0], st[:, 1], s=14, alpha=0.8, color="#dc2626", label="the set")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(fontsize=8)
    ax.set_title("2-D map: production vs the set", fontsize=10)
    return figure_to_svg(fig)


def markdown(rep: "CoverageReport") -> str:
    a = rep.auc
    lines = [
        f"# Coverage of `{rep.source}`",
        "",
        f"**{rep.verdict}**",
        "",
        f"Profile `{rep.profile_id}`; {rep.n_items} items, {rep.n_unmatched} unmatched.",
        "",
        "| metric | value |",
        "|---|---|",
        f"| traffic covered, k = 1 | {rep.coverage_k1:.1%} |",
        f"| traffic covered, k = 5 | {rep.coverage_k5:.1%} |",
        f"| Jensen-Shannon divergence (bits) | {rep.jsd:.3f} |",
        "| classifier AUC (95% interval) | "
        + ("n/a (too few items)" if a is None else f"{a.auc:.3f} ({a.low:.3f}-{a.high:.3f})")
        + " |",
        "",
        "## Uncovered and under-covered slices, largest first",
        "",
        "| slice | share | items | proportional | status | example |",
        "|---|---|---|---|---|---|",
    ]
    for s in rep.missing[:40]:
        ex = (s.examples[0] if s.examples else "").replace("\n", " ").replace("|", "\\|")[:90]
        lines.append(f"| {s.label} | {s.weight:.1%} | {s.n_items} | {s.expected:.1f} | {s.status} | {ex} |")
    return "\n".join(lines) + "\n"


def html_page(rep: "CoverageReport") -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(s.label)}</td><td>{s.weight:.1%}</td><td>{s.n_items}</td><td>{s.expected:.1f}</td>"
        f"<td class='{s.status}'>{s.status}</td><td>{'<br>'.join(e(x[:160]) for x in s.examples[:3])}</td></tr>"
        for s in rep.missing[:40]
    )
    a = rep.auc
    auc = "n/a (too few items)" if a is None else f"{a.auc:.3f} ({a.low:.3f}&ndash;{a.high:.3f})"
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>coverage: {e(rep.source)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#0f172a}}
table{{border-collapse:collapse;font-size:13px}}td,th{{border:1px solid #cbd5e1;padding:4px 6px;vertical-align:top}}
.uncovered{{color:#b91c1c}}.under{{color:#d97706}}.verdict{{font-size:1.3em;font-weight:600}}</style></head><body>
<h1>Coverage of <code>{e(rep.source)}</code></h1>
<p class="verdict">{e(rep.verdict)}</p>
<p>Profile <code>{e(rep.profile_id)}</code>: {rep.n_items} items, {rep.n_unmatched} unmatched.</p>
<table><tr><th>metric</th><th>value</th></tr>
<tr><td>traffic covered, k = 1</td><td>{rep.coverage_k1:.1%}</td></tr>
<tr><td>traffic covered, k = 5</td><td>{rep.coverage_k5:.1%}</td></tr>
<tr><td>Jensen&ndash;Shannon divergence (bits)</td><td>{rep.jsd:.3f}</td></tr>
<tr><td>classifier AUC (95% interval)</td><td>{auc}</td></tr></table>
<h2>Slice weights</h2>{share_bars(rep)}
<h2>Coverage per slice</h2>{coverage_bars(rep)}
<h2>Map</h2>{map_plot(rep)}
<h2>Uncovered and under-covered slices, largest first</h2>
<table><tr><th>slice</th><th>share</th><th>items</th><th>proportional</th><th>status</th><th>examples</th></tr>{rows}</table>
</body></html>
"""


def write_reports(rep: "CoverageReport", out_dir: Path) -> dict[str, str]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    md, page = out_dir / "coverage.md", out_dir / "coverage.html"
    md.write_text(markdown(rep), encoding="utf-8")
    page.write_text(html_page(rep), encoding="utf-8")
    return {"markdown": str(md), "html": str(page)}
