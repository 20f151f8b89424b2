"""Waiting on what the app shows, never on the clock.

    await until(pilot, lambda: screen.query_one(Input).value == "qxz", "the filter")

The deadline only turns a hang into a failure; a passing test never waits
for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot

#: Seconds before a condition that never holds fails the test.
DEADLINE = 60.0


async def until(pilot: Pilot, condition: Callable[[], object], what: str = "the condition") -> None:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > DEADLINE:
            raise AssertionError(f"{what}: never came about")
        await pilot.pause()
