"""The TUI driven by key through Textual's pilot, on real library files.

Every test asserts on what the user keeps (the library on disk, read back by a
fresh Library), on what they see (rows, panes) or on the clipboard.
"""

from __future__ import annotations

import json

import bibtexparser
import pytest
from textual.widgets import Input, OptionList, Static

from conftest import run_reader
from helpers.papers import copies
from helpers.waiting import until
from reader.core.library import Library
from reader.core.models import Paper
from reader.core.query import Matcher, parse_query
from reader.ui.app import create_app
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen
from reader.ui.screens.triage import TriageScreen
from reader.ui.widgets.detail import DetailPane
from reader.ui.widgets.notes import NotesPane
from reader.ui.widgets.paper_list import PaperList
from textual_probes import notifications

SIZE = (100, 30)

PAPERS = [
    Paper(id="", title="Alpha: Reward Models for Reasoning", authors=["Ann Lee", "Bo Chen"], year=2024,
          abstract="We train reward models. Code at https://github.com/example/alpha.",
          code_url="https://github.com/example/alpha", tags=["rlhf"]),
    Paper(id="", title="Beta Policies in the Wild", authors=["Cy Diaz"], year=2021,
          abstract="Policies, in the wild.", url="https://example.org/beta"),
    Paper(id="", title="Gamma: A Survey of Verifiers", year=2023, abstract="A verifier survey."),
    Paper(id="", title="Delta Networks", authors=["Di Eng"], year=2019, abstract="Deltas everywhere."),
    Paper(id="", title="Epsilon Greedy Revisited", abstract="Exploration, again."),
]


@pytest.fixture
def lib_path(db):
    Library(db).add_papers(copies(PAPERS))
    return db


def make_app(path):
    return create_app(Library(path), use_settings=False)


def stored(path) -> dict[str, Paper]:
    return {p.title.split(":")[0].split()[0]: p for p in Library(path).papers()}


def screen_of(app) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def titles(app) -> list[str]:
    return [p.title for p in app.screen.query_one(PaperList).rows]


def detail_text(app) -> str:
    return "\n".join(
        str(app.screen.query_one(f"#detail-{part}", Static).render()) for part in ("header", "body")
    )


