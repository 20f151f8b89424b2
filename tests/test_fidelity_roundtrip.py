"""Round trips, field by field: BibTeX in -> BibTeX out -> in again gives the same
library; so does reader's JSON; and the BibTeX we write reads the same in
bibtexparser 2 and in pybtex (entries, keys and name parts)."""

from __future__ import annotations

import json

import bibtexparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string as pybtex_parse

from reader.core.export import export
from reader.core.importers import parse
from reader.core.importers.latex import decode
from reader.core.library import Library

# ---------------------------------------------------------------- entries
GIVEN = ["Ann", "J{\\'e}r{\\^o}me", "Joseph J", "Erik F.", "{\\AA}sa", "Zo{\\\"e}"]
FAMILY = ["Smith", "M{\\\"u}ller", "{\\O}stergaard", "Ku{\\v{c}}era", "LaViola", "Ng"]
PARTICLE = ["van", "van den", "de la", "von"]
SUFFIX = ["Jr.", "III"]
ORG = ["{Some Company, LLC}", "{{Multi-National United}}", "{The {LaTeX} Project}"]


@st.composite
def names(draw) -> str:
    family, given_ = draw(st.sampled_from(FAMILY)), draw(st.sampled_from(GIVEN))
    form = draw(st.integers(0, 6))
    if form == 0:
        return f"{given_} {family}"
    if form == 1:
        return f"{family}, {given_}"
    if form == 2:
        return f"{draw(st.sampled_from(PARTICLE))} {family}, {given_}"
    if form == 3:
        return f"{family}, {draw(st.sampled_from(SUFFIX))}, {given_}"
    if form == 4:
        return draw(st.sampled_from(ORG))
    if form == 5:
        return f"{{{family} {draw(st.sampled_from(FAMILY))}}}, {given_}"  # two-word family
    return f"family={family}, given={given_}, prefix={draw(st.sampled_from(PARTICLE))}"


WORDS = [
    "Learning", "with", "graphs", "{RL}", "{{Whole Phrase}}", "{\\\"O}sterreich",
    "$x^2$", "$\\alpha$-stable", "R\\&D", "50\\%", "\\LaTeX", "na{\\\"\\i}ve",
    "{C++}", "caf\\'e", "{BERT}", "Q-Learning", "under\\_score", "{\\textasciicircum}",
    "x~y",
]
URLS = [
    "https://example.org/a_b?x=1&y=2",
    "https://example.org/\\~{}user/paper.pdf",
    "http://x.example/a\\_b\\%20c#frag",
]
FILES = ["~/papers/x.pdf", "/home/u/My Papers/a_b.pdf", "C:\\papers\\y.pdf"]
PROSE = ["Ume{\\aa} University", "Springer", "{\\'E}ditions du Seuil", "MIT Press \\& Co."]
DATES = ["2024", "2024-04", "2024-04-24", "1984/1986"]
MONTHS = ["apr", "{April}", "4", "dec"]


