"""What reader prints or writes carries no command for a terminal or a browser.

Through the real command line:

* terminal escapes (ESC sequences, BEL, OSC 52 clipboard writes, C1 controls,
  bidi overrides) never leave `reader cite` (every format), `reader export`
  (every format, to standard output) or `reader note ID`, even from a library
  written by another program; and `reader note ID -` and `reader mark --tag`
  store none of them (issue 11, point 6);
* the Markdown export and citation hold no raw HTML and no link that is not
  http(s) (point 7);
* a link is only ever http(s) and never starts with `-` (point 5, the core
  check behind the app's `o`);
* `export -o PATH` writes only to a regular file: a FIFO, a device node, a
  directory or a symlink to one is refused and left as it was (point 14).
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_reader
from reader.core.formats import CITATION_FORMATS, EXPORT_FORMATS
from reader.core.library import Library
from reader.core.models import Paper
from reader.core.urls import safe_link

ESC = "\x1b"
BEL = "\x07"
OSC52 = "\x1b]52;c;cHduZWQ=\x07"  # "put 'pwned' on the clipboard"
CSI_C1 = "\x9b2J"  # clear the screen, with the one-byte C1 introducer
RLO = "\u202e"  # right-to-left override
#: No character of these may reach a terminal or an exported file.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")

HOSTILE = f"Title {OSC52} red \x1b[31mRED\x1b[0m bell{BEL} {CSI_C1} {RLO}fdp.exe"


def hostile_paper() -> Paper:
    return Paper(
        id="hostile2024",
        title=HOSTILE,
        authors=[f"Ann {ESC}[2JLee", f"Bo{BEL} Chen"],
        year=2024,
        venue=f"Venue {OSC52}",
        abstract=f"Abstract {OSC52}\nline two {CSI_C1}",
        url=f"https://example.org/{ESC}]8;;https://evil.invalid{BEL}x",
        code_url=f"https://github.com/o/r{RLO}",
        extra={"publisher": f"Pub {ESC}P+q{ESC}\\", f"note{ESC}": "x"},
        tags=[f"tag{ESC}[1m", f"{RLO}evil"],
        notes=f"My note {OSC52}\n  indented {BEL}line\n{RLO}reversed",
    )


@pytest.fixture
def hostile_db(db: Path) -> Path:
    """A library holding raw control characters, as another program (or an
    older reader) could have written it: not through reader's cleaning."""
    Library(db).add_papers([hostile_paper()], backup=False)
    return db


def assert_clean(text: str) -> None:
    found = FORBIDDEN.search(text)
    assert found is None, f"U+{ord(found.group()):04X} in output: {text[max(0, found.start() - 40):found.end() + 40]!r}"


# ---------------------------------------------------------------- point 6
@pytest.mark.parametrize("fmt", CITATION_FORMATS)
def test_cite_prints_no_terminal_escape(hostile_db, fmt):
    done = run_reader("cite", "hostile2024", "--format", fmt, db=hostile_db)
    assert done.returncode == 0, done.stderr
    assert_clean(done.stdout)
    assert "pwned" not in done.stdout and "cHduZWQ" not in done.stdout
    assert "title" in done.stdout.lower() and "fdp.exe" in done.stdout.lower()


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_export_to_standard_output_prints_no_terminal_escape(hostile_db, fmt):
    done = run_reader("export", "--format", fmt, db=hostile_db)
    assert done.returncode == 0, done.stderr
    assert_clean(done.stdout)
    assert "\\u001b" not in done.stdout.lower() and "\\u009b" not in done.stdout.lower()
    assert "Title" in done.stdout


def test_note_prints_no_terminal_escape(hostile_db):
    done = run_reader("note", "hostile2024", db=hostile_db)
    assert done.returncode == 0, done.stderr
    assert_clean(done.stdout)
    assert done.stdout == "My note \n  indented line\nreversed\n"


def test_note_from_standard_input_and_tags_are_stored_clean(db):
    Library(db).add_papers([Paper(id="p1", title="A paper")], backup=False)
    note = f"Line {OSC52} one{BEL}\n\tindented {RLO}two {CSI_C1}\n\x1b[31mred\x1b[0m"
    done = run_reader("note", "p1", "-", db=db, input=note)
    assert done.returncode == 0, done.stderr
    done = run_reader("mark", "p1", "--tag", f"ok{OSC52}", "--tag", f"{RLO}rtl{BEL}", db=db)
    assert done.returncode == 0, done.stderr
    assert_clean(done.stdout)
    paper = Library(db).require("p1")
    assert paper.notes == "Line  one\n\tindented two \nred"
    assert paper.tags == ["ok", "rtl"]
    done = run_reader("mark", "p1", "--untag", f"{ESC}[1mrtl", db=db)
    assert Library(db).require("p1").tags == ["ok"]


