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

    @property
    def bound(self) -> bool:
        """Whether a key runs it (else only the palette does)."""
        return bool(self.key)

    def binding(self) -> Binding:
        return Binding(
            self.key, self.action, self.label, show=self.show,
            key_display=self.display or None,
            id=re.sub(r"[^a-z0-9]+", "-", self.action.lower()).strip("-"),
        )


#: Down, up, top and bottom: the keys and how the help screen writes them.
_VERTICAL = (("j,down", "j / ↓"), ("k,up", "k / ↑"), ("g,home", "g / Home"), ("G,end", "G / End"))


def _vertical(group: str, actions: tuple[str, ...], labels: tuple[str, ...], helps: tuple[str, ...]) -> list[Key]:
    """The four vertical moves of a pane, on the same keys everywhere."""
    return [
        Key(keys, action, label, text, group, display=shown)
        for (keys, shown), action, label, text in zip(_VERTICAL, actions, labels, helps, strict=True)
    ]


#: Keys of the paper list itself (its bindings are made from these).
LIST_KEYS = [
    *_vertical(
        "Move", ("cursor_down", "cursor_up", "first", "last"), ("Down", "Up", "Top", "Bottom"),
        ("Move to the next paper", "Move to the previous paper", "Go to the first paper", "Go to the last paper"),
    ),
    Key("pagedown,ctrl+f", "page_down", "Page down", "Page down", "Move", display="PgDn / ctrl+f"),
    Key("pageup,ctrl+b", "page_up", "Page up", "Page up", "Move", display="PgUp / ctrl+b"),
]

MAIN_KEYS = [
    Key("J,right_square_bracket", "next_unread", "Next unread", "Go to the next unread paper", "Move", display="J / ]"),
    Key("K,left_square_bracket", "previous_unread", "Previous unread", "Go to the previous unread paper", "Move",
        display="K / ["),
    Key("enter", "focus_detail", "Details", "Read the details and abstract (Esc: back)", "Move", display="Enter"),
    Key("slash", "focus_filter", "Filter", "Filter as you type: is:unread tag:rl year:>=2023 words", "Find", show=True, display="/"),
    Key("escape", "clear_filter", "Clear", "Clear the filter (with none: stop a fetch under way)", "Find", display="Esc"),
    Key("1", "view('all')", "All", "Show all papers", "Views"),
    Key("2", "view('unread')", "Unread", "Show unread papers", "Views"),
    Key("3", "view('starred')", "Starred", "Show starred papers", "Views"),
    Key("4", "view('read')", "Read", "Show read papers", "Views"),
    Key("5", "view('new')", "New", "Show papers new from the feeds, not seen yet", "Views"),
    Key("S", "cycle_sort", "Sort", "Sort by date added, title, year or for you (closest to your starred papers)", "Views"),
    Key("asterisk", "toggle_starred_first", "★ first", "Put starred papers first", "Views", display="*"),
    Key("z", "toggle_details", "Details pane", "Hide / show the details pane: the list gets the whole width", "Views"),
    Key("T", "triage", "Triage", "Triage: one paper at a time, one key each", "Views", show=True),
    Key("r", "toggle_read", "Read", "Mark the paper read / unread", "Paper", show=True),
    Key("s", "toggle_star", "Star", "Star / unstar the paper", "Paper", show=True),
    Key("", "toggle_read_moves_on", "r moves on", "Choose whether r moves on to the next unread paper", "Paper",
        display="palette"),
    Key("t", "edit_tags", "Tags", "Edit the paper's tags", "Paper", show=True),
    Key("n", "edit_notes", "Notes", "Write notes (Markdown; saved as you go; Esc: back)", "Paper", show=True),
    Key("N", "notes_in_editor", "Notes in $EDITOR", "Write the notes in your editor ($EDITOR)", "Paper"),
    Key("ctrl+e", "edit_entry", "Edit entry", "Edit the paper as a BibTeX entry in your editor ($EDITOR)", "Paper", display="ctrl+e"),
    Key("o", "open_link", "Open", "Open the paper's link in the browser", "Paper"),
    Key("p", "open_pdf", "PDF", "Open the paper's PDF (fetched once into library.files/)", "Paper"),
    Key("c", "copy_citation", "Cite", "Copy the BibTeX citation", "Paper", show=True),
    Key("C", "choose_citation", "Cite as", "Copy as BibTeX, APA, IEEE, Chicago, Nature or your style", "Paper"),
    Key("e", "enrich", "Enrich", "Fill in authors, year and ids from arXiv", "Paper"),
    Key("E", "enrich_view", "Enrich all", "Fill in authors, year and ids from arXiv for every paper in this view", "Paper"),
    Key("d", "delete", "Delete", "Delete the paper (u brings it back)", "Paper"),
    Key("u", "undo", "Undo", "Undo the last change", "Paper", show=True),
    Key("v,space", "mark", "Mark", "Mark the paper (r s t d c C e p then act on every marked paper)", "Marks", display="v / Space"),
    Key("V", "mark_view", "Mark all", "Mark every paper in the view (again: unmark them)", "Marks"),
    Key("a", "add_by_id", "Add", "Add a paper by arXiv id, DOI or a link with one", "Library"),
    Key("number_sign", "tag_list", "Tag list", "Tags with their counts: pick one to filter by it", "Find", display="#"),
    Key("i", "import_file", "Import", "Import a file: trending page, BibTeX, arXiv…", "Library"),
    Key("F", "fetch_feeds", "Fetch", "Fetch the feeds' new papers in the background (F again or Esc stops)",
        "Library"),
    Key("percent_sign", "stats", "Stats", "How you keep up: papers per week, per feed and tag", "Library", display="%"),
    Key("ctrl+s", "sync", "Sync", "Sync through git: send and receive changes (reader sync init sets it up)", "Library"),
    Key("question_mark", "help", "Help", "Show all keys", "App", show=True, display="?"),
    Key("q", "quit", "Quit", "Quit (everything is already saved)", "App", show=True),
]

