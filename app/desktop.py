"""A desktop entry and an icon, so that STAR Coach appears in the application menu (freedesktop.org:
`applications/star-coach.desktop` and `icons/hicolor/scalable/apps/star-coach.svg` under
$XDG_DATA_HOME, ~/.local/share by default). Written by `star-coach install-desktop`."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from app.core import paths
from app.core.files import atomic_write_text

APP_ID = paths.APP_NAME


def _data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def entry_path() -> Path:
    return _data_home() / "applications" / f"{APP_ID}.desktop"


def icon_path() -> Path:
    return _data_home() / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def launcher() -> str:
    """The command the menu runs: the `star-coach` that is running now (pipx, a wheel), else the one on
    the PATH, else this Python running the checkout's main.py."""
    running = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    found = running if running is not None and running.name == APP_ID else None
    if found is None and shutil.which(APP_ID):
        found = Path(str(shutil.which(APP_ID)))
    if found is not None:
        return shlex.quote(str(found.absolute()))
    checkout = Path(__file__).resolve().parent.parent / "main.py"
    if checkout.is_file():
        return f"{shlex.quote(sys.executable)} {shlex.quote(str(checkout))}"
    return f"{shlex.quote(sys.executable)} -m ui.launch"


def entry_text(command: str) -> str:
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.5",
            "Name=STAR Coach",
            "GenericName=Interview practice",
            "Comment=Practise behavioural interview answers out loud, with STAR feedback, offline",
            f"Exec={command}",
            f"Icon={APP_ID}",
            "Terminal=false",
            "Categories=Education;Office;",
            "Keywords=interview;STAR;behavioural;practice;speech;",
            "StartupNotify=true",
            "",
        ]
    )


def install() -> list[Path]:
    """Write the entry and the icon; returns what was written."""
    icon = icon_path()
    icon.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(paths.resource(f"{APP_ID}.svg"), icon)
    entry = entry_path()
    entry.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(entry, entry_text(launcher()))
    return [entry, icon]


def uninstall() -> list[Path]:
    removed = [p for p in (entry_path(), icon_path()) if p.exists()]
    for p in removed:
        p.unlink()
    return removed
