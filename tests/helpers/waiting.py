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


def keys_settled(app) -> bool:
    """Every key sent to the app has been handled (reader's app holds each
    key until the one before is handled: see `reader.ui.key_order`)."""
    order = getattr(app, "key_order", None)
    if order is None or not app.is_running:
        return True
    return not order.waiting and not order.busy


async def press_and_settle(pilot: Pilot, *keys: str) -> None:
    """`Pilot.press`, then wait until the app has handled every key pressed:
    Pilot waits for the app to be idle, but a key reader holds back for the
    one before it is not handled yet when that happens."""
    await _PILOT_PRESS(pilot, *keys)
    if keys:
        await until(pilot, lambda: keys_settled(pilot.app), f"the keys {keys!r} handled")
        await _PILOT_PRESS(pilot)  # and whatever a screen change asked for


#: Textual's own `Pilot.press` (the tests put `press_and_settle` in its place).
_PILOT_PRESS = getattr(Pilot.press, "original", Pilot.press)
press_and_settle.original = _PILOT_PRESS  # type: ignore[attr-defined]
