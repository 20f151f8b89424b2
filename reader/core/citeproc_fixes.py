"""Corrections to citeproc-py 0.11 where it departs from the CSL 1.0.2 specification.

Each one is small, cites the rule it restores, and is applied once, when
`reader.core.styles` first loads a style. The tests of the citation formats
(tests/test_citation_styles.py) fail if a newer citeproc-py changes what they
correct, so that they can then be dropped.

1. Text case (spec, "Text-case"): `capitalize-first` and `capitalize-all`
   change only lowercase words ("arXiv:2301.00001" stays as it is); title
   case treats the parts of a hyphenated word as words ("Long-Horizon");
   labels, which citeproc-py renders without a language, take the style's
   locale (APA's "(Eds.)").
2. Substitution (spec, "Substitute"): a variable rendered in place of a
   missing author is suppressed in the rest of the entry also when the
   substitute calls a macro, so a work without authors does not repeat its title.
3. Groups (spec, "Group"): a group is suppressed when the variables its
   children actually called are all empty; citeproc-py counted every
   variable of every branch of a `cs:choose`, so APA printed "(Publication)"
   for a thesis without a number.
4. `second-field-align` (spec, "Whitespace"): the first field of a
   bibliography entry ("[1]", "1.") is set apart from the rest by a space.
5. `initialize="false"` (spec, "Name"): given names are kept whole
   (Chicago's "Doe, Jane Q."), only initials are normalised.
6. `punctuation-in-quote` (spec, "Locale Options"): where the locale asks
   for it (en-US), a comma or full stop after a closing quote goes inside it
   (IEEE's “Title,” and Chicago's “Title.”); see `quote_punctuation`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from citeproc.model import (
    Choose,
    ConditionFailed,
    Group,
    Layout,
    Name,
    Names,
    Substitute,
    Text,
    TextCased,
    VariableError,
)
from citeproc.string import join

_applied = False


# ---------------------------------------------------------------- 1. text case
_original_case = TextCased.case


def _case(self: Any, text: Any, language: str | None = None) -> Any:
    if language is None:
        language = (self.get_root().get("default-locale") or "en")[:2]
    text_case = self.get("text-case")
    if text_case == "capitalize-first":
        words = str(text).split()
        if words and not words[0].islower():
            return text
    elif text_case == "capitalize-all":
        return " ".join(
            str(word.capitalize_first()) if str(word).islower() else str(word)
            for word in text.words()
        )
    cased = _original_case(self, text, language)
    if text_case == "title" and language == "en":
        return _HYPHEN_PART.sub(_capitalize_part, str(cased))
    return cased


_HYPHEN_PART = re.compile(r"(?<=\w-)([a-z]+)\b")


def _capitalize_part(match: re.Match[str]) -> str:
    word = match.group(1)
    return word if word in TextCased._stop_words else word[0].upper() + word[1:]


# ---------------------------------------------------------------- 2. substitution
#: The variables rendered while a substitute is tried (styles run under one lock).
_recording: list[set[str]] = []
_original_text_variable = Text._variable


def _text_variable(self: Any, item: Any, context: Any) -> Any:
    text = _original_text_variable(self, item, context)
    if _recording and text is not None:
        _recording[-1].add(self.get("variable"))
    return text


def _substitute_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    for child in self.getchildren():
        _recording.append(set())
        try:
            if isinstance(child, Names) and child.name is None:
                names = self.xpath_search("./parent::cs:names[1]")[0]
                text = child.render(item, names_context=names, context=context, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except VariableError:
            continue
        finally:
            rendered = _recording.pop()
        if text:
            if isinstance(child, Text) and child.get("macro"):
                repressed = context.get_layout().repressed.setdefault(child.tag, [])
                repressed.extend(sorted(rendered))
            else:
                self.add_to_repressed_list(child, context)
            return text
    return None


# ---------------------------------------------------------------- 3. groups
def _choose_render(self: Any, item: Any, context: Any = None, delimiter: str = "",
                   **kwargs: Any) -> Any:
    for child in self.getchildren():
        self._reader_branch = child
        try:
            return child.render(item, context=context, delimiter=delimiter, **kwargs)
        except ConditionFailed:
            continue
    self._reader_branch = None
    return None


def _calls_variable(child: Any) -> bool:
    """Whether the child, as it was just rendered, called a variable."""
    if isinstance(child, Choose) and hasattr(child, "_reader_branch"):
        branch = child._reader_branch
        return branch is not None and bool(branch.calls_variable())
    return bool(child.calls_variable())


def _group_process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    output = []
    called = rendered = False
    delimiter = self.get("delimiter", "")
    for child in self.iterchildren():
        try:
            if isinstance(child, Choose):
                text = child.render(item, context=context, delimiter=delimiter, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except VariableError:
            text = None
        calls = _calls_variable(child)
        called = called or calls
        if text is not None:
            output.append(text)
            rendered = rendered or calls
    if output and (rendered or not called):
        return self.join(output)
    raise VariableError


# ---------------------------------------------------------------- 4. second field
_original_render_bibliography = Layout.render_bibliography


def _render_bibliography(self: Any, citation_items: Any) -> list[Any]:
    if not self.getparent().get("second-field-align"):
        return _original_render_bibliography(self, citation_items)
    entries = []
    for item in citation_items:
        self.repressed = {}
        parts = []
        for child in self.iterchildren():
            try:
                text = child.render(item)
            except VariableError:
                continue
            if text is not None:
                parts.append(text)
        if parts:
            body = join([parts[0], join(parts[1:], "")], " ") if len(parts) > 1 else parts[0]
            entries.append(self.format(self.wrap(body)))
    return entries


# ---------------------------------------------------------------- 5. initialize
_original_initialize = Name.initialize


def _initialize(self: Any, given: str, mark: str, context: Any) -> str:
    if self.get("initialize", "true").lower() != "false":
        return _original_initialize(self, given, mark, context)
    words = []
    for word in given.split():
        bare = word.rstrip(".")
        words.append(bare + mark.rstrip() if len(bare) == 1 and bare.isupper() else word)
    return " ".join(words)


# ---------------------------------------------------------------- 6. quotes
def quote_punctuation(style: Any) -> Callable[[str], str]:
    """What moves `,` and `.` inside closing quotes, for a style whose locale asks for it."""
    root = style.root
    try:
        wanted = root.get_locale_option("punctuation-in-quote").lower() == "true"
        quotes = {str(root.get_single_term(name)) for name in ("close-quote", "close-inner-quote")}
    except Exception:  # a locale without these terms: nothing to move
        return _same
    quotes.discard("")
    if not wanted or not quotes:
        return _same
    pattern = re.compile("(" + "|".join(re.escape(q) for q in quotes) + ")([.,])")
    return lambda text: pattern.sub(r"\2\1", text)


def _same(text: str) -> str:
    return text


def apply() -> None:
    """Install the corrections (once)."""
    global _applied
    if _applied:
        return
    TextCased.case = _case  # type: ignore[method-assign]
    Text._variable = _text_variable  # type: ignore[method-assign]
    Substitute.render = _substitute_render  # type: ignore[method-assign]
    Choose.render = _choose_render  # type: ignore[method-assign]
    Group.process = _group_process  # type: ignore[method-assign]
    Layout.render_bibliography = _render_bibliography  # type: ignore[method-assign]
    Name.initialize = _initialize  # type: ignore[method-assign]
    _applied = True


__all__ = ["apply"]
