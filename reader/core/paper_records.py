"""The papers file read into papers: whole, or a record a line (the app)."""

from __future__ import annotations

from .library_files import PAPERS, LibraryFiles
from .line_records import LineRecords, NotLineByLine
from .models import Paper, Shared


def read_papers_whole(files: LibraryFiles, papers: dict[str, Paper], shared: Shared) -> int:
    """The papers file parsed at once (and kept: the next write starts from
    it), into `papers`; returns its schema version."""
    for pid, doc in files.read_papers().items():
        if not isinstance(doc, dict):
            raise TypeError(pid)
        papers[pid] = Paper.from_docs(pid, doc, shared=shared)
    return files.papers_schema()


def read_papers_by_line(files: LibraryFiles, papers: dict[str, Paper], shared: Shared) -> int:
    """The app's way: the papers file a slice of records at a time (see
    `line_records`), never parsed whole in memory; a write of metadata, if
    one comes, reads it again. A file written otherwise is read whole."""
    records = LineRecords(files.path)
    try:
        for batch in records.scan(PAPERS):
            for pid, doc in batch:
                papers[pid] = Paper.from_docs(pid, doc, shared=shared)
    except NotLineByLine:
        papers.clear()
        return read_papers_whole(files, papers, shared)
    finally:
        records.close()
    files.meta.seen(records.signature)
    return records.schema
