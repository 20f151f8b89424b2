"""BibTeX import: macros, LaTeX, names, ids, extra fields, malformed entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.importers import detect, parse, read_text
from reader.core.names import Person
from reader.errors import ImportFormatError

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def result():
    return parse(read_text(FIXTURES / "library.bib"))


@pytest.fixture(scope="module")
def by_id(result):
    return {p.id: p for p in result.papers}


def one(text: str):
    result = parse(text, "bibtex")
    assert len(result.papers) == 1, result
    return result.papers[0]


def test_entries_around_a_malformed_one(result):
    assert result.format == "bibtex"
    assert [p.id for p in result.papers] == [
        "vaswani2017attention", "ouyang2022training", "devlin2019bert",
        "goodfellow2016deep", "mueller2009caf",
    ]
    assert result.skipped == [
        ("entry 'broken2020' at line 43",
         "not closed before the next entry starts (a brace or quote is missing)"),
    ]


def test_conference_paper(by_id):
    paper = by_id["vaswani2017attention"]
    assert paper.title == "Attention Is All You Need"
    assert [a.display for a in paper.authors[:2]] == ["Ashish Vaswani", "Noam Shazeer"]
    assert paper.authors[6].display == "Łukasz Kaiser"  # {\L}ukasz
    assert paper.venue == "Advances in Neural Information Processing Systems 30"  # @string + #
    assert paper.year == 2017
    assert paper.entry_type == "inproceedings"
    assert paper.arxiv_id == "1706.03762"  # eprint + archivePrefix
    assert paper.category == "cs.CL"
    assert paper.extra == {
        "month": "dec",  # the month macro, kept as one
        "pages": "5998--6008",
        "keywords": "transformers, attention",
    }
    assert paper.tags == []  # keywords are not the reader's tags


def test_arxiv_preprint_in_journal(by_id):
    paper = by_id["ouyang2022training"]
    assert paper.arxiv_id == "2203.02155"
    assert [a.display for a in paper.authors] == ["Long Ouyang", "Jeff Wu", "Xu Jiang"]
    assert paper.and_others == ["authors"]
    assert paper.year == 2022


def test_braces_and_doi_url(by_id):
    paper = by_id["devlin2019bert"]
    assert paper.title.startswith("BERT: Pre-training of Deep Bidirectional")
    assert paper.authors[1].display == "Ming-Wei Chang"
    assert paper.venue == "Proceedings of NAACL-HLT"  # booktitle
    assert paper.url == "https://doi.org/10.18653/v1/N19-1423"
    assert paper.doi == "10.18653/v1/N19-1423"
    assert paper.extra == {"note": "Best long paper"}


def test_book_with_isbn(by_id):
    paper = by_id["goodfellow2016deep"]
    assert paper.entry_type == "book"
    assert paper.extra == {"publisher": "MIT Press", "isbn": "9780262035613", "volume": "1"}
    assert all(isinstance(v, str) for v in paper.extra.values())


def test_accents_and_names(by_id):
    paper = by_id["mueller2009caf"]
    assert paper.title == "Café Culture and the Gödel Numbering of München"
    assert [a.display for a in paper.authors] == ["Jörg Müller", "Jan van der Berg, Jr", "Søren Østergaard"]
    assert paper.authors[1] == Person(family="Berg", given="Jan", particle="van der", suffix="Jr")
    assert paper.venue == "Essays in Honour of René François"
    assert paper.doi == "10.1000/xyz123"  # https://doi.org/ prefix dropped
    assert paper.extra == {"month": "mar", "address": "Zürich", "doi": "https://doi.org/10.1000/xyz123"}


def test_detected_by_an_entry_at_a_line_start():
    assert detect("% comment\n  @Article{x, title={T}}") == "bibtex"
    assert detect("write to me@example.org{x}") is None


def test_ids_from_urls_and_keys():
    text = r"""
