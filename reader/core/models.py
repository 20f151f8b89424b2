"""The paper: bibliographic metadata plus the reader's own state.

A paper is stored in two places: its metadata (title, abstract, ids...) in the
library file, and the reader's state (read, starred, tags, notes) in a small
state file beside it, so that a toggle never rewrites every abstract.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from .names import Person

#: Fields that belong to the reader, not to the paper's bibliography.
STATE_FIELDS = ("read", "read_at", "starred", "tags", "notes", "new")

#: Bibliographic fields that hold plain strings.
TEXT_FIELDS = (
    "title",
    "venue",
    "abstract",
    "url",
    "code_url",
    "pdf_url",
    "arxiv_id",
    "doi",
    "category",
    "entry_type",
    "key",
    "venue_field",
)
#: Fields that hold people.
NAME_FIELDS = ("authors", "editors", "translators")


def now_iso() -> str:
    """The current time as an ISO 8601 string in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(slots=True)
class Paper:
    id: str
    #: The citation key the source gave (BibTeX key, CSL-JSON id), exactly as
    #: given: `cite` and `export` use it, and a re-import finds the paper by it.
    key: str = ""
    title: str = ""
    #: (start, end) spans of the title kept in their case (BibTeX braces);
    #: None when the source said nothing about case.
    title_case: list[tuple[int, int]] | None = None
    authors: list[Person] = field(default_factory=list)
    editors: list[Person] = field(default_factory=list)
    translators: list[Person] = field(default_factory=list)
    #: The name fields whose list ended in "and others" ("authors"...).
    and_others: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str = ""
    #: The source field the venue came from (journal, journaltitle, booktitle...).
    venue_field: str = ""
    abstract: str = ""
    url: str = ""
    code_url: str = ""
    pdf_url: str = ""
    arxiv_id: str = ""
    doi: str = ""
    category: str = ""
    #: BibTeX entry type when known (article, inproceedings, misc...).
    entry_type: str = ""
    #: Every other field of the source, by its (lower-case) name: volume,
    #: pages, publisher, month, date, fields reader does not know...
    extra: dict[str, str] = field(default_factory=dict)
    added: str = ""
    # --- the reader's state ---
    tags: list[str] = field(default_factory=list)
    read: bool = False
    read_at: str | None = None
    starred: bool = False
    notes: str = ""
    #: Arrived from a feed and not seen yet (`is:new`).
    new: bool = False

    def __post_init__(self) -> None:
        # Names given as text ("Aaron van den Oord") are parsed into parts.
        for name in NAME_FIELDS:
            people = getattr(self, name)
            if people and any(not isinstance(p, Person) for p in people):
                setattr(self, name, [Person.from_doc(p) for p in people])

    # ------------------------------------------------------------------
    def metadata_doc(self) -> dict[str, Any]:
        """The document stored in the library file (no reader state, no id)."""
        doc: dict[str, Any] = {}
        for name in _METADATA_FIELDS:
            value = getattr(self, name)
            if name == "title_case":
                if value is not None:
                    doc[name] = [[int(a), int(b)] for a, b in value]
                continue
            if not value and value != 0 and name not in ("title", "added"):
                continue
            if name in NAME_FIELDS:
                value = [p.to_doc() for p in value]
            elif isinstance(value, list):
                value = list(value)
            elif isinstance(value, dict):
                value = dict(value)
            doc[name] = value
        return doc

    def state_doc(self) -> dict[str, Any]:
        """The reader's state, with only the fields that differ from the default."""
        doc: dict[str, Any] = {}
        if self.read:
            doc["read"] = True
            if self.read_at:
                doc["read_at"] = self.read_at
        if self.starred:
            doc["starred"] = True
        if self.tags:
            doc["tags"] = list(self.tags)
        if self.notes:
            doc["notes"] = self.notes
        if self.new:
            doc["new"] = True
        return doc

    def to_dict(self) -> dict[str, Any]:
        """Every field, for JSON export and `--json` output."""
        data = {name: getattr(self, name) for name in _ALL_FIELDS}
        for name in NAME_FIELDS:
            data[name] = [p.to_doc() for p in getattr(self, name)]
        if self.title_case is not None:
            data["title_case"] = [[a, b] for a, b in self.title_case]
        data["and_others"] = list(self.and_others)
        data["tags"] = list(self.tags)
        data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_docs(
        cls,
        pid: str,
        meta: dict[str, Any],
        state: dict[str, Any] | None = None,
        shared: Shared | None = None,
    ) -> Paper:
        """A paper from its stored records. `shared`: one for many papers
        read together, so that equal names and short texts are held once.
        (Made field by field, not through `__init__`: a library of 100k
        papers is read at every start.)"""
        paper = _blank(cls, str(pid))
        person = Person.from_doc if shared is None else shared.person
        for name, value in meta.items():
            if name in _TEXTS:
                if value is None:
                    continue
                value = str(value)
                if shared is not None and name in _SHARED_TEXTS:
                    value = shared.texts.setdefault(value, value)
                setattr(paper, name, value)
            elif name in NAME_FIELDS:
                setattr(paper, name, _people(value, person, shared))
            elif name == "and_others":
                paper.and_others = [str(r) for r in _a_list(value)]
            elif name == "title_case":
                paper.title_case = spans(value)
            elif name == "year":
                paper.year = _as_year(value)
            elif name == "extra":
                paper.extra = {str(k): str(v) for k, v in (value or {}).items()}
        if state:
            paper.apply_state(state)
        return paper

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paper:
        """A paper from our own JSON export (metadata and state together)."""
        paper = cls.from_docs(str(data.get("id") or ""), data, data)
        return paper

    def apply_state(self, state: dict[str, Any]) -> None:
        self.read = bool(state.get("read", False))
        read_at = state.get("read_at")
        self.read_at = str(read_at) if read_at else None
        self.starred = bool(state.get("starred", False))
        self.tags = [str(t) for t in _a_list(state.get("tags"))]
        notes = state.get("notes")
        self.notes = str(notes) if notes else ""
        self.new = bool(state.get("new", False))

    # ------------------------------------------------------------------
    @property
    def first_author_last(self) -> str:
        if not self.authors:
            return ""
        return self.authors[0].last

    @property
    def cite_key(self) -> str:
        """The key to cite the paper by: the source's own, else reader's id."""
        return self.key or self.id

    @property
    def arxiv_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}" if self.arxiv_id else ""

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def link(self) -> str:
        """The best link to open for this paper."""
        return self.url or self.arxiv_url or self.doi_url or self.code_url or self.pdf_url


