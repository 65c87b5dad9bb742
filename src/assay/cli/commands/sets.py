"""``assay sets diff|export|open-holdout|import``: work with saved eval sets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from assay.cli._app import JsonOpt, ProjectOpt, app
from assay.cli._output import emit_json, out
from assay.errors import AssayError
from assay.project import load_project

sets_app = typer.Typer(no_args_is_help=True, help="Compare, export and (explicitly) open eval sets.")
app.add_typer(sets_app, name="sets")


@sets_app.command("diff")
def diff(
    a: Annotated[str, typer.Argument(help="older eval set, e.g. v1")],
    b: Annotated[str, typer.Argument(help="newer eval set, e.g. v2")],
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """What changed between two eval sets (dev cases; holdout as counts only)."""
    from assay.project import load_project
    from assay.sample import diff_sets

    d = diff_sets(load_project(project), a, b)
    if json_out:
        emit_json(d.to_json())
        return
    out.print(
        f"{a} -> {b}: {len(d.added)} dev cases added, {len(d.removed)} removed, {d.kept} kept "
        f"({len(d.moved)} moved slice); holdout {d.holdout[0]} -> {d.holdout[1]} cases"
        + ("" if d.same_profile else "; drawn from different traffic profiles")
    )
    if d.slices:
        table = Table(title="cases per slice that changed")
        for col in ("slice", a, b):
            table.add_column(col)
        for s, (x, y) in d.slices.items():
            table.add_row(s, str(x), str(y))
        out.print(table)
    for k, (x, y) in d.params.items():
        if k != "allocation":
            out.print(f"  setting {k}: {x!r} -> {y!r}")


@sets_app.command("export")
def export(
    name: Annotated[str, typer.Argument(help="eval set")],
    format: Annotated[str, typer.Option("--format", help="file format")] = "jsonl",
    out_path: Annotated[Optional[Path], typer.Option("--out", help="file to write (default exports/NAME.dev.jsonl)")] = None,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Write the dev cases of a set, with slice and provenance (never the holdout)."""
    from assay.project import load_project
    from assay.sample import export_set

    path, n = export_set(load_project(project), name, out_path, format=format)
    if json_out:
        emit_json({"schema": "assay.sets.export/v1", "set": name, "path": str(path), "n_cases": n, "split": "dev"})
        return
    out.print(f"wrote {n} dev cases of [bold]{name}[/] to {path}")


@sets_app.command("open-holdout")
def open_holdout_cmd(
    name: Annotated[str, typer.Argument(help="eval set")],
    reason: Annotated[str, typer.Option("--reason", help="why it is opened (recorded in the audit log)")],
    who: Annotated[Optional[str], typer.Option(help="who opens it (default: $USER)")] = None,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Open the sealed holdout of a set: an explicit action, written to the audit log."""
    from assay.project import load_project
    from assay.sample import open_holdout

    cases = open_holdout(load_project(project), name, reason=reason, who=who)
    if json_out:
        emit_json({"schema": "assay.sets.open-holdout/v1", "set": name, "cases": [c.model_dump(mode="json") for c in cases]})
        return
    out.print(f"opened the holdout of [bold]{name}[/]: {len(cases)} cases (recorded in the audit log)")
    for c in cases:
        text = " ".join(m.content for m in c.messages if m.role == "user").replace("\n", " ")
        out.print(f"  {c.id} [{c.slice_id}] {text[:90]}")


@sets_app.command("import")
def import_cmd(
    name: Annotated[str, typer.Argument(help="name of the new eval set")],
    file: Annotated[Path, typer.Argument(help="JSONL: one prompt per line ('input' or 'messages'); other fields become the reference")],
    meta: Annotated[Optional[list[str]], typer.Option("--meta", help="KEY=VALUE added to every case, e.g. feature=triage")] = None,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Make an eval set from a file of prompts (a demo set, a benchmark's questions)."""
    from assay.sample import import_set

    extra: dict[str, str] = {}
    for item in meta or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise AssayError(f"--meta expects KEY=VALUE, got {item!r}")
        extra[key] = value
    evs = import_set(load_project(project), name, file, metadata=extra)
    if json_out:
        emit_json({"schema": "assay.sets.import/v1", **evs.model_dump(mode="json")})
        return
    out.print(f"eval set [bold]{evs.name}[/]: {evs.n_dev} cases imported from {file}; run it with: assay run --set {evs.name}")
