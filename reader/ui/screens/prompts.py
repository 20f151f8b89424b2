"""Small modal prompts: tags, a file to import, a citation format."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ...core.citation import FORMATS
from ..safe import PREVIEW_CHARS, PROMPT_TITLE_CHARS, one_line

FORMAT_LABELS = {"bibtex": "BibTeX", "apa": "APA", "markdown": "Markdown link", "plain": "Plain text"}


class DismissOnce:
    """A screen that closes once, and only while it is on top.

    Keys typed fast (Enter twice, Esc twice, or keys that arrive in a burst
    over a slow SSH link) reach a screen that is already closing; Textual's
    `dismiss` would then pop the screen beneath it instead (and raise once
    there is none left).
    """

    _reader_dismissed = False

    def dismiss(self, result=None) -> AwaitComplete:
        if self._reader_dismissed or not self.is_active:  # type: ignore[attr-defined]
            return AwaitComplete.nothing()
        self._reader_dismissed = True
        return super().dismiss(result)  # type: ignore[misc]


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

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "", hint: str = "") -> None:
        super().__init__(classes="prompt")
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box"):
            yield Label(Text(one_line(self.title_text)), classes="prompt-title")
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")
            if self.hint:
                yield Label(Text(self.hint), classes="prompt-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


def tags_prompt(paper_title: str, tags: list[str]) -> TextPrompt:
    return TextPrompt(
        f"Tags for “{one_line(paper_title, PROMPT_TITLE_CHARS)}”",
        ", ".join(tags),
        "rl, to-read, survey",
        "Comma-separated. Enter saves, Esc cancels.",
    )


def import_prompt() -> TextPrompt:
    return TextPrompt(
        "Import a file",
        "",
        "~/Downloads/papers.bib",
        "A trending-papers page saved as text, BibTeX, arXiv Atom XML, a list of arXiv ids, "
        "or a reader JSON export. Enter imports, Esc cancels.",
    )


class CiteChooser(DismissOnce, ModalScreen[str | None]):
    """Choose the citation format to copy."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, previews: dict[str, str]) -> None:
        super().__init__(classes="prompt")
        self.previews = previews

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box"):
            yield Label("Copy the citation as…", classes="prompt-title")
            options = []
            for fmt in FORMATS:
                preview = one_line(self.previews.get(fmt, ""), PREVIEW_CHARS)
                prompt = Text.assemble((FORMAT_LABELS.get(fmt, fmt), "bold"), "\n", (preview, "dim"))
                options.append(Option(prompt, id=fmt))
            yield PagingOptionList(*options, id="cite-formats")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
