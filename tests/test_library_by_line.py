"""The app's way of reading a library: the papers a record a line, the
abstracts scanned (their search texts kept) and read back one by one from
the file, never all held. It must find and show what a library read whole
finds and shows, and see what another process changes."""

from __future__ import annotations

import json

from helpers.papers import numbered
from reader.core.library import Library
from reader.core.library_files import ABSTRACTS, META_TABLE, PAPERS, STATE, schema_table
from reader.core.query import Matcher, parse_query

QUERIES = ["alpha", "beta gamma", "-alpha", "has:abstract", "-has:abstract", "café", '"gamma 3"', "tag:x alpha"]


def make(db, count: int = 40) -> Library:
    def abstract(i: int) -> str:
        if i % 5 == 0:
            return ""  # no abstract
        return f"Alpha {'beta' if i % 2 else 'delta'} gamma {i}. Cafe\u0301 $x^2$ words."

    library = Library(db)
    library.add_papers(numbered(count, "Paper {i}", abstract=abstract, tags=lambda i: ["x"] if i % 3 else []))
    return library


def app_library(db) -> Library:
    library = Library(db, load_abstracts=False)
    library.scan_abstracts()
    return library


def matches(library: Library, query: str) -> list[str]:
    matcher = Matcher(library.papers(), abstract_of=library.abstract, texts=library.search_texts)
    return [p.id for p in matcher.match(parse_query(query), library.papers())]


def test_the_app_finds_and_shows_what_a_whole_read_does(db):
    whole = make(db)
    lazy = app_library(db)
    assert lazy.searchable and not lazy.abstracts_loaded
    assert [p.id for p in lazy.papers()] == [p.id for p in whole.papers()]
    for paper in whole.papers():
        assert lazy.abstract(lazy.require(paper.id)) == paper.abstract
        assert lazy.require(paper.id).abstract == ""  # not held
    for query in QUERIES:
        assert matches(lazy, query) == matches(whole, query), query
    assert matches(lazy, "alpha")  # the abstracts are searched


def test_a_changed_paper_is_searched_with_its_abstract(db):
    make(db)
    lazy = app_library(db)
    pid = "p1"  # with an abstract
    lazy.add_tag([pid], "fresh")
    assert matches(lazy, "fresh alpha") == [pid]


def test_a_file_written_otherwise_is_read_whole(db):
    whole = make(db, 6)
    # The same library, each file on one line (as another program may write it).
    for path in (db, db.with_name("library.abstracts.json"), db.with_name("library.state.json")):
        path.write_text(json.dumps(json.loads(path.read_text())))
    lazy = app_library(db)
    assert sorted(p.id for p in lazy.papers()) == sorted(p.id for p in whole.papers())
    for paper in whole.papers():
        assert lazy.abstract(lazy.require(paper.id)) == paper.abstract
    assert matches(lazy, "alpha") == matches(whole, "alpha")


def test_what_another_process_changes_is_seen(db):
    make(db, 6)
    lazy = app_library(db)
    pid = "p1"
    before = lazy.abstract(lazy.require(pid))
    other = Library(db)
    other.replace_metadata(pid, lambda p: setattr(p, "abstract", "Zeta only here."))
    # Until it is taken in, the abstract is the one of the file scanned.
    assert lazy.abstract(lazy.require(pid)) == before
    assert lazy.refresh()
    assert not lazy.searchable
    lazy.scan_abstracts()
    assert lazy.abstract(lazy.require(pid)) == "Zeta only here."
    assert matches(lazy, "zeta") == [pid]
    # A toggle elsewhere: the state is taken in, the search texts stay.
    other.set_read([pid], True)
    assert lazy.refresh()
    assert lazy.require(pid).read and lazy.searchable


def test_a_damaged_or_foreign_file_is_refused_as_before(db, tmp_path):
    import pytest

    from reader.errors import LibraryError

    make(db, 3)
    text = db.read_text()
    db.write_text(text[: len(text) // 2])  # cut short
    with pytest.raises(LibraryError, match="not valid JSON"):
        Library(db, load_abstracts=False)
    other = tmp_path / "other.json"
    other.write_text('{\n"something": {\n"a": {}\n}\n}\n')
    with pytest.raises(LibraryError, match="not a reader library"):
        Library(other, load_abstracts=False)


def test_a_newer_schema_is_refused(db):
    import pytest

    from reader.errors import LibraryError

    tables = {META_TABLE: {"schema": {"version": 99, "app": "reader"}}, PAPERS: {}, STATE: {}, ABSTRACTS: {}}
    from reader.core.storage import dump_tables

    db.write_bytes(dump_tables(tables))
    with pytest.raises(LibraryError, match="newer version"):
        Library(db, load_abstracts=False)
    assert schema_table()["schema"]["version"] < 99
