"""`reader sync` killed with SIGKILL at random moments, 50 times: both
libraries still open, and after the next syncs every change that was
acknowledged (a tag added by `reader mark`, which exited 0) is on both."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from conftest import run_reader
from helpers.clones import Clone, bare_remote, sync_all
from helpers.papers import numbered
from reader.core.library import Library

KILLS = int(os.environ.get("READER_SYNC_KILLS", "50"))


def _start_sync(clone: Clone) -> subprocess.Popen[bytes]:
    env = {**os.environ, "READER_MACHINE_ID": clone.name}
    return subprocess.Popen(
        [sys.executable, "-m", "reader", "--db", str(clone.path), "sync"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True,
    )


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
def test_sync_killed_at_random_moments_loses_nothing_acknowledged(tmp_path):
    remote = bare_remote(tmp_path)
    a, b = Clone(tmp_path, "A", remote), Clone(tmp_path, "B", remote)
    with a.here():
        a.library.add_papers(numbered(200, "Seed paper {i}", abstract="word " * 50), backup=False)
    sync_all([a, b], rounds=1)
    started = time.monotonic()
    proc = _start_sync(a)
    proc.wait()
    took = time.monotonic() - started
    rng = random.Random(15)
    acknowledged: list[str] = []
    for i in range(KILLS):
        clone = (a, b)[i % 2]
        tag = f"kill-{i}"
        done = run_reader("mark", f"p{rng.randrange(200)}", "--tag", tag, db=clone.path,
                          env={"READER_MACHINE_ID": clone.name})
        assert done.returncode == 0, done.stderr
        acknowledged.append(tag)
        proc = _start_sync(clone)
        time.sleep(rng.uniform(0, took * 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _wait_for_group(proc.pid)
        proc.stderr.close()
        for side in (a, b):
            Library(side.path)  # opens: every file parses
    for clone in (a, b):
        clone.reopen()
    sync_all([a, b])
    views = [a.view(), b.view()]
    assert views[0] == views[1]
    tags = {t for p in views[0].values() for t in p["tags"]}
    assert set(acknowledged) <= tags
    assert len(views[0]) == 200
