"""Command modules. Every module in this package is imported when the CLI starts and
registers its commands on ``assay.cli._app.app`` (``@app.command()`` or ``app.add_typer``),
so a new command is a new file here, not an edit of a central one. What a command needs
beyond the project and the store (ingest's readers, the scorers) it imports when it runs:
every command would otherwise pay for all of them at start-up."""

import importlib
import pkgutil


def load_all() -> None:
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
