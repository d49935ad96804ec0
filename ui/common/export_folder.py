"""Where an export is offered, and under what name: the person's Documents folder (as the desktop names
it: QStandardPaths reads the XDG user dirs, so a translated "Dokumente" is found), else their home
folder; after an export, the folder they chose. Names say what is inside and when: a file called
`attempt-10.md` in the home folder meant nothing a week later."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths

_chosen: list[Path] = []  # the folder of the last export this session


def export_folder() -> Path:
    """The folder the last export went to, else Documents when it exists, else the home folder."""
    if _chosen and _chosen[-1].is_dir():
        return _chosen[-1]
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def remember(path: Path) -> None:
    """The person chose `path`: the next export starts in its folder."""
    _chosen[:] = [path.parent]


def export_name(*parts: str, day: date | None = None, suffix: str) -> str:
    """`star-coach-q14-2026-12-07.md`: the app, what it holds, the day; safe in any file system."""
    words = [re.sub(r"[^A-Za-z0-9]+", "-", p).strip("-").lower() for p in parts]
    stamp = (day or date.today()).isoformat()
    return "-".join(["star-coach", *[w for w in words if w], stamp]) + suffix


def suggested(*parts: str, day: date | None = None, suffix: str) -> str:
    """The full path offered in a save dialog."""
    return str(export_folder() / export_name(*parts, day=day, suffix=suffix))
