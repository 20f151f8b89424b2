"""Opening a link in the user's web browser, when there is one to open."""

from __future__ import annotations

import os
import sys
import webbrowser


def has_graphical_browser() -> bool:
    """Whether `webbrowser` would open a window rather than take over this terminal."""
    if os.environ.get("BROWSER"):
        return True
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_link(link: str) -> str:
    """Open `link` (blocking: run it in a worker). Returns what to tell the user."""
    try:
        opened = webbrowser.open(link)
    except Exception:  # noqa: BLE001 - a browser failing is never a crash
        opened = False
    return f"Opened {link}" if opened else f"Could not open a browser for {link}"
