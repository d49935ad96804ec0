"""Help: the keyboard shortcuts (F1) and About."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

# (keys, what they do) per screen, for Help > Keyboard shortcuts (F1).
SHORTCUTS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("Ctrl+Enter", "practise the chosen question; on the feedback screen, try it again"),
            ("Ctrl+U", "surprise me: the question practised least"),
            ("Ctrl+H / Ctrl+T / Ctrl+B", "history / statistics / your stories"),
            ("Ctrl+,", "settings"),
            ("Ctrl+F", "search the questions"),
            ("Alt+←", "back"),
            ("F1", "this list"),
        ),
    ),
    (
        "Practising",
        (
            ("Space", "start recording; stop when you have finished"),
            ("R", "hear the question again"),
            ("Esc", "throw this answer away"),
        ),
    ),
    (
        "Feedback and replay",
        (
            ("P", "play or pause the recording"),
            ("Tab", "move from sentence to sentence"),
            ("S T A R L O", "the sentence is Situation, Task, Action, Result, Lesson (reflection) or Other"),
            ("Menu key / right-click", "choose the sentence's section from a list"),
        ),
    ),
    (
        "Follow-up questions (after the feedback)",
        (
            ("Space", "answer the follow-up aloud; stop when you have finished"),
            ("N", "skip this follow-up"),
            ("H", "hear the follow-up again"),
        ),
    ),
    (
        "Stories",
        (
            ("Ctrl+N", "a new story"),
            ("Enter", "edit the chosen story"),
            ("Del", "delete the chosen story"),
        ),
    ),
    (
        "History",
        (
            ("Enter", "replay the chosen attempt"),
            ("Ctrl+↑ / Ctrl+↓, Ctrl+Space", "move without choosing, then add or remove an attempt"),
            ("Shift+↑ / Shift+↓", "choose the attempts next to it too"),
        ),
    ),
)


def shortcut_sheet_html() -> str:
    rows = []
    for screen, keys in SHORTCUTS:
        rows.append(f"<tr><td colspan=2><b>{escape(screen)}</b></td></tr>")
        rows += [
            f"<tr><td><tt>{escape(k)}</tt>&nbsp;&nbsp;</td><td>{escape(what)}</td></tr>" for k, what in keys
        ]
    return f"<table>{''.join(rows)}</table>"


def show_shortcuts(parent: QWidget) -> None:
    box = QMessageBox(QMessageBox.Icon.NoIcon, _tr("Keyboard shortcuts"), "", parent=parent)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(shortcut_sheet_html())
    box.exec()


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent,
        _tr("About STAR Coach"),
        _tr(
            "Practise behavioural interview answers out loud and see how they follow "
            "STAR: Situation, Task, Action, Result and Reflection.\n\n"
            "Everything runs on this computer; nothing is sent anywhere."
        ),
    )


def _tr(text: str) -> str:
    return QCoreApplication.translate("Help", text)
