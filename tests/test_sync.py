"""Sync through git: two machines change the same papers on every field, sync
in any order, and end up with equal libraries that hold every change."""

from __future__ import annotations

import json
import subprocess

import pytest

from conftest import run_reader
from helpers.clones import Clone, bare_remote, sync_all
from helpers.papers import paper
from reader.core.state_merge import NOTES_MARK
from reader.errors import ReaderError


def _seed(tmp_path):
    remote = bare_remote(tmp_path)
    a, b = Clone(tmp_path, "A", remote), Clone(tmp_path, "B", remote)
    with a.here():
        a.library.add_papers([
            paper("Reading together", id="p1", authors=["Ada Lovelace"], year=2020),
            paper("Tags on both sides", id="p2", year=2021),
            paper("Notes on both sides", id="p3", year=2022),
            paper("Deleted here, starred there", id="p4", year=2023),
            paper("Gone on both", id="p5", year=2019),
        ])
        a.library.change_tags("p2", ["old", "keep"], [])
        a.library.set_notes("p3", "first thoughts")
    a.sync()
    b.sync()
    return a, b


def _edit_both(a: Clone, b: Clone) -> None:
    with a.here():
        a.library.set_read(["p1"], True)
        a.library.update_metadata("p1", {"doi": "10.1000/shared", "venue": "Venue A"})
        a.library.change_tags("p2", ["from-a"], ["old"])
        a.library.set_notes("p3", "first thoughts\nA: the proof is wrong")
        a.library.delete(["p4", "p5"])
        a.library.add_papers([
            paper("Imported on both", id="", authors=["Grace Hopper"], year=2024, doi="10.1/both"),
            paper("Only in A's file", id="", authors=["Alan Turing"], year=2024),
        ])
    with b.here():
        b.library.set_starred(["p1"], True)
        b.library.update_metadata("p1", {"venue": "Venue B", "url": "https://example.org/p1"})
        b.library.change_tags("p2", ["from-b"], ["keep"])
        b.library.set_notes("p3", "B: see the appendix")
        b.library.set_starred(["p4"], True)
        b.library.delete(["p5"])
        b.library.add_papers([
            paper("Imported on both", id="", authors=["Grace Hopper"], year=2024,
                  abstract="abstract from B's file", venue="B's venue"),
        ])


@pytest.mark.slow
@pytest.mark.parametrize("order", ["AB", "BA", "AAB", "BBA"])
def test_two_machines_change_every_field_and_end_equal_with_every_change(tmp_path, order):
    a, b = _seed(tmp_path)
    _edit_both(a, b)
    clones = {"A": a, "B": b}
    for name in order:
        clones[name].sync()
    sync_all([a, b])
    assert a.view() == b.view()
    assert a.files() == b.files()  # byte for byte: git carries the same files
    papers = a.view()
    p1 = papers["p1"]
    assert p1["read"] and p1["starred"]
    assert p1["doi"] == "10.1000/shared" and p1["url"] == "https://example.org/p1"
    assert p1["venue"] in ("Venue A", "Venue B")
    assert sorted(papers["p2"]["tags"]) == ["from-a", "from-b"]
    notes = papers["p3"]["notes"]
    assert "A: the proof is wrong" in notes and "B: see the appendix" in notes and NOTES_MARK.strip() in notes
    assert papers["p4"]["starred"], "deleted on one side, changed on the other: kept"
    assert "p5" not in papers, "deleted on both sides: gone"
    both = [p for p in papers.values() if p["title"] == "Imported on both"]
    assert len(both) == 1
    assert both[0]["doi"] == "10.1/both" and both[0]["abstract"] == "abstract from B's file"
    assert any(p["title"] == "Only in A's file" for p in papers.values())
    reports = [r for c in (a, b) for r in c.reports]
    assert any("p3" in r.notes_joined for r in reports)
    assert any("p4" in r.kept_deleted for r in reports)
    for clone in (a, b):
        for part in clone.files():
            assert b"<<<<<<<" not in part and b">>>>>>>" not in part
            json.loads(part)


