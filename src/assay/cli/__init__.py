"""Command-line interface (Typer + rich). Core stages never import this package."""

from assay.cli._app import app, main

__all__ = ["app", "main"]
