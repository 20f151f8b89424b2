"""`reader sync init [REMOTE_URL]`, `reader sync`, `reader sync status`."""

from __future__ import annotations

import argparse

from .common import open_library, say


def cmd_sync(args: argparse.Namespace) -> int:
    from ..core import git_sync

    action, remote = args.action, args.remote
    if action not in (None, "init", "status"):
        raise git_sync.SyncError(f"unknown sync action {action!r}: use init, status, or nothing")
    if remote is not None and action != "init":
        raise git_sync.SyncError("only `reader sync init` takes a remote")
    library = open_library(args, create=True)  # a new machine: the remote brings the library
    if action == "init":
        lines = git_sync.init(library, remote)
    elif action == "status":
        lines = git_sync.status(library)
    else:
        lines = git_sync.sync(library).lines
    for line in lines:
        say(f"sync: {line}")
    return 0
