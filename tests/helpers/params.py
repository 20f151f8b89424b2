"""Parameters for batteries: the first case runs in the edit loop, the rest are `slow`.

A battery (every kind of damaged file, every fault for every command) runs in
full in CI; `pytest -m "not slow"` keeps one case of it, so a change that
breaks the battery's path at all still fails fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest


def first_fast(cases: Iterable[Any], ids: Iterable[str] | None = None) -> list[Any]:
    """`cases` as pytest parameters, all but the first marked `slow`.

    A case is one value, or a `pytest.param` (for several argument names; its
    values, id and marks are kept).
    """
    names = list(ids) if ids is not None else None
    params = []
    for i, case in enumerate(cases):
        marks = () if i == 0 else (pytest.mark.slow,)
        if isinstance(case, type(pytest.param(None))):
            params.append(pytest.param(*case.values, id=case.id, marks=(*case.marks, *marks)))
            continue
        params.append(pytest.param(case, id=names[i] if names else None, marks=marks))
    return params
