"""The command line end to end: the real `reader` in a subprocess on real files."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from conftest import run_reader

BIB = """\
@string{nips = "Advances in Neural Information Processing Systems"}
@inproceedings{vaswani2017attention,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki},
  booktitle = nips,
  year = {2017},
  eprint = {1706.03762},
  archivePrefix = {arXiv},
}
@article{he2016deep,
  title = {Deep Residual Learning for Image Recognition},
  author = {He, Kaiming and Zhang, Xiangyu},
  journal = {CVPR},
  year = 2016,
  doi = {10.1109/CVPR.2016.90},
}
"""


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


@pytest.fixture
def library(db, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB)
    result = run_reader("import", str(bib), db=db)
    assert result.returncode == 0, result.stderr
    return db


@pytest.mark.slow
def test_import_the_seed_list(db, seed_path):
    result = run_reader("import", str(seed_path), db=db)
    assert result.returncode == 0, result.stderr
    assert "added 86, merged 0, skipped 0" in result.stdout
    listed = json.loads(run_reader("list", "--json", db=db).stdout)
    assert len(listed) == 86
    # The page's first title comes glued to the "Subscribe" button's text.
    first_title = seed_path.read_text().splitlines()[2].removeprefix("Subscribe")
    assert listed[0]["title"] == first_title
    ids = [p["id"] for p in listed]
    assert len(set(ids)) == 86 and "rltf" in ids
    again = run_reader("import", str(seed_path), db=db)
    assert "added 0, merged 86, skipped 0" in again.stdout
    assert len(json.loads(run_reader("list", "--json", db=db).stdout)) == 86


def test_import_from_standard_input(db):
    text = "2203.02155\narXiv:1706.03762v5\n"
    result = run_reader("import", "-", db=db, input=text)
    assert result.returncode == 0, result.stderr
    assert "added 2" in result.stdout


def test_unknown_format_is_one_line_exit_2_and_nothing_written(db, tmp_path):
    odd = tmp_path / "odd.txt"
    odd.write_text("x\n")
    result = run_reader("import", str(odd), db=db)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("reader: error:")
    no_traceback(result)
    assert not db.exists()


def test_binary_input_is_refused_cleanly(db, tmp_path):
    blob = tmp_path / "image.png"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = run_reader("import", str(blob), db=db)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    no_traceback(result)
    assert not db.exists()


def test_missing_file(db, tmp_path):
    result = run_reader("import", str(tmp_path / "nope.bib"), db=db)
    assert result.returncode != 0 and "nope.bib" in result.stderr
    no_traceback(result)


def test_list_with_a_query_and_json_fields(library):
    out = run_reader("list", "author:vaswani", "--json", db=library)
    papers = json.loads(out.stdout)
    assert [p["id"] for p in papers] == ["vaswani2017attention"]
    paper = papers[0]
    for name in ("id", "title", "authors", "year", "venue", "abstract", "url", "code_url",
                 "arxiv_id", "doi", "tags", "read", "starred", "notes", "added", "read_at"):
        assert name in paper
    assert paper["authors"][0] == {"family": "Vaswani", "given": "Ashish"}
    assert paper["year"] == 2017 and paper["arxiv_id"] == "1706.03762"
    plain = run_reader("list", db=library)
    assert "Attention Is All You Need" in plain.stdout and "He & Zhang 2016" in plain.stdout


def test_bad_query_is_one_line(library):
    result = run_reader("list", "year:abc", db=library)
    assert result.returncode == 2
    assert result.stderr.startswith("reader: error:") and "year" in result.stderr
    no_traceback(result)


def test_show_and_unknown_id(library):
    shown = run_reader("show", "he2016deep", db=library)
    assert shown.returncode == 0
    assert "Deep Residual Learning" in shown.stdout and "10.1109/CVPR.2016.90" in shown.stdout
    missing = run_reader("show", "nobody1999", db=library)
    assert missing.returncode == 1
    assert missing.stderr.strip() == "reader: error: no paper with id 'nobody1999'"


@pytest.mark.slow
def test_mark_then_list_by_state(library):
    result = run_reader("mark", "he2016deep", "--read", "--star", "--tag", "Vision", db=library)
    assert result.returncode == 0, result.stderr
    starred = json.loads(run_reader("list", "is:starred", "--json", db=library).stdout)
    assert [p["id"] for p in starred] == ["he2016deep"]
    assert starred[0]["read"] and starred[0]["tags"] == ["vision"] and starred[0]["read_at"]
    unread = json.loads(run_reader("list", "is:unread", "--json", db=library).stdout)
    assert [p["id"] for p in unread] == ["vaswani2017attention"]
    run_reader("mark", "he2016deep", "--unread", "--unstar", "--untag", "vision", db=library)
    paper = json.loads(run_reader("show", "he2016deep", "--json", db=library).stdout)
    assert not paper["read"] and not paper["starred"] and paper["tags"] == []


def test_mark_needs_something_to_do(library):
    result = run_reader("mark", "he2016deep", db=library)
    assert result.returncode == 1 and "--read" in result.stderr


@pytest.mark.slow
def test_notes_set_from_argument_and_stdin(library):
    run_reader("note", "he2016deep", "first thought", db=library)
    assert run_reader("note", "he2016deep", db=library).stdout == "first thought\n"
    run_reader("note", "he2016deep", "-", db=library, input="# Heading\n\n- point [x]\n")
    assert run_reader("note", "he2016deep", db=library).stdout == "# Heading\n\n- point [x]\n"
    found = json.loads(run_reader("list", "has:notes", "--json", db=library).stdout)
    assert [p["id"] for p in found] == ["he2016deep"]


@pytest.mark.slow
def test_cite_bibtex_reparses(library):
    out = run_reader("cite", "vaswani2017attention", db=library)
    assert out.returncode == 0
    parsed = bibtexparser.parse_string(out.stdout)
    (entry,) = parsed.entries
    assert entry.key == "vaswani2017attention"
    assert "Vaswani" in entry["author"] and entry["year"] == "2017"
    apa = run_reader("cite", "he2016deep", "--format", "apa", db=library)
    assert apa.stdout.startswith("He, K., & Zhang, X. (2016).")


@pytest.mark.slow
def test_export_json_round_trips_into_a_new_library(library, tmp_path):
    run_reader("mark", "he2016deep", "--star", db=library)
    run_reader("note", "he2016deep", "keep this", db=library)
    out = tmp_path / "export.json"
    result = run_reader("export", "--format", "json", "-o", str(out), db=library)
    assert result.returncode == 0, result.stderr
    other = tmp_path / "other.json"
    assert run_reader("import", str(out), db=other).returncode == 0
    before = json.loads(run_reader("list", "--json", db=library).stdout)
    after = json.loads(run_reader("list", "--json", db=other).stdout)
    strip = lambda ps: sorted(({k: v for k, v in p.items() if k != "added"} for p in ps), key=lambda p: p["id"])  # noqa: E731
    assert strip(after) == strip(before)


def test_export_bibtex_to_stdout(library):
    out = run_reader("export", "--format", "bibtex", db=library)
    keys = {e.key for e in bibtexparser.parse_string(out.stdout).entries}
    assert keys == {"vaswani2017attention", "he2016deep"}


def test_reader_db_environment_variable(tmp_path):
    db = tmp_path / "env-library.json"
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB)
    result = run_reader("import", str(bib), env={"READER_DB": str(db)})
    assert result.returncode == 0 and db.exists()
    listed = run_reader("list", "--json", env={"READER_DB": str(db)})
    assert len(json.loads(listed.stdout)) == 2


def test_default_library_lives_in_the_user_data_directory(tmp_path, monkeypatch):
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB)
    data_home = tmp_path / "xdg"
    result = run_reader("import", str(bib), env={"XDG_DATA_HOME": str(data_home)})
    assert result.returncode == 0, result.stderr
    assert (data_home / "reader" / "library.json").exists()


def test_a_damaged_library_is_reported_and_left_alone(db):
    db.write_text('{"papers": {"a": {"title": "x"}')
    result = run_reader("list", db=db)
    assert result.returncode == 1
    assert str(db) in result.stderr and "not valid JSON" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    no_traceback(result)
    assert db.read_text() == '{"papers": {"a": {"title": "x"}'


@pytest.mark.slow
def test_restore_lists_and_brings_back_a_backup(library, tmp_path):
    more = tmp_path / "more.txt"
    more.write_text("2203.02155\n")
    run_reader("import", str(more), db=library)  # backs up the two-paper library
    listing = run_reader("restore", db=library)
    assert "1  " in listing.stdout
    result = run_reader("restore", "1", db=library)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(run_reader("list", "--json", db=library).stdout)) == 2


def test_version():
    result = run_reader("--version")
    assert result.returncode == 0 and result.stdout.startswith("reader ")



def test_standard_input_is_checked_like_a_file(db):
    binary = run_reader("import", "-", db=db, input="\x00\x01 not text")
    assert binary.returncode == 2
    assert binary.stderr.strip() == "reader: error: standard input is a binary file, not text"
    empty = run_reader("import", "-", db=db, input="")
    assert empty.stderr.strip() == "reader: error: standard input is empty"
    assert not db.exists()
