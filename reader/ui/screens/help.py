"""The help screen: every key, grouped, made from the same table as the bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keys import LIST_KEYS, MAIN_KEYS, TRIAGE_KEYS
from .prompts import DismissOnce

QUERY_HELP = (
    "Filter: words match title, abstract, authors, venue, tags and notes; "
    '"a phrase"; -word excludes; is:read is:unread is:starred; tag:NAME; '
    "author:NAME; year:2024 year:>=2023 year:2019..2022; has:notes has:code."
)


def help_table(palette_key: str = "ctrl+p") -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold", no_wrap=True)
    table.add_column()
    group = None
    for key in [*LIST_KEYS, *MAIN_KEYS, *TRIAGE_KEYS]:
        if key.group != group:
            group = key.group
            table.add_row("", Text(group, style="bold underline"))
        table.add_row(Text(key.shown_key), Text(key.help))
    table.add_row("", "")
    table.add_row(Text(palette_key), Text("Command palette: every action by name"))
    return table


class HelpScreen(DismissOnce, ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Text("reader — keys", style="bold"), id="help-title")
            yield Static(help_table(self.app.COMMAND_PALETTE_BINDING))
            yield Static(Text(QUERY_HELP, style="dim"), id="help-query")

    def action_close(self) -> None:
        self.dismiss(None)
