"""Keeping a PDF with its paper: a local file attached (copied into
`library.files/`, or linked where it is), or one downloaded; the paper's
BibTeX `file` field then names it (and has:pdf finds it)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .library import Library
from .models import Paper
from .pace import never
from .pdfs import (
    MAGIC_WITHIN,
    MAX_PDF_BYTES,
    MB,
    PART,
    PdfError,
    download,
    local_pdf,
    looks_like_pdf,
    stored_pdf,
)


def record(library: Library, paper: Paper, path: Path) -> Paper:
    """Name `path` in the paper's `file` field (unless it names it already)."""
    value = str(path.resolve())
    if paper.extra.get("file") == value:
        return paper

    def edit(p: Paper) -> None:
        p.extra["file"] = value

    return library.replace_metadata(paper.id, edit)


def check_pdf(path: Path) -> None:
    """A local file fit to be kept as a paper's PDF, or PdfError."""
    try:
        if not path.is_file():
            raise PdfError(f"no such file: {path}", "setting")
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(MAGIC_WITHIN)
    except OSError as exc:
        raise PdfError(f"cannot read {path}: {exc.strerror}", "setting") from None
    if size > MAX_PDF_BYTES:
        raise PdfError(f"{path} is larger than {MAX_PDF_BYTES // MB} MB", "setting")
    if not looks_like_pdf(head):
        raise PdfError(f"{path} is not a PDF (it does not start like one)", "setting")


def attach(library: Library, paper: Paper, source: Path, *, link: bool = False) -> Path:
    """Keep `source` as the paper's PDF: a copy in `library.files/` (written
    to a temporary file and renamed), or with `link` the file where it is."""
    source = source.expanduser()
    check_pdf(source)
    if link:
        kept = source.resolve()
    else:
        kept = stored_pdf(library.path, paper)
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=kept.parent, prefix=f".{kept.stem}.", suffix=PART)
            try:
                with os.fdopen(handle, "wb") as out, source.open("rb") as src:
                    shutil.copyfileobj(src, out)
                    out.flush()
                    os.fsync(out.fileno())
                if not source.resolve() == kept.resolve():
                    os.replace(temp, kept)
            finally:
                Path(temp).unlink(missing_ok=True)
        except OSError as exc:
            raise PdfError(f"the PDF could not be kept in {kept.parent}: {exc.strerror}", "setting") from None
    record(library, paper, kept)
    return kept


def fetch_pdf(library: Library, paper: Paper, *, on_bytes=None,
              should_stop: Callable[[], bool] = never) -> tuple[Path, bool]:
    """The paper's PDF on this machine, downloaded first if need be;
    returns (path, whether it was downloaded now)."""
    here = local_pdf(library.path, paper)
    if here is not None:
        return here, False
    path = download(library.path, paper, on_bytes=on_bytes, should_stop=should_stop)
    record(library, paper, path)
    return path, True
