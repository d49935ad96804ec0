"""What to do about a failed history or file operation, from its message: every failure the person sees
says what happened and what to do (a locked history and a full disk need different answers)."""

from __future__ import annotations

from app.core import paths

# SQLite's own words, as a person would say them
SQLITE_WORDS = {
    "database is locked": "your practice history is locked",
    "attempt to write a readonly database": "your practice history can only be read",
}


def what_to_do(message: str) -> str:
    low = message.lower()
    if "no saved attempt" in low:
        return "It may have been deleted from another window or program: open History again (Ctrl+H)."
    if "locked" in low or "busy" in low:
        return (
            "Another program (or another STAR Coach) is using it: close that program, then try again; "
            "nothing was lost."
        )
    if "full" in low or "no space" in low:
        return "The disk is full: free some space, then try again; nothing was lost."
    if any(w in low for w in ("readonly", "read-only", "read only", "permission", "cannot be written")):
        return "Check that you may write to that file and its folder, then try again; nothing was lost."
    return f"Try again; if it keeps failing, the log in {paths.log_dir()} has the details."


def said(what: str, message: str) -> str:
    """`what` happened, why (`message`), and what to do."""
    why = SQLITE_WORDS.get(message, message)
    return f"{what}: {why.rstrip('.')}. {what_to_do(message)}"
