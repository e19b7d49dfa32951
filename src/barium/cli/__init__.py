"""The `barium` command: a thin shell over :class:`barium.services.Barium`."""

from barium.cli.app import app, main

__all__ = ["app", "main"]
