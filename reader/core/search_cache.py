"""A cache beside the library for `reader list WORDS`: each paper's search
text of its metadata (title, abstract, authors, venue, folded) and where its
records lie in the files, so that a query with words reads only the papers
that may match instead of the whole library.

It is derived, never the source of truth: it names the papers and abstracts
files it was made from by their signatures (inode, time, size), and is used
only while both are those very files; anything else (a change, a conflict
copy, another schema) and the library is read the usual way, which writes
the cache again. The reader's state (tags, notes, read...) is always read
from its own file: a toggle leaves the cache good.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterable
from pathlib import Path

import orjson

from ..errors import LibraryError
from .conflict_copies import conflict_copies
from .library_files import ABSTRACTS, PAPERS, LibraryFiles
from .line_records import LineRecords, NotLineByLine
from .models import Paper
from .query import Query
from .search_text import haystack
from .storage import atomic_write_bytes, file_signature
from .text import fold

#: Goes up whenever what the cache holds changes meaning.
FORMAT = 1
Signature = tuple[int, int, int]


def cache_path(library: Path) -> Path:
    return library.with_name(f".{library.name}.search")


def _signature(path: Path) -> Signature | None:
    try:
        return file_signature(path)
    except OSError:  # unreadable: the cache is not used
        return None


def metadata_text(text: str) -> str:
    """The metadata part of a search text (`query.haystack`): without its
    last two lines, the tags and the notes."""
    return text.rsplit("\n", 2)[0]


def write(path: Path, papers: Iterable[Paper], texts: dict[str, str]) -> None:
    """Make the cache of the library `path` from its papers as read whole
    (abstracts in) and their search texts; quietly nothing where it cannot."""
    meta = LineRecords(path)
    abstracts = LineRecords(LibraryFiles(path).abstracts_path)
    try:
        for _ in meta.scan(PAPERS):
            pass
        for _ in abstracts.scan(ABSTRACTS):
            pass
        pids, hays = [], []
        for paper in papers:
            pids.append(paper.id)
            hays.append(metadata_text(texts.get(paper.id) or haystack(paper)))
        data = marshal.dumps(
            (FORMAT, meta.signature, abstracts.signature, pids, hays, meta.places(pids), abstracts.places(pids))
        )
        atomic_write_bytes(cache_path(path), data)
    except (NotLineByLine, LibraryError, OSError, ValueError):
        return
    finally:
        meta.close()
        abstracts.close()


def words_of(query: Query) -> list[str]:
    """The words every match must hold (phrases and exclusions left out)."""
    return [str(t.value) for t in query.terms if t.kind == "word" and not t.negated and " " not in str(t.value)]


def candidates(path: Path, query: Query) -> list[Paper] | None:
    """The papers that may match `query` (a superset of its matches, in the
    library's file order, with their state and abstracts), read through the
    cache; None when the cache cannot answer (the caller reads the library)."""
    words = words_of(query)
    files = LibraryFiles(path)
    try:
        with open(cache_path(path), "rb") as handle:
            head = marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(head, tuple) and len(head) == 7 and head[0] == FORMAT):
        return None
    _, meta_sig, abstracts_sig, pids, hays, meta_places, abstract_places = head
    if not words or meta_sig is None:
        return None
    if tuple(meta_sig) != _signature(files.path) or (
        abstracts_sig is not None and tuple(abstracts_sig) != _signature(files.abstracts_path)
    ):
        return None
    if conflict_copies(files.all_paths()):
        return None
    state = files.read_state()
    noted = {pid: fold(" ".join(map(str, d.get("tags") or [])) + "\n" + str(d.get("notes") or ""))
             for pid, d in state.items() if d.get("tags") or d.get("notes")}
    picked = []
    for index, hay in enumerate(hays):
        pid = pids[index]
        if pid in noted:
            extra = noted[pid]
            if all(w in hay or w in extra for w in words):
                picked.append(index)
        elif all(w in hay for w in words):
            picked.append(index)
    papers = []
    with open(files.path, "rb") as meta, _open(files.abstracts_path) as abstracts:
        for index in picked:
            pid = pids[index]
            doc = _read(meta, meta_places[index], pid)
            if doc is None:
                return None
            if state.get(pid, {}).get("deleted"):
                continue
            paper = Paper.from_docs(pid, doc, state.get(pid))
            place = abstract_places[index]
            if place is not None and abstracts is not None:
                abstract = _read(abstracts, place, pid)
                if abstract is None:
                    return None
                paper.abstract = str(abstract.get("abstract") or "")
            papers.append(paper)
    return papers


def _open(path: Path):
    try:
        return open(path, "rb")
    except FileNotFoundError:
        return open(os.devnull, "rb")


def _read(handle, place: tuple[int, int], pid: str) -> dict | None:
    offset, length = place
    try:
        record = orjson.loads(b"{" + os.pread(handle.fileno(), length, offset).rstrip(b",") + b"}")
    except (OSError, orjson.JSONDecodeError):
        return None
    doc = record.get(pid) if isinstance(record, dict) and len(record) == 1 else None
    return doc if isinstance(doc, dict) else None
