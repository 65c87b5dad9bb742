"""``assay records``: what ingest stored and what it quarantined."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import orjson
import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from assay.cli._app import JsonOpt, ProjectOpt, _n, app
from assay.cli._output import emit_json, err, out, pipe_closed, rich_progress
from assay.errors import InputError
from assay.project import as_project
from assay.store import json_text

if TYPE_CHECKING:
    from assay.ingest import DeleteSummary
    from assay.records import Record

# (``assay.ingest`` and its readers load when a command runs, not when the CLI starts)

SinceOpt = Annotated[Optional[str], typer.Option(help="only records from this time on (2026-11-01, 2026-11-01T14:00)")]
UntilOpt = Annotated[Optional[str], typer.Option(help="only records before this time; a day is taken in whole (2026-11-05)")]

records_app = typer.Typer(no_args_is_help=True, help="Inspect ingested records and quarantined rows; delete a file's.")
app.add_typer(records_app, name="records")


@records_app.command("stats")
def stats(
    source: Annotated[Optional[str], typer.Option(help="only this source")] = None,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Counts of stored records per source, day and model, and of quarantined rows."""
    from assay.ingest import record_stats

    s = record_stats(project, source=source)
    if json_out:
        emit_json(s.to_json())
        return
    out.print(f"{_n(s.total, 'record')}, {_n(s.quarantined, 'quarantined row')}")
    for title, counts in (("source", s.by_source), ("day", s.by_day), ("model", s.by_model), ("quarantined file", s.quarantined_by_file),
                          ("quarantine reason", s.quarantined_by_reason)):
        if not counts:
            continue
        table = Table(title=f"per {title}" if title != "quarantine reason" else "most common quarantine reasons")
        table.add_column(title, overflow="fold")
        table.add_column("rows", justify="right")
        for k, n in counts.items():
            table.add_row(Text(str(k)), f"{n:,}")  # names from the logs, printed as they are ("llama[/INST]")
        out.print(table)
    if s.quarantined:
        out.print("the rows: assay records quarantine (--reason TEXT, --file NAME)", highlight=False)


