"""The paper: bibliographic metadata plus the reader's own state.

A paper is stored in two places: its metadata (title, abstract, ids...) in the
library file, and the reader's state (read, starred, tags, notes) in a small
state file beside it, so that a toggle never rewrites every abstract.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

#: Fields that belong to the reader, not to the paper's bibliography.
STATE_FIELDS = ("read", "read_at", "starred", "tags", "notes")

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
)


def now_iso() -> str:
    """The current time as an ISO 8601 string in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class Paper:
    id: str
    title: str = ""
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str = ""
    abstract: str = ""
    url: str = ""
    code_url: str = ""
    pdf_url: str = ""
    arxiv_id: str = ""
    doi: str = ""
    category: str = ""
    #: BibTeX entry type when known (article, inproceedings, misc...).
    entry_type: str = ""
    #: Other bibliographic fields kept verbatim (volume, pages, publisher...).
    extra: dict[str, str] = field(default_factory=dict)
    added: str = ""
    # --- the reader's state ---
    tags: list[str] = field(default_factory=list)
    read: bool = False
    read_at: str | None = None
    starred: bool = False
    notes: str = ""

    # ------------------------------------------------------------------
    def metadata_doc(self) -> dict[str, Any]:
        """The document stored in the library file (no reader state, no id)."""
        doc: dict[str, Any] = {}
        for name in _METADATA_FIELDS:
            value = getattr(self, name)
            if not value and value != 0 and name not in ("title", "added"):
                continue
            if isinstance(value, list):
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
        return doc

    def to_dict(self) -> dict[str, Any]:
        """Every field, for JSON export and `--json` output."""
        data = {name: getattr(self, name) for name in _ALL_FIELDS}
        data["authors"] = list(self.authors)
        data["tags"] = list(self.tags)
        data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_docs(
        cls, pid: str, meta: dict[str, Any], state: dict[str, Any] | None = None
    ) -> Paper:
        paper = cls(id=str(pid))
        for name in TEXT_FIELDS + ("added",):
            value = meta.get(name)
            if value is not None:
                setattr(paper, name, str(value))
        paper.authors = [str(a) for a in _a_list(meta.get("authors"))]
        paper.year = _as_year(meta.get("year"))
        paper.extra = {str(k): str(v) for k, v in (meta.get("extra") or {}).items()}
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

    # ------------------------------------------------------------------
    @property
    def first_author_last(self) -> str:
        if not self.authors:
            return ""
        return last_name(self.authors[0])

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


_ALL_FIELDS = tuple(f.name for f in fields(Paper))
_METADATA_FIELDS = tuple(
    f.name for f in fields(Paper) if f.name not in STATE_FIELDS and f.name != "id"
)


def last_name(author: str) -> str:
    """The family name of an author written as "First Last" or "Last, First"."""
    author = author.strip()
    if "," in author:
        return author.split(",", 1)[0].strip()
    parts = author.split()
    if not parts:
        return ""
    # Keep particles such as "van", "de", "von" with the family name.
    i = len(parts) - 1
    while i > 0 and parts[i - 1][:1].islower():
        i -= 1
    return " ".join(parts[i:])


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