@pytest.mark.slow
async def test_moves_with_j_k_g_G_and_arrows(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        plist = app.screen.query_one(PaperList)
        assert plist.current.title.startswith("Alpha")
        await pilot.press("j", "j")
        assert plist.current.title.startswith("Gamma")
        await pilot.press("k")
        assert plist.current.title.startswith("Beta")
        await pilot.press("G")
        assert plist.current.title.startswith("Epsilon")
        await pilot.press("g")
        assert plist.current.title.startswith("Alpha")
        await pilot.press("down", "down", "down", "up")
        assert plist.current.title.startswith("Gamma")
        await pilot.pause()
        assert "Gamma: A Survey of Verifiers" in detail_text(app)
        await pilot.press("enter")
        assert isinstance(app.focused, DetailPane)
        await pilot.press("escape")
        assert isinstance(app.focused, PaperList)


@pytest.mark.slow
async def test_r_and_s_toggle_and_are_stored(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "s", "j", "s")
        await pilot.pause()
        papers = stored(lib_path)
        assert papers["Alpha"].read and papers["Alpha"].starred and papers["Alpha"].read_at
        assert papers["Beta"].starred and not papers["Beta"].read
        await pilot.press("k", "r")
        assert not stored(lib_path)["Alpha"].read
        status = str(app.screen.query_one("#status").render())
        assert "2 starred" in status and "5 unread" in status


@pytest.mark.slow
async def test_t_edits_tags(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        prompt = app.screen.query_one("#prompt-input", Input)
        assert prompt.value == "rlhf"
        prompt.value = ""
        await pilot.press(*"reward, To Read")
        await pilot.press("enter")
        await pilot.pause()
        assert stored(lib_path)["Alpha"].tags == ["reward", "to-read"]
        await pilot.press("t", "escape")  # Esc cancels: nothing changes
        assert stored(lib_path)["Alpha"].tags == ["reward", "to-read"]


@pytest.mark.slow
async def test_n_writes_notes_saved_on_escape(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert isinstance(app.focused, NotesPane)
        await pilot.press(*"Read it [bold] twice")
        await pilot.press("escape")
        assert isinstance(app.focused, PaperList)
        assert stored(lib_path)["Alpha"].notes == "Read it [bold] twice"


@pytest.mark.slow
async def test_notes_save_after_a_pause_in_typing(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", *"pause here")
        assert "unsaved" in str(app.screen.query_one("#status").render())
        await pilot.pause(1.2)
        assert stored(lib_path)["Alpha"].notes == "pause here"
        assert "all saved" in str(app.screen.query_one("#status").render())


@pytest.mark.slow
async def test_notes_saved_when_switching_papers_and_when_quitting(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", *"first")
        screen_of(app).paper_list.cursor = 1  # another paper, e.g. by mouse
        await pilot.pause()
        assert stored(lib_path)["Alpha"].notes == "first"
        assert isinstance(app.focused, NotesPane)  # still writing, now Beta's notes
        await pilot.press(*"second")
        await app.action_quit()
    assert stored(lib_path)["Beta"].notes == "second"


@pytest.mark.slow
async def test_o_opens_the_link(lib_path, monkeypatch):
    opened = []
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "o")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert opened == ["https://example.org/beta"]


@pytest.mark.slow
async def test_o_without_a_browser_copies_the_link(lib_path, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.setattr("webbrowser.open", lambda url: pytest.fail("no browser here"))
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "o")
        assert app.clipboard == "https://example.org/beta"


@pytest.mark.slow
async def test_d_deletes_and_u_brings_it_back(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "n", *"keep me", "escape", "d")
        await pilot.pause()
        assert "Beta" not in stored(lib_path)
        assert len(titles(app)) == 4
        assert screen_of(app).paper_list.current.title.startswith("Gamma")
        await pilot.press("u")
        await pilot.pause()
        back = stored(lib_path)["Beta"]
        assert back.notes == "keep me"
        assert len(titles(app)) == 5


@pytest.mark.slow
async def test_u_undoes_toggles_tags_and_notes_in_order(lib_path, monkeypatch):
    # Notes are saved on Esc only: a pause in typing on a loaded machine
    # would otherwise save "n" first, a step of its own.
    monkeypatch.setattr("reader.ui.widgets.notes.SAVE_AFTER", 3600.0)
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "r", "t")
        app.screen.query_one("#prompt-input", Input).value = "x"
        await pilot.press("enter", "n", *"note", "escape")
        paper = stored(lib_path)["Alpha"]
        assert (paper.starred, paper.read, paper.tags, paper.notes) == (True, True, ["x"], "note")
        await pilot.press("u")
        assert stored(lib_path)["Alpha"].notes == ""
        await pilot.press("u")
        assert stored(lib_path)["Alpha"].tags == ["rlhf"]
        await pilot.press("u")
        assert not stored(lib_path)["Alpha"].read
        await pilot.press("u")
        assert not stored(lib_path)["Alpha"].starred
        await pilot.press("u")  # nothing left: no change, no crash
        assert not stored(lib_path)["Alpha"].starred


async def test_c_copies_bibtex(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        (entry,) = bibtexparser.parse_string(app.clipboard).entries
        assert entry.key == "lee2024alpha"
        assert "Lee" in entry["author"] and entry["year"] == "2024"
        # Said on the status line, not in a toast over the list.
        assert not notifications(app)
        line = str(app.screen.query_one("#status").render())
        assert "Copied BibTeX of lee2024alpha" in line and "OSC 52" in line


@pytest.mark.slow
async def test_C_offers_formats(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        await pilot.pause()
        await pilot.press("down", "enter")  # BibTeX, then APA
        await pilot.pause()
        assert app.clipboard.startswith("Lee, A., & Chen, B. (2024). Alpha")


@pytest.mark.slow
async def test_views_1_to_4_with_counts(lib_path):
    lib = Library(lib_path)
    ids = [p.id for p in lib.papers()]
    lib.set_read(ids[:2], True)
    lib.set_starred(ids[1:4], True)
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        views = str(app.screen.query_one("#views", Static).render())
        assert "All 5" in views and "Unread 3" in views and "Starred 3" in views and "Read 2" in views
        await pilot.press("2")
        assert len(titles(app)) == 3
        await pilot.press("3")
        assert len(titles(app)) == 3
        await pilot.press("4")
        assert len(titles(app)) == 2
        await pilot.press("1")
        assert len(titles(app)) == 5


@pytest.mark.slow
async def test_filter_live_keep_and_clear(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"year:>=2023")
        assert len(titles(app)) == 2
        await pilot.press(" ", *"verif")
        assert titles(app) == ["Gamma: A Survey of Verifiers"]
        await pilot.press("enter")
        assert isinstance(app.focused, PaperList)
        assert titles(app) == ["Gamma: A Survey of Verifiers"]  # kept
        await pilot.press("escape")  # in the list: clears
        assert len(titles(app)) == 5
        assert app.screen.query_one("#filter", Input).value == ""


@pytest.mark.slow
async def test_invalid_query_shows_error_and_keeps_last_good_result(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"tag:rlhf")
        assert len(titles(app)) == 1
        app.screen.query_one("#filter", Input).value = "tag:rlhf year:abc"
        error = app.screen.query_one("#filter-error", Static)
        await until(pilot, lambda: error.has_class("-shown"), "the error, once typing pauses")
        assert "year" in str(error.render())
        assert len(titles(app)) == 1
        await pilot.press("escape")
        assert isinstance(app.focused, PaperList)


@pytest.mark.slow
async def test_triage_one_key_per_paper(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T")
        assert isinstance(app.screen, TriageScreen)
        await pilot.press("s", "r", "space", "u", "r", "s")
        await pilot.pause()
        header = str(app.screen.query_one("#triage-progress-label", Static).render())
        assert "1 of 5 left" in header
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
    papers = stored(lib_path)
    assert papers["Alpha"].starred and not papers["Alpha"].read
    assert papers["Beta"].read and not papers["Beta"].starred
    assert papers["Gamma"].read  # skipped, then stepped back to and read
    assert papers["Delta"].starred
    assert not papers["Epsilon"].read and not papers["Epsilon"].starred


@pytest.mark.slow
async def test_triage_undo_takes_back_the_change(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T", "s", "u")
        assert not stored(lib_path)["Alpha"].starred
        assert "5 of 5 left" in str(app.screen.query_one("#triage-progress-label", Static).render())


@pytest.mark.slow
async def test_help_and_quit(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 or app.return_code is None
    assert not app.is_running


@pytest.mark.slow
async def test_sort_cycle_and_starred_first(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G", "S")  # from the last paper: the new order is shown from its first
        assert titles(app)[0].startswith("Alpha") and titles(app)[-1].startswith("Gamma")
        assert screen_of(app).paper_list.cursor == 0
        await pilot.press("S")  # by year, newest first, no year last
        assert [t.split()[0] for t in titles(app)] == ["Alpha:", "Gamma:", "Beta", "Delta", "Epsilon"]
        await pilot.press("G", "s", "asterisk")
        assert titles(app)[0].startswith("Epsilon")


@pytest.mark.slow
async def test_every_key_is_in_the_palette_and_the_help(lib_path):
    from rich.console import Console

    from reader.ui.keys import MAIN_KEYS
    from reader.ui.screens.help import group_table, key_groups

    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")  # something to undo, so Undo is offered too
        await pilot.press("ctrl+p")
        options = app.screen.query_one(OptionList)
        for _ in range(50):
            await pilot.pause(0.05)
            if options.option_count >= len(MAIN_KEYS):
                break
        shown_in_palette = " ".join(
            str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
        )
        for key in MAIN_KEYS:
            assert key.help in shown_in_palette, key.action
            assert not key.bound or f"key: {key.shown_key}" in shown_in_palette, key.action
        await pilot.press("escape")
    console = Console(width=120, record=True)
    for group in key_groups():
        console.print(group_table(*group))
    shown = console.export_text()
    for key in MAIN_KEYS:
        assert key.help in shown


@pytest.mark.slow
async def test_markup_in_titles_shows_literally(db):
    hostile = "[bold]Bold[/] claims [link=https://x.invalid]click[/link] [/b] [@click=app.quit]q[/]"
    Library(db).add_papers([Paper(id="", title=hostile, abstract="[red]not red[/red] $x^2$", notes="[/]")])
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert hostile in detail_text(app)
        assert "[red]not red[/red]" in detail_text(app)
        line = app.screen.query_one(PaperList).render_line(0)
        assert "[bold]Bold[/] claims" in line.text
        await pilot.press("c", "d", "u", "t", "escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, MainScreen)
        assert app.clipboard.startswith("@")  # the BibTeX of the hostile paper
        assert hostile in detail_text(app)  # deleted, brought back, shown as written


@pytest.mark.slow
async def test_empty_library_says_how_to_import_and_i_imports(tmp_path, db):
    ids = tmp_path / "ids.txt"
    ids.write_text("2203.02155\n1706.03762\n")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        empty = app.screen.query_one("#empty", Static)
        assert empty.display and "reader import" in str(empty.render())
        await pilot.press("i")
        app.screen.query_one("#prompt-input", Input).value = str(ids)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(titles(app)) == 2
        assert not app.screen.has_class("-empty")
    assert {p.arxiv_id for p in Library(db).papers()} == {"2203.02155", "1706.03762"}


@pytest.mark.slow
async def test_changes_from_the_command_line_are_picked_up_and_kept(lib_path, tmp_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        target = stored(lib_path)["Delta"].id
        result = run_reader("mark", target, "--star", db=lib_path)
        assert result.returncode == 0, result.stderr
        more = tmp_path / "more.txt"
        more.write_text("2203.02155\n")
        assert run_reader("import", str(more), db=lib_path).returncode == 0
        screen_of(app).jobs.check_disk()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(titles(app)) == 6
        await pilot.press("r")  # a change in the TUI after the CLI's
        await pilot.pause()
    papers = {p.id: p for p in Library(lib_path).papers()}
    assert papers[target].starred  # the CLI's star was not overwritten
    assert len(papers) == 6
    assert sum(p.read for p in papers.values()) == 1


@pytest.mark.slow
async def test_narrow_terminal_still_works(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.has_class("-narrow")
        await pilot.press("j", "s", "n", *"narrow note", "escape")
        assert stored(lib_path)["Beta"].starred
        assert stored(lib_path)["Beta"].notes == "narrow note"


@pytest.mark.slow
async def test_theme_choice_persists(lib_path, tmp_path, monkeypatch):
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))
    app = create_app(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "textual-light"
        await pilot.pause()
    settings = json.loads((tmp_path / "config" / "settings.json").read_text())
    assert settings["theme"] == "textual-light"
    again = create_app(Library(lib_path))
    async with again.run_test(size=SIZE):
        assert again.theme == "textual-light"


@pytest.mark.slow
async def test_a_long_filter_shows_the_first_rows_then_completes(lib_path, monkeypatch):
    from reader.ui import live_filter
    from reader.ui import session as session_module

    monkeypatch.setattr(session_module.Scan, "SLICE", 1)
    monkeypatch.setattr(live_filter, "FIRST_PAINT_BUDGET", 0.0)
    monkeypatch.setattr(live_filter, "SLICE_BUDGET", 0.0)
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen.session.set_query("re", run=False)
        screen.run_filter()  # what typing in the filter does
        assert len(titles(app)) <= 1 and not screen.session.scan.done  # first paint: one paper
        assert "searching" in str(app.screen.query_one("#status").render())
        for _ in range(20):
            await pilot.pause()
        query = parse_query("re")
        expected = [p.title for p in Matcher().match(query, Library(lib_path).papers())]
        assert len(expected) == 3 and titles(app) == expected
        assert app.screen.session.scan.done
        assert "searching" not in str(app.screen.query_one("#status").render())


@pytest.mark.slow
async def test_the_list_comes_first_and_the_abstracts_after(lib_path, monkeypatch):
    """The app shows the list before reading the abstracts; a filter typed
    meanwhile waits for them and then finds words of the abstracts too."""
    import threading

    release = threading.Event()
    scan = Library.scan_abstracts

    def slow_scan(self):
        release.wait(300)
        scan(self)

    monkeypatch.setattr(Library, "scan_abstracts", slow_scan)
    app = create_app(Library(lib_path, load_abstracts=False), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        assert len(titles(app)) == 5
        assert "Reading the abstract" in detail_text(app)
        await pilot.press("slash", *"everywhere")  # a word of Delta's abstract only
        status = str(app.screen.query_one("#status").render())
        assert "reading the abstracts" in status
        release.set()
        await app.workers.wait_for_complete()
        for _ in range(10):
            await pilot.pause()
        assert titles(app) == ["Delta Networks"]
        assert "Deltas everywhere." in detail_text(app)


def every_action() -> list[str]:
    from reader.ui.keys import MAIN_KEYS

    return [key.action.split("(")[0] for key in MAIN_KEYS]


@pytest.mark.slow
async def test_check_action_answers_before_mount_and_after_unmount(lib_path):
    """Textual asks check_action while a screen mounts and unmounts (the
    Footer, the palette); it must answer, never raise."""
    app = make_app(lib_path)
    unmounted = MainScreen(app.session)
    answers = {action: unmounted.check_action(action, ()) for action in every_action()}
    assert answers["toggle_read"] is None  # no paper under the cursor yet
    assert answers["help"] is True
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        assert screen.check_action("toggle_read", ()) is True
        await pilot.press("r")
        await screen.remove_children()  # as on unmount: the children are gone
        for action in every_action():
            assert screen.check_action(action, ()) in (True, None)
        assert screen.check_action("undo", ()) is True
