"""``assay ingest -``: logs piped in on standard input."""

import gzip
import io
import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from assay.cli import app
from assay.errors import InputError
from assay.ingest import ingest, preview
from tests.ingest.conftest import stored
from tests.ingest.test_ingest import _contents, _interrupting, _new_project, _ranges_left, _write_log


def _spooled(project):
    return sorted(p.name for p in project.state_dir.glob("stdin-*")) if project.state_dir.is_dir() else []


@pytest.mark.parametrize("fmt", ["jsonl", "jsonl.gz", "json", "csv", "parquet"])
def test_piped_logs_store_what_the_file_stores(tmp_path, monkeypatch, fmt):
    """Every format read from a file is read from standard input, told by its first bytes
    (gzip and Parquet too): the same records and quarantine entries, recorded under the file
    ``stdin:<hash>``; the copy made of the stream is gone afterwards."""
    monkeypatch.setenv("ASSAY_PROJECT_KEY", "same-key")
    from_file = _new_project(tmp_path / "file")
    f = _write_log(from_file.root / f"l.{fmt}", fmt)
    ingest(from_file, [str(f)])
    piped = _new_project(tmp_path / "piped")
    s = ingest(piped, ["-"], stdin=io.BytesIO(f.read_bytes()))
    (name,) = s.files
    assert name.startswith("stdin:") and len(name) == len("stdin:") + 16 and s.formats[name].split(":")[0] == fmt.split(".")[0]
    assert (s.kept, s.quarantined) == (291, 9)
    assert _contents(piped) == _contents(from_file)
    _, quar = stored(piped)
    assert {q["file"] for q in quar} == {name}
    assert _spooled(piped) == []


def test_the_same_stream_again_is_the_same_file_and_another_stream_another(project, tmp_path):
    log = _write_log(tmp_path / "a.jsonl", "jsonl", n=80)
    first = ingest(project, ["-"], stdin=io.BytesIO(log.read_bytes()))
    again = ingest(project, ["-"], stdin=io.BytesIO(log.read_bytes()))
    assert first.kept == 77 and again.unchanged == first.files and again.files == []
    forced = ingest(project, ["-"], stdin=io.BytesIO(log.read_bytes()), force=True)
    assert forced.files == first.files and forced.duplicates == 77
    other = _write_log(tmp_path / "b.jsonl", "jsonl", n=120)
    second = ingest(project, ["-"], stdin=io.BytesIO(other.read_bytes()))
    assert second.files != first.files and second.duplicates == 77 and second.kept == 39
    # each stream keeps its own quarantine entries: the second did not replace the first's
    _, quar = stored(project)
    assert sorted((q["file"], q["line"]) for q in quar) == sorted(
        [(first.files[0], line) for line in (1, 38, 75)] + [(second.files[0], line) for line in (1, 38, 75, 112)])
    # --replace deletes what the stream stored before, by its name
    replaced = ingest(project, ["-"], stdin=io.BytesIO(log.read_bytes()), replace=True)
    assert replaced.replaced == {first.files[0]: 77} and replaced.kept == 77 and replaced.duplicates == 0
    assert replaced.hints == {first.files[0]: replaced.hints[first.files[0]]} and second.files[0] in replaced.hints[first.files[0]]


def test_a_stream_among_files_and_errors_that_name_standard_input(project, fixtures):
    s = ingest(project, [str(fixtures / "anthropic.jsonl"), "-"], stdin=io.BytesIO(gzip.compress((fixtures / "openai.jsonl").read_bytes())))
    assert s.formats[str(fixtures / "anthropic.jsonl")] == "jsonl:anthropic"
    assert [v for k, v in s.formats.items() if k.startswith("stdin:")] == ["jsonl:openai"]
    with pytest.raises(InputError, match="more than once"):
        ingest(project, ["-", "-"], stdin=io.BytesIO(b""))
    with pytest.raises(InputError) as err:
        ingest(project, ["-"], stdin=io.BytesIO(b"this is no log format\n"))
    assert str(err.value).startswith("stdin:") and "(standard input)" in str(err.value) and ".assay" not in str(err.value)
    assert _spooled(project) == []
    empty = ingest(project, ["-"], stdin=io.BytesIO(b""))
    assert empty.kept == empty.quarantined == 0 and _spooled(project) == []


