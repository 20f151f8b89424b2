"""The paper list is readable in every built-in theme: every text stands out
from its background, unread titles stand out, read ones recede."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from textual.color import Color

from reader.core.library import Library
from reader.core.models import Paper
from reader.ui.app import create_app
from reader.ui.widgets.paper_list import PaperList

#: WCAG's least contrast for large text; the muted text of a theme is meant to
#: be quieter than body text, never unreadable.
READABLE = 3.0


def contrast(segment: Segment) -> float:
    """WCAG contrast ratio of a segment's text on its background."""
    assert segment.style is not None and segment.style.color and segment.style.bgcolor

    def luminance(color: Color) -> float:
        def channel(value: int) -> float:
            v = value / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)

    fg = luminance(Color.from_rich_color(segment.style.color))
    bg = luminance(Color.from_rich_color(segment.style.bgcolor))
    return (max(fg, bg) + 0.05) / (min(fg, bg) + 0.05)


@pytest.mark.slow
async def test_every_text_readable_and_read_recedes_in_every_theme(db):
    Library(db).add_papers([
        Paper(id="", title="Cursor row paper", authors=["Ann Lee"], year=2020),
        Paper(id="", title="Already read paper", authors=["Bo Chen"], year=2021, read=True,
              starred=True, tags=["rl"]),
        Paper(id="", title="Still unread paper", authors=["Cy Diaz"], year=2022, tags=["rl"]),
    ])
    app = create_app(Library(db), use_settings=False)
    async with app.run_test(size=(140, 20)) as pilot:
        plist = app.screen.query_one(PaperList)
        themes = sorted(t for t in app.available_themes if not t.startswith("textual-ansi") and "ansi" not in t)
        assert "textual-light" in themes and "textual-dark" in themes
        for theme in themes:
            app.theme = theme
            await pilot.pause()
            titles: dict[str, float] = {}
            for y in range(3):
                for segment in plist.render_line(y):
                    if not segment.text.strip():
                        continue
                    ratio = contrast(segment)
                    assert ratio >= READABLE, f"{theme}: {segment.text.strip()!r} at {ratio:.1f}"
                    if segment.text.strip().endswith("paper"):
                        titles[segment.text.strip()] = ratio
            assert titles["Still unread paper"] > titles["Already read paper"], theme
