"""arXiv API Atom import, and the refusal of dangerous or broken XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.importers import parse, read_text
from reader.core.importers.arxiv import parse_atom
from reader.errors import ImportFormatError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FEED = '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">{}</feed>'


def feed(*entries: str) -> str:
    return FEED.format("".join(f"<entry>{e}</entry>" for e in entries))


@pytest.fixture(scope="module")
def papers():
    result = parse(read_text(FIXTURES / "arxiv.xml"))
    assert result.format == "arxiv" and result.skipped == []
    return result.papers


def test_three_entries(papers):
    assert [p.arxiv_id for p in papers] == ["1706.03762", "2203.02155", "hep-th/9711200"]


def test_fields(papers):
    paper = papers[0]
    assert paper.id == ""
    assert paper.title == "Attention Is All You Need"  # white space folded
    assert [a.display for a in paper.authors] == ["Ashish Vaswani", "Noam Shazeer", "Łukasz Kaiser"]
    assert paper.year == 2017
    assert paper.abstract == (
        "A sequence model built from attention alone, with no recurrence and no "
        "convolution, written here as a test summary.\n"
        "A second paragraph of the same summary."
    )
    assert paper.url == "https://arxiv.org/abs/1706.03762v7"
    assert paper.pdf_url == "https://arxiv.org/pdf/1706.03762v7"
    assert paper.category == "cs.CL"
    assert paper.doi == "" and paper.venue == ""


def test_old_style_id_doi_and_journal(papers):
    paper = papers[2]
    assert paper.year == 1997
    assert paper.doi == "10.1023/A:1026654312961"
    assert paper.venue == "Adv.Theor.Math.Phys.2:231-252,1998"
    assert paper.category == "hep-th"


def test_missing_fields():
    result = parse_atom(feed(
        "<title>Only a Title</title>",
        "<id>http://arxiv.org/abs/2101.00001v1</id>",
        "<summary>Neither id nor title.</summary>",
        "<id>urn:something-else</id>",
    ))
    only_title, only_id = result.papers
    assert only_title.title == "Only a Title" and only_title.arxiv_id == ""
    assert only_title.authors == [] and only_title.year is None
    assert only_id.arxiv_id == "2101.00001" and only_id.title == ""
    assert only_id.url == "https://arxiv.org/abs/2101.00001v1"
    assert result.skipped == [
        ("entry 3", "no id and no title"),
        ("entry 4 'urn:something-else'", "no title and not an arXiv id"),
    ]


def test_api_error_feed():
    text = feed(
        "<id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id>"
        "<title>Error</title><summary>incorrect id format for 1234</summary>"
    )
    assert parse_atom(text).skipped == [
        ("entry 1", "arXiv API error: incorrect id format for 1234")
    ]
    with pytest.raises(ImportFormatError, match="arXiv API error: incorrect id format for 1234"):
        parse(text)


def test_single_entry_without_namespace():
    (paper,) = parse_atom(
        "<entry><id>http://arxiv.org/abs/hep-th/9901001v2</id><title>Old</title></entry>"
    ).papers
    assert paper.arxiv_id == "hep-th/9901001" and paper.title == "Old"


def test_proxied_link_unwrapped():
    (paper,) = parse_atom(feed(
        '<title>T</title><link rel="alternate" '
        'href="https://i676974687562o636f6dz.oszar.com/a/b"/>'
    )).papers
    assert paper.url == "https://github.com/a/b"


def test_empty_feed_is_no_papers():
    assert parse_atom(feed()).papers == []
    with pytest.raises(ImportFormatError, match="no papers found"):
        parse(feed())


@pytest.mark.slow
@pytest.mark.parametrize(
    "text, message",
    [
        ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n'
         "<feed><entry><title>&lol;</title></entry></feed>", "DOCTYPE or ENTITY"),
        ('<?xml version="1.0"?><!ENTITY x SYSTEM "file:///etc/passwd"><feed/>',
         "DOCTYPE or ENTITY"),
        ("<feed><entry><title>unclosed</entry></feed>", "not well-formed"),
        ("<?xml version='1.0'?><html><body/></html>", r"not an arXiv Atom feed \(its root element is <html>\)"),
        ("<feed>" + "<x>" * 50_000 + "</x>" * 50_000 + "</feed>", "no papers found"),
    ],
)
def test_refused(text, message):
    with pytest.raises(ImportFormatError, match=message):
        parse(text)
    with pytest.raises(ImportFormatError):
        parse(text, "arxiv")


def test_bad_text_forced_as_arxiv():
    with pytest.raises(ImportFormatError, match="not well-formed"):
        parse("@article{a, title={T}}", "arxiv")
