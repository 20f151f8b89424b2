"""`p` in the app: the PDF fetched once from a server on 127.0.0.1, then
opened with the viewer (a stub that records what it was asked to open)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers.said import said
from helpers.waiting import until
from http_fake import Route, small_pdf, start_web, stop_web
from reader.core.library import Library
from reader.core.models import Paper
from reader.core.pdfs import files_dir
from reader.ui.app import create_app
from textual_probes import notifications

PDF = small_pdf("made for reader's tests")
IDS = ["2311.07777", "1706.03762", "1909.07777"]


@pytest.fixture
def web(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("READER_ARXIV_MIN_INTERVAL", "0")
    server, web = start_web()
    monkeypatch.setenv("READER_ARXIV_PDF_URL", f"{web.base}/pdf")
    for arxiv_id in IDS:
        web.routes[f"/pdf/{arxiv_id}"] = Route(PDF, content_type="application/pdf")
    yield web
    stop_web(server)


@pytest.fixture
def viewer(tmp_path, monkeypatch):
    """A viewer that writes down each file it is asked to open."""
    log = tmp_path / "opened.txt"
    script = tmp_path / "viewer.py"
    script.write_text(f"import sys\nwith open({str(log)!r}, 'a') as f:\n    f.write(sys.argv[1] + '\\n')\n")
    monkeypatch.setenv("READER_PDF_VIEWER", f"{sys.executable} {script}")
    return log


def opened(log) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


@pytest.fixture
def lib(db):
    Library(db).add_papers([Paper(id="", title=f"Paper number {i}", arxiv_id=a, year=2020)
                            for i, a in enumerate(IDS)])
    return db


@pytest.mark.slow
async def test_p_downloads_once_and_opens_the_pdf_in_the_viewer(lib, web, viewer):
    app = create_app(Library(lib), use_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await pilot.press("g")
        first = screen.current
        await pilot.press("p")
        await until(pilot, lambda: len(opened(viewer)) == 1, "the viewer")
        path = opened(viewer)[0]
        assert path.startswith(str(files_dir(lib))) and Path(path).read_bytes() == PDF
        await pilot.press("p")
        await until(pilot, lambda: len(opened(viewer)) == 2, "the viewer again")
    assert len(web.seen) == 1  # fetched once
    stored = Library(lib).require(first.id)
    assert stored.extra["file"] == path


@pytest.mark.slow
async def test_p_on_marked_papers_fetches_each(lib, web, viewer):
    app = create_app(Library(lib), use_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g", "v", "v", "p")
        await until(pilot, lambda: len(opened(viewer)) == 2, "both opened")
    assert len(web.seen) == 2 and len(list(files_dir(lib).iterdir())) == 2


async def test_without_a_viewer_the_path_is_said_and_copied(lib, web, monkeypatch):
    monkeypatch.delenv("READER_PDF_VIEWER", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    app = create_app(Library(lib), use_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g", "p")
        await until(pilot, lambda: "The PDF is at" in said(app), "said")
        assert app.clipboard == str(files_dir(lib) / f"{app.screen.current.id}.pdf")


async def test_a_refused_download_is_an_error_line(lib, web, viewer):
    for arxiv_id in IDS:
        web.routes[f"/pdf/{arxiv_id}"] = Route(b"<html>nope</html>", content_type="text/html")
    app = create_app(Library(lib), use_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g", "p")
        await until(pilot, lambda: any(n.severity == "error" for n in notifications(app)), "the error")
        assert "sent something else (text/html)" in said(app)
    assert opened(viewer) == [] and not any(files_dir(lib).iterdir())
