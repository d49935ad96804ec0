"""The main window: question browser on the left, the selected question on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.questions import LoadedBank
from ui.question_detail import QuestionDetail
from ui.question_list import QuestionList


class Banner(QWidget):
    """A dismissible message strip for problems the user should know about but can work past."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#banner { background: #fff4ce; } #banner QLabel { color: #3d2c00; }")
        self.label = QLabel(text, wordWrap=True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(text="✕", autoRaise=True)
        close.setAccessibleName(self.tr("Dismiss message"))
        close.setToolTip(self.tr("Dismiss"))
        close.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.addWidget(self.label, 1)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)


class MainWindow(QMainWindow):
    def __init__(self, loaded: LoadedBank, notices: list[str] | None = None) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("STAR Coach"))
        self.loaded = loaded
        self.bank = loaded.bank

        self.questions = QuestionList(self.bank)
        self.detail = QuestionDetail()
        splitter = QSplitter()
        splitter.addWidget(self.questions)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([420, 640])

        central = QWidget()
        col = QVBoxLayout(central)
        self.banner: Banner | None = None
        messages = [m for m in [loaded.warning, *(notices or [])] if m]
        if messages:
            self.banner = Banner("\n".join(messages))
            col.addWidget(self.banner)
        col.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.questions.selected.connect(self._show)
        current = self.questions.current_id()
        if current:
            self._show(current)
        self._make_actions()
        self.statusBar().showMessage(
            self.tr("{0} questions from {1}").format(len(self.bank.questions), loaded.path.name)
        )
        self.resize(1100, 720)

    def _make_actions(self) -> None:
        find = QAction(self.tr("&Search questions"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: self.questions.search.setFocus(Qt.FocusReason.ShortcutFocusReason))
        quit_ = QAction(self.tr("&Quit"), self)
        quit_.setShortcut(QKeySequence.StandardKey.Quit)
        quit_.triggered.connect(self.close)
        about = QAction(self.tr("&About STAR Coach"), self)
        about.triggered.connect(self._about)

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(quit_)
        view_menu = self.menuBar().addMenu(self.tr("&Questions"))
        view_menu.addAction(find)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(about)
        self.addActions([find, quit_])

    def _show(self, qid: str) -> None:
        self.detail.show_question(self.bank.by_id(qid))

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About STAR Coach"),
            self.tr(
                "Practise behavioural interview answers out loud and see how they follow "
                "STAR: Situation, Task, Action, Result and Reflection.\n\n"
                "Everything runs on this computer; nothing is sent anywhere."
            ),
        )
