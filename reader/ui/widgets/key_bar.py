"""The key bar at the bottom: the keys that apply now, made from the key table.

Unlike Textual's Footer, which cuts the last keys (and words) off at the
right edge, it leaves out whole keys, the least useful first, and always
keeps Help and Quit, and the palette's key.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

#: Actions whose keys are shown whatever the width.
ALWAYS = ("help", "quit")
PALETTE = ("ctrl+p", "palette")


class KeyBar(Widget):
    """One line of keys: whole keys only, Help and Quit always."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
    }
    KeyBar > .key-bar--disabled {
        text-style: dim;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen) -> None:
        self.refresh()

    def shown(self) -> list[tuple[Binding, bool]]:
        """The bindings to show, each with whether it applies now, one per action."""
        seen: set[str] = set()
        result = []
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            result.append((binding, active.enabled))
        return result

    def item(self, binding: Binding, enabled: bool) -> Text:
        key = self.app.get_key_display(binding)
        text = Text()
        text.append(f" {key} ", self.get_component_rich_style("key-bar--key"))
        text.append(f"{binding.description} ", self.get_component_rich_style("key-bar--description"))
        if not enabled:
            text.stylize(self.get_component_rich_style("key-bar--disabled"))
        return text

    def render(self) -> Text:
        width = self.size.width
        palette = Text()
        if self.app.ENABLE_COMMAND_PALETTE:
            palette.append("▏", "dim")
            palette.append(f"{PALETTE[0].replace('ctrl+', '^')} ", self.get_component_rich_style("key-bar--key"))
            palette.append(PALETTE[1], self.get_component_rich_style("key-bar--description"))
        items = [(binding, self.item(binding, enabled)) for binding, enabled in self.shown()]
        room = width - palette.cell_len - 1
        keep = {id(b) for b, text in items if b.action in ALWAYS}
        room -= sum(text.cell_len for b, text in items if id(b) in keep)
        for binding, text in items:  # in the table's order: the last go first
            if id(binding) in keep:
                continue
            if text.cell_len > room:
                break
            keep.add(id(binding))
            room -= text.cell_len
        line = Text()
        for binding, text in items:
            if id(binding) in keep and binding.action not in ALWAYS:
                line.append_text(text)
        for binding, text in items:
            if binding.action in ALWAYS:
                line.append_text(text)
        gap = width - line.cell_len - palette.cell_len
        if gap < 0:
            palette = Text()
            gap = width - line.cell_len
        if cell_len(line.plain) > width:
            line.truncate(width)
        line.append(" " * max(gap, 0))
        line.append_text(palette)
        return line
