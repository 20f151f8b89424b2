"""`reader sync init [REMOTE_URL]`, `reader sync`, `reader sync status`."""

from __future__ import annotations

import argparse

from .common import open_library, say, waits_aloud


def cmd_sync(args: argparse.Namespace) -> int:
    from ..core import git_sync

    action, remote = args.action, args.remote
    if action not in (None, "init", "status"):
        raise git_sync.SyncError(f"unknown sync action {action!r}: use init, status, or nothing")
    if remote is not None and action != "init":
        raise git_sync.SyncError("only `reader sync init` takes a remote")
    if action == "init":
        # A new machine: the remote brings the library.
        lines = git_sync.init(open_library(args, create=True, abstracts=False), remote)
    else:
        # The files are read only when the remote brings something new.
        from ..core.library_store import LibraryStore
        from ..paths import library_path

        library = waits_aloud(LibraryStore(library_path(getattr(args, "db", None)), load=False))
        lines = git_sync.status(library) if action == "status" else git_sync.sync(library).lines
    for line in lines:
        say(f"sync: {line}")
    return 0


def config_sync(args: argparse.Namespace) -> int:
    """`reader config sync [manual|start|quit|start+quit]`: when the app syncs by itself."""
    from ..errors import ReaderError
    from ..settings import SYNC, SYNC_VALUES, load_settings, save_settings, settings_path

    if args.unset or args.value is not None:
        value = None if args.unset else args.value
        if value is not None and value not in SYNC_VALUES:
            raise ReaderError(f"sync is one of {', '.join(SYNC_VALUES)}, not {value[:40]!r}")
        if not save_settings({SYNC: value}):
            raise ReaderError(f"cannot write {settings_path()}")
    current = load_settings().get(SYNC)
    print(f"sync = {current if current in SYNC_VALUES else 'manual'}")
    return 0
