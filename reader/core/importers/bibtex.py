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
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
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
from ..progress import OnProgress, report
from ..text import clean_text
from .common import (
    ParseResult,
    clean_doi,
    clean_url,
    doi_from_url,
    find_arxiv_id,
    is_usable,
    normalise_arxiv_id,
)
from .latex import decode, strip_braces
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

#: Fields read into the paper itself; every other field goes to `extra`.
_CONSUMED = {
    "title", "author", "year", "date", "journal", "journaltitle", "booktitle",
    "abstract", "url", "doi", "eprint", "archiveprefix", "eprinttype",
    "primaryclass", "eprintclass", "code", "pdf",
}
#: Extra fields that hold prose, decoded from LaTeX; the others (pages,
#: volume, isbn...) are kept as written, braces aside.
_PROSE = {
    "publisher", "address", "organization", "school", "institution", "series",
    "editor", "note", "howpublished", "keywords", "location", "edition", "type",
    "chapter", "language",
}
_BIBTEX_ENTRY = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.M)
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
    """`jan`, `January`, `{Jan.}` or `1` as the month's number ("1"); else as given."""
    text = strip_braces(value).strip().rstrip(".").lower()
    if text.isdigit() and 1 <= int(text) <= 12:
        return str(int(text))
    for number, name in enumerate(_MONTH_NAMES, 1):
        if text and (text == name or text == name[:3] or (len(text) >= 3 and name.startswith(text))):
            return str(number)
    return clean_text(strip_braces(value))


def _name(raw: str) -> str:
    """One BibTeX name ("von Last, Jr, First" or "First von Last") as "First von Last Jr"."""
    try:
        parts = parse_single_name_into_parts(raw, strict=False)
    except Exception:  # bibtexparser's name splitting on odd input
        return clean_text(decode(raw))
    words = [*parts.first, *parts.von, *parts.last, *parts.jr]
    return clean_text(" ".join(decode(w) for w in words))


def authors(raw: str) -> list[str]:
    try:
        names = split_multiple_persons_names(raw)
    except Exception:  # bibtexparser's name splitting on odd input
        names = re.split(r"\s+and\s+", raw)
    out = []
    for i, raw_name in enumerate(names):
        if raw_name.strip().lower() == "others":
            if i:
                out.append("et al.")
            continue
        name = _name(raw_name)
        if name:
            out.append(name)
    return out


def _verbatim(value: str) -> str:
    """A field kept as written (pages, isbn...): braces and TeX escapes aside."""
    value = strip_braces(value)
    return clean_text(re.sub(r"\\([_%&#$])", r"\1", value))


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


def _paper(entry: Entry, macros: Macros) -> Paper:
    f = _fields(entry, macros)
    key = str(entry.key).strip()
    paper = Paper(id=key if is_valid_key(key) else "")
    paper.entry_type = clean_text(str(entry.entry_type)).lower()
    paper.title = clean_text(decode(f.get("title", "")))
    paper.authors = authors(f["author"]) if f.get("author") else []
    paper.abstract = clean_text(decode(f.get("abstract", "")), multiline=True)
    venue = f.get("journal") or f.get("journaltitle") or f.get("booktitle") or ""
    paper.venue = clean_text(decode(venue))

    year = _verbatim(f.get("year", ""))
    if _YEAR.match(year):
        paper.year = int(year)
    else:
        date = re.match(r"^(\d{4})(?:-|$)", _verbatim(f.get("date", "")))
        paper.year = int(date.group(1)) if date else None

    urls = [clean_url(_verbatim(f[k])) for k in ("url", "pdf", "code") if f.get(k)]
    paper.url = clean_url(_verbatim(f.get("url", "")))
    if not paper.url:
        for k in ("howpublished", "note"):
            found = find_links(decode(f.get(k, "")))
            if found:
                paper.url = found[0]
                break
    paper.pdf_url = clean_url(_verbatim(f.get("pdf", "")))
    paper.code_url = clean_url(_verbatim(f.get("code", "")))

    paper.doi = clean_doi(_verbatim(f.get("doi", ""))) or doi_from_url(paper.url)
    archive = _verbatim(f.get("archiveprefix") or f.get("eprinttype") or "").lower()
    eprint = _verbatim(f.get("eprint", ""))
    paper.arxiv_id = (
        (normalise_arxiv_id(eprint) if archive in ("", "arxiv") else "")
        or find_arxiv_id(paper.venue)
        or next((normalise_arxiv_id(u) for u in urls if normalise_arxiv_id(u)), "")
    )
    if paper.arxiv_id:
        paper.category = _verbatim(f.get("primaryclass") or f.get("eprintclass") or "")

    for name, value in f.items():
        if name in _CONSUMED:
            continue
        if name == "month":
            text = _month(value)
        elif name in _PROSE:
            text = clean_text(decode(value))
        else:
            text = _verbatim(value)
        if text:
            paper.extra[name] = text
    # A year or an eprint that could not be used is kept as written.
    if year and paper.year is None:
        paper.extra["year"] = year
    if eprint and not paper.arxiv_id:
        paper.extra["eprint"] = eprint
    doi = _verbatim(f.get("doi", ""))
    if doi and not paper.doi:
        paper.extra["doi"] = doi
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
    """A line starts with `@word{` or `@word(`."""
    return _BIBTEX_ENTRY.search(text) is not None


def parse_bibtex(text: str, on_progress: OnProgress | None = None) -> ParseResult:
    """`on_progress` hears of the entries read ("entries", done, total)."""
    result = ParseResult("bibtex")
    library = _split(text)
    total = len(library.blocks)
    macros = Macros(text)
    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            block = block.ignore_error_block  # a macro defined again: the last one wins
        if isinstance(block, String):
            try:
                value: str | None = resolve(str(block.value), macros)
            except ValueError:
                value = None  # the entries that use it say so
            macros[str(block.key).strip().lower()] = value
    for done, block in enumerate(library.blocks):
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
        if not is_usable(paper):
            result.skipped.append(
                (_where(entry, str(entry.key)), "no title, arXiv id, DOI or URL")
            )
            continue
        result.papers.append(paper)
    report(on_progress, "entries", total, total)
    return result
