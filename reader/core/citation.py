"""Citations of a paper: BibTeX, APA 7, a Markdown link line, plain text.

Every format leaves out what is unknown, so no citation ever shows `None`,
empty braces or brackets, or punctuation around a missing field.

BibTeX decisions:

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
  The one exception is inline math: a `$...$` span with balanced braces and
  no `% # &` is kept as TeX, wrapped in braces (`{$^{RL}$}`) so that styles
  do not change its case.
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

from ..errors import ReaderError
from .formats import CITATION_FORMATS
from .models import Paper, last_name
from .text import squash as _squash
from .text import tex_to_plain

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
_SPECIAL = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "\\": r"{\textbackslash}",
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
}
_MATH = re.compile(r"\$[^$]+\$")
_WORD_OR_SPECIAL = re.compile(r"[^\W_]+|[&%$#_\\{}~^]")
_VERBATIM_BAD = re.compile(r"[\s{}\\]")
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_-]*")


# ---------------------------------------------------------------- BibTeX text
def _math_ok(math: str) -> bool:
    inner = math[1:-1]
    if not inner.strip() or inner.endswith("\\") or any(c in inner for c in "%#&"):
        return False
    depth = 0
    for char in inner:
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
    return depth == 0


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
    text = _squash(text)
    out, pos = [], 0
    for match in _MATH.finditer(text) if math else ():
        if _math_ok(match.group()):
            out.append(_escape(text[pos : match.start()], protect))
            out.append("{" + match.group() + "}")
            pos = match.end()
    out.append(_escape(text[pos:], protect))
    return "".join(out)


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
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{_key(paper)},\n{body}\n}}" if body else f"@{kind}{{{_key(paper)}\n}}"


def bibtex_many(papers: Iterable[Paper]) -> str:
    """Entries separated by blank lines, ending with a newline."""
    entries = [bibtex_entry(p) for p in papers]
    return "\n\n".join(entries) + "\n" if entries else ""


# ---------------------------------------------------------------- text formats
def _sentence(text: str) -> str:
    """The text ending with one full stop (or its own ? or !)."""
    text = _squash(text).rstrip(" .,;:")
    return text if not text or text[-1] in "?!" else text + "."


def name_parts(author: str) -> tuple[str, str, str]:
    """(family, given, suffix) of "First Last" or "Last, [Jr.,] First"."""
    author = _squash(author)
    if "," in author:
        parts = [p.strip() for p in author.split(",")]
        if len(parts) >= 3:
            return parts[0], ", ".join(parts[2:]), parts[1]
        return parts[0], parts[1], ""
    family = last_name(author)
    return family, author[: len(author) - len(family)].strip(), ""


def _initials(given: str) -> str:
    """ "Aidan N." -> "A. N."; "Jean-Pierre" -> "J.-P." """
    out = []
    for part in given.split():
        letters = [next((c for c in piece if c.isalnum()), "") for piece in part.split("-")]
        initials = "-".join(f"{c}." for c in letters if c)
        if initials:
            out.append(initials)
    return " ".join(out)


def _apa_name(author: str) -> str:
    family, given, suffix = name_parts(author)
    return ", ".join(filter(None, [family or given, _initials(given) if family else "", suffix]))


def _short_name(author: str) -> str:
    family, given, _ = name_parts(author)
    return " ".join(filter(None, [_initials(given) if family else "", family or given]))


def _authors(paper: Paper) -> list[str]:
    return [a for a in paper.authors if _squash(a)]


def _title(paper: Paper) -> str:
    return _squash(tex_to_plain(paper.title)) or paper.id


def _pages(paper: Paper) -> str:
    pages = _squash(paper.extra.get("pages", ""))
    return re.sub(r"\s*-+\s*", "\u2013", pages)


def _url(url: str) -> str:
    return re.sub(r"\s", lambda m: quote(m.group()), url.strip())


def _link(paper: Paper) -> str:
    """DOI, else the paper's page, else arXiv, else the PDF."""
    doi = bare_doi(paper.doi)
    return _url(f"https://doi.org/{doi}" if doi else paper.url or paper.arxiv_url or paper.pdf_url)


