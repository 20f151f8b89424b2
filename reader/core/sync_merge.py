"""Three-way merge of two libraries (ours and theirs) with their common
ancestor, paper by paper: what sync and conflict copies use. Nothing either
side did is lost.

A library here is `LibraryTables`: the parsed JSON of its three files. For
each paper, a side that left it as the ancestor had it takes the other
side's; where both changed it:

* metadata, field by field: a field one side left as it was takes the
  other's; changed on both, the one that is filled (ours first): the import
  rules (`merge.fill_empty`). A paper added on both sides under one id is
  joined only when the import rules say it is the same work; else theirs
  comes in under a new id (reported);
* the abstract, the same way;
* the reader's state, field by field (`state_merge`);
* a paper deleted on one side and changed on the other is kept (reported).

Other tables (a newer reader's, another feature's) merge record by record:
a record changed on one side only takes that side's; changed on both, ours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import LibraryError
from .change_times import CHANGED
from .ids import base_id, unique_id
from .library_files import ABSTRACTS, META_TABLE, PAPERS, STATE, check_schema, schema_table
from .merge import EMPTY, _differ, fill_empty
from .models import Paper
from .state_merge import merge_state

Tables = dict[str, dict[str, Any]]


@dataclass
class LibraryTables:
    """The parsed content of a library's three files ({} for a missing one)."""

    papers: Tables = field(default_factory=dict)
    state: Tables = field(default_factory=dict)
    abstracts: Tables = field(default_factory=dict)

    def files(self) -> tuple[Tables, Tables, Tables]:
        return (self.papers, self.state, self.abstracts)


