"""The main window's actions: menus, toolbar and shortcuts, each action made once (two bindings of one
key make Qt drop it as ambiguous)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from ui.common.help_dialogs import show_about, show_shortcuts

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def make_actions(window: MainWindow) -> None:
    def action(text: str, key: Qt.Key, slot: Callable[[], object], enabled: bool = True) -> QAction:
        a = QAction(text, window)
        a.setShortcut(QKeySequence(Qt.Modifier.CTRL | key))
        a.triggered.connect(slot)
        a.setEnabled(enabled)
        return a

    practise = action(window.tr("&Practise this question"), Qt.Key.Key_Return, window.practise_current)
    surprise = action(window.tr("&Surprise me"), Qt.Key.Key_U, window.surprise)
    settings = QAction(window.tr("Se&ttings…"), window)
    # Preferences is no key at all on Linux (the menu read "Settings… ()"): Ctrl+, everywhere.
    settings.setShortcuts(
        [QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Comma)]
        + [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences) if not k.isEmpty()]
    )
    settings.triggered.connect(window.open_settings)
    # Enabled once practice can start (MainWindow.attach_services):
    history = window.history_action = action(window.tr("&History"), Qt.Key.Key_H, window.show_history, False)
    stats = window.stats_action = action(window.tr("S&tatistics"), Qt.Key.Key_T, window.show_stats, False)
    stories = window.stories_action = action(window.tr("St&ories"), Qt.Key.Key_B, window.show_stories, False)
    loop = window.loop_action = action(
        window.tr("&Mock loop…"), Qt.Key.Key_L, lambda: _start_loop(window), False
    )
    window.practise_action, window.surprise_action = practise, surprise
    for a in (practise, surprise):
        a.setEnabled(window.services is not None)
    toolbar = window.addToolBar(window.tr("Practice"))
    toolbar.setObjectName("practice-toolbar")
    toolbar.addAction(practise)
    toolbar.addAction(surprise)
    toolbar.addAction(history)
    toolbar.addAction(stats)
    toolbar.addAction(stories)
    toolbar.addAction(loop)
    toolbar.addAction(settings)
    for a in (practise, surprise, history, stats, stories, loop, settings):
        a.setToolTip(
            f"{a.text().replace('&', '')} ({a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        )
    find = QAction(window.tr("&Search questions"), window)
    find.setShortcut(QKeySequence.StandardKey.Find)
    find.triggered.connect(lambda: window.questions.search.setFocus(Qt.FocusReason.ShortcutFocusReason))
    quit_ = QAction(window.tr("&Quit"), window)
    quit_.setShortcut(QKeySequence.StandardKey.Quit)
    quit_.triggered.connect(window.close)
    about = QAction(window.tr("&About STAR Coach"), window)
    about.triggered.connect(lambda: show_about(window))
    keys = QAction(window.tr("&Keyboard shortcuts"), window)
    keys.setShortcut(QKeySequence(Qt.Key.Key_F1))
    keys.triggered.connect(lambda: show_shortcuts(window))

    file_menu = window.menuBar().addMenu(window.tr("&File"))
    file_menu.addAction(quit_)
    view_menu = window.menuBar().addMenu(window.tr("&Questions"))
    view_menu.addActions([find, practise, surprise, loop, history, stats, stories])
    file_menu.insertAction(quit_, settings)
    window.menuBar().addMenu(window.tr("&Help")).addActions([keys, about])
    window.addActions([find, quit_, keys])


def _start_loop(window: MainWindow) -> None:
    from ui.loop.wiring import start_loop  # the speech stack is imported once practice starts, not before

    start_loop(window)
