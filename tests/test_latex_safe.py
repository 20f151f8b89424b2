"""The LaTeX sanitiser on its own: what math is kept, what is escaped."""

from __future__ import annotations

import pytest

from reader.core.citation import tex
from reader.core.latex_safe import (
    ALLOWED_WORDS,
    MATH_WORDS,
    escape,
    guard,
    is_safe_math,
    offences,
    split_math,
)

KEPT = [
    "PaccMann$^{RL}$",
    "$\\ell_1$ regularisation",
    "$O(\\sqrt{T})$ regret",
    "$\\mathcal{O}(n \\log n)$ sorting",
    "$\\alpha$-divergence and $\\beta$-VAE",
    "$\\hat{\\theta}_{\\mathrm{MLE}}$",
    "$Q^\\pi$ and $V^*$",
    "$x \\in \\mathbb{R}^d$",
    "$\\epsilon$-greedy $\\pi_\\theta$",
]


@pytest.mark.parametrize("title", KEPT)
def test_ordinary_math_is_kept_as_math(title):
    pieces = split_math(title)
    assert all(is_safe_math(piece[1:-1]) for piece, is_math in pieces if is_math)
    assert any(is_math for _, is_math in pieces)
    assert "".join(piece for piece, _ in pieces) == title
    assert not offences(tex(title))


ESCAPED = [
    ("Reading $\\input{/etc/passwd}$ Files", "\\input"),
    ("$\\immediate\\openout7=victim.tex \\immediate\\write7{x}\\immediate\\closeout7$", "\\openout"),
    ("$\\write18{rm -rf ~}$", "\\write"),
    ("$\\csname input\\endcsname{/etc/passwd}$", "\\csname"),
    ("$\\def\\x{y}\\x$", "\\def"),
    ("$\\catcode`\\^^M=13$", "\\catcode"),
    ("$x^^5cinput{/etc/passwd}$", "^^"),
    ("$\\^^5cinput$", "^^"),
    ("$a % comment$", "%"),
    ("$a # b$", "#"),
    ("$a & b$", "&"),
    ("$\\alpha{$", "{"),
    ("$\\alpha\\$", "\\"),
    ("$\\@ifnextchar$", "\\@"),
    ("$\\\\input$", "\\\\"),
]


@pytest.mark.parametrize(("title", "why"), ESCAPED)
def test_math_with_anything_else_is_text(title, why):
    assert not any(is_math for _, is_math in split_math(title)), why
    written = tex(title)
    assert offences(written) == []
    assert "^^" not in written
    # Every backslash that was in the title now prints as one.
    assert written.count("{\\textbackslash}") == title.count("\\")


def test_input_prints_as_text():
    assert tex("$\\input{/etc/passwd}$") == (
        "\\${\\textbackslash}input{\\textbraceleft}/etc/passwd{\\textbraceright}\\$"
    )


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Price $5 and $10", "Price \\$5 and \\$10"),
        ("$20,000 and $30,000", "\\$20,000 and \\$30,000"),
        ("Costs $ 5 $ here", "Costs \\$ 5 \\$ here"),
        ("A lone $ sign", "A lone \\$ sign"),
        ("Price $5 and $\\alpha$", "Price \\$5 and {$\\alpha$}"),
        ("$$ double $$", "\\$\\$ double \\$\\$"),
    ],
)
def test_a_dollar_that_is_not_math_is_escaped(text, written):
    assert tex(text) == written


def test_the_allowed_set_has_nothing_that_reads_writes_or_defines():
    dangerous = {
        "input", "include", "openin", "openout", "read", "write", "immediate",
        "closeout", "special", "def", "edef", "gdef", "xdef", "let", "catcode",
        "csname", "expandafter", "newcommand", "renewcommand", "usepackage",
        "documentclass", "makeatletter", "string", "detokenize", "scantokens",
        "ShellEscape", "directlua", "pdffiledump", "href", "verb", "end", "begin",
    }
    assert not dangerous & ALLOWED_WORDS
    assert {"alpha", "mathbf", "hat", "sum", "infty"} <= MATH_WORDS


def test_offences_name_what_is_outside_the_set():
    assert offences("{$\\alpha$} and \\url{https://x.org}") == []
    assert offences("{\\'e}t{\\'e} {\\ss} \\& \\% \\_") == []
    assert offences("\\input{x}") == ["\\input"]
    assert offences("a^^5c") == ["^^"]
    assert offences("{a") == ["unbalanced braces"]
    assert offences("a\x1b[31m") == ["U+001B"]
    assert offences("a\u202eb") == ["U+202E"]


def test_guard_writes_a_value_with_offences_as_plain_text():
    assert guard("{$\\alpha$}") == "{$\\alpha$}"
    written = guard("{$\\input{x}$}")
    assert offences(written) == []
    assert written == (
        "{\\textbraceleft}\\${\\textbackslash}input{\\textbraceleft}x"
        "{\\textbraceright}\\${\\textbraceright}"
    )
    assert guard("a\x1bb^^c") == "ab{\\textasciicircum}{\\textasciicircum}c"


def test_escape_leaves_no_special_character_unescaped():
    written = escape("\\ { } $ & % # _ ~ ^")
    assert offences(written) == []
    assert "$" not in written.replace("\\$", "")
