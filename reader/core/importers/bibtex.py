"""BibTeX, split into blocks by bibtexparser 2; values resolved and decoded here.

bibtexparser only splits the file (so that a malformed entry costs that entry
alone); `@string` macros, the month macros, `#` concatenation, LaTeX and names
are handled below, field by field, so that odd input in one field can neither
crash the import nor spoil the other fields.
"""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
    String,
)

from ...errors import ImportFormatError
from ..ids import is_valid_key
from ..models import Paper
from ..names import parse_bibtex_names
from ..progress import OnProgress, report
from ..text import clean_text
from ..urls import safe_link
from .common import (
    ParseResult,
    clean_doi,
    clean_url,
    doi_from_url,
    find_arxiv_id,
    is_usable,
    normalise_arxiv_id,
)
from .latex import decode, decode_title, strip_braces, unescape_verbatim
from .links import find_links

# Both libraries report problems through `logging`; the import reports them
# itself, as skipped entries, so they must not print to the terminal.
for _logger in ("bibtexparser", "pylatexenc"):
    logging.getLogger(_logger).addHandler(logging.NullHandler())

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
#: Month macros predefined by BibTeX.
_PREDEFINED = {m: name.capitalize() for m, name in zip(MONTHS, _MONTH_NAMES, strict=True)}

#: Fields that hold names.
NAME_FIELDS = {"author": "authors", "editor": "editors", "translator": "translators"}
#: Where a venue is read from, first found first.
VENUE_FIELDS = ("journal", "journaltitle", "booktitle")
#: Fields kept as written: never decoded from LaTeX, only the escapes of one
#: character undone (`\%`, `\_`, `\~{}`). Every other field is prose.
VERBATIM = frozenset(
    "url doi eprint file pdf code urlraw isbn issn isrn crossref xref xdata ids "
    "entryset related date urldate eventdate origdate year pages volume number "
    "langid eid gender pagination".split()
)
_ENTRY_AT = re.compile(r"@[A-Za-z]+[ \t]*[{(]")
_KEY_IN_RAW = re.compile(r"@\s*\w*\s*[{(]\s*([^,\s{}()=\"]*)")
_YEAR = re.compile(r"^\d{1,4}$")


# ------------------------------------------------------------------ values
def _split_concatenation(raw: str) -> list[str]:
    """The parts of `a # "b" # {c}`, split at `#` outside braces and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, char in enumerate(raw):
        if char == "\\":
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(raw[start:i])
            start = i + 1
    parts.append(raw[start:])
    return parts


#: The most characters one field may hold, its @string macros expanded.
MAX_FIELD = 100_000


class Macros(dict[str, "str | None"]):
    """A file's @string macros (None: one that expands past MAX_FIELD), and
    how many characters macros may still add to the file in all: a handful of
    @strings that double each other must not fill the memory."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.budget = 2 * len(text) + 1_000_000


def resolve(raw: str, macros: Macros) -> str:
    """A field's value as text: enclosing removed, macros and `#` resolved.
    Raises ValueError for a value longer than MAX_FIELD characters."""
    raw = raw.strip()
    if raw[:1] == "{" and raw[-1:] == "}" and "#" not in raw:  # one braced value
        if len(raw) - 2 > MAX_FIELD:
            raise ValueError(f"longer than {MAX_FIELD:,} characters")
        return raw[1:-1]
    pieces, size = [], 0
    for part in _split_concatenation(raw) if "#" in raw else [raw]:
        part = part.strip()
        piece: str | None
        if len(part) >= 2 and part[0] == "{" and part[-1] == "}":
            piece = part[1:-1]
        elif len(part) >= 2 and part[0] == '"' and part[-1] == '"':
            piece = part[1:-1]
        elif part.lower() in macros:
            piece = macros[part.lower()]
            if piece is None:
                raise ValueError(f"@string {part[:40]!r} expands past {MAX_FIELD:,} characters")
            macros.budget -= len(piece)
            if macros.budget < 0:
                raise ValueError("the file's @string macros expand to too much text in all")
        else:
            piece = _PREDEFINED.get(part.lower(), part)
        size += len(piece)
        if size > MAX_FIELD:
            raise ValueError(f"longer than {MAX_FIELD:,} characters")
        pieces.append(piece)
    return "".join(pieces)


