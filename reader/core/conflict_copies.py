"""Conflict copies left by file-syncing tools, merged when a library opens.

Syncthing, Dropbox and Nextcloud copy files between machines; when two
machines changed a file before it travelled, they keep the other version
beside it as a *conflict copy*:

* Syncthing: ``library.sync-conflict-20260101-120000-ABCDEFG.json``
* Dropbox: ``library (Ada's conflicted copy 2026-01-01).json``
* Nextcloud: ``library (conflicted copy 2026-01-01 120000).json``

(and the same for ``library.state.json`` and ``library.abstracts.json``).
On open, reader merges each copy into the library with the rules of sync
(`sync_merge`, with no common ancestor: for each field the later change
wins, tags and notes from both are kept), writes the library, and moves the
copy into the backups folder. A copy that cannot be read is left where it
is, and said so.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import LibraryError
from .backups import backup_dir
from .storage import dump_tables, load_json_file, write_files_together
from .sync_merge import LibraryTables, MergeReport, merge_libraries


def conflict_copies(files: tuple[Path, Path, Path]) -> list[tuple[int, Path]]:
    """The conflict copies of each of the library's files: (which file, copy)."""
    found: list[tuple[int, Path]] = []
    for index, path in enumerate(files):
        stem, suffix = path.name.removesuffix(path.suffix), path.suffix
        patterns = (f"{stem}.sync-conflict-*{suffix}", f"{stem} (*conflicted copy*){suffix}")
        try:
            for pattern in patterns:
                found += [(index, p) for p in sorted(path.parent.glob(pattern)) if p.is_file()]
        except OSError:
            continue
    return found


def absorb(files: tuple[Path, Path, Path]) -> tuple[list[str], list[Path]]:
    """Merge every conflict copy of the library `files` (papers, state,
    abstracts) into them; the caller holds the library's locks. Returns
    what to tell, and the copies merged (moved into the backups)."""
    copies = conflict_copies(files)
    if not copies:
        return [], []
    notices: list[str] = []
    moved: list[Path] = []
    ours = LibraryTables(*(load_json_file(p) for p in files))
    report = MergeReport()
    merged_any: list[Path] = []
    for index, copy in copies:
        try:
            content = load_json_file(copy)
            parts = list(ours.files())
            parts[index] = content
            ours, got = merge_libraries(None, ours, LibraryTables(*parts))
        except LibraryError as exc:
            notices.append(f"a conflict copy was left as it is: {exc}")
            continue
        report.extend(got)
        merged_any.append(copy)
    if not merged_any:
        return notices, moved
    write_files_together([(files[i], dump_tables(ours.files()[i])) for i in (2, 1, 0)])
    folder = backup_dir(files[0])
    for copy in merged_any:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            os.replace(copy, folder / copy.name)
            moved.append(copy)
        except OSError as exc:
            notices.append(f"{copy} was merged but could not be moved into {folder}: {exc.strerror}")
    notices.insert(0, f"merged {len(merged_any)} conflict cop{'ies' if len(merged_any) > 1 else 'y'} "
                      f"into the library (kept in {folder})")
    notices += report.lines()
    return notices, moved
