"""The main screen: filter bar, paper list, detail and notes panes, status line."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

from ...core.models import Paper
from ...core.query import highlight_terms
from ..keys import MAIN_KEYS
from ..library_jobs import LibraryJobs
from ..live_filter import LiveFilter
from ..reader_app import reader_app
from ..session import Session
from ..view_counts import ViewCounts
from ..widgets.detail import DetailPane
from ..widgets.empty import EmptyLibrary, empty_view_text
from ..widgets.fetch_panel import FetchPanel
from ..widgets.filter_bar import FilterBar
from ..widgets.key_bar import KeyBar
from ..widgets.notes import NotesPane
from ..widgets.paper_list import PaperList
from ..widgets.status import StatusLine
from .adding import AddingById
from .editing import EditingInEditor
from .feed_actions import FeedActions
from .filter_work import FilterWork
from .help import HelpScreen
from .list_moves import DETAILS_HIDDEN, ListMoves
from .marked_actions import MarkedActions
from .notes_work import NotesWork

PAPER_ACTIONS = {
    "toggle_read", "toggle_star", "edit_tags", "edit_notes", "open_link",
    "copy_citation", "choose_citation", "delete", "focus_detail", "enrich", "enrich_view",
    "mark", "mark_view", "open_pdf", "edit_entry", "notes_in_editor",
}
#: Seconds of quiet typing in the filter before the details follow the list.
DETAIL_AFTER_TYPING = 0.08
#: Seconds after the first frame before the abstracts are read.
ABSTRACTS_AFTER = 0.05
NARROW = 100

class MainScreen(ListMoves, AddingById, MarkedActions, EditingInEditor, FilterWork, NotesWork, FeedActions):
    BINDINGS = [key.binding() for key in MAIN_KEYS if key.bound]
    AUTO_FOCUS = "#papers"

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._binding_state: tuple[bool, bool] | None = None
        self._detail_later = False
        self._detail_timer: Timer | None = None
        # Made here, not looked up: Textual asks `check_action` (and so
        # `current`) while the screen mounts and unmounts, when a query for
        # the children would find none and raise.
        self._papers = PaperList(id="papers")
        self._papers.marked = session.marks
        self._notes = NotesPane(id="notes")
        self._detail = DetailPane(id="detail", abstract_of=session.library.abstract)
        self._filter_bar = FilterBar(id="filter-bar")
        self.live_filter = LiveFilter(self, session)
        self.jobs = LibraryJobs(self, session.library)
        self.view_counts = ViewCounts(session)
        #: The session's generation the list was last drawn from.
        self._drawn = -1

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield self._filter_bar
        yield Static("", id="filter-error", markup=False)
        with Horizontal(id="main"):
            yield self._papers
            with Vertical(id="side"):
                yield self._detail
                yield self._notes
        yield EmptyLibrary(id="empty")
        yield FetchPanel(id="fetch-panel")
        yield StatusLine(id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.paper_list.border_title = "Papers"
        self.query_one(DetailPane).border_title = "Details"
        # The Footer is drawn for the actions that apply now: no redraw after.
        self._binding_state = (self.session.counts.total == 0, False)
        self.show_rows()
        if not self.session.library.searchable:
            # After the first frame is on the screen: reading them holds the
            # interpreter for a moment, and the list must not wait for that.
            self.set_timer(ABSTRACTS_AFTER, self.jobs.read_abstracts)
        self.jobs.watch_disk()
        self.app.theme_changed_signal.subscribe(self, lambda _: self.update_chrome())
        self._apply_width(self.app.size.width)
        self.show_details_pane(not reader_app(self).settings.get(DETAILS_HIDDEN, False))
        self.rank_if_needed(from_top=True)  # opened in the for-you order: at the best paper
        self.fetch_on_start()

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)
        self.call_after_refresh(self.update_chrome)  # the views bar follows the width

    def _apply_width(self, width: int) -> None:
        self.set_class(width < NARROW, "-narrow")

    @property
    def paper_list(self) -> PaperList:
        return self._papers

    @property
    def detail(self) -> DetailPane:
        return self._detail

    @property
    def notes(self) -> NotesPane:
        return self._notes

    @property
    def current(self) -> Paper | None:
        return self.paper_list.current

    # ------------------------------------------------------------------ drawing
    def show_rows(self, keep: str | None = None, *, detail_later: bool = False) -> None:
        """Show the session's rows, keeping the cursor on `keep` (or the current paper).

        detail_later: while the user types a filter, the details of the paper
        under the cursor wait for a pause in typing; the list does not.
        """
        if keep is None and self.current is not None:
            keep = self.current.id
        self._drawn = self.session.generation  # everything is drawn again here
        self._detail_later = detail_later
        self.paper_list.set_rows(self.session.rows, keep=keep)
        self.paper_list.highlight(highlight_terms(self.session.query))
        empty = self.session.counts.total == 0
        self.set_class(empty, "-empty")
        self.update_chrome()
        if detail_later:
            self._show_paper_soon()
        else:
            self._show_paper(self.current)

    def _show_paper_soon(self) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_AFTER_TYPING, self._show_current_paper)

    def _show_current_paper(self) -> None:
        self._detail_timer = None
        self._detail_later = False
        self._show_paper(self.current)

    def update_chrome(self) -> None:
        scan = self.session.scan
        searching = scan is not None and not scan.done
        self.paper_list.say_empty(
            "" if searching else empty_view_text(self.session.query.text, self.session.view)
        )
        self._filter_bar.show_views(self.view_counts.counts(), self.session.view)
        self.show_query_error()
        self.show_status()
        self._refresh_bindings_if_needed()

    def show_status(self) -> None:
        self.query_one(StatusLine).show(self.session, self.notes.unsaved, self.paper_list.cursor)

    def _refresh_bindings_if_needed(self) -> None:
        """The Footer shows which actions apply; redraw it only when that changes."""
        state = (self.current is None, bool(self.session.undo_stack))
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def _show_paper(self, paper: Paper | None) -> None:
        loading = not self.session.library.searchable
        self.query_one(DetailPane).show(paper, loading, self.why(paper), highlight_terms(self.session.query))
        self.notes.show(paper)
        self.seen_soon(paper)

    @on(PaperList.Highlighted)
    def _highlighted(self, event: PaperList.Highlighted) -> None:
        if self._detail_later:
            self._show_paper_soon()
        else:
            self._show_paper(event.paper)
        self.show_status()
        self._refresh_bindings_if_needed()

    def redraw_all(self) -> None:
        """Take in the library as it is now and draw everything again
        (after an import, a look-up or a change made elsewhere)."""
        self.session.reload()
        self.query_one(DetailPane).reset()
        self.show_rows()
        self.rank_if_needed()
        if not self.session.library.searchable:
            self.jobs.read_abstracts()  # the papers were read again

    def refresh_row(self, paper: Paper) -> None:
        if self.session.generation != self._drawn:  # changes from elsewhere came in with ours
            self.query_one(DetailPane).reset()
            self.show_rows()
            return
        self.paper_list.refresh_paper(paper.id)
        if self.current is not None and self.current.id == paper.id:
            current = self.session.library.get(paper.id)
            self.query_one(DetailPane).show(
                current, why=self.why(current), words=highlight_terms(self.session.query)
            )
        self.update_chrome()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in PAPER_ACTIONS and self.current is None:
            return None
        if action == "undo" and not self.session.undo_stack:
            return None
        return True

    # ------------------------------------------------------------------ filter and views
    def action_focus_filter(self) -> None:
        self._filter_bar.focus_input()

    def action_clear_filter(self) -> None:
        focused = self.focused
        if isinstance(focused, Input) or isinstance(focused, DetailPane):
            self.focus_list()
            return
        if self.session.query or self.session.query_error:
            self._filter_bar.clear()  # FilterBar.Changed does the rest
            return
        self.stop_fetch()  # nothing else to clear: a fetch under way stops

    @on(FilterBar.Changed)
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        self.filter_typed(event.value)

    def filter_typed(self, value: str) -> None:
        """The filter's text changed: the first rows at once, the rest as found."""
        if value == self.session.query.text:
            return
        self.session.set_query(value, run=False)  # what can be understood of it
        self.query_typed()
        self.run_filter()

    def run_filter(self) -> None:
        """Filter by the session's query; `LiveFilter.Grew` brings the rest."""
        self.live_filter.start()
        self.show_rows(detail_later=True)

    @on(LiveFilter.Grew)
    def _filter_grew(self, event: LiveFilter.Grew) -> None:
        if event.scan is self.session.scan:
            self.paper_list.rows_grew()
            self.update_chrome()

    @on(FilterBar.Submitted)
    def _filter_submitted(self) -> None:
        self.show_query_error(submitted=True)
        self.focus_list()

    def action_view(self, view: str) -> None:
        """Show the view, the cursor on the same paper if the view has it,
        else on its first (5 after a fetch: on the first that arrived)."""
        current = self.current
        self.session.set_view(view)
        here = current is not None and any(paper.id == current.id for paper in self.session.rows)
        self.show_rows(keep=None if here else self.first_row())

    def action_cycle_sort(self) -> None:
        """The next order, from its first paper: a new order is read from
        the top (for you: from the best, once the ranking is in)."""
        self.session.set_sort(self.session.next_sort())
        reader_app(self).save_settings()
        self.show_rows(keep=self.first_row())
        self.rank_if_needed(from_top=True)
        self.say(f"Sorted by {self.session.sort}")

    def action_toggle_starred_first(self) -> None:
        self.session.set_sort(starred_first=not self.session.starred_first)
        reader_app(self).save_settings()
        self.show_rows()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        await self.app.action_quit()

