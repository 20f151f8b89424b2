"""Faults injected into the file system calls the library makes.

We run as root in CI, so `chmod` cannot take write permission away; instead the
calls that create, replace or sync files raise what the kernel would:

* `disk_full()`: every `os.fsync` fails with ENOSPC (a full disk shows up when
  the data is flushed);
* `read_only(directory)`: nothing can be created, renamed, linked or removed
  in `directory` (or below it), as with a directory without write permission:
  EACCES (EEXIST for `mkdir` of what exists, as the kernel answers).

Both return an `undo()` that puts the real functions back.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path


def _error(code: int, path: object = None) -> OSError:
    return OSError(code, os.strerror(code), None if path is None else os.fspath(path))


def _patch(module, name: str, replacement) -> Callable[[], None]:
    original = getattr(module, name)
    setattr(module, name, replacement)
    return lambda: setattr(module, name, original)


def disk_full() -> Callable[[], None]:
    def fsync(fd: int) -> None:
        raise _error(errno.ENOSPC)

    return _patch(os, "fsync", fsync)


def disk_full_writing(prefix: str) -> Callable[[], None]:
    """`os.fsync` fails with ENOSPC for files whose name starts with `prefix`
    only: the disk fills up in the middle of a change to several files."""
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        try:
            name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            name = ""
        if name.startswith(prefix):
            raise _error(errno.ENOSPC)
        real_fsync(fd)

    return _patch(os, "fsync", fsync)


def read_only(directory: Path) -> Callable[[], None]:
    directory = Path(os.path.realpath(directory))
    real = {name: getattr(os, name) for name in ("open", "mkdir", "link", "replace", "rename", "unlink")}
    real_copy2 = shutil.copy2

    def inside(path: object) -> bool:
        try:
            resolved = Path(os.path.realpath(os.fspath(path)))
        except TypeError:
            return False  # a file descriptor
        return resolved == directory or directory in resolved.parents

    def open_(path, flags, mode=0o777, *, dir_fd=None):
        if flags & os.O_CREAT and inside(path) and not os.path.exists(path):
            raise _error(errno.EACCES, path)
        if flags & (os.O_WRONLY | os.O_RDWR) and flags & os.O_TRUNC and inside(path):
            raise _error(errno.EACCES, path)
        return real["open"](path, flags, mode, dir_fd=dir_fd)

    def mkdir(path, mode=0o777, *, dir_fd=None):
        if inside(path):
            raise _error(errno.EEXIST if os.path.exists(path) else errno.EACCES, path)
        return real["mkdir"](path, mode, dir_fd=dir_fd)

    def two_paths(name: str):
        def call(src, dst, *args, **kwargs):
            if inside(src) or inside(dst):
                raise _error(errno.EACCES, dst)
            return real[name](src, dst, *args, **kwargs)

        return call

    def unlink(path, *, dir_fd=None):
        if inside(path):
            raise _error(errno.EACCES, path)
        return real["unlink"](path, dir_fd=dir_fd)

    def copy2(src, dst, *args, **kwargs):
        if inside(dst):
            raise _error(errno.EACCES, dst)
        return real_copy2(src, dst, *args, **kwargs)

    undo = [
        _patch(os, "open", open_),
        _patch(os, "mkdir", mkdir),
        _patch(os, "link", two_paths("link")),
        _patch(os, "replace", two_paths("replace")),
        _patch(os, "rename", two_paths("rename")),
        _patch(os, "unlink", unlink),
        _patch(shutil, "copy2", copy2),
    ]

    def undo_all() -> None:
        for step in reversed(undo):
            step()

    return undo_all


FAULTS = {"disk-full": lambda directory: disk_full(), "read-only": read_only}
#: Only the library's state file (library.state.json) meets a full disk.
PARTIAL_FAULTS = {"disk-full-on-state": lambda directory: disk_full_writing(".library.state.json.")}
#: The words the user is shown for each fault.
REASONS = {"disk-full": "the disk is full", "read-only": "permission denied"}
