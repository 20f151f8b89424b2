"""LaTeX in BibTeX values to Unicode text: `M{\\"u}ller` -> `Müller`.

Math (`$...$`) is kept as written: the display converts it. Decoding never
fails: on input that pylatexenc cannot take, braces are dropped and the text
is otherwise kept.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pylatexenc.latex2text import (
    LatexNodes2Text,
    MacroTextSpec,
    get_default_latex_context_db,
)

# In a BibTeX value a bare % or & is the character itself, not a LaTeX comment
# or an alignment tab.
_BARE_SPECIAL = re.compile(r"(?<!\\)([%&])")
_BRACES = re.compile(r"(?<!\\)[{}]")
# Characters that can make text mean something else to LaTeX.
_MARKUP = re.compile(r"[\\{}~`'-]")


@lru_cache(maxsize=1)
def _decoder() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    context.add_context_category(
        "reader", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")]
    )
    return LatexNodes2Text(
        latex_context=context, math_mode="verbatim", keep_braced_groups=False
    )


def strip_braces(text: str) -> str:
    """`{BERT}: {P}re-training` -> `BERT: Pre-training` (escaped braces kept)."""
    return _BRACES.sub("", text)


def decode(text: str) -> str:
    """LaTeX to Unicode text; math kept verbatim, braces dropped."""
    if not text:
        return ""
    if not _MARKUP.search(text):
        return text
    try:
        return _decoder().latex_to_text(_BARE_SPECIAL.sub(r"\\\1", text))
    except Exception:  # pylatexenc on input it cannot take (RecursionError included)
        return strip_braces(text)
