"""Importers: reading files, detecting formats, trending pages, links, id lists, JSON.

BibTeX and arXiv Atom have their own files (test_importers_bibtex.py,
test_importers_arxiv.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader import cli
from reader.core import importers
from reader.core.importers import FORMATS, ParseResult, detect, parse, read_text
from reader.core.importers.links import find_links, is_code_host, pick_links, unwrap_url
from reader.core.library import Library
from reader.core.models import Paper
from reader.errors import ImportFormatError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = Path(__file__).resolve().parents[2] / "shared" / "data" / "trending-rl.txt"
REPO = Path(__file__).resolve().parents[1]


#: One sample file of each import format.
SAMPLES = {
    "trending": "trending.txt",
    "bibtex": "library.bib",
    "arxiv": "arxiv.xml",
    "ids": "ids.txt",
    "json": "export.json",
    "csl-json": "csl.json",
}


def fixture(name: str) -> str:
    return read_text(FIXTURES / name)


def every_text_field(paper: Paper) -> list[str]:
    values = [paper.title, paper.venue, paper.abstract, paper.url, paper.code_url,
              paper.pdf_url, paper.arxiv_id, paper.doi, paper.category, paper.notes]
    return values + paper.authors + list(paper.extra.values()) + paper.tags


# ------------------------------------------------------------------ read_text
class TestReadText:
    def test_reads_utf8_and_strips_bom(self, tmp_path):
        path = tmp_path / "list.txt"
        path.write_bytes("\ufeff2203.02155\nMüller\n".encode())
        assert read_text(path) == "2203.02155\nMüller\n"

    def test_missing_file(self, tmp_path):
        path = tmp_path / "nope.bib"
        with pytest.raises(ImportFormatError, match="nope.bib: no such file"):
            read_text(path)

    def test_directory(self, tmp_path):
        with pytest.raises(ImportFormatError, match="is a directory"):
            read_text(tmp_path)

    @pytest.mark.parametrize("content", [b"", b"  \n\r\n\t "])
    def test_empty(self, tmp_path, content):
        path = tmp_path / "empty.txt"
        path.write_bytes(content)
        with pytest.raises(ImportFormatError, match=r"empty\.txt is empty"):
            read_text(path)

    def test_binary(self, tmp_path):
        path = tmp_path / "picture.png"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        with pytest.raises(ImportFormatError, match=r"picture\.png is a binary file"):
            read_text(path)

    def test_not_utf8(self, tmp_path):
        path = tmp_path / "latin1.bib"
        path.write_bytes("@article{a, title={Caf\u00e9}}".encode("latin-1"))
        with pytest.raises(ImportFormatError) as error:
            read_text(path)
        message = str(error.value)
        assert "latin1.bib" in message and "not UTF-8" in message and "\n" not in message

    def test_utf16_is_named(self, tmp_path):
        path = tmp_path / "wide.txt"
        path.write_bytes("2203.02155\n".encode("utf-16"))
        with pytest.raises(ImportFormatError, match="UTF-16"):
            read_text(path)

    def test_too_large(self, tmp_path, monkeypatch):
        monkeypatch.setattr(importers, "MAX_BYTES", 100)
        path = tmp_path / "big.txt"
        path.write_bytes(b"2203.02155\n" * 9 + b"x")  # exactly 100 bytes: fine
        assert read_text(path).startswith("2203.02155")
        path.write_bytes(b"2203.02155\n" * 10)  # 110 bytes: refused
        with pytest.raises(ImportFormatError, match=r"big\.txt is larger than 100 bytes"):
            read_text(path)


# ------------------------------------------------------------------ detection
class TestDetect:
    @pytest.mark.parametrize(
        "name, expected",
        [
            ("trending.txt", "trending"),
            ("library.bib", "bibtex"),
            ("arxiv.xml", "arxiv"),
            ("ids.txt", "ids"),
            ("export.json", "json"),
        ],
    )
    def test_fixtures(self, name, expected):
        text = fixture(name)
        assert detect(text) == expected
        assert parse(text).format == expected

    @pytest.mark.parametrize("format", FORMATS)
    def test_each_advertised_format_imports_its_sample(self, format, tmp_path, capsys):
        """`reader import --format F` works for every F it offers, into a library."""
        source = FIXTURES / SAMPLES[format]
        expected = parse(fixture(SAMPLES[format]), format)
        assert expected.format == format and expected.papers
        db = tmp_path / "library.json"
        assert cli.main(["--db", str(db), "import", "--format", format, str(source)]) == 0
        assert capsys.readouterr().out.startswith("added ")
        kept = Library(db).papers()
        # Every paper of the file is in the library (a paper listed twice, once).
        assert {(p.title, p.arxiv_id) for p in kept} == {(p.title, p.arxiv_id) for p in expected.papers}

    def test_every_advertised_format_has_a_sample(self):
        assert sorted(SAMPLES) == sorted(FORMATS)

    def test_title_in_brackets_is_not_json(self):
        text = (
            "[Re] Reproducing Curriculum Rollouts\n"
            "We repeat the experiments of a navigation paper with a new code base and "
            "find that most, but not all, of its results hold up.\n"
        )
        assert detect(text) == "trending"

    def test_mostly_ids(self):
        ids = "\n".join(["2203.02155", "1706.03762", "1810.04805", "2005.14165", "junk"])
        assert detect(ids) == "ids"  # 80%
        assert detect(ids + "\nmore junk") is None  # 67%: not an id list

    @pytest.mark.parametrize(
        "text",
        ["", "   \n", "hello", "just a few words\nand a few more", "1, 2, 3", "<html></html>"],
    )
    def test_unknown(self, text):
        assert detect(text) is None
        with pytest.raises(ImportFormatError) as error:
            parse(text)
        assert str(error.value) == (
            "not a format reader knows (trending-page text, BibTeX, arXiv Atom XML, "
            "arXiv ids or DOIs, reader JSON)"
        )

    def test_unknown_format_name(self):
        with pytest.raises(ImportFormatError, match="unknown format 'ris'"):
            parse("2203.02155", "ris")

    @pytest.mark.parametrize("format", FORMATS)
    def test_forced_format_on_wrong_text(self, format):
        with pytest.raises(ImportFormatError):
            parse("!!!\n???", format)


# -------------------------------------------------------------- trending page
class TestTrending:
    @pytest.fixture(scope="class")
    def result(self) -> ParseResult:
        return parse(read_text(FIXTURES / "trending.txt"))

    def test_titles(self, result):
        assert result.format == "trending"
        assert result.skipped == []
        assert [p.title for p in result.papers] == [
            "Tidal: Curriculum Rollouts for Sparse-Reward Navigation",  # "Subscribe" unglued
            "Quiet Critics: Value Functions That Know When to Abstain",
            "Sparse Mixtures for $\\ell_1$-Regularised Policy Search",  # TeX kept
            "Tidal: Curriculum Rollouts for Sparse-Reward Navigation",  # listed twice: both
            "Bandits Without Regret Bounds",  # followed by a title: no abstract
            "Ledger Games: Accounting for Exploration in Multi-Agent Play",
            "A Final Title Without Any Abstract",
        ]

    def test_abstracts(self, result):
        papers = result.papers
        assert papers[0].abstract.startswith("We study navigation agents")
        assert papers[0].abstract.endswith("https://github.com/tidal-lab/tidal.")
        assert papers[4].abstract == "" and papers[6].abstract == ""
        assert all("\r" not in field for p in papers for field in every_text_field(p))
        assert all(p.id == "" for p in papers)

    def test_links(self, result):
        tidal, quiet, sparse, _, _, ledger, final = result.papers
        assert (tidal.url, tidal.code_url) == ("", "https://github.com/tidal-lab/tidal")
        assert quiet.url == "https://tidal-lab.github.io/quiet-critics/"
        assert quiet.code_url == "https://gitlab.com/qc/quiet-critics"
        assert sparse.code_url == "https://github.com/smix/sparse-mix"
        # "a few lines of code, and the results are at": not a code link
        assert (ledger.url, ledger.code_url) == ("https://papers.example.org/ledger-games", "")
        assert (final.url, final.code_url) == ("", "")

    def test_no_proxy_left(self, result):
        for paper in result.papers:
            assert not any("oszar.com" in field for field in every_text_field(paper))

    def test_single_newlines_and_blank_lines(self):
        text = "Title One\n\n\nThis abstract has enough words in it to count as prose for sure.\n\n"
        (paper,) = parse(text, "trending").papers
        assert paper.title == "Title One"
        assert paper.abstract.startswith("This abstract")

    def test_prose_continues_an_abstract(self):
        text = (
            "A Title\nFirst paragraph of the abstract. It has sentences.\n"
            "Second line of prose that goes on. And on.\nAnother Title\n"
        )
        first, second = parse(text, "trending").papers
        assert first.abstract == (
            "First paragraph of the abstract. It has sentences. "
            "Second line of prose that goes on. And on."
        )
        assert second.title == "Another Title"

    def test_title_ending_in_full_stop_before_long_abstract(self):
        abstract = "We show something interesting about learning. " * 10
        text = f"First Paper\n{abstract}\nA Title That Ends In A Full Stop.\n{abstract}\n"
        papers = parse(text, "trending").papers
        assert [p.title for p in papers] == ["First Paper", "A Title That Ends In A Full Stop."]

    def test_text_before_any_title_is_skipped(self):
        text = (
            "This page lists papers. It has an introduction first.\n"
            "A Title\nAn abstract that is clearly made of sentences. Two of them.\n"
        )
        result = parse(text, "trending")
        assert [p.title for p in result.papers] == ["A Title"]
        assert result.skipped == [
            ("line 1 'This page lists papers. It has an introduction first.'",
             "text with no title before it")
        ]

    def test_control_characters_dropped(self):
        text = "Ti\x1b[31mtle\x07 \u202eOne\nAn abstract\x00 with a bell\x07. And more.\n"
        (paper,) = parse(text, "trending").papers
        assert paper.title == "Title One"
        assert paper.abstract == "An abstract with a bell. And more."

    def test_subscribe_prefix_only_after_page_furniture(self):
        text = "Subscribers: Modelling Newsletter Readers\nAn abstract about readers. Of newsletters.\n"
        (paper,) = parse(text, "trending").papers
        assert paper.title == "Subscribers: Modelling Newsletter Readers"


def test_seed_trending_page():
    """The real page this format was written for (kept beside the checkout)."""
    if not SEED.exists():
        pytest.skip(f"the trending page {SEED} is not beside this checkout")
    text = read_text(SEED)
    assert detect(text) == "trending"
    result = parse(text)
    assert len(result.papers) == 86
    assert result.skipped == []
    assert all(p.title and p.abstract for p in result.papers)
    # The page's first title comes glued to the "Subscribe" button's text.
    assert result.papers[0].title == text.splitlines()[2].removeprefix("Subscribe")
    assert not any("Subscribe" in p.title or "Get trending" in p.title for p in result.papers)
    for paper in result.papers:
        assert not any("oszar.com" in field for field in every_text_field(paper))
    by_title = {p.title.split(":")[0]: p for p in result.papers}
    assert by_title["RLTF"].code_url == "https://github.com/Zyq-scut/RLTF"
    assert by_title["RLtools"].code_url == "https://rl.tools"
    assert by_title["VRAG-RL"].code_url == "https://github.com/Alibaba-NLP/VRAG"
    assert by_title["Dual RL"].code_url == "https://hari-sikchi.github.io/dual-rl"
    assert by_title["SCOPE-RL"].url == "https://scope-rl.readthedocs.io/en/latest/"
    assert result.papers[-1].title.startswith("PaccMann$^{RL}$")


# ----------------------------------------------------------------------- links
class TestLinks:
    @pytest.mark.parametrize(
        "wrapped, original",
        [
            ("https://i676974687562o636f6dz.oszar.com/owner/repo",
             "https://github.com/owner/repo"),
            ("https://i686172692d73696b636869o676974687562o696fz.oszar.com/dual-rl",
             "https://hari-sikchi.github.io/dual-rl"),
            ("http://i676974687562o636f6dz.oszar.com/a?b=c#d", "http://github.com/a?b=c#d"),
        ],
    )
    def test_unwrap(self, wrapped, original):
        assert unwrap_url(wrapped) == original

    @pytest.mark.parametrize(
        "url",
        [
            "https://github.com/owner/repo",
            "https://i12z.example.com/x",  # decodes to no host name
            "https://i7a7az.example.com/x",  # one label: no host
            "not a url",
            "",
        ],
    )
    def test_unwrap_leaves_others(self, url):
        assert unwrap_url(url) == url

    def test_find_links(self):
        text = (
            "Code: https://i676974687562o636f6dz.oszar.com/a/b. See https://rl.tools, "
            "VRAG{https://x.org/v} and (https://y.org/p_(q)) or www.z.org/page; "
            "also github.com/c/d: done."
        )
        assert find_links(text) == [
            "https://github.com/a/b",
            "https://rl.tools",
            "https://x.org/v",
            "https://y.org/p_(q)",
            "https://www.z.org/page",
            "https://github.com/c/d",
        ]

    def test_code_hosts(self):
        assert is_code_host("https://github.com/a/b")
        assert is_code_host("https://gist.github.com/a")
        assert is_code_host("https://codeberg.org/a/b")
        assert not is_code_host("https://a.github.io/b")
        assert not is_code_host("https://huggingface.co/papers/2203.02155")
        assert not is_code_host("https://notgithub.com/a")

    def test_pick_links(self):
        assert pick_links("Project page https://p.org and code https://github.com/a/b.") == (
            "https://p.org", "https://github.com/a/b")
        assert pick_links("Our code is available at https://p.org/tool.") == (
            "", "https://p.org/tool")
        assert pick_links("Videos are at https://p.org/v.") == ("https://p.org/v", "")
        assert pick_links("No links here.") == ("", "")


# -------------------------------------------------------------------- id lists
class TestIds:
    def test_fixture(self):
        result = parse(fixture("ids.txt"))
        assert result.format == "ids"
        assert [p.arxiv_id for p in result.papers] == [
            "2203.02155", "1706.03762", "1810.04805", "2005.14165",
            "hep-th/9711200", "math.GT/0309136",
        ]
        for paper in result.papers:
            assert paper.url == f"https://arxiv.org/abs/{paper.arxiv_id}"
            assert paper.title == "" and paper.id == ""
        assert result.skipped == [("line 9 'not an id at all'", "not an arXiv id, arXiv link or DOI")]

    @pytest.mark.parametrize(
        "line, expected",
        [
            ("2203.02155", "2203.02155"),
            ("arXiv:2203.02155v2", "2203.02155"),
            ("ARXIV: 0704.0001", "0704.0001"),
            ("https://arxiv.org/abs/2203.02155", "2203.02155"),
            ("http://export.arxiv.org/abs/2203.02155v1/", "2203.02155"),
            ("https://arxiv.org/pdf/2203.02155v3.pdf", "2203.02155"),
            ("https://arxiv.org/pdf/2203.02155v3", "2203.02155"),
            ("hep-th/9901001v2", "hep-th/9901001"),
            ("math.GT/0309136", "math.GT/0309136"),
            ("\t2203.02155   ", "2203.02155"),
            ("arxiv.org/abs/2203.02155", "2203.02155"),
        ],
    )
    def test_forms(self, line, expected):
        (paper,) = parse(line, "ids").papers
        assert paper.arxiv_id == expected

    @pytest.mark.parametrize(
        "line", ["2213.02155", "22.02155", "https://example.org/abs/2203.02155", "hep-th 9901001"]
    )
    def test_not_ids(self, line):
        with pytest.raises(ImportFormatError, match="not an arXiv id"):
            parse(line, "ids")

    def test_comments_and_crlf(self):
        result = parse("# reading list\r\n\r\n2203.02155  # InstructGPT\r\n", "ids")
        assert [p.arxiv_id for p in result.papers] == ["2203.02155"]
        assert result.skipped == []


# ------------------------------------------------------------------------ JSON
def _papers() -> list[Paper]:
    return [
        Paper(
            id="2017", title="Attention Is All You Need", authors=["Ashish Vaswani", "Łukasz Kaiser"],
            year=2017, venue="NeurIPS", abstract="Line one.\nLine two.", url="https://a.org",
            code_url="https://github.com/a/b", pdf_url="https://a.org/p.pdf",
            arxiv_id="1706.03762", doi="10.1000/1", category="cs.CL", entry_type="inproceedings",
            extra={"isbn": "9780262035613", "pages": "1--10", "month": "12"},
            added="2024-01-02T03:04:05+00:00", tags=["to-read", "nlp"], read=True,
            read_at="2024-02-03T04:05:06+00:00", starred=True,
            notes="Notes:\n  - indented point\n\nafter a blank line",
        ),
        Paper(id="plain", title="Only a Title", added="2024-01-01T00:00:00+00:00"),
    ]


class TestJson:
    def test_fixture(self):
        result = parse(fixture("export.json"))
        assert result.format == "json"
        first, book, bare = result.papers
        assert first.id == "vaswani2017attention"
        assert first.read and first.starred and first.tags == ["transformers", "to-cite"]
        assert first.read_at == "2024-05-02T08:30:00+00:00"
        assert first.added == "2024-05-01T10:00:00+00:00"
        assert first.notes == "Key ideas:\n  - attention only\n  - positional encodings"
        assert book.id == "2016" and book.extra["isbn"] == "9780262035613"
        assert bare.arxiv_id == "hep-th/9711200" and bare.extra == {"volume": "2"}
        assert result.skipped == [
            ("item 4 ('broken')", "'title' should be text, not list"),
            ("item 5", "not an object but str"),
        ]

    def test_round_trip(self):
        papers = _papers()
        text = json.dumps([p.to_dict() for p in papers], ensure_ascii=False, indent=2)
        assert parse(text).papers == papers

    def test_papers_object(self):
        text = json.dumps({"version": 1, "papers": [p.to_dict() for p in _papers()]})
        assert parse(text).papers == _papers()

    def test_numbers_become_text(self):
        item = {"id": 12345, "title": 42, "authors": [7], "year": "2019",
                "extra": {"isbn": 9780262035613}}
        (paper,) = parse(json.dumps([item]), "json").papers
        assert paper.id == "12345" and paper.title == "42" and [a.display for a in paper.authors] == ["7"]
        assert paper.year == 2019 and paper.extra == {"isbn": "9780262035613"}

    @pytest.mark.parametrize(
        "item, reason",
        [
            ({"title": "T", "read": "yes"}, "'read' should be true or false, not str"),
            ({"title": "T", "extra": [1]}, "'extra' should be an object, not list"),
            ({"title": "T", "extra": {"a": {"b": 1}}}, "'extra.a' should be text, not dict"),
            ({"title": "T", "authors": {"a": 1}}, "'authors' should be a list of names, not dict"),
            ({"title": True}, "'title' should be text, not bool"),
            ({"notes": "no title"}, "no id, title, arXiv id, DOI or URL"),
        ],
    )
    def test_wrong_items_skipped(self, item, reason):
        result = parse(json.dumps([item, {"title": "Good"}]), "json")
        assert [p.title for p in result.papers] == ["Good"]
        assert result.skipped == [("item 1", reason)]

    @pytest.mark.parametrize(
        "text, message",
        [
            ("[" * 100_000, "nested too deeply"),
            ('{"papers": ' + "[" * 100_000, "nested too deeply"),
            ('{"papers": 5}', "not a reader export"),
            ('{"title": "x"}', "not a reader export"),
            ("[1, 2", "not valid"),
            ("[" + "1" * 5000 + "]", "not valid"),
            ("[]", "no papers found"),
            ('[{"title": ["x"]}]', "no papers in this reader JSON: item 1"),
        ],
    )
    def test_bad_json(self, text, message):
        with pytest.raises(ImportFormatError, match=message):
            parse(text, "json")

    def test_deep_nesting_detected(self):
        with pytest.raises(ImportFormatError):
            parse("[" * 100_000)

    def test_deep_nesting_inside_an_item(self):
        deep = '[{"title": "T", "extra": {"x": ' + "[" * 500 + "]" * 500 + '}}, {"title": "U"}]'
        result = parse(deep, "json")
        assert [p.title for p in result.papers] == ["U"]
        assert result.skipped == [("item 1", "'extra.x' should be text, not list")]


# ---------------------------------------------------------------- properties
_TOKENS = [
    "@article{", "@string{", "@comment{", "}", "{", '"', "#", ",", "=", "\n", "\r\n", " ",
    "title", "author", "and", "\\\"", "\\'", "$", "%", "\\", "jan", "year", "2020",
    "<?xml version='1.0'?>", "<feed xmlns='http://www.w3.org/2005/Atom'>", "</feed>",
    "<entry>", "</entry>", "<id>", "</id>", "<title>", "</title>", "<!ENTITY", "&amp;",
    "http://arxiv.org/abs/", "2203.02155", "v2", "hep-th/9901001", "arXiv:", "# c",
    "[", "]", '{"papers":', "null", "true", "1e999", ":", "Subscribe",
    "https://i676974687562o636f6dz.oszar.com/", "i41z", "o", "Title Words Here",
    "This is a sentence. And another one follows here. ", "\x1b[31m", "\x00", "\u202e",
]
texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(_TOKENS), max_size=60).map("".join),
)


@pytest.mark.slow
@pytest.mark.parametrize("format", [None, *FORMATS])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_any_text_gives_a_result_or_a_format_error(format, text):
    try:
        result = parse(text, format)
    except ImportFormatError as error:
        assert "\n" not in str(error)
        return
    assert isinstance(result, ParseResult)
    assert result.format in FORMATS and result.papers
    for paper in result.papers:
        assert isinstance(paper, Paper)
        assert all(isinstance(field, str) for field in every_text_field(paper))
        assert paper.year is None or isinstance(paper.year, int)
    for what, reason in result.skipped:
        assert isinstance(what, str) and isinstance(reason, str)


@pytest.mark.parametrize("format", FORMATS)
def test_detect_names_the_format_of_each_sample(format):
    text = fixture(SAMPLES[format])
    assert detect(text) == format
    assert parse(text).format == format  # what `reader import FILE` does


def test_core_does_not_import_the_ui():
    code = (
        "import sys, reader.core.importers\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
