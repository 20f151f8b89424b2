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
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

HERE = Path(__file__).resolve()


class Forker:
    """A fork server: `start` a child, `wait` for it (its return code, negative
    for a signal, as `subprocess` gives it)."""

    def __init__(self) -> None:
        tests = str(HERE.parents[1])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [tests, os.environ.get("PYTHONPATH")])))
        self.process = subprocess.Popen(
            [sys.executable, str(HERE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            env=env, text=True, bufsize=1,
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
        stderr: Path | str | None = None,
    ) -> int:
        """A child running `target` ("cli" or "writer") with `args`; its pid.

        The environment is `env` whole (the test's own when None); standard
        input is empty, output goes to the files (or FIFOs) named, else nowhere.
        """
        reply = self._ask({
            "op": "start", "target": target, "args": list(args),
            "env": dict(os.environ if env is None else env),
            "cwd": str(cwd or os.environ.get("HOME") or os.getcwd()),
            "stdout": str(stdout) if stdout else None, "stderr": str(stderr) if stderr else None,
        })
        return int(reply["pid"])

    def wait(self, pid: int) -> int:
        return int(self._ask({"op": "wait", "pid": pid})["code"])

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


# ------------------------------------------------------------- the server
def _run_child(request: dict) -> int:
    """In the child: the streams, environment and folder asked for, then the target."""
    os.setsid()
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    for fd, name in ((1, request["stdout"]), (2, request["stderr"])):
        target = os.open(name, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600) if name else null
        os.dup2(target, fd)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    try:
        if request["target"] == "writer":
            from helpers import crash_writer

            sys.argv = ["crash_writer.py", *request["args"]]
            crash_writer.main()
            return 0
        from reader.cli import main

        sys.argv = ["reader", *request["args"]]
        return main(request["args"]) or 0
    except SystemExit as stop:
        code = stop.code
        if code is None or isinstance(code, int):
            return code or 0
        print(code, file=sys.stderr)
        return 1
    except BaseException:
        traceback.print_exc()  # as `python -m reader` would show it
        return 1


def serve() -> None:
    # Imported once, before any fork.
    importlib.import_module("reader.cli")
    importlib.import_module("helpers.crash_writer")

    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "start":
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    code = _run_child(request)
                finally:
                    for stream in (sys.stdout, sys.stderr):
                        try:
                            stream.flush()
                        except OSError:
                            pass  # a closed pipe: nothing to say
                    os._exit(code if isinstance(code, int) else 1)
            reply: dict = {"pid": pid}
        elif request["op"] == "wait":
            _, status = os.waitpid(request["pid"], 0)
            reply = {"code": os.waitstatus_to_exitcode(status)}
        else:
            reply = {}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    serve()
