"""The names of the formats reader reads and writes.

Kept apart from the code that handles them, so that the command line can
list them without importing the parsers.
"""

IMPORT_FORMATS = ("trending", "bibtex", "arxiv", "ids", "json", "csl-json")
CITATION_FORMATS = ("bibtex", "apa", "markdown", "plain")
EXPORT_FORMATS = ("bibtex", "json", "markdown", "csl-json")
