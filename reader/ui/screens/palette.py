"""The command palette: Textual's, safe against keys that come fast.

Its commands are the app's system commands (`ReaderApp.get_system_commands`),
made from the key table: every action, with its key.
"""

from __future__ import annotations

from textual import on
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.widgets import Input, OptionList

from .prompts import DismissOnce


class ReaderCommandPalette(DismissOnce, CommandPalette):
    """PgUp/PgDn before the list is laid out do nothing (Textual 8.2 raises
    KeyError there); closing stops the search first, so a search never
    looks for the list after it is gone.

    A keystroke typed just before the palette closes reaches it as an
    `Input.Changed` after `dismiss` has begun taking its widgets away;
    Textual's handler would start a new search that then finds no list.
    Such a change is stopped here, before Textual's handler sees it.
    """

    BINDINGS = [
        Binding("pagedown", "page(1)", "Next page", show=False),
        Binding("pageup", "page(-1)", "Previous page", show=False),
    ]

    @classmethod
    def open(cls, app: App) -> None:
        if app.use_command_palette and not cls.is_open(app):
            app.push_screen(cls(id="--command-palette"))

    def action_page(self, direction: int) -> None:
        try:
            options = self.query_one(OptionList)
            if direction > 0:
                options.action_page_down()
            else:
                options.action_page_up()
        except (NoMatches, KeyError, IndexError):
            pass

    @property
    def closing(self) -> bool:
        """Dismissed, or the app is on its way out: no new search."""
        return self._reader_dismissed or self.app.return_code is not None

    @on(Input.Changed)
    def _typed_while_closing(self, event: Input.Changed) -> None:
        if self.closing:
            event.stop()
            event.prevent_default()  # Textual's handler (a base class's) is skipped

    def dismiss(self, result=None) -> AwaitComplete:
        self.workers.cancel_node(self)  # the search, before its list goes
        return super().dismiss(result)
