"""Issue 12, the command line: what a daily user ran into, through the real `reader`."""

from __future__ import annotations

import json
import re

import bibtexparser
import pytest

from conftest import REPO, run_reader
from helpers.terminal import run_on_terminal
from reader.core.ids import work_id
from reader.core.query import HAS_VALUES, parse_query

BIB = """\
@article{tango2024verifier,
  title = {Verifier Tango: Dancing with Reward Models},
  author = {Tango, Ana and Rivera, Luis},
  year = {2024},
}
@article{smith2023survey,
  title = {A Survey of Learned Verifiers},
  author = {Smith, Jane},
  year = {2023},
}
@article{lee2022games,
  title = {Verifier Games for Honest Answers},
  author = {Lee, Min},
  year = {2022},
}
"""


def ids(result) -> list[str]:
    assert result.returncode == 0, result.stderr
    return sorted(p["id"] for p in json.loads(result.stdout))


@pytest.fixture
def library(db, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB)
    result = run_reader("import", str(bib), db=db)
    assert result.returncode == 0, result.stderr
    return db


# ------------------------------------------------------------- bug 3: -word
def test_a_query_can_leave_words_out(library):
    assert ids(run_reader("list", "-survey", "--json", db=library)) == ["lee2022games", "tango2024verifier"]
    assert ids(run_reader("list", "verifier", "-tango", "--json", db=library)) == [
        "lee2022games", "smith2023survey",
    ]


def test_options_work_anywhere_around_a_query(library):
    assert ids(run_reader("list", "--json", "verifier", "-tango", db=library)) == [
        "lee2022games", "smith2023survey",
    ]
    result = run_reader("list", "verifier", "--sort", "year", "-games", db=library)
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["tango2024verifier", "smith2023survey"]
    # after `--`, everything is the query: --json too
    result = run_reader("list", "--", "-survey", "--json", db=library)
    assert result.returncode == 0 and not result.stdout.startswith("[")
    bad = run_reader("list", "--jsn", db=library)
    assert bad.returncode == 2 and "--jsn" in bad.stderr


def test_a_quoted_argument_is_a_phrase(library):
    # `reader list "tango models"`: the words are both in one title, the phrase in none
    assert ids(run_reader("list", "tango models", "--json", db=library)) == []
    assert ids(run_reader("list", "reward models", "--json", db=library)) == ["tango2024verifier"]
    # `reader list -"reward models"` reaches reader as one argument, "-reward models"
    assert ids(run_reader("list", "-reward models", "--json", db=library)) == [
        "lee2022games", "smith2023survey",
    ]
    assert ids(run_reader("list", "author:ana tango", "--json", db=library)) == ["tango2024verifier"]
    assert ids(run_reader("list", '"honest answers" games', "--json", db=library)) == ["lee2022games"]


@pytest.mark.slow
def test_export_and_enrich_take_minus_words(library, tmp_path):
    out = run_reader("export", "-verifier", "--format", "bibtex", db=library)
    assert out.returncode == 0, out.stderr
    assert bibtexparser.parse_string(out.stdout).entries == []
    out = run_reader("export", "-games", "-o", str(tmp_path / "x.bib"), "-tango", db=library)
    assert out.returncode == 0, out.stderr
    keys = [e.key for e in bibtexparser.parse_string((tmp_path / "x.bib").read_text()).entries]
    assert keys == ["smith2023survey"]
    # `-obsolete` is a word, not `-o bsolete`.
    out = run_reader("export", "-obsolete", db=library)
    assert out.returncode == 0 and not (tmp_path / "bsolete").exists()
    assert len(bibtexparser.parse_string(out.stdout).entries) == 3
    # every paper has authors and a year but no arXiv id: -verifier leaves none to look up
    result = run_reader("enrich", "-verifier", db=library)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("enriched 0, not found 0")


# ------------------------------------------------ bug 6: ids where a file goes
@pytest.mark.parametrize(
    "text, expected",
    [
        ("2501.12948", ("arxiv", "2501.12948")),
        ("arXiv:2501.12948v2", ("arxiv", "2501.12948")),
        ("https://arxiv.org/abs/2501.12948", ("arxiv", "2501.12948")),
        ("https://arxiv.org/pdf/2501.12948v1.pdf", ("arxiv", "2501.12948")),
        ("hep-th/9901001", ("arxiv", "hep-th/9901001")),
        ("10.1109/CVPR.2016.90", ("doi", "10.1109/CVPR.2016.90")),
        ("https://doi.org/10.1109/CVPR.2016.90", ("doi", "10.1109/CVPR.2016.90")),
        ("doi:10.1145/3368089.3409743", ("doi", "10.1145/3368089.3409743")),
        ("refs.bib", None),
        ("papers/2501.12948.bib", None),
        ("https://example.org/refs.bib", None),
        ("", None),
    ],
)
def test_what_is_a_work_id(text, expected):
    found = work_id(text)
    assert (tuple(found) if found else None) == expected


