"""Citations of a paper: BibTeX (written by `bibwriter`), every other format by a CSL style.

`cite(paper, fmt, style)` takes a format of the registry in `formats.py`:
BibTeX, or a CSL style (a name of the CSL project's styles, or a .csl file)
written as plain text or Markdown; `styles.py` runs the style over the
paper's CSL-JSON item (`csl.py`). A paper known only by its arXiv id is cited
as `arXiv:ID`; a code link is added as a note ("Code: URL"), never as the
paper's URL.

BibTeX entries keep every field of their source (see `bibwriter`), and
can only print: every value passes `latex_safe.guard` last.
"""

from __future__ import annotations

from collections.abc import Iterable

from .bibwriter import bare_doi, bibtex_entry, bibtex_many, entry_type, is_arxiv_venue
from .formats import CITATION_FORMATS, DEFAULT_STYLE, citation_format
from .markdown_safe import md_link, md_text
from .models import Paper
from .texencode import encode, encode_title
from .text import clean_paper, clean_text

FORMATS = CITATION_FORMATS
__all__ = [
    "FORMATS", "bare_doi", "bibtex_entry", "bibtex_many", "cite", "cite_many", "entry_type",
    "is_arxiv_venue", "tex",
]


def tex(text: str, *, protect: bool = False, math: bool = True) -> str:
    """Plain text as a BibTeX value, as the writer writes it (`texencode`);
    `protect` braces the words of a title whose capitals matter; `math=False`
    escapes every `$`."""
    text = clean_text(str(text))
    return encode_title(text, None) if protect else encode(text, math=math)


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
        return bibtex_entry(paper, abstracts=False)
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
