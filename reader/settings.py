"""The user's preferences (theme, sort, citation style), kept between runs.

One JSON file in the user's config directory (`$READER_CONFIG_DIR`, else the
platform's, e.g. ~/.config/reader/settings.json). The app and
`reader config` both change it by merging into what is on disk, so that
neither undoes the other's change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import platformdirs

from .core.storage import atomic_write_bytes

ENV_CONFIG = "READER_CONFIG_DIR"
#: The citation style of `plain` and `markdown` citations, and the app's "your style".
STYLE = "style"


def settings_path() -> Path:
    base = os.environ.get(ENV_CONFIG) or platformdirs.user_config_dir("reader", appauthor=False)
    return Path(base) / "settings.json"


def load_settings(path: Path | None = None) -> dict[str, Any]:
    path = path or settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_settings(values: dict[str, Any], path: Path | None = None) -> bool:
    """Merge preferences into the file (None removes one); a failure only
    loses a preference, so it is not raised."""
    path = path or settings_path()
    merged = {**load_settings(path), **values}
    merged = {k: v for k, v in merged.items() if v is not None}
    try:
        atomic_write_bytes(path, json.dumps(merged, indent=2).encode("utf-8"))
    except Exception:  # noqa: BLE001
        return False
    return True


def default_style() -> str:
    """The user's citation style, else the built-in default."""
    from .core.formats import DEFAULT_STYLE

    value = load_settings().get(STYLE)
    return value.strip() if isinstance(value, str) and value.strip() else DEFAULT_STYLE


#: When the app syncs by itself: "start", "quit", "start+quit" or "manual".
SYNC = "sync"
SYNC_VALUES = ("manual", "start", "quit", "start+quit")


def sync_when() -> set[str]:
    """When the app syncs by itself: a subset of {"start", "quit"}."""
    value = load_settings().get(SYNC)
    return set(value.split("+")) & {"start", "quit"} if value in SYNC_VALUES else set()
