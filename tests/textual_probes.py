"""Every private Textual name the tests need, in one place.

Textual offers no public way to read the notifications shown, to feed raw
key events the way the terminal driver does, or to read what the compositor
would write; when Textual changes these, only this module changes.
"""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.keys import _character_to_key, _get_unicode_name_from_key


def notifications(app: App) -> list:
    """The notifications on screen now (message, severity, ...)."""
    return list(app._notifications)


def send_key(app: App, event: events.Key) -> None:
    """Queue a key as the terminal driver does: no waiting for it to be handled."""
    event.set_sender(app)
    app._driver.send_message(event)


def screen_strips(app: App) -> list:
    """The lines the compositor would write to the terminal now."""
    return list(app.screen._compositor.render_strips())


def character_to_key(character: str) -> str:
    """Textual's key name for a typed character ("?" -> "question_mark")."""
    return _character_to_key(character)


def unicode_name_of_key(key: str) -> str:
    """The Unicode name of the character a key name stands for."""
    return _get_unicode_name_from_key(key)


def suggestion_of(field) -> str:
    """The completion an Input shows after its value (from its suggester)."""
    return field._suggestion
