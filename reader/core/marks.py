"""Where the words of a query occur in a text, for views that mark them."""

from __future__ import annotations

from collections.abc import Sequence

from .text import fold


def match_spans(text: str, needles: Sequence[str]) -> list[tuple[int, int]]:
    """Where the folded `needles` occur in `text`, as sorted, merged (start,
    end) indexes into `text`: folded as words are searched (case, accents,
    runs of white space), so what matched is what is marked."""
    needles = [n for n in needles if n]
    if not needles or not text:
        return []
    origin: Sequence[int]
    if text.isascii() and "  " not in text and text.isprintable():
        hay, origin = text.lower(), range(len(text))  # the common case, index for index
    else:
        hay, origin = _folded(text)
    spans: list[tuple[int, int]] = []
    for needle in needles:
        start = hay.find(needle)
        while start >= 0:
            end = start + len(needle)
            spans.append((origin[start], origin[end - 1] + 1))
            start = hay.find(needle, end)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _folded(text: str) -> tuple[str, list[int]]:
    """`text` folded as words are searched, and for every character of it
    the index in `text` of the character it came from."""
    folded: list[str] = []
    origin: list[int] = []
    space = False
    for index, char in enumerate(text):
        if char.isspace():
            if space:
                continue
            space, part = True, " "
        else:
            space, part = False, fold(char)
        folded.append(part)
        origin.extend([index] * len(part))
    return "".join(folded), origin
