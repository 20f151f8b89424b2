"""The backups part of `LibraryStore`: copies of the three files kept beside
the library, taken before changes to many papers, and brought back whole."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from ..errors import LibraryError
from .backups import list_backups, make_backup, read_backup
from .library_files import LibraryFiles
from .storage import write_files_together


class LibraryBackups:
    """Backups and restores (`LibraryStore` sets these attributes)."""

    path: Path
    state_path: Path
    abstracts_path: Path
    files: LibraryFiles
    loaded: bool
    abstracts_loaded: bool
    _writing: Callable[[], AbstractContextManager[None]]
    _refusal: Callable[[LibraryError], LibraryError]
    _sync_locked: Callable[[], None]
    _load_meta: Callable[[], None]
    load_abstracts: Callable[[], None]

    def backups(self) -> list[Path]:
        """Backup copies of the library file, newest first."""
        return list_backups(self.path)

    def backup(self, kind: str = "change") -> Path | None:
        """Keep the library as it is now beside it, before a change of `kind`
        (a key of `backups.KINDS`) to many papers."""
        with self._writing():
            return self._backup_locked(kind)

    def fold_log_locked(self) -> None:
        """Under the locks: take in what others wrote, then fold the log of
        state changes into the state file (`state_log`)."""
        if self.loaded:
            self._sync_locked()
        self.files.fold()

    def _backup_locked(self, kind: str = "change") -> Path | None:
        self.fold_log_locked()  # a backup is the three files, whole
        return make_backup(self.path, kind)

    def restore_backup(self, backup: Path) -> None:
        """Bring a backup back; the library as it is now is backed up first."""
        with self._writing():
            try:
                content = read_backup(backup)  # a damaged backup is refused here
            except LibraryError as exc:
                raise self._refusal(exc) from None
            self._backup_locked("restore")
            write_files_together(  # all or none, the papers last (see LibraryFiles.commit)
                [
                    (self.abstracts_path, content.abstracts),
                    (self.state_path, content.state),
                    (self.path, content.papers),
                ]
            )
            self.files.log.remove()  # the changes since were made to the library replaced
            self.files.invalidate()
            self._load_meta()
            if not self.abstracts_loaded:
                self.load_abstracts()
