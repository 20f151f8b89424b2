"""Nothing dropped, nothing changed: names, LaTeX, case, dates, keys, eprints,
venues and abstracts come back out as they went in (issue 10, "What was seen" 5-10, 13)."""

from __future__ import annotations

import bibtexparser
import pytest

from conftest import run_reader
from reader.core.bibwriter import bibtex_entry
from reader.core.export import export
from reader.core.importers import parse
from reader.core.library import Library
from reader.core.names import Person
from reader.core.query import Matcher, parse_query


def one(text: str):
    (paper,) = parse(text).papers
    return paper


def fields_of(bib: str) -> dict[str, str]:
    (entry,) = bibtexparser.parse_string(bib).entries
    return {f.key: f.value for f in entry.fields}


# 5. names keep their parts
@pytest.mark.parametrize("raw, person", [
    ("LaViola Jr., Joseph J", Person(family="LaViola Jr.", given="Joseph J")),
    ("Sahami Shirazi, Alireza", Person(family="Sahami Shirazi", given="Alireza")),
    ("Tjong Kim Sang, Erik F.", Person(family="Tjong Kim Sang", given="Erik F.")),
    ("{Mota de Freitas}, Duarte E.", Person(family="Mota de Freitas", given="Duarte E.")),
    ("{Some Company, LLC}", Person(literal="Some Company, LLC")),
    ("{{Multi-National United}}", Person(literal="Multi-National United")),
    ("family=Oord, given=Aaron, prefix=van den, useprefix=true",
     Person(family="Oord", given="Aaron", particle="van den")),
])
def test_names_keep_their_parts_through_import_and_export(raw, person):
    paper = one(f"@misc{{k, title = {{T}}, author = {{{raw}}}, editor = {{{raw}}}}}")
    assert paper.authors == [person] and paper.editors == [person]
    again = one(bibtex_entry(paper))
    assert again.authors == [person] and again.editors == [person]


def test_author_query_matches_any_part_of_a_name(tmp_path):
    paper = one("@misc{k, title = {T}, author = {van den Oord, Aaron and {Some Company, LLC}}}")
    for query in ("author:oord", 'author:"van den oord"', "author:aaron", "author:llc"):
        assert Matcher().match(parse_query(query), [paper]) == [paper], query
    assert Matcher().match(parse_query("author:smith"), [paper]) == []


def test_a_library_with_names_as_text_is_upgraded_after_a_backup(db):
    old = {
        "_meta": {"schema": {"version": 1, "app": "reader"}},
        "papers": {"p1": {"title": "T", "authors": ["Aaron van den Oord", "Ann Smith"],
                          "added": "2024-01-01T00:00:00+00:00"}},
    }
    import json
    db.write_text(json.dumps(old))
    lib = Library(db)
    assert lib.require("p1").authors[0] == Person(family="Oord", given="Aaron", particle="van den")
    stored = json.loads(db.read_text())
    assert stored["_meta"]["schema"]["version"] == 2
    assert stored["papers"]["p1"]["authors"][1] == {"family": "Smith", "given": "Ann"}
    (backup,) = lib.backups()
    assert json.loads(backup.read_text())["papers"]["p1"]["authors"][0] == "Aaron van den Oord"


# 6. LaTeX both ways
def test_latex_decoded_for_reading_and_encoded_back():
    paper = one(r"""@book{k, title = {The \LaTeX\ Companion and the \TeX{} book},
  author = {Ku{\v{c}}era, Ond{\v{r}}ej}, publisher = {Ume\aa\ University},
  note = {\ifmmode \check{s}\else \v{s}\fi{} and 2\textasciicircum{}10 and x\^{}y}}""")
    assert paper.title == "The LaTeX Companion and the TeX book"
    assert paper.authors == [Person(family="Kučera", given="Ondřej")]
    assert paper.extra["publisher"] == "Umeå University"
    assert paper.extra["note"] == "š and 2^10 and x^y"
    bib = bibtex_entry(paper)
    assert "textbackslash" not in bib  # never escaped twice
    again = one(bib)
    assert (again.title, again.extra, again.authors) == (paper.title, paper.extra, paper.authors)


def test_verbatim_fields_keep_their_characters():
    paper = one(r"""@misc{k, title = {T}, url = {https://example.org/\~{}me/a\_b?x=1&y=2},
  file = {~/papers/x_y.pdf}, doi = {10.1000/a\_b}, eprint = {hep-th/9901001}}""")
    assert paper.url == "https://example.org/~me/a_b?x=1&y=2"
    assert paper.extra["file"] == "~/papers/x_y.pdf"
    assert paper.doi == "10.1000/a_b"
    written = fields_of(bibtex_entry(paper))
    assert written["url"] == "https://example.org/~me/a_b?x=1&y=2"
    assert written["file"] == "~/papers/x_y.pdf"
    assert written["doi"] == "10.1000/a_b"
    assert one(bibtex_entry(paper)).url == paper.url


