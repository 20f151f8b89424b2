"""The panes of the main screen and triage as a daily user meets them
(issue 12): notes and their undo, the details' scroll, triage's keys, the
filter as it is typed, highlighted matches, tags by completion and by list.

Pilot tests on real library files; they assert what the user sees or keeps.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from helpers.papers import copies
from helpers.said import said, status_line
from helpers.waiting import until
from reader.core.library import Library
from reader.core.models import Paper
from reader.ui.app import create_app
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen
from reader.ui.screens.tag_list import TagList
from reader.ui.screens.triage import TriageScreen
from reader.ui.widgets.detail import DetailPane
from reader.ui.widgets.key_bar import KeyBar
from reader.ui.widgets.notes import NotesPane
from reader.ui.widgets.paper_list import PaperList
from textual_probes import suggestion_of

SIZE = (100, 30)
LONG = " ".join(f"Sentence number {i} of a long abstract about reward models." for i in range(80))

PAPERS = [
    Paper(id="", title="Alpha: Reward Models for Reasoning", authors=["Ann Lee"], year=2024,
          abstract=LONG, tags=["rlhf", "reward"]),
    Paper(id="", title="Beta Policies in the Wild", authors=["Cy Diaz"], year=2021,
          abstract=LONG, tags=["rl"]),
    Paper(id="", title="Gamma: A Survey of Verifiers", year=2023, abstract="A verifier survey.",
          tags=["rl", "survey"]),
    Paper(id="", title="Delta Networks", authors=["Di Eng"], year=2019, abstract="Deltas everywhere."),
]


@pytest.fixture
def lib_path(db):
    Library(db).add_papers(copies(PAPERS))
    return db


def make_app(path):
    return create_app(Library(path), use_settings=False)


def notes_of(path, word: str) -> str:
    return next(p.notes for p in Library(path).papers() if p.title.startswith(word))




# ---------------------------------------------------------------- bug 7: notes and undo
@pytest.mark.slow
async def test_one_u_undoes_one_visit_of_the_notes_pane_and_names_the_paper(lib_path, monkeypatch):
    monkeypatch.setattr("reader.ui.widgets.notes.SAVE_AFTER", 3600.0)  # saves come from flush below
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        notes = app.screen.query_one(NotesPane)
        await pilot.press("n", *"first")
        notes.flush()  # what the pause in typing calls: an autosave
        await until(pilot, lambda: notes_of(lib_path, "Alpha") == "first", "the first autosave")
        await pilot.press(*" second")
        notes.flush()
        await until(pilot, lambda: notes_of(lib_path, "Alpha") == "first second", "the second autosave")
        await pilot.press("escape")
        await pilot.press("n", *" third", "escape")  # a second visit
        await until(pilot, lambda: notes_of(lib_path, "Alpha") == "first second third", "the second visit")
        await pilot.press("u")
        assert notes_of(lib_path, "Alpha") == "first second"
        assert "Undone: notes of “Alpha: Reward Models for Reasoning” edited" in said(app)
        assert notes.text == "first second"
        await pilot.press("u")  # the whole first visit, autosaves and all
        assert notes_of(lib_path, "Alpha") == ""
        assert notes.text == ""


@pytest.mark.slow
async def test_notes_reach_the_library_by_a_message_to_the_screen(lib_path, monkeypatch):
    monkeypatch.setattr("reader.ui.widgets.notes.SAVE_AFTER", 3600.0)  # saved on Esc only
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        seen: list[tuple[str, str]] = []
        screen = app.screen
        original = screen.store_notes

        def store(pid, text, visit):
            seen.append((pid, text))
            return original(pid, text, visit)

        screen.store_notes = store
        await pilot.press("n", *"via message", "escape")
        await until(pilot, lambda: notes_of(lib_path, "Alpha") == "via message", "the save")
        assert [text for _, text in seen] == ["via message"]



@pytest.mark.slow
async def test_the_status_line_keeps_the_cursors_place_while_notes_are_shown_and_typed(lib_path, monkeypatch):
    """Another paper's notes loaded into the pane, and every key typed in
    them, redraw the status line: the cursor's place stays on it."""
    monkeypatch.setattr("reader.ui.widgets.notes.SAVE_AFTER", 3600.0)  # unsaved while this looks
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        assert status_line(app).startswith(" 2/4 · 4 unread")
        await pilot.press("n", *"draft")
        assert status_line(app).startswith(" 2/4 · ● unsaved note")
        await pilot.press("escape", "j")
        assert status_line(app).startswith(" 3/4 ")

