"""The compiled ingest modules: in use where they were built, and the same as their source.

Cython compiles the very source that runs without it, but compiled code can still differ
(an exception type, a corner of a builtin); the equivalence test ingests every fixture,
garbage included, once compiled and once as source, and compares the stores row by row.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from assay import _compiled

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"

_DUMP = r'''
import json, sqlite3, sys
from pathlib import Path
import assay
from assay._compiled import status
from assay.ingest._pii import Scrubber

proj, out, fixtures, garbage = map(Path, sys.argv[1:5])
(proj / "assay.yaml").write_text("project: eq\n")
logs = sorted(p for p in fixtures.iterdir()
              if p.name not in ("custom.parquet", "pii_corpus.jsonl") and p.suffix != ".py")
summaries = [
    assay.ingest(proj, [str(p) for p in logs + [garbage, garbage.with_suffix(".json")]], workers=0),
    assay.ingest(proj, [str(fixtures / "custom.parquet")],
                 mapping="input=request.messages,output=response.text,ts=started_at,model=engine", workers=0),
    assay.ingest(proj, [str(garbage)], source="again", workers=2, force=True),  # the worker path
]
db = sqlite3.connect(proj / ".assay" / "assay.db")
recs = [list(r) for r in db.execute("SELECT * FROM records ORDER BY id")]
cols = [d[0] for d in db.execute("SELECT * FROM records").description]
quar = [list(r) for r in db.execute("SELECT source, file, line, reason, raw FROM quarantine ORDER BY file, line")]
scrubber = Scrubber(b"k" * 32)
texts = [json.loads(line)["text"] for line in (fixtures / "pii_corpus.jsonl").read_text().splitlines()]
scrubbed = [scrubber.scrub(t) for t in texts]
for rec in recs:
    rec[cols.index("ingested_at")] = None
out.write_text(json.dumps({
    "status": status(), "records": recs, "quarantine": quar, "scrubbed": scrubbed, "found": dict(scrubber.found),
    "summaries": [[s.kept, s.duplicates, s.quarantined, s.skipped, dict(s.pii)] for s in summaries],
}))
'''


def _garbage(path: Path) -> Path:
    good = {"messages": [{"role": "user", "content": "mail me at ann@example.com or call +44 20 7946 0958"}], "output": "ok",
            "ts": "2026-11-01T10:00:00+02:00", "model": "m", "metadata": {"card": "4111 1111 1111 1111", "n": 3}}
    lines = [
        json.dumps(good).encode(),
        b'{"messages": [{"role": "user", "content": "half',
        b'{"messages": "plain text question", "output": 7}',
        b'{"output": "no input"}',
        b'\xff\xfe not utf-8',
        json.dumps({**good, "latency_ms": "fast"}).encode(),
        json.dumps({**good, "messages": [{"role": "wizard", "content": "x"}]}).encode(),
        json.dumps({**good, "ts": 1793520000123, "feedback": {"thumb": "up", "comment": "ssn 078-05-1120"}}).encode(),
        b"[1, 2, 3]",
        json.dumps({**good, "output": "x" * 50}).encode(),
        b'{"messages": [{"role": "user", "content": "unfinished"}]',  # no line break: the last line
    ]
    path.write_bytes(b"\n".join(lines))
    items = [json.dumps(good).encode(), b'{"messages": "overflow", "n": 1e400}', b'{"messages": "lone \\ud800"}',
             b'[1, {"x": "]}"}]', json.dumps({**good, "output": "last"}).encode(), b'{"messages": "cut off']
    path.with_suffix(".json").write_bytes(b"[" + b",\n ".join(items))
    return path


def _dump(tmp_path: Path, name: str, *, pure: bool) -> dict:
    proj, out = tmp_path / name, tmp_path / f"{name}.json"
    proj.mkdir()
    env = {k: v for k, v in os.environ.items() if k != _compiled.PURE_ENV}
    env["ASSAY_PROJECT_KEY"] = "00" * 32
    if pure:
        env[_compiled.PURE_ENV] = "1"
    subprocess.run([sys.executable, "-c", _DUMP, str(proj), str(out), str(FIXTURES), str(tmp_path / "garbage.jsonl")],
                   env=env, check=True, timeout=300)
    return json.loads(out.read_text())


def _have_compiled() -> bool:
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    root = Path(_compiled.__file__).parent
    return all((root.parent / Path(*m.split("."))).with_suffix(suffix).is_file() for m in _compiled.MODULES)


@pytest.mark.skipif(not _have_compiled(), reason="the ingest modules are not compiled here (no C compiler at install?)")
def test_compiled_and_source_ingest_the_same(tmp_path):
    _garbage(tmp_path / "garbage.jsonl")
    compiled = _dump(tmp_path, "compiled", pure=False)
    source = _dump(tmp_path, "source", pure=True)
    assert set(compiled["status"].values()) == {"compiled"}, compiled["status"]
    assert all(v.startswith("source") for v in source["status"].values()), source["status"]
    assert len(compiled["records"]) >= 40 and len(compiled["quarantine"]) >= 12  # the comparison covers something
    assert compiled["summaries"][2][:3] == [3, 0, 8]  # garbage.jsonl: 3 good lines, 8 bad
    for key in ("records", "quarantine", "scrubbed", "found", "summaries"):
        assert compiled[key] == source[key], key


def test_compiled_modules_run_where_they_were_built():
    """A checkout built by ``make`` runs every listed module compiled: a module left out of
    the build, or one edited since, shows here (and ``make`` compiles it again)."""
    if not _have_compiled():
        pytest.skip("the ingest modules are not compiled here (no C compiler at install?)")
    if os.environ.get(_compiled.PURE_ENV):
        pytest.skip(f"{_compiled.PURE_ENV} is set")
    assert _compiled.status() == {m: "compiled" for m in _compiled.MODULES}


def _checkout(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "setup.py").write_text("")
    pkg = tmp_path / "src" / "assay" / "ingest"
    pkg.mkdir(parents=True)
    source, compiled = pkg / "_mod.py", pkg / "_mod.cpython-311-x86_64-linux-gnu.so"
    source.write_text("x = 1\n")
    compiled.write_bytes(b"")
    return source, compiled


def test_source_runs_when_asked_or_when_the_compiled_module_is_stale(tmp_path):
    source, compiled = _checkout(tmp_path)
    now = time.time()
    os.utime(source, (now - 10, now - 10))
    assert _compiled.source_reason(compiled, source, {}) is None
    assert "ASSAY_PURE_PYTHON is set" in _compiled.source_reason(compiled, source, {_compiled.PURE_ENV: "1"})
    os.utime(source, (now + 10, now + 10))  # edited after the build
    assert "changed since it was compiled" in _compiled.source_reason(compiled, source, {})
    # an installed package (not a checkout) keeps what it was installed with, whatever the times
    installed = tmp_path / "site-packages" / "assay" / "ingest"
    shutil.copytree(source.parent, installed)
    os.utime(installed / source.name, (now + 10, now + 10))
    assert _compiled.source_reason(installed / compiled.name, installed / source.name, {}) is None


def test_setup_reads_the_same_module_list():
    """``setup.py`` reads :data:`MODULES` as text (it cannot import the package)."""
    root = Path(__file__).resolve().parents[2]
    namespace: dict = {"__name__": "not_main", "__file__": str(root / "setup.py")}
    code = (root / "setup.py").read_text().split("\nsetup(")[0]  # the helpers, without running setup()
    exec(compile(code, "setup.py", "exec"), namespace)
    assert namespace["_compiled_modules"]() == list(_compiled.MODULES)
