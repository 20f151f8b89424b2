"""The app's citation chooser (`C`): the registry's formats, j/k, what is copied, 60x15."""

from __future__ import annotations

import copy

import pytest
from textual.widgets import Label, OptionList

from reader.core.citation import cite
from reader.core.formats import CITATION_FORMAT_LIST
from reader.core.library import Library
from reader.core.models import Paper
from reader.settings import save_settings
from reader.ui import clipboard
from reader.ui.app import create_app
from reader.ui.screens.main import MainScreen
from reader.ui.screens.prompts import CiteChooser
from reader.ui.widgets.paper_list import PaperList

THESIS = Paper(id="hale2019thesis", title="Sparse reward shaping for long-horizon control",
               authors=["Ingrid M. Hale"], year=2019, entry_type="phdthesis",
               extra={"school": "University of Lowland"})
BARE = Paper(id="arxiv220302155", arxiv_id="2203.02155", url="https://arxiv.org/abs/2203.02155")


@pytest.fixture
def lib_path(db):
    Library(db).add_papers([copy.deepcopy(THESIS), copy.deepcopy(BARE)])
    return db


@pytest.fixture
def copied(monkeypatch) -> list[str]:
    """What reached the system clipboard helper."""
    seen: list[str] = []

    def fake_copy(text: str) -> None:
        seen.append(text)

    monkeypatch.setattr(clipboard, "copy_system", fake_copy)
    return seen


async def open_chooser(app, pilot, pid: str) -> CiteChooser:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    papers = screen.query_one(PaperList)
    papers.cursor = next(i for i, p in enumerate(papers.rows) if p.id == pid)
    await pilot.pause()
    await pilot.press("C")
    await pilot.pause()
    assert isinstance(app.screen, CiteChooser)
    return app.screen


async def press_and_settle(app, pilot, *keys: str) -> None:
    """Keys, then the copy's worker and the redraw done."""
    await pilot.press(*keys)
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.slow
async def test_C_j_enter_copies_apa_not_bibtex(lib_path, copied):
    app = create_app(Library(lib_path), use_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_chooser(app, pilot, "hale2019thesis")
        await press_and_settle(app, pilot, "j", "enter")
        expected = cite(THESIS, "apa")
        assert expected.startswith("Hale, I. M. (2019). Sparse reward shaping")
        assert copied == [expected]
        assert app.clipboard == expected


@pytest.mark.slow
async def test_k_moves_back_and_every_format_is_offered(lib_path, copied):
    app = create_app(Library(lib_path), use_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        chooser = await open_chooser(app, pilot, "hale2019thesis")
        options = chooser.query_one(OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [
            f.name for f in CITATION_FORMAT_LIST
        ]
        # BibTeX, APA, IEEE, Chicago, back to IEEE
        await press_and_settle(app, pilot, "j", "j", "j", "k", "enter")
        assert copied == [cite(THESIS, "ieee")]


@pytest.mark.slow
async def test_the_users_style_is_offered_and_used_for_plain_text(lib_path, copied, tmp_path, monkeypatch):
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))
    save_settings({"style": "harvard-cite-them-right"})
    app = create_app(Library(lib_path), use_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        chooser = await open_chooser(app, pilot, "hale2019thesis")
        options = chooser.query_one(OptionList)
        plain = options.get_option("plain")
        assert "Plain text (harvard-cite-them-right)" in str(plain.prompt)
        await press_and_settle(app, pilot, *"jjjjj", "enter")
        assert copied == [cite(THESIS, "plain", "harvard-cite-them-right")]
        assert copied[0].startswith("Hale, I.M. (2019)")


@pytest.mark.slow
async def test_the_chooser_fits_60_by_15(lib_path, copied):
    app = create_app(Library(lib_path), use_settings=False)
    async with app.run_test(size=(60, 15)) as pilot:
        chooser = await open_chooser(app, pilot, "hale2019thesis")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = chooser.region
        box = chooser.query_one("#cite-box").region
        assert screen.contains_region(box)
        title, hint = chooser.query(Label)
        assert "Copy the citation as" in str(title.render()) and title.region.height == 1
        assert "Enter copies" in str(hint.render()) and box.contains_region(hint.region)
        options = chooser.query_one(OptionList)
        assert options.region.height >= len(CITATION_FORMAT_LIST)  # every format shows, no scrolling
        assert options.max_scroll_y == 0


@pytest.mark.slow
async def test_an_incomplete_paper_is_copied_as_arxiv_id_with_a_notice(lib_path, copied):
    app = create_app(Library(lib_path), use_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_chooser(app, pilot, "arxiv220302155")
        await press_and_settle(app, pilot, "j", "enter")
        assert copied == ["arXiv:2203.02155"]
        notices = [n.message for n in app._notifications]
        assert any("incomplete" in m and "arXiv:2203.02155" in m for m in notices)
