"""Every format reader reads and writes: one registry per kind.

The command line, the app and the tests read these tables. Each entry names
the function that handles its format by module and name; the function is
imported only when it is used, so that listing the formats (`reader --help`,
argument checking) imports no parser.

The citation formats are `CITATION_FORMAT_LIST`: BibTeX (ours) and CSL
styles as plain text or Markdown, rendered by `citation.cite`; `reader cite`,
the app's chooser (`C`) and the tests read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from ..errors import ReaderError

if TYPE_CHECKING:
    from .importers.common import ParseResult
    from .models import Paper
    from .progress import OnProgress


@dataclass(frozen=True)
class Handler:
    """A function of a module of `reader.core`, imported when first asked for."""

    module: str
    function: str

    def load(self) -> Callable:
        return getattr(import_module(f"{__package__}.{self.module}"), self.function)


@dataclass(frozen=True)
class ImportFormat:
    name: str
    #: what messages call it: "no papers in this BibTeX"
    label: str
    #: text -> ParseResult
    parser: Handler
    #: text -> whether it looks like this format
    detector: Handler
    #: whether the parser takes `on_progress` (a `progress.OnProgress`)
    reports_progress: bool = False

    def parse(self, text: str, on_progress: OnProgress | None = None) -> ParseResult:
        if self.reports_progress and on_progress is not None:
            return self.parser.load()(text, on_progress=on_progress)
        return self.parser.load()(text)

    def looks_like(self, text: str) -> bool:
        return bool(self.detector.load()(text))


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    #: list of papers -> the document
    writer: Handler
    #: With a citation style (`--style`), a bibliography written as "text" or
    #: "markdown"; "" where a style does not apply.
    styled: str = ""

    def write(self, papers: list[Paper]) -> str:
        return self.writer.load()(papers)


IMPORT_FORMATS: dict[str, ImportFormat] = {
    f.name: f
    for f in (
        ImportFormat(
            "trending", "trending-page text",
            Handler("importers.trending", "parse_trending"),
            Handler("importers.trending", "looks_like_trending"),
        ),
        ImportFormat(
            "bibtex", "BibTeX",
            Handler("importers.bibtex", "parse_bibtex"),
            Handler("importers.bibtex", "looks_like_bibtex"),
            reports_progress=True,
        ),
        ImportFormat(
            "arxiv", "arXiv Atom XML",
            Handler("importers.arxiv", "parse_atom"),
            Handler("importers.arxiv", "looks_like_atom"),
        ),
        ImportFormat(
            "ids", "list of arXiv ids or DOIs",
            Handler("importers.idlist", "parse_ids"),
            Handler("importers.idlist", "looks_like_ids"),
        ),
        ImportFormat(
            "json", "reader JSON",
            Handler("importers.jsonexport", "parse_json"),
            Handler("importers.jsonexport", "looks_like_json"),
        ),
        # JSON told apart from reader's own by its shape (`looks_like_csl`).
        ImportFormat(
            "csl-json", "CSL-JSON",
            Handler("importers.csljson", "parse_csl_text"),
            Handler("importers.csljson", "looks_like_csl_text"),
        ),
    )
}  # fmt: skip
#: The order in which the import formats are tried on a text of unknown
#: format: the most particular first, the page of prose last.
DETECTION_ORDER = ("csl-json", "json", "arxiv", "bibtex", "ids", "trending")

EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("bibtex", "BibTeX", Handler("bibwriter", "bibtex_many")),
        ExportFormat("json", "reader JSON", Handler("export", "json_document")),
        ExportFormat("markdown", "Markdown reading list", Handler("export", "reading_list"),
                     styled="markdown"),
        ExportFormat("plain", "bibliography in a citation style", Handler("export", "plain_bibliography"),
                     styled="text"),
        ExportFormat("csl-json", "CSL-JSON", Handler("export", "csl_json")),
    )
}  # fmt: skip
#: Export formats that a citation style (`--style`) writes.
STYLED_EXPORTS = tuple(name for name, f in EXPORT_FORMATS.items() if f.styled)


# ---------------------------------------------------------------- citations
#: The style of `plain` and `markdown` citations until the user chooses one.
DEFAULT_STYLE = "apa"


@dataclass(frozen=True)
class CitationFormat:
    #: What `reader cite --format` takes.
    name: str
    #: What the app's chooser shows.
    label: str
    #: A CSL style; "" for BibTeX and for the user's default style.
    style: str = ""
    #: "bibtex", "text" or "markdown".
    output: str = "text"


CITATION_FORMAT_LIST = (
    CitationFormat("bibtex", "BibTeX", output="bibtex"),
    CitationFormat("apa", "APA", "apa"),
    CitationFormat("ieee", "IEEE", "ieee"),
    CitationFormat("chicago", "Chicago author-date", "chicago-author-date"),
    CitationFormat("nature", "Nature", "nature"),
    CitationFormat("plain", "Plain text"),
    CitationFormat("markdown", "Markdown", output="markdown"),
)
CITATION_FORMATS = tuple(f.name for f in CITATION_FORMAT_LIST)


def citation_format(name: str) -> CitationFormat:
    for fmt in CITATION_FORMAT_LIST:
        if fmt.name == name:
            return fmt
    raise ReaderError(f"unknown citation format: {name!r} (use {', '.join(CITATION_FORMATS)})")


def citation_labels(style: str = DEFAULT_STYLE) -> list[tuple[str, str]]:
    """(name, label) of each citation format for a chooser; `style` is the
    user's, which plain text and Markdown use."""
    out = []
    for fmt in CITATION_FORMAT_LIST:
        label = fmt.label
        if fmt.output != "bibtex" and not fmt.style:
            label = f"{label} ({style})"
        elif fmt.style and fmt.style == style:
            label = f"{label} (yours)"
        out.append((fmt.name, label))
    return out


def style_of(name: str, style: str = DEFAULT_STYLE) -> str | None:
    """The CSL style a citation format uses (None for BibTeX), given the user's."""
    fmt = citation_format(name)
    if fmt.output == "bibtex":
        return None
    return fmt.style or style
