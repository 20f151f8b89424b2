"""Waiting on what the app shows, never on the clock.

    await until(pilot, lambda: screen.query_one(Input).value == "qxz", "the filter")

The deadline only turns a hang into a failure; a passing test never waits
for it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

#: Seconds before a condition that never holds fails the test.
DEADLINE = 60.0


async def until(
    pilot: Pilot, condition: Callable[[], object], what: str | Callable[[], str] = "the condition"
) -> None:
    """Wait until `condition` holds; `what` names it in the failure (a
    callable: worked out at the failure, to say the state things were in)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > DEADLINE:
            raise AssertionError(f"{what() if callable(what) else what}: never came about")
        await pilot.pause()


def keys_settled(app, sent: int | None = None) -> bool:
    """Every key sent to the app has been handled (reader's app holds each
    key until the one before is handled: see `reader.ui.key_order`).

    `sent`: how many keys were sent to this app through its driver. They
    reach the key order only once the app takes them from its queue, which
    on a loaded machine may be after this is first asked: until then the
    order has nothing waiting and would look settled."""
    order = getattr(app, "key_order", None)
    if order is None or not app.is_running:
        return True
    if sent is not None and order.number < sent:
        return False
    return not order.waiting and not order.busy


def keys_state(app) -> str:
    """Where the keys stand, for a failure: the key being handled, those
    waiting, where it went, the screens and the focus."""
    order = getattr(app, "key_order", None)
    if order is None:
        return "no key order"
    target = order.target
    return (f"key #{order.number} busy={order.busy}, {len(order.waiting)} waiting, went to {target!r} "
            f"(attached: {getattr(target, 'is_attached', None)}) on {order.screen!r}; "
            f"screens {app.screen_stack!r}, focused {app.focused!r}, "
            f"workers {[(w.name, w.state.name) for w in app.workers]!r}")


async def press_and_settle(pilot: Pilot, *keys: str) -> None:
    """`Pilot.press`, then wait until the app has handled every key pressed:
    Pilot waits for the app to be idle, but a key reader holds back for the
    one before it is not handled yet when that happens."""
    await _PILOT_PRESS(pilot, *keys)
    if keys:
        await until(pilot, lambda: keys_settled(pilot.app),
                    lambda: f"the keys {keys!r} handled ({keys_state(pilot.app)})")
        await _PILOT_PRESS(pilot)  # and whatever a screen change asked for


def settled(app) -> bool:
    """The main screen (under any screen opened over it) shows what it will
    go on showing until the next key, by what is on it:

    - every key pressed has been handled;
    - the abstracts are in, and the details show the paper under the cursor
      as it is now, the filter's words marked (they follow a pause in
      typing: `DETAIL_AFTER_TYPING`), its abstract read;
    - the status line says the cursor's place where the list has papers
      ("1/18"), and no filter is still searching ("1/18+", "reading the
      abstracts…");
    - an error in the filter is shown (it waits for a pause in typing);
    - the paper under the cursor is no longer new (`seen_soon`).
    """
    from textual.widgets import Static

    from reader.core.query import highlight_terms
    from reader.ui.safe import one_line
    from reader.ui.screens.main import MainScreen
    from reader.ui.widgets.detail import body_text, header_text, mark_words
    from reader.ui.widgets.status import StatusLine

    if not keys_settled(app):
        return False
    main = next((screen for screen in app.screen_stack if isinstance(screen, MainScreen)), None)
    if main is None:
        return True
    session = main.session
    if not session.library.abstracts_loaded:
        return False
    paper = main.current
    words = highlight_terms(session.query)
    mark = main.detail.get_component_rich_style("detail--match")
    header = main.detail.query_one("#detail-header", Static).content
    body = main.detail.query_one("#detail-body", Static).content
    if header != mark_words(header_text(paper), words, mark) or body != mark_words(body_text(paper), words, mark):
        return False
    rows = len(main.paper_list.rows)
    place = rf" {main.paper_list.cursor + 1}/{rows}( |$)" if rows else r" 0 of "
    status = str(main.query_one(StatusLine).render())
    if not re.match(place, status) or "reading the abstracts…" in status or "searching" in status:
        return False
    error = session.query_error
    if error and one_line(error) not in str(main.query_one("#filter-error", Static).render()):
        return False
    if paper is not None:
        stored = session.library.get(paper.id)
        if stored is not None and stored.new:
            return False
    return True


def settle(*keys: str, first: Callable[[Pilot], Awaitable[None]] | None = None
           ) -> Callable[[Pilot], Awaitable[None]]:
    """A `run_before` for `snap_compare`: `first` (a theme, say), then the
    keys, then a wait until the app has `settled`: the snapshot is of what
    the user goes on seeing, however slow the machine."""

    async def run_before(pilot: Pilot) -> None:
        if first is not None:
            await first(pilot)
        await press_and_settle(pilot, *keys)
        await until(pilot, lambda: settled(pilot.app), "a settled app")

    return run_before


#: Textual's own `Pilot.press` (the tests put `press_and_settle` in its place).
_PILOT_PRESS = getattr(Pilot.press, "original", Pilot.press)
press_and_settle.original = _PILOT_PRESS  # type: ignore[attr-defined]
