"""Where the library lives. Resolved when called, never at import."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "reader"
ENV_DB = "READER_DB"
LIBRARY_FILE = "library.json"


def default_library_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / LIBRARY_FILE


def library_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """`--db PATH`, else `$READER_DB`, else a file in the user data directory."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    return default_library_path()


def companion(path: Path, suffix: str) -> Path:
    """A file beside the library with a derived name: library.json -> library.state.json."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    return path.with_name(f"{stem}.{suffix}{path.suffix or ''}")
