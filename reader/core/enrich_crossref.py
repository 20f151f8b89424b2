"""Filling papers in from Crossref, after arXiv (`enrich`).

* A paper with a DOI that lacks its venue, volume, issue, pages or
  publisher gets them from Crossref's record of that DOI.
* A paper arXiv did not find, without a DOI, is looked up by its title; a
  work is taken only under the same strict rule as arXiv's: its title is the
  same under `title_key`, and the first author's family name and the year
  agree where both are known. Anything else is "not found", never a guess.

Only empty fields are filled (`Library.update_metadata`). An error from
Crossref stops this pass and is kept in the report; what arXiv filled in
stays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..errors import ReaderError
from .crossref import CrossrefClient, metadata_values
from .enrich import EnrichReport
from .library import Library, UnknownPaper
from .models import Paper
from .pace import Cancelled, never
from .text import fold, title_key

#: Fields a DOI's record fills; a paper with all of them is not asked about.
DOI_FIELDS = ("volume", "number", "pages", "publisher")


def wants_doi_record(paper: Paper) -> bool:
    return bool(paper.doi) and (not paper.venue or any(f not in paper.extra for f in DOI_FIELDS))


def candidates(library: Library, pids: Iterable[str], report: EnrichReport) -> list[str]:
    """The papers the Crossref pass asks about: those with a DOI that lack
    venue details, and those arXiv did not find that have no DOI."""
    missing = {pid for pid, _ in report.not_found}
    return [pid for pid in pids if (p := library.get(pid)) is not None
            and (wants_doi_record(p) or (pid in missing and not p.doi))]


def same_work(paper: Paper, work: Paper) -> bool:
    """The strict rule: the same title; the first author and the year agree where both are known."""
    key = title_key(paper.title)
    if not key or title_key(work.title) != key:
        return False
    if paper.year is not None and work.year is not None and paper.year != work.year:
        return False
    mine, theirs = paper.first_author_last, work.first_author_last
    return not (mine and theirs and fold(mine.split()[-1]) != fold(theirs.split()[-1]))


def match_work(paper: Paper, works: Iterable[Paper]) -> tuple[Paper | None, str]:
    same = [w for w in works if w.doi and same_work(paper, w)]
    dois = list(dict.fromkeys(w.doi.casefold() for w in same))
    if len(dois) > 1:
        return None, "several Crossref works have this title: " + ", ".join(dois[:3])
    if same:
        return same[0], ""
    return None, "no Crossref work with this title, first author and year"


def enrich_crossref(
    library: Library,
    pids: Iterable[str],
    client: CrossrefClient,
    report: EnrichReport,
    *,
    should_stop: Callable[[], bool] = never,
) -> EnrichReport:
    """The Crossref pass over papers `pids` (after arXiv's, whose
    `report.not_found` it may find); its outcome goes into `report`."""
    not_found = dict(report.not_found)
    try:
        for pid in pids:
            paper = library.get(pid)
            if paper is None or should_stop():
                continue
            if wants_doi_record(paper):
                work = client.work(paper.doi, should_stop)
                if work is not None and _fill(library, pid, work):
                    report.crossref.append(pid)
            elif pid in not_found and not paper.doi and paper.title:
                work, why = match_work(paper, client.search_title(paper.title, should_stop))
                if work is not None and _fill(library, pid, work):
                    report.crossref.append(pid)
                    report.not_found = [(p, r) for p, r in report.not_found if p != pid]
                    report.found.append((pid, f"doi:{work.doi}"))
                elif work is None:
                    report.not_found = [(p, f"{r}; {why}" if p == pid else r) for p, r in report.not_found]
    except Cancelled:
        report.cancelled = True
    except ReaderError as exc:
        report.crossref_error = str(exc)
    return report


def _fill(library: Library, pid: str, work: Paper) -> bool:
    try:
        return library.update_metadata(pid, metadata_values(work))
    except UnknownPaper:
        return False
