"""STAR Coach. No arguments: the app. A subcommand: the command line (see `python main.py --help`)."""

import sys

from ui.launch import main

if __name__ == "__main__":
    sys.exit(main())
