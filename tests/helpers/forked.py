"""Short-lived processes started fast: forked from one that imported reader already.

Starting Python and importing reader takes about 0.3 s (seconds on a loaded
machine), and a kill loop starts a process every round. A `Forker` starts
one server process that imports reader once, then forks a child for every
request: a separate process with its own pid and session, its own
environment, working folder and standard streams, that runs reader's
command line (`reader ARGS`, as `python -m reader ARGS` does) or the crash
writer (`helpers/crash_writer.py`). It dies by SIGKILL like any process: the
kill tests kill it, then `wait` for it.

    with Forker() as forker:
        child = forker.start("cli", ["--db", str(db), "sync"], env=env)
        os.kill(child, signal.SIGKILL)
        assert forker.wait(child) == -signal.SIGKILL

The server speaks JSON lines on its standard input and output.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

HERE = Path(__file__).resolve()


class Forker:
    """A fork server: `start` a child, `wait` for it (its return code, negative
    for a signal, as `subprocess` gives it)."""

    def __init__(self) -> None:
        tests = str(HERE.parents[1])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [tests, os.environ.get("PYTHONPATH")])))
        #: What decides how Python starts (its streams' encoding...): a child
        #: asked for with other values must be started afresh instead.
        self.startup = startup_env(os.environ)
        # -P: this folder is not put first on the path (helpers' names never hide a library's).
        self.process = subprocess.Popen(
            [sys.executable, "-P", str(HERE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            env=env, text=True, bufsize=1, cwd=HERE.parent,
        )
        self._ask({"op": "hello"})  # reader is imported once this answers

    def _ask(self, request: dict) -> dict:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the fork server died (code {self.process.wait()})")
        return json.loads(line)

    def start(
        self, target: str, args: Sequence[str], *, env: Mapping[str, str] | None = None,
        cwd: Path | str | None = None, stdout: Path | str | None = None,
        stderr: Path | str | None = None, stdin: Path | str | None = None,
    ) -> int:
        """A child running `target` ("cli" or "writer") with `args`; its pid.

        The environment is `env` whole (the test's own when None); standard
        input is the file `stdin` or empty, output goes to the files (or
        FIFOs) named, else nowhere.
        """
        reply = self._ask({
            "op": "start", "target": target, "args": list(args),
            "env": dict(os.environ if env is None else env),
            "cwd": str(cwd or os.environ.get("HOME") or os.getcwd()),
            "stdout": str(stdout) if stdout else None, "stderr": str(stderr) if stderr else None,
            "stdin": str(stdin) if stdin else None,
        })
        return int(reply["pid"])

    def wait(self, pid: int) -> int:
        return int(self._ask({"op": "wait", "pid": pid})["code"])

    def poll(self, pid: int) -> int | None:
        """The child's return code if it has ended, else None."""
        code = self._ask({"op": "poll", "pid": pid})["code"]
        return None if code is None else int(code)

    def run(self, args: Sequence[str], *, env: Mapping[str, str] | None = None,
            cwd: Path | str | None = None) -> tuple[int, str]:
        """`reader ARGS` to its end: its return code and what it printed (both streams)."""
        handle, name = tempfile.mkstemp(prefix="forked-", suffix=".txt")
        os.close(handle)
        try:
            code = self.wait(self.start("cli", args, env=env, cwd=cwd, stdout=name, stderr=name))
            return code, Path(name).read_text(encoding="utf-8", errors="replace")
        finally:
            os.unlink(name)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> Forker:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def startup_env(env: Mapping[str, str]) -> dict[str, str]:
    """The variables Python reads as it starts (locale, PYTHON*), but the path."""
    return {
        k: v for k, v in env.items()
        if (k.startswith(("PYTHON", "LC_")) or k == "LANG") and k != "PYTHONPATH"
    }


# ------------------------------------------------------------- the server
def _child(request: dict, channels: tuple[IO[str], IO[str]]) -> int:
    """In the child: the streams, environment and folder asked for, then the target."""
    for channel in channels:
        channel.close()
    os.setsid()
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(os.open(request["stdin"], os.O_RDONLY) if request.get("stdin") else null, 0)
    for fd, name in ((1, request["stdout"]), (2, request["stderr"])):
        target = os.open(name, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600) if name else null
        os.dup2(target, fd)
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()  # the local time zone of the child's TZ, as a fresh process reads it
    os.chdir(request["cwd"])
    if request["target"] == "writer":
        from helpers import crash_writer

        sys.argv = ["crash_writer.py", *request["args"]]
        crash_writer.main()
        return 0
    from reader.cli import main

    sys.argv = ["reader", *request["args"]]
    return main(request["args"])


def serve() -> None:
    # Requests and replies on file descriptors of their own: the standard
    # streams stay as Python made them, untouched, for the children.
    channels = (os.fdopen(os.dup(0), "r"), os.fdopen(os.dup(1), "w"))
    requests, replies = channels
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    # Imported once, before any fork.
    importlib.import_module("reader.cli")
    importlib.import_module("reader.core.library")
    importlib.import_module("helpers.crash_writer")
    ended: dict[int, int] = {}  # children that `poll` found ended, not yet waited for
    for line in requests:
        request = json.loads(line)
        if request["op"] == "start":
            pid = os.fork()
            if pid == 0:
                # The child ends as `python -m reader` does: `sys.exit(main())`,
                # with the interpreter's own exit (threads joined, streams flushed).
                sys.exit(_child(request, channels))
            reply: dict = {"pid": pid}
        elif request["op"] == "wait":
            pid = request["pid"]
            if pid not in ended:
                ended[pid] = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
            reply = {"code": ended.pop(pid)}
        elif request["op"] == "poll":
            pid = request["pid"]
            if pid not in ended:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    ended[pid] = os.waitstatus_to_exitcode(status)
            reply = {"code": ended.get(pid)}
        else:
            reply = {}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


if __name__ == "__main__":
    serve()
