"""LaTeX that can only print: what text from outside may become in a BibTeX value.

A BibTeX file ends up inside other people's LaTeX documents, and TeX is a
programming language: `\\input` reads a file into the PDF, `\\openout` and
`\\write` write files beside the document, `\\write18` runs a program. A title
from a stranger's file must print, never run. So, in a value reader writes:

* Inline math (`$...$`) is kept as math only when everything in it is in a
  small set: letters, digits, punctuation, sub- and superscripts, braces that
  balance, and the control words of `MATH_WORDS` (Greek letters, symbols,
  accents, font switches). No `%` (a comment that would eat the closing
  brace), `#` (a macro parameter), `&` (an alignment tab), and no `^^`:
  TeX reads `^^5c` as a backslash, so `^^5cinput` would be `\\input`.
* A `$` opens math only where a writer of TeX would open it: followed by a
  character that is not a space, and closed by the next `$`, which follows a
  character that is not a space and is not followed by a digit (the rule
  pandoc uses). `Price $5 and $10` is text: both dollars are escaped.
* Everything else is text: the characters special to TeX are escaped
  (`SPECIAL`), so that `$\\input{/etc/passwd}$` prints as written.

`offences` lists whatever in a finished value is outside the allowed set
(`ALLOWED_WORDS`, `ALLOWED_SYMBOLS`, no `^^`, balanced braces, no control
characters); `guard` is the writer's last step: a value with any offence is
written as plain escaped text instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .text import UNSAFE_CHAR, strip_controls

__all__ = [
    "ALLOWED_SYMBOLS",
    "ALLOWED_WORDS",
    "MATH_WORDS",
    "SPECIAL",
    "escape",
    "guard",
    "is_safe_math",
    "offences",
    "split_math",
]


def _words(*groups: str) -> frozenset[str]:
    return frozenset(word for group in groups for word in group.split())


_GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa "
    "varkappa lambda mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi "
    "varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
)
_SYMBOLS = (
    "infty times cdot cdots ldots dots vdots ddots leq le geq ge neq ne approx sim "
    "simeq cong equiv propto ll gg to rightarrow leftarrow Rightarrow Leftarrow "
    "leftrightarrow Leftrightarrow mapsto uparrow downarrow pm mp div ast star circ "
    "bullet oplus otimes odot in notin ni subset subseteq supset supseteq cup cap "
    "setminus emptyset varnothing forall exists nexists neg lnot land lor wedge vee "
    "top bot perp parallel mid vert Vert langle rangle lceil rceil lfloor rfloor "
    "partial nabla ell hbar Re Im aleph prime dagger ddagger sum prod coprod int "
    "oint bigcup bigcap bigoplus bigotimes log ln lg exp sin cos tan sinh cosh tanh "
    "arcsin arccos arctan max min arg argmax argmin sup inf lim liminf limsup det "
    "dim ker deg gcd Pr mod bmod pmod sqrt frac dfrac tfrac binom quad qquad"
)
_MATH_ACCENTS = (
    "hat widehat tilde widetilde bar overline underline vec dot ddot acute grave "
    "breve check overrightarrow overleftarrow"
)
_FONTS = (
    "mathrm mathbf mathit mathsf mathtt mathcal mathbb mathfrak mathscr mathnormal "
    "boldsymbol bm text textrm textbf textit textsf texttt textsc textup textnormal "
    "emph operatorname rm bf it sf tt sc em cal"
)
#: Control words that may stand in inline math.
MATH_WORDS = _words(_GREEK, _SYMBOLS, _MATH_ACCENTS, _FONTS)
#: Control words that may stand in text: what `escape` writes, `\\url` (a
#: code link in a note), and what an encoder of accented letters writes
#: (`{\\'e}`, `{\\c c}`, `{\\ss}`).
TEXT_WORDS = _words(
    "textbackslash textbraceleft textbraceright textasciitilde textasciicircum "
    "textdollar textunderscore textquotedbl textendash textemdash textquoteleft "
    "textquoteright textquotedblleft textquotedblright textellipsis textdegree "
    "textsuperscript textsubscript url c v u H k r b d t i j ss o O l L aa AA ae AE "
    "oe OE dh DH th TH ng NG dj DJ"
)
ALLOWED_WORDS = MATH_WORDS | TEXT_WORDS
#: Control symbols (a backslash and one character that is not a letter):
#: escapes, accents and spaces.
ALLOWED_SYMBOLS = frozenset("&%$#_{}'`^\"~=.-/,;:! |")
_MATH_SYMBOLS = frozenset("{},;:! |")

#: Text-mode escapes. Braces become brace groups, not `\\{`: BibTeX counts
#: every brace, escaped or not, so `\\{` would leave the field open.
SPECIAL = {
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
_SPECIAL_CHARS = re.compile(r"[&%$#_\\{}~^]")
_BRACE = re.compile(r"[{}]")
_TEX_ACTIVE = re.compile(r"[\\^{}]")
_COMMAND = re.compile(r"\\(?:([A-Za-z]+)|(.)|$)", re.DOTALL)


def escape(text: str) -> str:
    """Plain text as TeX that prints it: every special character escaped."""
    return _SPECIAL_CHARS.sub(lambda m: SPECIAL[m.group()], strip_controls(text))


def _braces_balance(text: str) -> bool:
    depth = 0
    for brace in _BRACE.findall(text):
        depth += 1 if brace == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def is_safe_math(inner: str) -> bool:
    """Whether `inner` (math without its dollars) holds only what may run in
    a stranger's document (see the module's notes)."""
    if not inner.strip() or "^^" in inner or any(c in inner for c in "%#&$"):
        return False
    if UNSAFE_CHAR.search(inner) or not _braces_balance(inner):
        return False
    for match in _COMMAND.finditer(inner):
        word, symbol = match.groups()
        if word is not None:
            if word not in MATH_WORDS:
                return False
        elif symbol is None or symbol not in _MATH_SYMBOLS:
            return False
    return True


def _math_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each `$...$` span that reads as math, dollars included."""
    dollars = [i for i, c in enumerate(text) if c == "$" and (i == 0 or text[i - 1] != "\\")]
    k = 0
    while k + 1 < len(dollars):
        start, end = dollars[k], dollars[k + 1]
        opens = start + 1 < len(text) and not text[start + 1].isspace()
        closes = not text[end - 1].isspace() and not text[end + 1 : end + 2].isdigit()
        if opens and closes and end > start + 1:
            yield start, end + 1
            k += 2
        else:
            k += 1


