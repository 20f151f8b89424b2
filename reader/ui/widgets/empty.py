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