@pytest.mark.slow
def test_the_later_change_wins_a_field_changed_on_both(tmp_path):
    a, b = _seed(tmp_path)
    with a.here():
        a.library.set_starred(["p1"], True)
    with b.here():
        b.library.set_starred(["p1"], True)
    with a.here():
        a.library.set_starred(["p1"], False)  # after B's star
    b.sync()
    a.sync()
    b.sync()
    assert a.view()["p1"]["starred"] is False and b.view()["p1"]["starred"] is False


@pytest.mark.slow
def test_two_different_works_added_under_one_id_are_both_kept(tmp_path):
    a, b = _seed(tmp_path)
    with a.here():
        a.library.add_papers([paper("Attention on graphs", id="new1", authors=["Kim Lee"], year=2024,
                                    doi="10.1/graphs")])
    with b.here():
        b.library.add_papers([paper("Sparse retrieval at scale", id="new1", authors=["Omar Diaz"],
                                    year=2024, doi="10.1/retrieval")])
    a.sync()
    b.sync()
    a.sync()
    titles = sorted(p["title"] for p in a.view().values() if p["doi"].startswith("10.1/"))
    assert titles == ["Attention on graphs", "Sparse retrieval at scale"]
    assert a.view() == b.view()
    sync_all([a, b])
    assert len(a.view()) == len(b.view()) == 7  # merged again: nothing doubled


def _git(folder, *args):
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
def test_the_cli_syncs_and_says_what_moved(tmp_path):
    remote = bare_remote(tmp_path)
    bib = tmp_path / "a.bib"
    bib.write_text("@article{smith2020, title={Deep Things}, author={Smith, John}, year={2020}}\n")
    a_db, b_db = tmp_path / "A" / "library.json", tmp_path / "B" / "library.json"
    env_a, env_b = {"READER_MACHINE_ID": "A"}, {"READER_MACHINE_ID": "B"}
    assert run_reader("import", str(bib), db=a_db, env=env_a).returncode == 0
    done = run_reader("sync", "init", str(remote), db=a_db, env=env_a)
    assert done.returncode == 0, done.stderr
    assert run_reader("sync", db=a_db, env=env_a).returncode == 0
    assert run_reader("sync", "init", str(remote), db=b_db, env=env_b).returncode == 0
    done = run_reader("sync", db=b_db, env=env_b)
    assert done.returncode == 0 and "received changes to 1 paper" in done.stderr
    assert run_reader("mark", "smith2020", "--star", db=b_db, env=env_b).returncode == 0
    status = run_reader("sync", "status", db=b_db, env=env_b)
    assert "to send: changes to 1 paper" in status.stderr
    assert run_reader("sync", db=b_db, env=env_b).returncode == 0
    status = run_reader("sync", "status", db=a_db, env=env_a)
    assert "to receive: changes to 1 paper" in status.stderr
    assert run_reader("sync", db=a_db, env=env_a).returncode == 0
    shown = run_reader("list", "is:starred", db=a_db, env=env_a)
    assert "Deep Things" in shown.stdout
    attributes = (tmp_path / "A" / ".gitattributes").read_text()
    assert "library.json merge=binary" in attributes


@pytest.mark.slow
def test_an_unreachable_remote_is_one_line_and_the_change_stays_committed(tmp_path):
    db = tmp_path / "A" / "library.json"
    env = {"READER_MACHINE_ID": "A"}
    bib = tmp_path / "a.bib"
    bib.write_text("@article{smith2020, title={Deep Things}, author={Smith, John}, year={2020}}\n")
    run_reader("import", str(bib), db=db, env=env)
    assert run_reader("sync", "init", str(tmp_path / "nowhere.git"), db=db, env=env).returncode == 0
    run_reader("mark", "smith2020", "--read", db=db, env=env)
    done = run_reader("sync", db=db, env=env)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the remote" in lines[0] and "Traceback" not in done.stderr
    assert '"read":true' in _git(db.parent, "show", "HEAD:library.state.json")