@st.composite
def entries(draw, key: str) -> str:
    kind = draw(st.sampled_from(["article", "book", "misc", "inproceedings", "online"]))
    fields = {
        "title": " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))),
        "author": " and ".join(draw(st.lists(names(), min_size=1, max_size=3))),
    }
    if draw(st.booleans()):
        fields["editor"] = " and ".join(draw(st.lists(names(), min_size=1, max_size=2)))
        if draw(st.booleans()):
            fields["editor"] += " and others"
    if draw(st.booleans()):
        fields["date"] = draw(st.sampled_from(DATES))
    else:
        fields["year"] = str(draw(st.integers(1900, 2030)))
    optional = {
        "url": st.sampled_from(URLS),
        "file": st.sampled_from(FILES),
        "publisher": st.sampled_from(PROSE),
        "howpublished": st.sampled_from(PROSE),
        "journal": st.sampled_from(PROSE),
        "abstract": st.sampled_from(WORDS).map(lambda w: f"We study {w}. It works."),
        "eprint": st.sampled_from(["2203.02155", "31415926"]),
        "pages": st.sampled_from(["1--10", "e1234", "5"]),
        "mynewfield": st.sampled_from(PROSE),
        "doi": st.sampled_from(["10.1000/xyz.1", "10.5555/a\\_b"]),
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            fields[name] = draw(strategy)
    if "eprint" in fields and draw(st.booleans()):
        fields["eprinttype"] = "pubmed" if fields["eprint"] == "31415926" else "arxiv"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    if draw(st.booleans()):
        body += f",\n  month = {draw(st.sampled_from(MONTHS))}"
    return f"@{kind}{{{key},\n{body}\n}}"


@st.composite
def bibliographies(draw) -> str:
    keys = draw(st.lists(st.sampled_from(["a", "b2024", "author/online", "x:y", "c.d"]),
                         min_size=1, max_size=3, unique=True))
    return "\n\n".join(draw(entries(key)) for key in keys)


# ---------------------------------------------------------------- helpers
def library_of(db, text: str, fmt: str | None = None) -> dict[str, dict]:
    lib = Library(db)
    result = parse(text, fmt)
    lib.add_papers(result.papers, by_id=result.format == "json")
    return {p.id: _fields(p) for p in Library(db).papers()}


def _fields(paper) -> dict:
    data = paper.to_dict()
    data.pop("added")
    return data


def assert_same(first: dict, second: dict) -> None:
    assert set(first) == set(second)
    for pid, fields in first.items():
        for name, value in fields.items():
            assert second[pid][name] == value, (pid, name)


SETTINGS = settings(
    max_examples=25, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# ---------------------------------------------------------------- the properties
@pytest.mark.slow
@SETTINGS
@given(text=bibliographies())
def test_bibtex_and_json_round_trips_give_the_same_library(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("lib")
    first = library_of(folder / "one.json", text)
    papers = Library(folder / "one.json").papers()
    bib = export(papers, "bibtex")
    assert_same(first, library_of(folder / "two.json", bib))
    assert_same(first, library_of(folder / "three.json", export(papers, "json")))
    # Importing the same file again changes nothing.
    before = (folder / "one.json").read_bytes()
    library_of(folder / "one.json", text)
    assert (folder / "one.json").read_bytes() == before


def _pybtex_parts(person) -> dict[str, str]:
    join = lambda parts: decode(" ".join(parts)).replace("{", "").replace("}", "")  # noqa: E731
    return {
        "given": join(person.first_names + person.middle_names),
        "particle": join(person.prelast_names),
        "family": join(person.last_names),
        "suffix": join(person.lineage_names),
    }


@pytest.mark.slow
@SETTINGS
@given(text=bibliographies())
def test_the_export_reads_the_same_in_bibtexparser_and_pybtex(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("lib")
    library_of(folder / "lib.json", text)
    papers = Library(folder / "lib.json").papers()
    bib = export(papers, "bibtex")
    parsed = bibtexparser.parse_string(bib)
    assert not parsed.failed_blocks
    assert [e.key for e in parsed.entries] == [p.cite_key for p in papers]
    other = pybtex_parse(bib, "bibtex")
    assert list(other.entries) == [p.cite_key for p in papers]
    for paper in papers:
        people = other.entries[paper.cite_key].persons.get("author", [])
        assert len(people) == len(paper.authors)
        for theirs, ours in zip(people, paper.authors, strict=True):
            parts = _pybtex_parts(theirs)
            if ours.literal:
                assert parts["family"] == ours.literal and not parts["given"]
            else:
                assert parts == {"given": ours.given, "particle": ours.particle,
                                 "family": ours.family, "suffix": ours.suffix}


def test_json_round_trip_keeps_papers_that_share_a_doi(tmp_path):
    """Three entries, two sharing a (wrong) DOI: three papers, and three after
    JSON export -> import into an empty library."""
    text = """
@book{book1, title = {A History of Bridges}, author = {Stone, Ann}, doi = {10.1000/same}, year = 1990}
@inproceedings{proc1, title = {Graph Kernels at Scale}, author = {Lee, Bo}, doi = {10.1000/same}, year = 2015}
@article{art1, title = {Something Else}, author = {Ng, Cy}, year = 2001}
"""
    first = library_of(tmp_path / "a.json", text)
    assert len(first) == 3
    papers = Library(tmp_path / "a.json").papers()
    assert_same(first, library_of(tmp_path / "b.json", export(papers, "json")))


def test_export_of_a_whole_real_shaped_file_is_stable(tmp_path):
    text = (
        "@string{ieee = {IEEE Press}}\n"
        "@book{knuth, title = {The {\\TeX}book}, author = {Knuth, Donald E.}, "
        "publisher = ieee, year = 1984, month = jan, isbn = {0-201-13447-0}, "
        "note = {With {\\ifmmode \\check{s}\\else \\v{s}\\fi{}}}}\n"
    )
    first = library_of(tmp_path / "a.json", text)
    paper = first["knuth"]
    assert paper["title"] == "The TeXbook" and paper["extra"]["note"] == "With š"
    bib = export(Library(tmp_path / "a.json").papers(), "bibtex")
    assert_same(first, library_of(tmp_path / "b.json", bib))
    assert json.loads(export(Library(tmp_path / "b.json").papers(), "json"))[0]["key"] == "knuth"


@pytest.mark.slow
@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=bibliographies())
def test_many_more_round_trips(tmp_path_factory, text):
    test_bibtex_and_json_round_trips_give_the_same_library.hypothesis.inner_test(
        tmp_path_factory, text
    )
