"""The Textual app: a thin layer over reader.core."""
