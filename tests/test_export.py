"""Exports: files a user keeps, re-imports or hands to another tool."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from helpers.papers import attention, instructgpt, lenet, minirag
from reader import cli
from reader.core.export import export
from reader.core.formats import EXPORT_FORMATS
from reader.core.importers import parse
from reader.core.library import Library
from reader.core.models import Paper
from reader.errors import ReaderError


def papers() -> list[Paper]:
    return [
        attention(
            abstract="A translation model built from attention alone...",
            added="2024-01-02T03:04:05+00:00",
            tags=["transformers", "classic"],
            read=True,
            read_at="2024-02-01T10:00:00+00:00",
            starred=True,
            notes="Multi-head attention.\nSee section 3.2 for the scaling.",
        ),
        lenet(),
        instructgpt(authors=["Long Ouyang", "OpenAI"], tags=["rlhf"]),
        minirag(
            title="MiniRAG: Towards Extremely Simple RAG & {friends} 100%",
            abstract="Lightweight retrieval-augmented generation.",
        ),
    ]


def titles_in_bibtex(text: str) -> list[str]:
    by_key = {entry.key: entry for entry in bibtexparser.parse_string(text).entries}
    assert not bibtexparser.parse_string(text).failed_blocks
    # Titles come back escaped ({\textbraceleft}, \&, braced acronyms), so the
    # entries are matched by key; the escaping has tests of its own.
    return [p.title for p in papers() if p.id in by_key and by_key[p.id]["title"]]


def titles_in_reader_json(text: str) -> list[str]:
    return [p.title for p in parse(text, "json").papers]  # what `reader import` reads back


def titles_in_csl_json(text: str) -> list[str]:
    return [item["title"] for item in json.loads(text)]


def titles_in_markdown(text: str) -> list[str]:
    return [p.title for p in papers() if p.title in text]


#: How another tool (or reader itself) reads each export format back.
READ_BACK = {
    "bibtex": titles_in_bibtex,
    "json": titles_in_reader_json,
    "markdown": titles_in_markdown,
    "plain": titles_in_markdown,  # a bibliography in the default style: titles as given
    "csl-json": titles_in_csl_json,
}


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_each_advertised_format_exports_every_paper(fmt, tmp_path, capsys):
    """`reader export --format F` works for every F it offers: a file that
    holds every paper of the library, readable by the tools of that format."""
    db = tmp_path / "library.json"
    Library(db).add_papers(papers())
    out = tmp_path / "export.out"
    assert cli.main(["--db", str(db), "export", "--format", fmt, "-o", str(out)]) == 0
    capsys.readouterr()
    titles = READ_BACK[fmt](out.read_text(encoding="utf-8"))
    assert sorted(titles) == sorted(p.title for p in papers())


def test_every_advertised_format_can_be_read_back():
    assert sorted(READ_BACK) == sorted(EXPORT_FORMATS)


def test_unknown_format_is_a_one_line_error():
    with pytest.raises(ReaderError, match="unknown export format: 'ris'"):
        export(papers(), "ris")


# ---------------------------------------------------------------- json
def test_json_round_trips_every_field_including_reader_state():
    text = export(papers(), "json")
    data = json.loads(text)
    assert [item["id"] for item in data] == [p.id for p in papers()]
    assert data[0]["read"] is True and data[0]["starred"] is True
    assert data[0]["notes"].startswith("Multi-head")
    assert data[0]["extra"] == {"pages": "5998--6008", "volume": "30"}
    assert data[3]["year"] is None
    assert [Paper.from_dict(item) for item in data] == papers()


def test_json_keeps_unicode_readable_and_is_indented():
    text = export(papers(), "json")
    assert "Łukasz" in text and "\\u" not in text
    assert text.startswith('[\n  {\n    "id": "vaswani2017attention"')
    assert text.endswith("]\n")
    assert json.loads(export([], "json")) == []


# ---------------------------------------------------------------- bibtex
def test_bibtex_reparses_with_every_key():
    text = export(papers(), "bibtex")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == [p.id for p in papers()]
    assert [e.entry_type for e in library.entries] == ["inproceedings", "article", "misc", "misc"]
    assert "}\n\n@" in text and text.endswith("}\n")
    assert export([], "bibtex") == ""


# ---------------------------------------------------------------- markdown
def test_markdown_reading_list():
    text = export(papers(), "markdown")
    lines = text.splitlines()
    assert lines[0] == "# Reading list"
    assert "4 papers, 1 read." in lines
    bullets = [line for line in lines if line.startswith("- ")]
    assert bullets == [
        "- [x] \u2605 [Attention Is All You Need]"
        "(https://proceedings.neurips.cc/paper/2017/hash/3f5ee243.html)"
        " \u2014 Vaswani et al., 2017 #transformers #classic",
        "- [ ] [Gradient-Based Learning Applied to Document Recognition]"
        "(https://doi.org/10.1109/5.726791) \u2014 LeCun and Bottou, 1998",
        "- [ ] [Training language models to follow instructions with human feedback]"
        "(https://arxiv.org/abs/2203.02155) \u2014 Ouyang and OpenAI, 2022 #rlhf",
        # A code link is the code's, never the paper's link.
        "- [ ] MiniRAG: Towards Extremely Simple RAG & {friends} 100%"
        " \u00b7 [code](https://github.com/HKUDS/MiniRAG)",
    ]


def test_markdown_notes_are_quoted_beneath_their_paper():
    lines = export(papers(), "markdown").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("- [x]"))
    assert lines[first + 1 : first + 3] == [
        "  > Multi-head attention.",
        "  > See section 3.2 for the scaling.",
    ]
    assert lines[first + 3].startswith("- [ ]")


def test_markdown_of_nothing():
    assert export([], "markdown") == "# Reading list\n\nNo papers.\n"
    one = export(papers()[1:2], "markdown")
    assert "1 paper, 0 read." in one


# ---------------------------------------------------------------- csl-json
CSL_VARIABLES = {
    "id", "type", "title", "author", "issued", "container-title", "DOI", "URL", "volume",
    "page", "issue", "publisher", "publisher-place", "number", "abstract", "ISBN", "ISSN",
    "edition", "note", "editor", "genre", "accessed", "collection-title", "version", "language",
}  # fmt: skip
CSL_TYPES = {
    "article", "article-journal", "paper-conference", "book", "chapter", "thesis",
    "report", "manuscript", "webpage", "software", "dataset", "pamphlet", "document",
}  # fmt: skip


def csl() -> dict[str, dict]:
    items = json.loads(export(papers(), "csl-json"))
    assert isinstance(items, list)
    for item in items:
        assert set(item) <= CSL_VARIABLES, set(item) - CSL_VARIABLES
        assert item["type"] in CSL_TYPES
        assert all(value not in ("", None, [], {}) for value in item.values())
    return {item["id"]: item for item in items}


def test_csl_conference_paper():
    item = csl()["vaswani2017attention"]
    assert item["type"] == "paper-conference"
    assert item["container-title"] == "Advances in Neural Information Processing Systems"
    assert item["author"][0] == {"family": "Vaswani", "given": "Ashish"}
    assert item["author"][2] == {"family": "Kaiser", "given": "Łukasz"}
    assert item["issued"] == {"date-parts": [[2017]]}
    assert item["page"] == "5998-6008"
    assert item["volume"] == "30"
    assert item["URL"].startswith("https://proceedings.neurips.cc/")
    assert "number" not in item


def test_csl_journal_article():
    item = csl()["lecun1998gradient"]
    assert item["type"] == "article-journal"
    assert item["container-title"] == "Proceedings of the IEEE"
    assert item["DOI"] == "10.1109/5.726791"
    assert (item["volume"], item["issue"], item["page"]) == ("86", "11", "2278-2324")
    assert item["publisher"] == "IEEE"
    assert "URL" not in item


def test_csl_preprint():
    item = csl()["ouyang2022training"]
    assert item["type"] == "article"
    assert item["number"] == "arXiv:2203.02155"
    assert item["publisher"] == "arXiv"
    assert item["URL"] == "https://arxiv.org/abs/2203.02155"
    assert item["author"][1] == {"family": "OpenAI"}
    assert "container-title" not in item


def test_csl_paper_known_only_by_title_and_code():
    item = csl()["minirag"]
    assert item == {
        "id": "minirag",
        "type": "document",
        "title": "MiniRAG: Towards Extremely Simple RAG & {friends} 100%",
        "note": "Code: https://github.com/HKUDS/MiniRAG",
        "abstract": "Lightweight retrieval-augmented generation.",
    }


def test_csl_names_with_particles_and_suffixes():
    paper = Paper(id="p", title="T", authors=["Ludwig van der Berg", "King, Jr., Martin L."])
    item = json.loads(export([paper], "csl-json"))[0]
    assert item["author"] == [
        {"family": "Berg", "given": "Ludwig", "non-dropping-particle": "van der"},
        {"family": "King", "given": "Martin L.", "suffix": "Jr."},
    ]


def test_csl_shows_tex_math_as_plain_text():
    paper = Paper(id="p", title="PaccMann$^{RL}$: generation")
    assert json.loads(export([paper], "csl-json"))[0]["title"] == "PaccMann^RL: generation"
