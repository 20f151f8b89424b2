"""What every importer shares: the result type, arXiv ids, DOIs, cleaning."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..models import Paper
from ..text import clean_text
from .links import unwrap_url

#: How much of the start of a text a detector looks at.
SNIFF_CHARS = 200


@dataclass
class ParseResult:
    """Papers read from one input, and what was left out and why."""

    format: str
    papers: list[Paper] = field(default_factory=list)
    #: (what, reason), e.g. ("entry 'smith2020' at line 12", "no closing brace")
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def take(self, what: str, make: Callable[[], Paper], *, known_by: str = "") -> None:
        """Add the paper `make` builds, or skip `what` with the reason: its
        error, or nothing to find it by (a title, an id or a link; `known_by`
        names the one more field that is enough, such as a key)."""
        try:
            paper = make()
        except (ValueError, TypeError, RecursionError) as error:
            self.skipped.append((what, str(error)))
            return
        if not (is_usable(paper) or (known_by and getattr(paper, known_by))):
            also = f"{known_by}, " if known_by else ""
            self.skipped.append((what, f"no {also}title, arXiv id, DOI or URL"))
            return
        self.papers.append(paper)


# ---------------------------------------------------------------- arXiv ids
# New style (since 2007): YYMM.NNNN or YYMM.NNNNN, optional version.
_NEW_ID = r"\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}"
# Old style: archive[.SUBJECT-CLASS]/YYMMNNN, e.g. hep-th/9901001, math.GT/0309136.
_OLD_ID = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]{2})?/\d{2}(?:0[1-9]|1[0-2])\d{3}"
_VERSION = r"(?:v\d+)?"
_BARE_ID = re.compile(rf"^(?:arxiv:\s*)?(?P<id>{_NEW_ID}|{_OLD_ID}){_VERSION}$", re.I)
_ARXIV_URL = re.compile(
    rf"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/"
    rf"(?P<id>{_NEW_ID}|{_OLD_ID}){_VERSION}(?:\.pdf)?/?(?:[?#].*)?$",
    re.I,
)
_ARXIV_IN_TEXT = re.compile(
    rf"(?:arxiv[:\s]\s*|arxiv\.org/(?:abs|pdf)/)(?P<id>{_NEW_ID}|{_OLD_ID}){_VERSION}",
    re.I,
)


def _case(arxiv_id: str) -> str:
    # The archive of an old-style id is lower case, its subject class upper case.
    if "/" not in arxiv_id:
        return arxiv_id
    archive, number = arxiv_id.split("/", 1)
    name, dot, subject = archive.partition(".")
    return f"{name.lower()}{dot}{subject.upper()}/{number}"


def normalise_arxiv_id(text: str) -> str:
    """The arXiv id (no version) that `text` is, as an id or a URL; else "".

    `2203.02155v2`, `arXiv:2203.02155`, `https://arxiv.org/pdf/2203.02155v3.pdf`
    and `hep-th/9901001` are all accepted.
    """
    text = text.strip()
    if text.lower().startswith(("arxiv.org/", "www.arxiv.org/", "export.arxiv.org/")):
        text = "https://" + text
    if text.lower().startswith(("http://", "https://")):
        match = _ARXIV_URL.match(unwrap_url(text))
    else:
        match = _BARE_ID.match(text)
    return _case(match.group("id")) if match else ""


def find_arxiv_id(text: str) -> str:
    """An arXiv id mentioned in free text ("arXiv preprint arXiv:2203.02155")."""
    match = _ARXIV_IN_TEXT.search(text or "")
    return _case(match.group("id")) if match else ""


# ---------------------------------------------------------------------- DOIs
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.|www\.)?doi\.org/)", re.I)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def clean_doi(text: str) -> str:
    """A DOI without its resolver prefix (`https://doi.org/`, `doi:`); else ""."""
    text = clean_text(text)
    if not text:
        return ""
    doi = _DOI_PREFIX.sub("", text).strip()
    return doi if _DOI.match(doi) else ""


def doi_from_url(url: str) -> str:
    """The DOI a doi.org link points to, or ""."""
    if re.match(r"^https?://(?:dx\.|www\.)?doi\.org/", url or "", re.I):
        return clean_doi(url)
    return ""


# ---------------------------------------------------------------- cleaning
def clean_url(text: str) -> str:
    """One URL as text from outside: cleaned, unwrapped from a link proxy."""
    url = clean_text(text).replace(" ", "")
    return unwrap_url(url) if url else ""


def clean_notes(text: str) -> str:
    """Multi-line text whose indentation matters (notes): each line is cleaned
    like an abstract's, but its leading indentation is kept."""
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        body = line.lstrip(" \t")
        indent = line[: len(line) - len(body)]
        body = clean_text(body, multiline=True)
        lines.append(indent + body if body else "")
    return "\n".join(lines).strip("\n")


def is_usable(paper: Paper) -> bool:
    """Whether a paper has something to find it by: a title, an id or a link."""
    return bool(paper.title or paper.arxiv_id or paper.doi or paper.url)


def shorten(text: str, limit: int = 60) -> str:
    """Text for a one-line report: cleaned and cut to `limit` characters."""
    text = clean_text(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
