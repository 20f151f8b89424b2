"""Bringing papers in by their ids: arXiv ids through the arXiv API, DOIs
through Crossref; a work already in the library is found, not copied.

`add_works` does the look-ups first and writes once at the end, so an error
on the way (no network, HTTP 429, a reply that cannot be read) changes
nothing: it is raised as an `EnrichError` with one clear line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .arxiv_api import ArxivClient, pace_file
from .crossref import CrossrefClient
from .ids import WorkId, find_work_id
from .importers.common import normalise_arxiv_id, shorten
from .library import Library
from .merge import arxiv_key
from .models import Paper
from .pace import never

#: Characters of a typed text quoted in a message.
QUOTE_CHARS = 80


@dataclass
class Outcome:
    """What became of one id asked for."""

    asked: str
    #: "here": already in the library.
    status: Literal["added", "here", "not found", "not an id"]
    pid: str = ""
    title: str = ""
    why: str = ""

    def line(self) -> str:
        if self.status == "added":
            return f"added {self.pid}: {self.title}"
        if self.status == "here":
            return f"already here {self.pid}: {self.title}"
        return f"{self.status}: {shorten(self.asked, QUOTE_CHARS)}" + (f" ({self.why})" if self.why else "")


@dataclass
class AddReport:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def first(self) -> str | None:
        """The paper to show: the first added or found."""
        return next((o.pid for o in self.outcomes if o.pid), None)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.pid]

    def summary(self) -> str:
        added = sum(o.status == "added" for o in self.outcomes)
        here = sum(o.status == "here" for o in self.outcomes)
        line = f"added {added}, already here {here}"
        return line + (f", not added {len(self.failed)}" if self.failed else "")


def find_in(library: Library | Iterable[Paper], work: WorkId) -> Paper | None:
    """The paper of `work` already in the library, if there is one."""
    papers = library.papers() if isinstance(library, Library) else library
    for paper in papers:
        if work.kind == "arxiv" and paper.arxiv_id and arxiv_key(paper.arxiv_id) == arxiv_key(work.value):
            return paper
        if work.kind == "doi" and paper.doi and paper.doi.casefold() == work.value.casefold():
            return paper
    return None


def arxiv_paper(entry: Paper) -> Paper:
    """An arXiv API entry as a new paper: its links without a version."""
    arxiv_id = normalise_arxiv_id(entry.arxiv_id) or entry.arxiv_id
    entry.arxiv_id = arxiv_id
    entry.url = f"https://arxiv.org/abs/{arxiv_id}"
    entry.pdf_url = f"https://arxiv.org/pdf/{arxiv_id}"
    entry.id = ""
    return entry


def look_up(works: Sequence[WorkId], *, pace: Path | None = None,
            should_stop: Callable[[], bool] = never) -> dict[WorkId, Paper]:
    """The papers of `works` found on arXiv and Crossref (those not found are
    left out). Raises EnrichError or Cancelled."""
    found: dict[WorkId, Paper] = {}
    arxiv_ids = [w.value for w in works if w.kind == "arxiv"]
    if arxiv_ids:
        with ArxivClient(pace=pace) as client:
            for start in range(0, len(arxiv_ids), 100):
                result = client.fetch_ids(arxiv_ids[start:start + 100], should_stop)
                for entry in result.papers:
                    key = normalise_arxiv_id(entry.arxiv_id)
                    if key:
                        found[WorkId("arxiv", key)] = arxiv_paper(entry)
    dois = [w for w in works if w.kind == "doi"]
    if dois:
        with CrossrefClient() as crossref:
            for work in dois:
                paper = crossref.work(work.value, should_stop)
                if paper is not None:
                    paper.doi = paper.doi or work.value
                    found[work] = paper
    return found


def add_works(library: Library, texts: Sequence[str], *,
              should_stop: Callable[[], bool] = never) -> AddReport:
    """Add the works `texts` name (ids, links, pages with an id in them):
    those already here are found, the others looked up and added, unread,
    all in one write after every look-up."""
    report = AddReport()
    wanted: list[tuple[str, WorkId]] = []
    for text in texts:
        work = find_work_id(text)
        if work is None:
            report.outcomes.append(Outcome(text, "not an id", why="not an arXiv id, a DOI or a link with one"))
            continue
        here = find_in(library, work)
        if here is not None:
            report.outcomes.append(Outcome(text, "here", here.id, here.title))
        elif work not in [w for _, w in wanted]:
            wanted.append((text, work))
    if not wanted:
        return report
    found = look_up([w for _, w in wanted], pace=pace_file(library.path), should_stop=should_stop)
    new = [found[w] for _, w in wanted if w in found]
    merged = set(library.add_papers(new, backup=False).merged) if new else set()
    papers = library.papers()
    for text, work in wanted:
        paper = find_in(papers, work) if work in found else None
        if paper is None:
            where = "arXiv" if work.kind == "arxiv" else "Crossref"
            report.outcomes.append(Outcome(text, "not found", why=f"{where} has no work {work.value}"))
        else:
            here_already = paper.id in merged
            report.outcomes.append(Outcome(text, "here" if here_already else "added", paper.id, paper.title))
    return report
