"""Backups of a library: copies of its three files beside it, newest first.

A backup is made before a change to many papers (an import, a deletion of
several, `reader mark` on several) and before a restore; its name says when
and before what (its *kind*: `BackupInfo`). The last
`KEEP_BACKUPS` are kept. A backup is a hard link where the file system
allows it (every write replaces a file with a new one, so the link keeps the
old content), else a copy. No half-made backup is ever left to be restored.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..errors import LibraryError
from ..paths import companion
from .library_files import LibraryFiles
from .storage import load_json_file, reason

KEEP_BACKUPS = 5
#: The companions of a library file that are backed up with it.
COMPANIONS = ("state", "abstracts")
#: A backup's name: library-20250101T120000123456Z-import.json (sorts by time).
STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
STAMP_LENGTH = len("20250101T120000123456Z")
#: What each kind of backup was taken before.
KINDS = {
    "import": "before an import",
    "mark": "before marking several papers",
    "delete": "before deleting several papers",
    "restore": "before a restore",
    "change": "before a change",
}
#: What a missing companion holds once restored: an empty JSON document.
EMPTY_FILE = b"{}"


def backup_dir(path: Path) -> Path:
    """The folder of the backups of the library file `path`: library.backups/."""
    return path.with_name(companion(path, "backups").name.removesuffix(path.suffix))


def _files(path: Path) -> list[Path]:
    """A library file and its companions."""
    return [path, *(companion(path, name) for name in COMPANIONS)]


def list_backups(path: Path) -> list[Path]:
    """Backup copies of the library file `path`, newest first."""
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    ends = tuple(f".{name}{path.suffix}" for name in COMPANIONS)
    found = [p for p in folder.glob("*" + path.suffix) if not p.name.endswith(ends)]
    return sorted(found, reverse=True)


@dataclass(frozen=True)
class BackupInfo:
    """What a backup's name says: when it was taken and before what."""

    path: Path
    #: when it was taken (UTC), None if its name does not say
    taken: datetime | None
    #: a key of `KINDS`
    kind: str

    @property
    def cause(self) -> str:
        return KINDS.get(self.kind, KINDS["change"])


def backup_info(backup: Path, library: Path) -> BackupInfo:
    rest = backup.name.removeprefix(f"{library.stem}-").removesuffix(library.suffix)
    stamp, _, kind = rest.partition("-")
    try:
        taken = datetime.strptime(stamp[:STAMP_LENGTH], STAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        taken = None
    return BackupInfo(backup, taken, kind if kind in KINDS else "change")


def count_papers(backup: Path) -> int | None:
    """How many papers a backup holds (deleted ones left out); None if it cannot be read."""
    try:
        files = LibraryFiles(backup)
        papers = files.read_papers()
        deleted = {pid for pid, doc in files.read_state().items() if doc.get("deleted")}
    except (LibraryError, OSError, AttributeError):
        return None
    return len(papers.keys() - deleted)


def make_backup(path: Path, kind: str = "change") -> Path | None:
    """Keep the library `path` as it is now in its backup folder (the caller
    holds the library's lock), named for `kind`. None if there is no library yet."""
    if not path.exists():
        return None
    try:
        return _make_backup(path, kind if kind in KINDS else "change")
    except OSError as exc:
        raise LibraryError(
            f"cannot back up {path} into {backup_dir(path)}: {reason(exc)}; "
            "nothing was changed"
        ) from None


def _make_backup(path: Path, kind: str) -> Path:
    folder = backup_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime(STAMP_FORMAT)
    target = folder / f"{path.stem}-{stamp}-{kind}{path.suffix}"
    made: list[Path] = []
    try:
        for source, dest in zip(_files(path), _files(target), strict=True):
            if not source.exists():
                continue
            try:
                os.link(source, dest)
            except OSError:
                shutil.copy2(source, dest)
            made.append(dest)
    except OSError:
        _unlink_all(made)  # no half-made backup is left to be restored
        raise
    for old in list_backups(path)[KEEP_BACKUPS:]:
        _unlink_all(_files(old))  # an old backup that cannot go only takes room
    return target


def _unlink_all(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink()
        except OSError:
            pass


@dataclass(frozen=True)
class BackupContent:
    """The bytes of a backup's three files, read before anything is touched."""

    papers: bytes
    state: bytes
    abstracts: bytes


def read_backup(backup: Path) -> BackupContent:
    """A backup's files; refuses a damaged one (LibraryError)."""
    load_json_file(backup)
    state, abstracts = (companion(backup, name) for name in COMPANIONS)
    return BackupContent(
        papers=backup.read_bytes(),
        state=state.read_bytes() if state.exists() else EMPTY_FILE,
        abstracts=abstracts.read_bytes() if abstracts.exists() else EMPTY_FILE,
    )
