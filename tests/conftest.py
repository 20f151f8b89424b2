from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = REPO.parent / "shared" / "data" / "trending-rl.txt"


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Which `reader` is under test: the checkout (editable) or an installed copy."""
    import reader

    where = Path(reader.__file__).resolve().parent
    kind = "this checkout" if where.parent == REPO else "an installed copy, not this checkout"
    return [f"reader {reader.__version__} from {where} ({kind})"]


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """No test may touch the user's real data directory or clipboard config."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.delenv("READER_DB", raising=False)
    monkeypatch.setenv("READER_ARXIV_URL", "http://127.0.0.1:9/api/query")
    monkeypatch.setenv("READER_CROSSREF_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("READER_ARXIV_PDF_URL", "http://127.0.0.1:9/pdf")
    # No editor or viewer of the machine's: one that changes nothing, opens nothing.
    monkeypatch.setenv("EDITOR", "true")
    monkeypatch.setenv("READER_PDF_VIEWER", "true")
    yield


@pytest.fixture(autouse=True)
def _press_waits_for_the_keys(monkeypatch):
    """A test's `pilot.press(...)` returns once the app has handled every key
    it pressed (see `helpers.waiting.press_and_settle`), on a loaded machine too."""
    from textual.pilot import Pilot

    from helpers.waiting import press_and_settle

    monkeypatch.setattr(Pilot, "press", press_and_settle)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "library.json"


def run_reader(
    *args: str,
    db: Path | None = None,
    input: str | bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    program: Sequence[str] = ("-m", "reader"),
) -> subprocess.CompletedProcess[str]:
    """The real command line in a subprocess, as a script would run it.

    Run outside the checkout (so the installed package is what runs), with no
    terminal: standard input is `input` or closed. Output is decoded with
    replacement, so bytes that are not UTF-8 show up in an assertion rather
    than as a decoding error. `timeout` only catches a hang (the app starting
    when it must not); `program` replaces `-m reader` (a script that wraps
    reader's `main`, for instance).
    """
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    cmd = [sys.executable, *program]
    if db is not None:
        cmd += ["--db", str(db)]
    cmd += list(args)
    try:
        result = subprocess.run(
            cmd, input=input.encode() if isinstance(input, str) else input,
            stdin=subprocess.DEVNULL if input is None else None,
            capture_output=True, env=full_env, timeout=timeout, cwd=full_env.get("HOME"),
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`reader {' '.join(args)}` still ran after {timeout} s (did the app start?)")
    return subprocess.CompletedProcess(
        result.args, result.returncode,
        result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace"),
    )


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip(f"the seed list {SEED} is not beside this checkout")
    return SEED


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The long tests first: with `-n 2`, the workers then share out the short
    ones at the end instead of one worker finishing a long test alone."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
