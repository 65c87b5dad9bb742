"""``assay init``: write a commented starter ``assay.yaml``."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from assay.errors import AssayError
from assay.project._config import CONFIG_FILE, STATE_DIR, parse_config


def starter_text(project_name: str) -> str:
    text = files("assay.project").joinpath("starter.yaml").read_text(encoding="utf-8")
    return text.replace("project: my-project", f"project: {project_name}", 1)


def init_project(root: str | Path = ".", *, name: str | None = None, force: bool = False) -> Path:
    """Create ``assay.yaml`` (and ``.assay/``) in ``root``; returns the config path."""
    root = Path(root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    path = root / CONFIG_FILE
    if path.exists() and not force:
        raise AssayError(f"{path} already exists", hint="edit it, or pass --force to overwrite it")
    text = starter_text(name or root.name)
    parse_config(text, file=str(path))  # the starter must always be valid
    path.write_text(text, encoding="utf-8")
    (root / STATE_DIR).mkdir(exist_ok=True)
    gitignore = root / STATE_DIR / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("# the store, the project key and reports stay local\n*\n", encoding="utf-8")
    return path
