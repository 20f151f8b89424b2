"""A library file changed in a few records, written by changing their lines.

Every library file is one record a line (`storage.dump_tables`). When only a
few records of a big file changed (a fold of a short log of state changes),
the new file is the old one with those lines replaced, taken out or added at
the end of their table: no need to write every record again. The result is
read back and compared with the tables it must hold; anything unexpected
(a table that is empty, the last record taken out, a file not in the usual
layout) answers None, and the caller writes the file whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from .storage import loads_no_gc

#: More records changed than this: the file is written whole.
MOST_PATCHED = 64


def patched_file(path: Path, tables: dict[str, dict[str, Any]], names: Iterable[str],
                 keys: set[str]) -> bytes | None:
    """The bytes of `path` with the records `keys` of the tables `names` as
    `tables` has them; None when the file must be written whole."""
    if len(keys) > MOST_PATCHED:
        return None
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    for name in names:
        patched = _patch_table(raw, name, tables.get(name, {}), keys)
        if patched is None:
            return None
        raw = patched
    try:
        if loads_no_gc(raw) != tables:
            return None
    except orjson.JSONDecodeError:
        return None
    return raw


def patched_lines(path: Path, changes: dict[str, dict[str, Any]]) -> bytes | None:
    """The bytes of `path`, written by reader, with the records of `changes`
    ({table: {key: record, or {} to take it out}}) put in; None when the file
    must be written whole. Nothing else of the file is read: the caller
    knows it is the very file reader last wrote or read whole."""
    if sum(len(c) for c in changes.values()) > MOST_PATCHED:
        return None
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if not (raw.startswith(b'{\n"') and raw.endswith(b"\n}\n")):
        return None
    for name, table in changes.items():
        if table:
            patched = _patch_table(raw, name, table, set(table))
            if patched is None:
                return None
            raw = patched
    return raw


def _patch_table(raw: bytes, name: str, table: dict[str, Any], keys: set[str]) -> bytes | None:
    dumps = orjson.dumps
    head = b"\n" + dumps(name) + b": {\n"
    start = raw.find(head)
    if start < 0:
        return None  # an empty table, or not the usual layout
    first = start + len(head) - 1  # the line break before the first record
    added = []
    for key in keys:
        end = raw.find(b"\n}", first)
        at = raw.find(b"\n" + dumps(key) + b": ", first, end)
        doc = table.get(key)
        if at < 0:
            if doc:
                added.append(key)
            continue
        stop = raw.find(b"\n", at + 1)
        comma = raw[stop - 1:stop] == b","
        if doc:
            line = dumps(key) + b": " + dumps(doc) + (b"," if comma else b"")
            raw = raw[:at + 1] + line + raw[stop:]
        elif comma:
            raw = raw[:at] + raw[stop:]
        else:
            return None  # the last record taken out: the one before loses its comma
    if added:
        order = _tail_order(table, set(added))
        if order is None:
            return None
        end = raw.find(b"\n}", first)
        rows = b"".join(b",\n" + dumps(key) + b": " + dumps(table[key]) for key in order)
        raw = raw[:end] + rows + raw[end:]
    return raw


def _tail_order(table: dict[str, Any], wanted: set[str]) -> list[str] | None:
    """The keys `wanted`, new in `table`, in its order: they are at its end."""
    found: list[str] = []
    for key in reversed(table):
        if key in wanted:
            found.append(key)
            if len(found) == len(wanted):
                return found[::-1]
    return None
