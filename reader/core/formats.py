"""Every format reader reads and writes: one registry per kind.

The command line, the app and the tests read these tables. Each entry names
the function that handles its format by module and name; the function is
imported only when it is used, so that listing the formats (`reader --help`,
argument checking) imports no parser.

The citation formats are listed in `CITATION_FORMATS` (rendered by
`citation.cite`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .importers.common import ParseResult
    from .models import Paper


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

    def parse(self, text: str) -> ParseResult:
        return self.parser.load()(text)

    def looks_like(self, text: str) -> bool:
        return bool(self.detector.load()(text))


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    #: list of papers -> the document
    writer: Handler

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
        ),
        ImportFormat(
            "arxiv", "arXiv Atom XML",
            Handler("importers.arxiv", "parse_atom"),
            Handler("importers.arxiv", "looks_like_atom"),
        ),
        ImportFormat(
            "ids", "arXiv id list",
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
        ExportFormat("markdown", "Markdown reading list", Handler("export", "reading_list")),
        ExportFormat("csl-json", "CSL-JSON", Handler("export", "csl_json")),
    )
}

CITATION_FORMATS = ("bibtex", "apa", "markdown", "plain")
