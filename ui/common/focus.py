"""Keyboard focus back in the main window after a dialog closes. Without a window manager nothing hands
X's input focus back when a dialog's window goes away (the keys went nowhere); with one, Qt may not
have activated the main window again before the next key. Asked once now and once after the dialog's
window is gone."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget


def return_focus(widget: QWidget) -> None:
    """Activate `widget`'s window and give the focus back to `widget` (or its window's last focus)."""
    _activate(widget)
    QTimer.singleShot(0, widget, lambda: _activate(widget))


def _activate(widget: QWidget) -> None:
    window = widget.window()
    if not window.isVisible():
        return
    window.raise_()
    window.activateWindow()
    target = widget if widget is not window else (window.focusWidget() or window)
    target.setFocus()