@dataclass
class MergeReport:
    """What a merge needs to tell: paper ids."""

    notes_joined: list[str] = field(default_factory=list)
    kept_deleted: list[str] = field(default_factory=list)
    #: (id theirs had, the new id it is kept under): two works that shared an id
    renamed: list[tuple[str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        if self.notes_joined:
            out.append(
                f"notes changed on both machines, both texts kept: {', '.join(self.notes_joined)}"
            )
        if self.kept_deleted:
            out.append(
                f"deleted on one machine but changed on the other, kept: {', '.join(self.kept_deleted)}"
            )
        for old, new in self.renamed:
            out.append(f"two different papers had the id {old}: the other machine's is now {new}")
        return out

    def extend(self, other: MergeReport) -> None:
        self.notes_joined += other.notes_joined
        self.kept_deleted += other.kept_deleted
        self.renamed += other.renamed


@dataclass
class _View:
    """One paper on one side."""

    meta: dict[str, Any] | None
    abstract: dict[str, Any] | None
    state: dict[str, Any] | None
    stamps: dict[str, str] | None

    @property
    def deleted(self) -> bool:
        return self.meta is None or bool((self.state or {}).get("deleted"))

    def empty(self) -> bool:
        return self.meta is None and self.abstract is None and self.state is None and self.stamps is None


class _Side:
    def __init__(self, lib: LibraryTables, where: str) -> None:
        for tables in lib.files():
            try:
                check_schema(tables, Path(where))
            except LibraryError as exc:
                raise LibraryError(str(exc).replace(": upgrade reader", ": upgrade reader here too")) from None
        self.papers = lib.papers.get(PAPERS, {})
        self.state = lib.state.get(STATE, {})
        self.stamps = lib.state.get(CHANGED, {})
        self.abstracts = lib.abstracts.get(ABSTRACTS, {})

    def view(self, pid: str) -> _View:
        return _View(self.papers.get(pid), self.abstracts.get(pid), self.state.get(pid), self.stamps.get(pid))


def _merge_fields(
    base: dict[str, Any] | None, ours: dict[str, Any], theirs: dict[str, Any]
) -> dict[str, Any]:
    """Field by field: one side's change; both changed, the filled one (ours first)."""
    if base is None:
        if ours == theirs:
            return ours
        return fill_empty(Paper.from_docs("x", ours), theirs) or ours
    out: dict[str, Any] = {}
    for name in [*ours, *(n for n in theirs if n not in ours), *(n for n in base if n not in ours)]:
        bv, ov, tv = base.get(name), ours.get(name), theirs.get(name)
        value = tv if ov == bv else ov if (tv == bv or ov not in EMPTY) else tv
        if value is not None:
            out[name] = value
    return out


def _merge_text(base: dict[str, Any] | None, ours: dict[str, Any] | None, theirs: dict[str, Any] | None):
    if ours == base:
        return theirs
    if theirs == base or ours == theirs:
        return ours
    return _merge_fields(base or {}, ours or {}, theirs or {}) or None


class _Merger:
    def __init__(self, base: LibraryTables | None, ours: LibraryTables, theirs: LibraryTables) -> None:
        self.have_base = base is not None
        self.b = _Side(base or LibraryTables(), "the common ancestor")
        self.o = _Side(ours, "this library")
        self.t = _Side(theirs, "the other library")
        self.papers: dict[str, Any] = {}
        self.abstracts: dict[str, Any] = {}
        self.state: dict[str, Any] = {}
        self.stamps: dict[str, Any] = {}
        self.report = MergeReport()

    def put(self, pid: str, view: _View) -> None:
        for table, value in (
            (self.papers, view.meta), (self.abstracts, view.abstract),
            (self.state, view.state), (self.stamps, view.stamps),
        ):
            if value:
                table[pid] = value

    def run(self) -> None:
        pids = dict.fromkeys([*self.o.papers, *self.t.papers, *self.o.state, *self.t.state])
        self.taken = set(pids)
        for pid in pids:
            b, o, t = self.b.view(pid), self.o.view(pid), self.t.view(pid)
            if o == b:
                self.put(pid, t)
            elif t == b or o == t:
                self.put(pid, o)
            else:
                self.both_changed(pid, b, o, t)

    def both_changed(self, pid: str, b: _View, o: _View, t: _View) -> None:
        if o.meta is None or t.meta is None:
            if o.meta is None and t.meta is None:
                return  # gone on both sides
            alive = t if o.meta is None else o
            if self.have_base and b.meta is not None:
                self.report.kept_deleted.append(pid)
                state = {k: v for k, v in (alive.state or {}).items() if k != "deleted"}
                alive = _View(alive.meta, alive.abstract, state or None, alive.stamps)
            self.put(pid, alive)
            return
        if b.meta is None and o.meta != t.meta:
            why = _differ(Paper.from_docs(pid, o.meta), Paper.from_docs(pid, t.meta))
            if why and t.meta in (self.o.papers.get(p) for p in self.o.papers if p not in self.t.papers):
                self.put(pid, o)  # merged before: ours already keeps theirs under a new id
                return
            if why:
                new = unique_id(base_id(Paper.from_docs(pid, t.meta)), self.taken)
                self.taken.add(new)
                self.report.renamed.append((pid, new))
                self.put(pid, o)
                self.put(new, t)
                return
        meta = _merge_text(b.meta, o.meta, t.meta)
        merged_state = merge_state(
            b.state or {} if self.have_base else None, o.state or {}, t.state or {},
            (b.stamps or {}, o.stamps or {}, t.stamps or {}),
        )
        if merged_state.notes_joined:
            self.report.notes_joined.append(pid)
        doc = merged_state.doc
        if self.have_base and doc.get("deleted") and not (o.deleted and t.deleted):
            self.report.kept_deleted.append(pid)
            doc = {k: v for k, v in doc.items() if k != "deleted"}
        self.put(pid, _View(meta, _merge_text(b.abstract, o.abstract, t.abstract), doc, merged_state.stamps))


def _other_tables(base: Tables, ours: Tables, theirs: Tables, skip: set[str]) -> Tables:
    out: Tables = {}
    for name in [*ours, *(n for n in theirs if n not in ours)]:
        if name in skip:
            continue
        b, o, t = base.get(name, {}), ours.get(name, {}), theirs.get(name, {})
        table: dict[str, Any] = {}
        for key in [*o, *(k for k in t if k not in o), *(k for k in b if k not in o and k not in t)]:
            value = _merge_text(b.get(key), o.get(key), t.get(key))
            if value is not None:
                table[key] = value
        out[name] = table
    return out


def merge_libraries(
    base: LibraryTables | None, ours: LibraryTables, theirs: LibraryTables
) -> tuple[LibraryTables, MergeReport]:
    """The three-way merge of two libraries (`base` None: no common ancestor)."""
    merger = _Merger(base, ours, theirs)
    try:
        merger.run()
    except (TypeError, ValueError, AttributeError):
        raise LibraryError("a paper record of one side is damaged: nothing was merged") from None
    b = base or LibraryTables()
    main = {META_TABLE: schema_table()}
    papers = {**main, PAPERS: merger.papers}
    papers.update(_other_tables(b.papers, ours.papers, theirs.papers, {META_TABLE, PAPERS}))
    state = {**main, STATE: merger.state, CHANGED: merger.stamps}
    state.update(_other_tables(b.state, ours.state, theirs.state, {META_TABLE, STATE, CHANGED}))
    abstracts = {**main, ABSTRACTS: merger.abstracts}
    abstracts.update(_other_tables(b.abstracts, ours.abstracts, theirs.abstracts, {META_TABLE, ABSTRACTS}))
    return LibraryTables(papers, state, abstracts), merger.report


def changed_papers(a: LibraryTables, b: LibraryTables) -> set[str]:
    """The papers whose metadata or reader state differ between two libraries."""
    sa, sb = _Side(a, "a library"), _Side(b, "a library")
    out = set()
    for pid in {*sa.papers, *sb.papers, *sa.state, *sb.state}:
        if sa.papers.get(pid) != sb.papers.get(pid) or sa.state.get(pid) != sb.state.get(pid):
            out.add(pid)
    return out


def check_tables(lib: LibraryTables, where: str) -> None:
    """Refuse a library whose records would not open (before it is written over ours)."""
    side = _Side(lib, where)
    pid = ""
    try:
        for pid, meta in side.papers.items():
            Paper.from_docs(pid, meta, side.state.get(pid))
        for pid in side.abstracts:
            str(side.abstracts[pid].get("abstract") or "")
    except (TypeError, ValueError, AttributeError):
        raise LibraryError(f"{where}: the record of {pid[:80]!r} is damaged; nothing was changed") from None