# 7. case protection
def test_case_protection_is_remembered_and_written_back():
    paper = one("@misc{k, title = {Deep {RL} for {{Whole Phrase}} in {\\\"O}sterreich}}")
    assert paper.title == "Deep RL for Whole Phrase in Österreich"
    assert fields_of(bibtex_entry(paper))["title"] == "Deep {RL} for {Whole Phrase} in Österreich"
    whole = one("@misc{k, title = {{A Title Kept Whole}}}")
    assert fields_of(bibtex_entry(whole))["title"] == "{A Title Kept Whole}"
    plain = one("@misc{k, title = {Attention is all you need}}")
    assert fields_of(bibtex_entry(plain))["title"] == "Attention is all you need"


# 8. month and dates
def test_month_is_written_as_its_macro_and_dates_are_kept_whole():
    for month in ("apr", "{April}", "4"):
        bib = bibtex_entry(one(f"@article{{k, title = {{T}}, year = 2009, month = {month}}}"))
        assert "  month = apr" in bib
    for date, year in (("2024", 2024), ("2024-04", 2024), ("2024-04-24", 2024),
                       ("1984/1986", 1984)):
        paper = one(f"@article{{k, title = {{T}}, date = {{{date}}}}}")
        assert paper.year == year and paper.extra["date"] == date
        written = fields_of(bibtex_entry(paper))
        assert written["date"] == date and "year" not in written


# 9. keys as given
def test_source_keys_are_kept_and_used_by_cite_and_export(db):
    bib = db.parent / "a.bib"
    bib.write_text("@online{author/online, title = {A Page}, url = {https://example.org}}\n")
    assert run_reader("import", str(bib), db=db).returncode == 0
    cited = run_reader("cite", "author/online", db=db)
    assert cited.returncode == 0 and cited.stdout.startswith("@online{author/online,")
    exported = run_reader("export", "--format", "bibtex", db=db)
    assert "@online{author/online," in exported.stdout


# 10. eprints and venues
def test_other_eprints_and_arxiv_classes_are_kept():
    pubmed = one("@article{k, title = {T}, eprint = {31415926}, eprinttype = {pubmed}}")
    assert pubmed.arxiv_id == "" and pubmed.extra == {"eprint": "31415926", "eprinttype": "pubmed"}
    written = fields_of(bibtex_entry(pubmed))
    assert written["eprint"] == "31415926" and written["eprinttype"] == "pubmed"
    other = one("@misc{k, title = {T}, eprint = {hal-0001}, archivePrefix = {HAL}, "
                "primaryClass = {math.AG}}")
    written = fields_of(bibtex_entry(other))
    assert (written["eprint"], written["archivePrefix"], written["primaryClass"]) == (
        "hal-0001", "HAL", "math.AG")
    arxiv = one("@misc{k, title = {T}, eprint = {2203.02155}, archivePrefix = {arXiv}, "
                "primaryClass = {cs.LG}}")
    assert (arxiv.arxiv_id, arxiv.category) == ("2203.02155", "cs.LG")
    written = fields_of(bibtex_entry(arxiv))
    assert (written["eprint"], written["archivePrefix"], written["primaryClass"]) == (
        "2203.02155", "arXiv", "cs.LG")


def test_the_venue_never_overwrites_a_source_field():
    misc = one("@misc{k, title = {T}, howpublished = {Blog post}}")
    misc.venue = "Found elsewhere"
    assert fields_of(bibtex_entry(misc))["howpublished"] == "Blog post"
    book = one("@book{k, title = {T}, publisher = {Real Press}}")
    book.venue = "Some Venue"
    assert fields_of(bibtex_entry(book))["publisher"] == "Real Press"
    biblatex = one("@article{k, title = {T}, journaltitle = {J. of Things}}")
    assert fields_of(bibtex_entry(biblatex))["journaltitle"] == "J. of Things"


def test_unknown_fields_are_kept_and_written_back():
    paper = one("@article{k, title = {T}, mynewfield = {Some {\\'E}cole}, addendum = {x}}")
    written = fields_of(bibtex_entry(paper))
    assert written["mynewfield"] == "Some École" and written["addendum"] == "x"


# 13. abstracts
def test_abstracts_are_exported_unless_left_out(db):
    paper = one("@article{k, title = {T}, abstract = {We show that 50\\% of $x$ is \\emph{y}.}}")
    assert paper.abstract == "We show that 50% of $x$ is y."
    assert fields_of(export([paper], "bibtex"))["abstract"] == r"We show that 50\% of {$x$} is y."
    assert "abstract" not in export([paper], "bibtex", abstracts=False)
    Library(db).add_papers([paper])
    assert "abstract" not in run_reader("export", "--format", "bibtex", "--no-abstracts",
                                        db=db).stdout
