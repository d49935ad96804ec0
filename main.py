"""STAR Coach. No arguments: the app. A subcommand: the command line (see `python main.py --help`)."""

import sys


def _main() -> int:
    argv = sys.argv[1:]
    if not argv or argv[0].startswith("-platform") or argv[0] in ("--gui",):
        from ui.application import run

        return run(argv)
    from app.cli import main

    return main(argv)


if __name__ == "__main__":
    sys.exit(_main())
