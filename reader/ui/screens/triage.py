"""Triage: one paper at a time, large, with its abstract; one key each."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from ...core.listing import byline, display_title
from ...core.models import Paper
from ...core.text import tex_to_plain
from ...errors import ReaderError
from ..keys import TRIAGE_KEYS
from ..reader_app import reader_app
from ..safe import BYLINE_CHARS, TAGS_CHARS, VENUE_CHARS, block, one_line
from ..session import ChangeKind, Session
from ..triage_queue import Triage
from ..widgets.detail import reader_marks
from ..widgets.key_bar import KeyBar
from .help import HelpScreen
from .prompts import DismissOnce


def triage_header(paper: Paper) -> Text:
    text = Text()
    text.append(one_line(display_title(paper)), style="bold")
    text.append("\n")
    by = byline(paper)
    marks = [one_line(by, BYLINE_CHARS)] if by else []
    if paper.venue:
        marks.append(one_line(paper.venue, VENUE_CHARS))
    marks.append(reader_marks(paper))
    text.append(" · ".join(marks), style="dim")
    if paper.tags:
        text.append("\n" + one_line(" ".join(f"#{t}" for t in paper.tags), TAGS_CHARS))
    return text


#: What triage did to a paper, as its summary says it.
STARRED, MARKED_READ, ALREADY_STARRED, ALREADY_READ, SKIPPED = (
    "starred", "marked read", "already starred", "already read", "skipped",
)


def summary(outcomes: list[str]) -> str:
    """"2 starred, 1 already starred, 3 skipped": only what happened."""
    order = (STARRED, MARKED_READ, ALREADY_STARRED, ALREADY_READ, SKIPPED)
    parts = [f"{outcomes.count(what)} {what}" for what in order if what in outcomes]
    return ", ".join(parts) if parts else "nothing done"


class TriageScreen(DismissOnce, Screen[str | None]):
    """Go through the papers of the current view: s star, r read, space skip.

    It closes with the id of the paper it was on (None when all are done)."""

    BINDINGS = [key.binding() for key in TRIAGE_KEYS]

    def __init__(self, session: Session, papers: list[Paper]) -> None:
        super().__init__()
        self.session = session
        self.triage = Triage(papers)
        #: What was done to each paper gone through, in order.
        self.outcomes: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="triage"):
            yield Static("", id="triage-progress-label", markup=False)
            yield ProgressBar(total=max(len(self.triage.papers), 1), show_eta=False, id="triage-progress")
            yield Static("", id="triage-header", markup=False)
            with VerticalScroll(id="triage-abstract-box"):
                yield Static("", id="triage-abstract", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_current()

    def show_current(self) -> None:
        total = len(self.triage.papers)
        done = self.triage.position
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        label = self.query_one("#triage-progress-label", Static)
        header = self.query_one("#triage-header", Static)
        abstract = self.query_one("#triage-abstract", Static)
        paper = self.triage.current
        if paper is None:
            label.update(Text(f"Triage · all {total} done", style="bold"))
            header.update(
                Text.assemble(
                    ("Done.", "bold"),
                    f"\n{summary(self.outcomes)}. ",
                    ("u", "bold"), " goes back, ", ("Esc", "bold"), " returns to the list.",
                )
            )
            abstract.update("")
            return
        current = self.session.library.get(paper.id) or paper
        label.update(Text(f"Triage · {self.triage.left} of {total} left", style="bold"))
        header.update(triage_header(current))
        text = self.session.library.abstract(current)
        abstract.update(
            Text(block(tex_to_plain(text)))
            if text
            else Text(
                "No abstract." if self.session.library.searchable else "Reading the abstract…",
                style="dim",
            )
        )
        self.query_one("#triage-abstract-box").scroll_home(animate=False)

    def _act(self, change) -> None:
        paper = self.triage.current
        if paper is None:
            return
        outcome = SKIPPED
        if change is not None:
            try:
                outcome = change(paper)
            except ReaderError as exc:
                self.notify(one_line(str(exc)), severity="error", markup=False)
                return
        if paper.new:
            try:
                self.session.mark_seen([paper.id])  # triage passed it: seen
            except ReaderError:
                pass
        self.outcomes.append(outcome)
        self.triage.advance(outcome in (STARRED, MARKED_READ))
        if outcome in (ALREADY_STARRED, ALREADY_READ):
            self.notify(f"It was {outcome}: left as it is.", markup=False, timeout=2)
        self.show_current()

    def _mark(self, kind: ChangeKind) -> None:
        """Star the paper (STAR) or mark it read (READ), unless it already is."""

        def mark(paper: Paper) -> str:
            current = self.session.library.require(paper.id)
            if kind is ChangeKind.STAR:
                if current.starred:
                    return ALREADY_STARRED
                self.session.set_starred(paper, True)
                return STARRED
            if current.read:
                return ALREADY_READ
            self.session.set_read(paper, True)
            return MARKED_READ

        self._act(mark)

    def action_star(self) -> None:
        self._mark(ChangeKind.STAR)

    def action_read(self) -> None:
        self._mark(ChangeKind.READ)

    def action_skip(self) -> None:
        self._act(None)

    def action_undo(self) -> None:
        changed = self.triage.back()
        if changed is None:
            self.notify("Nothing to undo in this triage.", markup=False)
            return
        self.outcomes.pop()
        if changed:
            self.session.undo()
        self.show_current()

    def action_copy_citation(self) -> None:
        paper = self.triage.current
        if paper is not None:
            reader_app(self).copy_citation(paper, "bibtex")

    def action_scroll(self, where: str) -> None:
        box = self.query_one("#triage-abstract-box", VerticalScroll)
        if where == "down":
            box.scroll_down(animate=False)
        else:
            box.scroll_up(animate=False)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        await self.app.action_quit()

    def action_leave(self) -> None:
        paper = self.triage.current
        self.dismiss(paper.id if paper is not None else None)
