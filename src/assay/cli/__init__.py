"""Command-line interface (Typer + rich). Core stages never import this package."""

from assay.cli._app import app, main
from assay.cli.commands import load_all as _load_commands

_load_commands()

__all__ = ["app", "main"]
