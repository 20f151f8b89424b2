"""Text from outside: cleaning, TeX to plain text, and keys for matching."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Paper

# ANSI escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), and
# two-character escapes.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
# C0 and C1 control characters except tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional embedding, override and isolate controls: they reorder the
# text around them on screen and have no place in bibliographic data.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_SPACES = re.compile(r"\s+")
# Halves of UTF-16 pairs standing alone (`\ud800` in JSON, undecodable bytes
# in a command-line argument): not text, and no terminal or file can take them.
_SURROGATE = re.compile("[\ud800-\udfff]")
#: One character that has no place in text shown or written anywhere: a
#: control character (but tab and newline), a bidi control, a lone surrogate.
UNSAFE_CHAR = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ud800-\udfff]"
)


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Drop control characters, escapes and bidi overrides; keep all other Unicode.

    Single-line text (titles, names) has its white space folded to single
    spaces; multi-line text (abstracts, notes) keeps its line breaks.
    """
    if not text:
        return ""
    if text.isprintable():  # no control, format or line-break characters at all
        if "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text  # its only white space: single spaces inside
        return " ".join(text.split())
    text = _ANSI.sub("", _SURROGATE.sub("\ufffd", text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _BIDI.sub("", text)
    if multiline:
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        return "\n".join(lines).strip()
    return _SPACES.sub(" ", text).strip()


def strip_controls(text: str) -> str:
    """`text` without escapes, control characters (but tab and newline) and
    bidi overrides; white space is left as it is. For printing to a terminal."""
    if text.isprintable() or all(map(str.isprintable, text.split("\n"))):
        return text
    text = _ANSI.sub("", _SURROGATE.sub("\ufffd", text))
    return _BIDI.sub("", _CONTROL.sub("", text.replace("\r\n", "\n")))


def clean_paper(paper: Paper) -> Paper:
    """`paper`, or a copy of it, with no escape sequence, control character
    (but tab and newline), bidi override or lone surrogate in any of its
    texts (names part by part), whoever wrote the library (an older reader,
    an editor, another program): what is fit for a terminal or an exported file."""
    from .names import PARTS, Person

    values = {f.name: getattr(paper, f.name) for f in fields(paper)}
    texts: list[str] = []
    for name, value in values.items():
        if name == "title_case":
            continue  # spans of the title, not text
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list):
            for item in value:
                is_name = isinstance(item, Person)
                texts += [getattr(item, part) for part in PARTS] if is_name else [str(item)]
        elif isinstance(value, dict):
            texts += [*map(str, value.keys()), *map(str, value.values())]
    if all(map(str.isprintable, "\n".join(texts).split("\n"))):
        return paper  # the usual case, decided in a few microseconds
    changes: dict[str, Any] = {}
    for name, value in values.items():
        clean: Any
        if name == "title_case":
            continue
        if isinstance(value, str):
            clean = strip_controls(value)
        elif isinstance(value, list) and all(isinstance(v, Person) for v in value):
            people = [
                replace(v, **{part: strip_controls(getattr(v, part)) for part in PARTS})
                for v in value
            ]
            clean = [p for p in people if any(getattr(p, part).strip() for part in PARTS)]
        elif isinstance(value, list):
            clean = [c for c in (strip_controls(str(v)) for v in value) if c.strip()]
        elif isinstance(value, dict):
            clean = {strip_controls(str(k)): strip_controls(str(v)) for k, v in value.items()}
        else:
            continue
        if clean != value:
            changes[name] = clean
    if "title" in changes:
        changes["title_case"] = None  # the spans were of the title as it was
    return replace(paper, **changes) if changes else paper


_TEX_MATH = re.compile(r"\$([^$]*)\$")
_TEX_COMMAND = re.compile(r"\\([a-zA-Z]+)\*?\s*")
_TEX_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
    "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ",
    "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ",
    "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ",
    "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "ell": "ℓ",
    "infty": "∞", "times": "×", "cdot": "·", "leq": "≤", "le": "≤", "geq": "≥",
    "ge": "≥", "neq": "≠", "approx": "≈", "sim": "∼", "to": "→",
    "rightarrow": "→", "leftarrow": "←", "pm": "±", "in": "∈", "sum": "∑",
    "prod": "∏", "partial": "∂", "nabla": "∇", "star": "⋆", "dagger": "†",
}
#: Commands that only style their argument: \mathbf{x} shows as x.
_TEX_STYLE = frozenset(
    "mathrm mathbf mathcal mathbb mathit mathsf mathtt text textbf textit textrm "
    "emph operatorname boldsymbol bm rm bf it".split()
)


def tex_to_plain(text: str, *, unicode: bool = True) -> str:
    """Show TeX math as plain text: `PaccMann$^{RL}$` -> `PaccMann^RL`,
    `$\\ell_1$` -> `ℓ_1` (or `ell_1` with unicode=False)."""
    if "$" not in text:
        return text

    def command(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _TEX_STYLE:
            return ""
        space = " " if match.group(0)[-1].isspace() else ""
        if unicode and name in _TEX_SYMBOLS:
            return _TEX_SYMBOLS[name] + space
        return name + space

    def math(match: re.Match[str]) -> str:
        inner = _TEX_COMMAND.sub(command, match.group(1))
        return inner.replace("{", "").replace("}", "").strip()

    return _TEX_MATH.sub(math, text)


#: Characters that NFKD leaves alone but one types in ASCII: letters with a
#: stroke (Łukasz, Søren) and typographic dashes and quotes.
_ASCII = {
    "\u0141": "L", "\u0142": "l", "\u00d8": "O", "\u00f8": "o", "\u0110": "D",
    "\u0111": "d", "\u0131": "i", "\u00c6": "AE", "\u00e6": "ae", "\u0152": "OE",
    "\u0153": "oe", "\u2010": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\u2018": "'", "\u2019": "'", "\u201a": "'",
    "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2033": '"',
}  # fmt: skip


def fold(text: str) -> str:
    """Lower case with accents removed, and the `_ASCII` characters made
    ASCII: for matching and for ids. Fast for ASCII text."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    for char in set(text):
        if char > "\x7f":
            if unicodedata.combining(char):
                text = text.replace(char, "")
            elif char in _ASCII:
                text = text.replace(char, _ASCII[char])
    return text.casefold()


def squash(text: object) -> str:
    """Runs of white space (line breaks too) made single spaces, ends trimmed."""
    return " ".join(str(text).split())


def normalise_tag(tag: str) -> str:
    """A tag as stored and as searched: lower case, words joined by hyphens,
    no control character, escape sequence or bidi override."""
    return "-".join(clean_text(tag).lower().split())


_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")


_SYMBOL_AFTER_WORD = re.compile(r"(?<=\w)[+#]+")
_SYMBOL_WORDS = {"+": "plus", "#": "sharp"}


def title_key(title: str) -> str:
    """A key under which two spellings of one title are equal.

    Case, punctuation, white space, accents and TeX markup are ignored:
    `PaccMann$^{RL}$` and `PaccMann^RL` give the same key; `+` and `#` after
    a word are not (`C++`, `C#`, `F#`).
    """
    folded = fold(tex_to_plain(title))
    if "+" in folded or "#" in folded:
        # C, C++ and C# are different languages: the symbols stay as words.
        folded = _SYMBOL_AFTER_WORD.sub(lambda m: "".join(_SYMBOL_WORDS[c] for c in m.group()), folded)
    if folded.isascii():
        return _NOT_ASCII_ALNUM.sub("", folded)
    return "".join(c for c in folded if c.isalnum())
