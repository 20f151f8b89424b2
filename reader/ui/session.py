"""What the TUI shows and what it can undo, without a terminal.

The session holds the view over the library: which papers are listed (view,
query, sort), the counts, and the undo stack. The widgets only draw it.

Threads: workers (import, refresh from disk, arXiv look-ups) change the
Library in their own threads, under `Library.lock`, which every changing
method takes. The session reads the library on the UI thread and takes the
same lock around every read that must see one state (the papers and the
version together; a change of ours and the version it moved).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..core.library import Library
from ..core.listing import display_title
from ..core.models import Paper
from ..core.query import Matcher, Query, parse_partial, parse_query
from ..core.ranking import Ranking
from ..core.sorting import SORTS, sort_papers
from ..core.text import normalise_tag
from .marks import Marks
from .safe import PROMPT_TITLE_CHARS, one_line
from .scan import Scan
from .undo import ChangeKind, UndoStep

VIEWS = ("all", "unread", "starred", "read", "new")
VIEW_LABELS = {"all": "All", "unread": "Unread", "starred": "Starred", "read": "Read", "new": "New"}


def in_view(paper: Paper, view: str) -> bool:
    if view == "unread":
        return not paper.read
    if view == "starred":
        return paper.starred
    if view == "read":
        return paper.read
    if view == "new":
        return paper.new
    return True


@dataclass
class Counts:
    total: int = 0
    unread: int = 0
    starred: int = 0
    read: int = 0
    new: int = 0

    def of(self, view: str) -> int:
        return {"all": self.total, "unread": self.unread, "starred": self.starred, "read": self.read,
                "new": self.new}[view]


class Session:
    """The list the user is looking at, and the changes they can take back."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.view = "all"
        self.sort = "added"
        self.starred_first = False
        self.query: Query = parse_query("")
        self.query_error = ""
        #: The error of a last term not finished yet (`year:`): said on Enter only.
        self.query_unfinished = ""
        self.rows: list[Paper] = []
        self.counts = Counts()
        self.undo_stack: list[UndoStep] = []
        #: The papers marked to act on together (v, V, space).
        self.marks = Marks()
        self._ordered: list[Paper] = []
        self._matcher: Matcher | None = None
        self._seen_version = -1
        #: A star changed while starred papers come first: the order is
        #: brought up to date when the list is drawn anew (a view, a filter),
        #: not under the cursor at once.
        self._order_stale = False
        #: Goes up whenever the whole list is taken in again (here, or when a
        #: change of ours also brought in changes made elsewhere): a view that
        #: drew an older generation draws everything again.
        self.generation = 0
        #: The last completed filter: (papers key, query, hits), for refining.
        self._done: tuple[object, Query, list[Paper]] | None = None
        self.scan: Scan | None = None
        #: The last for-you order (see `set_ranking`).
        self.ranking: Ranking | None = None
        #: The visit of the notes pane the last notes step was made in, and that step.
        self._notes_visit: tuple[object, UndoStep] | None = None
        self.reload()

    # ------------------------------------------------------------------ the list
    def reload(self) -> None:
        """Take in the library as it is now (after an import, or a change elsewhere)."""
        with self.library.lock:
            papers = self.library.papers()
            version = self.library.version
        self._ordered = self._sorted(papers)
        self._order_stale = False
        self._matcher = self._new_matcher(papers)
        self._recount()
        self._seen_version = version
        self.generation += 1
        self.apply()

    @property
    def ordered(self) -> list[Paper]:
        """Every paper (not only the view's), in the list's order."""
        return self._ordered

    def _recount(self) -> None:
        counts = Counts(total=len(self._ordered))
        for paper in self._ordered:
            if paper.read:
                counts.read += 1
            if paper.starred:
                counts.starred += 1
            if paper.new:
                counts.new += 1
        counts.unread = counts.total - counts.read
        self.counts = counts

    def _view_base(self) -> list[Paper]:
        """The ordered papers of the current view (before the query)."""
        if self.view == "all":
            return self._ordered
        return [p for p in self._ordered if in_view(p, self.view)]

    def apply(self) -> None:
        """Filter the ordered papers by view and query into `rows`, all at once."""
        self.start_scan().step(None)

    def start_scan(self) -> Scan:
        """Begin filtering into `rows`; the caller runs `step` until it is done.

        A query that narrows the last completed one over the same papers
        searches only that one's hits.
        """
        if self._order_stale:
            self._resort()
        base = self._view_base()
        key = (self.view, id(self._ordered), self._seen_version)
        done = self._done
        if done is not None and done[0] == key and self.query.narrows(done[1]):
            base = done[2]
        assert self._matcher is not None
        scan = Scan(self._matcher, self.query, base, key, lambda: self.library.searchable,
                    self._scan_finished)
        self.scan = scan
        self.rows = scan.hits
        return scan

    def _scan_finished(self, scan: Scan) -> None:
        if self.scan is scan:
            self._done = (scan.key, scan.query, list(scan.hits))

    def set_query(self, text: str, run: bool = True) -> bool:
        """Filter by `text` (run=False: only parse it; the caller scans).

        What can be understood of a query being typed filters (an unfinished
        or malformed term is left out); the error it would raise is kept in
        `query_error` (wrong whatever is typed next) or `query_unfinished`
        (its last term not finished). Returns whether the query was good."""
        typed = parse_partial(text)
        self.query, self.query_error, self.query_unfinished = typed.query, typed.error, typed.unfinished
        if run:
            self.apply()
        return not (self.query_error or self.query_unfinished)

    def set_view(self, view: str) -> None:
        self.view = view
        self.apply()

    def set_sort(self, sort: str | None = None, starred_first: bool | None = None) -> None:
        if sort is not None:
            self.sort = sort
        if starred_first is not None:
            self.starred_first = starred_first
        self._resort()
        self.apply()

    def _resort(self) -> None:
        self._ordered = self._sorted(self.library.papers())
        self._order_stale = False

    def _sorted(self, papers: list[Paper]) -> list[Paper]:
        """`papers` in the session's order; for you: the last ranking's
        (`set_ranking`), papers it did not know first, newest first."""
        ordered = sort_papers(papers, self.sort, starred_first=self.starred_first)
        if self.sort == "for-you" and self.ranking is not None:
            place = {p.id: i for i, p in enumerate(self.ranking.ordered)}
            ordered.sort(key=lambda p: place.get(p.id, -1))
            if self.starred_first:
                ordered.sort(key=lambda p: not p.starred)
        return ordered

    def set_ranking(self, ranking: Ranking) -> None:
        """The for-you order, computed in a worker over the papers as they were."""
        self.ranking = ranking
        if self.sort == "for-you":
            self._resort()
            self.generation += 1
            self.apply()

    def mark_seen(self, pids: list[str]) -> None:
        """The papers are no longer new (the cursor rested on them, triage passed them)."""
        self._change_and_count(pids, lambda: self.library.mark_seen(pids))

    def next_sort(self) -> str:
        return SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]

    def _new_matcher(self, papers: list[Paper]) -> Matcher:
        """A matcher sharing the library's search texts (made once, kept across reloads)."""
        return Matcher(papers, abstract_of=self.library.abstract, texts=self.library.search_texts)

    def abstracts_arrived(self) -> None:
        """The abstracts were read: search text made before them is stale.
        Nothing else changed if the reading is all that moved the version."""
        if self._seen_version == self.library.abstracts_version - 1:
            self._seen_version = self.library.abstracts_version
        self._matcher = self._new_matcher(self._ordered)
        self._done = None

    # ------------------------------------------------------------------ changes
    def _own_change(self, change: Callable[[], object]) -> bool:
        """Make a change; if the library read in other processes' changes on
        the way (its version moved by more than our one write), take them all
        in (a new `generation`). Returns whether it did."""
        with self.library.lock:
            current = self._seen_version == self.library.version
            before = self.library.version
            change()
            moved = self.library.version > before + 1
        if not current or moved:
            self.reload()
            return True
        return False

    def _state_change(self, papers: Paper | list[Paper], kind: ChangeKind, description: str,
                      change: Callable[[], object]) -> Paper:
        """A change to one paper or several, taken back by one undo; returns
        the (first) paper as it is after."""
        pids = [p.id for p in (papers if isinstance(papers, list) else [papers])]
        description += f" ({len(pids)} papers)" if len(pids) > 1 else ""
        step = UndoStep.of(kind, description, [self.library.require(pid) for pid in pids])
        self._change_and_count(pids, change)
        after = [self.library.require(pid) for pid in pids]
        if kind is ChangeKind.TAGS:
            step.after.update({p.id: list(p.tags) for p in after})
        self.undo_stack.append(step)
        return after[0]

    def _change_and_count(self, pids: list[str], change: Callable[[], object]) -> None:
        """Make a change of reader state to `pids`, keeping counts and search up to date."""
        was = {pid: (p.read, p.starred, p.new) for pid in pids if (p := self.library.get(pid))}
        if self._own_change(change):
            return
        for pid, (was_read, was_starred, was_new) in was.items():
            after = self.library.require(pid)
            self._adjust_counts(was_read, was_starred, after)
            if self.starred_first and after.starred != was_starred:
                self._order_stale = True
            self.counts.new += int(after.new) - int(was_new)
            self._changed(after)

    def _changed(self, paper: Paper) -> None:
        if self._matcher is not None:
            self._matcher.update(paper)
        self._done = None
        self._seen_version = self.library.version

    def _adjust_counts(self, was_read: bool, was_starred: bool, paper: Paper) -> None:
        self.counts.read += int(paper.read) - int(was_read)
        self.counts.unread = self.counts.total - self.counts.read
        self.counts.starred += int(paper.starred) - int(was_starred)

    def toggle_read(self, paper: Paper) -> Paper:
        return self.set_read(paper, not self.library.require(paper.id).read)

    def toggle_star(self, paper: Paper) -> Paper:
        return self.set_starred(paper, not self.library.require(paper.id).starred)

    def set_read(self, paper: Paper | list[Paper], value: bool) -> Paper:
        pids = [p.id for p in (paper if isinstance(paper, list) else [paper])]
        return self._state_change(
            paper, ChangeKind.READ, "marked read" if value else "marked unread",
            lambda: self.library.set_read(pids, value),
        )

    def set_starred(self, paper: Paper | list[Paper], value: bool) -> Paper:
        pids = [p.id for p in (paper if isinstance(paper, list) else [paper])]
        return self._state_change(
            paper, ChangeKind.STAR, "starred" if value else "unstarred",
            lambda: self.library.set_starred(pids, value),
        )

    def change_tags(self, papers: list[Paper], add: list[str], remove: list[str]) -> Paper:
        """Tags added to and removed from several papers, one undo for all."""
        pids = [p.id for p in papers]
        add = [t for t in (normalise_tag(t) for t in add) if t]
        return self._state_change(
            papers, ChangeKind.TAGS, "tags changed",
            lambda: self.library.change_tags_of(pids, add, remove),
        )

    def set_tags(self, paper: Paper, tags: list[str], shown: list[str] | None = None) -> Paper:
        """The tags edited from `shown` (what the prompt showed; the paper's
        tags by default) to `tags`: the tags added and removed are applied to
        the latest state, so a tag added elsewhere meanwhile is kept."""
        shown = list(paper.tags if shown is None else shown)
        wanted = [normalise_tag(t) for t in tags]
        add = [t for t in wanted if t and t not in shown]
        remove = [t for t in shown if t not in wanted]
        return self._state_change(
            paper, ChangeKind.TAGS, "tags changed", lambda: self.library.change_tags(paper.id, add, remove)
        )

    def set_notes(self, paper: Paper, notes: str, visit: object = None) -> Paper | None:
        """Save notes; an unchanged note is not a change (and not an undo step).

        visit: saves with the same `visit` (one stay in the notes pane, on one
        paper) in a row are one change to undo, whatever the autosaves between."""
        if self.library.require(paper.id).notes == notes:
            return None
        last = self._notes_visit
        if visit is not None and last is not None and last[0] == visit and self.undo_stack \
                and self.undo_stack[-1] is last[1]:
            self._change_and_count([paper.id], lambda: self.library.set_notes(paper.id, notes))
            return self.library.require(paper.id)
        title = one_line(display_title(paper), PROMPT_TITLE_CHARS)
        after = self._state_change(
            paper, ChangeKind.NOTES, f"notes of “{title}” edited",
            lambda: self.library.set_notes(paper.id, notes),
        )
        self._notes_visit = (visit, self.undo_stack[-1]) if visit is not None else None
        return after

    def set_metadata(self, paper: Paper, edited: Paper) -> Paper:
        """The paper's metadata replaced by an edited entry's (`edit_entry`)."""
        from ..core.edit_entry import apply_entry

        step = UndoStep.of(ChangeKind.METADATA, f"edited {paper.id}", [self.library.require(paper.id)])
        after = self.library.replace_metadata(paper.id, lambda p: apply_entry(p, edited))
        self.undo_stack.append(step)
        self.reload()
        return after

    def delete(self, paper: Paper | list[Paper]) -> None:
        papers = paper if isinstance(paper, list) else [paper]
        removed: list[Paper] = []
        if not self._own_change(lambda: removed.extend(self.library.delete([p.id for p in papers]))):
            for gone in papers:
                self._forget(gone.id)
        what = "" if len(papers) == 1 else f" ({len(papers)} papers)"  # one: the undo names its title
        self.undo_stack.append(UndoStep(
            ChangeKind.DELETE, f"deleted{what}", {p.id: {} for p in removed}, tuple(removed)
        ))

    def _forget(self, pid: str) -> None:
        self._ordered = [p for p in self._ordered if p.id != pid]
        if self.scan is not None and not self.scan.done:
            self.apply()
        else:
            self.rows = [p for p in self.rows if p.id != pid]
        if self._matcher is not None:
            self._matcher.remove(pid)
        self._done = None
        self._recount()
        self._seen_version = self.library.version

    def undo(self) -> UndoStep | None:
        """Take back the last change; returns it (None: nothing to undo)."""
        if not self.undo_stack:
            return None
        step = self.undo_stack.pop()
        if step.kind is ChangeKind.DELETE:
            self.library.restore_papers(step.removed)
            self.reload()
        elif step.kind is ChangeKind.METADATA:
            for pid in step.pids:
                self.library.replace_metadata(pid, step.put_back)
            self.reload()
        else:
            self._change_and_count(step.pids, lambda: self.library.change(step.pids, step.put_back))
        return step
