"""Untrusted text is drawn literally and never breaks the screen.

The papers below are written straight into the library (not through an
importer, whose cleaning would remove most of this), so the app itself has to
cope with markup, escapes, bells, bidi overrides, zero-width characters,
endless words and 10,000-character titles in every field it shows: the list,
the detail pane, the tags prompt, the citation chooser, the help screen, the
command palette, triage and notifications.

What the user sees is checked on the composed screen (`render_strips`, the
lines the terminal is sent): markup shows literally, and no ESC, BEL or bidi
override, and no hyperlink that is not a plain http(s) URL, ever reaches it.
"""

from __future__ import annotations

import pytest
from rich.segment import Segment
from textual.geometry import Region
from textual.widgets import Input, Static

from helpers.papers import copies
from reader.core.library import Library
from reader.core.models import Paper
from reader.ui.app import create_app
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen
from reader.ui.screens.prompts import CiteChooser, TextPrompt
from reader.ui.screens.triage import TriageScreen
from reader.ui.widgets.detail import DetailPane
from reader.ui.widgets.paper_list import PaperList
from reader.ui.widgets.status import StatusLine
from textual_probes import notifications, screen_strips

SIZE = (100, 30)

ESC = "\x1b"
BEL = "\x07"
#: What must never reach the screen: escapes, bells, backspace, carriage
#: returns, and the bidi controls that reorder what is drawn around them.
FORBIDDEN = [ESC, BEL, "\x08", "\r", "\x9b", "\u202e", "\u202d", "\u2066", "\u2067"]

MARKUP = "[bold]Bold[/] [link=https://x.invalid]link[/link] [@click=app.quit]quit[/] [/]"
OSC52 = "\x1b]52;c;cHduZWQ=\x07"  # "set the clipboard to 'pwned'"
LONG_WORD = "W" * 5000
HUGE_TITLE = " ".join(f"word{i}" for i in range(2000))[:10_000]

HOSTILE = [
    Paper(
        id="markup", title=MARKUP,
        authors=["[red]Ann[/red] Lee", "[@click=app.quit]Bo[/] Chen", "Cy Diaz"],
        year=2024, venue="[b]Venue[/b]",
        abstract=f"Abstract with {MARKUP} and [red]red[/red].",
        tags=["[tag]", "[/]"], notes="[/notes] [@click=app.quit]",
        url="https://x.invalid/[bold]",
    ),
    Paper(
        id="escapes", title=f"Escapes \x1b[31mred\x1b[0m {OSC52} bell{BEL}{BEL} back\x08space",
        authors=["\x1b[2JClear Screen", f"Bell{BEL} Ringer"],
        abstract=f"Colour \x1b[31mred\x1b[0m, clipboard {OSC52}, bell {BEL}, CSI \x9b31m.",
        tags=["\x1b[31m", "bell\x07"], notes=f"notes {OSC52} {BEL}",
        url="https://x.invalid/\x1b]8;;https://evil.invalid\x07here",
    ),
    Paper(
        id="bidi", title="Right\u202eto-left override \u2066isolate\u2069 zero\u200bwidth\u200b join",
        authors=["\u202eNamor Rohtua"], abstract="Text \u202ereversed\u202c and zero\u200bwidth.",
        tags=["rtl\u202e"],
    ),
    Paper(id="longword", title=f"Long word {LONG_WORD}", authors=[LONG_WORD],
          abstract=f"An abstract with a {LONG_WORD} in it.", notes=LONG_WORD),
    Paper(id="huge", title=HUGE_TITLE, abstract=("line " * 400 + "\n") * 10),
    Paper(
        id="lines", title="First line\nsecond line\r\nthird\u2028fourth\tfifth",
        authors=["Name\nWith Newline"], abstract="Para one.\r\n\r\nPara two.\rPara three.",
    ),
    Paper(id="[@click=app.quit]", title="Hostile id", doi="10.1/[bold]\x1b[31m",
          arxiv_id="2401.00001\x07", code_url="javascript:alert(1)"),
]


def hostile_papers() -> list[Paper]:
    return copies(HOSTILE)