@misc{Has Space,
  title = {Key With a Space},
  url = {https://i6172786976o6f7267z.oszar.com/abs/2203.02155v2}
}
@misc{ok:key-1,
  title = {Old Style},
  eprint = {hep-th/9901001},
  doi = {doi:10.1000/ABC}
}
"""
    first, second = parse(text, "bibtex").papers
    assert first.id == ""  # not a usable key: the library assigns one
    assert first.url == "https://arxiv.org/abs/2203.02155v2"  # unwrapped
    assert first.arxiv_id == "2203.02155"
    assert second.id == "ok:key-1"
    assert second.arxiv_id == "hep-th/9901001"
    assert second.doi == "10.1000/ABC"


def test_values_stay_strings():
    paper = one(
        "@book{b, title={T}, year={in press}, isbn={0262035618}, number={007}, "
        "month={Winter}, pages = 12 # {--} # 20, doi = {not a doi}}"
    )
    assert paper.year is None and paper.doi == ""
    assert paper.extra == {
        "year": "in press", "isbn": "0262035618", "number": "007",
        "month": "Winter", "pages": "12--20", "doi": "not a doi",
    }


def test_biblatex_date_and_journaltitle():
    paper = one("@article{a, title={T}, date={2021-03-04}, journaltitle={J. Things}}")
    assert paper.year == 2021 and paper.venue == "J. Things"


def test_percent_and_ampersand_are_text():
    paper = one("@article{a, title={Q&A for 50% of Cases}, abstract={We cut cost by 30%. Also A & B.}}")
    assert paper.title == "Q&A for 50% of Cases"
    assert paper.abstract == "We cut cost by 30%. Also A & B."


def test_math_in_title_kept():
    paper = one(r"@article{a, title={{PaccMann}$^{RL}$: Designing Drugs}}")
    assert paper.title == "PaccMann$^{RL}$: Designing Drugs"


def test_control_characters_dropped():
    paper = one("@article{a, title={Bell\x07 and \x1b[1mBold\x1b[0m}, author={Doe\x00, Jane}}")
    assert paper.title == "Bell and Bold"
    assert [a.display for a in paper.authors] == ["Jane Doe"]


def test_url_from_howpublished():
    paper = one(r"@misc{a, title={Web Page}, howpublished={\url{https://example.org/page}}}")
    assert paper.url == "https://example.org/page"


@pytest.mark.slow
@pytest.mark.parametrize(
    "title",
    [
        r"\c \" \begin{x} $ unclosed",
        "{" * 3000 + "Deep" + "}" * 3000,
        r"\verb|x| \\ \newline ~ \'{} }{",
        "\\",
    ],
)
def test_odd_latex_never_crashes(title):
    braced = "{" + title + "}"
    result = parse(f"@article{{a, title={braced}, author={braced}}}\n@article{{b, title={{Fine}}}}", "bibtex")
    assert [p.id for p in result.papers][-1] == "b"


def test_duplicate_keys_both_kept():
    result = parse("@misc{k, title={One}}\n@misc{k, title={Two}}", "bibtex")
    assert [(p.id, p.title) for p in result.papers] == [("k", "One"), ("k", "Two")]


def test_duplicate_field_keeps_the_first():
    assert one("@misc{k, title={One}, title={Two}}").title == "One"


def test_unbalanced_braces_at_the_end():
    text = "@article{good, title={Good}}\n\n@article{open, title = {Never closed}\n"
    result = parse(text, "bibtex")
    assert [p.id for p in result.papers] == ["good"]
    assert result.skipped == [
        ("entry 'open' at line 3",
         "not closed before the end of the file (a brace or quote is missing)"),
    ]


def test_nothing_parses():
    with pytest.raises(ImportFormatError) as error:
        parse("@article{open, title = {Never closed\n", "bibtex")
    message = str(error.value)
    assert message.startswith("no papers in this BibTeX: entry 'open' at line 1:")
    assert "\n" not in message


def test_entry_without_anything_to_find_it_by():
    # An entry with only its key is kept: the key finds it again on re-import.
    result = parse("@set{empty, entryset = {a,b}}\n@misc{, year = 2020}\n@misc{t, title={T}}",
                   "bibtex")
    assert [p.id for p in result.papers] == ["empty", "t"]
    assert result.papers[0].extra == {"entryset": "a,b"}
    assert result.skipped == [("an entry at line 2", "no key, title, arXiv id, DOI or URL")]


def test_no_entries_at_all():
    with pytest.raises(ImportFormatError, match="no papers found"):
        parse("@string{a = {b}}\n@comment{nothing}", "bibtex")


def test_macros_case_insensitive_and_redefined():
    text = "@string{Venue = {A}}\n@STRING{venue = {B}}\n@misc{m, title = {T}, journal = VENUE # { 2}}"
    assert one(text).venue == "B 2"
