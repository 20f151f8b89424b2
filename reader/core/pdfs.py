"""Papers' PDFs: where they are kept, and fetching them.

A paper's PDF is the file its BibTeX `file` field names (kept in
`extra["file"]`, as a bibliography manager writes it: a path, or JabRef's
`Description:path:Type`), or a copy in the folder beside the library,
`library.files/`, named after the paper's citation key. Downloads come from
the paper's own PDF link, else from arXiv (`$READER_ARXIV_PDF_URL`, default
`https://arxiv.org/pdf`, plus the id), paced like every request to arXiv.

A download is written to a temporary file in that folder and renamed once
whole and checked (it starts like a PDF; at most `MAX_PDF_BYTES`): a killed
or refused download leaves no half PDF under the paper's name.
"""

from __future__ import annotations

import glob
import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from .arxiv_api import (
    ARXIV_INTERVAL,
    USER_AGENT,
    EnrichError,
    _reason,
    is_arxiv_host,
    request_timeout,
)
from .crossref import http_problem
from .http_fetch import Answer
from .importers.common import shorten
from .models import Paper
from .pace import Cancelled, Pacer, never, pace_file, shared_pacer

ENV_PDF_URL = "READER_ARXIV_PDF_URL"
DEFAULT_PDF_URL = "https://arxiv.org/pdf"
FILES_SUFFIX = ".files"
MB = 1024 * 1024
MAX_PDF_BYTES = 200 * MB
#: A PDF's first bytes; a few bytes of junk before them are tolerated, as readers do.
PDF_MAGIC = b"%PDF-"
MAGIC_WITHIN = 1024
#: Seconds a whole download may take.
DOWNLOAD_SECONDS = 600.0
CHUNK = 64 * 1024
PART = ".part"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.+-]+")

OnBytes = Callable[[int, int | None], None]


class PdfError(EnrichError):
    """A PDF that could not be fetched, kept or found."""


def files_dir(library_path: Path) -> Path:
    """The folder of PDFs beside the library: library.json -> library.files/."""
    return library_path.with_name(library_path.stem + FILES_SUFFIX)


def file_name(paper: Paper) -> str:
    """`<citation key>.pdf`, with only characters safe in any file system."""
    name = _UNSAFE.sub("-", paper.cite_key).strip(".-") or "paper"
    return f"{name[:100]}.pdf"


def stored_pdf(library_path: Path, paper: Paper) -> Path:
    return files_dir(library_path) / file_name(paper)


def file_field_path(value: str, library_path: Path) -> Path | None:
    """The path a BibTeX `file` field names: a path, or JabRef's
    `Description:path:Type` (the first PDF of a `;`-separated list)."""
    for part in value.split(";"):
        part = part.strip()
        pieces = part.split(":")
        if len(pieces) >= 3 and pieces[-1].strip().lower() in ("pdf", "application/pdf"):
            part = ":".join(pieces[1:-1])
        if part:
            path = Path(part).expanduser()
            return path if path.is_absolute() else library_path.parent / path
    return None


def local_pdf(library_path: Path, paper: Paper) -> Path | None:
    """The paper's PDF on this machine, if it has one."""
    named = file_field_path(paper.extra.get("file", ""), library_path)
    for path in (named, stored_pdf(library_path, paper)):
        if path is not None and path.is_file():
            return path
    return None


def pdf_address(paper: Paper) -> str:
    """Where the paper's PDF is fetched from: its own PDF link, else arXiv's
    (`$READER_ARXIV_PDF_URL`); "" when it has neither."""
    own = paper.pdf_url if paper.pdf_url.startswith(("http://", "https://")) else ""
    if paper.arxiv_id and (not own or is_arxiv_host(own)):
        base = (os.environ.get(ENV_PDF_URL, "").strip() or DEFAULT_PDF_URL).rstrip("/")
        if urlsplit(base).scheme not in ("http", "https"):
            raise PdfError(f"${ENV_PDF_URL} is not an http(s) address: {shorten(base, 80)!r}", "setting")
        return f"{base}/{paper.arxiv_id}"
    return own


def looks_like_pdf(head: bytes) -> bool:
    return PDF_MAGIC in head[:MAGIC_WITHIN]


# ---------------------------------------------------------------- downloading
_pacers: dict[str, Pacer] = {}


