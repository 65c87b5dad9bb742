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
"""

from assay.analyze import compare, mirage, report
from assay.coverage import coverage
from assay.errors import AssayError
from assay.ingest import ingest
from assay.profile import profile
from assay.project import Project, init_project, load_project
from assay.run import run
from assay.sample import sample

init = init_project

__version__ = "0.1.0"

__all__ = [
    "AssayError",
    "Project",
    "__version__",
    "compare",
    "coverage",
    "ingest",
    "init",
    "load_project",
    "mirage",
    "profile",
    "report",
    "run",
    "sample",
]
