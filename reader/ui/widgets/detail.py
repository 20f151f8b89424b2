"""The detail pane: everything about the paper under the cursor."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.style import Style
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...core.listing import display_title
from ...core.marks import match_spans
from ...core.models import Paper
from ...core.text import tex_to_plain
from ..keys import DETAIL_KEYS
from ..safe import (
    AUTHORS_CHARS,
    ID_CHARS,
    TAGS_CHARS,
    VENUE_CHARS,
    block,
    one_line,
    safe_link,
)


def reader_marks(paper: Paper) -> str:
    """"★ starred · unread": the reader's marks, in the words used everywhere."""
    marks = f"{'★ starred' if paper.starred else '☆ unstarred'} · {'read' if paper.read else 'unread'}"
    return marks + " · new" if paper.new else marks


MARKS_WIDTH = len("☆ unstarred · unread · new")


def header_text(paper: Paper | None) -> Text:
    """Title, authors, year, venue, the reader's marks and tags."""
    if paper is None:
        return Text("No paper selected.", style="dim")
    text = Text()
    text.append(one_line(display_title(paper)), style="bold")
    if paper.authors:
        text.append("\n")
        text.append(one_line(", ".join(a.display for a in paper.authors), AUTHORS_CHARS), style="italic")
    facts = [str(paper.year) if paper.year else "", one_line(paper.venue, VENUE_CHARS)]
    line = " · ".join(f for f in facts if f)
    if line:
        text.append(f"\n{line}", style="dim")
    # A line of their own, never broken, and of one width whatever they
    # are, so a toggle moves nothing.
    text.append("\n" + reader_marks(paper).ljust(MARKS_WIDTH), style="dim")
    if paper.tags:
        text.append("\n" + one_line(" ".join(f"#{t}" for t in paper.tags), TAGS_CHARS), style="bold")
    return text


def body_text(paper: Paper | None, loading: bool = False, abstract: str | None = None) -> Text:
    """Ids, links and the abstract: what a toggle never changes.

    loading: the library's abstracts are still being read; `abstract`: the
    paper's, when the paper does not hold it."""
    text = Text()
    if paper is None:
        return text
    rows = [
        ("id", paper.id, ""),
        ("arXiv", paper.arxiv_id, paper.arxiv_url),
        ("DOI", paper.doi, paper.doi_url),
        ("url", paper.url, paper.url),
        ("code", paper.code_url, paper.code_url),
        ("pdf", paper.pdf_url, paper.pdf_url),
    ]
    for label, value, link in rows:
        if not value:
            continue
        text.append(f"{label:>5}  ", style="dim")
        url = safe_link(link)
        text.append(one_line(value, ID_CHARS), style=Style(link=url) if url else "")
        text.append("\n")
    abstract = paper.abstract if abstract is None else abstract
    if abstract:
        text.append("\n")
        text.append(block(tex_to_plain(abstract)))
    else:
        text.append("\nReading the abstract…" if loading else "\nNo abstract.", style="dim")
    if paper.notes.strip():
        text.append("\n\nNotes", style="bold underline")
        text.append("  n edits\n", style="dim")
        text.append(block(paper.notes))
    return text


def mark_words(text: Text, words: Sequence[str], style: Style) -> Text:
    """`text` with the places where `words` match in `style`."""
    for start, end in match_spans(text.plain, words) if words else ():
        text.stylize(style, start, end)
    return text


class DetailPane(VerticalScroll, can_focus=True):
    """Scrollable details of one paper; the filter's words marked."""

    COMPONENT_CLASSES = {"detail--match"}

    BINDINGS = [key.binding() for key in DETAIL_KEYS]

    def __init__(self, *, id: str | None = None, abstract_of: Callable[[Paper], str] | None = None) -> None:
        """abstract_of: a paper's abstract, where papers do not hold theirs
        (`LibraryStore.abstract`)."""
        super().__init__(id=id)
        self._abstract_of = abstract_of
        self._shown: object = "\0"
        self._header_length = -1

    def compose(self):
        yield Static(id="detail-header", markup=False)
        yield Static(id="detail-why", markup=False)
        yield Static(id="detail-body", markup=False)

    def show(
        self, paper: Paper | None, loading: bool = False, why: str = "", words: Sequence[str] = ()
    ) -> None:
        """Show a paper, `words` (folded) marked where they match; for the
        paper already shown with the same words only the header is redrawn
        (a toggle or a tag), so the abstract is not laid out again. `why`:
        why it is where it is in the list ("close to: …" in the for-you order)."""
        reason = self.query_one("#detail-why", Static)
        reason.display = bool(why)
        if why:
            reason.update(Text(one_line(why), style="italic"))
        mark = self.get_component_rich_style("detail--match")
        pid = paper.id if paper else None
        shown = (pid, tuple(words), paper.notes if paper else "")
        header = mark_words(header_text(paper), words, mark)
        # Laid out again only if its text changed length (not for a toggle).
        same_size = shown == self._shown and len(header.plain) == self._header_length
        self._header_length = len(header.plain)
        self.query_one("#detail-header", Static).update(header, layout=not same_size)
        if shown != self._shown:
            another = not isinstance(self._shown, tuple) or self._shown[0] != pid
            self._shown = shown
            self.query_one("#detail-body", Static).update(mark_words(self._body(paper, loading), words, mark))
            if another:  # a new paper starts at its top
                self.scroll_home(animate=False, immediate=True)

    def _body(self, paper: Paper | None, loading: bool) -> Text:
        abstract = self._abstract_of(paper) if paper is not None and self._abstract_of else None
        return body_text(paper, loading, abstract)

    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False)

    def reset(self) -> None:
        """Forget what is shown, so the next `show` draws everything."""
        self._shown = "\0"
