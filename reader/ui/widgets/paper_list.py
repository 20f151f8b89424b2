"""The paper list on Textual's Line API: only the visible rows are ever drawn.

A DataTable needs about a second to show 10,000 rows; this list draws the
twenty or so rows on screen, so 100,000 papers cost what 100 do.
"""

from __future__ import annotations

import textwrap
from collections.abc import Container, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.listing import byline, display_title
from ...core.marks import match_spans
from ...core.models import Paper
from ..keys import LIST_KEYS
from ..safe import NAME_CHARS, TAGS_CHARS, TITLE_CHARS, one_line

STAR = "★"

UNREAD = "●"
MARKED = "▌"
#: A PDF is kept with the paper (attached or downloaded).
PDF = "⎙"


class PaperList(ScrollView, can_focus=True):
    """The list of papers: star, read mark, title, author and year, tags."""

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--unread",
        "paper-list--read",
        "paper-list--star",
        "paper-list--mark",
        "paper-list--marked",
        "paper-list--meta",
        "paper-list--tag",
        "paper-list--match",
    }

    BINDINGS = [key.binding() for key in LIST_KEYS]

    cursor: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another paper (or the list emptied)."""

        paper: Paper | None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: Sequence[Paper] = []
        self._last_highlighted: str | None = "\0"
        self._part_styles: dict[tuple[str, Style], Style] = {}
        #: What the list says when it has no rows (wrapped to its width).
        self.empty_text = ""
        self._columns: tuple[object, Columns] | None = None
        #: The ids of the marked papers (the session's marks).
        self.marked: Container[str] = ()
        #: The filter's words, marked in the titles where they match.
        self._words: tuple[str, ...] = ()

    # ------------------------------------------------------------------ data
    @property
    def current(self) -> Paper | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor]
        return None

    def set_rows(self, rows: Sequence[Paper], keep: str | None = None) -> None:
        """Show `rows`; keep the cursor on paper `keep` if it is still listed."""
        self.rows = rows
        self._set_height(len(rows))
        index = 0
        if keep is not None:
            for i, paper in enumerate(rows):
                if paper.id == keep:
                    index = i
                    break
            else:
                index = min(self.cursor, max(len(rows) - 1, 0))
        self.cursor = index
        self.refresh()

    def _set_height(self, rows: int) -> None:
        """Set the scrollable height. The scrollbar is always shown (CSS), so a
        new height changes nothing else on the screen: no layout pass."""
        size = Size(0, rows)
        if not self.is_mounted or self.styles.overflow_y != "scroll":
            self.virtual_size = size
            return
        self.set_reactive(PaperList.virtual_size, size)
        bar = self.vertical_scrollbar
        bar.window_virtual_size = rows
        bar.window_size = self.scrollable_content_region.height
        bar.refresh()
        if self.scroll_y > self.max_scroll_y:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def rows_grew(self) -> None:
        """More rows were appended to the list being shown (a filter going on)."""
        self._set_height(len(self.rows))
        self.refresh()
        if self.current is not None and self.current.id != self._last_highlighted:
            self.cursor = self.cursor  # the first row arrived: say which it is

    def highlight(self, words: Sequence[str]) -> None:
        """Mark these (folded) words in the titles where they occur."""
        if tuple(words) != self._words:
            self._words = tuple(words)
            self.refresh()

    def refresh_paper(self, pid: str) -> None:
        """Redraw the row of one paper, if it is on screen."""
        top = int(self.scroll_offset.y)
        for y in range(top, min(top + self.size.height, len(self.rows))):
            if self.rows[y].id == pid:
                self.refresh_line(y - top)

    # ------------------------------------------------------------------ cursor
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        paper = self.current
        pid = paper.id if paper else None
        if pid != self._last_highlighted:
            self._last_highlighted = pid
            self.post_message(self.Highlighted(paper))

    def _scroll_to_cursor(self) -> None:
        height = max(self.size.height, 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.rows) - 1

    def action_page_down(self) -> None:
        self.cursor += max(self.size.height - 1, 1)

    def action_page_up(self) -> None:
        self.cursor -= max(self.size.height - 1, 1)

    def on_click(self, event: events.Click) -> None:
        self.cursor = int(self.scroll_offset.y) + event.y

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(0, len(self.rows))
        self._scroll_to_cursor()

    # ------------------------------------------------------------------ drawing
    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self.rows):
            if not self.rows and self.empty_text:
                return self._empty_line(y, width, base)
            return Strip.blank(width, base)
        paper = self.rows[index]
        highlight = index == self.cursor
        row_style = base
        if highlight:
            row_style = base + self.get_component_rich_style("paper-list--cursor")
        return Strip(self._row_segments(paper, width, row_style, highlight), width)

    def page_columns(self, width: int) -> Columns:
        """The columns of the rows on screen: the title gets the room; the
        author-and-year, notes and tags columns are there only when a row
        on screen has something to put in them, and they fit."""
        top = int(self.scroll_offset.y)
        shown = self.rows[top:top + max(self.size.height, 1)]
        key = (width, tuple(id(p) for p in shown), tuple((p.notes != "", tuple(p.tags)) for p in shown))
        if self._columns is None or self._columns[0] != key:
            self._columns = (key, columns_for(shown, width))
        return self._columns[1]

    def say_empty(self, text: str) -> None:
        if text != self.empty_text:
            self.empty_text = text
            self.refresh()

    def _empty_line(self, y: int, width: int, base: Style) -> Strip:
        """Line `y` of the empty list's text, after a blank line, wrapped."""
        lines = textwrap.wrap(one_line(self.empty_text), max(width - 4, 8))
        text = lines[y - 1] if 1 <= y <= len(lines) else ""
        return Strip([Segment(fit(f"  {text}", width), base + self.part_style("paper-list--meta", base))], width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._part_styles.clear()  # a new theme, or new styles

    def part_style(self, name: str, row: Style) -> Style:
        """`row` with the component class `name` on top: its colour resolved on
        the row's own background (a theme's `$text-muted` is "auto 60%", which
        a partial style would turn into white), plus its text style."""
        key = (name, row)
        if key not in self._part_styles:
            styles = self.get_component_styles(name)
            style = row + self.get_component_rich_style(name, partial=True).without_color
            color = styles.color
            if styles.has_rule("color") and row.bgcolor is not None:
                background = Color.from_rich_color(row.bgcolor)
                if styles.auto_color:
                    color = background.get_contrast_text(color.a)
                if color.a < 1:
                    color = background + color
                style += Style(color=color.rich_color)
            elif styles.has_rule("color"):
                style += Style(color=color.rich_color)
            self._part_styles[key] = style
        return self._part_styles[key]

    def _row_segments(self, paper: Paper, width: int, row: Style, highlight: bool = False) -> list[Segment]:
        def style(name: str, row: Style) -> Style:
            # The cursor's row in one colour, readable on the cursor's background.
            return row + self.part_style(name, row).without_color if highlight else self.part_style(name, row)

        title_style = style("paper-list--read" if paper.read else "paper-list--unread", row)
        marked = paper.id in self.marked
        segments = [
            Segment(MARKED if marked else " ", style("paper-list--marked", row) if marked else row),
            Segment(STAR if paper.starred else " ", style("paper-list--star", row)),
            Segment(PDF, style("paper-list--meta", row)) if paper.extra.get("file") else Segment(" ", row),
            Segment(" " if paper.read else UNREAD, style("paper-list--mark", row)),
            Segment(" ", row),
        ]
        cols = self.page_columns(width)
        if cols.notes:
            segments.append(Segment(NOTES if paper.notes.strip() else " ", style("paper-list--mark", row)))
            segments.append(Segment(" ", row))
        title_width = max(width - MARKS - cols.notes - cols.meta - cols.tags, 1)
        title = fit(one_line(display_title(paper), TITLE_CHARS), title_width - 1) + " "
        segments.extend(with_words_marked(title, title_style, style("paper-list--match", row), self._words))
        if cols.meta:
            meta = fit_byline(paper, cols.meta - 1)
            segments.append(Segment(meta.rjust(cols.meta - 1) + " ", style("paper-list--meta", row)))
        if cols.tags:
            tags = one_line(tags_text(paper), TAGS_CHARS)
            segments.append(Segment(fit(tags, cols.tags - 1) + " ", style("paper-list--tag", row)))
        return segments


#: Cells before the title: the marked, star, PDF and unread marks, a space.
MARKS = 5
#: The has-notes mark.
NOTES = "✎"
#: Cells the title keeps before the author-and-year column is shown, and
#: before the tags column is.
TITLE_BEFORE_META, TITLE_BEFORE_TAGS = 40, 56


@dataclass(frozen=True)
class Columns:
    """Widths of the optional columns (0: not shown)."""

    notes: int = 0
    meta: int = 0
    tags: int = 0


def tags_text(paper: Paper) -> str:
    return " ".join(f"#{t}" for t in paper.tags)


def columns_for(papers: Sequence[Paper], width: int) -> Columns:
    """The columns for `papers` in a list `width` cells wide."""
    notes = 2 if any(p.notes.strip() for p in papers) else 0
    room = width - MARKS - notes
    meta = 0
    bylines = [cell_len(fit_byline(p, META_WIDTH - 1)) for p in papers if p.authors or p.year]
    if bylines and room - (max(bylines) + 1) >= TITLE_BEFORE_META:
        meta = max(bylines) + 1
    tags = 0
    tag_lengths = [cell_len(one_line(tags_text(p), TAGS_CHARS)) for p in papers if p.tags]
    if tag_lengths:
        wanted = min(max(tag_lengths), TAGS_WIDTH - 1) + 1
        if room - meta - wanted >= TITLE_BEFORE_TAGS:
            tags = wanted
    return Columns(notes, meta, tags)


#: The most cells the author-and-year and the tags columns take.
META_WIDTH, TAGS_WIDTH = 24, 18


def with_words_marked(text: str, style: Style, mark: Style, words: Sequence[str]) -> list[Segment]:
    """`text` in `style`, with the places where `words` match in `mark`."""
    segments = []
    at = 0
    for start, end in match_spans(text, words) if words else ():
        if start > at:
            segments.append(Segment(text[at:start], style))
        segments.append(Segment(text[start:end], mark))
        at = end
    if at < len(text):
        segments.append(Segment(text[at:], style))
    return segments


def fit(text: str, width: int) -> str:
    """`text` cut with an ellipsis or padded to exactly `width` cells."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def fit_byline(paper: Paper, width: int) -> str:
    """"Christiano et al. 2017" in `width` cells: the name gives way, not the year."""
    year = str(paper.year) if paper.year else ""
    name = one_line(byline(paper).removesuffix(year).strip(), NAME_CHARS)
    if not name:
        return year
    room = width - (len(year) + 1 if year else 0)
    if cell_len(name) > room:
        name = set_cell_size(name, max(room - 1, 0)) + "…" if room > 1 else ""
    return f"{name} {year}".strip()
