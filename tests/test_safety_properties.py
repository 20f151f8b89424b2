"""Property tests: any bytes as a title, note, tag, author or URL stay text.

Whatever a stranger's file or a command-line argument holds (any bytes,
decoded as Python decodes an argument, or any Unicode, mixed with fragments
known to be dangerous), what reader prints, exports or cites carries:

* no control sequence for a terminal (no C0 or C1 control but tab and
  newline, no bidi control, no lone surrogate);
* in BibTeX, no control word outside the allowed set and no `^^`, with the
  braces of every entry balanced, so the file still parses entry by entry;
* in Markdown, no raw HTML and no link that is not http(s), as rendered by
  a CommonMark renderer that trusts every link.

The papers are made directly (not through an importer), so that the writers
are tested against text no importer has cleaned: a library written by an
older reader, an editor or another program.
"""

from __future__ import annotations

import os

import bibtexparser
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import run_reader
from reader.core.citation import FORMATS as CITATION_FORMATS
from reader.core.citation import cite
from reader.core.export import FORMATS as EXPORT_FORMATS
from reader.core.export import export
from reader.core.importers import parse
from reader.core.library import Library
from reader.core.models import Paper
from reader.core.names import PARTS
from reader.core.text import normalise_tag, strip_controls
from reader.core.urls import safe_link
from test_safety_hostile_output import FORBIDDEN, assert_clean, assert_inert
from test_safety_latex_export import check_text

#: Pieces of attacks, so that the generated text hits them often.
FRAGMENTS = [
    "\x1b]52;c;cHduZWQ=\x07", "\x1b[31m", "\x1b[2J", "\x9b31m", "\x07", "\x08", "\r", "\x00",
    "\u202e", "\u2066", "\u200f", "\ud800", "\udcff",
    "$", "$\\input{/etc/passwd}$", "\\write18{id}", "^^5c", "^", "\\", "{", "}", "%", "#", "&", "~", "_",
    "\\immediate\\openout7=x.tex", "$x^^5cinput$", "\\csname", "$\\alpha$",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<!--", "&#106;", "&lt;",
    "javascript:alert(1)", "[x](javascript:alert(1))", "![i](https://t.example/p.png)",
    "<javascript:alert(1)>", "[ref]: javascript:x", "https://example.org/a", "-oProxyCommand=x",
    " ", "\n", "\t", "and", ",",
]
hostile_text = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.binary(max_size=12).map(lambda b: b.decode("utf-8", "surrogateescape")),
        st.text(max_size=12),
    ),
    max_size=6,
).map("".join)

MARKDOWN = ("markdown",)


def hostile_paper(title, note, tag, author, url) -> Paper:
    return Paper(
        id="any2024",
        title=title,
        authors=[author, "Ann Lee"],
        year=2024,
        venue=title,
        url=url,
        code_url=url,
        extra={"note": note, "publisher": author},
        tags=[tag, "ok"],
        notes=note,
        abstract=note,
    )


def check_bibtex(text: str) -> None:
    check_text(text)
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    assert [e.key for e in library.entries] == ["any2024"]


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile_text, note=hostile_text, tag=hostile_text, author=hostile_text, url=hostile_text)
def test_no_export_or_citation_carries_a_command(title, note, tag, author, url):
    paper = hostile_paper(title, note, tag, author, url)
    for fmt in EXPORT_FORMATS:
        text = export([paper], fmt)
        assert_clean(text)
        if fmt == "bibtex":
            check_bibtex(text)
        if fmt in MARKDOWN:
            assert_inert(text)
    for fmt in CITATION_FORMATS:
        text = cite(paper, fmt)
        assert_clean(text)
        if fmt == "bibtex":
            check_bibtex(text)
        if fmt in MARKDOWN:
            assert_inert(text)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(text=hostile_text)
def test_what_comes_in_is_clean_and_a_link_is_only_ever_http(text):
    assert FORBIDDEN.search(normalise_tag(text)) is None
    assert FORBIDDEN.search(strip_controls(text).replace("\t", " ").replace("\n", " ")) is None
    link = safe_link(text)
    assert link == "" or (link.lower().startswith(("http://", "https://")) and not FORBIDDEN.search(link))


@settings(max_examples=60, deadline=None)
@given(title=hostile_text, author=hostile_text, url=hostile_text)
# A web address with LaTeX in it: its braces go, a backslash stays.
@example(title="", author="", url="https://example.org/a$\\input{/etc/passwd}$")
def test_an_imported_bibtex_entry_is_clean(title, author, url):
    def braced(value: str) -> str:
        # A BibTeX value that parses: braces balanced, no NUL (a binary file).
        value = value.replace("\x00", "")
        depth = 0
        out = []
        for char in value:
            if char == "}" and depth == 0:
                continue
            depth += (char == "{") - (char == "}")
            out.append(char)
        return "{" + "".join(out) + "}" * (depth + 1)

    source = f"@article{{k, title = {braced(title)}, author = {braced(author)}, url = {braced(url)}}}\n"
    try:
        result = parse(source.encode("utf-8", "replace").decode("utf-8"), "bibtex")
    except Exception as error:  # noqa: BLE001 - only reader's own refusal is allowed
        from reader.errors import ImportFormatError

        assert isinstance(error, ImportFormatError), repr(error)
        return
    for paper in result.papers:
        parts = [getattr(person, part) for person in paper.authors for part in PARTS]
        for value in [paper.title, *parts, paper.url, *paper.extra.values()]:
            assert FORBIDDEN.search(value) is None, value
        assert paper.url == "" or safe_link(paper.url) or not paper.url.lower().startswith("http")


def _cli(db, *args, stdin: bytes | None = None):
    done = run_reader(*args, db=db, input=stdin)
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.binary(max_size=40) | hostile_text.map(lambda s: s.encode("utf-8", "surrogatepass")), tag=hostile_text)
def test_any_bytes_through_the_command_line_come_out_clean(tmp_path_factory, note, tag):
    db = tmp_path_factory.mktemp("props") / "library.json"
    Library(db).add_papers([Paper(id="p", title="A paper", year=2024)], backup=False)
    # An argument is bytes: a lone surrogate arrives as the bytes that spell it.
    tag = os.fsdecode(tag.replace("\x00", "").encode("utf-8", "surrogatepass"))
    assert _cli(db, "note", "p", "-", stdin=note).returncode == 0
    marked = _cli(db, "mark", "p", f"--tag={tag}")  # a tag may start with "-"
    assert marked.returncode in (0, 1)  # a tag that is empty once cleaned is no tag
    assert_clean(marked.stdout + marked.stderr)
    for args in (("note", "p"), ("cite", "p"), ("export", "--format", "markdown"), ("show", "p"), ("list",)):
        done = _cli(db, *args)
        assert done.returncode == 0, done.stderr
        assert_clean(done.stdout)
    paper = Library(db).require("p")
    assert FORBIDDEN.search(paper.notes.replace("\t", " ").replace("\n", " ")) is None
    assert all(FORBIDDEN.search(t) is None for t in paper.tags)
