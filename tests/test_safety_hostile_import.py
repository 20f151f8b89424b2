"""Small hostile files cannot blow up an import or take a whole file down.

Through the real command line (issue 11, points 4 and 15):

* a 1 KB BibTeX file whose `@string` macros double each other forty times
  (`title = m40` would be 3 TB of text) imports its good entry and skips the
  bad one with a reason: no traceback, no memory blow-up (the command runs
  with its address space limited, so that a regression fails here instead of
  filling the machine's memory);
* a file of many entries that each use a large macro is stopped by a budget
  for the whole file;
* one JSON item with a lone UTF-16 surrogate is skipped and named, the rest
  imported;
* an arXiv feed with a comment that mentions `<!DOCTYPE` imports, while a
  real DOCTYPE stays refused, wherever it hides in the prolog.
"""

from __future__ import annotations

import json

import pytest

from conftest import run_reader
from reader.core.importers.bibtex import MAX_FIELD
from reader.core.library import Library

#: Runs the command line with at most 2 GB of address space.
LIMITED = (
    "-c",
    "import resource, sys; "
    "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30)); "
    "from reader.cli import main; sys.exit(main())",
)


def bomb(levels: int = 40) -> str:
    lines = ['@string{m0 = "lol"}']
    lines += [f"@string{{m{i} = m{i - 1} # m{i - 1}}}" for i in range(1, levels + 1)]
    lines.append(f"@article{{boom, title = m{levels}, year = 2020}}")
    lines.append("@article{fine, title = {A Fine Paper}, journal = m3, year = 2021}")
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_a_macro_bomb_skips_its_entry_with_a_reason(tmp_path, db):
    source = tmp_path / "bomb.bib"
    source.write_text(bomb())
    assert source.stat().st_size < 1200
    done = run_reader("import", str(source), db=db, program=LIMITED, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    # One line says the library was made; no traceback, no warning.
    assert done.stderr == f"reader: a new library at {db}\n"
    assert "added 1, merged 0, skipped 1" in done.stdout
    assert f"entry 'boom' at line 42: field 'title': @string 'm40' expands past {MAX_FIELD:,}" in done.stdout
    papers = Library(db).papers()
    assert [(p.id, p.title, p.venue) for p in papers] == [("fine", "A Fine Paper", "lol" * 8)]


def test_a_field_longer_than_the_limit_is_skipped_even_without_macros(tmp_path, db):
    source = tmp_path / "long.bib"
    source.write_text(
        "@article{long, title = {" + "x" * (MAX_FIELD + 1) + "}, year = 2020}\n"
        "@article{short, title = {Short}, year = 2020}\n"
    )
    done = run_reader("import", str(source), db=db)
    assert done.returncode == 0, done.stderr
    assert f"entry 'long' at line 1: field 'title': longer than {MAX_FIELD:,} characters" in done.stdout
    assert [p.id for p in Library(db).papers()] == ["short"]


@pytest.mark.slow
def test_many_entries_using_a_large_macro_stop_at_the_file_budget(tmp_path, db):
    # m15 is 98,304 characters, under the field limit; 40 entries using it
    # would make 4 MB of titles out of a 2 KB file.
    entries = [f"@article{{e{i}, title = m15 # {{ {i}}}, year = 2020}}" for i in range(40)]
    source = tmp_path / "wide.bib"
    source.write_text(bomb(15).replace("@article{boom, title = m15, year = 2020}\n", "") + "\n".join(entries))
    done = run_reader("import", str(source), db=db, program=LIMITED, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "too much text in all" in done.stdout
    added = len(Library(db).papers())
    assert 2 <= added < 15, done.stdout  # the first ones fit in the budget, then no more
    assert f"skipped {41 - added}" in done.stdout


def test_a_json_item_with_a_lone_surrogate_is_named_and_the_rest_imported(tmp_path, db):
    items = [
        {"id": "good1", "title": "A good paper"},
        {"id": "bad", "title": "Broken \ud800 title"},
        {"id": "emoji", "title": "Emoji \U0001f600 stays"},
        {"id": "badtag", "title": "Tagged", "tags": ["ok", "x\udfff"]},
    ]
    source = tmp_path / "items.json"
    source.write_text(json.dumps(items))  # ASCII: the surrogates as \ud800 escapes
    done = run_reader("import", str(source), db=db)
    assert done.returncode == 0, done.stderr
    assert "added 2, merged 0, skipped 2" in done.stdout
    assert "item 2 ('bad'): 'title' holds U+D800" in done.stdout
    assert "item 4 ('badtag'): 'tags[1]' holds U+DFFF" in done.stdout
    assert {p.title for p in Library(db).papers()} == {"A good paper", "Emoji \U0001f600 stays"}


FEED = (
    '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
    "<id>http://arxiv.org/abs/2203.02155v1</id><title>Training language models &amp; more</title>"
    "</entry></feed>\n"
)


def test_an_xml_comment_that_mentions_a_doctype_is_not_refused(tmp_path, db):
    source = tmp_path / "feed.xml"
    source.write_text(
        '<?xml version="1.0"?>\n<!-- saved from <!DOCTYPE html> and <!ENTITY x> pages -->\n' + FEED
    )
    done = run_reader("import", str(source), db=db)
    assert done.returncode == 0, done.stderr
    assert "added 1" in done.stdout
    assert [p.title for p in Library(db).papers()] == ["Training language models & more"]


def test_a_real_doctype_is_still_refused_wherever_it_hides(tmp_path, db):
    laughs = '<!DOCTYPE feed [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;">]>'
    hidden = [
        f'<?xml version="1.0"?>\n{laughs}\n',
        f'<?xml version="1.0"?>\n<!-- a comment -->\n{laughs}\n',
        f'<?xml version="1.0"?>\n<?pi <!-- ?>{laughs}<?pi -->?>\n',
        f"<!-- one --><!-- two -->\n  {laughs}",
    ]
    for number, prolog in enumerate(hidden):
        source = tmp_path / f"laughs{number}.xml"
        source.write_text(prolog + FEED.replace("&amp; more", "&b;"))
        done = run_reader("import", str(source), "--format", "arxiv", db=db)
        assert done.returncode == 2, (prolog, done.stdout)
        assert "DOCTYPE" in done.stderr and "refused" in done.stderr, done.stderr
    assert not db.exists() or Library(db).papers() == []