def test_nothing_piped_in_is_a_clear_error(project, monkeypatch):
    class Terminal(io.BytesIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    with pytest.raises(InputError, match="nothing is piped in") as err:
        ingest(project, ["-"])
    assert "zcat" in err.value.hint


def test_an_interrupted_stream_ingest_goes_on_when_the_same_logs_are_piped_again(tmp_path, monkeypatch):
    import importlib

    ing = importlib.import_module("assay.ingest._ingest")
    monkeypatch.setenv("ASSAY_PROJECT_KEY", "same-key")
    monkeypatch.setattr(ing, "RANGE_BYTES", 3_000)
    proj = _new_project(tmp_path / "p")
    data = _write_log(tmp_path / "l.jsonl", "jsonl").read_bytes()
    real = ing._run_tasks
    monkeypatch.setattr(ing, "_run_tasks", _interrupting(real))
    with pytest.raises(KeyboardInterrupt):
        ingest(proj, ["-"], stdin=io.BytesIO(data), workers=2)
    monkeypatch.setattr(ing, "_run_tasks", real)
    assert _spooled(proj) == [] and _ranges_left(proj) > 0  # the copy is gone; the stored ranges are known
    partial = len(_contents(proj)[0])
    again = ingest(proj, ["-"], stdin=io.BytesIO(data), workers=2)
    assert again.duplicates == 0 and again.kept == 291 - partial and sum(again.continued.values()) > 0
    clean = _new_project(tmp_path / "clean")
    ingest(clean, ["-"], stdin=io.BytesIO(data), workers=0)
    assert _contents(proj) == _contents(clean)


def test_a_killed_ingests_copy_of_standard_input_is_removed_by_the_next(project, tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    project.state_dir.mkdir(parents=True, exist_ok=True)
    left = project.state_dir / f"stdin-{dead.stdout.strip()}-0123456789abcdef.gz"
    left.write_bytes(b"unscrubbed")
    mine = project.state_dir / f"stdin-{os.getpid()}-feedfeedfeedfeed"
    mine.write_bytes(b"a running ingest's")
    ingest(project, ["-"], stdin=io.BytesIO(b""))
    assert not left.exists() and mine.exists()


def test_dry_run_reads_the_start_of_a_stream(project, tmp_path, monkeypatch):
    import importlib

    st = importlib.import_module("assay.ingest._stdin")

    monkeypatch.setattr(st, "PREVIEW_BYTES", 2_000)
    monkeypatch.setattr(st, "_CHUNK", 1_000)
    log = _write_log(tmp_path / "a.jsonl", "jsonl", n=300)
    p = preview(project, ["-"], rows=3, stdin=io.BytesIO(log.read_bytes()))
    (f,) = p.files
    assert f.file.startswith("standard input (its first") and f.rows == 3 and len(f.records) == 2 and f.quarantined[0][0] == 1
    assert _spooled(project) == [] and not (project.state_dir / "assay.db").exists()


def test_the_cli_reads_a_pipe(project, fixtures):
    res = subprocess.run([sys.executable, "-m", "assay", "ingest", "-", "--source", "piped", "--json", "--project", str(project.root)],
                         input=(fixtures / "openai.jsonl").read_bytes(), capture_output=True, timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    out = json.loads(res.stdout)
    (name,) = out["files"]
    assert name.startswith("stdin:") and out["kept"] == 3 and out["quarantined"] == 1
    shown = CliRunner().invoke(app, ["records", "show", "--file", name, "--json", "--project", str(project.root)])
    assert shown.exit_code == 0, shown.output
    assert len(json.loads(shown.output)["records"]) == 3
