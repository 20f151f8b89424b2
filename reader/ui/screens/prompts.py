"""Small modal prompts: tags, a file to import, a citation format."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.suggester import Suggester
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...errors import ReaderError
from ..keys import PROMPT_KEYS
from ..safe import PROMPT_TITLE_CHARS, one_line
from ..tag_suggester import TagSuggester

if TYPE_CHECKING:
    _ScreenBase = Screen[Any]
else:  # a mixin: the screen class comes later in the bases
    _ScreenBase = object


class DismissOnce(_ScreenBase):
    """A screen that closes once, and only while it is on top.

    Keys typed fast (Enter twice, Esc twice, or keys that arrive in a burst
    over a slow SSH link) reach a screen that is already closing; Textual's
    `dismiss` would then pop the screen beneath it instead (and raise once
    there is none left).
    """

    _reader_dismissed = False

    def dismiss(self, result=None) -> AwaitComplete:
        if self._reader_dismissed or not self.is_active:
            return AwaitComplete.nothing()
        self._reader_dismissed = True
        return super().dismiss(result)


class PagingOptionList(OptionList):
    """An OptionList whose PgUp/PgDn do nothing before it is laid out
    (Textual 8.2 raises KeyError there when the keys come fast)."""

    def action_page_up(self) -> None:
        try:
            super().action_page_up()
        except (KeyError, IndexError):
            pass

    def action_page_down(self) -> None:
        try:
            super().action_page_down()
        except (KeyError, IndexError):
            pass


class TextPrompt(DismissOnce, ModalScreen[str | None]):
    """Ask for one line of text. Enter gives it, Esc gives None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), *(key.binding() for key in PROMPT_KEYS)]

    def __init__(self, title: str, value: str = "", placeholder: str = "", hint: str = "",
                 suggester: Suggester | None = None) -> None:
        super().__init__(classes="prompt")
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.hint = hint
        self.suggester = suggester

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box"):
            yield Label(Text(one_line(self.title_text)), classes="prompt-title")
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input",
                        suggester=self.suggester)
            if self.hint:
                yield Label(Text(self.hint), classes="prompt-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_complete(self) -> None:
        """Take the suggestion shown (the cursor goes to the end)."""
        field = self.query_one("#prompt-input", Input)
        field.cursor_position = len(field.value)
        field.action_cursor_right()  # at the end: takes the suggestion


def tags_prompt(paper_title: str, tags: list[str], known: Sequence[str] = ()) -> TextPrompt:
    """The tags of a paper to edit; `known`: the library's tags, most used
    first, offered as each tag is typed."""
    return TextPrompt(
        f"Tags for “{one_line(paper_title, PROMPT_TITLE_CHARS)}”",
        ", ".join(tags),
        "rl, to-read, survey",
        "Comma-separated; Tab takes the tag offered. Enter saves, Esc cancels.",
        TagSuggester(known),
    )


def import_prompt() -> TextPrompt:
    return TextPrompt(
        "Import a file",
        "",
        "~/Downloads/papers.bib",
        "A trending-papers page saved as text, BibTeX, arXiv Atom XML, a list of arXiv ids, "
        "or a reader JSON export; or an arXiv id or DOI. Enter imports, Esc cancels.",
    )


def add_prompt() -> TextPrompt:
    return TextPrompt(
        "Add a paper by its id",
        "",
        "2501.12948, https://arxiv.org/abs/…, 10.1109/…, https://doi.org/…",
        "An arXiv id or link, a DOI or doi.org link, or a page's address with one in it; "
        "several, separated by spaces. Enter adds, Esc cancels.",
    )


class OptionChooser(DismissOnce, ModalScreen[str | None]):
    """A pop-up that picks one option of its `OptionList` (`OPTIONS`, a query):
    `j`/`k` move, Enter picks its id, Esc picks nothing."""

    OPTIONS = "OptionList"

    def action_move(self, step: int) -> None:
        options = self.query_one(self.OPTIONS, OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CiteChooser(OptionChooser):
    """Choose the citation format to copy: one line each, a preview beside the
    name (filled in as each is made, so the chooser shows at once)."""

    OPTIONS = "#cite-formats"

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
    ]

    def __init__(self, choices: list[tuple[str, str]], preview: Callable[[str], str]) -> None:
        """`choices`: (format name, label) in order; `preview(name)` makes the citation."""
        super().__init__(classes="prompt")
        self.choices = choices
        self.preview = preview
        self.width = max((len(label) for _, label in choices), default=0) + 2

    def _prompt(self, label: str, preview: str, room: int = 0) -> Text:
        """One line: the label, then as much of the preview as fits in `room` columns."""
        preview = one_line(" ".join(preview.split()), max(room - self.width, 1)) if room else ""
        return Text.assemble((label.ljust(self.width), "bold"), (preview, "dim"))

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box", id="cite-box"):
            yield Label("Copy the citation as…", classes="prompt-title")
            options = [Option(self._prompt(label, ""), id=name) for name, label in self.choices]
            yield PagingOptionList(*options, id="cite-formats")
            yield Label("j/k move · Enter copies · Esc cancels", classes="prompt-hint")

    def on_mount(self) -> None:
        self._make_previews()

    @work(thread=True, exclusive=True, group="cite-previews")
    def _make_previews(self) -> None:
        worker = get_current_worker()
        for name, label in self.choices:
            if worker.is_cancelled:  # the chooser closed: the rest are not wanted
                return
            try:
                preview = self.preview(name)
            except ReaderError as exc:
                preview = str(exc)
            self.app.call_from_thread(self._show_preview, name, label, preview)

    def _show_preview(self, name: str, label: str, preview: str) -> None:
        try:
            options = self.query_one("#cite-formats", OptionList)
        except NoMatches:
            return  # closed meanwhile
        # The option list's padding and scroll bar take a few columns.
        room = options.scrollable_content_region.width - 3
        options.replace_option_prompt(name, self._prompt(label, preview, room))

