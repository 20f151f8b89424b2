"""The benchmark: reader at 1k, 10k and 100k papers, against plain TinyDB.

    python -m reader.bench                    # 1k and 10k
    python -m reader.bench --sizes 1k,10k,100k --runs 5

It makes deterministic synthetic libraries (80-character titles, 5 authors,
1,500-character abstracts, some tags and notes), measures every row of the
speed targets in real processes (start-up in a pseudo-terminal, imports and
`reader list` as commands) and through Textual's pilot (keystrokes), and runs
the same operations on TinyDB with its default JSONStorage as a baseline.
It prints a table of medians with the target beside each figure.

The package: `data` makes the libraries, `terminal` drives a program on a
pseudo-terminal, `baselines` does the same work on plain TinyDB, `runner`
measures and `report` prints the table.
"""

from .data import SIZES, bibtex_text, make_papers, trending_text
from .report import ROWS

__all__ = ["ROWS", "SIZES", "bibtex_text", "make_papers", "trending_text"]