@pytest.mark.slow
def test_note_that_is_not_utf8_is_stored_with_replacement_characters(db):
    Library(db).add_papers([Paper(id="p1", title="A paper")], backup=False)
    done = subprocess.run(
        [sys.executable, "-m", "reader", "--db", str(db), "note", "p1", "-"],
        input=b"caf\xe9 \xff\xfe and \xed\xa0\x80 \x1b[31m", capture_output=True,
        timeout=60, check=False, cwd=os.environ["HOME"],
        env={**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert Library(db).require("p1").notes == "caf\ufffd \ufffd\ufffd and \ufffd\ufffd\ufffd "


def test_a_note_given_as_an_argument_is_stored_clean(db):
    Library(db).add_papers([Paper(id="p1", title="A paper")], backup=False)
    done = run_reader("note", "p1", f"See {OSC52}{RLO}here{BEL}", db=db)
    assert done.returncode == 0, done.stderr
    assert Library(db).require("p1").notes == "See here"


# ---------------------------------------------------------------- point 7
HTML_PAPER = Paper(
    id="html2024",
    title='<script>alert("title")</script> <img src=x onerror=alert(1)> Real Title',
    authors=["Ann <b onmouseover=alert(2)>Lee</b>", "Bo [Chen](javascript:alert(3))", "Cy Diaz"],
    year=2024,
    url="javascript:alert(4)//https://example.org",
    code_url="data:text/html,<script>alert(5)</script>",
    tags=["<img src=x onerror=alert(6)>", "[x](javascript:alert(7))", "<!--", "ok"],
    notes=(
        "Good link: [the paper](https://example.org/paper)\n"
        "<script>alert(8)</script>\n"
        "[click](vbscript:msgbox) [here](JaVaScRiPt:alert(9)) ![pixel](https://t.example/p.png)\n"
        "<https://example.org/auto> <javascript:alert(10)> [ref]: javascript:alert(11)\n"
        "&#106;avascript &lt;b&gt;"
    ),
    read=True,
)
#: What a rendered reading list may contain: lists, quotes, emphasis, links.
ALLOWED_TAGS = {"h1", "p", "ul", "li", "a", "blockquote", "em", "strong", "code", "br", "input"}


def rendered(markdown: str) -> list[tuple[str, dict[str, str | None]]]:
    """The HTML elements (tag, attributes) `render` makes of `markdown`."""
    from html.parser import HTMLParser

    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.elements: list[tuple[str, dict[str, str | None]]] = []

        def handle_starttag(self, tag, attrs):
            self.elements.append((tag, dict(attrs)))

        def handle_comment(self, data):
            self.elements.append(("!--", {}))

    parser = Collect()
    parser.feed(render(markdown))
    return parser.elements


def render(markdown: str) -> str:
    """HTML from a CommonMark renderer with raw HTML on, as most have it, and
    that trusts every link (markdown-it's own refusal of `javascript:` is
    switched off: not every renderer has one)."""
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark", {"html": True})
    renderer.validateLink = lambda url: True
    return renderer.render(markdown)


def assert_inert(markdown: str) -> None:
    elements = rendered(markdown)
    assert {tag for tag, _ in elements} <= ALLOWED_TAGS, elements
    for tag, attrs in elements:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        if tag == "a":
            assert re.match(r"https?://", attrs["href"] or ""), attrs
    assert "javascript:" not in " ".join(str(attrs) for _, attrs in elements).lower()


@pytest.mark.slow
def test_markdown_export_and_citation_hold_no_html_and_only_http_links(db):
    Library(db).add_papers([HTML_PAPER, hostile_paper()], backup=False)
    exported = run_reader("export", "--format", "markdown", db=db)
    assert exported.returncode == 0, exported.stderr
    assert_inert(exported.stdout)
    cited = run_reader("cite", "html2024", "--format", "markdown", db=db)
    assert cited.returncode == 0, cited.stderr
    assert_inert(cited.stdout)
    # What was escaped still shows as written, and the good link is kept.
    links = {attrs["href"] for tag, attrs in rendered(exported.stdout) if tag == "a"}
    assert {"https://example.org/paper", "https://t.example/p.png", "https://example.org/auto"} <= links
    page = render(exported.stdout)
    assert '&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;' in page
    assert "#&lt;img-src=x-onerror=alert(6)&gt;" in page
    assert "[click](vbscript:msgbox)" in page


# ---------------------------------------------------------------- point 5
NOT_HTTP = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox",
    "file:///etc/passwd",
    "ssh://-oProxyCommand=touch${IFS}pwned/x",
    "-oProxyCommand=touch pwned",
    "--new-window=javascript:alert(1)",
    "//evil.example/x",
    "https:///etc/passwd",
    "http:\\\\evil.example",
    "https://" + "a" * 3000 + ".org",
]
#: http(s) links with characters that are not allowed in one: refused as
#: they are; what reaches a citation is cleaned first.
BAD_CHARACTERS = [
    "http://exa mple.org/",
    "https://example.org/\u202egpj.exe",
    "https://example.org/\x1b]8;;https://evil.example\x07x",
]


def _short(url: str) -> str:
    return ascii(url if len(url) < 60 else url[:40] + "...")


@pytest.mark.parametrize("url", NOT_HTTP + BAD_CHARACTERS, ids=_short)
def test_safe_link_refuses_what_is_not_a_plain_http_link(url):
    assert safe_link(url) == ""


@pytest.mark.slow
def test_a_link_that_is_not_plain_http_is_never_a_link(db):
    papers = [Paper(id=f"p{i}", title=f"Linked {i}", url=url, code_url=url) for i, url in enumerate(NOT_HTTP)]
    Library(db).add_papers(papers, backup=False)
    done = run_reader("cite", *(p.id for p in papers), "--format", "markdown", db=db)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == len(NOT_HTTP)
    assert "a" not in {tag for tag, _ in rendered(done.stdout)}


def test_a_link_with_control_characters_or_spaces_is_cleaned_first(db):
    papers = [Paper(id=f"p{i}", title=f"Linked {i}", url=url) for i, url in enumerate(BAD_CHARACTERS)]
    Library(db).add_papers(papers, backup=False)
    done = run_reader("cite", *(p.id for p in papers), "--format", "markdown", db=db)
    assert done.returncode == 0, done.stderr
    assert_clean(done.stdout)
    hrefs = [attrs["href"] for tag, attrs in rendered(done.stdout) if tag == "a"]
    assert hrefs == ["http://exa%20mple.org/", "https://example.org/gpj.exe", "https://example.org/x"]


@pytest.mark.parametrize("url", ["https://arxiv.org/abs/2203.02155", "HTTP://Example.org/a?b=c#d"])
def test_plain_http_links_stay_links_and_never_start_with_a_dash(url):
    assert safe_link(url) == url
    assert safe_link("  " + url + "\n") == url
    assert not safe_link(url).startswith("-")


# ---------------------------------------------------------------- point 14
def _export_to(db: Path, target: Path):
    return run_reader("export", "--format", "bibtex", "-o", str(target), db=db)


def _special_files(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    files = {"a FIFO": fifo, "a directory": tmp_path / "folder"}
    files["a directory"].mkdir()
    link_to_fifo = tmp_path / "link-to-pipe"
    link_to_fifo.symlink_to(fifo)
    files["a symlink to a FIFO"] = link_to_fifo
    link_to_null = tmp_path / "link-to-null"
    link_to_null.symlink_to(os.devnull)
    files["a symlink to /dev/null"] = link_to_null
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere" / "file.bib")
    files["a dangling symlink"] = dangling
    if os.geteuid() == 0:  # only root may make device nodes
        null = tmp_path / "null"
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        files["a device node"] = null
    return files


def _kind(path: Path) -> tuple[int, str]:
    info = path.lstat()
    return stat.S_IFMT(info.st_mode), os.readlink(path) if path.is_symlink() else ""


@pytest.mark.slow
def test_export_writes_only_to_regular_files(tmp_path, db):
    Library(db).add_papers([Paper(id="p", title="A paper", year=2024)], backup=False)
    files = _special_files(tmp_path)
    before = {name: _kind(path) for name, path in files.items()}
    null_before = os.stat(os.devnull)
    for name, path in files.items():
        done = _export_to(db, path)
        assert done.returncode != 0, name
        assert done.stderr.startswith("reader: error: cannot export to"), (name, done.stderr)
        assert len(done.stderr.splitlines()) == 1, done.stderr
        assert _kind(path) == before[name], name
    assert os.stat(os.devnull).st_ino == null_before.st_ino
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert not (tmp_path / "nowhere").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if ".tmp" in p.name) == []


def test_export_through_a_symlink_writes_the_file_and_keeps_the_link(tmp_path, db):
    Library(db).add_papers([Paper(id="p", title="A paper", year=2024)], backup=False)
    real = tmp_path / "real.bib"
    real.write_text("old\n")
    link = tmp_path / "refs.bib"
    link.symlink_to(real)
    done = _export_to(db, link)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith("@misc{p,")
    plain = tmp_path / "new.bib"
    assert _export_to(db, plain).returncode == 0
    assert plain.read_text() == real.read_text()