def _month(value: str) -> str:
    """`apr`, `April`, `{Apr.}` or `4` as BibTeX's macro ("apr"); else as given."""
    text = strip_braces(value).strip().rstrip(".").lower()
    if text.isdigit() and 1 <= int(text) <= 12:
        return MONTHS[int(text) - 1]
    for number, name in enumerate(_MONTH_NAMES):
        if text and (text == name or text == name[:3] or (len(text) >= 3 and name.startswith(text))):
            return MONTHS[number]
    return clean_text(decode(value))


def _prose(value: str) -> str:
    return clean_text(decode(value))


# ----------------------------------------------------------------- entries
def _fields(entry: Entry, macros: Macros) -> dict[str, str]:
    values: dict[str, str] = {}
    for field in entry.fields:
        key = str(field.key).strip().lower()
        if key and key not in values:  # the first of duplicate fields wins
            try:
                values[key] = resolve(str(field.value), macros)
            except ValueError as error:
                raise ValueError(f"field {clean_text(key)[:40]!r}: {error}") from None
    return values


def _names(paper: Paper, f: dict[str, str]) -> None:
    for field, attribute in NAME_FIELDS.items():
        raw = f.pop(field, "")
        if not raw.strip():
            continue
        people, others = parse_bibtex_names(raw, _prose)
        setattr(paper, attribute, people)
        if others:
            paper.and_others.append(attribute)
        if not people and not others:
            paper.extra[field] = _prose(raw)


def _ids(paper: Paper, f: dict[str, str]) -> None:
    """DOI, arXiv id and links; what they cannot hold exactly stays in `extra`."""
    url = f.pop("url", None)
    if url is not None:
        value = clean_text(unescape_verbatim(url))
        link = clean_url(value)
        # A web address that could not be opened safely is kept as it was
        # written (in `extra`, exported back), never as the paper's link.
        paper.url = link if safe_link(link) or not link.lower().startswith("http") else ""
        if paper.url != value and value:
            paper.extra["url"] = value
    for field, attribute in (("pdf", "pdf_url"), ("code", "code_url")):
        if field in f:
            value = clean_text(unescape_verbatim(f.pop(field)))
            setattr(paper, attribute, clean_url(value))
            if getattr(paper, attribute) != value and value:
                paper.extra[field] = value
    if paper.code_url and decode(f.get("note", "")) == f"Code: {paper.code_url}":
        del f["note"]  # what an export writes for a code link is not kept twice
    if not paper.url:
        for k in ("howpublished", "note"):
            found = find_links(decode(f[k])) if f.get(k) else []
            if found:
                paper.url = found[0]
                break
    if "doi" in f:
        doi = unescape_verbatim(f.pop("doi"))
        paper.doi = clean_doi(doi)
        if paper.doi != doi:
            paper.extra["doi"] = doi
    paper.doi = paper.doi or doi_from_url(paper.url)

    archive = unescape_verbatim(f.get("archiveprefix") or f.get("eprinttype") or "").lower()
    eprint = unescape_verbatim(f.pop("eprint", ""))
    urls = [paper.url, paper.pdf_url, paper.code_url]
    paper.arxiv_id = (
        (normalise_arxiv_id(eprint) if archive in ("", "arxiv") else "")
        or find_arxiv_id(paper.venue)
        or next((normalise_arxiv_id(u) for u in urls if u and normalise_arxiv_id(u)), "")
    )
    if eprint and eprint != paper.arxiv_id:
        paper.extra["eprint"] = eprint
    if not paper.arxiv_id:
        return
    # What an export writes back for an arXiv paper is not kept twice.
    if unescape_verbatim(f.get("archiveprefix", "")) == "arXiv":
        del f["archiveprefix"]
    paper.category = unescape_verbatim(f.get("primaryclass") or f.get("eprintclass") or "")
    if "primaryclass" in f and unescape_verbatim(f["primaryclass"]) == paper.category:
        del f["primaryclass"]


