"""What the main screen shows instead of an empty list: how to fill it."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

EMPTY_TEXT = """\
Your library is empty.

Import a reading list from the command line:

    reader import papers.txt      a trending-papers page pasted as text
    reader import refs.bib        BibTeX
    reader import ids.txt         arXiv ids or links, one a line

or press  i  to import a file by its path here.

New here?  reader --demo  shows the app on a small sample library.
"""


class EmptyLibrary(Static):
    """How to import papers, shown while the library is empty."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text(EMPTY_TEXT), id=id, markup=False)


def empty_view_text(query: str, view: str) -> str:
    """What an empty list says: why it is empty, and the key that changes that."""
    if query:
        where = "" if view == "all" else f" in {view} (1 shows all papers)"
        return f"No paper matches `{query}`{where} — Esc clears the filter."
    return {
        "unread": "Nothing unread: every paper is read. 1 shows all papers.",
        "starred": "No starred papers yet: s stars the paper under the cursor. 1 shows all papers.",
        "read": "No paper read yet: r marks the paper under the cursor read. 1 shows all papers.",
    }.get(view, "No papers.")
