"""Random edits and syncs on two or three machines: after everyone syncs,
the libraries are equal and nothing anyone did is lost (tags added and
never removed, notes written, papers never deleted)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from helpers.clones import Clone, bare_remote, copy_machines, sync_all
from helpers.papers import numbered

PIDS = ["p0", "p1", "p2"]
TAGS = ["a", "b", "c"]
#: The machines' starting point, made once per count of machines and copied for each example.
_TEMPLATES: dict[int, Path] = {}


def machines_template(count: int) -> Path:
    """A remote and `count` clones of it, M0 to M{count-1}, each holding the
    papers of PIDS (added on M0, synced once round)."""
    if count not in _TEMPLATES:
        root = Path(tempfile.mkdtemp(prefix="reader-sync-template-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        remote = bare_remote(root)
        clones = [Clone(root, f"M{i}", remote) for i in range(count)]
        first = clones[0]
        with first.here():
            first.library.add_papers(numbered(len(PIDS), "Paper number {i} on a subject"), backup=False)
        sync_all(clones, rounds=1)
        _TEMPLATES[count] = root
    return _TEMPLATES[count]


class Machines(RuleBasedStateMachine):
    count = 2

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="reader-sync-"))
        self.tokens: dict[str, set[str]] = {pid: set() for pid in PIDS}
        self.added: dict[str, set[str]] = {pid: set() for pid in PIDS}
        self.removed: dict[str, set[str]] = {pid: set() for pid in PIDS}
        self.deleted: set[str] = set()
        self.serial = 0

    @initialize()
    def start(self) -> None:
        self.clones = copy_machines(machines_template(self.count), self.root)

    def _on(self, index: int, pid: str):
        clone = self.clones[index % len(self.clones)]
        clone.library.refresh()
        return clone, pid in clone.library

    @rule(i=st.integers(0, 2), pid=st.sampled_from(PIDS), value=st.booleans())
    def star(self, i, pid, value):
        clone, here = self._on(i, pid)
        if here:
            with clone.here():
                clone.library.set_starred([pid], value)

    @rule(i=st.integers(0, 2), pid=st.sampled_from(PIDS), value=st.booleans())
    def read(self, i, pid, value):
        clone, here = self._on(i, pid)
        if here:
            with clone.here():
                clone.library.set_read([pid], value)

    @rule(i=st.integers(0, 2), pid=st.sampled_from(PIDS), tag=st.sampled_from(TAGS), add=st.booleans())
    def tag(self, i, pid, tag, add):
        clone, here = self._on(i, pid)
        if here:
            with clone.here():
                clone.library.change_tags(pid, [tag] if add else [], [] if add else [tag])
            (self.added if add else self.removed)[pid].add(tag)

    @rule(i=st.integers(0, 2), pid=st.sampled_from(PIDS))
    def note(self, i, pid):
        clone, here = self._on(i, pid)
        if here:
            self.serial += 1
            token = f"note{self.serial}"
            with clone.here():
                notes = clone.library.require(pid).notes
                clone.library.set_notes(pid, f"{notes} {token}".strip())
            self.tokens[pid].add(token)

    @rule(i=st.integers(0, 2), pid=st.sampled_from(PIDS))
    def delete(self, i, pid):
        clone, here = self._on(i, pid)
        if here:
            with clone.here():
                clone.library.delete([pid])
            self.deleted.add(pid)

    @rule(i=st.integers(0, 2))
    def sync(self, i):
        self.clones[i % len(self.clones)].sync()

    def teardown(self) -> None:
        try:
            if hasattr(self, "clones"):
                self.check()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def check(self) -> None:
        sync_all(self.clones)
        views = [clone.view() for clone in self.clones]
        assert all(view == views[0] for view in views), "the libraries differ after everyone synced"
        final = views[0]
        for pid in PIDS:
            if pid not in self.deleted:
                assert pid in final, f"{pid} was never deleted but is gone"
            if pid not in final:
                continue
            for token in self.tokens[pid]:
                assert token in final[pid]["notes"], f"{token} of {pid} was lost"
            for tag in self.added[pid] - self.removed[pid]:
                assert tag in final[pid]["tags"], f"tag {tag} of {pid} was lost"
            for tag in self.removed[pid] - self.added[pid]:
                assert tag not in final[pid]["tags"], f"tag {tag} of {pid} came back"


class ThreeMachines(Machines):
    count = 3


@pytest.mark.slow
def test_two_machines_converge_and_lose_nothing():
    run_state_machine_as_test(Machines, settings=settings(
        max_examples=3, stateful_step_count=8, deadline=None,
        suppress_health_check=list(HealthCheck),
    ))


@pytest.mark.slow
def test_three_machines_converge_and_lose_nothing():
    run_state_machine_as_test(ThreeMachines, settings=settings(
        max_examples=10, stateful_step_count=20, deadline=None,
        suppress_health_check=list(HealthCheck),
    ))
