"""The names of the formats reader reads and writes.

Kept apart from the code that handles them, so that the command line can
list them without importing the parsers. The citation formats are the one
registry that `reader cite`, the app's chooser (`C`) and the tests read.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ReaderError

IMPORT_FORMATS = ("trending", "bibtex", "arxiv", "ids", "json")
EXPORT_FORMATS = ("bibtex", "json", "markdown", "plain", "csl-json")
#: Export formats that a citation style (`--style`) writes.
STYLED_EXPORTS = ("markdown", "plain")

#: The style of `plain` and `markdown` until the user chooses one.
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
