"""PDFs: downloaded from a server on 127.0.0.1 into library.files/, attached
from a local file, found by has:pdf, written back in BibTeX's `file` field."""

from __future__ import annotations

import sys

import pytest

from conftest import run_reader
from http_fake import Route, small_pdf, start_web, stop_web
from reader.core import pdfs
from reader.core.library import Library
from reader.core.models import Paper
from reader.core.pdf_attach import attach, fetch_pdf
from reader.core.pdfs import PdfError, files_dir, pdf_address

ARXIV_ID = "2311.07777"
PDF = small_pdf("made for reader's tests")


@pytest.fixture(autouse=True)
def _local(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def web(monkeypatch):
    server, web = start_web()
    monkeypatch.setenv("READER_ARXIV_PDF_URL", f"{web.base}/pdf")
    yield web
    stop_web(server)


@pytest.fixture
def lib(db):
    library = Library(db)
    library.add_papers([Paper(id="", title="Quality Updates", arxiv_id=ARXIV_ID, year=2023,
                              authors=["Ada Example"]),
                        Paper(id="", title="No Links At All", year=2020)])
    return library


def arxiv_paper(library: Library) -> Paper:
    return next(p for p in library.papers() if p.arxiv_id)


def leftovers(library: Library) -> list[str]:
    folder = files_dir(library.path)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_the_address_is_the_entrys_own_link_else_arxiv(monkeypatch):
    monkeypatch.setenv("READER_ARXIV_PDF_URL", "http://mirror.example/pdf/")
    assert pdf_address(Paper(id="x", arxiv_id=ARXIV_ID)) == f"http://mirror.example/pdf/{ARXIV_ID}"
    assert pdf_address(Paper(id="x", arxiv_id=ARXIV_ID, pdf_url="https://arxiv.org/pdf/2311.07777v2")) \
        == f"http://mirror.example/pdf/{ARXIV_ID}"
    assert pdf_address(Paper(id="x", pdf_url="https://journal.example/open.pdf")) == "https://journal.example/open.pdf"
    assert pdf_address(Paper(id="x", pdf_url="javascript:alert(1)")) == ""


def test_a_pdf_is_downloaded_once_into_the_folder_beside_the_library(lib, web):
    web.routes[f"/pdf/{ARXIV_ID}"] = Route(PDF, content_type="application/pdf")
    paper = arxiv_paper(lib)
    seen: list[int] = []
    path, fetched = fetch_pdf(lib, paper, on_bytes=lambda done, total: seen.append(done))
    assert fetched and path == files_dir(lib.path) / f"{paper.id}.pdf" and path.read_bytes() == PDF
    assert seen[-1] == len(PDF)
    assert Library(lib.path).require(paper.id).extra["file"] == str(path)
    again, fetched = fetch_pdf(lib, Library(lib.path).require(paper.id))
    assert again == path and not fetched and len(web.seen) == 1
    assert leftovers(lib) == [path.name]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("route", "message"),
    [
        (Route(b"gone", 404, content_type="text/plain"), "HTTP 404"),
        (Route(b"slow down", 429, headers={"Retry-After": "20"}), "HTTP 429 Too Many Requests (busy: try again in 20 s)"),
        (Route(b"<!doctype html><html>" + b"x" * 2000, content_type="text/html"), "sent something else (text/html)"),
        (Route(b"<html>short", content_type="text/html"), "sent something else (text/html)"),
        (Route(PDF, delay=3, content_type="application/pdf"), "did not answer within 1 s"),
        (Route(PDF[:100], length=300 * 1024 * 1024, content_type="application/pdf"), "more than the 200 MB"),
    ],
)
def test_a_refused_download_is_one_line_and_leaves_no_file(lib, web, route, message):
    web.routes[f"/pdf/{ARXIV_ID}"] = route
    paper = arxiv_paper(lib)
    before = lib.path.read_bytes()
    with pytest.raises(PdfError) as error:
        fetch_pdf(lib, paper, should_stop=lambda: False) if route.delay == 0 else \
            pdfs.download(lib.path, paper, timeout=1)
    assert message in str(error.value) and "\n" not in str(error.value)
    assert leftovers(lib) == [] and lib.path.read_bytes() == before


