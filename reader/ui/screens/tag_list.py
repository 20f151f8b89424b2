"""The tag list: every tag of the library with its count; picking one
filters the list by it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label
from textual.widgets.option_list import Option

from ..safe import TAGS_CHARS, one_line
from .prompts import OptionChooser, PagingOptionList


class TagList(OptionChooser):
    """Choose a tag; closes with it (None: Esc)."""

    OPTIONS = "#tag-options"

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

