"""Keys in the order they were typed, each after what the one before did.

Textual hands a key to the focused widget and goes straight on to the next
one; a binding further up (the screen's `/`, `n`, `t`...) only runs when the
key has bubbled back to the app. Keys that come in one burst (typed while
the app starts, pasted by tmux, sent over a slow link) all go to the widget
focused before the first of them: `/` then `qxz` gave the list a `q` (quit)
instead of giving the filter "qxz".

`KeyOrder` holds each key until the one before is handled: the key has gone
through the widgets, its binding has run, a focus change it asked for has
taken place, and a screen it opened is on and focused.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from functools import partial

from textual import events
from textual.app import App, ScreenStackError, UnknownModeError
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer

#: Seconds between looks at a key that has not reported back: if its widget
#: went away meanwhile, the key stops holding the next one. A safety net, not
#: a pace: on a loaded machine a key may take this long and still be handled.
KEY_TIMEOUT = 3.0
#: Seconds after which a key stops holding the next even though its widget is
#: still there (a handler that never finishes must not stop the keyboard).
KEY_GIVE_UP = 30.0

InputEvent = events.Key | events.Paste


class KeyHandled(Message):
    """Follows a key through the widgets it went to; at the app, that key is
    handled. A second round follows the messages its binding sent (an Input's
    Submitted, say) and what their handlers did."""

    def __init__(self, number: int, round: int = 1) -> None:
        super().__init__()
        self.number = number
        self.round = round


class KeyOrder:
    """The keys of `app`, one at a time.

    `app.on_event` gives every key (and paste) to `take`; the app's handler of
    `KeyHandled` calls `handled`.
    """

    def __init__(self, app: App, dispatch: Callable[[InputEvent], Awaitable[bool]]) -> None:
        self.app = app
        self.dispatch = dispatch
        self.waiting: deque[InputEvent] = deque()
        self.number = 0  # of the key being handled
        self.busy = True  # until the first screen is up
        self.screen: Screen | None = None
        self.target: DOMNode | None = None
        self.timer: Timer | None = None

    def ready(self) -> None:
        """The first screen is up: keys typed so far go to it."""
        self.app.call_after_refresh(self._release, self.number)

    async def take(self, event: InputEvent) -> None:
        self.waiting.append(event)
        if not self.busy:
            await self._next()

    def handled(self, message: KeyHandled) -> None:
        message.stop()
        if message.number != self.number or not self.busy:
            return  # a key already given up on
        number = self.number
        if message.round == 1:
            target = self.target if self.target is not None and self.target.is_attached else None
            target = target or self._focused() or self._current_screen()
            if target is not None and target.post_message(KeyHandled(number, 2)):
                return
        # After what the binding asked for next (Widget.focus() is done later).
        self.app.call_later(self._settled, number)

    async def _settled(self, number: int) -> None:
        if self._current_screen() is not self.screen:
            # A screen opened or closed: the next key goes to it once it is on
            # and has given its focus.
            self.app.call_after_refresh(self._release, number)
        else:
            await self._release(number)

    def _focused(self) -> DOMNode | None:
        try:
            return self.app.focused
        except (ScreenStackError, UnknownModeError):
            return None  # closing

    def _current_screen(self) -> Screen | None:
        try:
            return self.app.screen
        except (ScreenStackError, UnknownModeError):
            return None  # closing

    async def _release(self, number: int) -> None:
        if number != self.number or not self.busy:
            return
        self.busy = False
        await self._next()

    async def _next(self) -> None:
        if not self.waiting:
            return
        event = self.waiting.popleft()
        self.busy = True
        self.number += 1
        number = self.number
        screen = self._current_screen()
        target: DOMNode | None = self._focused() or screen
        self.screen, self.target = screen, target
        if target is None or not await self.dispatch(event):
            self.busy = False
            self.waiting.clear()  # closing: nowhere to go
            return
        # Behind the key in the queue of the widget it went to, and bubbling
        # up after it: at the app, the key has been handled.
        if not target.post_message(KeyHandled(number)):
            self.app.post_message(KeyHandled(number))
        self._look_again(number, KEY_GIVE_UP)

    def _look_again(self, number: int, left: float) -> None:
        if self.timer is not None:
            self.timer.stop()
        self.timer = self.app.set_timer(KEY_TIMEOUT, partial(self._overdue, number, left - KEY_TIMEOUT))

    async def _overdue(self, number: int, left: float) -> None:
        """Key `number` has not reported back yet: wait on while its widget is
        there (the machine is only slow), else let the next key go."""
        if number != self.number or not self.busy:
            return
        target = self.target
        if left > 0 and target is not None and target.is_attached:
            self._look_again(number, left)
        else:
            await self._release(number)