def test_a_reply_growing_past_the_cap_is_cut_off(lib, web, monkeypatch):
    monkeypatch.setattr(pdfs, "MAX_PDF_BYTES", 64 * 1024)
    web.routes[f"/pdf/{ARXIV_ID}"] = Route(PDF + b"%" * 200_000, content_type="application/pdf", length=-1)
    with pytest.raises(PdfError, match="larger than"):
        fetch_pdf(lib, arxiv_paper(lib))
    assert leftovers(lib) == []


def test_a_paper_without_links_says_so(lib):
    paper = next(p for p in lib.papers() if not p.arxiv_id)
    with pytest.raises(PdfError, match="no PDF link and no arXiv id"):
        fetch_pdf(lib, paper)


@pytest.mark.slow
def test_the_command_line_downloads_attaches_and_finds(lib, web, tmp_path):
    web.routes[f"/pdf/{ARXIV_ID}"] = Route(PDF, content_type="application/pdf")
    db = lib.path
    env = {"READER_ARXIV_PDF_URL": f"{web.base}/pdf", "READER_ARXIV_MIN_INTERVAL": "0"}
    paper = arxiv_paper(lib)
    result = run_reader("pdf", paper.id, db=db, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(files_dir(db) / f"{paper.id}.pdf")
    other = next(p for p in lib.papers() if not p.arxiv_id)
    mine = tmp_path / "mine.pdf"
    mine.write_bytes(PDF)
    result = run_reader("attach", other.id, str(mine), db=db)
    assert result.returncode == 0, result.stderr
    kept = files_dir(db) / f"{other.id}.pdf"
    assert kept.read_bytes() == PDF
    listed = run_reader("list", "has:pdf", db=db)
    assert paper.id in listed.stdout and other.id in listed.stdout
    exported = run_reader("export", "has:pdf", db=db)
    assert f"file = {{{kept}}}" in exported.stdout
    text = tmp_path / "notes.txt"
    text.write_text("not a pdf")
    refused = run_reader("attach", other.id, str(text), db=db)
    assert refused.returncode == 1 and "is not a PDF" in refused.stderr


def test_the_bibtex_file_field_is_kept_and_written_back(db, tmp_path):
    pdf = tmp_path / "papers" / "held.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(PDF)
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{held2020,\n  title = {Held Paper},\n  author = {Writer, Ann},\n"
                   "  year = {2020},\n  file = {Full Text:papers/held.pdf:application/pdf}\n}\n")
    assert run_reader("import", str(bib), db=db).returncode == 0
    assert "held2020" in run_reader("list", "has:pdf", db=db).stdout
    out = run_reader("export", db=db).stdout
    assert "file = {Full Text:papers/held.pdf:application/pdf}" in out
    from reader.core.pdfs import local_pdf

    assert local_pdf(db, Library(db).require("held2020")) == pdf  # relative to the library's folder


def test_attach_can_link_the_file_where_it_is(lib, tmp_path):
    mine = tmp_path / "in place.pdf"
    mine.write_bytes(PDF)
    paper = arxiv_paper(lib)
    kept = attach(lib, paper, mine, link=True)
    assert kept == mine.resolve() and leftovers(lib) == []
    assert Library(lib.path).require(paper.id).extra["file"] == str(mine.resolve())


@pytest.mark.slow
def test_a_killed_download_leaves_no_half_pdf_and_its_leftover_goes_later(lib, web, tmp_path):
    import os
    import signal
    import subprocess
    import time

    web.routes[f"/pdf/{ARXIV_ID}"] = Route(PDF + b"%" * 400_000, content_type="application/pdf", trickle=0.05)
    paper = arxiv_paper(lib)
    env = {**os.environ, "READER_ARXIV_PDF_URL": f"{web.base}/pdf", "READER_ARXIV_MIN_INTERVAL": "0"}
    process = subprocess.Popen([sys.executable, "-m", "reader", "--db", str(lib.path), "pdf", paper.id],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    folder = files_dir(lib.path)
    deadline = time.monotonic() + 60
    while not any(p.stat().st_size > 0 for p in folder.glob("*.part")) if folder.exists() else True:
        assert time.monotonic() < deadline and process.poll() is None, "the download never began"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not (folder / f"{paper.id}.pdf").exists()
    assert "file" not in Library(lib.path).require(paper.id).extra
    (part,) = folder.glob("*.part")
    os.utime(part, (0, 0))  # an old leftover: the next download takes it away
    web.routes[f"/pdf/{ARXIV_ID}"] = Route(PDF, content_type="application/pdf")
    path, _ = fetch_pdf(lib, paper)
    assert leftovers(lib) == [path.name] and path.read_bytes() == PDF
