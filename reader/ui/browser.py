"""Opening a link in the user's web browser, when there is one to open."""

from __future__ import annotations

import os
import sys
import webbrowser
from functools import partial

from textual.notifications import SeverityLevel
from textual.widget import Widget

from ..core.models import Paper
from .reader_app import reader_app


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


def open_paper_link(node: Widget, paper: Paper) -> None:
    """Open `paper`'s link in a browser (in a worker of `node`), or copy it
    when there is no browser to open here; tell the user which."""
    link = paper.link
    if not link:
        _say(node, "This paper has no link to open.", "warning")
    elif not has_graphical_browser():
        node.app.copy_to_clipboard(link)
        _say(node, f"No browser to open here; the link is copied: {link}")
    else:
        node.run_worker(partial(_open_in_thread, node, link), thread=True, group="browser")


def _open_in_thread(node: Widget, link: str) -> None:
    node.app.call_from_thread(_say, node, open_link(link))


def _say(node: Widget, message: str, severity: SeverityLevel = "information") -> None:
    reader_app(node).say(message, severity)