def _paper(entry: Entry, macros: Macros) -> Paper:
    f = _fields(entry, macros)
    key = clean_text(str(entry.key))
    paper = Paper(id=key if is_valid_key(key) else "", key=key)
    paper.entry_type = clean_text(str(entry.entry_type)).lower()
    if "title" in f:
        paper.title, spans = decode_title(f.pop("title"))
        paper.title_case = spans
    _names(paper, f)
    paper.abstract = clean_text(decode(f.pop("abstract", "")), multiline=True)
    venue_field = next((name for name in VENUE_FIELDS if f.get(name, "").strip()), "")
    if venue_field:
        paper.venue = _prose(f.pop(venue_field))
        paper.venue_field = venue_field

    year = unescape_verbatim(f.get("year", ""))
    if _YEAR.match(year):
        paper.year = int(year)
        del f["year"]
    else:
        date = re.match(r"^(\d{4})(?:[-/]|$)", unescape_verbatim(f.get("date", "")))
        found = date or re.match(r"^(\d{4})\b", year)
        paper.year = int(found.group(1)) if found else None
    _ids(paper, f)

    for name, value in f.items():
        if name == "month":
            text = _month(value)
        elif name in VERBATIM:
            text = clean_text(unescape_verbatim(value))
        else:
            text = _prose(value)
        if text:
            paper.extra[name] = text
    return paper


def _where(block: object, key: str | None = None) -> str:
    line = getattr(block, "start_line", None)
    if key is None:
        match = _KEY_IN_RAW.match(getattr(block, "raw", None) or "")
        key = match.group(1) if match else ""
    raw = (getattr(block, "raw", None) or "").lstrip().lower()
    kind = "@string" if raw.startswith("@string") else "entry"
    what = f"{kind} {clean_text(key)[:60]!r}" if key else f"an {kind}"
    return f"{what} at line {line + 1}" if isinstance(line, int) else what


def _reason(block: ParsingFailedBlock) -> str:
    error = block.error
    reason = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
    reason = clean_text(reason)
    if reason.startswith("Unexpectedly reached end of file"):
        return "not closed before the end of the file (a brace or quote is missing)"
    if reason.startswith("Unexpected block start"):
        return "not closed before the next entry starts (a brace or quote is missing)"
    return reason


def _split(text: str):
    try:
        return bibtexparser.parse_string(text, parse_stack=[])
    except Exception as error:  # a bibtexparser failure (or RecursionError) on odd input
        raise ImportFormatError(f"the BibTeX could not be read: {clean_text(str(error))[:200]}") from None


def looks_like_bibtex(text: str) -> bool:
    """A line starts with `@word{` or `@word(`. (Each `@` is looked at, not
    each line: a long text with no entry is passed over at once.)"""
    at = text.find("@")
    while at != -1:
        start = at
        while start and text[start - 1] in " \t":
            start -= 1
        if (not start or text[start - 1] == "\n") and _ENTRY_AT.match(text, at):
            return True
        at = text.find("@", at + 1)
    return False


def parse_bibtex(text: str, on_progress: OnProgress | None = None) -> ParseResult:
    """`on_progress` hears of the entries read ("entries", done, total)."""
    result = ParseResult("bibtex")
    # The blocks alone, each let go of once read: the parsed file and the
    # papers made of it are not held in memory together.
    blocks: list[object] = list(_split(text).blocks)
    total = len(blocks)
    macros = Macros(text)
    for block in blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            block = block.ignore_error_block  # a macro defined again: the last one wins
        if isinstance(block, String):
            try:
                value: str | None = resolve(str(block.value), macros)
            except ValueError:
                value = None  # the entries that use it say so
            macros[str(block.key).strip().lower()] = value
    for done in range(total):
        block, blocks[done] = blocks[done], None
        report(on_progress, "entries", done, total)
        entry = block
        if isinstance(block, (DuplicateBlockKeyBlock, DuplicateFieldKeyBlock)):
            entry = block.ignore_error_block  # still a good entry: keep it
        elif isinstance(block, ParsingFailedBlock):
            result.skipped.append((_where(block), _reason(block)))
            continue
        if not isinstance(entry, Entry):
            continue
        try:
            paper = _paper(entry, macros)
        except (ValueError, TypeError, RecursionError) as error:
            result.skipped.append((_where(entry, str(entry.key)), clean_text(str(error))))
            continue
        if not (is_usable(paper) or paper.key):
            result.skipped.append(
                (_where(entry, str(entry.key)), "no key, title, arXiv id, DOI or URL")
            )
            continue
        result.papers.append(paper)
    report(on_progress, "entries", total, total)
    return result
