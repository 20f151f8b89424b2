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
from typing import Any

from .models import Paper
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

    def summary(self) -> str:
        line = (
            f"added {len(self.added)}, merged {len(self.merged)}, "
            f"skipped {len(self.skipped)}"
        )
        if self.merged:
            line += f" ({len(self.updated)} of the merged gained new details)"
        return line


def normalise_tag(tag: str) -> str:
    """A tag as stored: lower case, words joined by hyphens."""
    return "-".join(tag.strip().lower().split())


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


def merged_state(existing: Paper, incoming: Paper) -> dict[str, Any] | None:
    """The reader's state of `existing` with an import's tags and notes brought
    in, or None if nothing would change.

    Tags are added to the paper's own; notes fill empty notes only; read and
    starred are never changed by an import.
    """
    tags = list(existing.tags)
    for tag in map(normalise_tag, incoming.tags):
        if tag and tag not in tags:
            tags.append(tag)
    notes = existing.notes or incoming.notes
    if tags == existing.tags and notes == existing.notes:
        return None
    state = existing.state_doc()
    state["tags"] = tags
    state["notes"] = notes
    return state