@pytest.fixture
def hostile_db(db):
    result = Library(db).add_papers(hostile_papers(), backup=False)
    assert len(result.added) == len(HOSTILE)
    return db


def screen_lines(app) -> list[str]:
    """The text of every line of the composed screen, as the terminal gets it."""
    return [strip.text for strip in screen_strips(app)]


def screen_segments(app) -> list[Segment]:
    return [seg for strip in screen_strips(app) for seg in strip]


def assert_screen_is_clean(app, where: str) -> None:
    text = "\n".join(screen_lines(app))
    for char in FORBIDDEN:
        assert char not in text, f"{char!r} reached the screen ({where})"
    for seg in screen_segments(app):
        link = seg.style.link if seg.style else None
        if link:
            assert link.startswith(("http://", "https://")), f"link {link!r} ({where})"
            assert link.isprintable() and " " not in link, f"link {link!r} ({where})"


def list_lines(app) -> list[str]:
    plist = app.screen.query_one(PaperList)
    return [plist.render_line(y).text for y in range(plist.size.height)]


def detail_lines(app) -> list[str]:
    """Every line of the detail pane's content, scrolled into view or not."""
    lines: list[str] = []
    for part in app.screen.query_one(DetailPane).query(Static):
        lines += [strip.text for strip in part.render_lines(Region(0, 0, *part.size))]
    return lines


