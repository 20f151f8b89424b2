"""Citations from CSL styles: each kind of work in APA, IEEE and Chicago, styles by
name and by file, the default style, incomplete papers and code links.

The expected strings follow the styles' rules:
APA 7 (author, initials; (year); title in sentence case as given; italics for
stand-alone works; "[Doctoral dissertation]" then the school for an unpublished
thesis, "[Doctoral dissertation, School]" for one online; "(arXiv:ID). arXiv."
for a preprint; editors "(Eds.)" before the book; "(Version x) [Computer
software]"), IEEE (initials first, title in quotes with the comma inside,
"in" and "Eds." for chapters, "[Online]. Available:" before a URL) and
Chicago author-date 18th edition (full given names, year after the authors,
titles in title case with the full stop inside the quotes, no place of
publication). Entries come from a BibTeX file through the real importer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, run_reader
from reader.core.citation import cite, cite_many
from reader.core.csl import csl_item
from reader.core.export import export
from reader.core.formats import CITATION_FORMAT_LIST, CITATION_FORMATS, citation_labels
from reader.core.importers import parse
from reader.core.library import Library
from reader.core.models import Paper
from reader.core.names import Person
from reader.core.styles import StyleError, style_names
from reader.errors import ReaderError

TINY = FIXTURES / "tiny.csl"


def papers() -> dict[str, Paper]:
    result = parse((FIXTURES / "citation_types.bib").read_text(encoding="utf-8"))
    assert not result.skipped
    return {p.id: p for p in result.papers}


EXPECTED = {
    ("hale2019thesis", "apa"):
        "Hale, I. M. (2019). Sparse reward shaping for long-horizon control [Doctoral dissertation]. "
        "University of Lowland.",
    ("hale2019thesis", "ieee"):
        "[1] I. M. Hale, \u201cSparse reward shaping for long-horizon control,\u201d Doctoral "
        "dissertation, University of Lowland, 2019.",
    ("hale2019thesis", "chicago"):
        "Hale, Ingrid M. 2019. \u201cSparse Reward Shaping for Long-Horizon Control.\u201d Doctoral "
        "dissertation, University of Lowland.",
    ("ortiz2021report", "apa"):
        "Ortiz, P., & Lindqvist, M. (2021). Benchmarking offline agents (Technical Report "
        "NRI-TR-2021-04). Northfield Research Institute.",
    ("ortiz2021report", "ieee"):
        "[1] P. Ortiz and M. Lindqvist, \u201cBenchmarking offline agents,\u201d Northfield Research "
        "Institute, Technical report NRI-TR-2021-04, 2021.",
    ("ortiz2021report", "chicago"):
        "Ortiz, Paulo, and Maja Lindqvist. 2021. Benchmarking Offline Agents. Technical Report "
        "NRI-TR-2021-04. Northfield Research Institute.",
    ("brandt2018chapter", "apa"):
        "Brandt, K. (2018). Policy gradients in practice. In O. Vance & P. Koenig (Eds.), Handbook "
        "of Learning Machines (pp. 45\u201367). Harbor Press.",
    ("brandt2018chapter", "ieee"):
        "[1] K. Brandt, \u201cPolicy gradients in practice,\u201d in Handbook of Learning Machines, "
        "O. Vance and P. Koenig, Eds., Boston: Harbor Press, 2018, pp. 45\u201367.",
    ("brandt2018chapter", "chicago"):
        "Brandt, Kasimir. 2018. \u201cPolicy Gradients in Practice.\u201d In Handbook of Learning "
        "Machines, edited by Olivia Vance and Peter Koenig. Harbor Press.",
    ("quinn2023preprint", "apa"):
        "Quinn, H., & Abara, T. (2023). Reward models that read (arXiv:2305.01234). arXiv. "
        "https://arxiv.org/abs/2305.01234",
    ("quinn2023preprint", "ieee"):
        "[1] H. Quinn and T. Abara, \u201cReward models that read,\u201d 2023, arXiv: arXiv:2305.01234. "
        "[Online]. Available: https://arxiv.org/abs/2305.01234",
    ("quinn2023preprint", "chicago"):
        "Quinn, Harriet, and Tobi Abara. 2023. \u201cReward Models That Read.\u201d arXiv:2305.01234. "
        "Preprint, arXiv. https://arxiv.org/abs/2305.01234.",
    ("moss2022toolkit", "apa"):
        "Moss, E. (2022). gridkit (Version 2.1.0) [Computer software]. Zenodo. "
        "https://example.org/gridkit",
    ("moss2022toolkit", "ieee"):
        "[1] E. Moss, gridkit. (2022). Zenodo. [Online]. Available: https://example.org/gridkit",
    ("moss2022toolkit", "chicago"):
        "Moss, Edwin. 2022. Gridkit. V. 2.1.0. Zenodo, released. https://example.org/gridkit.",
    ("fenn2024page", "apa"):
        "Fenn, L. (2024). Notes on replay buffers. Fenn Lab Blog. https://example.org/replay",
    ("fenn2024page", "ieee"):
        "[1] L. Fenn, \u201cNotes on replay buffers,\u201d Fenn Lab Blog. [Online]. Available: "
        "https://example.org/replay",
    ("fenn2024page", "chicago"):
        "Fenn, Lucia. 2024. \u201cNotes on Replay Buffers.\u201d Fenn Lab Blog. "
        "https://example.org/replay.",
}


@pytest.mark.parametrize(("pid", "fmt"), sorted(EXPECTED), ids=lambda v: str(v))
def test_each_kind_of_work_in_apa_ieee_and_chicago(pid, fmt):
    assert cite(papers()[pid], fmt) == EXPECTED[pid, fmt]


def test_markdown_sets_titles_and_containers_in_italics():
    works = papers()
    assert cite(works["hale2019thesis"], "markdown") == (
        "Hale, I. M. (2019). *Sparse reward shaping for long-horizon control* [Doctoral "
        "dissertation]. University of Lowland."
    )
    assert cite(works["brandt2018chapter"], "markdown", "apa") == (
        "Brandt, K. (2018). Policy gradients in practice. In O. Vance & P. Koenig (Eds.), "
        "*Handbook of Learning Machines* (pp. 45\u201367). Harbor Press."
    )


def test_a_thesis_online_names_its_school_in_the_brackets():
    thesis = papers()["hale2019thesis"]
    thesis.url = "https://example.org/thesis"
    assert cite(thesis, "apa") == (
        "Hale, I. M. (2019). Sparse reward shaping for long-horizon control [Doctoral "
        "dissertation, University of Lowland]. https://example.org/thesis"
    )


def test_a_work_without_authors_is_not_titled_twice():
    page = Paper(id="w", title="Replay buffers explained", year=2022, entry_type="online",
                 url="https://example.org/rb")
    assert cite(page, "apa") == "Replay buffers explained. (2022). https://example.org/rb"
    preprint = Paper(id="p", title="Reward models that read", year=2023, arxiv_id="2305.01234")
    assert cite(preprint, "apa") == (
        "Reward models that read (arXiv:2305.01234). (2023). arXiv. https://arxiv.org/abs/2305.01234"
    )


def test_names_keep_their_parts():
    people = [
        Person(family="Oord", given="Aaron", particle="van den"),
        Person(family="LaViola", given="Joseph J", suffix="Jr."),
        Person(literal="Some Company, LLC"),
    ]
    paper = Paper(id="n", title="Names", year=2020, entry_type="article", venue="Journal of Names",
                  authors=people)  # type: ignore[arg-type]
    assert cite(paper, "apa").startswith(
        "van den Oord, A., LaViola, J. J., Jr., & Some Company, LLC. (2020). Names."
    )
    # Chicago demotes the particle (CSL's default), and writes the later names given first.
    assert cite(paper, "chicago").startswith(
        "Oord, Aaron van den, Joseph J. LaViola Jr., and Some Company, LLC. 2020."
    )
    assert csl_item(paper)["author"] == [
        {"family": "Oord", "given": "Aaron", "non-dropping-particle": "van den"},
        {"family": "LaViola", "given": "Joseph J", "suffix": "Jr."},
        {"literal": "Some Company, LLC"},
    ]


# ---------------------------------------------------------------- styles by name and file
def test_any_style_by_name_and_a_file_of_our_own():
    quinn = papers()["quinn2023preprint"]
    assert "harvard-cite-them-right" in style_names() and len(style_names()) > 10000
    assert cite(quinn, "plain", "harvard-cite-them-right").startswith("Quinn, H. and Abara, T. (2023)")
    assert cite(quinn, "plain", str(TINY)) == "Quinn and Abara / 2023 / REWARD MODELS THAT READ."
    assert cite(quinn, "markdown", str(TINY)) == "Quinn and Abara / 2023 / *REWARD MODELS THAT READ*."


def test_a_bibliography_comes_in_the_style_order():
    entries = cite_many(papers().values(), str(TINY))
    assert [e.split(" / ")[0] for e in entries] == [
        "Ortiz and Lindqvist", "Moss", "Fenn", "Brandt", "Quinn and Abara", "Hale"
    ]
    numbered = cite_many([papers()["quinn2023preprint"], papers()["hale2019thesis"]], "ieee")
    assert [e[:4] for e in numbered] == ["[1] ", "[2] "]


def test_an_unknown_style_is_one_clear_error_with_close_names():
    with pytest.raises(StyleError, match=r"unknown citation style 'apaa'; did you mean apa\b"):
        cite(papers()["hale2019thesis"], "plain", "apaa")
    with pytest.raises(StyleError, match="chicago-author-date"):
        cite(papers()["hale2019thesis"], "plain", "chicago")
    with pytest.raises(StyleError, match="no style file"):
        cite(papers()["hale2019thesis"], "plain", "/nowhere/mine.csl")


def test_a_broken_style_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.csl"
    bad.write_text("<style><unclosed></style>", encoding="utf-8")
    with pytest.raises(StyleError, match="cannot be read"):
        cite(papers()["hale2019thesis"], "plain", str(bad))


def test_markdown_escapes_what_markdown_would_read():
    paper = Paper(id="m", title="[Re] *Stars* and <script>x</script>", authors=["Ann_Lee"], year=2020,
                  url="https://example.org/a b")
    text = cite(paper, "markdown", "apa")
    assert "\\[Re\\] \\*Stars\\* and \\<script\\>" in text and "Ann\\_Lee" in text
    assert "<https://example.org/a%20b>" in text and "<script>" not in text


# ---------------------------------------------------------------- incomplete and code links
def test_a_paper_known_only_by_its_arxiv_id_is_cited_as_arxiv_id():
    bare = Paper(id="arxiv220302155", arxiv_id="2203.02155", url="https://arxiv.org/abs/2203.02155")
    for fmt in ("apa", "ieee", "chicago", "nature", "plain"):
        assert cite(bare, fmt) == "arXiv:2203.02155"
    assert cite(bare, "markdown") == "[arXiv:2203.02155](<https://arxiv.org/abs/2203.02155>)"
    assert "title" not in csl_item(bare)


def test_a_code_link_is_a_note_never_the_url():
    paper = Paper(id="c", title="MiniThing", authors=["Ann Lee"], year=2024,
                  code_url="https://github.com/example/minithing")
    item = csl_item(paper)
    assert "URL" not in item and item["note"] == "Code: https://github.com/example/minithing"
    assert cite(paper, "apa") == "Lee, A. (2024). MiniThing. Code: https://github.com/example/minithing"
    assert cite(paper, "markdown") == (
        "Lee, A. (2024). *MiniThing*. Code: <https://github.com/example/minithing>"
    )
    paper.url = "https://github.com/example/minithing"  # the code link given as the page too
    assert "URL" not in csl_item(paper)
    exported = json.loads(export([paper], "csl-json"))
    assert "URL" not in exported[0] and exported[0]["note"].startswith("Code: ")


def test_the_registry_is_what_cite_and_the_chooser_offer():
    assert CITATION_FORMATS[:2] == ("bibtex", "apa")
    labels = dict(citation_labels("ieee"))
    assert labels["ieee"] == "IEEE (yours)" and labels["plain"] == "Plain text (ieee)"
    assert list(labels) == [f.name for f in CITATION_FORMAT_LIST]
    with pytest.raises(ReaderError, match="unknown citation format"):
        cite(papers()["hale2019thesis"], "mla")


# ---------------------------------------------------------------- the command line
@pytest.fixture
def library(db) -> Path:
    Library(db).add_papers(list(papers().values()) + [
        Paper(id="", arxiv_id="2203.02155", url="https://arxiv.org/abs/2203.02155"),
    ])
    return db


@pytest.mark.slow
def test_cli_style_by_name_and_by_file(library):
    done = run_reader("cite", "hale2019thesis", "--style", "ieee", db=library)
    assert done.returncode == 0, done.stderr
    assert done.stdout == EXPECTED["hale2019thesis", "ieee"] + "\n"
    done = run_reader("cite", "quinn2023preprint", "--style", str(TINY), "--format", "markdown", db=library)
    assert done.stdout == "Quinn and Abara / 2023 / *REWARD MODELS THAT READ*.\n"


@pytest.mark.slow
def test_cli_unknown_style_is_one_line_and_exit_2(library):
    done = run_reader("cite", "hale2019thesis", "--style", "apaa", db=library)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "reader: error: unknown citation style 'apaa'; did you mean apa, jaapa, planta?"
    ]
    done = run_reader("cite", "hale2019thesis", "--format", "apa", "--style", "ieee", db=library)
    assert done.returncode == 1 and "style already" in done.stderr


def test_cli_incomplete_paper_is_said_on_stderr(library):
    pid = next(p.id for p in Library(library).papers() if p.arxiv_id == "2203.02155")
    done = run_reader("cite", pid, "--format", "apa", db=library)
    assert done.returncode == 0
    assert done.stdout == "arXiv:2203.02155\n"
    assert "incomplete" in done.stderr and "arXiv:2203.02155" in done.stderr
    assert len(done.stderr.splitlines()) == 1


@pytest.mark.slow
def test_cli_default_style_is_a_setting(library, tmp_path):
    env = {"READER_CONFIG_DIR": str(tmp_path / "config")}
    assert run_reader("config", "style", db=library, env=env).stdout == "apa\n"
    done = run_reader("config", "style", "ieeee", db=library, env=env)
    assert done.returncode == 2 and "did you mean ieee" in done.stderr
    assert run_reader("config", "style", "ieee", db=library, env=env).returncode == 0
    done = run_reader("cite", "hale2019thesis", "--format", "plain", db=library, env=env)
    assert done.stdout == EXPECTED["hale2019thesis", "ieee"] + "\n"
    settings = json.loads((tmp_path / "config" / "settings.json").read_text(encoding="utf-8"))
    assert settings == {"style": "ieee"}
    run_reader("config", "style", "--unset", db=library, env=env)
    assert run_reader("config", "style", db=library, env=env).stdout == "apa\n"


def test_cli_export_a_bibliography_by_style(library, tmp_path):
    done = run_reader("export", "--format", "markdown", "--style", str(TINY), db=library)
    assert done.returncode == 0, done.stderr
    entries = done.stdout.strip().split("\n\n")
    assert entries[0] == "Ortiz and Lindqvist / 2021 / *BENCHMARKING OFFLINE AGENTS*."
    assert entries[-1] == "[arXiv:2203.02155](<https://arxiv.org/abs/2203.02155>)"
    assert len(entries) == 7
    done = run_reader("export", "--format", "bibtex", "--style", "apa", db=library)
    assert done.returncode == 1 and "--style applies to" in done.stderr


def test_cli_csl_json_export_is_the_same_conversion(library):
    done = run_reader("export", "--format", "csl-json", db=library)
    items = {item["id"]: item for item in json.loads(done.stdout)}
    assert items["hale2019thesis"] == csl_item(papers()["hale2019thesis"])
    assert items["hale2019thesis"]["genre"] == "Doctoral dissertation"
    assert items["ortiz2021report"]["publisher"] == "Northfield Research Institute"
    assert items["ortiz2021report"]["number"] == "NRI-TR-2021-04"
    assert items["brandt2018chapter"]["editor"] == [
        {"family": "Vance", "given": "Olivia"}, {"family": "Koenig", "given": "Peter"}
    ]
    assert items["quinn2023preprint"]["number"] == "arXiv:2305.01234"
    assert items["quinn2023preprint"]["type"] == "article"
