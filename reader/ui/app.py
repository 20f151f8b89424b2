"""ReaderApp: the Textual app over a Library."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget

from ..core.citation import cite
from ..core.csl import is_incomplete
from ..core.formats import citation_format, style_of
from ..core.library import Library
from ..core.models import Paper
from ..core.sorting import SORTS
from ..errors import ReaderError
from ..settings import default_style, load_settings, save_settings
from .key_order import KeyHandled, KeyOrder
from .keys import DETAIL_KEYS, LIST_KEYS, MAIN_KEYS, TRIAGE_KEYS, Key
from .safe import MESSAGE_CHARS, ControlCharacterFilter, one_line
from .screens.enrich import EnrichScreen
from .screens.main import MainScreen
from .screens.palette import ReaderCommandPalette
from .screens.triage import TriageScreen
from .session import Session


def css_path() -> Path:
    """reader.tcss: inside the installed package, else at the top of the source tree."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "reader.tcss", here.parent / "reader.tcss"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError("reader.tcss is missing from the installation")


class ReaderApp(App[None]):
    CSS_PATH = css_path()
    TITLE = "reader"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, library: Library, *, demo: bool = False, use_settings: bool = True) -> None:
        super().__init__()
        self.library = library
        self.session = Session(library)
        self._control_filter = ControlCharacterFilter()
        self.demo = demo
        self.fatal_error: Exception | None = None
        self.key_order = KeyOrder(self, self._dispatch_input)
        #: Set once the user was told that quitting leaves notes unsaved.
        self._warned_unsaved = False
        self.use_settings = use_settings
        self.settings = load_settings() if use_settings else {}
        sort = self.settings.get("sort")
        if sort in SORTS or self.settings.get("starred_first"):
            self.session.set_sort(
                sort if sort in SORTS else None,
                starred_first=bool(self.settings.get("starred_first", False)),
            )
        if self.demo:
            self.sub_title = "demo library: changes are thrown away on quit"

    def get_key_display(self, binding: Binding) -> str:
        """Keys written one way everywhere: "Esc", not "esc"."""
        shown = super().get_key_display(binding)
        return "Esc" if shown.lower() == "esc" else shown

    def get_line_filters(self):
        """Textual's filters, then ours: nothing unsafe reaches the terminal."""
        return [*super().get_line_filters(), self._control_filter]

    def get_default_screen(self) -> Screen:
        return MainScreen(self.session)

    def on_mount(self) -> None:
        theme = self.settings.get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, lambda _: self.save_settings())
        self.key_order.ready()

    def action_command_palette(self) -> None:
        ReaderCommandPalette.open(self)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            await self.key_order.take(event)  # one at a time, in order
            return
        await super().on_event(event)

    async def _dispatch_input(self, event: events.Key | events.Paste) -> bool:
        """Give a key or a paste to the focused widget; False when closing
        (keys typed after quitting have nowhere to go)."""
        if not self._has_screen():
            return False
        await super().on_event(event)
        return True

    @on(KeyHandled)
    def _key_handled(self, message: KeyHandled) -> None:
        self.key_order.handled(message)

    def _has_screen(self) -> bool:
        try:
            return bool(self.screen_stack)
        except (KeyError, IndexError):
            return False

    @on(EnrichScreen.PaperChanged)
    def _looked_up(self) -> None:
        """A paper's metadata came from arXiv: the list shows it at once."""
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.redraw_all()

    def fail(self, error: Exception) -> None:
        """Stop with an error the command line reports in one line (a library
        file found damaged after the list was shown)."""
        self.fatal_error = error
        self.exit(return_code=1)

    async def action_quit(self) -> None:
        """Quit from anywhere (q, ctrl+q, the palette): unsaved notes are saved
        first. Notes that cannot be saved (a full disk, too long) stop the
        first quit with a warning; quitting again leaves them, and the app
        ends with status 1 and a line that names their papers."""
        unsaved: list[str] = []
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                unsaved += screen.save_notes_now()
                if unsaved and not self._warned_unsaved:
                    self._warned_unsaved = True
                    screen.say(
                        f"Notes of {_ids(unsaved)} are not saved (see the message before). "
                        "Quit again to leave them unsaved.",
                        "error",
                    )
                    return
        if unsaved:
            self.fatal_error = ReaderError(f"the notes of {_ids(unsaved)} were not saved")
            self.exit(return_code=1)
            return
        self.exit()

    def save_settings(self, more: dict[str, object] | None = None) -> None:
        """Keep the app's preferences (and `more`) for the next run."""
        # Only the app's own preferences: `reader config` may have changed others meanwhile.
        mine = {"theme": self.theme, "sort": self.session.sort,
                "starred_first": self.session.starred_first, **(more or {})}
        self.settings.update(mine)
        if not self.use_settings:
            return
        save_settings(mine)

    # ------------------------------------------------------------------ messages
    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """One toast at a time: a new one replaces the last, never a stack over the list."""
        self.clear_notifications()
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def say(self, message: str, severity: SeverityLevel = "information") -> None:
        """Tell the user: on the main screen's status line when it is showing
        and the news is not bad, else in a toast. Never read as markup."""
        screen = self.screen
        if severity == "information" and isinstance(screen, MainScreen):
            screen.say(message)
        else:
            self.notify(one_line(message, MESSAGE_CHARS), severity=severity, markup=False)

    # ------------------------------------------------------------------ palette
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action once, named by what it does (the key table's sentence),
        its key in the description; Textual's own in the same style, less
        those reader has a key for (Quit, and Keys, which Help replaces)."""
        yield SystemCommand("Change the theme", "Pick one of the built-in themes", self.action_change_theme)
        if screen.maximized is not None:
            yield SystemCommand("Restore the pane's size", "Undo maximize", screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand("Maximize the focused pane", "Fill the screen with it", screen.action_maximize)
        yield SystemCommand("Save a screenshot", "An SVG picture of the screen, in the current directory",
                            lambda: self.set_timer(0.1, self.deliver_screenshot))
        if isinstance(screen, MainScreen):
            yield from _commands(screen, MAIN_KEYS)
            yield from _commands(screen.paper_list, LIST_KEYS)
            yield from _commands(screen.detail, DETAIL_KEYS)
        elif isinstance(screen, TriageScreen):
            yield from _commands(screen, TRIAGE_KEYS)

    # ------------------------------------------------------------------ clipboard
    def citation(self, paper: Paper, fmt: str = "bibtex") -> str:
        """The paper cited in a format of the registry, in the user's style for plain and Markdown."""
        return cite(paper, fmt, style_of(fmt, default_style()))

    def copy_citation(self, paper: Paper, fmt: str = "bibtex") -> None:
        """Copy a citation by OSC 52 (works over SSH and in tmux) and by pyperclip."""
        try:
            text = self.citation(paper, fmt)
        except ReaderError as exc:
            self.say(str(exc), "error")
            return
        self.copy_to_clipboard(text)
        label = citation_format(fmt).label
        if is_incomplete(paper):
            self.say(f"{paper.id} is incomplete: only its arXiv id is known, so it is "
                     f"cited as arXiv:{paper.arxiv_id}. e fills it in from arXiv.", "warning")
        self._copy_system(text, f"{label} of {paper.id}")

    def copy_citations(self, papers: list[Paper], fmt: str = "bibtex") -> None:
        """Copy the citations of several papers, one after another (as `reader cite` prints them)."""
        try:
            texts = [self.citation(p, fmt).rstrip("\n") + "\n" for p in papers]
        except ReaderError as exc:
            self.notify(one_line(str(exc), MESSAGE_CHARS), severity="error", markup=False)
            return
        text = ("\n" if citation_format(fmt).output == "bibtex" else "").join(texts)
        self.copy_to_clipboard(text)
        label = citation_format(fmt).label
        self._copy_system(text, f"{label} citations of {len(papers)} papers")

    @work(thread=True, group="clipboard")
    def _copy_system(self, text: str, what: str) -> None:
        from .clipboard import copy_system

        problem = copy_system(text)
        where = "system clipboard and OSC 52" if problem is None else "terminal clipboard, OSC 52"
        self.call_from_thread(self.say, f"Copied {what} ({where})")


def _commands(target: Widget, keys: list[Key]) -> Iterable[SystemCommand]:
    """A palette command for every key that applies now, with its key."""
    for key in keys:
        if target.check_action(key.action.split("(")[0], ()) is not True:
            continue
        yield SystemCommand(
            key.help,
            f"key: {key.shown_key}" if key.bound else "no key: only here",
            partial(target.run_action, key.action),
        )


def create_app(library: Library, **kwargs) -> ReaderApp:
    """The one factory the CLI, the tests and the snapshots build the app with."""
    return ReaderApp(library, **kwargs)


def _ids(pids: list[str]) -> str:
    shown = ", ".join(pids[:3])
    return shown + (f" and {len(pids) - 3} more" if len(pids) > 3 else "")
