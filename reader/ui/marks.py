"""The papers marked to act on together (`v`, `V`, space): ids in the
order they were marked."""

from __future__ import annotations

from collections.abc import Iterable


class Marks:
    def __init__(self) -> None:
        self._pids: dict[str, None] = {}

    def __contains__(self, pid: object) -> bool:
        return pid in self._pids

    def __len__(self) -> int:
        return len(self._pids)

    def __bool__(self) -> bool:
        return bool(self._pids)

    @property
    def pids(self) -> list[str]:
        return list(self._pids)

    def toggle(self, pid: str) -> bool:
        """Mark or unmark `pid`; returns whether it is marked now."""
        if pid in self._pids:
            del self._pids[pid]
            return False
        self._pids[pid] = None
        return True

    def toggle_all(self, pids: Iterable[str]) -> bool:
        """Mark all of `pids`, or unmark them if all were marked already;
        returns whether they are marked now."""
        pids = list(pids)
        if pids and all(pid in self._pids for pid in pids):
            for pid in pids:
                self._pids.pop(pid, None)
            return False
        self._pids.update(dict.fromkeys(pids))
        return True

    def clear(self) -> None:
        self._pids.clear()

    def keep_only(self, pids: Iterable[str]) -> None:
        """Forget the marks of papers that are gone."""
        present = set(pids)
        self._pids = {pid: None for pid in self._pids if pid in present}
