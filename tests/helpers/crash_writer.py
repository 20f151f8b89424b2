"""A writer that the crash tests kill with SIGKILL at random moments.

    python tests/helpers/crash_writer.py DB MODE START

It prints `ready` once the library is open, then one line per change that the
library has acknowledged (the call returned, so the change is on disk):
`ack PID VALUE`. MODE is one of:

* toggle: what the app's s and r keys call, `Library.toggle_star` or
  `toggle_read` (see `toggled_field`) on a paper: the small state file;
* tag: adds tag tVALUE to a paper (the small state file);
* note: sets a paper's notes to "note VALUE" (the note-saving path);
* import: imports a new paper titled "Imported VALUE" (the big metadata file).
"""

from __future__ import annotations

import sys

from reader.core.library import Library
from reader.core.models import Paper


def toggled_field(counter: int) -> str:
    """Which mark change number `counter` of the toggle mode flips."""
    return "read" if counter % 3 == 0 else "starred"


def main() -> None:
    db, mode, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
    library = Library(db)
    pids = sorted(p.id for p in library.papers() if not p.title.startswith("Imported"))
    print("ready", flush=True)
    counter = start
    while True:
        pid = pids[counter % len(pids)]
        if mode == "toggle":
            if toggled_field(counter) == "starred":
                library.toggle_star(pid)
            else:
                library.toggle_read(pid)
        elif mode == "tag":
            library.add_tag([pid], f"t{counter}")
        elif mode == "note":
            library.set_notes(pid, f"note {counter}")
        elif mode == "import":
            (pid,) = library.add_papers(
                [Paper(id="", title=f"Imported {counter}", abstract="a" * 1500)],
                backup=False,
            ).added
        print(f"ack {pid} {counter}", flush=True)
        counter += 1


if __name__ == "__main__":
    main()
