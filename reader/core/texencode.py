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
* inline math (`$...$` with balanced braces and no `% # &`) is kept as TeX,
  in braces so that styles do not change its case;
* a value that is only a link is written `\\url{...}`;
* a command the decoder keeps as written (`\\apj`, a journal's macro) goes
  back as that command, unless it is one that acts on files or definitions.

Decoding an encoded text gives the text back (`decode(encode(t)) == t`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

from .importers.latex import is_known_command

_SPECIAL = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "\\": r"{\textbackslash}",
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
}
_MATH = re.compile(r"\$[^$]+\$")
_SPECIALS = re.compile(r"[&%$#_\\{}~^]")
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=')(?=')|(?<=`)(?=`)|(?<=[!?])(?=`)")
_WORD = re.compile(r"[^\W_]+")
_LINK = re.compile(r"https?://[^\s{}\\]+")
_VERBATIM_BAD = re.compile(r"[\n\r\t{}\\]")


def _math_ok(math: str) -> bool:
    inner = math[1:-1]
    if not inner.strip() or inner.endswith("\\") or any(c in inner for c in "%#&"):
        return False
    depth = 0
    for char in inner:
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
    return depth == 0


#: TeX primitives and commands that act on files, definitions or the run:
#: never written as commands, whatever the text says.
_NEVER = frozenset(
    "write immediate openout openin closeout closein read input include def edef "
    "gdef xdef let catcode csname endcsname expandafter newcommand renewcommand "
    "providecommand usepackage special shipout jobname endinput end dump "
    "scantokens makeatletter makeatother uppercase lowercase".split()
)
_COMMAND = re.compile(r"\\([A-Za-z]+)")


def _escape(text: str) -> str:
    text = _LIGATURE.sub("{}", text)
    out, pos = [], 0
    # A command the decoder keeps as written (a journal's macro such as
    # `\\apj`) goes back as that command; any other backslash is a character.
    for match in _COMMAND.finditer(text):
        name = match.group(1)
        if name in _NEVER or is_known_command(name):
            continue
        out.append(_SPECIALS.sub(lambda m: _SPECIAL[m.group()], text[pos : match.start()]))
        out.append(match.group())
        pos = match.end()
    out.append(_SPECIALS.sub(lambda m: _SPECIAL[m.group()], text[pos:]))
    return "".join(out)


def encode(text: str) -> str:
    """Unicode text as a BibTeX value (see the module's notes)."""
    if _LINK.fullmatch(text):
        return r"\url{" + verbatim(text).replace("%", r"\%").replace("#", r"\#") + "}"
    out, pos = [], 0
    for match in _MATH.finditer(text):
        if _math_ok(match.group()):
            out.append(_escape(text[pos : match.start()]))
            out.append("{" + match.group() + "}")
            pos = match.end()
    out.append(_escape(text[pos:]))
    return "".join(out)


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
    """A URL or DOI as a BibTeX value: line breaks, braces and backslashes
    percent-encoded, everything else (spaces too) as it is."""
    return _VERBATIM_BAD.sub(lambda m: quote(m.group()), value.strip())


def verbatim_path(value: str) -> str:
    """A file path: kept as it is, `~` included; braces, which BibTeX would
    count, percent-encoded."""
    return re.sub(r"[{}]", lambda m: quote(m.group()), value.strip())
