"""assay: choose and ship LLMs on evidence from your own production traffic.

The pipeline, one public function per stage (the CLI calls these same functions)::

    import assay
    assay.init("my-project")
    assay.ingest("my-project", ["logs/*.jsonl"])
    assay.profile("my-project")
    assay.sample("my-project", "v1")
    assay.run("my-project", "v1")
    assay.report("my-project", "v1")

Submodules keep their other names: ``from assay.ingest import IngestSummary``.
The stage functions are imported on first use, so ``import assay`` (and the CLI) start
fast: the statistics and clustering libraries load only when a stage needs them.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from assay import _compiled
from assay.errors import AssayError

_compiled.install()  # before any compiled module is imported (see assay/_compiled.py)

__version__ = "0.1.0"

# public name -> (module, attribute)
_LAZY = {
    "compare": ("assay.analyze", "compare"),
    "coverage": ("assay.coverage", "coverage"),
    "ingest": ("assay.ingest", "ingest"),
    "init": ("assay.project", "init_project"),
    "load_project": ("assay.project", "load_project"),
    "mirage": ("assay.analyze", "mirage"),
    "profile": ("assay.profile", "profile"),
    "Project": ("assay.project", "Project"),
    "report": ("assay.analyze", "report"),
    "resume": ("assay.run", "resume"),
    "run": ("assay.run", "run"),
    "sample": ("assay.sample", "sample"),
}

__all__ = ["AssayError", "__version__", *sorted(_LAZY)]

if TYPE_CHECKING:  # pragma: no cover
    from assay.analyze import compare, mirage, report
    from assay.coverage import coverage
    from assay.ingest import ingest
    from assay.profile import profile
    from assay.project import Project, load_project
    from assay.project import init_project as init
    from assay.run import resume, run
    from assay.sample import sample


def __getattr__(name: str) -> Any:
    # A submodule of the same name (assay.ingest, ...) must not shadow the function: the
    # function is what `assay.<name>` means at the top level.
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'assay' has no attribute {name!r}")


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        # Importing a submodule (assay.ingest) binds it on the package; keep the stage
        # function under that name instead, as the eager imports of a plain package would.
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
