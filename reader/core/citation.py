"""Citations of a paper: BibTeX written here, every other format by a CSL style.

`cite(paper, fmt, style)` takes a format of the registry in `formats.py`:
BibTeX, or a CSL style (a name of the CSL project's styles, or a .csl file)
written as plain text or Markdown; `styles.py` runs the style over the
paper's CSL-JSON item (`csl.py`). A paper known only by its arXiv id is cited
as `arXiv:ID`; a code link is added as a note ("Code: URL"), never as the
paper's URL.

BibTeX leaves out what is unknown, so no citation ever shows `None`, empty
braces, or punctuation around a missing field. Its decisions:

* Entry type: `paper.entry_type` when set; else `@inproceedings` (booktitle)
  for a venue that names a conference, proceedings or workshop (but not a
  journal such as "Proceedings of the IEEE"), `@article` (journal) for any
  other venue, and `@misc` when there is no venue or the
  venue is arXiv/CoRR. arXiv papers get `eprint`, `archivePrefix` and
  `primaryClass` (from the category). A `@misc` with a code link gets
  `note = {Code: \\url{...}}`: this is how a paper known only from a list
  of repositories stays citable.
* Text (titles, names, venues, `extra` values) is plain Unicode, written as
  UTF-8 with the TeX specials escaped: `& % $ # _` as `\\&`..., and
  `\\ { } ~ ^` as `{\\textbackslash}`, `{\\textbraceleft}`... (balanced
  groups, so that a stray brace in a title cannot end the field early).
  The one exception is inline math that can only print (`latex_safe`: a
  small set of control words, no `\\input`, `\\write` or `^^`): it is kept
  as TeX, wrapped in braces (`{$^{RL}$}`) so that styles do not change its
  case. Every value passes `latex_safe.guard` last.
* Titles are not wrapped whole in double braces: that would freeze the case
  of every word and defeat styles that set titles in sentence case. Instead
  words whose case matters are braced: those with a capital after the first
  letter (`{RLHF}`, `{BERT}`, `{PaccMann}`, `{GPT}-4`) and single capital
  letters other than "A" (`{Q}-Learning`).
* URLs, DOIs and eprints are verbatim fields: kept as they are, except that
  white space, `{`, `}` and `\\` are percent-encoded. Inside `\\url{}` in a
  note, `%` and `#` are also written `\\%` and `\\#`, as hyperref expects
  for a URL inside another command's argument.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from .formats import CITATION_FORMATS, DEFAULT_STYLE, citation_format
from .latex_safe import SPECIAL as _SPECIAL
from .latex_safe import guard, split_math
from .markdown_safe import md_link, md_text
from .models import Paper
from .text import clean_paper, clean_text

FORMATS = CITATION_FORMATS

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
_EXTRA_ORDER = ("volume", "number", "pages", "month", "editor", "publisher", "address")
_WORD_OR_SPECIAL = re.compile(r"[^\W_]+|[&%$#_\\{}~^]")
_VERBATIM_BAD = re.compile(r"[\s{}\\^]")
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_-]*")


# ---------------------------------------------------------------- BibTeX text
def _squash(text: object) -> str:
    return clean_text(str(text))


def _protect(word: str) -> bool:
    if len(word) == 1:
        return word.isupper() and word != "A"
    return any(c.isupper() for c in word[1:])


def _escape(text: str, protect: bool) -> str:
    def one(match: re.Match[str]) -> str:
        token = match.group()
        if token in _SPECIAL:
            return _SPECIAL[token]
        return f"{{{token}}}" if protect and _protect(token) else token

    return _WORD_OR_SPECIAL.sub(one, text)


def tex(text: str, *, protect: bool = False, math: bool = True) -> str:
    """Plain text as a BibTeX value (see the module's notes); `protect`
    braces the words of a title whose capitals matter; `math=False` escapes
    every `$`."""
    pieces = split_math(_squash(text)) if math else [(_squash(text), False)]
    return "".join("{" + p + "}" if is_math else _escape(p, protect) for p, is_math in pieces)


def _verbatim(value: str) -> str:
    return _VERBATIM_BAD.sub(lambda m: quote(m.group()), value.strip())


def _url_command(url: str) -> str:
    return r"\url{" + _verbatim(url).replace("%", r"\%").replace("#", r"\#") + "}"


def _bib_name(author: str) -> str:
    # `{\&}` rather than `\&`: a brace group is one special character to
    # BibTeX, and name splitters that skip escapes still find the "and"s.
    name = re.sub(r"\\[&%$#_]", lambda m: "{" + m.group() + "}", tex(author, math=False))
    # A name holding a lone "and", or too many commas, is one name in braces.
    if re.search(r"(^|\s)and(\s|$)", name, re.IGNORECASE) or name.count(",") > 2:
        return "{" + name + "}"
    return name


# ---------------------------------------------------------------- BibTeX
def entry_type(paper: Paper) -> str:
    kind = paper.entry_type.strip().lower()
    if re.fullmatch(r"[a-z]+", kind):
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


def _bibtex_fields(paper: Paper) -> tuple[str, list[tuple[str, str]]]:
    kind = entry_type(paper)
    venue = _squash(paper.venue)
    if paper.arxiv_id and _ARXIV_VENUE.match(venue):
        venue = ""
    doi = bare_doi(paper.doi)
    url = paper.url.strip()
    if doi and re.match(r"(https?://)?(dx\.)?doi\.org/", url, re.I):
        url = ""
    if not url and not doi:
        url = paper.arxiv_url or paper.pdf_url.strip()
    head = [
        ("author", " and ".join(_bib_name(a) for a in paper.authors if _squash(a))),
        ("title", tex(paper.title, protect=True)),
        (_VENUE_FIELD.get(kind, "howpublished"), tex(venue)),
        ("year", "" if paper.year is None else str(paper.year)),
    ]
    tail = [("doi", _verbatim(doi))]
    if paper.arxiv_id:
        tail += [
            ("eprint", _verbatim(paper.arxiv_id)),
            ("archivePrefix", "arXiv"),
            ("primaryClass", _verbatim(paper.category)),
        ]
    tail.append(("url", _verbatim(url)))
    extra = {k.strip().lower(): _squash(v) for k, v in paper.extra.items()}
    note = tex(extra.pop("note", ""))
    if kind == "misc" and paper.code_url.strip():
        note = ". ".join(filter(None, [note, "Code: " + _url_command(paper.code_url)]))
    tail.append(("note", note))
    taken = {name.lower() for name, value in head + tail if value}
    middle = []
    for name in dict.fromkeys(_EXTRA_ORDER + tuple(sorted(extra))):
        value = extra.get(name, "")
        if value and name not in taken and _FIELD_NAME.fullmatch(name):
            if name == "pages":
                value = re.sub(r"\s*[-\u2013\u2014]+\s*", "--", value)
            middle.append((name, tex(value)))
    return kind, [(n, v) for n, v in head + middle + tail if v]


def _key(paper: Paper) -> str:
    return re.sub(r"[^A-Za-z0-9_:.+/-]", "_", paper.id) or "paper"


def bibtex_entry(paper: Paper) -> str:
    """One BibTeX entry keyed by the paper's id (see the module's notes)."""
    kind, fields = _bibtex_fields(paper)
    body = ",\n".join(f"  {name} = {{{guard(value)}}}" for name, value in fields)
    return f"@{kind}{{{_key(paper)},\n{body}\n}}" if body else f"@{kind}{{{_key(paper)}\n}}"


def bibtex_many(papers: Iterable[Paper]) -> str:
    """Entries separated by blank lines, ending with a newline."""
    entries = [bibtex_entry(p) for p in papers]
    return "\n\n".join(entries) + "\n" if entries else ""


# ---------------------------------------------------------------- every format
def _incomplete(paper: Paper, output: str) -> str:
    ref = f"arXiv:{paper.arxiv_id}"
    return f"[{ref}](<{paper.arxiv_url}>)" if output == "markdown" else ref


def _with_code_note(text: str, paper: Paper, output: str) -> str:
    code = paper.code_url.strip()
    if not code or code in text:
        return text
    if output == "markdown":
        link = f"<{md_link(code)}>" if md_link(code) else md_text(code)
    else:
        link = code
    return f"{text} Code: {link}".strip()


def cite(paper: Paper, fmt: str = "bibtex", style: str | None = None) -> str:
    """The paper cited in one of FORMATS; `style` (a CSL style's name or file)
    replaces the format's own style, or the default one."""
    from . import csl, styles

    paper = clean_paper(paper)
    kind = citation_format(fmt)
    if kind.output == "bibtex":
        return bibtex_entry(paper)
    if csl.is_incomplete(paper):
        text = _incomplete(paper, kind.output)
    else:
        text = styles.format_item(csl.csl_item(paper), style or kind.style or DEFAULT_STYLE, kind.output)
    return _with_code_note(text, paper, kind.output)


def cite_many(papers: Iterable[Paper], style: str, output: str = "text") -> list[str]:
    """A bibliography of the papers in a style, in the style's order (APA by
    author, IEEE numbered in the order given); papers known only by their
    arXiv id come last."""
    from . import csl, styles

    papers = [clean_paper(p) for p in papers]
    complete = [p for p in papers if not csl.is_incomplete(p)]
    entries = styles.bibliography([csl.csl_item(p) for p in complete], style, output)
    out = [_with_code_note(text, complete[n], output) for n, text in entries]
    return out + [_incomplete(p, output) for p in papers if csl.is_incomplete(p)]
