"""Merge rules: which stored paper an incoming one duplicates, and what an
import brings into it.

Never join two different works: a paper matches only by arXiv id (without its
version), by DOI (case ignored) or by the same title under `title_key`. A
match gains only what it lacks: empty metadata fields are filled, tags are
added, notes fill empty notes; read and starred are never changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .ids import base_id, unique_id
from .models import Paper
from .progress import OnProgress, report
from .tags import TagMerge, merge_tags
from .text import fold, title_key

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


class MatchIndex:
    """Finds the paper an incoming one duplicates: arXiv id, DOI or title."""

    def __init__(self, papers: Iterable[Paper]) -> None:
        self.by_arxiv: dict[str, str] = {}
        self.by_doi: dict[str, str] = {}
        self.by_title: dict[str, str] = {}
        for paper in papers:
            self.add(paper)

    def add(self, paper: Paper) -> None:
        if paper.arxiv_id:
            self.by_arxiv.setdefault(arxiv_key(paper.arxiv_id), paper.id)
        if paper.doi:
            self.by_doi.setdefault(fold(paper.doi.strip()), paper.id)
        key = title_key(paper.title)
        if key:
            self.by_title.setdefault(key, paper.id)

    def find(self, paper: Paper) -> str | None:
        if paper.arxiv_id:
            hit = self.by_arxiv.get(arxiv_key(paper.arxiv_id))
            if hit:
                return hit
        if paper.doi:
            hit = self.by_doi.get(fold(paper.doi.strip()))
            if hit:
                return hit
        key = title_key(paper.title)
        return self.by_title.get(key) if key else None


def fill_empty(paper: Paper, values: dict[str, Any]) -> dict[str, Any] | None:
    """The paper's metadata with its empty fields filled from `values`, or None
    if nothing would change."""
    doc = paper.metadata_doc()
    changed = False
    for name, value in values.items():
        if name in KEPT_FIELDS or value in EMPTY:
            continue
        if name == "extra":
            extra = dict(doc.get("extra", {}))
            for key, item in value.items():
                if key not in extra and item not in ("", None):
                    extra[key] = item
                    changed = True
            if extra:
                doc["extra"] = extra
            continue
        if doc.get(name) in EMPTY:
            doc[name] = value
            changed = True
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
) -> ImportPlan:
    """Merge `incoming` into `papers` (by id, with `deleted` among them) on
    paper: new papers get a free id and today's date, duplicates gain what
    they lack. Nothing in `papers` is changed. `on_progress` hears of each
    paper merged ("merging", done, total)."""
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
        match = index.find(paper)
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
