"""`reader`'s entry point: parse the arguments, run the command, report errors in one line."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from ..errors import ReaderError
from .commands import COMMANDS, EXIT_INTERRUPTED, cmd_tui
from .parser import build_parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_command_line(sys.argv[1:] if argv is None else argv)
    handler = COMMANDS.get(args.command or "", cmd_tui)
    try:
        return handler(args)
    except ReaderError as exc:
        print(f"reader: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `reader list | head`: the reader of our output went away.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0

