"""The list and the status line in daily use (issue 12): ★ first kept true,
next/previous unread, the details pane hidden, messages on one line, the
views bar, empty results, and what fits in a small terminal."""

from __future__ import annotations

import pytest

from helpers.papers import copies
from reader.core.library import Library
from reader.core.models import Paper
from reader.ui.app import create_app
from reader.ui.screens.triage import TriageScreen
from reader.ui.widgets.paper_list import PaperList
from textual_probes import notifications

SIZE = (100, 30)

PAPERS = [
    Paper(id="", title="Alpha: Reward Models for Reasoning", authors=["Ann Lee"], year=2024, tags=["rlhf"]),
    Paper(id="", title="Beta Policies in the Wild", authors=["Cy Diaz"], year=2021),
    Paper(id="", title="Gamma: A Survey of Verifiers", year=2023),
    Paper(id="", title="Delta Networks", authors=["Di Eng"], year=2019),
    Paper(id="", title="Epsilon Greedy Revisited"),
]


@pytest.fixture
def lib_path(db):
    Library(db).add_papers(copies(PAPERS))
    return db


def make_app(path):
    return create_app(Library(path), use_settings=False)


def starred_flags(app) -> list[bool]:
    return [p.starred for p in app.screen.query_one(PaperList).rows]


def first_words(app) -> list[str]:
    return [p.title.split()[0].rstrip(":") for p in app.screen.query_one(PaperList).rows]


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


