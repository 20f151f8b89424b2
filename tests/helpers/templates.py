"""Libraries built once per test session and copied into each test that asks.

Building a library of a thousand papers (or of 100,000, with
READER_TEST_SIZE) costs far more than copying its files; a test that only
needs *a* library of that kind gets a fresh copy of its files:

    def test_x(library_templates, tmp_path):
        db = library_templates.copy("seed-1000", build, tmp_path / "library.json")

`build(path)` makes the library at `path` the first time a name is asked for
(in each pytest-xdist worker); every copy is a set of plain files, as
independent of the others as a library made afresh.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path


class LibraryTemplates:
    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, name: str, build: Callable[[Path], None], file_name: str = "library.json") -> Path:
        """The folder of the built library `name` (made by `build` the first time)."""
        folder = self.root / name
        if not folder.exists():
            building = self.root / f"{name}.building"
            shutil.rmtree(building, ignore_errors=True)
            building.mkdir(parents=True)
            build(building / file_name)
            building.rename(folder)
        return folder

    def copy(self, name: str, build: Callable[[Path], None], to: Path) -> Path:
        """A copy of library `name`'s files at `to` (a library file's path): `to`."""
        folder = self.folder(name, build, to.name)
        assert (folder / to.name).exists(), f"library {name} was built under another file name"
        to.parent.mkdir(parents=True, exist_ok=True)
        for item in folder.iterdir():
            if item.is_dir():
                shutil.copytree(item, to.parent / item.name, symlinks=True)
            else:
                shutil.copy2(item, to.parent / item.name)
        return to
