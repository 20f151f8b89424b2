"""Filling in papers' bibliographic details from the arXiv API.

A paper copied from a trending-papers page has a title and an abstract only.
`enrich` looks each one up in the arXiv API (`export.arxiv.org/api/query`)
and fills in what is empty: authors, year, arXiv id (no version), DOI,
primary category, abstract and PDF links (and the title or abstract, if
those are empty). The reader's own edits and state are never touched: every
change goes through `Library.update_metadata`, which fills empty fields only.

How a paper is looked up:

* with an arXiv id: by `id_list`; every known id goes into one request (in
  chunks of `ID_BATCH`);
* without one: by an exact title search, `ti:"..."`. A result is accepted
  only if its title equals ours under `title_key` (case, punctuation, white
  space, accents and TeX ignored). Anything else is "not found", never a
  guess.

The API itself (settings, pace, HTTP) is `arxiv_api`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import ReaderError
from .arxiv_api import ID_BATCH, ArxivClient, Cancelled, never, title_query
from .importers.common import ParseResult, normalise_arxiv_id, shorten
from .library import Library, UnknownPaper
from .models import Paper
from .text import fold, tex_to_plain, title_key

#: arXiv ids named when several papers have the title looked up.
SAME_TITLE_SHOWN = 3
#: Characters of arXiv's nearest title quoted when none is the same.
NEAREST_TITLE_CHARS = 160


# ---------------------------------------------------------------- what is filled
def needs_enrichment(paper: Paper) -> bool:
    """Whether a paper lacks authors, a year or an arXiv id."""
    return not (paper.authors and paper.year is not None and paper.arxiv_id)


def entry_values(entry: Paper) -> dict[str, Any]:
    """The fields an arXiv entry can fill in: links are the version-less
    abstract and PDF pages, which always show the latest version."""
    arxiv_id = entry.arxiv_id
    values: dict[str, Any] = {
        "title": entry.title,
        "authors": [a.to_doc() for a in entry.authors],
        "year": entry.year,
        "abstract": entry.abstract,
        "arxiv_id": arxiv_id,
        "doi": entry.doi,
        "category": entry.category,
        "url": f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else entry.url,
        "pdf_url": f"https://arxiv.org/pdf/{arxiv_id}" if arxiv_id else entry.pdf_url,
    }
    return {k: v for k, v in values.items() if v not in ("", None, [])}


def match_title(title: str, entries: Iterable[Paper]) -> tuple[Paper | None, str]:
    """The one entry whose title is `title` (under `title_key`), else None and why."""
    key = title_key(title)
    entries = list(entries)
    if not entries:
        return None, "no results for this title"
    same = [e for e in entries if e.arxiv_id and key and title_key(e.title) == key]
    ids = list(dict.fromkeys(e.arxiv_id or e.url for e in same))
    if len(ids) > 1:
        return None, "several arXiv papers have this title: " + ", ".join(ids[:SAME_TITLE_SHOWN])
    if same:
        return same[0], ""
    nearest = shorten(tex_to_plain(entries[0].title), NEAREST_TITLE_CHARS)
    return None, f"no title match (arXiv's nearest: “{nearest}”)"


# ---------------------------------------------------------------- the run
@dataclass
class Progress:
    """One paper done: sent to `on_progress` after its change is saved."""

    pid: str
    done: int
    total: int
    found: int
    not_found: int
    #: "found" or "not found"
    outcome: str
    #: the arXiv id found, or why not
    detail: str
    #: whether the paper's stored metadata changed
    changed: bool = False

    def line(self) -> str:
        """`[3/86] qutf: found arXiv:2311.07777`"""
        what = f"found arXiv:{self.detail}" if self.outcome == "found" else f"not found: {self.detail}"
        if self.outcome == "found" and not self.changed:
            what += " (nothing new)"
        return f"[{self.done}/{self.total}] {self.pid}: {what}"


@dataclass
class EnrichReport:
    #: papers that needed a look-up
    total: int = 0
    #: (paper id, arXiv id)
    found: list[tuple[str, str]] = field(default_factory=list)
    #: papers whose stored metadata changed
    changed: list[str] = field(default_factory=list)
    #: (paper id, reason)
    not_found: list[tuple[str, str]] = field(default_factory=list)
    #: papers that already had authors, a year and an arXiv id
    complete: list[str] = field(default_factory=list)
    #: what stopped the run, if anything did
    error: ReaderError | None = None
    cancelled: bool = False
    requests: int = 0
    #: papers Crossref filled in (after arXiv)
    crossref: list[str] = field(default_factory=list)
    #: what stopped the Crossref pass, if anything did
    crossref_error: str = ""

    @property
    def done(self) -> int:
        return len(self.found) + len(self.not_found)

    def summary(self) -> str:
        """`enriched 3, not found 1`, and what stopped it, if anything."""
        line = f"enriched {len(self.found)}, not found {len(self.not_found)}"
        if self.complete:
            line += f", already complete {len(self.complete)}"
        if self.crossref:
            line += f", filled in from Crossref {len(self.crossref)}"
        if self.cancelled:
            line += f" (stopped after {self.done} of {self.total})"
        return line

    def message(self) -> str:
        """One sentence for the TUI."""
        if self.error is not None:
            return (
                f"arXiv look-up stopped: {self.error}. "
                f"{self.done} of {self.total} papers done before it ({self.summary()}); "
                "nothing else changed."
            )
        if self.total == 0:
            return "Nothing to look up: these papers have authors, a year and an arXiv id."
        head = "arXiv look-up cancelled" if self.cancelled else "arXiv look-up done"
        tail = f" Crossref not asked: {self.crossref_error}." if self.crossref_error else ""
        return f"{head}: {self.summary()}.{tail}"


def enrich(
    library: Library,
    papers: Iterable[Paper],
    client: ArxivClient,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    report: EnrichReport | None = None,
) -> EnrichReport:
    """Look `papers` up on arXiv and fill their empty fields, one paper at a time.

    Each paper's change is saved as soon as it is known. A network, HTTP or
    reply error stops the run and is kept in `report.error`; what was saved
    before it stays. `should_stop` is asked before every request and every
    save; when it says yes the run ends with `report.cancelled`.
    """
    report = report if report is not None else EnrichReport()
    stop = should_stop or never
    by_id: list[tuple[Paper, str]] = []
    by_title: list[Paper] = []
    for paper in papers:
        if not needs_enrichment(paper):
            report.complete.append(paper.id)
            continue
        arxiv_id = normalise_arxiv_id(paper.arxiv_id) if paper.arxiv_id else ""
        if arxiv_id:
            by_id.append((paper, arxiv_id))
        else:
            by_title.append(paper)
    report.total = len(by_id) + len(by_title)

    def settle(paper: Paper, entry: Paper | None, reason: str) -> None:
        if stop():
            raise Cancelled()
        changed = False
        if entry is not None:
            try:
                changed = library.update_metadata(paper.id, entry_values(entry))
            except UnknownPaper:
                entry, reason = None, "deleted meanwhile"
        if entry is not None:
            report.found.append((paper.id, entry.arxiv_id))
            if changed:
                report.changed.append(paper.id)
        else:
            report.not_found.append((paper.id, reason))
        if on_progress is not None:
            on_progress(
                Progress(
                    pid=paper.id,
                    done=report.done,
                    total=report.total,
                    found=len(report.found),
                    not_found=len(report.not_found),
                    outcome="found" if entry is not None else "not found",
                    detail=entry.arxiv_id if entry is not None else reason,
                    changed=changed,
                )
            )

    start_requests = client.requests
    try:
        for start in range(0, len(by_id), ID_BATCH):
            chunk = by_id[start : start + ID_BATCH]
            ids = list(dict.fromkeys(arxiv_id for _, arxiv_id in chunk))
            result = client.fetch_ids(ids, stop)
            entries = {fold(e.arxiv_id): e for e in result.papers if e.arxiv_id}
            refused = _api_error(result)
            for paper, arxiv_id in chunk:
                entry = entries.get(fold(arxiv_id))
                reason = refused or f"arXiv has no paper with id {arxiv_id}"
                settle(paper, entry, reason)
        for paper in by_title:
            if not title_query(paper.title):
                settle(paper, None, "no title or arXiv id to look it up by")
                continue
            result = client.search_title(paper.title, stop)
            refused = _api_error(result)
            if refused and not result.papers:
                settle(paper, None, refused)
                continue
            entry, reason = match_title(paper.title, result.papers)
            settle(paper, entry, reason)
    except Cancelled:
        report.cancelled = True
    except ReaderError as exc:  # EnrichError, or the library refusing a write
        report.error = exc
    finally:
        report.requests += client.requests - start_requests
    return report


def _api_error(result: ParseResult) -> str:
    for _, why in result.skipped:
        if why.startswith("arXiv API error"):
            return "arXiv refused the query: " + why.split(":", 1)[1].strip()
    return ""
