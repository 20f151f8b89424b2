"""The user's preferences (theme, sort), kept between runs."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import platformdirs

from ..core.storage import atomic_write_bytes

ENV_CONFIG = "READER_CONFIG_DIR"


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
    """Save preferences; a failure only loses a preference, so it is not raised."""
    path = path or settings_path()
    try:
        atomic_write_bytes(path, json.dumps(values, indent=2).encode("utf-8"))
    except Exception:  # noqa: BLE001
        return False
    return True
