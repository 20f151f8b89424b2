"""The slow work on the library behind the main screen, in worker threads.

Importing a file, reading the abstracts, taking in changes made by another
process. Each job changes the Library in its thread (under `Library.lock`,
which every changing method takes) and reports to its owner with a typed
message; it never touches a widget.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker

from ..core.add_works import AddReport
from ..core.library import Library
from ..core.merge import ImportResult
from ..errors import ReaderError

#: Seconds a thread keeps the interpreter while the abstracts are scanned.
SWITCH_WHILE_SCANNING = 0.0005
#: Seconds between looks at the library files for changes made elsewhere.
WATCH_EVERY = 1.0


class LibraryJobs:
    """Runs the library's background jobs for `owner`, posting it messages."""

    @dataclass
    class Imported(Message):
        """A file was imported."""

        path: Path
        result: ImportResult

    @dataclass
    class Added(Message):
        """Papers were looked up by their ids and added (or found)."""

        report: AddReport

    @dataclass
    class Refused(Message):
        """A job was refused (a bad file, a full disk): one line to show."""

        text: str

    class AbstractsRead(Message):
        """The abstracts are in memory now."""

    @dataclass
    class AbstractsDamaged(Message):
        """The abstracts file is damaged: refused like a damaged library."""

        error: ReaderError

    class ChangedElsewhere(Message):
        """Another process changed the library; it is taken in."""

    def __init__(self, owner: Widget, library: Library) -> None:
        self.owner = owner
        self.library = library
        self._refreshing: Worker[None] | None = None
        self._again = False

    def import_file(self, path: Path) -> None:
        self.owner.run_worker(partial(self._import, path), thread=True, exclusive=True, group="import")

    def add_works(self, texts: list[str]) -> None:
        """Look papers up by their ids (arXiv, Crossref) and add them."""
        self.owner.run_worker(partial(self._add, texts), thread=True, exclusive=True, group="add")

    def read_abstracts(self) -> None:
        self.owner.run_worker(self._read_abstracts, thread=True, exclusive=True, group="abstracts")

    def watch_disk(self) -> None:
        """Look at the files every `WATCH_EVERY` seconds for changes made elsewhere."""
        self.owner.set_interval(WATCH_EVERY, self.check_disk)

    def check_disk(self) -> None:
        """Take in changes made elsewhere, in a worker. A look under way is
        left to finish (the next one sees what it missed), never cancelled."""
        if self._refreshing is not None and not self._refreshing.is_finished:
            self._again = True  # it looks once more before it ends
            return
        if self.library.meta_changed_on_disk() or self.library.state_changed_on_disk():
            self._refreshing = self.owner.run_worker(self._refresh, thread=True, group="refresh")

    # ------------------------------------------------------------------ in threads
    def _import(self, path: Path) -> None:
        from ..core.importers import parse, read_text

        try:
            parsed = parse(read_text(path))
            result = self.library.add_papers(parsed.papers)
            result.skipped += parsed.skipped
        except ReaderError as exc:
            self.owner.post_message(self.Refused(f"Not imported: {exc}"))
            return
        self.owner.post_message(self.Imported(path, result))

    def _add(self, texts: list[str]) -> None:
        from ..core.add_works import add_works

        try:
            report = add_works(self.library, texts)
        except ReaderError as exc:
            self.owner.post_message(self.Refused(f"Not added: {exc}"))
            return
        self.owner.post_message(self.Added(report))

    def _read_abstracts(self) -> None:
        """Scan the abstracts after the list is shown (most of a library's
        bytes), a slice at a time: the keys are answered meanwhile."""
        # The app's thread waits for the interpreter at most this long each
        # time it wants it back from this one (5 ms by default: a key needs
        # it many times on its way).
        switch = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_WHILE_SCANNING)
        try:
            self.library.scan_abstracts()
        except ReaderError as exc:
            self.owner.post_message(self.AbstractsDamaged(exc))
            return
        finally:
            sys.setswitchinterval(switch)
        self.owner.post_message(self.AbstractsRead())

    def _refresh(self) -> None:
        while True:
            self._again = False
            try:
                changed = self.library.refresh()
            except ReaderError as exc:
                self.owner.post_message(self.Refused(str(exc)))
                return
            if changed:
                self.owner.post_message(self.ChangedElsewhere())
            if not self._again:
                return
