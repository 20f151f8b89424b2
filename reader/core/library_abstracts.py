"""The abstracts of a library's papers: read all into the papers (for
anything that merges or writes metadata), or scanned a slice at a time and
read back one by one on demand (the app; see `abstract_file`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import LibraryError
from .library_files import ABSTRACTS, LibraryFiles
from .line_records import LineRecords, NotLineByLine
from .models import Paper
from .search_text import haystack
from .storage import no_gc


class LibraryAbstracts:
    """The abstracts part of `LibraryStore` (which sets these attributes)."""

    lock: threading.RLock
    files: LibraryFiles
    abstracts_path: Any
    abstracts_loaded: bool
    abstracts_scanned: bool
    abstract_file: LineRecords
    search_texts: dict[str, str]
    version: int
    abstracts_version: int
    _papers: dict[str, Paper]
    _refusal: Callable[[LibraryError], LibraryError]

    @property
    def searchable(self) -> bool:
        """Whether every abstract can be searched (read, or scanned)."""
        return self.abstracts_loaded or self.abstracts_scanned

    def abstract(self, paper: Paper) -> str:
        """The paper's abstract: its own when the abstracts are loaded, else
        read from the file scanned ("" before the scan reached it)."""
        if self.abstracts_loaded:
            return paper.abstract
        doc = self.abstract_file.read(paper.id)
        return str(doc.get("abstract") or "") if doc else ""

    def load_abstracts(self) -> None:
        """Read the abstracts into the papers (the app does it after showing them)."""
        try:
            # The file is read and parsed outside the lock: readers on other
            # threads wait only while the abstracts are put into the papers.
            with no_gc():
                docs = self.files.read_abstracts()
                with self.lock:
                    self._apply_abstracts(docs)
                    self.abstracts_loaded = True
                    self.version += 1
                    self.abstracts_version = self.version
        except LibraryError as exc:
            raise self._refusal(exc) from None

    def _apply_abstracts(self, docs: dict[str, Any]) -> None:
        texts = self.search_texts
        for pid, doc in docs.items():
            paper = self._papers.get(pid)
            if paper is not None:
                paper.abstract = str(doc.get("abstract") or "")
                texts.pop(pid, None)

    def forget_search_texts(self, pids: Iterable[str]) -> None:
        """The search texts of these papers are out of date (made again when needed)."""
        for pid in pids:
            self.search_texts.pop(pid, None)

    def scan_abstracts(self) -> None:
        """Read the abstracts file a slice at a time (see `line_records`),
        making each paper's search text, without keeping the abstracts: a
        thread doing it holds the interpreter and `lock` for a moment at a
        time. A file not written a record a line is loaded whole instead."""
        if self.searchable:
            return
        scanned = LineRecords(self.abstracts_path)
        with self.lock:
            self.abstract_file.close()
            self.abstract_file = scanned  # `abstract` reads what is scanned so far
            papers = self._papers
        try:
            for batch in scanned.scan(ABSTRACTS):
                with self.lock:
                    if self._papers is not papers:
                        return  # the papers were read again: a new scan follows
                    texts = self.search_texts
                    for pid, doc in batch:
                        paper = papers.get(pid)
                        if paper is not None:
                            texts[pid] = haystack(paper, str(doc.get("abstract") or ""))
                time.sleep(0)  # a thread waiting for the interpreter (the app's) goes first
        except NotLineByLine:
            self.load_abstracts()
            return
        except LibraryError as exc:
            raise self._refusal(exc) from None
        with self.lock:
            if self._papers is papers:
                self.abstracts_scanned = True

    def ensure_abstracts(self) -> None:
        """Have every paper hold its abstract (before a paper is handed to
        something that writes its metadata back: an editor, an undo)."""
        with self.lock:
            self._ensure_abstracts_locked()

    def _ensure_abstracts_locked(self) -> None:
        if not self.abstracts_loaded:
            self.load_abstracts()

