"""What the user deleted, remembered so that no feed brings it back.

A deleted paper leaves the library's files with the next write of its
metadata; its arXiv id, DOI and title key stay here, in a small file beside
the library (``library.forgotten.json``). `Library.delete` writes it first,
before the deletion itself: a crash between the two leaves a paper that is
still there and merely remembered, never a deleted paper forgotten.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from ..errors import LibraryError
from ..paths import companion
from .merge import arxiv_key
from .models import Paper
from .storage import atomic_write_bytes, reason
from .text import fold, title_key

KINDS = ("arxiv", "doi", "title")
#: Remembered per kind at most (the oldest go first).
MAX_PER_KIND = 100_000


def forgotten_path(library: Path) -> Path:
    return companion(library, "forgotten")


def _keys(paper: Paper) -> dict[str, str]:
    return {
        "arxiv": arxiv_key(paper.arxiv_id) if paper.arxiv_id else "",
        "doi": fold(paper.doi.strip()),
        "title": title_key(paper.title) if len(title_key(paper.title)) >= 8 else "",
    }


@dataclass
class Forgotten:
    keys: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in KINDS})

    def covers(self, paper: Paper) -> bool:
        """Whether `paper` is one the user deleted (by arXiv id, DOI or title)."""
        return any(value and value in self.keys[kind] for kind, value in _keys(paper).items())


def load_forgotten(library: Path) -> Forgotten:
    """The remembered deletions; a damaged file counts as empty (it only
    keeps feeds from bringing papers back, and is written again whole)."""
    try:
        data = orjson.loads(forgotten_path(library).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return Forgotten()
    result = Forgotten()
    if isinstance(data, dict):
        for kind in KINDS:
            values = data.get(kind)
            if isinstance(values, list):
                result.keys[kind] = {str(v) for v in values if isinstance(v, str)}
    return result


def remember_deleted(library: Path, papers: Iterable[Paper]) -> None:
    """Add the papers' keys to the file (the caller holds the library's write lock)."""
    path = forgotten_path(library)
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    lists = {k: [v for v in data.get(k, []) if isinstance(v, str)] for k in KINDS}
    known = {k: set(v) for k, v in lists.items()}
    changed = False
    for paper in papers:
        for kind, value in _keys(paper).items():
            if value and value not in known[kind]:
                known[kind].add(value)
                lists[kind].append(value)
                changed = True
    if not changed:
        return
    trimmed = {k: v[-MAX_PER_KIND:] for k, v in lists.items()}
    try:
        atomic_write_bytes(path, orjson.dumps(trimmed))
    except OSError as exc:
        raise LibraryError(f"cannot write {path}: {reason(exc)}; nothing was deleted") from None
