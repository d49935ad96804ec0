"""STAR Coach from a checkout. No arguments: the app. A subcommand: the command line (see
`python main.py --help`). `bench` is the development benchmark, which is not part of the installed app."""

import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["bench"]:
        from bench.__main__ import main as bench

        sys.exit(bench(sys.argv[2:]))
    from ui.launch import main

    sys.exit(main())
