"""Command-line interface (Typer + rich). Core stages never import this package."""

import sys

try:
    from assay.cli._app import app, main
    from assay.cli.commands import load_all as _load_commands

    _load_commands()
except KeyboardInterrupt:  # Ctrl-C while the CLI's modules load (the first half second): no traceback
    sys.stderr.write("interrupted\n")
    raise SystemExit(130) from None

__all__ = ["app", "main"]
