"""Editing a paper as a BibTeX entry (or its notes) in the user's editor.

The entry is written to a temporary file; the editor (`$EDITOR`, else
`$VISUAL`, else vi) is run on it; what comes back is parsed and checked: it
must be one entry with a title, an id or a link. An entry that does not
parse is given back to the editor with the error on top; an editor quit
without saving keeps the paper as it was. The reader's state (read, star,
tags, notes) and the paper's id and date added are never touched.
"""

from __future__ import annotations

import os
import shlex
import tempfile
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

from ..errors import ReaderError
from .bibwriter import bibtex_entry
from .importers.bibtex import parse_bibtex
from .models import STATE_FIELDS, Paper
from .text import strip_controls

#: Metadata fields an edit may change (not the id, not the date added).
EDITABLE = tuple(f.name for f in fields(Paper) if f.name not in (*STATE_FIELDS, "id", "added"))
HEADER = (
    "% Edit the entry, save and quit. Quit without saving to keep it as it was.\n"
    "% Lines starting with % are left out.\n"
)

RunEditor = Callable[[list[str]], object]


class EditError(ReaderError):
    """An edited entry that cannot be taken."""


def editor_command() -> list[str]:
    raw = os.environ.get("EDITOR", "").strip() or os.environ.get("VISUAL", "").strip() or "vi"
    try:
        return shlex.split(raw) or ["vi"]
    except ValueError:
        raise EditError(f"$EDITOR cannot be read as a command: {raw[:80]!r}") from None


def entry_text(paper: Paper) -> str:
    return HEADER + bibtex_entry(paper, abstracts=True).rstrip("\n") + "\n"


def parse_entry(text: str, original: Paper) -> Paper:
    """The edited entry as the paper's new metadata (its id, date added and
    reader's state kept), or EditError saying what is wrong."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("%"))
    result = parse_bibtex(body)
    if result.skipped:
        what, why = result.skipped[0]
        raise EditError(f"{what}: {why}")
    if len(result.papers) != 1:
        raise EditError(f"one entry was expected, not {len(result.papers)}")
    edited = result.papers[0]
    if edited.key == original.id and not original.key:
        edited.key = ""  # reader's own id, written as the key: not a key of the source
    return edited


def apply_entry(paper: Paper, edited: Paper) -> None:
    """Give `paper` the edited metadata (an `edit` for `Library.replace_metadata`)."""
    for name in EDITABLE:
        setattr(paper, name, getattr(edited, name))


def edit_text(text: str, run: RunEditor, check: Callable[[str], object], suffix: str) -> object | None:
    """Run the editor on `text` until `check` takes what comes back; None when
    the editor was quit without a change (or with the error left as it was)."""
    command = editor_command()
    shown = text
    while True:
        handle, name = tempfile.mkstemp(prefix="reader-", suffix=suffix)
        path = Path(name)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(shown)
            run([*command, str(path)])
            back = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise EditError(f"the editor could not be run: {exc.strerror or exc}") from None
        finally:
            path.unlink(missing_ok=True)
        if back == shown:
            return None
        try:
            return check(back)
        except EditError as exc:
            body = "\n".join(line for line in back.splitlines() if not line.startswith("% reader: error"))
            shown = f"% reader: error: {strip_controls(str(exc))}\n{body}\n"


def edit_entry(paper: Paper, run: RunEditor) -> Paper | None:
    """The paper's entry edited in the editor: the new metadata, or None."""
    edited = edit_text(entry_text(paper), run, lambda text: parse_entry(text, paper), ".bib")
    return edited if isinstance(edited, Paper) else None


def edit_notes(paper: Paper, run: RunEditor) -> str | None:
    """The paper's notes edited in the editor, or None if unchanged."""
    notes = edit_text(paper.notes, run, lambda text: strip_controls(text).strip("\n"), ".md")
    return notes if isinstance(notes, str) else None
