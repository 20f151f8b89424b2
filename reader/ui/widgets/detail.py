"""The detail pane: everything about the paper under the cursor."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...core.listing import display_title
from ...core.models import Paper
from ...core.text import tex_to_plain
from ..safe import block, one_line, safe_link


def detail_text(paper: Paper | None) -> Text:
    """The pane's content as Rich Text: every string from the paper is literal."""
    if paper is None:
        return Text("No paper selected.", style="dim")
    text = Text()
    text.append(one_line(display_title(paper)), style="bold")
    text.append("\n")
    if paper.authors:
        text.append(one_line(", ".join(paper.authors), 600), style="italic")
        text.append("\n")
    facts = [str(paper.year) if paper.year else "", one_line(paper.venue, 200)]
    line = " · ".join(f for f in facts if f)
    status = ("read" if paper.read else "unread") + (" · ★ starred" if paper.starred else "")
    text.append(f"{line + ' · ' if line else ''}{status}\n", style="dim")
    if paper.tags:
        text.append(one_line(" ".join(f"#{t}" for t in paper.tags), 400) + "\n", style="bold")
    text.append("\n")
    rows = [
        ("id", paper.id, ""),
        ("arXiv", paper.arxiv_id, paper.arxiv_url),
        ("DOI", paper.doi, paper.doi_url),
        ("url", paper.url, paper.url),
        ("code", paper.code_url, paper.code_url),
        ("pdf", paper.pdf_url, paper.pdf_url),
    ]
    for label, value, link in rows:
        if not value:
            continue
        text.append(f"{label:>5}  ", style="dim")
        url = safe_link(link)
        text.append(one_line(value, 300), style=Style(link=url) if url else "")
        text.append("\n")
    if paper.abstract:
        text.append("\n")
        text.append(block(tex_to_plain(paper.abstract)))
    else:
        text.append("\nNo abstract.", style="dim")
    return text


class DetailPane(VerticalScroll, can_focus=True):
    """Scrollable details of one paper."""

    BINDINGS = [
        ("j", "scroll_down", "Scroll down"),
        ("k", "scroll_up", "Scroll up"),
    ]

    def compose(self):
        yield Static(id="detail-body", markup=False)

    def show(self, paper: Paper | None) -> None:
        self.query_one("#detail-body", Static).update(detail_text(paper))
        self.scroll_home(animate=False)
