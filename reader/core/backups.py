"""Backups of a library: copies of its three files beside it, newest first.

A backup is made before a change to many papers (an import, a deletion of
several, `reader mark` on several) and before a restore. The last
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
from .storage import load_json_file, reason

KEEP_BACKUPS = 5
#: The companions of a library file that are backed up with it.
COMPANIONS = ("state", "abstracts")
#: A backup's name: library-20250101T120000123456Z.json (sorts by time).
STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
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


def make_backup(path: Path) -> Path | None:
    """Keep the library `path` as it is now in its backup folder (the caller
    holds the library's lock). None if there is no library yet."""
    if not path.exists():
        return None
    try:
        return _make_backup(path)
    except OSError as exc:
        raise LibraryError(
            f"cannot back up {path} into {backup_dir(path)}: {reason(exc)}; "
            "nothing was changed"
        ) from None


def _make_backup(path: Path) -> Path:
    folder = backup_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime(STAMP_FORMAT)
    target = folder / f"{path.stem}-{stamp}{path.suffix}"
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
