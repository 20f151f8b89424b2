"""`reader mark --query` and `reader tag QUERY +tag -tag`: the real command
line on a real library, with a backup before a change to several papers."""

from __future__ import annotations

import json

import pytest

from conftest import run_reader
from reader.core.library import Library


@pytest.fixture
def lib(db, tmp_path):
    source = tmp_path / "papers.json"
    source.write_text(json.dumps([
        {"title": "Verifier Rewards", "tags": ["todo"], "year": 2024},
        {"title": "A Survey of Verifiers", "tags": ["todo"], "year": 2023},
        {"title": "Unrelated Optics", "tags": ["todo"], "year": 2019},
    ]))
    assert run_reader("import", str(source), db=db).returncode == 0
    return db


def tags(db) -> dict[str, list[str]]:
    return {p.title: p.tags for p in Library(db).papers()}


def test_mark_by_query_marks_every_match_after_a_backup(lib):
    backups = len(Library(lib).backups())
    result = run_reader("mark", "--query", "verifier year:>=2023", "--read", "--star", db=lib)
    assert result.returncode == 0, result.stderr
    papers = {p.title: p for p in Library(lib).papers()}
    assert {t for t, p in papers.items() if p.read and p.starred} == {"Verifier Rewards", "A Survey of Verifiers"}
    assert not papers["Unrelated Optics"].read
    assert len(Library(lib).backups()) == backups + 1


def test_mark_wants_ids_or_a_query_not_both(lib):
    pid = Library(lib).papers()[0].id
    result = run_reader("mark", pid, "--query", "x", "--read", db=lib)
    assert result.returncode == 1 and "not both" in result.stderr
    nothing = run_reader("mark", "--query", "nowhere", "--read", db=lib)
    assert nothing.returncode == 0 and "nothing marked" in nothing.stdout


def test_tag_adds_and_removes_on_every_match(lib):
    result = run_reader("tag", "verifier -survey", "+rl", "-todo", db=lib)
    assert result.returncode == 0, result.stderr
    assert "tags changed on 1 paper of the 1 paper matched" in result.stdout
    assert tags(lib) == {"Verifier Rewards": ["rl"], "A Survey of Verifiers": ["todo"],
                         "Unrelated Optics": ["todo"]}
    result = run_reader("tag", "is:unread", "+later", db=lib)
    assert result.returncode == 0 and "on 3 papers of the 3 papers" in result.stdout
    assert all("later" in t for t in tags(lib).values())


def test_tag_refuses_a_word_that_is_not_a_change(lib):
    before = tags(lib)
    result = run_reader("tag", "verifier", "survey", "+rl", db=lib)
    assert result.returncode == 1
    assert "'survey' is not a change of tags" in result.stderr and "Traceback" not in result.stderr
    assert tags(lib) == before
