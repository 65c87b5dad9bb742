"""The ``assay`` command: a thin Typer layer over the public Python functions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table
from rich.markup import escape
from rich.text import Text

import assay
from assay.cli._output import EXIT_BROKEN_PIPE, emit_json, err, out, quiet_stdout, rich_progress
from assay.errors import AssayError
from assay.project import load_project

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Choose and ship LLMs on evidence from your own production traffic.",
)

ProjectOpt = Annotated[Path, typer.Option("--project", "-p", help="project folder (holds assay.yaml)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print one JSON document (see docs/cli.md) instead of tables")]


def _version(value: bool) -> None:
    if not value:
        return
    import platform

    from assay._compiled import status

    modules = status()
    compiled = sum(v == "compiled" for v in modules.values())
    out.print(f"assay {assay.__version__} (python {platform.python_version()})")
    out.print(f"ingest core: {compiled} of {len(modules)} modules compiled")
    for name, how in modules.items():
        if how != "compiled":
            out.print(f"  {name}: {how}")
    raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", is_eager=True, callback=_version, help="print the version and whether ingest runs compiled")
    ] = False,
) -> None:
    """Choose and ship LLMs on evidence from your own production traffic."""


def _pct(x: float) -> str:
    return f"{x:.1%}"


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="project folder to create")] = Path("."),
    name: Annotated[Optional[str], typer.Option(help="project name (default: folder name)")] = None,
    force: Annotated[bool, typer.Option(help="overwrite an existing assay.yaml")] = False,
) -> None:
    """Write a commented starter assay.yaml."""
    path = assay.init(directory, name=name, force=force)
    out.print(f"wrote [bold]{path}[/]  next: put logs in {directory / 'logs'} and run [bold]assay ingest[/]")


@app.command()
def ingest(
    paths: Annotated[Optional[list[str]], typer.Argument(help="log files, globs or directories; - reads standard input (default: sources in assay.yaml)")] = None,
    source: Annotated[Optional[str], typer.Option(help="source name recorded on each record")] = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            help="auto, a file format (jsonl/json/csv/tsv/parquet), a shape (openai/responses/gemini/anthropic/"
            "openai-batch/anthropic-batch/otel/langfuse/phoenix/langsmith/braintrust/weave/helicone/bedrock/mlflow/posthog/opik/cloudflare/generic), or file:shape; "
            "shape@key for calls inside an app's log lines (openai@llm)",
        ),
    ] = "auto",
    map: Annotated[
        Optional[str],
        typer.Option("--map", help="read fields from dotted paths: input=request.messages,output=response.text,ts=started_at"),
    ] = None,
    no_scrub: Annotated[bool, typer.Option("--no-scrub", help="store PII unscrubbed (recorded in the audit log)")] = False,
    workers: Annotated[
        Optional[int], typer.Option(help="worker processes (0 = all in this process; default: 2 for inputs over 64 MB)")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="read files again even if their content was ingested already")
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="delete what earlier ingests of these files stored, then read them again "
                           "(a wrong --map or --format)")
    ] = False,
    ts_format: Annotated[
        Optional[str], typer.Option("--ts-format", help="strptime format of timestamps ISO 8601 does not cover, "
                                    "e.g. '%d/%m/%Y %H:%M' for 01/11/2026 10:00")
    ] = None,
    encoding: Annotated[
        Optional[str], typer.Option("--encoding", help="text encoding of files that are not UTF-8, e.g. cp1252 (Excel on "
                                    "Windows), latin-1, utf-16")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="store nothing: show the records the first rows of each file would become, "
                           "and the rows that would be quarantined (see --rows)")
    ] = False,
    rows: Annotated[int, typer.Option("--rows", help="with --dry-run: how many rows of each file to read")] = 5,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Ingest production logs: normalise, scrub PII, quarantine bad rows."""
    if dry_run:
        _dry_run(project, paths, rows=rows, source=source, format=format, mapping=map, scrub=not no_scrub,
                 ts_format=ts_format, encoding=encoding, json_out=json_out)
        return
    try:
        summary = assay.ingest(
            load_project(project),
            paths or None,
            source=source,
            format=format,
            mapping=map,
            scrub=not no_scrub,
            workers=workers,
            progress=rich_progress,
            force=force,
            replace=replace,
            ts_format=ts_format,
            encoding=encoding,
        )
    except KeyboardInterrupt as exc:
        done = getattr(exc, "summary", None)
        if done is None or not (done.kept or done.quarantined or done.duplicates):
            raise
        # (workers finish the parts they had begun: the store may hold more)
        err.print(f"interrupted: {_n(done.kept, 'record')} kept, {_n(done.duplicates, 'duplicate')} skipped and "
                  f"{_n(done.quarantined, 'row')} quarantined before it are saved; run the same command again to go on",
                  highlight=False, soft_wrap=True)
        raise SystemExit(130) from None  # (not typer.Exit: main() would say "interrupted" again)
    if json_out:
        emit_json(summary.to_json())
        return
    if summary.replaced:
        n = len(summary.replaced)
        out.print(f"replaced {n} file{'s' if n > 1 else ''}: deleted the {_n(sum(summary.replaced.values()), 'record')} "
                  f"earlier ingests stored from {'them' if n > 1 else 'it'}, with {'their' if n > 1 else 'its'} quarantine entries")
    if summary.unchanged:
        n = len(summary.unchanged)
        names = ", ".join(Path(f).name for f in summary.unchanged[:3]) + (", ..." if n > 3 else "")
        out.print(f"{n} file{'s' if n > 1 else ''} already ingested with the same content, not read again ({names}); --force reads them")
        if not summary.files:
            return
    if summary.resumed:
        n = len(summary.resumed)
        out.print(f"{n} file{'s' if n > 1 else ''} grew since an earlier ingest: read from where it ended "
                  f"({', '.join(f'{Path(f).name} from line {line:,}' for f, line in list(summary.resumed.items())[:3])})")
    if summary.continued:
        n = len(summary.continued)
        out.print(f"went on from the parts an earlier ingest had stored (one interrupted, or one running at the same time): "
                  f"{sum(summary.continued.values()):,} rows were not processed again "
                  f"({', '.join(Path(f).name for f in list(summary.continued)[:3])}{', ...' if n > 3 else ''})")
    non_chat = f" and {_n(summary.skipped, 'non-chat item')}" if summary.skipped else ""  # spans, embedding requests
    out.print(
        f"kept [bold]{_n(summary.kept, 'record')}[/], skipped {_n(summary.duplicates, 'duplicate')}{non_chat}"
        f", quarantined {_n(summary.quarantined, 'row')} in {summary.seconds:.1f}s"
        f" ({(summary.kept + summary.duplicates + summary.quarantined) / max(summary.seconds, 1e-9):,.0f} rows/s)"
        + (f"; PII replaced: {dict(summary.pii)}" if summary.pii else "")
    )
    if summary.quarantined:
        out.print("  see them with: assay records quarantine --show 20")
    for res, reqs in summary.joined.items():
        names = ", ".join(Path(r).name for r in reqs)
        if summary.formats.get(res, "").endswith(":otel"):
            out.print(f"joined the spans of {Path(res).name} with the GenAI events of their logs ({names}) by span id")
        else:
            out.print(f"joined {Path(res).name} with its batch requests ({names}) by custom_id")
    for f, hint in summary.hints.items():
        out.print(f"[yellow]hint[/]: {Path(f).name}: {escape(hint)}")
    if summary.quarantined and not summary.kept and not summary.duplicates:
        raise typer.Exit(1)


