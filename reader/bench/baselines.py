"""The baselines: the same work done by plain TinyDB with its default JSONStorage."""

from __future__ import annotations

import time
from pathlib import Path

from ..core.models import Paper

BASELINE_START = """
import sys
from tinydb import TinyDB
rows = TinyDB(sys.argv[1]).table("papers").all()
print("loaded", rows[0]["title"][:30], flush=True)
import time; time.sleep(60)
"""

BASELINE_IMPORT_BIBTEX = """
import sys, bibtexparser
from tinydb import TinyDB
entries = bibtexparser.parse_string(open(sys.argv[1], encoding="utf-8").read()).entries
TinyDB(sys.argv[2]).table("papers").insert_multiple(
    {k: f.value for k, f in e.fields_dict.items()} | {"key": e.key} for e in entries)
"""

BASELINE_IMPORT_TRENDING = """
import sys
from tinydb import TinyDB
lines = [l for l in open(sys.argv[1], encoding="utf-8").read().splitlines()[2:] if l.strip()]
TinyDB(sys.argv[2]).table("papers").insert_multiple(
    {"title": t, "abstract": a} for t, a in zip(lines[0::2], lines[1::2]))
"""

BASELINE_LIST = """
import json, sys
from tinydb import TinyDB
word = sys.argv[2]
rows = [r for r in TinyDB(sys.argv[1]).table("papers").all()
        if word in (r["title"] + " " + r["abstract"]).lower()]
print(json.dumps(rows, indent=2))
"""


def write_library(path: Path, papers: list[Paper]) -> None:
    """The papers in a plain TinyDB file, one document each."""
    from tinydb import TinyDB

    TinyDB(path).table("papers").insert_multiple(p.to_dict() for p in papers)


def measure_writes(path: Path, word: str, rounds: int) -> dict[str, list[float]]:
    """Seconds of TinyDB's search (a prefix of `word` at a time), toggle and
    note updates on the file `path`, by row of the table."""
    from tinydb import Query, TinyDB

    times: dict[str, list[float]] = {"filter": [], "toggle": [], "note": []}
    db = TinyDB(path)
    table = db.table("papers")
    for i in range(1, len(word) + 1):
        prefix = word[:i]
        started = time.perf_counter()
        table.search(Query().abstract.test(lambda a, p=prefix: p in a.lower()))
        times["filter"].append(time.perf_counter() - started)
    for doc_id in range(1, rounds + 1):
        started = time.perf_counter()
        table.update({"starred": doc_id % 2 == 0}, doc_ids=[doc_id])
        times["toggle"].append(time.perf_counter() - started)
        started = time.perf_counter()
        table.update({"notes": f"note {doc_id}"}, doc_ids=[doc_id])
        times["note"].append(time.perf_counter() - started)
    db.close()
    return times
