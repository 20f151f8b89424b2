"""A writer killed with SIGKILL at random moments never loses what it acknowledged.

Each round starts a writer process, lets it work for a random moment, kills it
with SIGKILL and then checks: the library opens (every file parses), every
change the writer acknowledged is there, and nothing is duplicated.

Four writers, one per path a change takes: `toggle` (the app's s and r keys:
`Library.toggle_star` / `toggle_read`), `tag`, `note` (note saving) and
`import`. The rounds per mode default to 25 (100 kills in all) for the suite;
set READER_KILL_ROUNDS (e.g. 300: 1,200 kills) for the long run, and
READER_TEST_SIZE (e.g. 100k) for a library of that many papers (1,000 by
default; built once per session, copied for each mode).

Each writer is a process forked from one that imported reader already
(`helpers.forked`): a round costs the writer's work, not Python's start.
"""

from __future__ import annotations

import os
import random
import select
import signal
import time
from pathlib import Path

import pytest

from helpers.crash_writer import toggled_field
from helpers.forked import Forker
from helpers.papers import numbered
from helpers.sizes import library_size
from reader.core.library import Library

ROUNDS = int(os.environ.get("READER_KILL_ROUNDS", "25"))
PAPERS = library_size(1000)


def seed_library(db: Path, n: int = PAPERS) -> None:
    Library(db).add_papers(numbered(n, "Seed paper {i}", id="p{i:06d}", abstract="word " * 300),
                           backup=False)


STALL_TIMEOUT = 120  # only catches a writer that never starts or hangs
MOST_ACKS_BEFORE_KILL = 15


def read_some(fd: int, timeout: float) -> bytes:
    """What the pipe holds within `timeout` seconds (b"" if nothing yet, or at its end)."""
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return b""
    return os.read(fd, 65536)


def run_round(forker: Forker, db: Path, mode: str, start: int, rng: random.Random) -> list[tuple[str, int]]:
    """One writer, killed at a random moment: the changes it acknowledged.

    The writer's output comes through a FIFO that this test reads unbuffered
    (`os.read`), so no line can sit unseen in a reader's buffer; only whole
    lines count, since the kill may cut the last one short.
    """
    fifo = db.parent / f"writer-{start}.out"
    errors = db.parent / f"writer-{start}.err"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    # A write end of our own until the writer is dead: reading waits for its
    # lines instead of finding the end before the writer has opened its end.
    keep_open = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    pid = forker.start("writer", [str(db), mode, str(start)], cwd=db.parent, stdout=fifo, stderr=errors)
    output = b""
    # The kill comes after a random number of acknowledged changes, then a
    # random moment: counted in the writer's own progress, not in time alone,
    # so that a loaded machine still has the writer die in the middle of its
    # work rather than before it starts.
    wait_for = 1 + rng.randrange(MOST_ACKS_BEFORE_KILL)  # lines: "ready", then acks
    give_up = time.monotonic() + STALL_TIMEOUT
    while output.count(b"\n") < wait_for:
        chunk = read_some(fd, 0.05)
        output += chunk
        if (chunk == b"" and forker.poll(pid) is not None) or time.monotonic() > give_up:
            os.kill(pid, signal.SIGKILL)
            forker.wait(pid)
            pytest.fail(f"the writer stopped or stalled: {output[-200:]!r} {errors.read_text()!r}")
    deadline = time.monotonic() + rng.uniform(0.0, 0.05)
    while (left := deadline - time.monotonic()) > 0:
        output += read_some(fd, left)
    os.kill(pid, signal.SIGKILL)
    code = forker.wait(pid)
    assert code == -signal.SIGKILL, f"the writer failed: {errors.read_text()!r}"
    # Lines written before the kill were acknowledged too: read to the end.
    os.close(keep_open)
    while chunk := read_some(fd, 1.0):
        output += chunk
    os.close(fd)
    fifo.unlink()
    errors.unlink()
    *lines, _unfinished = output.decode().split("\n")
    acks = []
    for line in lines[1:]:
        word, pid_, value = line.split()
        assert word == "ack", line
        acks.append((pid_, int(value)))
    # Every acknowledgement the writer printed was read: they are numbered from
    # `start` with no gap.
    assert [value for _, value in acks] == list(range(start, start + len(acks)))
    return acks


