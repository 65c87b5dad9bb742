"""``profile show``: the traffic map as Markdown and self-contained HTML (inline SVG)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from assay._svg import figure_to_svg
from assay.profile._mapstore import load_map
from assay.profile._profile import load_profile
from assay.project import Project, as_project
from assay.records import Profile
from assay.store._schema import record_slices, records

_MAP_POINTS = 3000


@dataclass
class ProfileView:
    profile: Profile
    markdown_path: Path
    html_path: Path

    def to_json(self) -> dict[str, Any]:
        return {"schema": "assay.profile.show/v1", **self.profile.model_dump(mode="json"),
                "paths": {"markdown": str(self.markdown_path), "html": str(self.html_path)}}


def _weight_bars(prof: Profile, top: int = 30) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = prof.slices[:top][::-1]
    fig, ax = plt.subplots(figsize=(8, 0.28 * len(rows) + 1.2))
    ax.barh(range(len(rows)), [s.weight for s in rows], color="#1d4ed8")
    ax.set_yticks(range(len(rows)), [f"{s.id} {s.label[:42]}" for s in rows], fontsize=7)
    ax.set_xlabel("share of production traffic")
    ax.set_title(f"slice weights ({prof.n_records} records)", fontsize=10)
    return figure_to_svg(fig)


def _slice_map(project: Project, prof: Profile, store: Any) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tmap = load_map(store, prof.id, project.state_dir)
    with store.read() as conn:
        q = (
            select(record_slices.c.slice_id, records.c.messages)
            .join(records, records.c.id == record_slices.c.record_id)
            .where(record_slices.c.profile_id == prof.id)
            .order_by(record_slices.c.record_id)
        )
        rows = conn.execute(q).all()
    rng = np.random.default_rng(0)
    pick = rng.choice(len(rows), size=min(_MAP_POINTS, len(rows)), replace=False)
    texts = ["\n".join(m["content"] for m in rows[i][1] if m["role"] == "user") for i in pick]
    sids = [rows[i][0] for i in pick]
    x = tmap.embedder.transform(texts)
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    xy = (x - mean) @ vt[:2].T
    order = {s.id: i for i, s in enumerate(prof.slices)}
    fig, ax = plt.subplots(figsize=(7, 5.5))
    ax.scatter(xy[:, 0], xy[:, 1], c=[order.get(s, 0) for s in sids], cmap="tab20", s=5, alpha=0.6)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title("production records on their first two principal axes, coloured by slice", fontsize=10)
    return figure_to_svg(fig)


def profile_show(project: Project | str | Path, *, profile_id: str | None = None, out_dir: Path | None = None) -> ProfileView:
    """Write the traffic map (table, slice weight bars, 2-D map) as Markdown and HTML."""
    project = as_project(project)
    store = project.open_store()
    try:
        prof = load_profile(store, profile_id)
        out = Path(out_dir) if out_dir else project.state_dir / "reports" / f"profile-{prof.id}"
        out.mkdir(parents=True, exist_ok=True)
        md = [f"# Traffic map `{prof.id}`", "", f"{prof.n_records} records, {len(prof.slices)} slices, "
              f"embedder {prof.params.get('embedder', 'tfidf')}, k = {prof.params.get('k')}", "",
              "| slice | share | records | label | examples |", "|---|---|---|---|---|"]
        for s in prof.slices:
            ex = " / ".join(e.replace("\n", " ").replace("|", "\\|")[:70] for e in s.examples[:3])
            md.append(f"| {s.id} | {s.weight:.1%} | {s.size} | {s.label} | {ex} |")
        md_path = out / "profile.md"
        md_path.write_text("\n".join(md) + "\n", encoding="utf-8")
        e = html.escape
        rows = "".join(
            f"<tr><td>{e(s.id)}</td><td>{s.weight:.1%}</td><td>{s.size}</td><td>{e(s.label)}</td>"
            f"<td>{'<br>'.join(e(x[:160]) for x in s.examples[:3])}</td></tr>"
            for s in prof.slices
        )
        page = f"""<!doctype html><html><head><meta charset="utf-8"><title>traffic map {e(prof.id)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto}}table{{border-collapse:collapse;font-size:13px}}
td,th{{border:1px solid #cbd5e1;padding:4px 6px;vertical-align:top}}</style></head><body>
<h1>Traffic map <code>{e(prof.id)}</code></h1><p>{prof.n_records} records, {len(prof.slices)} slices.</p>
<h2>Slice weights</h2>{_weight_bars(prof)}<h2>Map</h2>{_slice_map(project, prof, store)}
<h2>Slices</h2><table><tr><th>slice</th><th>share</th><th>records</th><th>label</th><th>examples</th></tr>{rows}</table>
</body></html>
"""
        html_path = out / "profile.html"
        html_path.write_text(page, encoding="utf-8")
        return ProfileView(prof, md_path, html_path)
    finally:
        store.close()
