"""The errors that `reader` reports to its user in one line."""


class ReaderError(Exception):
    """Something the user can fix: shown as one line, never a traceback."""

    exit_code = 1


class LibraryError(ReaderError):
    """The library file cannot be read or written."""


class ImportFormatError(ReaderError):
    """An input file that is not any format we know."""

    exit_code = 2


class QueryError(ReaderError):
    """A malformed query."""

    exit_code = 2
