"""ctrl+s in the app syncs in a worker: the other machine's changes show up,
and a sync that cannot reach its remote says so in one line."""

from __future__ import annotations

import pytest

from helpers.clones import Clone, bare_remote
from helpers.papers import numbered
from helpers.said import said
from helpers.waiting import until
from reader.core.library import Library
from reader.ui.app import create_app
from reader.ui.keys import MAIN_KEYS
from textual_probes import screen_strips


def _two(tmp_path):
    remote = bare_remote(tmp_path)
    a, b = Clone(tmp_path, "A", remote), Clone(tmp_path, "B", remote)
    with a.here():
        a.library.add_papers(numbered(3, "Paper number {i}"), backup=False)
    a.sync()
    b.sync()
    with b.here():
        b.library.set_starred(["p1"], True)
        b.library.set_notes("p2", "written on B")
    b.sync()
    return a, b


def _messages(app) -> list[str]:
    return said(app).splitlines()


@pytest.mark.slow
async def test_ctrl_s_brings_the_other_machines_changes(tmp_path, monkeypatch):
    a, _ = _two(tmp_path)
    monkeypatch.setenv("READER_MACHINE_ID", "A")
    app = create_app(Library(a.path), use_settings=False)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.library.require("p1").starred, "the sync")
        await until(pilot, lambda: "Sync: received" in said(app), "the report")
        assert app.library.require("p2").notes == "written on B"
        await pilot.pause()
        assert "★" in "".join(strip.text for strip in screen_strips(app))


async def test_a_sync_that_cannot_reach_its_remote_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("READER_MACHINE_ID", "A")
    lonely = Clone(tmp_path, "A", tmp_path / "nowhere.git")
    with lonely.here():
        lonely.library.add_papers(numbered(2, "Paper number {i}"), backup=False)
    app = create_app(Library(lonely.path), use_settings=False)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("cannot reach the remote" in m for m in _messages(app)), "the error")
        assert len(app.library) == 2


def test_sync_is_in_the_key_table_on_ctrl_s():
    assert any(k.key == "ctrl+s" and k.action == "sync" for k in MAIN_KEYS)
