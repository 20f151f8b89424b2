"""How many papers the kill and two-window tests put in their libraries.

The suite runs them on small libraries; `READER_TEST_SIZE` runs them on a
library of that size instead (`100k`, `1m`, `2500`):

    READER_TEST_SIZE=100k pytest tests/test_crash_safety.py tests/test_safety_two_windows.py
"""

from __future__ import annotations

import os

ENV_SIZE = "READER_TEST_SIZE"
_UNITS = {"k": 1_000, "m": 1_000_000}


def parse_size(text: str) -> int:
    """`100k` → 100000, `1m` → 1000000, `2500` → 2500."""
    text = text.strip().lower().replace("_", "")
    unit = _UNITS.get(text[-1:], 1)
    number = text[:-1] if unit > 1 else text
    try:
        value = int(float(number) * unit)
    except ValueError:
        raise ValueError(f"${ENV_SIZE} is not a size such as 100k or 2500: {text!r}") from None
    if value < 1:
        raise ValueError(f"${ENV_SIZE} must be at least 1: {text!r}")
    return value


def library_size(default: int) -> int:
    """The size `READER_TEST_SIZE` asks for, else `default`."""
    raw = os.environ.get(ENV_SIZE, "").strip()
    return parse_size(raw) if raw else default
