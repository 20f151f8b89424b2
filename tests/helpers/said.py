"""What the app said: news goes on the status line, warnings and errors in a toast."""

from __future__ import annotations

from textual_probes import notifications


def status_line(app) -> str:
    """The status line of the main screen, as shown (empty on another screen)."""
    from reader.ui.widgets.status import StatusLine

    lines = app.screen.query(StatusLine)
    return str(lines.first().render()) if lines else ""


def said(app) -> str:
    """Everything the app says now: the status line and the toasts."""
    return "\n".join([status_line(app), *(n.message for n in notifications(app))])
