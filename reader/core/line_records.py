"""A library file read a record at a time, and a record read again on demand
by its place in the file.

Every library file is written one record a line (`storage.dump_tables`):

    {
    "_meta": {
    "schema": {"version":2,"app":"reader"}
    },
    "abstracts": {
    "ID": {"abstract":"..."},
    ...
    }
    }

`LineRecords.scan` reads one table of it in slices of records, each slice
parsed on its own: a thread reading a large file holds the interpreter for a
moment at a time, never for the whole file, and no parse of the whole file
is ever in memory at once. It notes where each record lies, and `read` reads
one back: the file is kept open, and a library file is never changed in
place (it is replaced whole), so the places stay true for the open file
whatever happens to the path later.

A file not written one record a line (by hand, by an older version) makes
`scan` raise `NotLineByLine` before it yields anything wrong: the caller
reads the file whole instead, with its usual checks.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from ..errors import LibraryError
from .library_files import META_TABLE, SCHEMA_VERSION, TABLES

#: Records parsed in one go: a millisecond or two of work.
SLICE = 200
#: Bytes read from the file at a time.
READ_BYTES = 1 << 22
#: A record's place: its offset, shifted, and its length in the low bits.
LENGTH_BITS = 32
Signature = tuple[int, int, int]


class NotLineByLine(Exception):
    """The file is not written one record a line: read it whole."""


class LineRecords:
    """One library file, open: a table scanned once, then read record by record."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: BinaryIO | None = None
        self._places: dict[str, int] = {}
        #: (inode, mtime, size) of the file scanned; None: there was none.
        self.signature: Signature | None = None
        #: The schema version the file says it has (1 when it says none).
        self.schema = 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __del__(self) -> None:
        self.close()

    def changed_on_disk(self) -> bool:
        """Whether the path now holds another file than the one scanned."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return self.signature is not None
        return (st.st_ino, st.st_mtime_ns, st.st_size) != self.signature

    def scan(self, table: str) -> Iterator[list[tuple[str, dict[str, Any]]]]:
        """(key, record) of every record of `table`, a slice at a time;
        afterwards `read` finds each of them. Raises LibraryError for a
        damaged file and NotLineByLine for one written otherwise."""
        self.close()
        self._places = {}
        self.schema = 1
        try:
            handle: BinaryIO = open(self.path, "rb")  # noqa: SIM115  (kept open: see `read`)
        except FileNotFoundError:
            self.signature = None
            return
        except OSError as exc:
            raise LibraryError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        st = os.fstat(handle.fileno())
        self.signature = (st.st_ino, st.st_mtime_ns, st.st_size)
        self._handle = handle
        places = self._places
        current = None  # the table of the lines being read
        depth = 0  # 1 inside the file's braces, 2 after them
        batch: list[tuple[str, dict[str, Any]]] = []
        for offset, line in _lines(handle):
            if current is None:
                if line == b"" and depth != 1:
                    continue
                if line == (b"{", b"}")[min(depth, 1)] and depth < 2:
                    depth += 1
                    continue
                if depth != 1:
                    raise NotLineByLine  # the whole parse says what is wrong
                if line.endswith((b": {}", b": {},")):
                    continue  # an empty table
                if not (line.startswith(b'"') and line.endswith(b": {")):
                    raise NotLineByLine
                current = _key(line[:-3])
                if current not in TABLES:
                    raise NotLineByLine  # not a library's: the whole parse says so
                continue
            if line in (b"}", b"},"):
                current = None
                continue
            key, doc = _record(line)
            if current == META_TABLE:
                self._check_schema(key, doc)
            elif current == table:
                if not isinstance(doc, dict):
                    raise LibraryError(f"{self.path} is JSON of the wrong shape: a record is damaged")
                places[key] = offset << LENGTH_BITS | len(line)
                batch.append((key, doc))
                if len(batch) >= SLICE:
                    yield batch
                    batch = []
        if current is not None or depth != 2:
            raise NotLineByLine  # it ends early: the whole parse says how
        if batch:
            yield batch

    def read(self, key: str) -> dict[str, Any] | None:
        """The record of `key` as it was in the file scanned (None if none)."""
        place = self._places.get(key)
        handle = self._handle
        if place is None or handle is None:
            return None
        offset, length = place >> LENGTH_BITS, place & ((1 << LENGTH_BITS) - 1)
        try:
            _, doc = _record(os.pread(handle.fileno(), length, offset))
        except (OSError, NotLineByLine):
            return None
        return doc if isinstance(doc, dict) else None

    def places(self, keys: list[str]) -> list[tuple[int, int] | None]:
        """(offset, length) of the record of each key, None for those not there."""
        mask = (1 << LENGTH_BITS) - 1
        found = map(self._places.get, keys)
        return [None if p is None else (p >> LENGTH_BITS, p & mask) for p in found]

    def _check_schema(self, key: str, doc: Any) -> None:
        if key != "schema" or not isinstance(doc, dict):
            return
        version = doc.get("version")
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise LibraryError(
                f"{self.path} was written by a newer version of reader (schema {version}; "
                f"this version reads up to {SCHEMA_VERSION}): upgrade reader"
            )
        self.schema = version


def _lines(handle: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """(offset, line without its line break) of every line of the file."""
    offset = 0
    rest = b""
    while True:
        chunk = handle.read(READ_BYTES)
        if not chunk:
            break
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        for line in lines:
            yield offset, line
            offset += len(line) + 1
    if rest:
        yield offset, rest


def _key(data: bytes) -> str:
    try:
        key = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise NotLineByLine from None
    if not isinstance(key, str):
        raise NotLineByLine
    return key


def _record(line: bytes) -> tuple[str, Any]:
    """One line of a table: ``"key": value``, with or without its comma."""
    try:
        record = orjson.loads(b"{" + line.rstrip(b",") + b"}")
    except orjson.JSONDecodeError:
        raise NotLineByLine from None
    if not isinstance(record, dict) or len(record) != 1:
        raise NotLineByLine
    ((key, doc),) = record.items()
    return key, doc
