"""The status line: what is shown, what is left, and whether it is all saved."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ..safe import QUERY_CHARS, STATUS_MESSAGE_CHARS, one_line
from ..session import Session


def status_text(session: Session, unsaved: bool, message: str = "") -> Text:
    counts = session.counts
    text = Text()
    scan = session.scan
    searching = scan if scan is not None and not scan.done else None
    shown = f"{len(session.rows)}{'+' if searching else ''}"
    text.append(f" {shown} shown / {counts.total}", style="bold")
    if searching is not None:
        if searching.needs_abstracts and not session.library.abstracts_loaded:
            text.append(" (reading the abstracts…)")
        else:
            text.append(f" (searching {100 * searching.searched // max(len(searching.base), 1)}%)")
    text.append(f" · {counts.unread} unread · {counts.starred} starred")
    if counts.new:
        text.append(f" · {counts.new} new", style="bold")
    if session.marks:
        text.append(f" · {len(session.marks)} marked", style="bold")
    text.append(f" · sort: {session.sort}{' ★ first' if session.starred_first else ''}")
    if session.query:
        text.append(" · filter: ")
        text.append(one_line(session.query.text, QUERY_CHARS), style="italic")
    text.append(" · ")
    if unsaved:
        text.append("● unsaved note", style="bold")
    else:
        text.append("✓ all saved")
    if message:
        text.append(" · ")
        text.append(one_line(message, STATUS_MESSAGE_CHARS))
    return text


class StatusLine(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def show(self, session: Session, unsaved: bool, message: str = "") -> None:
        self.update(status_text(session, unsaved, message), layout=False)  # one line, always
