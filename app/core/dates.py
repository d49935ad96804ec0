"""How the app says when something happened: one wording for every screen and the command line."""

from __future__ import annotations

from datetime import datetime


def relative(when: datetime, now: datetime) -> str:
    """'10 seconds ago', '5 minutes ago', 'a day ago', '3 days ago', 'a month ago' (humanize)."""
    import humanize

    return str(humanize.naturaltime(now - when, when=now))
