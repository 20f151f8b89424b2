"""Bad import input: one clear line, no traceback, and nothing half-written.

Through the real command line (`reader import FILE` in a subprocess): binary
files, text that is not UTF-8, empty files, 100 MB of text, JSON nested
thousands deep, BibTeX with unbalanced braces, arXiv XML with missing fields or
cut short. When an import fails, the library is exactly as it was (or still
absent); when some entries of a recognised format parse, those are imported and
every skipped entry is named with its reason. The same holds from the app's
`i` key.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from conftest import run_reader
from helpers.papers import numbered
from helpers.params import first_fast
from reader.core.library import Library
from reader.ui.app import create_app
from textual_probes import notifications

TIMEOUT = 120  # only catches a hang


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock") and "input" not in p.parts
    }


@pytest.fixture
def inputs(tmp_path) -> Path:
    folder = tmp_path / "input"
    folder.mkdir()
    return folder


@pytest.fixture
def existing(db) -> Path:
    """A library with papers and a reader's state already in it."""
    library = Library(db)
    library.add_papers(numbered(3, "Existing paper {i}"))
    library.set_starred(["p1"], True)
    return db


def assert_one_clear_line(result, *words: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


BAD_FILES = {
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    "latin-1": ("Café au lait: a study of foam\nWe study foam in café drinks.\n".encode("latin-1"),
                "not UTF-8"),
    "UTF-16": ("@article{a, title={T}}".encode("utf-16"), "UTF-16"),
    "empty": (b"", "empty"),
    "only white space": (b"  \n\n\t \n", "empty"),
    "deeply nested JSON list": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "deeply nested JSON object": (b'{"a":' * 5_000 + b"1" + b"}" * 5_000, "nested too deeply"),
    "nested JSON inside a paper list": (b'{"papers": ' + b"[" * 3_000 + b"]" * 3_000 + b"}",
                                        "nested too deeply"),
    "truncated JSON": (b'[{"title": "A paper", "authors": ["Ann', "JSON"),
    "arXiv XML cut short": (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                            b"<entry><id>http://arxiv.org/abs/2203.02155", "XML"),
    "BibTeX with every entry broken": (b"@article{a, title={Broken {one}\n"
                                       b"@article{b, title = {Also {broken}\n", "'a'"),
    "prose with an arXiv id in it": (b"Just some prose that mentions 2203.02155 once.\n"
                                     b"And a second line of it.\n", "not a format"),
}


@pytest.mark.parametrize("kind", first_fast(BAD_FILES))
def test_bad_input_is_refused_and_the_library_is_untouched(tmp_path, inputs, existing, kind):
    content, words = BAD_FILES[kind]
    source = inputs / "input.dat"
    source.write_bytes(content)
    before = snapshot(tmp_path)
    assert_one_clear_line(run_reader("import", str(source), db=existing, timeout=TIMEOUT), words)
    assert snapshot(tmp_path) == before
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.slow
def test_bad_input_never_creates_a_library(tmp_path, inputs, db):
    for kind, (content, words) in BAD_FILES.items():
        source = inputs / f"{kind}.dat"
        source.write_bytes(content)
        assert_one_clear_line(run_reader("import", str(source), db=db, timeout=TIMEOUT), words)
    assert [p.name for p in tmp_path.iterdir() if p.name != "input"] in ([], [db.name + ".lock"])


def test_binary_on_standard_input_is_one_line(existing, tmp_path):
    before = snapshot(tmp_path)
    assert_one_clear_line(run_reader("import", "-", db=existing, input=b"\x00\x01\x02\xff\xfe binary", timeout=TIMEOUT))
    assert snapshot(tmp_path) == before


@pytest.mark.slow
def test_a_100_mb_text_file_is_a_clear_message(tmp_path, inputs, existing):
    source = inputs / "big.txt"
    line = b"A line of text that is not a list of papers in any format at all\n"
    chunk = line * (1024 * 1024 // len(line) + 1)
    with source.open("wb") as handle:
        for _ in range(100):
            handle.write(chunk)
    assert source.stat().st_size >= 100 * 1024 * 1024
    before = snapshot(tmp_path)
    try:
        assert_one_clear_line(run_reader("import", str(source), db=existing, timeout=TIMEOUT), "not a format")
    finally:
        source.unlink()
    assert snapshot(tmp_path) == before


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, inputs, existing,
                                                                 monkeypatch, capsys):
    from reader import cli
    from reader.core import importers

    monkeypatch.setattr(importers, "MAX_BYTES", 1024 * 1024)
    source = inputs / "big.bib"
    source.write_bytes(b"@misc{x, title={A title}}\n" * 50_000)  # 1.3 MB of valid BibTeX
    before = snapshot(tmp_path)
    assert cli.main(["--db", str(existing), "import", str(source)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "larger than 1 MB" in err[0] and "too large" in err[0]
    assert snapshot(tmp_path) == before


UNBALANCED_BIB = """\
@article{good1,
  title = {A Good Paper About {Braces}},
  author = {Lee, Ann and Chen, Bo},
  year = {2020}
}

@article{broken,
  title = {Unbalanced {braces here},
  author = {Doe, Jo},
  year = {2021}

@inproceedings{good2,
  title = {Another Good One},
  author = {Diaz, Cy},
  booktitle = {Proceedings of Something},
  year = {2022}
}
"""


def test_bibtex_with_unbalanced_braces_imports_the_good_entries_and_names_the_broken(
    tmp_path, inputs, existing
):
    source = inputs / "refs.bib"
    source.write_text(UNBALANCED_BIB)
    result = run_reader("import", str(source), db=existing, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "added 2" in result.stdout and "skipped 1" in result.stdout
    skipped = [line for line in result.stdout.splitlines() if line.strip().startswith("skipped")]
    assert len(skipped) == 1
    assert "'broken'" in skipped[0] and "line 7" in skipped[0] and "brace" in skipped[0]
    library = Library(existing)
    titles = {p.title: p for p in library.papers()}
    assert set(titles) == {"Existing paper 0", "Existing paper 1", "Existing paper 2",
                           "A Good Paper About Braces", "Another Good One"}
    good = titles["A Good Paper About Braces"]
    assert [a.display for a in good.authors] == ["Ann Lee", "Bo Chen"] and good.year == 2020  # whole, not half
    assert titles["Another Good One"].venue == "Proceedings of Something"
    assert library.require("p1").starred  # the reader's state is untouched
    assert len(library.backups()) == 1  # backed up before the import changed many papers


ATOM_MISSING = """\
<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <entry>
    <id>http://arxiv.org/abs/2203.02155v1</id>
    <title>Training language models to follow instructions</title>
    <author><name>Long Ouyang</name></author>
    <published>2022-03-04T00:00:00Z</published>
  </entry>
  <entry>
    <summary>No id and no title: nothing to know this paper by.</summary>
  </entry>
  <entry>
    <title>Only a title, no id, no authors</title>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/1706.03762</id>
  </entry>
  <entry>
    <id></id><title></title><author><name></name></author><published>not a date</published>
  </entry>
</feed>
"""


def test_arxiv_xml_with_missing_fields(tmp_path, inputs, db):
    source = inputs / "feed.xml"
    source.write_text(ATOM_MISSING)
    result = run_reader("import", str(source), db=db, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "added 3" in result.stdout and "skipped 2" in result.stdout
    skipped = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("skipped")]
    assert len(skipped) == 2
    assert "entry 2" in skipped[0] and "no id and no title" in skipped[0]
    assert "entry 5" in skipped[1] and "no id and no title" in skipped[1]
    papers = {p.arxiv_id or p.title: p for p in Library(db).papers()}
    assert set(papers) == {"2203.02155", "Only a title, no id, no authors", "1706.03762"}
    assert [a.display for a in papers["2203.02155"].authors] == ["Long Ouyang"] and papers["2203.02155"].year == 2022
    assert papers["1706.03762"].title == ""  # unknown until enriched, never made up


@pytest.mark.slow
async def test_the_app_refuses_bad_input_and_keeps_running(tmp_path, inputs, existing):
    binary = inputs / "picture.png"
    binary.write_bytes(BAD_FILES["binary"][0])
    bib = inputs / "refs.bib"
    bib.write_text(UNBALANCED_BIB)
    before = snapshot(tmp_path)
    app = create_app(Library(existing), use_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("i")
        app.screen.query_one("#prompt-input", Input).value = str(binary)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        errors = [n for n in notifications(app) if n.severity == "error"]
        assert len(errors) == 1 and "binary" in errors[0].message
        assert snapshot(tmp_path) == before

        await pilot.press("i")
        app.screen.query_one("#prompt-input", Input).value = str(bib)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        notices = [n.message for n in notifications(app)]
        assert any("added 2" in m and "skipped entry 'broken' at line 7" in m for m in notices), notices
        assert len(app.screen.query_one("#papers").rows) == 5
    assert len(Library(existing)) == 5
