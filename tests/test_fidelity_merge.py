"""Merging never joins two different works, and re-importing changes nothing
(issue 10, "What was seen" 1-4, and "Merging is safe", "Idempotent and lossless")."""

from __future__ import annotations

import json

import pytest

from conftest import run_reader
from reader.core.export import export
from reader.core.importers import parse
from reader.core.library import Library
from reader.core.text import title_key


def imported(db, text: str, fmt: str | None = None):
    result = parse(text, fmt)
    return Library(db).add_papers(result.papers, by_id=result.format == "json")


# 1. different works with the same or nearly the same title
def test_c_and_cpp_books_stay_two_papers(db):
    imported(db, """
@book{kr, title = {Programming in {C}}, author = {Kernighan, Brian}, year = 1978}
@book{bs, title = {Programming in {C++}}, author = {Stroustrup, Bjarne}, year = 1986}
@book{cs, title = {Programming in C\\#}, author = {Hejlsberg, Anders}, year = 2003}
@book{fs, title = {Programming in F\\#}, author = {Syme, Don}, year = 2010}
""")
    titles = sorted(p.title for p in Library(db).papers())
    assert titles == ["Programming in C", "Programming in C#", "Programming in C++",
                      "Programming in F#"]
    assert len({title_key(t) for t in titles}) == 4


def test_same_plain_title_different_dois_and_authors_stay_apart(db):
    imported(db, """
@article{art, title = {Biochemistry of Zinc}, author = {Ames, Ann}, doi = {10.1000/art.1},
  journal = {Journal of Metals}, year = 2001}
@incollection{chap, title = {Biochemistry of Zinc}, author = {Bohr, Ben}, doi = {10.1000/chap.2},
  booktitle = {Handbook of Zinc}, publisher = {Big Press}, isbn = {978-0-00-000000-0},
  editor = {Cole, Cy}, year = 2001}
""")
    by_id = {p.id: p for p in Library(db).papers()}
    assert set(by_id) == {"art", "chap"}
    article = by_id["art"]  # took nothing from the chapter
    assert "publisher" not in article.extra and "isbn" not in article.extra
    assert article.editors == [] and article.venue == "Journal of Metals"


def test_same_title_years_far_apart_or_other_first_author_stay_apart(db):
    imported(db, """
@book{old, title = {Introduction}, author = {Ames, Ann}, year = 1950}
@book{new, title = {Introduction}, author = {Ames, Ann}, year = 2020}
@book{oth, title = {Introduction}, author = {Bohr, Ben}, year = 2020}
""")
    assert len(Library(db)) == 3


ATOM = """<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>
<id>http://arxiv.org/abs/1901.00001v2</id><title>Deep Nets</title><published>2019-01-01</published>
<summary>We study deep nets.</summary><author><name>Ann Ames</name></author></entry></feed>"""


def test_a_preprint_and_its_publication_are_one_paper(db):
    imported(db, "@article{j, title = {Deep nets.}, author = {Ames, Ann}, "
                 "year = 2020, journal = {Journal of Nets}, volume = {3}}")
    result = imported(db, ATOM)
    assert result.merged == ["j"]
    (paper,) = Library(db).papers()
    assert paper.venue == "Journal of Nets" and paper.arxiv_id == "1901.00001"
    assert paper.abstract == "We study deep nets."


def test_two_entries_with_their_own_keys_stay_two_and_are_listed(db):
    """Each is cited by its key: joining them would break one `\\cite{}`."""
    result = imported(db, """
@article{baez/article, title = {Higher-Dimensional Algebra}, author = {Baez, John}, year = 2004}
@online{baez/online, title = {Higher-Dimensional Algebra}, author = {Baez, John}, year = 2004}
""")
    assert len(result.added) == 2 and not result.merged
    assert sorted(p.key for p in Library(db).papers()) == ["baez/article", "baez/online"]
    listed = run_reader("duplicates", db=db)
    assert "(same title)" in listed.stdout


