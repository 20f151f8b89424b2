"""The fetch's progress under the list: a line per feed while feeds are
fetched in the background (`ui.fetch_job`), hidden the rest of the time.
It takes a few lines from the list's height and covers nothing."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...core.feeds import FetchEvent
from ..safe import MESSAGE_CHARS, one_line

#: The steps of one feed, drawn as a small bar.
STAGES = {"waiting": 0, "asking": 1, "reading": 2, "saving": 3, "done": 4}
STAGE_TEXT = {"waiting": "waiting", "asking": "asking its server…", "reading": "reading the reply…",
              "saving": "saving the new papers…"}
#: Feed lines shown at most (the busy one and those just done come first).
MAX_LINES = 5


class FetchPanel(Static):
    DEFAULT_CSS = """
    FetchPanel {
        display: none;
        height: auto;
        padding: 0 1;
        border-top: solid $accent 50%;
        border-title-color: $text-muted;
        color: $text-muted;
    }
    FetchPanel.-shown { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.names: list[str] = []
        self.stages: list[str] = []
        self.lines: list[str] = []
        self.stopping = False

    def begin(self, names: list[str]) -> None:
        self.names = list(names)
        self.stages = ["waiting"] * len(names)
        self.lines = [""] * len(names)
        self.stopping = False
        self.add_class("-shown")
        self._draw()

    def progressed(self, event: FetchEvent) -> None:
        if not 0 <= event.index < len(self.names):
            return
        self.stages[event.index] = event.stage
        self.lines[event.index] = event.result.line() if event.result is not None else ""
        self._draw()

    def stop_asked(self) -> None:
        self.stopping = True
        self._draw()

    def end(self) -> None:
        self.remove_class("-shown")
        self.names, self.stages, self.lines = [], [], []

    def _rank(self, i: int) -> tuple[int, int]:
        """Which lines are shown when not all fit: the busy feed, then the last done, then the next."""
        stage = self.stages[i]
        return (2, i) if stage == "waiting" else (1, -i) if stage == "done" else (0, i)

    def _draw(self) -> None:
        total = len(self.names)
        done = sum(1 for s in self.stages if s == "done")
        how = "stopping…" if self.stopping else "F or Esc stops; what arrived is kept"
        self.border_title = f"Fetching {total} feed{'s' if total != 1 else ''} · {done} done · {how}"
        shown = sorted(sorted(range(total), key=self._rank)[:MAX_LINES])
        text = Text(no_wrap=True, overflow="ellipsis")
        for n, i in enumerate(shown):
            stage = self.stages[i]
            step = STAGES[stage]
            if n:
                text.append("\n")
            text.append("▰" * step + "▱" * (len(STAGES) - 1 - step) + " ", style="bold" if step else "")
            line = self.lines[i] or f"{self.names[i]} · {STAGE_TEXT.get(stage, stage)}"
            text.append(one_line(line, MESSAGE_CHARS))
        if total > len(shown):
            text.append(f"\n… and {total - len(shown)} more")
        self.update(text)