@pytest.mark.slow
def test_a_refused_push_fetches_merges_and_pushes_again(tmp_path):
    a, b = _seed(tmp_path)
    hook = tmp_path / "remote.git" / "hooks" / "pre-receive"
    marker = tmp_path / "refused-once"
    hook.write_text(f"#!/bin/sh\nif [ ! -e '{marker}' ]; then touch '{marker}'; echo no; exit 1; fi\n")
    hook.chmod(0o755)
    with b.here():
        b.library.set_starred(["p2"], True)
    b.sync()
    assert marker.exists()
    a.sync()
    assert a.view()["p2"]["starred"]


@pytest.mark.slow
def test_a_toggle_at_many_papers_commits_a_small_diff(tmp_path):
    remote = bare_remote(tmp_path)
    a = Clone(tmp_path, "A", remote)
    with a.here():
        a.library.add_papers([paper(f"Paper number {i}", id=f"p{i}", abstract="words " * 50)
                              for i in range(2000)], backup=False)
        a.library.toggle_star("p5")
    a.sync()
    with a.here():
        a.library.toggle_star("p1500")
    a.sync()
    diff = _git(a.path.parent, "show", "--format=", "HEAD")
    assert 0 < len(diff.encode()) < 1024, diff


@pytest.mark.slow
def test_a_remote_address_that_would_run_a_command_is_refused(tmp_path):
    db = tmp_path / "A" / "library.json"
    marker = tmp_path / "ran"
    env = {"READER_MACHINE_ID": "A"}
    assert run_reader("sync", "init", f"ext::sh -c touch% {marker}", db=db, env=env).returncode == 0
    done = run_reader("sync", db=db, env=env)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert not marker.exists()
    assert run_reader("sync", "init", "--upload-pack=touch", db=db, env=env).returncode != 0


@pytest.mark.slow
def test_a_damaged_record_from_the_remote_is_refused_and_nothing_changes(tmp_path):
    a, b = _seed(tmp_path)
    state = b.library.state_path
    text = state.read_text().replace('"tags":["old","keep"]', '"tags":"not a list"')
    state.write_text(text)  # written by hand, as a broken reader elsewhere might
    _git(b.path.parent, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qam", "broken")
    _git(b.path.parent, "push", "-q", "origin", "HEAD:refs/heads/main")
    before = a.files()
    with a.here():
        a.library.set_starred(["p1"], True)
        a.library.compact()  # as sync does first: the star is in the state file
    kept = a.files()
    assert kept != before
    with pytest.raises(ReaderError, match="damaged"):
        a.sync()
    assert a.files() == kept
    assert a.reopen().require("p1").starred


def test_a_git_command_past_its_time_is_stopped_and_leaves_no_lock(tmp_path, monkeypatch):
    """git is asked to stop (it removes its `index.lock`), not killed outright:
    a lock left behind would make every later sync fail. Here a clean filter
    that sleeps keeps `git add` busy past a short time limit."""
    from reader.core import git_cmd

    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "config", "filter.slow.clean", "sleep 30; cat"], check=True)
    (repo / ".git" / "info" / "attributes").write_text("*.json filter=slow\n")
    (repo / "library.json").write_text("{}\n")
    monkeypatch.setattr(git_cmd, "LOCAL_TIMEOUT", 1.0)
    with pytest.raises(ReaderError, match="git add gave no answer in 1 s"):
        git_cmd.git(repo, "add", "--", "library.json")
    assert not (repo / ".git" / "index.lock").exists()
    (repo / ".git" / "info" / "attributes").write_text("")
    monkeypatch.setattr(git_cmd, "LOCAL_TIMEOUT", 60.0)
    git_cmd.git(repo, "add", "--", "library.json")  # the next command is not refused
    assert "library.json" in git_cmd.git(repo, "ls-files").stdout.decode()
