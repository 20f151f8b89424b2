"""BibTeX export: every field the source gave, written back; reader's own beside them.

Decisions:

* The key is the source's own, exactly as given (`author/online` too), else
  reader's id; only characters a key cannot hold (white space, `,{}"#%\\`)
  become `_`, and so does the first `^` of `^^` (TeX reads `^^5c` as `\\`).
* The entry type is the source's; else `@inproceedings` for a venue that
  names a conference, proceedings or workshop (but not a journal such as
  "Proceedings of the IEEE"), `@article` for any other venue, `@misc` when
  there is no venue or the venue is arXiv/CoRR.
* Every field of the source (`Paper.extra`) is written back, unknown ones
  too. Reader's own fields never overwrite one: the venue goes to the field
  it came from, else to the type's field (`journal`, `booktitle`,
  `publisher`, `howpublished`...) only if the source has no such field.
* Names keep their parts (`von Last, Jr, First`; an organisation in braces);
  `month` is written as its macro (`apr`); a title's case-protected spans are
  braced again (`{RL}`), and a title from a source that said nothing about
  case has the words whose capitals matter braced.
* Text goes through `texencode.encode` (see there); URLs, DOIs, eprints and
  file paths are verbatim. Every value passes `latex_safe.guard` last, so
  that nothing in an entry can act in a LaTeX document.
* Abstracts are exported unless `abstracts=False`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .importers.bibtex import MONTHS, VERBATIM
from .latex_safe import guard
from .models import Paper
from .names import bibtex_names
from .texencode import encode, encode_title, verbatim, verbatim_path
from .text import clean_text

_CONFERENCE = re.compile(
    r"proc\.|proceedings|conference|workshop|symposium|findings of|"
    r"advances in neural information processing|"
    r"\b(neurips|nips|icml|iclr|cvpr|iccv|eccv|acl|emnlp|naacl|eacl|coling|aaai|"
    r"ijcai|kdd|sigir|uai|aistats|colt|interspeech|icassp|corl|rss|icra|iros|chi|"
    r"wsdm|cikm|recsys|sigmod|vldb|osdi|sosp|nsdi|usenix|miccai|bmvc|wacv)\b",
    re.IGNORECASE,
)
_JOURNAL = re.compile(
    r"journal|transactions|letters|\bpnas\b|"
    r"proceedings of the (ieee|national academy|royal society|american mathematical)",
    re.IGNORECASE,
)
_ARXIV_VENUE = re.compile(r"\s*(arxiv|corr)\b", re.IGNORECASE)
_VENUE_FIELD = {
    "article": "journal",
    "inproceedings": "booktitle",
    "conference": "booktitle",
    "incollection": "booktitle",
    "inbook": "booktitle",
    "phdthesis": "school",
    "mastersthesis": "school",
    "thesis": "school",
    "techreport": "institution",
    "report": "institution",
    "book": "publisher",
}
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_.:+-]*")
_NOT_IN_KEY = re.compile(r"[\s,{}\"#%\\]|\^(?=\^)")
#: Verbatim fields that are links or ids; other verbatim fields (pages, file,
#: dates) keep every character but braces.
_LINKS = frozenset({"url", "doi", "eprint", "pdf", "code", "urlraw"})
#: Field names written in the case their tools document.
_CAMEL = {"archiveprefix": "archivePrefix", "primaryclass": "primaryClass"}
_ROLES = (("author", "authors"), ("editor", "editors"), ("translator", "translators"))
#: Fields the paper itself holds whole: a copy in `extra` is not written.
_OWN = frozenset({"title", "author", "editor", "translator", "abstract"})


def entry_type(paper: Paper) -> str:
    kind = paper.entry_type.strip().lower()
    if re.fullmatch(r"[a-z][a-z0-9_-]*", kind):
        return kind
    venue = paper.venue.strip()
    if not venue or _ARXIV_VENUE.match(venue):
        return "misc"
    if _JOURNAL.search(venue) or not _CONFERENCE.search(venue):
        return "article"
    return "inproceedings"


def is_arxiv_venue(venue: str) -> bool:
    """Whether a venue only says "arXiv" (or "CoRR"): a preprint."""
    return bool(_ARXIV_VENUE.match(venue))


def bare_doi(doi: str) -> str:
    """`10.1/x` from `https://doi.org/10.1/x`, `doi:10.1/x` or `10.1/x`."""
    return re.sub(r"^(https?://)?(dx\.)?doi\.org/|^doi:\s*", "", doi.strip(), flags=re.I)


def cite_key(paper: Paper) -> str:
    """The key an entry is written under (see the module's notes)."""
    return _NOT_IN_KEY.sub("_", paper.cite_key) or "paper"


def _name_part(text: str) -> str:
    # `{\&}` rather than `\&`: a brace group is one character to BibTeX, and
    # name splitters that skip escapes still find the "and"s.
    return re.sub(r"\\[&%$#_]", lambda m: "{" + m.group() + "}", encode(text))


def code_note(code_url: str) -> str:
    """`Code: \\url{...}`, the note of a `@misc` with a code link."""
    return r"Code: \url{" + verbatim(code_url).replace("%", r"\%").replace("#", r"\#") + "}"


def _extra_value(name: str, value: str) -> str:
    if name == "month" and value in MONTHS:
        return value  # a macro, written without braces
    if name in _LINKS:
        return "{" + verbatim(value) + "}"
    if name in VERBATIM:
        return "{" + verbatim_path(value) + "}"
    return "{" + encode(value) + "}"


def _venue(paper: Paper, kind: str, extra: dict[str, str]) -> tuple[str, str]:
    venue = " ".join(paper.venue.split())
    if not venue or (not paper.venue_field and paper.arxiv_id and _ARXIV_VENUE.match(venue)):
        return "", ""
    field = paper.venue_field or _VENUE_FIELD.get(kind, "howpublished")
    return ("", "") if field in extra else (field, venue)


def bibtex_fields(paper: Paper, *, abstracts: bool = True) -> tuple[str, list[tuple[str, str]]]:
    """The entry type and the (name, written value) pairs of one entry."""
    kind = entry_type(paper)
    extra = {
        k.strip().lower(): v
        for k, v in paper.extra.items()
        if v.strip() and _FIELD_NAME.fullmatch(k.strip().lower()) and k.lower() not in _OWN
    }
    out: list[tuple[str, str]] = []

    def put(name: str, value: str) -> None:
        if value and name.lower() not in extra:
            out.append((name, "{" + value + "}"))

    for field, attribute in _ROLES:
        people = getattr(paper, attribute)
        others = attribute in paper.and_others
        if people or others:
            put(field, bibtex_names(people, others, _name_part))
    put("title", encode_title(clean_text(paper.title), paper.title_case))
    field, venue = _venue(paper, kind, extra)
    if field:
        put(field, encode(venue))
    if paper.year is not None and "date" not in extra:
        put("year", str(paper.year))
    out += [(_CAMEL.get(name, name), _extra_value(name, value)) for name, value in extra.items()]
    put("doi", verbatim(bare_doi(paper.doi)))
    if paper.arxiv_id:
        put("eprint", verbatim(paper.arxiv_id))
        if "eprinttype" not in extra:
            put("archivePrefix", "arXiv")
        if "eprintclass" not in extra:
            put("primaryClass", verbatim(paper.category))
    put("url", verbatim(paper.url))
    put("pdf", verbatim(paper.pdf_url))
    put("code", verbatim(paper.code_url))
    if kind == "misc" and paper.code_url.strip():
        # A paper known from a list of repositories stays citable by its code.
        put("note", code_note(paper.code_url))
    if abstracts:
        put("abstract", encode(paper.abstract.strip()))
    return kind, out


def _guarded(value: str) -> str:
    if value.startswith("{") and value.endswith("}"):
        return "{" + guard(value[1:-1]) + "}"
    return value if value in MONTHS else "{" + guard(value) + "}"


def bibtex_entry(paper: Paper, *, abstracts: bool = True) -> str:
    """One BibTeX entry (see the module's notes)."""
    kind, fields = bibtex_fields(paper, abstracts=abstracts)
    body = ",\n".join(f"  {name} = {_guarded(value)}" for name, value in fields)
    key = cite_key(paper)
    return f"@{kind}{{{key},\n{body}\n}}" if body else f"@{kind}{{{key}\n}}"


def bibtex_many(papers: Iterable[Paper], *, abstracts: bool = True) -> str:
    """Entries separated by blank lines, ending with a newline."""
    entries = [bibtex_entry(p, abstracts=abstracts) for p in papers]
    return "\n\n".join(entries) + "\n" if entries else ""
