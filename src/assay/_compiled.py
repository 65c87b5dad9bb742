"""Which of ingest's per-row modules run compiled, and the switch back to their source.

The modules in :data:`MODULES` are plain Python. At install time ``setup.py`` has Cython
compile the same source into extension modules, which Python imports in preference to
the ``.py`` beside them; where there was no compiler they are simply not there, and the
source runs. :func:`install` (called when ``assay`` is imported) adds an import hook that
takes the source instead of a compiled module when

- ``ASSAY_PURE_PYTHON`` is set (to compare, or to rule the compiled code out), or
- in a source checkout, the ``.py`` changed after the module was compiled: the compiled
  one would silently run old code. It warns once; ``make`` (or ``pip install -e .``)
  compiles again.

:func:`status` says, per module, what runs and why (``assay --version`` prints it).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

MODULES = (
    "assay.ingest._fast",
    "assay.ingest._formats",
    "assay.ingest._normalise",
    "assay.ingest._pii",
    "assay.ingest._process",
    "assay.ingest._scan",
    "assay.ingest._shapes",
    "assay.ingest._write",
)
"""Compiled by ``setup.py`` (which reads this tuple as text: keep one name per line)."""

PURE_ENV = "ASSAY_PURE_PYTHON"

_STATUS: dict[str, str] = {}


def _in_checkout(compiled: Path) -> bool:
    """``src/assay/<pkg>/<mod>.so`` of a source tree (an editable install), not site-packages."""
    parents = compiled.parents
    return len(parents) > 3 and parents[2].name == "src" and (parents[3] / "setup.py").is_file()


def source_reason(compiled: Path, source: Path, env: dict[str, str] | os._Environ[str] = os.environ) -> str | None:
    """Why the source should run instead of ``compiled``, or ``None`` to run it compiled."""
    if env.get(PURE_ENV):
        return f"source ({PURE_ENV} is set)"
    if _in_checkout(compiled) and source.is_file() and source.stat().st_mtime > compiled.stat().st_mtime:
        return "source (changed since it was compiled: run `make` or `pip install -e .` to compile it again)"
    return None


class _SourceWhenAsked(importlib.abc.MetaPathFinder):
    """Finds the compiled modules as usual, and hands back their source when
    :func:`source_reason` says so."""

    def find_spec(self, name: str, path: Any, target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if name not in MODULES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.origin is None:
            return spec
        if not isinstance(spec.loader, importlib.machinery.ExtensionFileLoader):
            _STATUS[name] = "source (not compiled)"
            return spec
        compiled = Path(spec.origin)
        source = compiled.with_name(name.rpartition(".")[2] + ".py")
        reason = source_reason(compiled, source)
        if reason is None or not source.is_file():
            _STATUS[name] = "compiled"
            return spec
        _STATUS[name] = reason
        if not os.environ.get(PURE_ENV):
            warnings.warn(f"{name}: {reason}", RuntimeWarning, stacklevel=2)
        return importlib.util.spec_from_file_location(name, source)


def install() -> None:
    if not any(isinstance(f, _SourceWhenAsked) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceWhenAsked())


def status() -> dict[str, str]:
    """``{module: "compiled" | "source (why)"}`` for every module of :data:`MODULES`."""
    for name in MODULES:
        importlib.import_module(name)
    return {name: _STATUS.get(name, "source (not compiled)") for name in MODULES}
