"""The domain runs without a terminal: nothing in reader.core imports textual or rich."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import reader.core


def core_modules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.walk_packages(reader.core.__path__, prefix="reader.core.")
    )


@pytest.mark.slow
def test_core_imports_without_textual_or_rich():
    modules = core_modules() + ["reader.cli", "reader.paths"]
    assert "reader.core.library" in modules and "reader.core.importers" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"reader.core pulled in: {out.stdout}"


@pytest.mark.slow
def test_command_line_commands_do_not_load_the_tui(tmp_path):
    code = (
        "import sys\n"
        "from reader.cli import main\n"
        f"main(['--db', {str(tmp_path / 'l.json')!r}, 'list'])\n"
        "print(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("False")