def marks(library: Library) -> dict[str, dict[str, bool]]:
    return {p.id: {"starred": p.starred, "read": p.read} for p in library.papers()}


def numbers_on_disk(library: Library, mode: str) -> set[int]:
    """The change numbers the writer left in the library (tag and import modes)."""
    if mode == "tag":
        return {int(tag[1:]) for p in library.papers() for tag in p.tags}
    return {int(p.title.split()[1]) for p in library.papers() if p.title.startswith("Imported ")}


def notes_on_disk(library: Library) -> dict[str, int]:
    return {p.id: int(p.notes.split()[1]) for p in library.papers() if p.notes}


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["toggle", "tag", "note", "import"])
def test_killed_writer_loses_nothing_acknowledged(tmp_path, mode, library_templates, forker):
    """After each kill the library holds exactly the acknowledged changes, plus
    at most the one change in flight: so a change on disk whose ack the test did
    not read fails the test as surely as an acknowledged change that is lost."""
    db = library_templates.copy(f"crash-seed-{PAPERS}", seed_library, tmp_path / "library.json")
    rng = random.Random(f"crash-{mode}")
    pids = sorted(p.id for p in Library(db).papers())
    on_disk = marks(Library(db))
    landed: set[int] = set()  # change numbers acknowledged, or in flight and landed
    in_flights: set[int] = set()
    last_note: dict[str, int] = {}
    counter = 0
    total_acks = 0
    for _ in range(ROUNDS):
        start = counter
        acks = run_round(forker, db, mode, start, rng)
        total_acks += len(acks)
        in_flight = start + len(acks)  # may have landed without its ack line
        flight_pid = pids[in_flight % len(pids)]
        counter = in_flight + 1
        library = Library(db)  # must open: every file parses
        if mode == "toggle":
            # Every acknowledged toggle is on disk, and nothing else changed,
            # except perhaps the one toggle in flight when the writer died.
            expected = {pid: dict(m) for pid, m in on_disk.items()}
            for pid, value in acks:
                field = toggled_field(value)
                expected[pid][field] = not expected[pid][field]
            now = marks(library)
            flight_field = toggled_field(in_flight)
            for pid, have in now.items():
                if have == expected[pid]:
                    continue
                flipped = dict(expected[pid], **{flight_field: not expected[pid][flight_field]})
                assert pid == flight_pid and have == flipped, f"lost or stray toggle on {pid}"
            on_disk = now
        elif mode == "note":
            # Each paper's note is the last one acknowledged for it, or the one
            # in flight.
            for pid, value in acks:
                last_note[pid] = value
            now = notes_on_disk(library)
            for pid in pids:
                if now.get(pid) != last_note.get(pid):
                    assert pid == flight_pid and now[pid] == in_flight, (
                        f"note of {pid}: {now.get(pid)} on disk, {last_note.get(pid)} acknowledged"
                    )
                    last_note[pid] = in_flight
        else:
            if mode == "import":
                titles = [p.title for p in library.papers()]
                assert len(titles) == len(set(titles)), "a paper was duplicated"
            else:
                for paper in library.papers():
                    assert len(paper.tags) == len(set(paper.tags)), "duplicated tags"
            landed.update(value for _, value in acks)
            in_flights.add(in_flight)
            now_numbers = numbers_on_disk(library, mode)
            assert landed <= now_numbers, f"lost acknowledged changes {sorted(landed - now_numbers)}"
            stray = now_numbers - landed - in_flights
            assert not stray, f"changes on disk that were never acknowledged: {sorted(stray)}"
            landed |= now_numbers & in_flights
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    Library(db)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")], leftovers
    assert total_acks > 0, "the writer never got to write: the test proved nothing"
