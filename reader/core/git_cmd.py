"""Running the system `git` for sync: one function, clear errors, no prompts.

Every call runs ``git -C FOLDER ...`` with a list of arguments (no shell),
without a terminal to ask for a password (a remote that needs one fails
with git's own line instead of waiting), with a time limit on the commands
that go over the network (``$READER_SYNC_TIMEOUT`` seconds, else 120).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ..errors import ReaderError
from .env_seconds import BadSeconds, env_seconds

ENV_TIMEOUT = "READER_SYNC_TIMEOUT"
DEFAULT_TIMEOUT = 120.0
#: Commands that run on this machine only: they never wait on anyone, but
#: hashing a library of a million papers (gigabytes) on a busy machine takes
#: minutes.
LOCAL_TIMEOUT = 600.0
#: Seconds git has, once asked to stop (SIGTERM: it removes its lock files),
#: before it is killed.
STOP_GRACE = 5.0


class SyncError(ReaderError):
    """Sync could not finish; what was committed here is kept for the next one."""

    exit_code = 3


def network_timeout() -> float:
    """Seconds a fetch or push may take: `$READER_SYNC_TIMEOUT` (0: the default)."""
    try:
        return env_seconds(ENV_TIMEOUT, DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT
    except BadSeconds as exc:
        raise SyncError(str(exc)) from None


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(GIT_TERMINAL_PROMPT="0", LC_ALL="C", GIT_MERGE_AUTOEDIT="no", GIT_EDITOR="true")
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    # A remote address never runs a command (git's ext:: transport), whatever the user's config says.
    count = int(env.get("GIT_CONFIG_COUNT", "0") or 0) if env.get("GIT_CONFIG_COUNT", "").isdigit() else 0
    env.update({"GIT_CONFIG_COUNT": str(count + 1), f"GIT_CONFIG_KEY_{count}": "protocol.ext.allow",
                f"GIT_CONFIG_VALUE_{count}": "never"})
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)  # the library's folder decides, not the caller's shell
    return env


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def git(
    folder: Path,
    *args: str,
    check: bool = True,
    network: bool = False,
    input: bytes | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run git in `folder`; a failure (when `check`) is a `SyncError` with git's last line."""
    timeout = network_timeout() if network else LOCAL_TIMEOUT
    try:
        process = subprocess.Popen(
            ["git", "-C", str(folder), *args], env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise SyncError("sync needs git, which is not installed (or not on PATH)") from None
    with process:
        try:
            out, err = process.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(process)
            raise SyncError(f"git {args[0]} gave no answer in {timeout:g} s") from None
    done = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    if check and done.returncode != 0:
        why = last_line(done.stderr.decode("utf-8", "replace")) or f"exit status {done.returncode}"
        raise SyncError(f"git {args[0]} failed: {why}")
    return done


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Ask git to stop, so that it removes its lock files (a git killed
    outright leaves `index.lock`, and every later sync would fail on it);
    kill it only if it does not."""
    process.terminate()
    try:
        # git itself, not its pipes: a filter or hook it started may hold them on.
        process.wait(timeout=STOP_GRACE)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def text(folder: Path, *args: str) -> str:
    """The output of a git command, stripped."""
    return git(folder, *args).stdout.decode("utf-8", "replace").strip()


def ok(folder: Path, *args: str) -> bool:
    """Whether a git command succeeds (a question: is it an ancestor? does it exist?)."""
    return git(folder, *args, check=False).returncode == 0
