"""The benchmark: reader at 1k, 10k, 100k and 1M papers, each figure beside a yardstick.

    python -m reader.bench                    # 1k and 10k
    python -m reader.bench --sizes 10k,100k,1m --runs 3
    python -m reader.bench --sizes 100k --only import_bibtex --runs 1 --work DIR

It makes deterministic synthetic libraries (80-character titles, 5 authors,
1,500-character abstracts, some tags and notes; at 1M trending-format papers,
a title and an abstract), measures every row of the speed targets in real
processes (start-up and keys on a pseudo-terminal, imports and `reader list`
as commands), and measures in the same run the yardstick of each row (see
`yardsticks`: a hello-world Textual app, bibtexparser's own parse...). It
prints a table of medians with the target, the yardstick and the ratio beside
each figure, and the growth from one size to the next. `--work` keeps the
files it made: a later run of the same size reuses them.

The package: `data` makes the papers and files, `terminal` drives a program
on a pseudo-terminal, `yardsticks` measures the least programs, `runner`
measures and `report` prints the table.
"""

from .data import SIZES, bibtex_text, make_papers, trending_text
from .report import ROWS

__all__ = ["ROWS", "SIZES", "bibtex_text", "make_papers", "trending_text"]
