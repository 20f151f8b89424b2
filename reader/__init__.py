"""reader: a keyboard-first terminal reading list for research papers."""

__version__ = "0.1.0"
