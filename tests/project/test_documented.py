"""Every setting of assay.yaml is documented, and every package's __all__ is real."""

import importlib
from pathlib import Path

import pytest
from pydantic import BaseModel

from assay.project import ProjectConfig

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _fields(model: type[BaseModel], prefix: str = ""):
    for name, info in model.model_fields.items():
        yield prefix + name
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            yield from _fields(ann, prefix + name + ".")


def test_every_config_field_is_in_docs_config_md():
    text = (DOCS / "config.md").read_text()
    missing = [f for f in _fields(ProjectConfig) if f.split(".")[-1] + ":" not in text]
    assert not missing, f"document these in docs/config.md: {missing}"


@pytest.mark.parametrize(
    "module",
    ["assay", "assay.store", "assay.project", "assay.ingest", "assay.profile", "assay.sample", "assay.providers",
     "assay.run", "assay.scorers", "assay.stats", "assay.analyze", "assay.testing"],
)
def test_all_names_exist(module):
    mod = importlib.import_module(module)
    for name in mod.__all__:
        assert getattr(mod, name, None) is not None, f"{module}.{name}"


def test_every_command_has_a_docs_page():
    from assay.cli import app

    for cmd in app.registered_commands:
        name = cmd.name or cmd.callback.__name__
        assert (DOCS / f"{name}.md").exists(), f"docs/{name}.md"