@records_app.command("show")
def show(
    limit: Annotated[int, typer.Option("--limit", "-n", help="how many records to show")] = 5,
    source: Annotated[Optional[str], typer.Option(help="only this source")] = None,
    file: Annotated[Optional[str], typer.Option(help="only records stored from files whose path ends with this")] = None,
    model: Annotated[Optional[str], typer.Option(help="only records this model answered")] = None,
    grep: Annotated[Optional[str], typer.Option(help="only records with this text in a message or the answer")] = None,
    record_id: Annotated[Optional[str], typer.Option("--id", help="only records whose id starts with this")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    order: Annotated[str, typer.Option(help="newest, oldest or random")] = "newest",
    full: Annotated[bool, typer.Option("--full", help="whole texts and metadata, not cut")] = False,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Show stored records as ingest left them (scrubbed): check a --map, the scrubbing, a file."""
    from assay.ingest import stored_records

    found = stored_records(project, limit=limit, source=source, file=file, model=model, contains=grep, id_prefix=record_id,
                           since=since, until=until, order=order)
    if json_out:
        emit_json(found.to_json())
        return
    if not found.total:
        filtered = any(v is not None for v in (source, file, model, grep, record_id, since, until))
        out.print("no records match" if filtered else "no records stored yet: run assay ingest FILE", highlight=False)
        if found.models:
            out.print(Text("  models stored (the model that answered, as the logs name it): " + ", ".join(found.models)))
        return
    for r in found.records:
        _print_record(r, full=full)
    what = {"newest": "newest first", "oldest": "oldest first", "random": "at random"}[order]
    out.print(f"{len(found.records):,} of {_n(found.total, 'record')} ({what}); whole texts: --full; every field: --json",
              highlight=False)


_PSEUDONYM = r"<[A-Z][A-Z0-9_]*_[0-9a-f]{6}>"
_CUT = 300


def _cut(text: str, full: bool) -> str:
    one_line = text if full else " ".join(text.split())
    return one_line if full or len(one_line) <= _CUT else f"{one_line[:_CUT]}… ({len(text):,} chars)"


def _print_record(r: Record, *, full: bool) -> None:
    # soft wrap: piped to a file or grep, a long text stays one line (the terminal wraps it on screen)
    facts = [r.source, r.ts.strftime("%Y-%m-%d %H:%M:%S UTC") if r.ts else "no time", r.model or "model unknown"]
    if r.latency_ms is not None:
        facts.append(f"{r.latency_ms:,.0f} ms")
    if r.tokens_in is not None or r.tokens_out is not None:
        facts.append(f"{r.tokens_in if r.tokens_in is not None else '?'} → {r.tokens_out if r.tokens_out is not None else '?'} tokens")
    if r.cost_usd is not None:
        facts.append(f"${r.cost_usd:.6f}".rstrip("0").rstrip("."))
    out.print(Text(f"── {r.id} · " + " · ".join(facts), style="bold"), soft_wrap=True)
    meta = dict(r.metadata)
    tools = meta.pop("tools", None)
    if meta:
        shown = ", ".join(f"{k}={v if isinstance(v, str) else json_text(v)}" for k, v in meta.items())
        out.print(_pii_marked("  meta      ", _cut(shown, full)), soft_wrap=True)
    if isinstance(tools, list) and tools:
        names = [t.get("function", t).get("name", "?") if isinstance(t, dict) else "?" for t in tools]
        out.print(Text(f"  tools     {len(tools)}: {', '.join(str(n) for n in names)}", style="dim"), soft_wrap=True)
    for m in r.messages:
        out.print(_pii_marked(f"  {m.role:<10}", _cut(m.content, full)), soft_wrap=True)
    out.print(_pii_marked("  output    ", _cut(r.output, full) if r.output is not None else "(none)"), soft_wrap=True)
    if r.feedback is not None:
        fb = r.feedback
        parts = [p for p in (fb.thumb and f"thumb {fb.thumb}", fb.rating is not None and f"rating {fb.rating:g}",
                             fb.comment and f"comment: {fb.comment}", fb.edit and f"edited to: {fb.edit}") if p]
        out.print(_pii_marked("  feedback  ", _cut("; ".join(parts), full)), soft_wrap=True)
    if r.labels:
        out.print(Text("  labels    " + ", ".join(f"{k}={v}" for k, v in r.labels.items()), style="dim"), soft_wrap=True)


def _pii_marked(head: str, body: str) -> Text:
    """A line with the pseudonyms scrubbing put in (``<EMAIL_7f3a1b>``) picked out."""
    line = Text(head, style="dim") + Text(body)
    line.highlight_regex(_PSEUDONYM, "cyan")
    return line


@records_app.command("files")
def files(
    source: Annotated[Optional[str], typer.Option(help="only files last ingested under this source")] = None,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """The files ingest has read, with the records and quarantined rows stored from each."""
    from assay.ingest import ingested_files

    found = ingested_files(project, source=source)
    if json_out:
        emit_json(found.to_json())
        return
    if not found.files:
        out.print("no files ingested" + (f" under source {source!r}" if source else ""))
    else:
        for f in found.files:  # two lines a file: long paths stay readable at any width
            notes = [n for n, on in (("its last ingest did not finish: interrupted (run it again to go on) or still running",
                                      not f.finished),
                                     ("ingested with --no-scrub: it may hold PII", not f.scrubbed),
                                     ("the file is gone", not f.exists)) if on]
            out.print(escape(_shown(f.file)), highlight=False, soft_wrap=True)
            out.print(f"  {_n(f.records, 'record')}, {f.quarantined:,} quarantined · {f.format} · source {escape(f.source)} · "
                      f"{f.last_ingest.strftime('%Y-%m-%d %H:%M')} UTC" + "".join(f" · [yellow]{n}[/]" for n in notes),
                      highlight=False, soft_wrap=True)
        out.print(f"{_n(len(found.files), 'file')}, {_n(sum(f.records for f in found.files), 'record')}; "
                  "delete what one brought in with: assay records delete FILE")
    if found.unattributed:
        out.print(f"[yellow]note[/]: {found.unattributed:,} records were stored before assay kept the file of each record")


@records_app.command("quarantine")
def quarantine(
    show: Annotated[int, typer.Option("--show", "-n", help="how many rows to list")] = 20,
    offset: Annotated[int, typer.Option(help="skip this many rows first (the next page: --offset 20)")] = 0,
    source: Annotated[Optional[str], typer.Option(help="only this source")] = None,
    file: Annotated[Optional[str], typer.Option(help="only files whose path ends with this")] = None,
    reason: Annotated[Optional[str], typer.Option(help="only rows whose reason holds this text")] = None,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """List quarantined rows as file:line: reason."""
    from assay.ingest import quarantined_rows

    rows = quarantined_rows(project, limit=show, offset=offset, source=source, file=file, reason=reason)
    if json_out:
        emit_json({"schema": "assay.records.quarantine/v1", "total": rows.total, "offset": offset,
                   "rows": [r.to_json() for r in rows]})
        return
    if not rows.total:
        filtered = any(v is not None for v in (source, file, reason))
        out.print("no quarantined rows" + (" match" if filtered else ""))
        return
    for r in rows:
        out.print(f"{r.file}:{r.line}: {r.reason}", markup=False, highlight=False, soft_wrap=True)
    shown = f"{offset + 1:,}–{offset + len(rows):,}" if rows else "none"
    more = offset + len(rows) < rows.total
    out.print(f"{shown} of {_n(rows.total, 'quarantined row')}"
              + (f"; the next: --offset {offset + len(rows)}, or more at once: --show N" if more else "")
              + ("; by reason: assay records stats" if not reason else ""), highlight=False, style="dim", soft_wrap=True)


@records_app.command("export")
def export(
    dest: Annotated[str, typer.Argument(help="the JSON Lines file to write, or - for standard output")],
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", help="at most this many records (default: all)")] = None,
    source: Annotated[Optional[str], typer.Option(help="only this source")] = None,
    file: Annotated[Optional[str], typer.Option(help="only records stored from files whose path ends with this")] = None,
    model: Annotated[Optional[str], typer.Option(help="only records this model answered")] = None,
    grep: Annotated[Optional[str], typer.Option(help="only records with this text in a message or the answer")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    order: Annotated[str, typer.Option(help="stored (the order ingest stored them; fastest), newest, oldest or random")] = "stored",
    force: Annotated[bool, typer.Option("--force", help="overwrite DEST if it exists")] = False,
    project: ProjectOpt = Path("."),
) -> None:
    """Write stored records (scrubbed) as JSON Lines, one record a line, streamed: the
    fields of `records show --json`, readable by `assay ingest` and any JSON tool."""
    from assay.ingest import iter_stored_records, stored_records

    found = stored_records(project, limit=0, source=source, file=file, model=model, contains=grep, since=since, until=until)
    total = found.total if limit is None else min(limit, found.total)
    if dest != "-" and Path(dest).exists() and not force:
        raise InputError(f"{dest} exists", hint="pass --force to overwrite it, or name another file")
    records = iter_stored_records(project, limit=limit, source=source, file=file, model=model, contains=grep, since=since,
                                  until=until, order=order)
    n = 0
    tmp = None if dest == "-" else Path(dest).with_name(f".{Path(dest).name}.part")
    fh = sys.stdout.buffer if tmp is None else tmp.open("wb")
    try:
        with rich_progress(f"exporting to {dest}", total=total) as bar:
            for r in records:
                fh.write(orjson.dumps(r.model_dump(mode="json", exclude={"version"})) + b"\n")
                n += 1
                if n % 1_000 == 0:
                    bar.advance(1_000)
            bar.advance(n % 1_000)
            fh.flush()  # a reader that went away (| head) is told here, not at exit
    except BaseException as exc:
        if tmp is not None:
            fh.close()
            tmp.unlink(missing_ok=True)
        if isinstance(exc, BrokenPipeError):
            pipe_closed()
        raise
    if tmp is not None:
        fh.close()
        tmp.replace(dest)  # whole or not at all: an interrupted export leaves no half file under DEST
    err.print(f"exported {_n(n, 'record')} to {escape(dest)}", highlight=False)


@records_app.command("delete")
def delete(
    paths: Annotated[
        Optional[list[str]], typer.Argument(help="ingested files, globs or directories (they need not exist any more)")
    ] = None,
    source: Annotated[Optional[str], typer.Option(help="everything stored under this source instead")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="do not ask; needed when not at a terminal")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="only say what would be deleted")] = False,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Delete what ingest stored from these files (or a source): their records, quarantined rows and ingest history."""
    from assay.ingest import delete_files

    plan = delete_files(project, paths, source=source, dry_run=True)
    what = _deleted(plan)
    if dry_run:
        if json_out:
            emit_json(plan.to_json())
            return
        out.print(f"would delete {what}:")
        for f in plan.files:
            out.print(f"  {escape(f)}", highlight=False)
    else:
        if not yes:
            if json_out or not typer.get_text_stream("stdin").isatty():
                raise InputError(f"this would delete {what}", hint="pass --yes to delete them, or --dry-run to list the files")
            for f in plan.files:
                out.print(f"  {escape(f)}", highlight=False)
            if not typer.confirm(f"delete {what}?"):
                raise typer.Exit(1)
        done = delete_files(project, None if source is not None else plan.files, source=source, dry_run=False)
        if json_out:
            emit_json(done.to_json())
            return
        out.print(f"deleted {_deleted(done)}")
        if done.records and profiles_made(project):
            out.print("  profiles made before still weigh traffic with them: run assay profile again")
        plan = done
    if plan.read_again:
        n = len(plan.read_again)
        names = ", ".join(escape(_shown(f)) for f in plan.read_again[:5]) + (", ..." if n > 5 else "")
        out.print(f"[yellow]note[/]: {names} ({'of' if n == 1 else 'all of'} the same source) {'was' if n == 1 else 'were'} "
                  f"ingested later and may share records with what {'would be' if plan.dry_run else 'was'} deleted (a record is "
                  f"stored once, with the file that brought it first). The next ingest of {'it' if n == 1 else 'them'} reads "
                  f"{'it' if n == 1 else 'them'} again in full and stores such records again: assay ingest "
                  + " ".join(escape(_shown(f)) for f in plan.read_again[:5]))
    if plan.unattributed:
        out.print(f"[yellow]note[/]: {plan.unattributed:,} records were stored before assay kept the file of each record, "
                  "so they cannot be deleted by file; see docs/records.md")


def _shown(file: str) -> str:
    """A path as short as it can be told: relative to the working directory when under it."""
    try:
        return str(Path(file).relative_to(Path.cwd()))
    except ValueError:
        return file


def _deleted(summary: DeleteSummary) -> str:
    """``3 records and 1 quarantined row of 2 files``."""
    return f"{_n(summary.records, 'record')} and {_n(summary.quarantined, 'quarantined row')} of {_n(len(summary.files), 'file')}"


def profiles_made(project: Path) -> bool:
    """Whether the project has a profile (whose weights a deletion makes stale)."""
    from sqlalchemy import select

    from assay.store._schema import profiles

    store = as_project(project).open_store()
    try:
        with store.read() as conn:
            return conn.execute(select(profiles.c.id).limit(1)).first() is not None
    finally:
        store.close()
