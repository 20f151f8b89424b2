"""Every key of the app in one table: the bindings, the Footer, the help
screen and the command palette are all made from it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    key: str  # Textual key names, comma-separated
    action: str
    label: str  # short, for the Footer
    help: str  # a sentence, for the help screen and the palette
    group: str
    show: bool = False  # in the Footer
    display: str = ""  # how the help screen writes the key

    @property
    def shown_key(self) -> str:
        return self.display or self.key

    def binding(self) -> Binding:
        return Binding(
            self.key, self.action, self.label, show=self.show,
            key_display=self.display or None,
            id=re.sub(r"[^a-z0-9]+", "-", self.action.lower()).strip("-"),
        )


#: Keys of the paper list itself (its bindings are made from these).
LIST_KEYS = [
    Key("j,down", "cursor_down", "Down", "Move to the next paper", "Move", display="j / ↓"),
    Key("k,up", "cursor_up", "Up", "Move to the previous paper", "Move", display="k / ↑"),
    Key("g,home", "first", "Top", "Go to the first paper", "Move", display="g / Home"),
    Key("G,end", "last", "Bottom", "Go to the last paper", "Move", display="G / End"),
    Key("pagedown,ctrl+f,space", "page_down", "Page down", "Page down", "Move", display="PgDn / Space / ctrl+f"),
    Key("pageup,ctrl+b", "page_up", "Page up", "Page up", "Move", display="PgUp / ctrl+b"),
]

MAIN_KEYS = [
    Key("enter", "focus_detail", "Details", "Read the details and abstract (Esc: back)", "Move", display="Enter"),
    Key("slash", "focus_filter", "Filter", "Filter as you type: is:unread tag:rl year:>=2023 words", "Find", show=True, display="/"),
    Key("escape", "clear_filter", "Clear", "Clear the filter", "Find", display="Esc"),
    Key("1", "view('all')", "All", "Show all papers", "Views"),
    Key("2", "view('unread')", "Unread", "Show unread papers", "Views"),
    Key("3", "view('starred')", "Starred", "Show starred papers", "Views"),
    Key("4", "view('read')", "Read", "Show read papers", "Views"),
    Key("S", "cycle_sort", "Sort", "Sort by date added, title or year", "Views"),
    Key("asterisk", "toggle_starred_first", "★ first", "Put starred papers first", "Views", display="*"),
    Key("T", "triage", "Triage", "Triage: one paper at a time, one key each", "Views", show=True),
    Key("r", "toggle_read", "Read", "Mark the paper read / unread", "Paper", show=True),
    Key("s", "toggle_star", "Star", "Star / unstar the paper", "Paper", show=True),
    Key("t", "edit_tags", "Tags", "Edit the paper's tags", "Paper", show=True),
    Key("n", "edit_notes", "Notes", "Write notes (Markdown; saved as you go; Esc: back)", "Paper", show=True),
    Key("o", "open_link", "Open", "Open the paper's link in the browser", "Paper"),
    Key("c", "copy_citation", "Cite", "Copy the BibTeX citation", "Paper", show=True),
    Key("C", "choose_citation", "Cite as", "Copy as BibTeX, APA, IEEE, Chicago, Nature or your style", "Paper"),
    Key("e", "enrich", "Enrich", "Fill in authors, year and ids from arXiv", "Paper"),
    Key("E", "enrich_view", "Enrich all", "Fill in authors, year and ids from arXiv for every paper in this view", "Paper"),
    Key("d", "delete", "Delete", "Delete the paper (u brings it back)", "Paper"),
    Key("u", "undo", "Undo", "Undo the last change", "Paper", show=True),
    Key("i", "import_file", "Import", "Import a file: trending page, BibTeX, arXiv…", "Library"),
    Key("ctrl+s", "sync", "Sync", "Sync through git: send and receive changes (reader sync init sets it up)", "Library"),
    Key("question_mark", "help", "Help", "Show all keys", "App", show=True, display="?"),
    Key("q", "quit", "Quit", "Quit (everything is already saved)", "App", show=True),
]

TRIAGE_KEYS = [
    Key("s", "star", "Star", "Star it and go on", "Triage", show=True),
    Key("r", "read", "Read", "Mark it read and go on", "Triage", show=True),
    Key("space", "skip", "Skip", "Leave it as it is and go on", "Triage", show=True, display="Space"),
    Key("u", "undo", "Undo", "Go back one paper, undoing what was done to it", "Triage", show=True),
    Key("c", "copy_citation", "Cite", "Copy the BibTeX citation", "Triage"),
    Key("escape", "leave", "Leave", "Back to the list", "Triage", show=True, display="Esc"),
]