def test_import_an_arxiv_id_or_link_where_a_file_goes(db):
    result = run_reader("import", "2501.12948", db=db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("added 1, merged 0, skipped 0  [ids]")
    again = run_reader("import", "https://arxiv.org/abs/2501.12948", db=db)
    assert again.stdout.startswith("added 0, merged 1")
    (paper,) = json.loads(run_reader("list", "--json", db=db).stdout)
    assert paper["arxiv_id"] == "2501.12948" and paper["url"] == "https://arxiv.org/abs/2501.12948"
    assert "arXiv:2501.12948" in run_reader("list", db=db).stdout


def test_import_a_doi_or_doi_link_where_a_file_goes(db):
    result = run_reader("import", "10.1109/CVPR.2016.90", "https://doi.org/10.1145/3368089.3409743", db=db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("added 2, merged 0, skipped 0  [ids]")
    papers = {p["doi"]: p for p in json.loads(run_reader("list", "--json", db=db).stdout)}
    assert set(papers) == {"10.1109/CVPR.2016.90", "10.1145/3368089.3409743"}
    assert papers["10.1109/CVPR.2016.90"]["url"] == "https://doi.org/10.1109/CVPR.2016.90"
    assert "doi:10.1109/CVPR.2016.90" in run_reader("list", db=db).stdout
    # the same DOI piped as an id list is the same paper
    piped = run_reader("import", "-", db=db, input="10.1109/CVPR.2016.90\n")
    assert piped.stdout.startswith("added 0, merged 1")


def test_a_file_named_like_an_id_is_a_file_and_a_missing_link_keeps_its_slashes(db, tmp_path):
    named = tmp_path / "2501.12948"
    named.write_text(BIB)
    result = run_reader("import", str(named), db=db)
    assert result.stdout.startswith("added 3") and "[bibtex]" in result.stdout
    missing = run_reader("import", "https://example.org/refs.bib", db=db)
    assert missing.returncode == 2
    assert missing.stderr.strip() == "reader: error: https://example.org/refs.bib: no such file"


# ------------------------------------------------ bug 14: a missing library
@pytest.mark.parametrize(
    "args",
    [("list",), ("list", "--json"), ("show", "x"), ("cite", "x"), ("export",), ("note", "x"),
     ("mark", "x", "--read"), ("enrich",), ("restore",)],
)
def test_reading_a_missing_library_says_so(tmp_path, args):
    db = tmp_path / "missing" / "x.json"
    result = run_reader(*args, db=db)
    assert result.returncode == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"reader: error: no library at {db}")
    assert not db.parent.exists()


def test_import_makes_a_missing_library_and_says_so_once(tmp_path):
    db = tmp_path / "new" / "x.json"
    result = run_reader("import", "2501.12948", db=db)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"reader: a new library at {db}\n"
    again = run_reader("import", "2203.02155", db=db)
    assert again.returncode == 0 and again.stderr == ""
    assert len(json.loads(run_reader("list", "--json", db=db).stdout)) == 2


# ------------------------------------------------ bug 16: every has: key
@pytest.mark.slow
def test_help_lists_every_has_key_and_each_works(library):
    result = run_reader("--help")
    assert result.returncode == 0
    assert "has:" + "|".join(HAS_VALUES) in result.stdout
    assert {"notes", "code", "abstract", "tags", "arxiv", "doi", "pdf"} <= set(HAS_VALUES)
    for key in HAS_VALUES:
        assert parse_query(f"has:{key}")
        assert run_reader("list", f"-has:{key}", db=library).returncode == 0


def test_readme_lists_every_has_key_and_the_E_key():
    readme = (REPO / "README.md").read_text()
    keys_table = readme.split("### Keys", 1)[1].split("###", 1)[0]
    assert re.search(r"^\| `E` \|", keys_table, re.M)
    query_table = readme.split("### Queries", 1)[1].split("###", 1)[0]
    for key in HAS_VALUES:
        assert f"`has:{key}`" in query_table


# ------------------------------------------------ rough edges
@pytest.mark.slow
def test_every_option_has_help_and_ids_are_spelled_ID():
    for command in ("import", "list", "show", "mark", "note", "cite", "export", "restore", "enrich"):
        text = run_reader(command, "--help").stdout
        usage = re.sub(r"\{[^}]*\}", "", text.split("\n\n", 1)[0])  # not the format names
        assert not re.search(r"\bids?\b", usage), usage
        options = text.split("options:", 1)[1]
        lines = options.splitlines() + [""]
        for line, after in zip(lines, lines[1:], strict=False):
            if line.startswith("  -"):  # its help on the same line, or indented on the next
                assert "  " in line.strip() or after.startswith(" " * 10), (command, line)
    mark = run_reader("mark", "--help").stdout
    for words in ("mark read", "mark unread", "remove the star", "add a tag", "remove a tag"):
        assert words in mark


def test_export_writes_bibtex_by_default(library):
    result = run_reader("export", db=library)
    assert result.returncode == 0, result.stderr
    keys = {e.key for e in bibtexparser.parse_string(result.stdout).entries}
    assert keys == {"tango2024verifier", "smith2023survey", "lee2022games"}


def test_export_refuses_a_missing_folder(library, tmp_path):
    target = tmp_path / "no" / "such" / "out.bib"
    result = run_reader("export", "-o", str(target), db=library)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"reader: error: cannot write {target}: there is no folder {target.parent} (make it first)"
    )
    assert not (tmp_path / "no").exists()