def _dry_run(project: Path, paths: list[str] | None, *, rows: int, json_out: bool, **kw: Any) -> None:
    from assay.cli.commands.records import _print_record
    from assay.ingest import preview

    if not paths:
        proj = load_project(project)
        if not proj.config.sources:
            raise AssayError("--dry-run needs files (or sources in assay.yaml)", hint="e.g. assay ingest logs/chat.jsonl --dry-run")
        paths = [s.path for s in proj.config.sources]
    found = preview(load_project(project), paths, rows=rows, **kw)
    if json_out:
        emit_json(found.to_json())
        return
    for f in found.files:
        out.print(Text(f"{f.file} · {f.format}", style="bold underline"))
        if f.note:
            out.print(Text(f"  {f.note}", style="yellow"))
            continue
        for r in f.records:
            _print_record(r, full=False)
        for line, reason in f.quarantined:
            out.print(Text.assemble(("  would quarantine ", "yellow"), f"line {line}: {reason}"), soft_wrap=True)
        extra = f", {f.skipped} no model call{'s' if f.skipped != 1 else ''} skipped" if f.skipped else ""
        out.print(f"  {'first row' if f.rows == 1 else f'first {f.rows:,} rows'}: {_n(len(f.records), 'record')}, "
                  f"{len(f.quarantined)} quarantined{extra}", highlight=False)
        if f.hint:
            out.print(Text(f"  hint: {f.hint}"), soft_wrap=True)
    if found.more_files:
        n = len(found.more_files)
        out.print(f"and {n:,} more file{'s' if n > 1 else ''} not looked at ({Path(found.more_files[0]).name}"
                  f"{', ...' if n > 1 else ''}): a dry run shows the first {len(found.files)}; name a file to see it",
                  highlight=False)
    out.print("nothing was stored (--dry-run); run the same command without it to ingest", highlight=False)


