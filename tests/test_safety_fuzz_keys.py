"""Thousands of random keys on a library of hostile titles: the app never raises.

Each seed presses `READER_FUZZ_KEYS` random keys (default 800) from the
app's own keys plus letters, digits, Escape, Enter, Tab, Space, arrows, the
command palette and the help screen, on a library whose titles, abstracts,
authors, tags and notes are full of markup, escapes and odd Unicode. Keys go in
bursts, as from a fast typist or a key held down, with a pause for the app to
settle after each burst.

Afterwards: the app is still running or exited cleanly (a random walk through
the command palette may well choose "Quit"; the app is then started again on the
same library), Textual re-raised nothing, and a fresh `Library` opens the files.

    READER_FUZZ_KEYS=20000 READER_FUZZ_SEEDS=1,2,3,4 pytest tests/test_safety_fuzz_keys.py
"""

from __future__ import annotations

import os
import random
import unicodedata

import pytest
from textual import events
from textual.keys import REPLACED_KEYS

from helpers.papers import numbered
from helpers.waiting import keys_settled, keys_state, until
from reader.core.library import Library
from reader.ui.app import create_app
from reader.ui.keys import LIST_KEYS, MAIN_KEYS, TRIAGE_KEYS
from reader.ui.screens.main import MainScreen
from test_safety_hostile_text import hostile_papers
from textual_probes import character_to_key, send_key, unicode_name_of_key

KEYS_PER_SEED = int(os.environ.get("READER_FUZZ_KEYS", "800"))
SEEDS = [int(s) for s in os.environ.get("READER_FUZZ_SEEDS", "1,2").split(",") if s.strip()]
BURST = 25
SIZE = (100, 30)

#: Keys that end the app (q, ctrl+q) are left out: quitting is tested
#: elsewhere, and it would end the walk. The palette can still choose Quit.
QUITS = {"q", "ctrl+q", "ctrl+c"}


def key_pool() -> list[str]:
    app_keys = {
        part.strip()
        for key in [*LIST_KEYS, *MAIN_KEYS, *TRIAGE_KEYS]
        for part in key.key.split(",") if part
    }
    letters = list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    special = [
        "escape", "enter", "tab", "shift+tab", "space", "up", "down", "left", "right",
        "home", "end", "pageup", "pagedown", "backspace", "delete", "ctrl+p", "slash",
        "question_mark", "asterisk", "left_square_bracket", "right_square_bracket",
        "colon", "minus", "comma",
    ]
    pool = sorted(app_keys) * 4 + letters + special * 2
    return [k for k in pool if k not in QUITS]


def key_event(key: str) -> events.Key:
    """The event `Pilot.press` sends for `key`."""
    if len(key) == 1 and not key.isalnum():
        key = character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char = unicodedata.lookup(unicode_name_of_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


@pytest.fixture
def fuzz_library(db, monkeypatch):
    # `o` may open a browser: never a real one here.
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: True)
    # "Save screenshot" from the palette writes into the working directory.
    monkeypatch.chdir(db.parent)
    papers = hostile_papers() + numbered(30, "Plain paper {i}", id="", abstract="Plain words.",
                                         year=lambda i: 2000 + i)
    Library(db).add_papers(papers, backup=False)
    return db


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
async def test_random_keys_never_crash_the_app(fuzz_library, seed):
    rng = random.Random(seed)
    pool = key_pool()
    keys = [rng.choice(pool) for _ in range(KEYS_PER_SEED)]
    pressed = 0
    starts = 0
    while pressed < len(keys):
        starts += 1
        assert starts < 50, "the app quit again and again"
        app = create_app(Library(fuzz_library), use_settings=False)
        sent = 0  # to this app
        async with app.run_test(size=SIZE) as pilot:
            while pressed < len(keys) and app.is_running:
                burst = keys[pressed : pressed + BURST]
                for key in burst:
                    send_key(app, key_event(key))
                pressed += len(burst)
                sent += len(burst)
                # The app settles before the next burst: on a loaded machine
                # keys typed faster than they are handled wait their turn,
                # and a backlog of hundreds would only be a slow end.
                await until(
                    pilot, lambda app=app, sent=sent: keys_settled(app, sent) or not app.is_running,
                    lambda app=app, pressed=pressed: (
                        f"seed {seed}: the keys up to #{pressed} handled ({keys_state(app)})"),
                )
                if not app.is_running:
                    break
            if app.is_running:
                # The screen still answers: Esc leaves any prompt, j moves.
                await pilot.press("escape", "escape", "escape", "escape")
                answered = app.screen.check_action("help", ())
                assert answered is True, f"seed {seed}: {app.screen!r} does not answer"
                # Leave with everything written, as `q` would.
                await app.action_quit()
            # What the app holds at the end is what it acknowledged.
            acknowledged = {p.id: p for p in app.library.papers()}
        # Textual re-raises an exception from the app when run_test ends; and
        # a clean exit has return code 0 (or None).
        assert app.return_code in (0, None), f"seed {seed}: return code {app.return_code}"
    # The library files still open, and hold every paper the app last held,
    # as it held it (deletes the walk made are deletes the app acknowledged).
    on_disk = {p.id: p for p in Library(fuzz_library).papers()}
    assert set(on_disk) == set(acknowledged)
    for pid, paper in acknowledged.items():
        assert on_disk[pid].title == paper.title
        assert (on_disk[pid].read, on_disk[pid].starred, on_disk[pid].tags) == (
            paper.read, paper.starred, paper.tags)
    assert on_disk, "every paper is gone"


#: Bursts that open a prompt or a screen and the palette over it, and close
#: them again, faster than they can open: a few turns of bursts (every key
#: handled after each), then a pile of them that the app quits in the middle of.
BURST_TURNS = 3
#: Bursts sent at once in a turn, and in the pile at the end.
PILED = 3
PILED_AT_QUIT = 40
BURSTS = [
    ["t", "ctrl+p"], ["t", "ctrl+p", "escape"], ["t", "enter", "ctrl+p"], ["t", "escape", "ctrl+p"],
    ["ctrl+p", "escape", "ctrl+p"], ["t", "ctrl+p", "ctrl+p"], ["n", "ctrl+p"], ["C", "ctrl+p"],
    ["a", "ctrl+p"], ["i", "ctrl+p"], ["slash", "ctrl+p"], ["question_mark", "ctrl+p"], ["T", "ctrl+p"],
    ["number_sign", "ctrl+p"],
]


@pytest.mark.slow
async def test_screens_opened_and_closed_in_bursts_never_crash_the_app(fuzz_library):
    """A key handled while no screen is up (one closing, the next not yet on,
    or the app closing with keys still queued) once brought the app down
    (`KeyOrder` asked for the focus of no screen)."""
    rng = random.Random(0)

    def bursts(count: int) -> list[str]:
        return [key for _ in range(count) for key in [*rng.choice(BURSTS), "escape", "escape", "escape", "escape"]]

    app = create_app(Library(fuzz_library), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        sent = 0
        for turn in range(BURST_TURNS):
            keys = bursts(PILED)
            for key in keys:
                send_key(app, key_event(key))
            sent += len(keys)
            await until(pilot, lambda sent=sent: keys_settled(app, sent) or not app.is_running,
                        lambda keys=keys, turn=turn: f"turn {turn} {keys}: {keys_state(app)}")
            assert app.is_running, f"turn {turn} {keys} ended the app"
        assert isinstance(app.screen, MainScreen)
        for key in bursts(PILED_AT_QUIT):
            send_key(app, key_event(key))
        # run_test ends here: the app closes with the keys still coming in;
        # an exception in the app would be raised again here.