# ---------------------------------------------------------------------- bug 2
@pytest.mark.slow
async def test_starred_first_stays_true_after_starring_lower_down(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("asterisk", "G", "s")
        # Under the cursor nothing jumps: the paper stays where it was starred.
        assert app.screen.query_one(PaperList).current.title.startswith("Epsilon")
        await pilot.press("2", "1")
        assert starred_flags(app) == [True, False, False, False, False]
        assert first_words(app)[0] == "Epsilon"


@pytest.mark.slow
async def test_starred_first_stays_true_after_starring_in_triage(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("asterisk", "T", "space", "space", "s", "space", "s")
        assert isinstance(app.screen, TriageScreen)
        await pilot.press("escape", "3", "1")
        assert starred_flags(app) == [True, True, False, False, False]
        assert first_words(app)[:2] == ["Gamma", "Epsilon"]


# ---------------------------------------------------------------------- bug 13 and the footer
def key_bar(app) -> str:
    from reader.ui.widgets.key_bar import KeyBar

    return str(app.screen.query_one(KeyBar).render())


@pytest.mark.slow
@pytest.mark.parametrize("size", [(60, 15), (80, 24), (120, 35)])
async def test_status_line_and_keys_fit_in_whole_words_and_keep_help_and_quit(lib_path, size):
    app = make_app(lib_path)
    async with app.run_test(size=size) as pilot:
        await pilot.press("asterisk", "slash", *"rew", "enter")
        for _focus in ("list", "details"):
            await pilot.pause()
            line, keys = status(app), key_bar(app)
            assert len(line) <= size[0] and len(keys) <= size[0]
            assert line.startswith(" 1/1") and not line.rstrip().endswith(("·", "… ·"))
            # Whole words only: every part shown is one the status line makes.
            for part in line.strip().split(" · "):
                assert part in FULL_PARTS or part.startswith("1/1"), part
            assert "? Help" in keys and "q Quit" in keys and "^p palette" in keys
            for word in keys.replace("▏", " ").split():
                assert word in FOOTER_WORDS, word
            await pilot.press("enter")  # the details focused: other keys, same rules


FULL_PARTS = {"1 unread", "5 unread", "0 starred", "1 of 5 shown", "sort: added ★ first", "filter: rew", "✓ all saved"}
FOOTER_WORDS = {"/", "Filter", "T", "Triage", "r", "Read", "s", "Star", "t", "Tags", "n", "Notes", "c", "Cite",
                "u", "Undo", "?", "Help", "q", "Quit", "^p", "palette", "j", "k", "Scroll", "down", "up", "z", "Details",
                "J", "Next", "unread", "K", "Previous", "Esc", "Back"}


# ---------------------------------------------------------------------- bug 10 and the toasts
@pytest.mark.slow
async def test_import_message_keeps_its_lines_and_toasts_replace_each_other(lib_path, tmp_path):
    from textual.widgets import Input

    bib = tmp_path / "refs.bib"
    bib.write_text("@article{good, title={A Good Paper}, year={2020}}\n\n"
                   "@article{broken, title={Broken\n\n@article{fine, title={Fine Too}, year={2021}}\n")
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        app.screen.query_one("#prompt-input", Input).value = str(bib)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        (toast,) = notifications(app)
        lines = toast.message.split("\n")
        assert lines[0].startswith("refs.bib: added") and lines[1].startswith("skipped entry")
        assert "refs.bib: added" in status(app)
        for _ in range(3):  # three more messages: still one toast, the last
            await pilot.press("i")
            app.screen.query_one("#prompt-input", Input).value = str(tmp_path / "missing.bib")
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert len(notifications(app)) == 1


@pytest.mark.slow
async def test_copy_delete_and_undo_speak_on_the_status_line_and_name_the_title(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Copied BibTeX of lee2024alpha" in status(app)
        await pilot.press("d")
        assert "Deleted “Alpha: Reward Models for Reasoning”" in status(app)
        await pilot.press("u", "s", "u")
        assert "Undone: starred “Alpha: Reward Models for Reasoning”" in status(app)
        assert not notifications(app)


# ---------------------------------------------------------------------- views bar and empty results
def views(app) -> str:
    return str(app.screen.query_one("#views").render())


def list_lines(app) -> list[str]:
    plist = app.screen.query_one(PaperList)
    return ["".join(seg.text for seg in plist.render_line(y)).strip() for y in range(plist.size.height)]


@pytest.mark.slow
async def test_views_bar_keeps_keys_and_counts_apart_and_counts_follow_the_filter(lib_path):
    lib = Library(lib_path)
    ids = [p.id for p in lib.papers()]
    lib.set_read(ids[:2], True)
    lib.set_starred(ids[1:3], True)
    app = make_app(lib_path)
    async with app.run_test(size=(120, 30)) as pilot:
        assert views(app).split("│") == [" 1 All 5 ", " 2 Unread 3 ", " 3 Starred 2 ", " 4 Read 2 ", " 5 New 0 "]
        await pilot.press("slash", *"year:>=2021", "enter")
        await pilot.pause()
        # Alpha (read), Beta (read, starred), Gamma (starred) are from 2021 on.
        assert views(app).split("│") == [" 1 All 3 ", " 2 Unread 1 ", " 3 Starred 2 ", " 4 Read 2 ", " 5 New 0 "]
        await pilot.press("2", "r")  # Gamma read: the counts follow
        await pilot.pause()
        assert views(app).split("│") == [" 1 All 3 ", " 2 Unread 0 ", " 3 Starred 2 ", " 4 Read 3 ", " 5 New 0 "]


@pytest.mark.slow
async def test_an_empty_result_says_why_and_how_to_leave(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        assert "No starred papers yet: s stars the paper under the cursor." in " ".join(list_lines(app))
        await pilot.press("1", "slash", *"zebra", "enter")
        await pilot.pause()
        assert "No paper matches `zebra` — Esc clears the filter." in " ".join(list_lines(app))
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen.query_one(PaperList).rows) == 5
        assert not any(list_lines(app)[5:])


# ---------------------------------------------------------------------- moving on
def cursor_word(app) -> str:
    return app.screen.query_one(PaperList).current.title.split()[0].rstrip(":")


@pytest.mark.slow
async def test_J_K_and_brackets_jump_to_the_next_and_previous_unread(lib_path):
    lib = Library(lib_path)
    ids = [p.id for p in lib.papers()]
    lib.set_read([ids[1], ids[2]], True)  # Beta and Gamma read
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("J")
        assert cursor_word(app) == "Delta"
        await pilot.press("K")
        assert cursor_word(app) == "Alpha"
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert cursor_word(app) == "Epsilon"
        await pilot.press("J")  # none below: the cursor stays, the status line says so
        assert cursor_word(app) == "Epsilon" and "No unread paper below" in status(app)
        await pilot.press("left_square_bracket")
        assert cursor_word(app) == "Delta"


@pytest.mark.slow
async def test_r_moves_on_to_the_next_unread_when_the_setting_is_on(lib_path):
    lib = Library(lib_path)
    lib.set_read([lib.papers()[1].id], True)  # Beta read
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")  # the setting is off: r stays
        assert cursor_word(app) == "Alpha"
        await pilot.press("r")  # Alpha unread again
        screen = app.screen
        await screen.run_action("toggle_read_moves_on")  # as the palette does
        assert "r now moves on to the next unread paper" in status(app)
        await pilot.press("r")
        assert cursor_word(app) == "Gamma"  # Beta is read: skipped
        await pilot.press("r", "r")
        assert cursor_word(app) == "Epsilon"
        await pilot.press("k", "r")  # marking unread stays on the paper
        assert cursor_word(app) == "Delta"
        assert app.settings["read_moves_on"] is True
    read = {p.title.split()[0].rstrip(":") for p in Library(lib_path).papers() if p.read}
    assert read == {"Alpha", "Beta", "Gamma"}


@pytest.mark.slow
async def test_z_hides_the_details_and_the_list_takes_the_whole_width(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=(120, 30)) as pilot:
        plist = app.screen.query_one(PaperList)
        narrow = plist.size.width
        await pilot.press("z")
        await pilot.pause()
        assert not app.screen.query_one("#side").display
        assert plist.outer_size.width == 120 and plist.size.width > narrow
        await pilot.press("n")  # the notes still show while written
        await pilot.pause()
        assert app.screen.query_one("#notes").display and app.screen.query_one("#side").display
        await pilot.press("escape", "z")
        await pilot.pause()
        assert app.screen.query_one("#side").display and plist.size.width == narrow


@pytest.mark.slow
async def test_the_palette_names_each_action_once_in_one_style(lib_path):
    from textual.widgets import OptionList

    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "ctrl+p")
        options = app.screen.query_one(OptionList)
        for _ in range(50):
            await pilot.pause(0.05)
            if options.option_count > 20:
                break
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    titles = [p.split("\n")[0] for p in prompts]
    assert len(titles) == len(set(titles)), titles
    assert "Copy as BibTeX, APA, IEEE, Chicago, Nature or your style" in titles
    assert not any(t.startswith(("Cite as:", "Quit the application")) or t in ("Quit", "Keys") for t in titles)
    assert "Choose whether r moves on to the next unread paper" in titles


# ---------------------------------------------------------------------- the title gets the room
@pytest.mark.slow
async def test_titles_get_the_room_and_notes_show_a_mark(db):
    long_title = "A Very Long Title About Reward Models " * 3
    Library(db).add_papers(copies([
        Paper(id="", title=long_title.strip()),
        Paper(id="", title="Short One", notes="my thoughts"),
    ]))
    app = make_app(db)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        lines = list_lines(app)
        width = app.screen.query_one(PaperList).scrollable_content_region.width
        # No author, year or tag on screen: no empty columns; the title runs to the edge.
        assert lines[0].startswith("●   A Very Long Title") and len(lines[0]) == width - 4  # all but " ★ " and the last space
        assert lines[1].startswith("● ✎ Short One")
        await pilot.press("t")
        await pilot.press(*"rlhf", "enter")
        await pilot.pause()
        assert list_lines(app)[0].endswith("#rlhf")  # a tag on screen: its column appears


async def test_a_narrow_views_bar_names_only_the_current_view(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=(60, 15)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert views(app).split("│") == [" 1 ", " 2 Unread 5 ", " 3 ", " 4 ", " 5 "]
