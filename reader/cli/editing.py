"""`reader edit ID`: the paper as a BibTeX entry in $EDITOR, parsed, checked
and stored (its reader's state, id and date added kept)."""

from __future__ import annotations

import argparse
import subprocess

from .common import open_library, require


def cmd_edit(args: argparse.Namespace) -> int:
    from ..core.edit_entry import apply_entry, edit_entry

    library = open_library(args)
    paper = require(library, args.id)
    edited = edit_entry(paper, lambda command: subprocess.run(command, check=False))
    if edited is None:
        print(f"{paper.id} unchanged")
        return 0
    library.replace_metadata(paper.id, lambda p: apply_entry(p, edited))
    print(f"saved the entry of {paper.id}")
    return 0
