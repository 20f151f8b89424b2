"""CSL-JSON is read as CSL-JSON, and several files are imported one by one
(issue 10, "What was seen" 11 and 12)."""

from __future__ import annotations

import json

from conftest import run_reader
from reader.core.export import export
from reader.core.importers import detect, parse
from reader.core.library import Library
from reader.core.names import Person

ZOTERO = [
    {
        "id": "http://zotero.org/users/1/items/ABCD1234",
        "type": "article-journal",
        "title": "Sparse coding of <span class=\"nocase\">fMRI</span> signals",
        "container-title": "Journal of Brains",
        "volume": "12", "issue": "3", "page": "101-120",
        "DOI": "10.1000/brain.12", "URL": "https://example.org/brain",
        "author": [{"family": "Oord", "given": "Aaron", "non-dropping-particle": "van den"},
                   {"family": "LaViola", "given": "Joseph J", "suffix": "Jr."},
                   {"literal": "Brain Consortium"}],
        "editor": [{"family": "Cole", "given": "Cy"}],
        "issued": {"date-parts": [[2021, 4, 24]]},
        "ISSN": "1234-5678",
    },
    {
        "id": "smith2019", "citation-key": "smith2019",  # Better BibTeX
        "type": "paper-conference", "title": "Graphs at Scale",
        "container-title": "Proceedings of the Graph Conference",
        "author": [{"family": "Smith", "given": "Ann"}],
        "issued": {"date-parts": [["2019"]]}, "publisher": "GC Press",
    },
    {"id": "pre1", "type": "article", "title": "A Preprint",
     "URL": "https://arxiv.org/abs/2203.02155", "issued": {"date-parts": [[2022, 3]]}},
]


def test_csl_json_is_told_apart_from_readers_own_json():
    text = json.dumps(ZOTERO)
    assert detect(text) == "csl-json"
    result = parse(text)
    assert result.format == "csl-json"
    first, second, third = result.papers
    assert first.title == "Sparse coding of fMRI signals" and first.title_case == [(17, 21)]
    assert first.authors == [
        Person(family="Oord", given="Aaron", particle="van den"),
        Person(family="LaViola", given="Joseph J", suffix="Jr."),
        Person(literal="Brain Consortium"),
    ]
    assert first.editors == [Person(family="Cole", given="Cy")]
    assert (first.year, first.extra["date"]) == (2021, "2021-04-24")
    assert first.venue == "Journal of Brains" and first.entry_type == "article"
    assert (first.extra["volume"], first.extra["number"], first.extra["pages"]) == (
        "12", "3", "101-120")
    assert (first.doi, first.url) == ("10.1000/brain.12", "https://example.org/brain")
    assert first.key == "http://zotero.org/users/1/items/ABCD1234"
    assert second.key == second.id == "smith2019" and second.entry_type == "inproceedings"
    assert second.year == 2019 and second.venue_field == "booktitle"
    assert third.arxiv_id == "2203.02155" and third.extra["date"] == "2022-03"
    # reader's own export of the same papers is still reader's JSON.
    assert parse(export(result.papers, "json")).format == "json"


def test_readers_own_csl_json_export_comes_back(tmp_path):
    papers = parse(json.dumps(ZOTERO)).papers
    again = parse(export(papers, "csl-json")).papers
    assert [p.title for p in again] == [p.title for p in papers]
    assert again[0].authors == papers[0].authors and again[0].doi == papers[0].doi


def test_several_files_one_line_each_a_bad_one_named_and_skipped(db, tmp_path):
    good = tmp_path / "good.bib"
    good.write_text("@article{a1, title = {Alpha}, year = 2020}\n")
    bad = tmp_path / "bad.bib"
    bad.write_text("@article{broken, title = {Never closed\n")
    csl = tmp_path / "items.json"
    csl.write_text(json.dumps(ZOTERO))
    result = run_reader("import", str(good), str(bad), str(csl), str(tmp_path / "none.bib"), db=db)
    assert result.returncode != 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{good}: added 1, merged 0, skipped 0  [bibtex]")
    assert lines[1].startswith(f"{csl}: added 3, merged 0, skipped 0  [csl-json]")
    assert f"{bad}: no papers in this BibTeX" in result.stderr
    assert f"{tmp_path / 'none.bib'}: no such file" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(Library(db)) == 4
    again = run_reader("import", str(good), str(csl), db=db)
    assert again.returncode == 0 and "added 0" in again.stdout
