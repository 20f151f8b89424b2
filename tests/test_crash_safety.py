"""A writer killed with SIGKILL at random moments never loses what it acknowledged.

Each round starts a writer process, lets it work for a random moment, kills it
with SIGKILL and then checks: the library opens (every file parses), every
change the writer acknowledged is there, and nothing is duplicated.

Four writers, one per path a change takes: `toggle` (the app's s and r keys:
`Library.toggle_star` / `toggle_read`), `tag`, `note` (note saving) and
`import`. The rounds per mode default to 25 (100 kills in all) for the suite;
set READER_KILL_ROUNDS (e.g. 300: 1,200 kills) for the long run.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.crash_writer import toggled_field
from reader.core.library import Library
from reader.core.models import Paper

WRITER = Path(__file__).resolve().parent / "helpers" / "crash_writer.py"
ROUNDS = int(os.environ.get("READER_KILL_ROUNDS", "25"))


def seed_library(db: Path, n: int = 1000) -> None:
    Library(db).add_papers(
        [
            Paper(id=f"p{i:05d}", title=f"Seed paper {i}", abstract="word " * 300)
            for i in range(n)
        ]
    )


def run_round(db: Path, mode: str, start: int, rng: random.Random) -> list[tuple[str, int]]:
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(db), mode, str(start)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=db.parent,
    )
    acks: list[tuple[str, int]] = []
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "ready", proc.stderr.read() if proc.stderr else line
    deadline = time.monotonic() + rng.uniform(0.0, 0.25)
    fd = proc.stdout.fileno()
    os.set_blocking(fd, False)
    buffer = ""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.005)
        if ready:
            buffer += os.read(fd, 65536).decode()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # Lines already written before the kill were acknowledged too.
    try:
        while chunk := os.read(fd, 65536):
            buffer += chunk.decode()
    except BlockingIOError:
        pass
    proc.stdout.close()
    proc.stderr.close()
    for line in buffer.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "ack":
            acks.append((parts[1], int(parts[2])))
    return acks


def marks(library: Library) -> dict[str, dict[str, bool]]:
    return {p.id: {"starred": p.starred, "read": p.read} for p in library.papers()}


@pytest.mark.parametrize("mode", ["toggle", "tag", "note", "import"])
def test_killed_writer_loses_nothing_acknowledged(tmp_path, mode):
    db = tmp_path / "library.json"
    seed_library(db)
    rng = random.Random(f"crash-{mode}")
    acked_tags: dict[str, set[str]] = {}
    last_note: dict[str, int] = {}
    imported: set[int] = set()
    counter = 0
    total_acks = 0
    pids = sorted(p.id for p in Library(db).papers())
    on_disk = marks(Library(db))
    for _ in range(ROUNDS):
        start = counter
        acks = run_round(db, mode, counter, rng)
        total_acks += len(acks)
        counter += len(acks) + 1  # a change may have landed without its ack line
        library = Library(db)  # must open: every file parses
        if mode == "toggle":
            # Every acknowledged toggle is on disk, and nothing else changed,
            # except perhaps the one toggle in flight when the writer died.
            expected = {pid: dict(m) for pid, m in on_disk.items()}
            for (pid, value) in acks:
                field = toggled_field(value)
                expected[pid][field] = not expected[pid][field]
            now = marks(library)
            in_flight = start + len(acks)
            flight_pid, flight_field = pids[in_flight % len(pids)], toggled_field(in_flight)
            for pid, have in now.items():
                if have == expected[pid]:
                    continue
                landed = dict(expected[pid], **{flight_field: not expected[pid][flight_field]})
                assert pid == flight_pid and have == landed, f"lost or stray toggle on {pid}"
            on_disk = now
        elif mode == "tag":
            for pid, value in acks:
                acked_tags.setdefault(pid, set()).add(f"t{value}")
            for pid, tags in acked_tags.items():
                have = library.require(pid).tags
                assert tags <= set(have), f"lost acknowledged tags of {pid}"
                assert len(have) == len(set(have)), "duplicated tags"
        elif mode == "note":
            for pid, value in acks:
                last_note[pid] = value
            for pid, value in last_note.items():
                note = library.require(pid).notes
                assert note.startswith("note ")
                assert int(note.split()[1]) >= value, f"note of {pid} went back in time"
        else:
            imported.update(value for _, value in acks)
            titles = [p.title for p in library.papers()]
            assert len(titles) == len(set(titles)), "a paper was duplicated"
            have = {int(t.split()[1]) for t in titles if t.startswith("Imported ")}
            assert imported <= have, "lost an acknowledged import"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    Library(db)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")], leftovers
    assert total_acks > 0, "the writer never got to write: the test proved nothing"
