"""Short, stable ids that also serve as BibTeX keys, and the identifiers of
works (arXiv ids, DOIs) that a user may type where a file is expected."""

from __future__ import annotations

import re
from collections.abc import Container
from typing import Literal, NamedTuple

from .importers.common import clean_doi, normalise_arxiv_id
from .models import Paper
from .text import fold, tex_to_plain

STOPWORDS = frozenset(
    """a an the on of in for to and or with without via by from at as is are be
    do does can how what why when who which we our your its it this that these
    towards toward into over under about beyond through using not no new""".split()
)

#: A title's short name ("RLTF: ...") has at most this many characters and words.
SHORT_NAME_CHARS, SHORT_NAME_WORDS = 24, 2
#: Characters of title words in an id made of the title alone.
TITLE_ID_CHARS = 24
#: Characters of a DOI kept in an id made of it (its end, the specific part).
DOI_ID_CHARS = 16
#: A key from a file longer than this is not kept as an id.
MAX_KEY_CHARS = 64

_WORD = re.compile(r"[A-Za-z0-9]+")
_KEY_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.+-]*$")


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug_spaced(text: str) -> str:
    """Like `_slug`, with a space where anything else was: words kept apart."""
    folded = fold(text)
    if not folded.isascii():
        folded = "".join(c if c.isascii() else " " for c in folded)
    return _NOT_SLUG.sub(" ", folded)


def _slug(text: str) -> str:
    """Lower-case ASCII letters and digits only: what a BibTeX key may hold."""
    folded = fold(text)
    if folded.isascii():
        return _NOT_SLUG.sub("", folded)
    return "".join(c for c in folded if c.isascii() and c.isalnum())


def short_name(title: str) -> str:
    """The short name a title gives itself: "RLTF: Reinforcement..." -> "rltf"."""
    head, sep, _ = tex_to_plain(title).partition(":")
    if sep and 0 < len(head) <= SHORT_NAME_CHARS and len(head.split()) <= SHORT_NAME_WORDS:
        return _slug(head)
    return ""


def title_words(title: str, count: int) -> list[str]:
    words = _WORD.findall(_slug_spaced(tex_to_plain(title)))
    significant = [w for w in words if w and w not in STOPWORDS]
    return (significant or [w for w in words if w])[:count]


def base_id(paper: Paper) -> str:
    """firstauthor + year + first title word, or a title's short name."""
    first_words = title_words(paper.title, 3)
    last = _slug(paper.first_author_last.split()[-1]) if paper.first_author_last else ""
    if last:
        return f"{last}{paper.year or ''}{''.join(first_words[:1])}"
    name = short_name(paper.title)
    if name:
        return f"{name}{paper.year or ''}"
    words = "".join(first_words)
    if words:
        return f"{words[:TITLE_ID_CHARS]}{paper.year or ''}"
    if paper.arxiv_id:
        return "arxiv" + _slug(paper.arxiv_id)
    if paper.doi:
        return "doi" + _slug(paper.doi)[-DOI_ID_CHARS:]
    return "paper"


def unique_id(base: str, taken: Container[str]) -> str:
    """`base`, or `base` with the first free suffix b, c, ..., z, then 2, 3, ..."""
    if base not in taken:
        return base
    for letter in "bcdefghijklmnopqrstuvwxyz":
        if base + letter not in taken:
            return base + letter
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


def is_valid_key(key: str) -> bool:
    """Whether a BibTeX key from a file can serve as an id as it is."""
    return bool(_KEY_OK.match(key)) and len(key) <= MAX_KEY_CHARS


class WorkId(NamedTuple):
    """An identifier of a work: an arXiv id (no version) or a DOI."""

    kind: Literal["arxiv", "doi"]
    value: str

    def paper(self) -> Paper:
        """A paper with only this identifier and its link, to be filled in later."""
        if self.kind == "arxiv":
            return Paper(id="", arxiv_id=self.value, url=f"https://arxiv.org/abs/{self.value}")
        return Paper(id="", doi=self.value, url=f"https://doi.org/{self.value}")


def work_id(text: str) -> WorkId | None:
    """The arXiv id or DOI that `text` is, or None.

    `2501.12948`, `arXiv:2501.12948v2`, `https://arxiv.org/abs/2501.12948`,
    `hep-th/9901001`, `10.1109/CVPR.2016.90`, `doi:10.1109/...` and
    `https://doi.org/10.1109/...` all are; a path or a word is not. The
    command line's `import` and the app's `i` take such a text for the work
    it names rather than for a file.
    """
    text = text.strip()
    arxiv_id = normalise_arxiv_id(text)
    if arxiv_id:
        return WorkId("arxiv", arxiv_id)
    doi = clean_doi(text)
    return WorkId("doi", doi) if doi else None


_DOI_IN_URL = re.compile(r"(?:^|[/=:])(10\.\d{4,9}/[^\s?#&]+)", re.I)
_ARXIV_IN_URL = re.compile(
    r"arxiv\.org/(?:abs|pdf|html|format)/([a-z.\-]+/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?", re.I
)
#: Suffixes a publisher's page adds after a DOI in its address.
_PAGE_SUFFIXES = (".pdf", "/full", "/abstract", "/pdf", "/epdf", "/html", "/fulltext")


def find_work_id(text: str) -> WorkId | None:
    """The work `text` names: an id or link (`work_id`), or a web address
    with an arXiv id or a DOI in it (a publisher's page, a mirror)."""
    found = work_id(text)
    if found is not None:
        return found
    text = text.strip()
    if not text.lower().startswith(("http://", "https://")) or any(c.isspace() for c in text):
        return None
    from urllib.parse import unquote

    address = unquote(text)
    match = _ARXIV_IN_URL.search(address)
    if match and (arxiv_id := normalise_arxiv_id(match.group(1))):
        return WorkId("arxiv", arxiv_id)
    match = _DOI_IN_URL.search(address)
    if match:
        doi = match.group(1).rstrip(".,;")
        for suffix in _PAGE_SUFFIXES:
            doi = doi.removesuffix(suffix)
        doi = clean_doi(doi)
        if doi:
            return WorkId("doi", doi)
    return None
