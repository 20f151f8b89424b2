"""Typed access to the running `ReaderApp` from its screens and widgets."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from .app import ReaderApp


def reader_app(node: DOMNode) -> ReaderApp:
    """The app `node` runs in: always a `ReaderApp` in reader."""
    return cast("ReaderApp", node.app)
