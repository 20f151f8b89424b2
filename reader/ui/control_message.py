"""A message that names the widget it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from textual.message import Message
from textual.widget import Widget

W = TypeVar("W", bound=Widget)


@dataclass
class ControlMessage(Message, Generic[W]):
    """A message from `widget`, which is also its `control`: `@on(...,
    "#id")` selectors then match the widget that posted it."""

    widget: W

    @property
    def control(self) -> W:
        return self.widget
