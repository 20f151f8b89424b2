"""Backups of a library: copies of its three files beside it, newest first.

A backup is made before a change to many papers (an import, a deletion of
several, `reader mark` on several) and before a restore; its name says when
and before what (its *kind*: `BackupInfo`). A backup is an independent copy
(a reflink where the file system has them, which costs no room until one
side changes; a real copy otherwise), read back and compared after writing:
a program that writes the library in place (`cp`, `truncate`, an editor)
cannot damage it. No half-made backup is ever left to be restored.

Which are kept (`keep`): the newest `KEEP_NEWEST`, the newest of each kind
(so a burst of `reader mark` never pushes out the backup taken before the
last import), and the newest of each of the last `KEEP_DAYS` days that have
one.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..errors import LibraryError
from ..paths import companion
from .library_files import LibraryFiles
from .storage import TMP_SUFFIX, fsync_dir, load_json_file, reason

KEEP_NEWEST = 5
KEEP_DAYS = 7
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
#: Linux's ioctl that makes a file share another's blocks (a reflink).
FICLONE = 0x40049409


def backup_dir(path: Path) -> Path:
    """The folder of the backups of the library file `path`: library.backups/."""
    return path.with_name(companion(path, "backups").name.removesuffix(path.suffix))


def _files(path: Path) -> list[Path]:
    """A library file and its companions."""
    return [path, *(companion(path, name) for name in COMPANIONS)]


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


def list_backups(path: Path) -> list[Path]:
    """Backup copies of the library file `path`, newest first."""
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    ends = tuple(f".{name}{path.suffix}" for name in COMPANIONS)
    found = [
        p for p in folder.glob(f"{path.stem}-*{path.suffix}")
        if not p.name.endswith(ends) and not p.name.startswith(".")
    ]
    return sorted(found, reverse=True)


def keep(backups: list[BackupInfo]) -> set[Path]:
    """The backups to keep out of `backups` (newest first); see the module."""
    kept = {b.path for b in backups[:KEEP_NEWEST]}
    kinds: set[str] = set()
    days: list[str] = []
    for backup in backups:
        if backup.kind not in kinds:
            kinds.add(backup.kind)
            kept.add(backup.path)
        day = backup.taken.date().isoformat() if backup.taken else ""
        if day and day not in days and len(days) < KEEP_DAYS:
            days.append(day)
            kept.add(backup.path)
    return kept


def make_backup(path: Path, kind: str = "change") -> Path | None:
    """Keep the library `path` as it is now in its backup folder (the caller
    holds the library's lock). None if there is no library yet."""
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
    _remove_temp_files(folder)
    stamp = datetime.now(UTC).strftime(STAMP_FORMAT)
    target = folder / f"{path.stem}-{stamp}-{kind}{path.suffix}"
    made: list[Path] = []
    try:
        # The companions first, the library file last: a backup is listed
        # (and can be restored) only once all of it is there.
        for source, dest in reversed(list(zip(_files(path), _files(target), strict=True))):
            if source.exists():
                copy_verified(source, dest)
                made.append(dest)
        fsync_dir(folder)
    except OSError:
        _unlink_all(made)  # no half-made backup is left to be restored
        raise
    infos = [backup_info(b, path) for b in list_backups(path)]
    kept = keep(infos)
    for old in infos:
        if old.path not in kept:
            _unlink_all(_files(old.path))  # an old backup that cannot go only takes room
    return target


def copy_verified(source: Path, dest: Path) -> None:
    """Copy `source` to `dest`, a file of its own: a reflink if the file system
    makes one, else the bytes. The copy is flushed, read back and compared
    with what was read from `source` before it is put in place."""
    data = source.read_bytes()
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=TMP_SUFFIX, dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            if not _reflink(source, out.fileno(), len(data)):
                out.write(data)
                out.flush()
            os.fsync(out.fileno())
        if hashlib.sha256(Path(tmp).read_bytes()).digest() != hashlib.sha256(data).digest():
            raise OSError(errno.EIO, "the copy differs from the library when read back")
        os.replace(tmp, dest)
    except BaseException:
        _unlink_all([Path(tmp)])
        raise


def _reflink(source: Path, out_fd: int, size: int) -> bool:
    """Make `out_fd` share the blocks of `source`. False where the file system
    cannot (the caller copies the bytes), or the file changed meanwhile."""
    try:
        with open(source, "rb") as src:
            if os.fstat(src.fileno()).st_size != size:
                return False
            fcntl.ioctl(out_fd, FICLONE, src.fileno())
        return True
    except OSError:
        return False


def _remove_temp_files(folder: Path) -> None:
    """Copies left half-made by a killed backup."""
    _unlink_all(folder.glob(f".*{TMP_SUFFIX}"))


def _unlink_all(paths: Iterable[Path]) -> None:
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
    files = _files(backup)
    for part in files:
        load_json_file(part)  # each must read (a missing companion is empty)
    papers, state, abstracts = (p.read_bytes() if p.exists() else EMPTY_FILE for p in files)
    return BackupContent(papers=papers, state=state, abstracts=abstracts)


def newest_readable_backup(path: Path) -> Path | None:
    """The newest backup of the library `path` whose files all read."""
    for backup in list_backups(path):
        try:
            read_backup(backup)
        except (LibraryError, OSError):
            continue
        return backup
    return None
