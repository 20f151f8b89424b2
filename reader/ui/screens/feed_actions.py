"""The main screen's feed keys: F fetches (in the background), 5 shows what
is new, % the stats, and the for-you order, ranked in a worker.

A part of the main screen, as `PaperActions` and `LibraryWork` are: it uses
the screen's session, list and chrome.

* Fetch: `F` starts a fetch of every feed in a thread (`ui.fetch_job`) and
  the user goes on; a panel under the list shows a line per feed. `F` again,
  or Esc with nothing else to clear, stops it. At the end the status line says
  how many arrived and the list and the views' counts take them in.
* Seen: a new paper is seen once the cursor rests on it for `SEEN_AFTER`
  seconds (or triage passes it); it then leaves `is:new` (and the New view
  the next time the view is drawn).
* For you: whenever the order is chosen or the papers change, the ranking is
  computed again in a thread (`core.ranking`) and the list redrawn when it
  arrives; the details pane says which starred paper each is close to.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.message import Message
from textual.timer import Timer
from textual.worker import get_current_worker

from ...core.models import Paper
from ...core.ranking import Ranking, rank_for_you
from ...errors import ReaderError
from ..fetch_job import FeedFetch
from ..reader_app import reader_app
from ..widgets.fetch_panel import FetchPanel
from .library_work import LibraryWork

#: Seconds the cursor rests on a new paper before it counts as seen.
SEEN_AFTER = 1.0
#: The setting that fetches the feeds when the app starts.
FETCH_ON_START = "fetch_on_start"


class FeedActions(LibraryWork):
    """Feed and ranking actions of the main screen (see the module)."""

    _seen_timer: Timer | None = None
    _fetch: FeedFetch | None = None
    #: The paper under the cursor when the order became for you: the cursor
    #: goes to the top when the ranking arrives if it is still there.
    _top_when_ranked: str | None = None

    @dataclass
    class Ranked(Message):
        ranking: Ranking

    # ------------------------------------------------------------------ fetching
    @property
    def feed_fetch(self) -> FeedFetch:
        if self._fetch is None:
            self._fetch = FeedFetch(self, self.session.library)
        return self._fetch

    def action_fetch_feeds(self) -> None:
        """Fetch every feed in the background; again while it runs: stop it."""
        if self.feed_fetch.running:
            self.stop_fetch()
            return
        self.notes.flush()
        why_not = self.feed_fetch.start()
        if why_not:
            self.say(f"Fetch: {why_not}", "warning")

    def stop_fetch(self) -> bool:
        """Stop the fetch under way, if any (what arrived is kept). Returns whether one was."""
        if not self.feed_fetch.running:
            return False
        self.feed_fetch.stop()
        self.query_one(FetchPanel).stop_asked()
        self.say("Stopping the fetch…")
        return True

    @on(FeedFetch.Started)
    def _fetch_started(self, message: FeedFetch.Started) -> None:
        self.query_one(FetchPanel).begin(message.names)
        self.say(f"Fetching {len(message.names)} feed{'s' if len(message.names) != 1 else ''}…")

    @on(FeedFetch.Progressed)
    def _fetch_progressed(self, message: FeedFetch.Progressed) -> None:
        self.query_one(FetchPanel).progressed(message.event)

    @on(FeedFetch.Finished)
    def _fetch_finished(self, message: FeedFetch.Finished) -> None:
        self.query_one(FetchPanel).end()
        report = message.report
        if report.added:
            self.redraw_all()
        self.say(report.message(), "warning" if report.failed else "information")

    def fetch_on_start(self) -> None:
        """Fetch now if the user asked for it at every start (`reader config fetch-on-start on`)."""
        app = reader_app(self)
        if app.use_settings and app.settings.get(FETCH_ON_START) is True:
            self.action_fetch_feeds()

    # ------------------------------------------------------------------ stats
    def action_stats(self) -> None:
        from .stats import StatsScreen

        self.app.push_screen(StatsScreen(self.session.library))

    # ------------------------------------------------------------------ seen
    def seen_soon(self, paper: Paper | None) -> None:
        if self._seen_timer is not None:
            self._seen_timer.stop()
            self._seen_timer = None
        if paper is not None and paper.new:
            pid = paper.id
            self._seen_timer = self.set_timer(SEEN_AFTER, lambda: self._seen(pid))

    def _seen(self, pid: str) -> None:
        self._seen_timer = None
        current = self.current
        if current is None or current.id != pid:
            return
        try:
            self.session.mark_seen([pid])
        except ReaderError:
            return  # a refused write: it stays new, nothing else
        paper = self.session.library.get(pid)
        if paper is not None:
            self.refresh_row(paper)

    # ------------------------------------------------------------------ for you
    def rank_if_needed(self, *, from_top: bool = False) -> None:
        """Start a ranking if the order is for you. `from_top`: when it
        arrives, the cursor goes to the best paper, unless the user moved
        it in the meantime."""
        session = self.session
        if session.sort != "for-you":
            return
        if from_top:
            self._top_when_ranked = self.current.id if self.current is not None else ""
        with session.library.lock:
            papers = session.library.papers()
        self._rank(papers)

    @work(thread=True, exclusive=True, group="for-you")
    def _rank(self, papers: list[Paper]) -> None:
        ranking = rank_for_you(papers, papers, self.session.library.abstract)
        if not get_current_worker().is_cancelled:  # a later ranking is under way: it will say
            self.post_message(self.Ranked(ranking))

    def on_feed_actions_ranked(self, message: Ranked) -> None:
        if self.session.sort != "for-you":
            return
        self.session.set_ranking(message.ranking)
        waiting, self._top_when_ranked = self._top_when_ranked, None
        unmoved = waiting is not None and waiting == (self.current.id if self.current is not None else "")
        self.show_rows(keep=self.first_row() if unmoved else None)
        if not message.ranking.enough:
            self.say(message.ranking.reason(Paper(id="")))

    def why(self, paper: Paper | None) -> str:
        """What the details pane says of `paper` in the for-you order."""
        session = self.session
        if paper is None or session.sort != "for-you" or session.ranking is None:
            return ""
        return session.ranking.reason(paper)