# ---------------------------------------------------------------- bug 12: the details pane
@pytest.mark.slow
async def test_details_scroll_back_to_the_top_for_another_paper_and_g_G_work(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=(100, 24)) as pilot:
        detail = app.screen.query_one(DetailPane)
        await pilot.press("enter", "G")
        await until(pilot, lambda: detail.scroll_y == detail.max_scroll_y > 0, "G: the end of the abstract")
        await pilot.press("g")
        await until(pilot, lambda: detail.scroll_y == 0, "g: the top")
        await pilot.press(*"jjjjjj")
        await until(pilot, lambda: detail.scroll_y >= 6, "scrolled down")
        await pilot.press("escape", "j")  # the next paper, also with a long abstract
        header = detail.query_one("#detail-header", Static)
        await until(pilot, lambda: "Beta Policies" in str(header.render()), "the next paper")
        assert detail.scroll_y == 0


# ---------------------------------------------------------------- bug 11 and 8: triage
def triage_text(app, part: str) -> str:
    return str(app.screen.query_one(f"#triage-{part}", Static).render())


@pytest.mark.slow
async def test_triage_starts_at_the_cursor_and_leaves_the_cursor_where_it_stopped(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "T")
        await until(pilot, lambda: isinstance(app.screen, TriageScreen), "the TriageScreen")
        await until(pilot, lambda: "Beta Policies" in triage_text(app, "header"), "the cursor's paper first")
        assert "3 of 3 left" in triage_text(app, "progress-label")
        await pilot.press("space", "escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the list again")
        assert app.screen.query_one(PaperList).current.title.startswith("Gamma")


@pytest.mark.slow
async def test_triage_s_on_a_starred_paper_says_so_and_is_not_skipped(lib_path):
    library = Library(lib_path)
    library.set_starred([p.id for p in library.papers() if p.title.startswith("Gamma")], True)
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "T", "s")
        await until(pilot, lambda: "It was already starred" in said(app), "the word on the star")
        await pilot.press("s")  # Delta: starred now
        summary = triage_text(app, "header")
        assert "1 starred, 1 already starred." in summary, summary
        assert "skipped" not in summary
        await pilot.press("u", "u")  # back to Gamma: still starred, as before triage
        assert "Gamma" in triage_text(app, "header")
    assert [p.title[:5] for p in Library(lib_path).papers() if p.starred] == ["Gamma"]


@pytest.mark.slow
async def test_triage_keeps_help_and_quit_on_its_key_bar_at_60_by_15(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=(60, 15)) as pilot:
        await pilot.press("T")
        await until(pilot, lambda: isinstance(app.screen, TriageScreen), "triage")
        bar = str(app.screen.query_one(KeyBar).render())
        assert "? Help" in bar and "q Quit" in bar and "s Star" in bar


@pytest.mark.slow
async def test_triage_q_quits_and_question_mark_shows_the_keys(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T", "question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the HelpScreen")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TriageScreen), "the TriageScreen")
        assert app.return_code is None
        await pilot.press("q")
        assert app.return_code == 0  # quit, not at the end of the test


@pytest.mark.slow
async def test_triage_j_k_scroll_the_abstract(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("T")
        await until(pilot, lambda: isinstance(app.screen, TriageScreen), "triage")
        box = app.screen.query_one("#triage-abstract-box")
        await until(pilot, lambda: box.max_scroll_y > 0, "the abstract laid out")
        await pilot.press("j", "j", "j")
        await until(pilot, lambda: box.scroll_y == 3, "three lines down")
        await pilot.press("k")
        await until(pilot, lambda: box.scroll_y == 2, "one line up")
        assert "Alpha" in triage_text(app, "header")  # scrolling went to no other paper


# ---------------------------------------------------------------- bug 9: the filter as it is typed
def error_line(app) -> str:
    line = app.screen.query_one("#filter-error", Static)
    return str(line.render()) if line.has_class("-shown") else ""


def list_titles(app) -> list[str]:
    return [p.title[:5] for p in app.screen.query_one(PaperList).rows]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("year:2023", ["Gamma"]),
        ("tag:rl", ["Beta ", "Gamma"]),
        ('"reward models"', ["Alpha", "Beta "]),
    ],
)
async def test_a_valid_query_being_typed_is_never_an_error_and_moves_nothing(lib_path, query, titles):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        papers = app.screen.query_one(PaperList)
        top = papers.region.y
        await pilot.press("slash")
        for char in query:
            await pilot.press(char)
            assert error_line(app) == "", f"an error at {char!r}"
            assert papers.region.y == top  # nothing pushed down
        await until(pilot, lambda: list_titles(app) == titles, "the list for the query")
        await pilot.press("enter")
        assert error_line(app) == ""


@pytest.mark.slow
async def test_enter_on_an_unfinished_term_says_so(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"rl year:")
        assert error_line(app) == ""
        await pilot.press("enter")
        assert "empty value for year:" in error_line(app)


@pytest.mark.slow
async def test_an_unfinished_term_filters_by_what_is_understood(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"tag:rl year:20")  # a year on its way
        await until(pilot, lambda: list_titles(app) == ["Beta ", "Gamma"], "the list for tag:rl")
        await pilot.press(*'23 "a verif')  # an unclosed quote: a phrase so far
        await until(pilot, lambda: list_titles(app) == ["Gamma"], "the list for the phrase so far")


