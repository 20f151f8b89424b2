"""Libraries synced through a bare git repository in a test's folder.

    remote = bare_remote(tmp_path)
    a, b = Clone(tmp_path, "A", remote), Clone(tmp_path, "B", remote)
    with a.here(): a.library.toggle_star("p1")   # changes made on machine A
    a.sync(); b.sync()

Each clone is a library in its own folder with its own machine id (set in
the environment while it acts, as a second machine would have its own).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reader.core import git_sync
from reader.core.change_times import ENV_MACHINE
from reader.core.library import Library
from reader.core.sync_merge import MergeReport


def bare_remote(root: Path) -> Path:
    remote = root / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    return remote


class Clone:
    def __init__(self, root: Path, name: str, remote: Path | None, *, set_up: bool = True) -> None:
        self.name = name
        self.path = root / name / "library.json"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.reports: list[MergeReport] = []
        with self.here():
            self.library = Library(self.path)
            if set_up:
                git_sync.init(self.library, str(remote) if remote else None)

    @contextmanager
    def here(self) -> Iterator[None]:
        before = os.environ.get(ENV_MACHINE)
        os.environ[ENV_MACHINE] = self.name
        try:
            yield
        finally:
            if before is None:
                os.environ.pop(ENV_MACHINE, None)
            else:
                os.environ[ENV_MACHINE] = before

    def sync(self) -> git_sync.SyncResult:
        with self.here():
            result = git_sync.sync(self.library)
        self.reports.append(result.report)
        return result

    def reopen(self) -> Library:
        self.library = Library(self.path)
        return self.library

    def view(self) -> dict[str, dict[str, Any]]:
        """Every paper as a user sees it: metadata and state, after reading the files afresh."""
        return {p.id: p.to_dict() for p in Library(self.path).papers()}

    def files(self) -> list[bytes]:
        """The library's files as on disk, with its log of state changes while it has one."""
        log = self.library.files.log.path
        parts = (self.path, self.library.state_path, self.library.abstracts_path, *([log] if log.exists() else []))
        return [p.read_bytes() if p.exists() else b"" for p in parts]


def copy_machines(template: Path, root: Path) -> list[Clone]:
    """The remote and clones made in `template` (by `bare_remote` and `Clone`)
    copied to `root`, each clone's remote now the copied one: a set-up made once
    and used by many tests."""
    shutil.copytree(template, root, symlinks=True, dirs_exist_ok=True)
    remote = root / "remote.git"
    clones = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p != remote):
        subprocess.run(["git", "-C", str(folder), "remote", "set-url", git_sync.REMOTE, str(remote)], check=True)
        clones.append(Clone(root, folder.name, remote, set_up=False))
    return clones


def sync_all(clones: list[Clone], rounds: int = 2) -> None:
    """Everyone syncs, twice round: after that everyone has everything."""
    for _ in range(rounds):
        for clone in clones:
            clone.sync()