def split_math(text: str) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is_math) pieces: math pieces (with their
    dollars) are safe to write as they are; the others are text to escape."""
    if "$" not in text:
        return [(text, False)]
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for start, end in _math_spans(text):
        if is_safe_math(text[start + 1 : end - 1]):
            if start > pos:
                pieces.append((text[pos:start], False))
            pieces.append((text[start:end], True))
            pos = end
    if pos < len(text) or not pieces:
        pieces.append((text[pos:], False))
    return pieces


def offences(value: str) -> list[str]:
    """What in a finished BibTeX value (or a whole `.bib` text) is outside the
    allowed set: control words and symbols, `^^`, unbalanced braces, control
    characters. Empty when the value can only print."""
    if value.isprintable() and not _TEX_ACTIVE.search(value):
        return []  # plain text: nothing for TeX to run
    found = []
    for match in _COMMAND.finditer(value):
        word, symbol = match.groups()
        if word is not None:
            if word not in ALLOWED_WORDS:
                found.append("\\" + word)
        elif symbol is None or symbol not in ALLOWED_SYMBOLS:
            found.append("\\" + (symbol or ""))
    if "^^" in value:
        found.append("^^")
    if not _braces_balance(value):
        found.append("unbalanced braces")
    bad = UNSAFE_CHAR.search(value)
    if bad is not None:
        found.append(f"U+{ord(bad.group()):04X}")
    return found


def guard(value: str) -> str:
    """`value` if nothing in it is outside the allowed set; else the value
    written as plain text, every special character escaped."""
    return value if not offences(value) else escape(value)
