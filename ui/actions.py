"""The main window's actions: menus, toolbar and shortcuts, each action made once (two bindings of one
key make Qt drop it as ambiguous). An object the window owns: it is handed the window to put its menus
on and the slot of each action, and knows nothing else of the window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from ui.common.help_dialogs import show_about, show_shortcuts

Slot = Callable[[], object]


@dataclass(frozen=True)
class Handlers:
    """What each action does: the window's slots, handed over explicitly."""

    practise: Slot
    surprise: Slot
    history: Slot
    stats: Slot
    stories: Slot
    loop: Slot
    settings: Slot
    find: Slot


class Actions(QObject):
    """Practise, Surprise, History, Statistics, Stories, Mock loop and Settings, on the toolbar and in
    the menus; the ones that need practice start disabled until `enable_practice()`."""

    def __init__(self, window: QMainWindow, do: Handlers, practice_ready: bool) -> None:
        super().__init__(window)
        self.practise = self._make(
            window, window.tr("&Practise this question"), Qt.Key.Key_Return, do.practise
        )
        self.surprise = self._make(window, window.tr("&Surprise me"), Qt.Key.Key_U, do.surprise)
        self.history = self._make(window, window.tr("&History"), Qt.Key.Key_H, do.history)
        self.stats = self._make(window, window.tr("S&tatistics"), Qt.Key.Key_T, do.stats)
        self.stories = self._make(window, window.tr("St&ories"), Qt.Key.Key_B, do.stories)
        self.loop = self._make(window, window.tr("&Mock loop…"), Qt.Key.Key_L, do.loop)
        for a in (self.history, self.stats, self.stories, self.loop):
            a.setEnabled(False)  # enabled once practice can start (`enable_practice`)
        for a in (self.practise, self.surprise):
            a.setEnabled(practice_ready)
        settings = QAction(window.tr("Se&ttings…"), window)
        # Preferences is no key at all on Linux (the menu read "Settings… ()"): Ctrl+, everywhere.
        settings.setShortcuts(
            [QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Comma)]
            + [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences) if not k.isEmpty()]
        )
        settings.triggered.connect(do.settings)
        self.settings = settings
        toolbar = window.addToolBar(window.tr("Practice"))
        toolbar.setObjectName("practice-toolbar")
        shown = (self.practise, self.surprise, self.history, self.stats, self.stories, self.loop, settings)
        for a in shown:
            toolbar.addAction(a)
            a.setToolTip(
                f"{a.text().replace('&', '')} ({a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
            )
        find = QAction(window.tr("&Search questions"), window)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(do.find)
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
        view_menu.addActions(
            [find, self.practise, self.surprise, self.loop, self.history, self.stats, self.stories]
        )
        file_menu.insertAction(quit_, settings)
        window.menuBar().addMenu(window.tr("&Help")).addActions([keys, about])
        window.addActions([find, quit_, keys])

    @staticmethod
    def _make(window: QMainWindow, text: str, key: Qt.Key, slot: Slot) -> QAction:
        a = QAction(text, window)
        a.setShortcut(QKeySequence(Qt.Modifier.CTRL | key))
        a.triggered.connect(slot)
        return a

    def enable_practice(self) -> None:
        """Practice can start: every action works from now on."""
        for a in (self.practise, self.surprise, self.history, self.stats, self.stories, self.loop):
            a.setEnabled(True)
