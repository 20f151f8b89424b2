"""Open the TUI on a library, or on a throwaway copy of the demo list."""

from __future__ import annotations

import gc
import json
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from ..core.library import Library
from ..core.models import Paper
from ..paths import library_path


def demo_papers() -> list[Paper]:
    data = json.loads(resources.files("reader").joinpath("data/demo.json").read_text("utf-8"))
    return [Paper.from_dict(item) for item in data]


def make_demo_library(directory: Path) -> Library:
    library = Library(directory / "library.json")
    library.add_papers(demo_papers(), backup=False)
    return library


def run_tui(db: str | None, demo: bool = False) -> int:
    from .app import create_app

    tmp: Path | None = None
    try:
        if demo:
            tmp = Path(tempfile.mkdtemp(prefix="reader-demo-"))
            library = make_demo_library(tmp)
        else:
            # The list first; the app reads the abstracts right after.
            library = Library(library_path(db), load_abstracts=False)
        # Everything loaded so far lives as long as the app: keep the cyclic
        # garbage collector from walking it again and again.
        gc.collect()
        gc.freeze()
        app = create_app(library, demo=demo)
        app.run()
        if app.fatal_error is not None:
            raise app.fatal_error
        if not demo:
            fold_on_quit(library)
            sync_on_quit(library)
        return app.return_code or 0
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def fold_on_quit(library: Library) -> None:
    """The log of the session's changes of state goes into the state file:
    the three files hold everything once the app is closed (for a copy, a
    file-syncing tool). Where that cannot be done, the log keeps them."""
    from ..errors import ReaderError

    try:
        library.compact()
    except ReaderError:
        pass


def sync_on_quit(library: Library) -> None:
    """`reader sync` after the app, when the settings say so; a failure is
    one line (what is saved stays saved and committed)."""
    import sys

    from ..errors import ReaderError
    from ..settings import sync_when

    if "quit" not in sync_when():
        return
    from ..core import git_sync

    try:
        lines = git_sync.sync(library).lines
    except ReaderError as exc:
        lines = [str(exc)]
    for line in lines:
        print(f"reader: sync: {line}", file=sys.stderr)