@pytest.mark.slow
async def test_a_wrong_query_is_said_when_typing_pauses_over_the_panes(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        papers = app.screen.query_one(PaperList)
        top = papers.region.y
        await pilot.press("slash", *"tag:rl is:bogus")
        # What can be understood filters; the error comes once typing pauses.
        await until(pilot, lambda: list_titles(app) == ["Beta ", "Gamma"], "the list for tag:rl")
        await until(pilot, lambda: "unknown value for is: 'bogus'" in error_line(app), "the error after a pause")
        assert papers.region.y == top
        error = app.screen.query_one("#filter-error", Static)
        assert error.region.y == top  # over the panes' top border
        await pilot.press(*["backspace"] * 5, *"read")  # is:read: good again
        await until(pilot, lambda: error_line(app) == "", "the error gone")
        assert papers.region.y == top


@pytest.mark.slow
async def test_down_and_up_in_the_filter_move_the_list_cursor(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        papers = app.screen.query_one(PaperList)
        await pilot.press("slash", "down", "down")
        assert isinstance(app.focused, Input)  # still typing
        assert papers.current.title.startswith("Gamma")
        await pilot.press("up", *"x")
        assert app.focused.value == "x"


# ---------------------------------------------------------------- rough edges
def underlined_in_row(app, y: int) -> list[str]:
    return [seg.text for seg in app.screen.query_one(PaperList).render_line(y) if seg.style and seg.style.underline]


def underlined_in_details(app) -> set[str]:
    body = app.screen.query_one("#detail-body", Static).render()
    return {str(body)[s.start:s.end] for s in body.spans if "underline" in str(s.style)}


@pytest.mark.slow
async def test_the_filter_words_are_marked_in_the_list_and_the_details(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"REWARD -wild")
        assert underlined_in_row(app, 0) == ["Reward"]  # in "Alpha: Reward Models…", whatever the case
        # The details follow once typing pauses: in the abstract; -wild is not marked.
        await until(pilot, lambda: underlined_in_details(app) == {"reward"}, "the words marked in the details")
        await pilot.press("escape", "escape")  # the filter cleared: nothing marked
        assert underlined_in_row(app, 0) == []
        assert underlined_in_details(app) == set()


@pytest.mark.slow
async def test_notes_show_in_the_details_and_n_gives_the_editor_room(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = app.screen.query_one(NotesPane)
        assert not notes.display or notes.region.height == 0  # narrow: the details only
        await pilot.press("n")
        await until(pilot, lambda: notes.region.height >= 12 and notes.region.width == 80, "a large editor")
        await pilot.press(*"a note to see", "escape")
        await until(pilot, lambda: notes_of(lib_path, "Alpha") == "a note to see", "the save")
        body = app.screen.query_one("#detail-body", Static)
        await until(pilot, lambda: "Notes" in str(body.render()) and "a note to see" in str(body.render()),
                    "the notes in the details")
    async with make_app(lib_path).run_test(size=(120, 35)) as pilot:
        notes = pilot.app.screen.query_one(NotesPane)
        before = notes.region.size
        await pilot.press("n")
        await until(pilot, lambda: notes.region.width > before.width and notes.region.height > before.height,
                    "the editor grown")


@pytest.mark.slow
async def test_hash_lists_the_tags_with_counts_and_filters_by_the_one_picked(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("number_sign")
        await until(pilot, lambda: isinstance(app.screen, TagList), "the TagList")
        options = app.screen.query_one("#tag-options")
        await until(pilot, lambda: options.option_count == 4, "the tags listed")
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert shown == ["2  #rl", "1  #reward", "1  #rlhf", "1  #survey"]
        await pilot.press("j", "enter")  # #reward
        await until(pilot, lambda: isinstance(app.screen, MainScreen) and list_titles(app) == ["Alpha"], "the filter")
        assert app.screen.query_one("#filter", Input).value == "tag:reward"


@pytest.mark.slow
async def test_the_tag_list_is_in_the_palette(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"tags with their counts")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TagList), "the tag list from the palette")


@pytest.mark.slow
async def test_t_offers_the_library_tags_as_they_are_typed(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "j", "t")  # Delta: no tags yet
        await until(pilot, lambda: app.screen.query("#prompt-input"), "the tags prompt")
        field = app.screen.query_one("#prompt-input", Input)
        await pilot.press("s")
        await until(pilot, lambda: suggestion_of(field) == "survey", "the tag offered")
        await pilot.press("tab", *", r")
        await until(pilot, lambda: suggestion_of(field) == "survey, rl", "the most used tag first")
        await pilot.press("l", "h", "tab", "enter")
    assert next(p.tags for p in Library(lib_path).papers() if p.title.startswith("Delta")) == ["survey", "rlhf"]