def _code(paper: Paper) -> str:
    return _url(paper.code_url)


def apa(paper: Paper) -> str:
    """APA 7. The title is kept as given: turning it into sentence case
    would lower-case proper nouns and acronyms that we cannot tell apart."""
    names = [_apa_name(a) for a in _authors(paper)]
    if len(names) > 20:
        names = names[:19] + [". . . " + names[-1]]
        who = ", ".join(names)
    elif len(names) > 1:
        who = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        who = "".join(names)
    when = f"({paper.year})." if paper.year is not None else "(n.d.)."
    title = _sentence(_title(paper))
    parts = [_sentence(who), when, title] if who else [title, when]
    kind, venue = entry_type(paper), _squash(tex_to_plain(paper.venue))
    volume, number = _squash(paper.extra.get("volume", "")), _squash(paper.extra.get("number", ""))
    pages = _pages(paper)
    if venue and kind == "article":
        issue = f"{volume}({number})" if volume and number else volume
        parts.append(_sentence(", ".join(filter(None, [venue, issue, pages]))))
    elif venue and kind in ("inproceedings", "conference", "incollection"):
        parts.append(_sentence(f"In {venue}" + (f" (pp. {pages})" if pages else "")))
    elif venue:
        parts.append(_sentence(venue))
    elif paper.arxiv_id:
        parts.append("arXiv.")
    if kind == "book" and paper.extra.get("publisher") and venue != paper.extra["publisher"]:
        parts.append(_sentence(paper.extra["publisher"]))
    parts.append(_link(paper) or _code(paper))
    return " ".join(p for p in parts if p)


def markdown(paper: Paper) -> str:
    """`[Title](link) — Vaswani et al., 2017`, for notes."""
    title = re.sub(r"([\\\[\]])", r"\\\1", _title(paper))
    link, code = _url(paper.link), _code(paper)
    line = f"[{title}]({_md_url(link)})" if link else title
    families = [name_parts(a)[0] or name_parts(a)[1] for a in _authors(paper)]
    if len(families) > 2:
        who = f"{families[0]} et al."
    else:
        who = " and ".join(families)
    byline = ", ".join(filter(None, [who, "" if paper.year is None else str(paper.year)]))
    if byline:
        line += " \u2014 " + byline
    if code and code != link:
        line += f" \u00b7 [code]({_md_url(code)})"
    return line


def _md_url(url: str) -> str:
    return re.sub(r"[\s()<>]", lambda m: quote(m.group()), url.strip())


def plain(paper: Paper) -> str:
    """`A. Vaswani, N. Shazeer, et al. Title. Venue, 2017. https://...`"""
    names = [_short_name(a) for a in _authors(paper)]
    if len(names) > 3:
        who = ", ".join(names[:2]) + ", et al."
    elif len(names) == 3:
        who = f"{names[0]}, {names[1]}, and {names[2]}"
    else:
        who = " and ".join(names)
    venue = _squash(tex_to_plain(paper.venue)) or ("arXiv" if paper.arxiv_id else "")
    where = ", ".join(filter(None, [venue, "" if paper.year is None else str(paper.year)]))
    link = _link(paper)
    code = _code(paper)
    code = f"Code: {code}" if code and code != link else ""
    parts = [_sentence(who), _sentence(_title(paper)), _sentence(where), link, code]
    return " ".join(p for p in parts if p)


def cite(paper: Paper, fmt: str = "bibtex") -> str:
    """The paper cited in one of FORMATS."""
    if fmt == "bibtex":
        return bibtex_entry(paper)
    if fmt == "apa":
        return apa(paper)
    if fmt == "markdown":
        return markdown(paper)
    if fmt == "plain":
        return plain(paper)
    raise ReaderError(f"unknown citation format: {fmt!r} (use {', '.join(FORMATS)})")
