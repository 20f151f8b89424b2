"""The filter bar: the query as typed, and the views with their counts."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static

from ..control_message import ControlMessage
from ..keys import FILTER_KEYS
from ..session import VIEW_LABELS, VIEWS, Counts

#: Under this width the views bar names only the current view.
NARROW = 80
PLACEHOLDER = "/  filter: is:unread tag:rl year:>=2023 words…"


class FilterInput(Input):
    """The query field. Never narrower than the bar: a query shorter than
    the bar then changes no size as it is typed, and costs no layout.

    ↓ and ↑ move the list's cursor (a `MoveCursor` to the screen)."""

    BINDINGS = [key.binding() for key in FILTER_KEYS]

    @dataclass
    class MoveCursor(ControlMessage["FilterInput"]):
        """Move the list's cursor by `step` rows."""

        step: int

    def action_list_down(self) -> None:
        self.post_message(self.MoveCursor(self, 1))

    def action_list_up(self) -> None:
        self.post_message(self.MoveCursor(self, -1))

    @property
    def content_width(self) -> int:
        return max(super().content_width, self.size.width)


@dataclass
class QueryMessage(ControlMessage["FilterBar"]):
    """A message from the filter bar, with the query as it stands."""

    value: str


class FilterBar(Horizontal):
    """Posts `Changed` for every edit of the query and `Submitted` on Enter."""

    class Changed(QueryMessage):
        """The query text changed (typed, pasted or cleared)."""

    class Submitted(QueryMessage):
        """Enter in the query field."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._views_length = -1

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder=PLACEHOLDER, id="filter", select_on_focus=False)
        yield Static("", id="views", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one(FilterInput)

    @on(Input.Changed, "#filter")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self, event.value))

    @on(Input.Submitted, "#filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self, event.value))

    def focus_input(self) -> None:
        self.input.focus()

    def clear(self) -> None:
        """Empty the query (a `Changed` follows)."""
        self.input.value = ""

    def show_views(self, counts: Counts, current: str) -> None:
        """The views with their counts, the current one highlighted: the key
        in the key colour, the count after the name, a bar between views."""
        key_style = Style(bold=True, color=self.app.current_theme.accent)
        views = Text()
        narrow = self.app.size.width < NARROW
        for n, view in enumerate(VIEWS, 1):
            if n > 1:
                views.append("│", style="dim")
            if narrow and view != current:  # the key alone: the filter keeps the room
                views.append(f" {n} ", style=key_style)
                continue
            item = Text.assemble((f" {n}", key_style), f" {VIEW_LABELS[view]} ", (str(counts.of(view)), "bold"), " ")
            if view == current:
                item.stylize("reverse")
            views.append_text(item)
        # Its width follows the counts: laid out again only when that changes.
        self.query_one("#views", Static).update(views, layout=len(views.plain) != self._views_length)
        self._views_length = len(views.plain)
