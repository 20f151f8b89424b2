"""Where `reader export -o PATH` may write: a regular file, nothing else.

An export is written atomically: to a temporary file beside the target, then
renamed over it. A rename replaces whatever has the name, so pointed at a
FIFO, a device node (`/dev/null`, as root), a socket or a symbolic link it
would put a file in its place. `export_target` allows a path that does not
exist yet, a regular file, or a symbolic link that leads to a regular file
(the file is written, the link kept); everything else is refused, untouched.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import ReaderError

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def export_target(path: Path) -> Path:
    """The regular file to write an export named `path` to (`path` itself,
    or the file its symbolic links lead to). Raises ReaderError, saying what
    is there, for anything that is not a regular file."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return path
    except OSError as error:
        raise ReaderError(f"cannot export to {path}: {error.strerror or error}") from None
    if stat.S_ISREG(mode):
        return path
    if not stat.S_ISLNK(mode):
        raise ReaderError(
            f"cannot export to {path}: it is {_kind(mode)}, not a regular file "
            "(without -o the export goes to standard output)"
        )
    target = path.resolve()
    try:
        mode = os.stat(target).st_mode
    except OSError:
        raise ReaderError(
            f"cannot export to {path}: it is a symbolic link to {target}, which does not exist"
        ) from None
    if not stat.S_ISREG(mode):
        raise ReaderError(
            f"cannot export to {path}: it is a symbolic link to {target}, which is "
            f"{_kind(mode)}, not a regular file (without -o the export goes to standard output)"
        )
    return target
