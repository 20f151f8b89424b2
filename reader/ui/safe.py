"""Untrusted text made safe to draw: no markup, no escapes, no reordering."""

from __future__ import annotations

import re

from rich.text import Text

from ..core.text import tex_to_plain

# Anything that moves the cursor, rings a bell, starts an escape sequence or
# reorders text on screen.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_BREAKS = re.compile(r"[\t\n\r\u2028\u2029]+")
MAX_CHARS = 2000


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


def plain(text: str, style: str = "") -> Text:
    """A Rich Text that shows `text` literally: `[bold]` stays `[bold]`."""
    return Text(one_line(text), style=style, no_wrap=False)