@app.command()
def profile(
    action: Annotated[Optional[str], typer.Argument(help="show: write profile.md + profile.html of the newest profile")] = None,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
    top: Annotated[int, typer.Option(help="slices to show")] = 15,
) -> None:
    """Divide production traffic into slices with traffic weights (`assay profile show` writes the map)."""
    if action == "show":
        from assay.profile import profile_show

        view = profile_show(load_project(project))
        if json_out:
            emit_json(view.to_json())
            return
        out.print(f"traffic map: [bold]{view.html_path}[/] and {view.markdown_path}")
        return
    if action is not None:
        raise AssayError(f"unknown profile action {action!r}", hint="use `assay profile` or `assay profile show`")
    prof = assay.profile(load_project(project), progress=rich_progress)
    if json_out:
        emit_json({"schema": "assay.profile/v1", **prof.model_dump(mode="json")})
        return
    table = Table(title=f"traffic map {prof.id}: {prof.n_records} records, {len(prof.slices)} slices (k={prof.params['k']})")
    for col in ("slice", "share", "records", "label", "example"):
        table.add_column(col, overflow="fold")
    for s in prof.slices[:top]:
        table.add_row(s.id, _pct(s.weight), str(s.size), s.label, (s.examples[0] if s.examples else "").replace("\n", " ")[:70])
    out.print(table)
    if prof.params.get("k_at_upper_bound"):
        out.print(
            f"[yellow]note:[/] k = {prof.params['k']} is the upper bound profile.k_max: the traffic may hold finer topics. "
            "Raise profile.k_max in assay.yaml for smaller slices (docs/profile.md)."
        )


