"""Durations read from environment variables (timeouts, paces)."""

from __future__ import annotations

import os

#: How much of a wrong value an error message quotes.
QUOTE_CHARS = 40


class BadSeconds(ValueError):
    """A variable that is set but is not a finite, non-negative number."""


def env_seconds(name: str, default: float) -> float:
    """`$name` as seconds, `default` when it is unset or blank.

    Raises `BadSeconds` (its message names the variable and quotes the
    value) for anything but a finite number ≥ 0; each caller turns it into
    its own error, or falls back to `default`."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0 <= value < float("inf"):
        raise BadSeconds(f"${name} is not a number of seconds: {raw[:QUOTE_CHARS]!r}")
    return value
