"""`reader sync` killed with SIGKILL at random moments, 30 times
(`READER_SYNC_KILLS` for more): both libraries still open, and after the
next syncs every change that was acknowledged (a tag added by `reader mark`,
which exited 0) is on both.

Each `reader mark` and `reader sync` is a process forked from one that has
imported reader already (`helpers.forked`): the kill comes at a random moment
of the sync's own work, not of Python starting. READER_TEST_SIZE sets the
library's size (200 papers by default)."""

from __future__ import annotations

import os
import random
import signal
import time

import pytest

from helpers.clones import Clone, bare_remote, sync_all
from helpers.papers import numbered
from helpers.sizes import library_size
from reader.core.library import Library

KILLS = int(os.environ.get("READER_SYNC_KILLS", "30"))
PAPERS = library_size(200)


def _as(clone: Clone) -> dict[str, str]:
    return {**os.environ, "READER_MACHINE_ID": clone.name}


def _wait_for_group(pgid: int) -> None:
    """The git commands a killed sync had started finish by themselves (only
    reader is killed, as a user's kill -9 does): wait until they have."""
    give_up = time.monotonic() + 120
    while time.monotonic() < give_up:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)
    pytest.fail("the git commands of a killed sync never finished")


@pytest.mark.slow
def test_sync_killed_at_random_moments_loses_nothing_acknowledged(tmp_path, forker):
    remote = bare_remote(tmp_path)
    a, b = Clone(tmp_path, "A", remote), Clone(tmp_path, "B", remote)
    with a.here():
        a.library.add_papers(numbered(PAPERS, "Seed paper {i}", abstract="word " * 50), backup=False)
    sync_all([a, b], rounds=1)
    # How long a sync with a change to send takes: the kills fall in that time.
    assert forker.run(["--db", str(a.path), "mark", "p0", "--star"], env=_as(a))[0] == 0
    started = time.monotonic()
    code, said = forker.run(["--db", str(a.path), "sync"], env=_as(a))
    took = time.monotonic() - started
    assert code == 0, said
    rng = random.Random(15)
    acknowledged: list[str] = []
    # A killed sync's git commands run on by themselves: the next command
    # on that library waits for them (the other library goes on meanwhile),
    # then the library must open: every file parses.
    running_on: dict[Clone, int] = {}

    def settle(clone: Clone) -> None:
        if clone in running_on:
            _wait_for_group(running_on.pop(clone))
            Library(clone.path)

    for i in range(KILLS):
        clone = (a, b)[i % 2]
        settle(clone)
        tag = f"kill-{i}"
        code, said = forker.run(
            ["--db", str(clone.path), "mark", f"p{rng.randrange(PAPERS)}", "--tag", tag], env=_as(clone)
        )
        assert code == 0, said
        acknowledged.append(tag)
        pid = forker.start("cli", ["--db", str(clone.path), "sync"], env=_as(clone))
        time.sleep(rng.uniform(0, took * 1.2))
        os.kill(pid, signal.SIGKILL)
        assert forker.wait(pid) in (-signal.SIGKILL, 0)  # killed, or done just before
        running_on[clone] = pid
    settle(a)
    settle(b)
    for clone in (a, b):
        clone.reopen()
    sync_all([a, b])
    views = [a.view(), b.view()]
    assert views[0] == views[1]
    tags = {t for p in views[0].values() for t in p["tags"]}
    assert set(acknowledged) <= tags
    assert len(views[0]) == PAPERS
