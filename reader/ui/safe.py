"""Untrusted text made safe to draw: no markup, no escapes, no reordering."""

from __future__ import annotations

import re

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from ..core.text import tex_to_plain

# Anything that moves the cursor, rings a bell, starts an escape sequence or
# reorders text on screen.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# The same with tab and newline, for what is about to be written to the terminal.
_UNSAFE_ON_SCREEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_BREAKS = re.compile(r"[\t\n\r\u2028\u2029]+")
MAX_CHARS = 2000
MAX_LINK = 2000
# How much of a field is kept on one line (more never fits on a screen).
TITLE_CHARS = 400
AUTHORS_CHARS = 600
BYLINE_CHARS = 200
NAME_CHARS = 80
VENUE_CHARS = 200
TAGS_CHARS = 400
ID_CHARS = 300
QUERY_CHARS = 60
MESSAGE_CHARS = 500
STATUS_MESSAGE_CHARS = 120
PROMPT_TITLE_CHARS = 60


def one_line(text: str, limit: int = MAX_CHARS) -> str:
    """A single line of plain text for the list, titles and messages."""
    text = _BREAKS.sub(" ", text[: limit * 2])
    text = _UNSAFE.sub("\ufffd", text)
    text = tex_to_plain(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def block(text: str) -> str:
    """Multi-line plain text (abstracts, notes) with line breaks kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _UNSAFE.sub("\ufffd", text)


def safe_link(url: str) -> str:
    """`url` if it may be a terminal hyperlink (OSC 8), else "".

    Only plain http(s) URLs: no spaces, no control or bidi characters (an ESC
    or BEL would end the hyperlink sequence early and start one of its own).
    """
    if not url.startswith(("http://", "https://")) or len(url) > MAX_LINK:
        return ""
    if not url.isprintable() or " " in url or _UNSAFE_ON_SCREEN.search(url):
        return ""
    return url


class ControlCharacterFilter(LineFilter):
    """The last guard before the terminal: whatever widget drew a line (the
    notes editor, an input, a notification), no control character, escape
    sequence or bidi override in it reaches the terminal, and no hyperlink
    that is not a plain http(s) URL.

    These characters are zero cells wide, so dropping them changes no layout.
    """

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        clean: list[Segment] | None = None
        for index, segment in enumerate(segments):
            text, style, control = segment
            link = style.link if style is not None else None
            bad_text = control is None and _UNSAFE_ON_SCREEN.search(text) is not None
            bad_link = bool(link) and not safe_link(link or "")
            if not (bad_text or bad_link):
                if clean is not None:
                    clean.append(segment)
                continue
            if clean is None:
                clean = segments[:index]
            if bad_text:
                text = _UNSAFE_ON_SCREEN.sub("", text)
            if bad_link and style is not None:
                style = style.update_link(None)
            clean.append(Segment(text, style, control))
        return segments if clean is None else clean
