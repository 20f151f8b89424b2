"""The main screen's filter beyond typing: the error of a malformed query,
shown once typing pauses; the list's cursor moved from the filter; the tag
list that filters by a tag."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.timer import Timer
from textual.widgets import Static

from ...core.tags import tag_counts
from ..safe import one_line
from ..widgets.filter_bar import FilterBar, FilterInput
from .paper_actions import PaperActions
from .tag_list import TagList

#: Seconds of quiet in the filter before a malformed query is said to be.
ERROR_AFTER = 0.9


class FilterWork(PaperActions):
    """The error line of the filter, ↓/↑ in the filter, and the tag list."""

    _error_due = False
    _error_submitted = False
    _error_shown = ""
    _error_timer: Timer | None = None

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    def query_typed(self) -> None:
        """The query was edited: any error waits for a pause in typing."""
        self._error_due = self._error_submitted = False
        if self._error_timer is not None:
            self._error_timer.stop()
        self._error_timer = self.set_timer(ERROR_AFTER, partial(self.show_query_error, now=True))

    def show_query_error(self, now: bool = False, submitted: bool = False) -> None:
        """Show the query's error if typing paused on it (now: show it at once;
        submitted: Enter, which also says a last term is not finished).
        It lies over the panes' top border: showing it moves nothing."""
        if now or submitted:
            self._error_due = True
        if submitted:
            self._error_submitted = True
        error = self.session.query_error if self._error_due else ""
        if self._error_submitted and not error:
            error = self.session.query_unfinished
        if error == self._error_shown:
            return
        self._error_shown = error
        line = self.query_one("#filter-error", Static)
        line.update(Text(one_line(error), style="bold"), layout=False)
        line.set_class(bool(error), "-shown")

    @on(FilterInput.MoveCursor)
    def _move_from_filter(self, event: FilterInput.MoveCursor) -> None:
        self.paper_list.cursor += event.step

    def action_tag_list(self) -> None:
        tags = tag_counts(self.session.library.papers())
        if not tags:
            self.say("No paper has a tag yet: t adds tags to the paper under the cursor.")
            return

        def picked(tag: str | None) -> None:
            if tag:
                self.filter_bar.input.value = f"tag:{tag}"  # FilterBar.Changed filters

        self.app.push_screen(TagList(tags), picked)