# 2. a shared (wrong) DOI with everything else different
def test_a_shared_doi_with_different_titles_keeps_both_and_says_so(db):
    imported(db, "@book{book, title = {A History of Bridges}, author = {Stone, Ann}, "
                 "doi = {10.1000/same}, publisher = {Stone Press}, year = 1990}")
    result = imported(db, "@inproceedings{proc, title = {Graph Kernels at Scale}, "
                          "author = {Lee, Bo}, doi = {10.1000/same}, booktitle = {Proc. of GK}, "
                          "pages = {1--9}, year = 2015}")
    assert result.added == ["proc"] and not result.merged
    assert result.possible_duplicates == [("proc", "book", "same DOI, titles differ")]
    book = Library(db).require("book")
    assert book.venue == "" and "pages" not in book.extra
    assert book.extra["publisher"] == "Stone Press"


@pytest.mark.slow
def test_duplicates_and_merge_commands(db):
    imported(db, "@book{book, title = {A History of Bridges}, doi = {10.1000/same}, year = 1990}\n"
                 "@misc{copy, title = {Graph Kernels at Scale}, doi = {10.1000/same}, year = 1990, "
                 "note = {a copy with a wrong title}}")
    listed = run_reader("duplicates", db=db)
    assert listed.returncode == 0
    assert "book  copy  (same DOI)" in listed.stdout
    Library(db).set_notes("copy", "my notes")
    merged = run_reader("merge", "book", "copy", db=db)
    assert merged.returncode == 0 and "merged copy into book" in merged.stdout
    lib = Library(db)
    assert "copy" not in lib and lib.require("book").notes == "my notes"
    assert lib.require("book").extra["note"] == "a copy with a wrong title"
    assert "no possible duplicates" in run_reader("duplicates", db=db).stdout
    refused = run_reader("merge", "book", "book", db=db)
    assert refused.returncode != 0 and "two different papers" in refused.stderr


# 3. JSON export -> import restores every record by its id
def test_json_import_restores_every_record_by_its_id(db, tmp_path):
    imported(db, """
@book{b1, title = {Same Title}, doi = {10.1000/x}, year = 2000}
@book{b2, title = {Same Title}, doi = {10.1000/y}, year = 2000}
@misc{b3, title = {Other}, url = {https://example.org/3}}
""")
    papers = Library(db).papers()
    assert len(papers) == 3
    again = tmp_path / "again.json"
    result = imported(again, export(papers, "json"))
    assert sorted(result.added) == ["b1", "b2", "b3"]
    # Importing it once more merges each into itself, and changes nothing.
    before = again.read_bytes()
    result = imported(again, export(papers, "json"))
    assert sorted(result.merged) == ["b1", "b2", "b3"] and not result.updated
    assert again.read_bytes() == before


def test_json_records_of_different_ids_are_never_merged(db, tmp_path):
    imported(db, "@article{one, title = {Deep Nets}, doi = {10.1000/d}, year = 2020}")
    record = json.loads(export(Library(db).papers(), "json"))[0]
    record["id"] = "two"
    result = imported(db, json.dumps([record]))
    assert result.added == ["two"] and not result.merged
    assert len(Library(db)) == 2


# 4. entries with no title, a placeholder title or only a URL
def test_reimport_of_entries_without_titles_adds_nothing(db):
    text = """
@misc{alias2005, author = {Alias, Ann}, year = 2005, howpublished = {\\url{https://example.org/a}}}
@misc{qq, title = {???}, url = {https://example.org/qq}}
@online{author/online, url = {https://example.org/only}}
"""
    first = imported(db, text)
    assert len(first.added) == 3
    before = db.read_bytes()
    for _ in range(2):
        again = imported(db, text)
        assert not again.added and len(again.merged) == 3 and not again.updated
    assert db.read_bytes() == before
    assert sorted(p.key for p in Library(db).papers()) == ["alias2005", "author/online", "qq"]


def test_reimport_of_csl_json_by_its_ids_adds_nothing(db):
    items = [{"id": "web1", "type": "webpage", "URL": "https://example.org/w"},
             {"id": "noname", "type": "article", "title": "???", "URL": "https://example.org/n"}]
    assert len(imported(db, json.dumps(items)).added) == 2
    again = imported(db, json.dumps(items))
    assert not again.added and not again.updated
