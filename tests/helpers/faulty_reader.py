"""The `reader` command line with a fault in the file system.

    python tests/helpers/faulty_reader.py FAULT DIRECTORY reader-arguments...

FAULT is `disk-full`, `disk-full-on-state` or `read-only` (see faults.py); DIRECTORY is the one
made read-only.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faults import FAULTS, PARTIAL_FAULTS  # noqa: E402

from reader.cli import main  # noqa: E402

if __name__ == "__main__":
    fault, directory, *args = sys.argv[1:]
    {**FAULTS, **PARTIAL_FAULTS}[fault](Path(directory))
    sys.exit(main(args))
