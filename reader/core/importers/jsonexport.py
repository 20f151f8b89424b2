"""reader's own JSON export: an array of papers (`Paper.to_dict`), or {"papers": [...]}.

Everything comes back: metadata, id, the reader's state and `added`. Strings
stay strings (a digits-only id is never a number); a number where text is
expected becomes text. An item of the wrong shape is skipped with the reason.
"""

from __future__ import annotations

import json
import re
from functools import partial
from typing import Any

from ...errors import ImportFormatError
from ..models import NAME_FIELDS, TEXT_FIELDS, Paper, _as_year, spans
from ..names import PARTS, Person
from ..text import clean_text
from .common import SNIFF_CHARS, ParseResult, clean_notes, clean_url
from .csljson import looks_like_csl, parse_csl

#: `[` or `{` followed by what JSON has there (`{`, `[`, `"`, `]`, `}`, a
#: number), so that a title such as "[Re] Reproducing..." is not JSON.
_JSON_START = re.compile(r"^[\[{]\s*(?:[\[{\"\]}\d-]|$)")


def looks_like_json(text: str) -> bool:
    return bool(_JSON_START.match(text.lstrip()[:SNIFF_CHARS]))

#: A UTF-16 surrogate standing alone (`"\\ud800"` is valid JSON, not text).
_SURROGATE = re.compile("[\ud800-\udfff]")
_URL_FIELDS = {"url", "code_url", "pdf_url"}


class _Shape(ValueError):
    """An item that is not a paper as the export writes it."""


def _scalar_text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _Shape(f"{name!r} should be text, not {type(value).__name__}")
    return value if isinstance(value, str) else str(value)


def _text_list(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise _Shape(f"{name!r} should be a list of text, not {type(value).__name__}")
    items = (clean_text(_scalar_text(v, name)) for v in value)
    return [item for item in items if item]


def _people(value: Any, name: str) -> list[Person]:
    """Names as exported (objects of parts), or as text (an older export)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Shape(f"{name!r} should be a list of names, not {type(value).__name__}")
    people = []
    for item in value:
        if isinstance(item, dict):
            parts = {k: clean_text(_scalar_text(item.get(k), f"{name}.{k}")) for k in PARTS}
            person = Person(**parts)
        else:
            person = Person.from_text(clean_text(_scalar_text(item, name)))
        if person:
            people.append(person)
    return people


def _flag(value: Any, name: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, (bool, int)):
        raise _Shape(f"{name!r} should be true or false, not {type(value).__name__}")
    return bool(value)


def _year(value: Any) -> int | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value is not None and not isinstance(value, (str, int)):
        raise _Shape(f"'year' should be a number, not {type(value).__name__}")
    return _as_year(value)


def _extra(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Shape(f"'extra' should be an object, not {type(value).__name__}")
    extra = {}
    for key, item in value.items():
        text = clean_text(_scalar_text(item, f"extra.{key}"))
        if text:
            extra[clean_text(str(key))] = text
    return extra


def paper_from_item(item: Any) -> Paper:
    """One exported paper. Raises ValueError with the reason if it is not one."""
    if not isinstance(item, dict):
        raise _Shape(f"not an object but {type(item).__name__}")
    paper = Paper(id=clean_text(_scalar_text(item.get("id"), "id")))
    for name in TEXT_FIELDS:
        value = _scalar_text(item.get(name), name)
        if name in _URL_FIELDS:
            value = clean_url(value)
        else:
            value = clean_text(value, multiline=name == "abstract")
        setattr(paper, name, value)
    for name in NAME_FIELDS:
        setattr(paper, name, _people(item.get(name), name))
    paper.and_others = [r for r in _text_list(item.get("and_others"), "and_others")
                        if r in NAME_FIELDS]
    try:
        paper.title_case = spans(item.get("title_case"))
    except TypeError as error:
        raise _Shape(f"'title_case' {error}") from None
    paper.year = _year(item.get("year"))
    paper.extra = _extra(item.get("extra"))
    paper.added = clean_text(_scalar_text(item.get("added"), "added"))
    paper.tags = _text_list(item.get("tags"), "tags")
    paper.read = _flag(item.get("read"), "read")
    read_at = clean_text(_scalar_text(item.get("read_at"), "read_at"))
    paper.read_at = read_at or None
    paper.starred = _flag(item.get("starred"), "starred")
    paper.notes = clean_notes(_scalar_text(item.get("notes"), "notes"))
    return paper


def _lone_surrogate(value: Any, name: str = "") -> str | None:
    """Where in `value` a lone surrogate is, with what it is; None if nowhere."""
    if isinstance(value, str):
        bad = _SURROGATE.search(value)
        return f"{name or 'the item'!r} holds U+{ord(bad.group()):04X}" if bad else None
    if isinstance(value, dict):
        items = [(f"{name}.{key}" if name else str(key), v) for key, v in value.items()]
        items += [(f"a key of {name or 'the item'}", key) for key in value]
    elif isinstance(value, list):
        items = [(f"{name}[{i}]", v) for i, v in enumerate(value)]
    else:
        return None
    return next((found for key, v in items if (found := _lone_surrogate(v, key))), None)


def load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise ImportFormatError("the JSON is nested too deeply to be a paper list") from None
    except ValueError as error:  # JSONDecodeError, or a number too long to read
        raise ImportFormatError(f"the JSON is not valid: {error}") from None


def parse_json(text: str) -> ParseResult:
    """reader's own JSON export; CSL-JSON, told apart by its shape, goes to `csljson`."""
    data = load_json(text)
    if looks_like_csl(data):
        return parse_csl(data)
    # A surrogate can only come from a `\\udXXX` escape: most files have none.
    return parse_export(data, surrogates="\\ud" in text or "\\uD" in text)


def _checked_paper(item: Any, surrogates: bool) -> Paper:
    if surrogates and (found := _lone_surrogate(item)):
        raise _Shape(f"{found}, half of a UTF-16 pair, which is not text")
    return paper_from_item(item)


def parse_export(data: Any, *, surrogates: bool = True) -> ParseResult:
    """Papers from parsed JSON of reader's own export; `surrogates`: whether
    the text may hold a lone surrogate (else none is looked for)."""
    if isinstance(data, dict) and "papers" in data:
        data = data["papers"]
    if not isinstance(data, list):
        raise ImportFormatError(
            "the JSON is not a reader export: expected a list of papers "
            'or an object with "papers"'
        )
    result = ParseResult("json")
    for number, item in enumerate(data, 1):
        what = f"item {number}"
        if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]:
            what += f" ({clean_text(item['id'])[:60]!r})"
        result.take(what, partial(_checked_paper, item, surrogates), known_by="id")
    return result
