"""The help screen: every key, grouped in columns, made from the same table as the bindings."""

from __future__ import annotations

from itertools import combinations

from rich.console import Console
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...core.query import HAS_VALUES, IS_VALUES
from ..keys import DETAIL_KEYS, FILTER_KEYS, LIST_KEYS, MAIN_KEYS, PROMPT_KEYS, TRIAGE_KEYS, Key
from .prompts import DismissOnce

QUERY_HELP = (
    "Filter: words match title, abstract, authors, venue, tags and notes; "
    '"a phrase"; -word excludes; '
    + " ".join(f"is:{value}" for value in IS_VALUES)
    + "; tag:NAME; author:NAME; year:2024 year:>=2023 year:2019..2022; "
    + " ".join(f"has:{value}" for value in HAS_VALUES)
    + "."
)
#: Cells of one column of keys, and the most columns side by side.
COLUMN_WIDTH = 36
MAX_COLUMNS = 3
#: The most keys of a group in one piece of a column.
GROUP_PART = 5


def key_groups(palette_key: str = "ctrl+p") -> list[tuple[str, list[tuple[str, str]]]]:
    """(group, [(key, what it does)]) in the order of the key table."""
    groups: dict[str, list[tuple[str, str]]] = {}
    key: Key
    for key in [*LIST_KEYS, *MAIN_KEYS, *PROMPT_KEYS, *FILTER_KEYS, *DETAIL_KEYS, *TRIAGE_KEYS]:
        groups.setdefault(key.group, []).append((key.shown_key, key.help))
    groups["App"].append((palette_key, "Command palette: every action by name"))
    # Long groups in parts, so that columns can be of even height.
    parts = []
    for name, rows in groups.items():
        for start in range(0, len(rows), GROUP_PART):
            parts.append((name if start == 0 else f"{name} (more)", rows[start : start + GROUP_PART]))
    return parts


def group_table(name: str, rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="bold", no_wrap=True)
    table.add_column()
    table.add_row("", Text(name, style="bold underline"))
    for key, text in rows:
        table.add_row(Text(key), Text(text))
    return table


def split_columns(groups: list[tuple[str, list[tuple[str, str]]]], count: int) -> list[list[int]]:
    """Indexes of the groups in each of `count` columns, in order, the
    columns as even in height (as drawn, wrapped lines and all) as whole
    groups allow."""
    console = Console(width=COLUMN_WIDTH - 1)
    heights = [len(console.render_lines(group_table(*group), pad=False)) + 1 for group in groups]
    best: list[list[int]] = [list(range(len(groups)))]
    for cuts in combinations(range(1, len(groups)), min(count, len(groups)) - 1):
        bounds = [0, *cuts, len(groups)]
        columns = [list(range(a, b)) for a, b in zip(bounds, bounds[1:], strict=False)]
        if max(sum(heights[i] for i in c) for c in columns) < max(sum(heights[i] for i in c) for c in best):
            best = columns
    return best


class HelpScreen(DismissOnce, ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False),
        Binding("k,up", "scroll('up')", "Scroll up", show=False),
        Binding("g,home", "scroll('home')", "Top", show=False),
        Binding("G,end", "scroll('end')", "Bottom", show=False),
    ]

    def compose(self) -> ComposeResult:
        groups = key_groups(self.app.COMMAND_PALETTE_BINDING)
        count = max(1, min(MAX_COLUMNS, (self.app.size.width - 8) // COLUMN_WIDTH))
        with VerticalScroll(id="help-box") as box:
            box.border_title = "reader — keys"
            box.border_subtitle = "Esc, q or ? closes · j/k scroll"
            with Horizontal(id="help-columns"):
                for column in split_columns(groups, count):
                    table = Table.grid()
                    for index in column:
                        table.add_row(group_table(*groups[index]))
                        table.add_row("")
                    yield Static(table, classes="help-column")
            yield Static(Text(QUERY_HELP, style="dim"), id="help-query")

    def action_scroll(self, where: str) -> None:
        box = self.query_one("#help-box", VerticalScroll)
        {"down": box.scroll_down, "up": box.scroll_up, "home": box.scroll_home, "end": box.scroll_end}[where](
            animate=False
        )

    def action_close(self) -> None:
        self.dismiss(None)
