"""The stats screen: how the user keeps up, as Sparklines, week by week.

The numbers are `core.stats.weekly_stats`, computed in a thread worker (a
100k-paper library takes a moment); each row is a label, a Sparkline and
its total. Esc or q closes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, Sparkline, Static

from ...core.library import Library
from ...core.stats import DEFAULT_WEEKS, Stats, weekly_stats
from ..safe import one_line
from .prompts import DismissOnce


class StatsScreen(DismissOnce, ModalScreen[None]):
    BINDINGS = [Binding("escape,q,percent_sign", "close", "Close")]

    DEFAULT_CSS = """
    StatsScreen #stats-box { width: 90; max-width: 100%; height: auto; max-height: 90%; }
    StatsScreen #stats-rows { height: auto; max-height: 24; }
    StatsScreen .stats-row { height: 1; }
    StatsScreen .stats-label { width: 26; }
    StatsScreen Sparkline { width: 1fr; height: 1; }
    StatsScreen .stats-total { width: 14; text-align: right; }
    StatsScreen .stats-heading { margin-top: 1; text-style: bold; }
    """

    @dataclass
    class Computed(Message):
        stats: Stats

    def __init__(self, library: Library, weeks: int = DEFAULT_WEEKS) -> None:
        super().__init__(classes="prompt")
        self.library = library
        self.weeks = weeks
        self.stats: Stats | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box", id="stats-box"):
            yield Label(Text(f"How you keep up: the last {self.weeks} weeks, oldest first"),
                        classes="prompt-title")
            yield VerticalScroll(Static(Text("Counting…", style="dim"), markup=False), id="stats-rows")
            yield Label(Text("Esc closes. `reader stats` prints the same."), classes="prompt-hint")

    def on_mount(self) -> None:
        with self.library.lock:
            papers = self.library.papers()
        self._compute(papers)

    @work(thread=True, exclusive=True, group="stats")
    def _compute(self, papers: list) -> None:
        self.post_message(self.Computed(weekly_stats(papers, self.weeks)))

    def on_stats_screen_computed(self, message: Computed) -> None:
        self.stats = stats = message.stats
        rows = self.query_one("#stats-rows", VerticalScroll)
        rows.remove_children()
        widgets: list[Widget] = [
            *self._row("arrived", stats.arrived),
            *self._row("read", stats.read),
            *self._row("starred (by week added)", stats.starred),
            *self._row("unread backlog", stats.backlog, now=True),
        ]
        if stats.per_feed:
            widgets.append(Static(Text("Per feed: arrived"), classes="stats-heading", markup=False))
            for name, values in stats.per_feed.items():
                widgets += self._row(name.removeprefix("feed:"), values)
        if stats.per_tag:
            widgets.append(Static(Text("Per tag: arrived"), classes="stats-heading", markup=False))
            for name, values in stats.per_tag.items():
                widgets += self._row(f"#{name}", values)
        rows.mount_all(widgets)

    @staticmethod
    def _row(label: str, values: list[int], now: bool = False) -> list[Widget]:
        total = f"{values[-1]} now" if now else f"{sum(values)} in all"
        return [Horizontal(
            Static(Text(one_line(label, 26)), classes="stats-label", markup=False),
            Sparkline([float(v) for v in values]),
            Static(Text(total), classes="stats-total", markup=False),
            classes="stats-row",
        )]

    def action_close(self) -> None:
        self.dismiss(None)
