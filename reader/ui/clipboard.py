"""Copying to the system clipboard through pyperclip (where there is one)."""

from __future__ import annotations


def copy_system(text: str) -> str | None:
    """Copy with pyperclip. Returns None on success, else why it failed.

    pyperclip needs xclip, xsel or wl-copy on Linux and has no clipboard over
    SSH; its failing is expected and never an error for the app.
    """
    try:
        import pyperclip

        pyperclip.copy(text)
    except Exception as exc:  # noqa: BLE001 - any failure is only "no system clipboard"
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None
