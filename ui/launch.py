"""The `star-coach` command (and `python main.py`): no arguments opens the app, a subcommand runs the
command line (`star-coach --help`)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0].startswith("-platform") or args[0] == "--gui":
        from ui.application import run

        return run(args)
    from app.cli import main as command_line

    return command_line(args)


if __name__ == "__main__":
    sys.exit(main())
