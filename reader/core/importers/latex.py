"""LaTeX in BibTeX values to Unicode text: `M{\\"u}ller` -> `Müller`.

Math (`$...$`) is kept as written: the display converts it. Decoding never
fails: on input that pylatexenc cannot take, braces are dropped and the text
is otherwise kept. `\\LaTeX` reads "LaTeX"; `\\ifmmode A\\else B\\fi` takes
the text branch B; `\\url{...}` keeps its argument as written.

Three kinds of value:

* prose (`decode`): LaTeX to Unicode;
* a title (`decode_title`): the same, and the spans that braces keep in their
  case (`{RL}`, `{{Whole Phrase}}`), so that an export braces them again;
* verbatim values (`unescape_verbatim`: url, doi, file, eprint): never decoded,
  only the escapes that stand for one literal character (`\\%`, `\\_`, `\\~{}`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pylatexenc.latex2text import (
    LatexNodes2Text,
    MacroTextSpec,
    get_default_latex_context_db,
)

from ..text import strip_controls

# In a BibTeX value a bare % or & is the character itself, not a LaTeX comment
# or an alignment tab.
_BARE_SPECIAL = re.compile(r"(?<!\\)([%&])")
_BRACES = re.compile(r"(?<!\\)[{}]")
# Characters that can make text mean something else to LaTeX.
_MARKUP = re.compile(r"[\\{}~`'!?-]")
_IFMMODE = re.compile(r"\\ifmmode\b(.*?)\\else\b\s*(.*?)\\fi\b(?:\{\})?", re.S)
# `\^{}` and `\~{}` are the characters ^ and ~, not accents on nothing.
_EMPTY_ACCENT = {r"\^{}": r"\textasciicircum{}", r"\~{}": r"\textasciitilde{}"}
_EMPTY_ACCENT_RE = re.compile(r"\\\^\{\}|\\~\{\}")
_VERBATIM_ESCAPE = re.compile(
    r"\\~\{\}|\{\\textasciitilde\}|\\textasciitilde(?:\{\})?|\\([_%&#$~])"
    r"|\{\\text(backslash|asciicircum|braceleft|braceright)\}"
)
#: What `latex_safe.escape` writes for a character, in a verbatim field that
#: had to be written as escaped text.
_VERBATIM_WORDS = {"backslash": "\\", "asciicircum": "^", "braceleft": "{", "braceright": "}"}
_WORDS = {
    "LaTeX": "LaTeX", "TeX": "TeX", "LaTeXe": "LaTeX2e", "BibTeX": "BibTeX",
    "textasciicircum": "^", "textasciitilde": "~", "textbraceleft": "{",
    "textbraceright": "}", "textbackslash": "\\",
}
_SPACE = re.compile(r"\s+")


def _verbatim_argument(node: Any, **_: Any) -> str:
    """The argument of `\\url{...}` as written, its one-character escapes undone."""
    args = node.nodeargd.argnlist if node.nodeargd is not None else []
    if not args or args[0] is None:
        return ""
    text = args[0].latex_verbatim()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    return unescape_verbatim(text)


def _unknown_macro(node: Any, l2tobj: Any) -> str:
    """A command pylatexenc does not know (`\\apj`, a journal's macro in ADS
    exports) is kept as written, not dropped; one that takes arguments
    (`\\vphantom{x}`) gives their text."""
    args = [a for a in (node.nodeargd.argnlist if node.nodeargd is not None else []) if a]
    if args:
        return l2tobj.nodelist_to_text(args)
    return "\\" + node.macroname + (getattr(node, "macro_post_space", "") or "")


@lru_cache(maxsize=1)
def _context() -> Any:
    context = get_default_latex_context_db()
    macros = [MacroTextSpec(name, simplify_repl=text) for name, text in _WORDS.items()]
    macros += [
        MacroTextSpec("url", simplify_repl=_verbatim_argument),
        MacroTextSpec("mbox", simplify_repl="%s"),
    ]
    context.add_context_category("reader", prepend=True, macros=macros)
    context.set_unknown_macro_spec(MacroTextSpec("", simplify_repl=_unknown_macro))
    return context


def is_known_command(name: str) -> bool:
    """Whether decoding turns `\\name` into text (else it is kept as written)."""
    context = _context()
    spec = context.get_macro_spec(name)
    return spec is not None and spec is not context.unknown_macro_spec


@lru_cache(maxsize=1)
def _decoder() -> LatexNodes2Text:
    return LatexNodes2Text(
        latex_context=_context(), math_mode="verbatim", keep_braced_groups=False
    )


def strip_braces(text: str) -> str:
    """`{BERT}: {P}re-training` -> `BERT: Pre-training` (escaped braces kept)."""
    return _BRACES.sub("", text)


def _prepare(text: str) -> str:
    text = _IFMMODE.sub(lambda m: m.group(2), text) if "\\ifmmode" in text else text
    text = _EMPTY_ACCENT_RE.sub(lambda m: _EMPTY_ACCENT[m.group()], text)
    return _BARE_SPECIAL.sub(r"\\\1", text)


def decode(text: str) -> str:
    """LaTeX to Unicode text; math kept verbatim, braces dropped."""
    if not text:
        return ""
    if not _MARKUP.search(text):
        return text
    try:
        return _decoder().latex_to_text(_prepare(text))
    except Exception:  # pylatexenc on input it cannot take (RecursionError included)
        return strip_braces(text)


def unescape_verbatim(value: str) -> str:
    """A verbatim field (url, doi, file, eprint) as the text it stands for:
    `\\%`, `\\_`, `\\#`, `\\&`, `\\$` and `\\~{}` are their one character;
    `\\url{...}` around the whole is dropped, and so are braces;
    `{\\textbackslash}` and its kin (what a value written as escaped text
    holds) are their character."""
    value = value.strip().replace("\0", "")
    if value.startswith("\\url{") and value.endswith("}"):
        value = value[5:-1]
    marked = _VERBATIM_ESCAPE.sub(
        lambda m: m.group(1) or ("\0" + m.group(2) + "\0" if m.group(2) else "~"), value
    )
    if "\0" not in marked:
        return strip_braces(marked).strip()
    # Braces and backslashes written as words are characters, not groups.
    pieces = marked.split("\0")
    return "".join(
        _VERBATIM_WORDS[piece] if n % 2 else strip_braces(piece) for n, piece in enumerate(pieces)
    ).strip()


# ------------------------------------------------------------------ titles
def _segments(raw: str) -> list[tuple[str, bool]]:
    """`A {RL} of {\\"O}` -> [("A ", False), ("RL", True), (" of {\\"O}", False)].

    A brace group at the top level protects its case unless it opens with a
    command (`{\\"O}`, `{\\textbackslash}`: one special character, as in
    BibTeX), is only math, or is the argument of a command (`\\emph{...}`).
    """
    if "{" not in raw and "\\" not in raw:
        return [(raw, False)] if raw else []  # nothing protected, nothing to skip
    out: list[tuple[str, bool]] = []
    plain_start = i = 0
    n = len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\\":
            i += 2
            while i < n and raw[i - 1].isalpha() and raw[i].isalpha():
                i += 1
            # The command's brace arguments stay with it.
            while i < n and raw[i] == "{":
                i = _group_end(raw, i)
            continue
        if ch == "$":
            close = raw.find("$", i + 1)
            i = close + 1 if close > 0 else i + 1  # math is never a protected span
            continue
        if ch != "{":
            i += 1
            continue
        end = _group_end(raw, i)
        inner = raw[i + 1 : end - 1] if end - 1 > i else raw[i + 1 :]
        math = inner.startswith("$") and inner.endswith("$") and inner.count("$") == 2
        if inner.startswith("\\") or math or not inner.strip():
            i = end
            continue
        out.append((raw[plain_start:i], False))
        out.append((inner, True))
        plain_start = i = end
    out.append((raw[plain_start:], False))
    return [(text, protected) for text, protected in out if text]


def _group_end(raw: str, start: int) -> int:
    """The index after the brace that closes the group opened at `start`."""
    depth = 0
    i = start
    while i < len(raw):
        ch = raw[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(raw)


def decode_title(raw: str) -> tuple[str, list[tuple[int, int]]]:
    """A title's text and the (start, end) spans of it kept in their case."""
    text = ""
    spans: list[tuple[int, int]] = []
    for segment, protected in _segments(raw):
        piece = _SPACE.sub(" ", strip_controls(decode(segment)))
        if text.endswith(" ") or not text:
            piece = piece.lstrip(" ")
        if not piece:
            continue
        if protected:
            body = piece.rstrip(" ")
            if body:
                spans.append((len(text), len(text) + len(body)))
        text += piece
    stripped = text.rstrip(" ")
    return stripped, [(a, min(b, len(stripped))) for a, b in spans if a < len(stripped)]