TRIAGE_KEYS = [
    Key("s", "star", "Star", "Star it and go on", "Triage", show=True),
    Key("r", "read", "Read", "Mark it read and go on", "Triage", show=True),
    Key("space", "skip", "Skip", "Leave it as it is and go on", "Triage", show=True, display="Space"),
    Key("u", "undo", "Undo", "Go back one paper, undoing what was done to it", "Triage", show=True),
    Key("p", "open_pdf", "PDF", "Open the paper's PDF (fetched once into library.files/)", "Paper"),
    Key("c", "copy_citation", "Cite", "Copy the BibTeX citation", "Triage"),
    Key("j,down", "scroll('down')", "Scroll down", "Scroll the abstract down", "Triage", display="j / ↓"),
    Key("k,up", "scroll('up')", "Scroll up", "Scroll the abstract up", "Triage", display="k / ↑"),
    Key("escape", "leave", "Leave", "Back to the list", "Triage", show=True, display="Esc"),
    Key("question_mark", "help", "Help", "Show all keys", "Triage", show=True, display="?"),
    Key("q", "quit", "Quit", "Quit (everything is already saved)", "Triage", show=True),
]

#: Keys of the details pane (Enter goes there, Esc comes back).
DETAIL_KEYS = _vertical(
    "Details", ("scroll_down", "scroll_up", "scroll_home", "scroll_end"),
    ("Scroll down", "Scroll up", "Top", "Bottom"),
    ("Scroll the details down", "Scroll the details up", "Go to the top of the details",
     "Go to the end of the details"),
)

#: Keys of the filter field, besides typing.
FILTER_KEYS = [
    Key("down", "list_down", "Next", "In the filter: move the list's cursor down", "Find", display="↓"),
    Key("up", "list_up", "Previous", "In the filter: move the list's cursor up", "Find", display="↑"),
    Key("enter", "submit", "Done", "In the filter: back to the list, keeping the filter", "Find", display="Enter"),
]

#: Keys of the prompts (the tags prompt offers the library's tags as they are typed).
PROMPT_KEYS = [
    Key("tab", "complete", "Complete", "In the tags prompt: take the tag offered", "Paper", display="Tab"),
]
