"""Loading a project must stay light: every command does it before its own work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from assay.project import init_project


def test_loading_a_project_does_not_import_numpy(tmp_path: Path) -> None:
    init_project(tmp_path, name="light")
    code = (
        "import sys\n"
        "from assay.project import load_project\n"
        f"load_project({str(tmp_path)!r})\n"
        "print(sorted(m for m in ('numpy', 'scipy', 'sklearn') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
