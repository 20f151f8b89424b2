"""Reading papers from files: what format a text is in, and its papers.

Formats (the registry `formats.IMPORT_FORMATS`; `FORMATS` are their names):

* ``trending`` - a trending-papers page copied as text (`trending`);
* ``bibtex`` - BibTeX (`bibtex`);
* ``arxiv`` - arXiv API Atom XML (`arxiv.parse_atom`);
* ``ids`` - arXiv ids, arXiv links or DOIs, one a line (`idlist`);
* ``json`` - reader's own JSON export (`jsonexport`), or CSL-JSON (`csljson`),
  told apart by its shape;
* ``csl-json`` - CSL-JSON (`csljson`).

`parse` ends in a `ParseResult` or an `ImportFormatError` for any text; it
never raises anything else. Entries that cannot be read are in
`ParseResult.skipped` with the reason, beside the papers that can.

Detection (`detect`), in this order (`formats.DETECTION_ORDER`):

1. JSON: the text opens with `[` or `{` followed by what JSON has there
   (`{`, `[`, `"`, `]`, `}`, a number), so that a title such as
   "[Re] Reproducing..." is not taken for JSON;
2. XML: the text opens with `<?xml`, `<feed`, `<entry` or `<!DOCTYPE`;
3. BibTeX: a line starts with `@word{` or `@word(`;
4. arXiv ids: at least 80% of the lines that are neither blank nor comments
   are arXiv ids, arXiv links or DOIs;
5. trending page: a title-like line followed by a long line of prose.
"""

from __future__ import annotations

from pathlib import Path

from ...errors import ImportFormatError
from ..formats import DETECTION_ORDER, IMPORT_FORMATS
from ..progress import OnProgress
from .common import ParseResult

__all__ = ["FORMATS", "MAX_BYTES", "ParseResult", "decode_input", "detect", "parse", "read_text"]

FORMATS = tuple(IMPORT_FORMATS)
#: Files larger than this are refused (100,000 BibTeX entries with abstracts
#: take about 180 MB).
MAX_BYTES = 256 * 1024 * 1024

UNKNOWN = (
    "not a format reader knows (trending-page text, BibTeX, arXiv Atom XML, "
    "arXiv ids or DOIs, reader JSON)"
)


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):g} MB" if count >= 1024 * 1024 else f"{count} bytes"


def read_text(path: str | Path) -> str:
    """The text of a file to import, or ImportFormatError saying why not."""
    name = str(path)  # as given: Path would turn "https://x" into "https:/x"
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ImportFormatError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise ImportFormatError(f"{name} is a directory, not a file") from None
    except PermissionError:
        raise ImportFormatError(f"{name} cannot be read: permission denied") from None
    except OSError as error:
        raise ImportFormatError(f"{name} cannot be read: {error.strerror or error}") from None
    return decode_input(data, name)


def decode_input(data: bytes, path: str) -> str:
    """The text of input bytes (a file's, or standard input's, named `path`),
    or ImportFormatError saying why they are not text to import."""
    if len(data) > MAX_BYTES:
        raise ImportFormatError(f"{path} is larger than {_size(MAX_BYTES)}: too large to import")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFormatError(f"{path} is UTF-16 text; save it as UTF-8 to import it")
    if b"\x00" in data:
        raise ImportFormatError(f"{path} is a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportFormatError(
            f"{path} is not UTF-8 text (byte 0x{data[error.start]:02x} at offset "
            f"{error.start}); save it as UTF-8 to import it"
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ImportFormatError(f"{path} is empty")
    return text


def detect(text: str) -> str | None:
    """The format of `text` from its content, or None if it is none we know."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return None
    for name in DETECTION_ORDER:
        if IMPORT_FORMATS[name].looks_like(text):
            return name
    return None


def parse(text: str, format: str | None = None, on_progress: OnProgress | None = None) -> ParseResult:
    """The papers in `text`, read as `format` (detected when None); the
    formats that can tell `on_progress` how far they are do.

    Raises ImportFormatError when the format is unknown or cannot be detected,
    and when the text gives no paper at all (the reason names the first
    entry that could not be read).
    """
    text = text.removeprefix("\ufeff")
    if format is None:
        format = detect(text)
        if format is None:
            raise ImportFormatError(UNKNOWN)
    elif format not in IMPORT_FORMATS:
        raise ImportFormatError(
            f"unknown format {format!r}: choose one of {', '.join(FORMATS)}"
        )
    result = IMPORT_FORMATS[format].parse(text, on_progress)
    if not result.papers:
        name = IMPORT_FORMATS[format].label
        if result.skipped:
            what, reason = result.skipped[0]
            more = len(result.skipped) - 1
            also = f" (and {more} more)" if more else ""
            raise ImportFormatError(f"no papers in this {name}: {what}: {reason}{also}")
        raise ImportFormatError(f"no papers found in the text (read as {name})")
    return result
