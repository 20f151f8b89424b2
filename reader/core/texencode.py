"""Unicode text to BibTeX values: what `importers.latex` decodes, encoded back.

`encode` is the one place where text becomes LaTeX: every prose value, name
part and title of a BibTeX export goes through it, so that whatever may be
written into a LaTeX file is decided here. It keeps Unicode as UTF-8 and
escapes only what LaTeX or BibTeX would read otherwise:

* `& % $ # _` as `\\&`..., and `\\ { } ~ ^` as `{\\textbackslash}`,
  `{\\textbraceleft}`... (balanced groups, so that a stray brace cannot end a
  field early);
* character pairs that LaTeX joins (`--`, `''`, ``` `` ```, `!``, `?``) are
  kept apart by `{}`;
* inline math that can only print (`latex_safe.split_math`: a small set of
  control words, balanced braces, no `% # &`, no `\\input`, `\\write` or
  `^^`) is kept as TeX, in braces so that styles do not change its case; a
  `$` that does not open such math is escaped;
* a value that is only a link is written `\\url{...}`;
* a command the decoder keeps as written goes back as that command only if
  it is in `latex_safe.ALLOWED_WORDS`; any other (`\\input`, `\\write`,
  `\\def`, a journal's macro such as `\\apj`) is written as text.

Every value passes `latex_safe.guard` last: whatever could act in a LaTeX
document is written as plain escaped text. Decoding an encoded text gives
the text back (`decode(encode(t)) == t`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

from .importers.latex import is_known_command
from .latex_safe import ALLOWED_WORDS, SPECIAL, guard, split_math

_SPECIALS = re.compile(r"[&%$#_\\{}~^]")
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=')(?=')|(?<=`)(?=`)|(?<=[!?])(?=`)")
_WORD = re.compile(r"[^\W_]+")
_LINK = re.compile(r"https?://[^\s{}\\]+")
#: Percent-encoded in verbatim values: line breaks, braces, backslashes, and
#: the first `^` of `^^` (TeX reads `^^5c` as a backslash).
_VERBATIM_BAD = re.compile(r"[\n\r\t{}\\]|\^(?=\^)")
_COMMAND = re.compile(r"\\([A-Za-z]+)")


def _escape(text: str) -> str:
    # Character pairs that LaTeX joins are kept apart by `{}`: the pieces
    # between them are escaped each on its own (a break never falls inside
    # a command's name).
    return "{}".join(map(_escape_piece, _LIGATURE.split(text)))


def _escape_piece(text: str) -> str:
    out, pos = [], 0
    # A command the decoder keeps as written goes back as that command if it
    # can only print; any other backslash is a character.
    for match in _COMMAND.finditer(text):
        name = match.group(1)
        if name not in ALLOWED_WORDS or is_known_command(name):
            continue
        out.append(_SPECIALS.sub(lambda m: SPECIAL[m.group()], text[pos : match.start()]))
        out.append(match.group())
        pos = match.end()
    out.append(_SPECIALS.sub(lambda m: SPECIAL[m.group()], text[pos:]))
    return "".join(out)


def encode(text: str, *, math: bool = True) -> str:
    """Unicode text as a BibTeX value (see the module's notes); `math=False`
    escapes every `$`."""
    if _LINK.fullmatch(text):
        return guard(r"\url{" + verbatim(text).replace("%", r"\%").replace("#", r"\#") + "}")
    pieces = split_math(text) if math else [(text, False)]
    return guard("".join("{" + p + "}" if is_math else _escape(p) for p, is_math in pieces))


def _worth_protecting(word: str) -> bool:
    if len(word) == 1:
        return word.isupper() and word != "A"
    return any(c.isupper() for c in word[1:])


def guess_spans(title: str) -> list[tuple[int, int]]:
    """For a title from a source without braces: the words whose capitals
    matter (`RLHF`, `PaccMann`, `GPT`-4, the `Q` of Q-Learning)."""
    spans = []
    for match in _WORD.finditer(title):
        inside_math = title[: match.start()].count("$") % 2 == 1
        if not inside_math and _worth_protecting(match.group()):
            spans.append(match.span())
    return spans


def encode_title(title: str, spans: Sequence[Sequence[int]] | None) -> str:
    """A title with the spans kept in their case braced (`{RL}`); spans None
    means the source said nothing about case: `guess_spans` decides."""
    if spans is None:
        spans = guess_spans(title)
    out, pos = [], 0
    for start, end in sorted((int(a), int(b)) for a, b in spans):
        if start < pos or end > len(title) or start >= end:
            continue
        out.append(encode(title[pos:start]))
        inner = encode(title[start:end])
        # A group that opens with a command is a special character to
        # BibTeX, not a protected span: `{}` first keeps it one.
        out.append("{" + ("{}" if inner.startswith("\\") else "") + inner + "}")
        pos = end
    out.append(encode(title[pos:]))
    return "".join(out)


def verbatim(value: str) -> str:
    """A URL or DOI as a BibTeX value: line breaks, braces, backslashes and
    `^^` percent-encoded, everything else (spaces too) as it is."""
    return _VERBATIM_BAD.sub(lambda m: quote(m.group()), value.strip())


def verbatim_path(value: str) -> str:
    """A file path: kept as it is, `~` included; braces, which BibTeX would
    count, and `^^` percent-encoded."""
    return re.sub(r"[{}]|\^(?=\^)", lambda m: quote(m.group()), value.strip())
