"""Command modules. Every module in this package is imported when the CLI starts and
registers its commands on ``assay.cli._app.app`` (``@app.command()`` or ``app.add_typer``),
so a new command is a new file here, not an edit of a central one."""

import importlib
import pkgutil


def load_all() -> None:
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
