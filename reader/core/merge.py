"""Merge rules: which stored paper an incoming one duplicates, and what an
import brings into it.

Never join two different works. Two entries that carry different keys of
their own (two BibTeX entries, each cited by its key) are never joined by an
import. Otherwise an incoming paper is the same work as a stored one when:

* they share the source's own key (BibTeX key, CSL-JSON id), an arXiv id
  (without its version) or a DOI (case ignored), and their titles do not
  disagree completely (where both have one); or
* their titles are the same under `title_key` (which keeps `C++`, `C#`, `F#`
  apart from `C`, `F`) and nothing contradicts it: no different DOI or arXiv
  id, years no further apart than a preprint and its publication, the same
  first author where both are known.

A shared id with a contradiction is not merged: both are kept and reported as
possible duplicates (`reader duplicates` lists them, `reader merge` joins two
by hand). A match gains only what it lacks: empty metadata fields are filled
(a title with its case, a venue with its field), tags are added, notes fill
empty notes; read and starred are never changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .ids import STOPWORDS, base_id, unique_id
from .models import Paper
from .progress import OnProgress, report
from .tags import TagMerge, merge_tags
from .text import fold, normalise_tag, title_key

#: Values that count as an empty field.
EMPTY: tuple[Any, ...] = ("", None, [], {})
#: Metadata fields an import never changes in a stored paper.
KEPT_FIELDS = ("added", "id")


@dataclass
class ImportResult:
    """What an import did: paper ids added and merged, and what was skipped."""

    added: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    #: the merged papers that gained new details
    updated: list[str] = field(default_factory=list)
    #: (what, why)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: papers imported with less than the file had: (what, why)
    trimmed: list[tuple[str, str]] = field(default_factory=list)
    #: (id added, id of a stored paper it may duplicate, why it was not merged)
    possible_duplicates: list[tuple[str, str, str]] = field(default_factory=list)
    #: stored papers found and left as they were (`skip_found`)
    found: list[str] = field(default_factory=list)

    def summary(self) -> str:
        line = (
            f"added {len(self.added)}, merged {len(self.merged)}, "
            f"skipped {len(self.skipped)}"
        )
        if self.merged:
            line += f" ({len(self.updated)} of the merged gained new details)"
        return line


def arxiv_key(arxiv_id: str) -> str:
    """An arXiv id without its version, for comparing: 2401.00001v2 -> 2401.00001."""
    key = arxiv_id.strip().lower()
    if "v" in key:
        head, _, tail = key.rpartition("v")
        if head and tail.isdigit():
            key = head
    return key


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", fold(text)))


def titles_disagree(a: str, b: str) -> bool:
    """Whether two titles share almost nothing (one known only by an id
    does not disagree with anything)."""
    ka, kb = title_key(a), title_key(b)
    if not ka or not kb or ka == kb or ka in kb or kb in ka:
        return False
    wa, wb = _words(a) - STOPWORDS, _words(b) - STOPWORDS
    if not wa or not wb:
        return True
    return len(wa & wb) / min(len(wa), len(wb)) < 0.5


def _preprint(paper: Paper) -> bool:
    return bool(paper.arxiv_id) or paper.entry_type in ("misc", "unpublished", "online")


def contradiction(a: Paper, b: Paper) -> str:
    """What says two papers are different works, or "" if nothing does."""
    if a.doi and b.doi and fold(a.doi.strip()) != fold(b.doi.strip()):
        return "different DOIs"
    if a.arxiv_id and b.arxiv_id and arxiv_key(a.arxiv_id) != arxiv_key(b.arxiv_id):
        return "different arXiv ids"
    if a.year is not None and b.year is not None:
        slack = 2 if _preprint(a) or _preprint(b) else 1
        if abs(a.year - b.year) > slack:
            return "years too far apart"
    if a.authors and b.authors:
        first_a, first_b = _words(a.authors[0].last), _words(b.authors[0].last)
        if first_a and first_b and not first_a & first_b:
            return "different first authors"
    return ""


@dataclass
class Match:
    """The stored paper an incoming one is, if any, and the stored papers it
    may duplicate but is not merged with: (id, why)."""

    pid: str | None = None
    possible: list[tuple[str, str]] = field(default_factory=list)


class MatchIndex:
    """Finds the paper an incoming one duplicates: key, arXiv id, DOI or title."""

    def __init__(self, papers: Iterable[Paper]) -> None:
        self.papers: dict[str, Paper] = {}
        self.by: dict[str, dict[str, list[str]]] = {
            "key": {}, "arXiv id": {}, "DOI": {}, "title": {}
        }
        for paper in papers:
            self.add(paper)

    @staticmethod
    def _keys(paper: Paper) -> dict[str, str]:
        return {
            "key": paper.key.strip(),
            "arXiv id": arxiv_key(paper.arxiv_id) if paper.arxiv_id else "",
            "DOI": fold(paper.doi.strip()),
            "title": title_key(paper.title),
        }

    def add(self, paper: Paper) -> None:
        self.papers[paper.id] = paper
        for kind, value in self._keys(paper).items():
            if value:
                self.by[kind].setdefault(value, []).append(paper.id)

    def find(self, paper: Paper, *, by_id: bool = False) -> Match:
        """The stored paper `paper` is. by_id (reader's own JSON): only the
        stored paper of the same id, and only if nothing contradicts it."""
        match = Match()
        if by_id:
            stored = self.papers.get(paper.id)
            if stored is not None and not _differ(stored, paper):
                match.pid = stored.id
                return match
        noted: set[str] = set()
        for kind, value in self._keys(paper).items():
            for pid in self.by[kind].get(value, []) if value else []:
                why = _differ(self.papers[pid], paper, kind)
                if not why and not by_id:
                    match.pid = pid
                    match.possible = [p for p in match.possible if p[0] != pid]
                    return match
                if pid not in noted and kind in ("DOI", "arXiv id"):
                    noted.add(pid)
                    match.possible.append((pid, f"same {kind}" + (f", {why}" if why else "")))
        return match


def _differ(stored: Paper, incoming: Paper, kind: str = "key") -> str:
    """Why a paper found by `kind` is not the same work, or ""."""
    if kind != "title" and titles_disagree(stored.title, incoming.title):
        return "titles differ"
    if stored.key and incoming.key and stored.key != incoming.key:
        # Two entries the source keeps apart, each cited by its own key.
        return "different keys"
    if kind == "title":
        return contradiction(stored, incoming)
    why = contradiction(stored, incoming)
    # A key or an id may be shared by chance; a year or a first author
    # alone does not undo a shared DOI or arXiv id.
    return why if kind == "key" or why.startswith("different DOIs") or "arXiv" in why else ""


def possible_duplicates(papers: Iterable[Paper]) -> list[tuple[str, str, str]]:
    """Pairs of papers that share a DOI, an arXiv id or a title: (id, id, why)."""
    index = MatchIndex([])
    found: dict[tuple[str, str], str] = {}
    for paper in papers:
        for kind, value in MatchIndex._keys(paper).items():
            if kind == "key" or not value:
                continue
            for other in index.by[kind].get(value, []):
                why = contradiction(index.papers[other], paper)
                found.setdefault((other, paper.id), f"same {kind}" + (f", {why}" if why else ""))
        index.add(paper)
    return [(a, b, why) for (a, b), why in found.items()]


#: Source fields that say when a paper appeared, with `year`.
_DATE_FIELDS = ("date", "year", "month")
#: A field that comes with another: filled only when that one is.
_COMPANIONS = {"title_case": "title", "venue_field": "venue", "and_others": "authors"}


def fill_empty(paper: Paper, values: dict[str, Any]) -> dict[str, Any] | None:
    """The paper's metadata with its empty fields filled from `values`, or None
    if nothing would change."""
    doc = paper.metadata_doc()
    changed = False
    filled: set[str] = set()
    for name, value in values.items():
        if name in KEPT_FIELDS or name in _COMPANIONS or value in EMPTY:
            continue
        if name == "extra":
            extra = dict(doc.get("extra", {}))
            dated = paper.year is not None or any(k in extra for k in _DATE_FIELDS)
            for key, item in value.items():
                if key in _DATE_FIELDS and dated:
                    continue  # a date is one: never half from each record
                if key not in extra and item not in ("", None):
                    extra[key] = item
                    changed = True
            if extra:
                doc["extra"] = extra
            continue
        if doc.get(name) in EMPTY:
            doc[name] = value
            filled.add(name)
            changed = True
    for name, leader in _COMPANIONS.items():
        if leader in filled and values.get(name) is not None:
            doc[name] = values[name]
    return doc if changed else None


def merged_state(existing: Paper, incoming: Paper) -> tuple[dict[str, Any] | None, TagMerge]:
    """The reader's state of `existing` with an import's tags and notes brought
    in, or None if nothing would change; and the tags as merged.

    Tags are added to the paper's own (within the limits of `tags`); notes
    fill empty notes only; read and starred are never changed by an import.
    """
    merged = merge_tags(existing.tags, incoming.tags)
    notes = existing.notes or incoming.notes
    if merged.tags == existing.tags and notes == existing.notes:
        return None, merged
    state = existing.state_doc()
    state["tags"] = merged.tags
    state["notes"] = notes
    return state, merged


def joined_state(keep: Paper, other: Paper) -> dict[str, Any]:
    """The reader's state of two papers merged by hand: tags of both, notes
    of both, read or starred if either was."""
    state = keep.state_doc()
    tags = list(dict.fromkeys([*keep.tags, *map(normalise_tag, other.tags)]))
    notes = "\n\n".join(n for n in dict.fromkeys([keep.notes.strip(), other.notes.strip()]) if n)
    if tags:
        state["tags"] = tags
    if notes:
        state["notes"] = notes
    if other.read and not keep.read:
        state["read"], state["read_at"] = True, other.read_at
    if other.starred:
        state["starred"] = True
    return state


@dataclass
class ImportPlan:
    """What an import changes, before anything is written."""

    result: ImportResult = field(default_factory=ImportResult)
    #: paper id -> new or changed metadata
    docs: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: paper id -> new or changed reader state
    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: deleted papers that the import brings back
    revived: set[str] = field(default_factory=set)


def plan_import(
    papers: dict[str, Paper],
    deleted: set[str],
    incoming: Iterable[Paper],
    on_progress: OnProgress | None = None,
    *,
    by_id: bool = False,
    skip_found: bool = False,
) -> ImportPlan:
    """Merge `incoming` into `papers` (by id, with `deleted` among them) on
    paper: new papers get a free id and today's date, duplicates gain what
    they lack. Nothing in `papers` is changed. by_id (reader's own JSON):
    each paper is the stored one of its id, if nothing contradicts it.
    skip_found (feeds): a paper found is left as it is, state and all.
    `on_progress` hears of each paper merged ("merging", done, total)."""
    incoming = list(incoming)
    total = len(incoming)
    plan = ImportPlan()
    docs, states, result = plan.docs, plan.states, plan.result
    index = MatchIndex(papers.values())
    stamp = datetime.now(UTC).isoformat()
    taken = set(papers)
    for done, paper in enumerate(incoming):
        report(on_progress, "merging", done, total)
        tags = merge_tags((), paper.tags)  # within the limits, said so
        paper.tags = tags.tags
        if tags.left_out:
            result.trimmed.append((paper.id or paper.title[:60], tags.reason()))
        found = index.find(paper, by_id=by_id)
        match = found.pid
        if match is None:
            pid = paper.id if paper.id and paper.id not in taken else ""
            paper.id = pid or unique_id(base_id(paper), taken)
            paper.added = paper.added or stamp  # a JSON export keeps its own
            taken.add(paper.id)
            index.add(paper)
            docs[paper.id] = paper.metadata_doc()
            if paper.state_doc():
                states[paper.id] = paper.state_doc()
            result.added.append(paper.id)
            result.possible_duplicates += [(paper.id, other, why) for other, why in found.possible]
            continue
        if skip_found:
            result.found.append(match)
            continue
        result.merged.append(match)
        if match in docs:  # listed twice in what is being imported
            current = Paper.from_docs(match, docs[match], states.get(match))
        else:
            current = papers[match]
        filled = fill_empty(current, paper.metadata_doc())
        if filled is not None:
            docs[match] = filled
            result.updated.append(match)
        state, tags = merged_state(current, paper)
        if tags.too_many:
            result.trimmed.append((match, tags.reason()))
        if state is not None:
            states[match] = state
        if match in deleted:
            plan.revived.add(match)
    report(on_progress, "merging", total, total)
    return plan