@pytest.mark.slow
async def test_every_hostile_paper_shows_literally_in_the_list_and_details(hostile_db):
    app = create_app(Library(hostile_db), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        plist = app.screen.query_one(PaperList)
        assert len(plist.rows) == len(HOSTILE)
        seen: set[str] = set()
        for _ in range(len(HOSTILE)):
            await pilot.pause()
            paper = plist.current
            seen.add(paper.id)
            for line in list_lines(app):
                for char in FORBIDDEN:
                    assert char not in line, f"{char!r} in the list row of {paper.id}"
            for line in detail_lines(app):
                for char in FORBIDDEN:
                    assert char not in line, f"{char!r} in the details of {paper.id}"
            assert_screen_is_clean(app, f"list and details of {paper.id}")
            await pilot.press("enter")  # into the detail pane, scroll it, back
            assert isinstance(app.focused, DetailPane)
            await pilot.press("end", "escape")
            await pilot.press("j")
        assert seen == {p.id for p in HOSTILE}
        assert app.is_running

        # Markup is shown as written, in the list and in the details.
        await pilot.press("g")
        await pilot.pause()
        markup_row = next(
            line for line in list_lines(app) if "[bold]Bold[/]" in line
        )
        # (the has-notes mark takes two cells: the title is cut after "[/")
        assert "[link=https://x.invalid]link[/" in markup_row
        shown = "\n".join(detail_lines(app))
        for piece in ("[bold]Bold[/]", "[@click=app.quit]quit[/]", "[red]Ann[/red] Lee", "[b]Venue[/b]",
                      "#[tag]", "[red]red[/red]"):
            assert piece in shown, piece


@pytest.mark.slow
async def test_hostile_text_in_prompts_help_palette_triage_and_notifications(hostile_db):
    app = create_app(Library(hostile_db), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        plist = app.screen.query_one(PaperList)
        for index in range(len(HOSTILE)):
            plist.cursor = index
            await pilot.pause()
            pid = plist.current.id

            await pilot.press("t")  # the tags prompt: the title and the tags
            assert isinstance(app.screen, TextPrompt)
            await pilot.pause()
            assert_screen_is_clean(app, f"tags prompt of {pid}")
            await pilot.press("escape")

            await pilot.press("C")  # the citation chooser with its previews
            assert isinstance(app.screen, CiteChooser)
            await pilot.pause()
            assert_screen_is_clean(app, f"citation chooser of {pid}")
            await pilot.press("escape")

            await pilot.press("c")  # copy: a notification naming the paper
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert_screen_is_clean(app, f"copy notification of {pid}")
            assert isinstance(app.screen, MainScreen)

        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        assert_screen_is_clean(app, "help")
        await pilot.press("escape")

        await pilot.press("ctrl+p")
        await pilot.pause()
        palette_input = app.screen.query_one(Input)
        palette_input.value = f"[bold]{BEL}[@click=app.quit"  # as if pasted
        await pilot.press(*"]", *"[/")
        await pilot.pause(0.3)
        assert_screen_is_clean(app, "command palette")
        assert palette_input.value == f"[bold]{BEL}[@click=app.quit][/"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

        await pilot.press("T")  # triage: every hostile paper, one at a time
        assert isinstance(app.screen, TriageScreen)
        for _ in range(len(HOSTILE)):
            await pilot.pause()
            assert_screen_is_clean(app, "triage")
            await pilot.press("space")
        await pilot.press("u", "escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

        # Delete the worst three: each message names the title, literally.
        said = []
        for pid in ("markup", "escapes", "bidi"):
            plist.cursor = [p.id for p in plist.rows].index(pid)
            await pilot.press("d")
            await pilot.pause()
            assert_screen_is_clean(app, f"delete message of {pid}")
            said.append(app.screen.query_one(StatusLine).message)
        assert len(plist.rows) == len(HOSTILE) - 3
        notices = said + [n.message for n in notifications(app)]
        assert said[0].startswith("Deleted “[bold]Bold[/] [link=https://x.invalid]link[/link]")
        for message in notices:
            for char in FORBIDDEN:
                assert char not in message
        await pilot.press("u", "u", "u")
        await pilot.pause()
        assert len(plist.rows) == len(HOSTILE)
        assert app.is_running
    assert app.return_code in (0, None)
    # Nothing was changed by looking: the library still has every paper as written.
    again = Library(hostile_db)
    assert {p.id for p in again.papers()} == {p.id for p in HOSTILE}
    assert again.require("markup").title == MARKUP
    assert again.require("escapes").notes == f"notes {OSC52} {BEL}"


@pytest.mark.slow
async def test_hostile_tags_and_notes_are_edited_literally(hostile_db):
    app = create_app(Library(hostile_db), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        prompt = app.screen.query_one("#prompt-input", Input)
        assert prompt.value == "[tag], [/]"
        await pilot.press("end", *", [@click=app.quit]", "enter")
        await pilot.pause()
        assert app.is_running
        assert "#[tag] #[/] #[@click=app.quit]" in "\n".join(detail_lines(app))

        plist = app.screen.query_one(PaperList)
        plist.cursor = [p.id for p in plist.rows].index("escapes")
        await pilot.pause()
        assert_screen_is_clean(app, "notes pane with escapes")
        await pilot.press("n", "end", *" [bold]more[/]", "escape")
        await pilot.pause()
        assert_screen_is_clean(app, "notes pane after editing")
    library = Library(hostile_db)
    assert library.require("markup").tags == ["[tag]", "[/]", "[@click=app.quit]"]
    assert library.require("escapes").notes == f"notes {OSC52} {BEL} [bold]more[/]"


def test_the_last_filter_drops_what_no_widget_may_send_to_the_terminal():
    from rich.style import Style
    from textual.color import Color

    from reader.ui.safe import ControlCharacterFilter, safe_link

    segments = [
        Segment("plain [bold] text", Style(bold=True)),
        Segment(f"a{ESC}]52;c;cHduZWQ={BEL}b\u202ec\u200bd\t", None),
        Segment("link", Style(link=f"https://x.invalid/{ESC}]8;;{BEL}")),
        Segment("good link", Style(link="https://example.org/a?b=c")),
    ]
    out = ControlCharacterFilter().apply(segments, Color(0, 0, 0))
    assert out[0] is segments[0]  # untouched when clean
    assert out[1].text == "a]52;c;cHduZWQ=bc\u200bd"  # zero width: the layout is unchanged
    assert out[2].style.link is None
    assert out[3].style.link == "https://example.org/a?b=c"
    for bad in ("javascript:alert(1)", "https://x.invalid/a b", f"https://x{BEL}", "file:///etc/passwd",
                "https://x.invalid/\u202e"):
        assert safe_link(bad) == ""
    assert safe_link("http://arxiv.org/abs/2203.02155") == "http://arxiv.org/abs/2203.02155"