class _NamesSeen(dict[tuple[tuple[str, Any], ...], Person]):
    """Names by their stored parts; a name not seen before is made on lookup."""

    def __missing__(self, key: tuple[tuple[str, Any], ...]) -> Person:
        made = self[key] = Person.from_doc(dict(key))
        return made


class Shared:
    """Names and short texts read once for many papers (`Paper.from_docs`)."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.people: dict[tuple[tuple[str, Any], ...], Person] = _NamesSeen()

    def person(self, doc: Any) -> Person:
        try:
            return self.people[tuple(doc.items())]
        except (AttributeError, TypeError):  # not a dict of texts: read as it is
            return Person.from_doc(doc)


def _people(value: Any, person: Callable[[Any], Person], shared: Shared | None) -> list[Person]:
    if shared is not None:
        try:  # the usual case: a list of dicts of texts, each name made once
            return list(map(shared.people.__getitem__, map(tuple, map(dict.items, value))))
        except TypeError:  # not a list of dicts, or a part that is not a text
            pass
    return [person(p) for p in _a_list(value)]


def _blank(cls: type[Paper], pid: str) -> Paper:
    """A paper with every field at its default (as `Paper(id=pid)` makes)."""
    paper = object.__new__(cls)
    paper.id = pid
    paper.key = paper.title = paper.venue = paper.venue_field = paper.abstract = ""
    paper.url = paper.code_url = paper.pdf_url = paper.arxiv_id = paper.doi = ""
    paper.category = paper.entry_type = paper.added = paper.notes = ""
    paper.title_case = paper.year = paper.read_at = None
    paper.authors, paper.editors, paper.translators, paper.and_others, paper.tags = [], [], [], [], []
    paper.extra = {}
    paper.read = paper.starred = paper.new = False
    return paper


_TEXTS = frozenset(TEXT_FIELDS + ("added",))
#: Texts many papers have the same of: held once when read together.
_SHARED_TEXTS = frozenset({"venue", "venue_field", "added", "category", "entry_type"})
_ALL_FIELDS = tuple(f.name for f in fields(Paper))
_METADATA_FIELDS = tuple(
    f.name for f in fields(Paper) if f.name not in STATE_FIELDS and f.name != "id"
)


def spans(value: Any) -> list[tuple[int, int]] | None:
    """Stored title spans: a list of [start, end] pairs, or None."""
    if value is None:
        return None
    out = []
    for item in _a_list(value):
        if not (isinstance(item, (list, tuple)) and len(item) == 2
                and all(isinstance(n, int) and not isinstance(n, bool) for n in item)):
            raise TypeError("a span is a pair of numbers")
        out.append((item[0], item[1]))
    return out


def _a_list(value: Any) -> list[Any]:
    """A list from a stored record; anything else there is a damaged record."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError(f"a list was expected, not {type(value).__name__}")
    return value


def _as_year(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    digits = text[:4]
    if len(text) >= 4 and digits.isdigit():
        return int(digits)
    return None
