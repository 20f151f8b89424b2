"""The tag list: every tag of the library with its count; picking one
filters the list by it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ..safe import TAGS_CHARS, one_line
from .prompts import DismissOnce, PagingOptionList


class TagList(DismissOnce, ModalScreen[str | None]):
    """Choose a tag; closes with it (None: Esc)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
    ]

    def __init__(self, tags: list[tuple[str, int]]) -> None:
        """`tags`: (tag, number of papers), in the order to show."""
        super().__init__(classes="prompt")
        self.tags = tags

    def compose(self) -> ComposeResult:
        width = max(len(str(count)) for _, count in self.tags)
        with Vertical(classes="prompt-box", id="tag-box"):
            yield Label(f"Tags ({len(self.tags)})", classes="prompt-title")
            yield PagingOptionList(
                *(
                    Option(Text.assemble((str(count).rjust(width), "dim"), "  ", ("#" + one_line(tag, TAGS_CHARS), "bold")), id=tag)
                    for tag, count in self.tags
                ),
                id="tag-options",
            )
            yield Label("j/k move · Enter filters · Esc cancels", classes="prompt-hint")

    def action_move(self, step: int) -> None:
        options = self.query_one("#tag-options", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