def _pacer(url: str, library_path: Path) -> Pacer:
    """arXiv's shared pace for arXiv; one request a second for any other host."""
    if is_arxiv_host(url):
        return shared_pacer(ARXIV_INTERVAL, pace_file(library_path))
    host = urlsplit(url).netloc
    return _pacers.setdefault(host, Pacer(1.0))


def download(library_path: Path, paper: Paper, *, on_bytes: OnBytes | None = None,
             should_stop: Callable[[], bool] = never, timeout: float | None = None) -> Path:
    """Fetch the paper's PDF into `library.files/`; returns its path.

    Raises PdfError (no address, HTTP error, not a PDF, too large, network,
    timeout) or Cancelled; nothing is left behind under the paper's name then.
    """
    url = pdf_address(paper)
    if not url:
        raise PdfError(f"{paper.id} has no PDF link and no arXiv id: `reader attach` keeps a file", "setting")
    target = stored_pdf(library_path, paper)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PdfError(f"cannot make {target.parent}: {exc.strerror}", "setting") from None
    _remove_stale_parts(target)
    seconds = request_timeout() if timeout is None else timeout
    pacer = _pacer(url, library_path)
    return pacer.run(lambda: _fetch(url, target, seconds, on_bytes, should_stop), should_stop,
                     interval=ARXIV_INTERVAL if is_arxiv_host(url) else None)


def _fetch(url: str, target: Path, seconds: float, on_bytes: OnBytes | None,
           should_stop: Callable[[], bool]) -> Path:
    host = urlsplit(url).netloc
    deadline = time.monotonic() + DOWNLOAD_SECONDS
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=PART)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out, httpx.Client(
            headers={"User-Agent": USER_AGENT, "Accept": "application/pdf"},
            timeout=httpx.Timeout(seconds), follow_redirects=True, max_redirects=5,
        ) as http, http.stream("GET", url) as response:
            if response.status_code != httpx.codes.OK:
                answer = Answer(response.status_code, response.reason_phrase or "", response.headers, b"", "")
                raise PdfError(f"no PDF: {http_problem(host, answer)} for {shorten(url, 100)}", "http")
            total = _length(response.headers.get("content-length", ""))
            if total is not None and total > MAX_PDF_BYTES:
                raise PdfError(f"no PDF: {host} offers {total // MB} MB, more than the "
                               f"{MAX_PDF_BYTES // MB} MB reader keeps", "reply")
            size, head = 0, b""
            for chunk in response.iter_bytes(CHUNK):
                if should_stop():
                    raise Cancelled()
                if time.monotonic() > deadline:
                    raise PdfError(f"timeout: the PDF from {host} took more than {DOWNLOAD_SECONDS:g} s", "timeout")
                if len(head) < MAGIC_WITHIN:
                    head += chunk[:MAGIC_WITHIN]
                    if len(head) >= len(PDF_MAGIC) and not looks_like_pdf(head) and len(head) >= MAGIC_WITHIN:
                        raise PdfError(f"no PDF: {host} sent something else ({_kind(response)})", "reply")
                size += len(chunk)
                if size > MAX_PDF_BYTES:
                    raise PdfError(f"no PDF: the file from {host} is larger than {MAX_PDF_BYTES // MB} MB", "reply")
                out.write(chunk)
                if on_bytes is not None:
                    on_bytes(size, total)
            if not looks_like_pdf(head):
                raise PdfError(f"no PDF: {host} sent something else ({_kind(response)})", "reply")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
        return target
    except httpx.TimeoutException:
        raise PdfError(f"timeout: {host} did not answer within {seconds:g} s", "timeout") from None
    except httpx.ConnectError as exc:
        raise PdfError(f"no network: cannot connect to {host} ({_reason(exc)})", "network") from None
    except httpx.HTTPError as exc:
        raise PdfError(f"no network: the download from {host} broke ({_reason(exc)})", "network") from None
    except OSError as exc:
        raise PdfError(f"the PDF could not be saved in {target.parent}: {exc.strerror}", "setting") from None
    finally:
        temp.unlink(missing_ok=True)


def _remove_stale_parts(target: Path) -> None:
    """The temporary files a killed download of this PDF left (none is
    younger than a download may take, so none is under way)."""
    cutoff = time.time() - DOWNLOAD_SECONDS
    for part in target.parent.glob(f".{glob.escape(target.stem)}.*{PART}"):
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink()
        except OSError:
            pass


def _length(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


def _kind(response: httpx.Response) -> str:
    kind = response.headers.get("content-type", "").split(";")[0].strip()
    return shorten(kind, 40) if kind else "not a PDF"
