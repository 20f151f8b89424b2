"""Opening a PDF in a viewer: `$READER_PDF_VIEWER` (a command; the file is
given as its last argument, never through a shell), else the platform's
opener where there is a graphical session."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import threading
from pathlib import Path

ENV_VIEWER = "READER_PDF_VIEWER"


def viewer_command() -> list[str] | None:
    """The command to open a PDF with, or None where there is none to use."""
    configured = os.environ.get(ENV_VIEWER, "").strip()
    if configured:
        try:
            return shlex.split(configured) or None
        except ValueError:
            return None
    if sys.platform == "darwin":
        return ["open"]
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        opener = shutil.which("xdg-open")
        return [opener] if opener else None
    return None


def open_pdf(path: Path) -> str | None:
    """Start the viewer on `path` (not waiting for it); returns None when
    it was started, else why not."""
    command = viewer_command()
    if command is None:
        return "no graphical session and no $READER_PDF_VIEWER"
    try:
        viewer = subprocess.Popen(
            [*command, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )
    except OSError as exc:
        return f"the viewer {command[0]!r} could not start ({exc.strerror})"
    # Reaped when it ends, in a thread that never keeps the process alive.
    threading.Thread(target=viewer.wait, name="reader-pdf-viewer", daemon=True).start()
    return None
