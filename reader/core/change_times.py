"""When each field of a paper's reader state last changed, and on which machine.

Sync merges two libraries field by field: where both changed the same field,
the later change wins. Each change of a paper's state is stamped, per field,
in the ``changed`` table of the state file: ``{pid: {field: stamp}}``. A
stamp is ``2026-01-31T12:00:00.123456Z@machine``: compared as text, the
later time wins and a tie goes to the greater machine id, the same on every
machine. A new stamp is always later than the one it replaces, even on a
machine whose clock is behind (clock skew): a change made after seeing
another machine's change wins over it.

The machine id: ``$READER_MACHINE_ID``, else a random id kept in the user's
config directory (``machine-id``), made once.
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import platformdirs

from .storage import atomic_write_bytes

ENV_MACHINE = "READER_MACHINE_ID"
#: The table of the state file that holds the stamps.
CHANGED = "changed"
#: The fields stamped: read (with read_at), starred, tags, notes, deleted;
#: any other key of a state record is stamped under its own name.
TOGETHER = {"read_at": "read"}
_MACHINE_OK = re.compile(r"[A-Za-z0-9._-]{1,64}")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def machine_id() -> str:
    """This machine's id (see the module)."""
    env = os.environ.get(ENV_MACHINE, "").strip()
    if env and _MACHINE_OK.fullmatch(env):
        return env
    base = os.environ.get("READER_CONFIG_DIR") or platformdirs.user_config_dir("reader", appauthor=False)
    path = Path(base) / "machine-id"
    try:
        text = path.read_text(encoding="utf-8").strip()
        if _MACHINE_OK.fullmatch(text):
            return text
    except OSError:
        pass
    made = secrets.token_hex(6)
    try:
        atomic_write_bytes(path, made.encode())
    except Exception:  # noqa: BLE001  # a read-only home: the id lasts this run
        pass
    return made


def stamp_time(stamp: str) -> datetime | None:
    try:
        return datetime.strptime(stamp.partition("@")[0], _TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def new_stamp(previous: str | None = None, machine: str | None = None) -> str:
    """A stamp for a change now, later than `previous` whatever the clock says."""
    now = datetime.now(UTC)
    before = stamp_time(previous) if previous else None
    if before is not None and before >= now:
        now = before + timedelta(microseconds=1)
    return f"{now.strftime(_TIME_FORMAT)}@{machine or machine_id()}"


def field_of(key: str) -> str:
    return TOGETHER.get(key, key)


def fields_of(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A state record by stamped field: {"read": {"read": True, "read_at": ...}, ...}."""
    out: dict[str, dict[str, Any]] = {}
    for key, value in doc.items():
        out.setdefault(field_of(key), {})[key] = value
    return out


def restamp(
    old: dict[str, Any] | None, new: dict[str, Any], stamps: dict[str, str] | None
) -> dict[str, str]:
    """The stamps of a record changed from `old` to `new`: each field that
    changed gets a new stamp, the others keep theirs."""
    before, after = fields_of(old or {}), fields_of(new)
    out = dict(stamps or {})
    machine: str | None = None
    for name in before.keys() | after.keys():
        if before.get(name) != after.get(name):
            machine = machine or machine_id()
            out[name] = new_stamp(out.get(name), machine)
    return out


def later(a: str | None, b: str | None) -> bool:
    """Whether stamp `a` is later than `b` (a missing stamp is the earliest)."""
    return (a or "") > (b or "")
