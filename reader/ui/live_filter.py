"""Filtering as the user types: the first screenful at once, the rest a
slice at a time between keystrokes, so typing never waits for a long search."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.message import Message
from textual.message_pump import MessagePump

from .scan import Scan
from .session import Session

#: Seconds of searching before the first rows of a filter are shown.
FIRST_PAINT_BUDGET = 0.010
#: Rows found that are enough for the first frame (a screenful and more).
FIRST_PAINT_ROWS = 80
#: Seconds of searching per slice after the first frame.
SLICE_BUDGET = 0.006
#: Seconds between two slices: just enough to let keys and frames through.
BETWEEN_SLICES = 0.001


class LiveFilter:
    """Runs the session's scans for `owner`, which gets a `Grew` message
    after every slice."""

    @dataclass
    class Grew(Message):
        """More rows of the current filter were found (or it is done)."""

        scan: Scan

    def __init__(self, owner: MessagePump, session: Session) -> None:
        self.owner = owner
        self.session = session

    def start(self) -> Scan:
        """Scan for the session's query until the first screenful is found;
        the rest follows slice by slice."""
        scan = self.session.start_scan()
        scan.step(FIRST_PAINT_BUDGET, enough=FIRST_PAINT_ROWS)
        self._next_slice(scan)
        return scan

    def resume(self) -> None:
        """Carry on a scan that waited for the abstracts."""
        scan = self.session.scan
        if scan is not None and not scan.done:
            self._slice(scan)

    def _next_slice(self, scan: Scan) -> None:
        if not scan.done:
            self.owner.set_timer(BETWEEN_SLICES, partial(self._slice, scan))

    def _slice(self, scan: Scan) -> None:
        if scan is not self.session.scan or scan.done:
            return  # a newer query took over, or this one is finished
        if scan.needs_abstracts and not self.session.library.searchable:
            self.owner.post_message(self.Grew(scan))
            return  # `resume` carries on
        scan.step(SLICE_BUDGET)
        self.owner.post_message(self.Grew(scan))
        self._next_slice(scan)