@pytest.mark.slow
def test_restore_lists_date_cause_and_paper_count(library):
    run_reader("import", "2501.12948", db=library)  # backs up the three-paper library
    run_reader("mark", "lee2022games", "smith2023survey", "--star", db=library)
    listing = run_reader("restore", db=library)
    assert listing.returncode == 0, listing.stderr
    first, second = listing.stdout.splitlines()[:2]
    assert re.match(r"1  \d{4}-\d\d-\d\d \d\d:\d\d  before marking several papers +4 papers  /", first)
    assert re.match(r"2  \d{4}-\d\d-\d\d \d\d:\d\d  before an import +3 papers  /", second)


def test_show_suggests_the_id_meant(library):
    result = run_reader("show", "tango2024verifer", db=library)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "reader: error: no paper with id 'tango2024verifer'; did you mean tango2024verifier?"
    )
    by_title = run_reader("show", "honest", db=library)
    assert "did you mean lee2022games?" in by_title.stderr
    nothing = run_reader("show", "zzzz", db=library)
    assert nothing.stderr.strip() == "reader: error: no paper with id 'zzzz'"


def test_show_gives_local_times_to_the_minute(db, tmp_path):
    source = tmp_path / "one.json"
    source.write_text(json.dumps([{
        "id": "lee2022games", "title": "Verifier Games for Honest Answers",
        "added": "2024-03-01T10:30:45.123456+00:00",
        "read": True, "read_at": "2024-03-02T23:59:59.999999+00:00",
    }]))
    assert run_reader("import", str(source), db=db).returncode == 0
    shown = run_reader("show", "lee2022games", db=db, env={"TZ": "Asia/Tokyo"}).stdout
    assert " added  2024-03-01 19:30\n" in shown
    assert "  read  2024-03-03 08:59" in shown
    assert "10:30:45" not in shown and "123456" not in shown


@pytest.mark.slow
def test_an_empty_note_clears_and_says_so(library):
    run_reader("note", "lee2022games", "first line\nsecond line", db=library)
    cleared = run_reader("note", "lee2022games", "", db=library)
    assert cleared.returncode == 0
    assert cleared.stdout == "notes cleared for lee2022games (2 lines)\n"
    assert run_reader("note", "lee2022games", db=library).stdout == ""
    again = run_reader("note", "lee2022games", "", db=library)
    assert again.stdout == "no notes for lee2022games: nothing to clear\n"
    saved = run_reader("note", "lee2022games", "-", db=library, input="kept\n")
    assert saved.stdout == "notes saved for lee2022games\n"


# ------------------------------------------------ progress: a bar on a terminal only
def big_bib(tmp_path, n: int = 2000):
    path = tmp_path / "big.bib"
    path.write_text("".join(
        f"@article{{k{i},\n  title = {{Progress Bars Considered Number {i}}},\n"
        f"  author = {{Doe, Jane}},\n  year = {{2020}},\n}}\n"
        for i in range(n)
    ))
    return path


@pytest.mark.slow
def test_a_big_import_on_a_pipe_prints_the_summary_only(db, tmp_path):
    run_reader("import", "2501.12948", db=db)
    result = run_reader("import", str(big_bib(tmp_path)), db=db)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"added 2000, merged 0, skipped 0  [bibtex] -> {db}\n"
    assert result.stderr == ""


@pytest.mark.slow
def test_a_big_import_on_a_terminal_shows_a_bar_then_the_summary(db, tmp_path):
    run_reader("import", "2501.12948", db=db)
    status, screen = run_on_terminal("import", str(big_bib(tmp_path)), db=db)
    assert status == 0, screen
    assert "reading " in screen and "big.bib" in screen
    assert "merging" in screen and "2,000/2,000" in screen
    assert "━" in screen  # the bar itself
    assert f"added 2000, merged 0, skipped 0  [bibtex] -> {db}" in screen
    # the bar is gone at the end: the summary is the last thing written
    assert screen.rstrip().endswith(f"-> {db}")