@app.command()
def sample(
    name: Annotated[str, typer.Option("--name", help="eval set name, e.g. v1")],
    size: Annotated[Optional[int], typer.Option(help="cases, dev + holdout (default: sampling.size)")] = None,
    holdout: Annotated[Optional[float], typer.Option(help="sealed fraction (default: sampling.holdout)")] = None,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Draw a representative eval set (dev + sealed holdout) from the traffic map."""
    proj = load_project(project)
    settings = proj.config.sampling.model_copy(
        update={k: v for k, v in {"size": size, "holdout": holdout}.items() if v is not None}
    )
    evs = assay.sample(proj, name, settings=settings)
    if json_out:
        emit_json({"schema": "assay.sample/v1", **evs.model_dump(mode="json")})
        return
    n_slices = len(evs.params["allocation"])
    out.print(
        f"eval set [bold]{evs.name}[/]: {evs.n_dev} dev + {evs.n_holdout} sealed holdout cases from {n_slices} slices "
        f"(holdout hash {evs.holdout_hash[:12]})"
    )


@app.command()
def run(
    set_name: Annotated[Optional[str], typer.Option("--set", help="eval set to run on (optional with --resume)")] = None,
    candidates: Annotated[Optional[str], typer.Option(help="comma-separated candidate names (default: all)")] = None,
    concurrency: Annotated[Optional[int], typer.Option(help="requests in flight at once")] = None,
    epochs: Annotated[Optional[int], typer.Option(help="repeats per case")] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="continue the newest unfinished run (on --set if given), as it was started")
    ] = False,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Run candidates on an eval set, then score the results. Re-run the same command, or --resume, to continue."""
    from assay.run import resume as resume_run

    proj = load_project(project)
    if resume:
        if candidates or epochs:
            raise AssayError(
                "--resume continues a run with the candidates and epochs it started with",
                hint="drop --candidates/--epochs, or start a new run without --resume",
            )
        summary = resume_run(proj, set_name, concurrency=concurrency, progress=rich_progress)
    else:
        if not set_name:
            raise AssayError(
                "--set is required", hint="assay run --set v1, or assay run --resume to continue the newest unfinished run"
            )
        names = [c.strip() for c in candidates.split(",")] if candidates and candidates != "all" else None
        summary = assay.run(proj, set_name, candidates=names, concurrency=concurrency, epochs=epochs, progress=rich_progress)
    if json_out:
        emit_json(summary.to_json())
        return
    out.print(
        f"run [bold]{summary.run_id}[/] on {summary.set_name}: {summary.completed} new results ({summary.cached} from cache), "
        f"{summary.already_done} already done, {summary.errors} errors, {summary.retries} retries, "
        f"${summary.cost_usd:.4f} spent, in {summary.seconds:.1f}s"
    )
    for name, n in summary.breaker_trips.items():
        out.print(f"  [yellow]circuit breaker for {name} opened {n}x[/]")
    for reason, n in summary.error_reasons.most_common(5):
        out.print(f"  [red]{n}x[/] {reason}")
    if summary.errors:
        out.print("  finish the failed cases later with: assay run --resume")


def _print_report(rep: "assay.analyze.Report") -> None:
    t = rep.tables
    table = Table(title=f"eval set {t.set_name}: {t.n_cases} dev cases, slices carrying {_pct(t.traffic_covered)} of traffic")
    for col in ("candidate", "overall (95% CI)", "traffic-weighted (95% CI)", "errors"):
        table.add_column(col)
    for c in sorted(t.candidates, key=lambda c: -c.overall.mean):
        o, w = c.overall, c.traffic_weighted
        table.add_row(
            c.name + (" (incumbent)" if c.incumbent else ""),
            f"{o.mean:.1%} ({o.low:.1%}–{o.high:.1%})",
            f"{w.mean:.1%} ({w.low:.1%}–{w.high:.1%})",
            f"{c.errors}/{c.results}",
        )
    out.print(table)
    out.print(f"report: [bold]{rep.html_path}[/] and {rep.markdown_path}")


@app.command()
def report(
    set_name: Annotated[str, typer.Option("--set", help="eval set")],
    run_id: Annotated[Optional[str], typer.Option("--run", help="run id (default: newest on the set)")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="folder for report.md and report.html")] = None,
    open_: Annotated[bool, typer.Option("--open", help="open the HTML report in the default browser")] = False,
    project: ProjectOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Write the Markdown and self-contained HTML report of a run."""
    rep = assay.report(load_project(project), set_name, run_id=run_id, out_dir=out_dir)
    if open_:
        import webbrowser

        if not webbrowser.open(rep.html_path.resolve().as_uri()):
            err.print(f"no browser available here; open {rep.html_path} yourself")
    if json_out:
        emit_json(rep.to_json())
        return
    _print_report(rep)


@app.command()
def demo(
    directory: Annotated[Path, typer.Argument(help="the example project")] = Path("examples/support-desk"),
    json_out: JsonOpt = False,
) -> None:
    """Run the whole pipeline on the bundled example project, offline."""
    from assay.demo import run_demo

    result = run_demo(directory, progress=rich_progress, say=(lambda m: None) if json_out else (lambda m: err.print(m)))
    if json_out:
        emit_json(result.to_json())
        return
    _print_report(result.report)
    for name, cov in result.coverage.items():
        out.print(Text(f"coverage of {name}: {cov.verdict}"), soft_wrap=True)
    if result.mirage is not None:
        out.print(Text.assemble(("mirage: ", "bold"), result.mirage.headline), soft_wrap=True)


def _n(count: int, noun: str) -> str:
    """``1 record``, ``2,000 records``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


_INTERRUPTED = "interrupted: finished work is saved; run the same command again to continue"


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user errors without tracebacks, Ctrl-C exits 130."""
    command = typer.main.get_command(app)
    try:
        rv = command.main(args=argv, prog_name="assay", standalone_mode=False)
    except AssayError as exc:
        err.print(Text.assemble(("error: ", "bold red"), exc.message), soft_wrap=True)
        if exc.hint:
            err.print(Text(f"  hint: {exc.hint}"), soft_wrap=True)
        sys.exit(1)
    except (KeyboardInterrupt, typer.Abort):
        err.print(_INTERRUPTED)
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:  # output written straight to stdout (an export, a JSON document) whose reader went away
        quiet_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
    except Exception as exc:
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # usage errors from the parser
            exc.show()
            sys.exit(exc.exit_code)
        raise
    if isinstance(rv, int) and rv != 0:
        if rv == 130:  # Typer turns Ctrl-C into exit code 130
            err.print(_INTERRUPTED)
        sys.exit(rv)
