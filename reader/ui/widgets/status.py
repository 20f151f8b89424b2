"""The status line: where the cursor is, the last message, what is left, and
whether it is all saved. One line at any width: what does not fit is left
out whole, least useful first, never cut mid-word."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rich.cells import cell_len
from rich.text import Text
from textual.timer import Timer
from textual.widget import Widget

from ..safe import QUERY_CHARS, STATUS_MESSAGE_CHARS, one_line
from ..session import Session

SEPARATOR = " · "
#: How much a message is kept: only the position and an unsaved note come first.
MESSAGE_KEEP = 8
#: Seconds a message stays on the status line (unless another replaces it).
MESSAGE_SECONDS = 12


@dataclass(frozen=True)
class Part:
    text: str
    style: str = ""
    #: Lower goes first when the line is too narrow.
    keep: int = 0


def status_parts(session: Session, unsaved: bool, message: str = "", position: int = -1) -> list[Part]:
    """The parts of the status line, in the order shown."""
    counts = session.counts
    scan = session.scan
    searching = scan if scan is not None and not scan.done else None
    shown = len(session.rows)
    more = "+" if searching else ""
    parts = []
    if shown and position >= 0:
        parts.append(Part(f"{position + 1}/{shown}{more}", "bold", keep=9))
    if searching is not None:
        if searching.needs_abstracts and not session.library.searchable:
            parts.append(Part("reading the abstracts…", keep=7))
        else:
            parts.append(Part(f"searching {100 * searching.searched // max(len(searching.base), 1)}%", keep=7))
    if message:
        parts.append(Part(one_line(message, STATUS_MESSAGE_CHARS), keep=MESSAGE_KEEP))
    if unsaved:
        parts.append(Part("● unsaved note", "bold", keep=10))
    parts.append(Part(f"{counts.unread} unread", keep=5))
    parts.append(Part(f"{counts.starred} starred", keep=4))
    if counts.new:
        parts.append(Part(f"{counts.new} new", "bold", keep=6))
    if session.marks:
        parts.append(Part(f"{len(session.marks)} marked", "bold", keep=7))
    if not shown:
        parts.insert(0, Part(f"0{more} of {counts.total} shown", "bold", keep=9))
    else:
        parts.append(Part(f"{shown}{more} of {counts.total} shown" if shown != counts.total or more or session.query
                          else f"{counts.total} papers", keep=3))
    parts.append(Part(f"sort: {session.sort}{' ★ first' if session.starred_first else ''}", keep=2))
    if session.query:
        parts.append(Part(f"filter: {one_line(session.query.text, QUERY_CHARS)}", "italic", keep=1))
    if not unsaved:
        parts.append(Part("✓ all saved", keep=6))
    return parts


def fit_parts(parts: list[Part], width: int) -> Text:
    """The parts that fit in `width` cells (a space before), most useful kept;
    a message too long for what is left is cut at a word, with an ellipsis."""
    kept = list(parts)

    def length(items: list[Part]) -> int:
        return 1 + sum(cell_len(p.text) for p in items) + len(SEPARATOR) * (len(items) - 1)

    while length(kept) > width and any(p.keep < MESSAGE_KEEP for p in kept):
        kept.remove(min(kept, key=lambda p: p.keep))
    over = length(kept) - width
    if over > 0:
        for index, part in enumerate(kept):
            if part.keep == MESSAGE_KEEP:
                room = cell_len(part.text) - over
                if room > 8:
                    kept[index] = Part(shorten(part.text, room), part.style, part.keep)
                else:
                    del kept[index]
                break
    text = Text(" ")
    for index, part in enumerate(kept):
        if index:
            text.append(SEPARATOR)
        text.append(part.text, style=part.style)
    if cell_len(text.plain) > width:
        text = Text(" ") + Text(shorten(text.plain[1:], width - 1), style="bold")
    return text


def shorten(text: str, width: int) -> str:
    """`text` in `width` cells, cut after a whole word, with an ellipsis."""
    if cell_len(text) <= width:
        return text
    cut = text[: max(width - 1, 0)]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ·") + "…" if width > 0 else ""


class StatusLine(Widget):
    """One line, remade for its width whenever it is drawn. A message (what
    a toast would say) stays until the next one, or for `MESSAGE_SECONDS`."""

    DEFAULT_CSS = "StatusLine { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._parts: list[Part] = []
        self._state: tuple[Session, bool, int] | None = None
        self.message = ""
        self._timer: Timer | None = None

    def show(self, session: Session, unsaved: bool, position: int) -> None:
        """Draw the line for `session`; `position`: the list's cursor."""
        self._state = (session, unsaved, position)
        parts = status_parts(session, unsaved, self.message, position)
        if parts != self._parts:
            self._parts = parts
            self.refresh()

    def say(self, message: str) -> None:
        """Show `message` in place of the last one (made one safe line)."""
        message = one_line(message, STATUS_MESSAGE_CHARS)
        self.message = message
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(MESSAGE_SECONDS, partial(self._expire, message))
        self._redraw()

    def _expire(self, message: str) -> None:
        if self.message == message:
            self.message = ""
            self._redraw()

    def _redraw(self) -> None:
        if self._state is not None:
            self.show(*self._state)

    def render(self) -> Text:
        return fit_parts(self._parts, self.size.width)
