"""The `reader` command line. The TUI is imported only when it is opened."""

from .main import main

__all__ = ["main"]
