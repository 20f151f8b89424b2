"""Holds a library's writer lock until killed, as a long import would.

    python tests/helpers/hold_lock.py DB

Prints `locked` once it holds the lock, then sleeps.
"""

from __future__ import annotations

import sys
import time

from reader.core.library import Library

if __name__ == "__main__":
    library = Library(sys.argv[1])
    with library.file_lock.hold():
        print("locked", flush=True)
        while True:
            time.sleep(60)
