"""The main window's actions: menus, toolbar and shortcuts, each action made once (two bindings of one
key make Qt drop it as ambiguous)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from ui.common.help_dialogs import show_about, show_shortcuts

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def make_actions(window: MainWindow) -> None:
    practise = QAction(window.tr("&Practise this question"), window)
    practise.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Return))
    practise.triggered.connect(window.practise_current)
    surprise = QAction(window.tr("&Surprise me"), window)
    surprise.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_U))
    surprise.triggered.connect(window.surprise)
    settings = QAction(window.tr("Se&ttings…"), window)
    # Preferences is no key at all on Linux (the menu read "Settings… ()"): Ctrl+, everywhere.
    settings.setShortcuts(
        [QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Comma)]
        + [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences) if not k.isEmpty()]
    )
    settings.triggered.connect(window.open_settings)
    history = QAction(window.tr("&History"), window)
    history.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_H))
    history.triggered.connect(window.show_history)
    history.setEnabled(False)
    window.history_action = history
    stats = QAction(window.tr("S&tatistics"), window)
    stats.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_T))
    stats.triggered.connect(window.show_stats)
    stats.setEnabled(False)
    window.stats_action = stats
    stories = QAction(window.tr("St&ories"), window)
    stories.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_B))
    stories.triggered.connect(window.show_stories)
    stories.setEnabled(False)
    window.stories_action = stories
    loop = QAction(window.tr("&Mock loop…"), window)
    loop.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_L))
    loop.triggered.connect(lambda: _start_loop(window))
    loop.setEnabled(False)
    window.loop_action = loop
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
