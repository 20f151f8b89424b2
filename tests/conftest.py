from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from helpers.forked import Forker, startup_env
from helpers.templates import LibraryTemplates

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


@pytest.fixture(scope="session")
def library_templates(tmp_path_factory) -> LibraryTemplates:
    """Libraries built once per session, copied into the tests (helpers/templates.py)."""
    return LibraryTemplates(tmp_path_factory.mktemp("templates"))


@pytest.fixture
def forker() -> Iterator[Forker]:
    """Processes forked from one that imported reader already (helpers/forked.py)."""
    with Forker() as server:
        yield server


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "library.json"


#: One fork server per pytest process (helpers/forked.py), started on first use.
_forker: Forker | None = None
#: READER_TEST_FORK=0: every command in a fresh interpreter, as `python -m reader`.
FORK = os.environ.get("READER_TEST_FORK", "1") != "0"


def _shared_forker() -> Forker:
    global _forker
    if _forker is None:
        _forker = Forker()
    return _forker


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _forker is not None:
        _forker.close()


def run_reader(
    *args: str,
    db: Path | None = None,
    input: str | bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    program: Sequence[str] = ("-m", "reader"),
) -> subprocess.CompletedProcess[str]:
    """The real command line in a process of its own, as a script would run it.

    Run outside the checkout (so the installed package is what runs), with no
    terminal: standard input is `input` or empty. Output is decoded with
    replacement, so bytes that are not UTF-8 show up in an assertion rather
    than as a decoding error. `timeout` only catches a hang (the app starting
    when it must not); `program` replaces `-m reader` (a script that wraps
    reader's `main`, for instance).

    `reader ARGS` is forked from a process that imported reader already
    (helpers/forked.py): Python's start is paid once, not per command. A
    `program`, or an environment that changes how Python starts (locale,
    PYTHON*), gets a fresh interpreter, as does every command with
    READER_TEST_FORK=0.
    """
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    cmd_args = (["--db", str(db)] if db is not None else []) + list(args)
    data = input.encode() if isinstance(input, str) else input
    if FORK and tuple(program) == ("-m", "reader"):
        forker = _shared_forker()
        if startup_env(full_env) == forker.startup:
            return _run_forked(forker, cmd_args, data, full_env, timeout, args)
    cmd = [sys.executable, *program, *cmd_args]
    try:
        result = subprocess.run(
            cmd, input=data, stdin=subprocess.DEVNULL if data is None else None,
            capture_output=True, env=full_env, timeout=timeout, cwd=full_env.get("HOME"),
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`reader {' '.join(args)}` still ran after {timeout} s (did the app start?)")
    return subprocess.CompletedProcess(
        result.args, result.returncode,
        result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace"),
    )


def _run_forked(
    forker: Forker, cmd_args: list[str], data: bytes | None, env: dict[str, str],
    timeout: float, args: tuple[str, ...],
) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="reader-run-") as folder:
        streams = Path(folder)
        stdin = None
        if data is not None:
            stdin = streams / "stdin"
            stdin.write_bytes(data)
        pid = forker.start("cli", cmd_args, env=env, cwd=env.get("HOME"), stdin=stdin,
                           stdout=streams / "stdout", stderr=streams / "stderr")
        timed_out = threading.Event()
        watchdog = threading.Timer(timeout, _kill_quietly, (pid, timed_out))
        watchdog.start()
        try:
            code = forker.wait(pid)
        finally:
            watchdog.cancel()
        if timed_out.is_set():
            pytest.fail(f"`reader {' '.join(args)}` still ran after {timeout} s (did the app start?)")
        out, err = (
            (streams / name).read_bytes().decode("utf-8", "replace") if (streams / name).exists() else ""
            for name in ("stdout", "stderr")
        )
    return subprocess.CompletedProcess(["reader", *cmd_args], code, out, err)


def _kill_quietly(pid: int, timed_out: threading.Event) -> None:
    timed_out.set()
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip(f"the seed list {SEED} is not beside this checkout")
    return SEED


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The long tests first: with `-n 2`, the workers then share out the short
    ones at the end instead of one worker finishing a long test alone."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
