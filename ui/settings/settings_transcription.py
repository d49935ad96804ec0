"""Settings › Transcription: which speech engine and Whisper model. Choosing never downloads anything:
the app fetches a named model the first time it is used."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.speech.models import DEFAULT_MODEL, MODEL_ENV, REQUIRED_MODEL_FILES, models_dir
from app.speech.transcribe import ENGINES

OFFERED_MODELS = ("base.en", "small.en")  # beyond the bundled tiny.en: each larger, better, slower


def missing_model_files(folder: Path) -> list[str]:
    """Files a faster-whisper model folder needs that `folder` lacks; [] when it is one."""
    return [name for name in REQUIRED_MODEL_FILES if not (folder / name).is_file()]


def _is_folder(value: str) -> bool:
    return "/" in value or os.sep in value or value.startswith(("~", "."))


class TranscriptionSection(QGroupBox):
    messages_changed = Signal()  # a message below the controls changed: it may need more room

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Transcription"))

        self.engine = QComboBox()
        self.engine.setAccessibleName(self.tr("Speech recognition engine"))
        names = {
            "whisper": self.tr("Whisper — recommended"),
            "sphinx": self.tr("pocketsphinx — low accuracy, no download"),
        }
        for engine in ENGINES:
            self.engine.addItem(names.get(engine, engine), engine)
        self.engine_label = QLabel(self.tr("&Engine:"))
        self.engine_label.setBuddy(self.engine)

        self.model = QComboBox()
        self.model.setAccessibleName(self.tr("Whisper model"))
        self.model.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.model.setMinimumContentsLength(28)
        self.model_label = QLabel(self.tr("M&odel:"))
        self.model_label.setBuddy(self.model)
        self.choose = QPushButton(self.tr("Choose &folder…"))
        self.choose.setAutoDefault(False)  # Enter is the dialog's OK, not this button
        self.choose.setAccessibleName(self.tr("Choose a model folder"))
        self.choose.setToolTip(self.tr("Use a faster-whisper model you already have on this computer"))
        self.choose.clicked.connect(self._choose_folder)

        self.note = QLabel(wordWrap=True)
        self.note.setAccessibleName(self.tr("Transcription note"))
        self.error = QLabel(wordWrap=True)
        self.error.setAccessibleName(self.tr("Model folder problem"))
        self.error.setStyleSheet("color: #b00020;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()

        model_row = QHBoxLayout()
        model_row.addWidget(self.model, 1)
        model_row.addWidget(self.choose)
        form = QFormLayout()
        form.addRow(self.engine_label, self.engine)
        form.addRow(self.model_label, model_row)
        col = QVBoxLayout(self)
        col.addLayout(form)
        col.addWidget(self.note)  # outside the form: a form sizes wrapped text badly
        col.addWidget(self.error)

        self._fill_models()
        self.engine.currentIndexChanged.connect(self._update_note)
        self._update_note()

    def labels(self) -> list[QLabel]:
        return [self.engine_label, self.model_label]

    def messages(self) -> list[QLabel]:
        return [self.note, self.error]

    def focus_chain(self) -> list[QWidget]:
        return [self.engine, self.model, self.choose]

    # --- values ------------------------------------------------------------------------------

    def set_values(self, engine: str, model: str) -> None:
        self.engine.setCurrentIndex(max(0, self.engine.findData(engine)))
        self._select_model(model)
        self.error.hide()

    def values(self) -> tuple[str, str]:
        return str(self.engine.currentData()), str(self.model.currentData() or "")

    def _fill_models(self) -> None:
        env = os.environ.get(MODEL_ENV, "").strip()
        if env:
            default = self.tr("Default: {0} (from ${1})").format(env, MODEL_ENV)
        else:
            default = self.tr("{0} — included, fastest (default)").format(DEFAULT_MODEL)
        self.model.addItem(default, "")
        hints = {
            "base.en": self.tr("{0} — more accurate, slower"),
            "small.en": self.tr("{0} — most accurate, slowest"),
        }
        for name in OFFERED_MODELS:
            where = (
                self.tr("downloaded")
                if (models_dir() / name).is_dir()
                else self.tr("downloaded on first use")
            )
            self.model.addItem(f"{hints[name].format(name)} ({where})", name)

    def _select_model(self, value: str) -> None:
        value = value.strip()
        if value == DEFAULT_MODEL and not os.environ.get(MODEL_ENV):
            value = ""  # the bundled tiny.en is the default item
        index = self.model.findData(value)
        if index < 0:
            if _is_folder(value):
                self._add_folder(value)
                return
            self.model.addItem(value, value)  # another Whisper name, set elsewhere: kept
            index = self.model.count() - 1
        self.model.setCurrentIndex(index)

    def _add_folder(self, folder: str) -> None:
        index = self.model.findData(folder)
        if index < 0:
            self.model.addItem(self.tr("Folder: {0}").format(folder), folder)
            index = self.model.count() - 1
            self.model.setItemData(index, folder, Qt.ItemDataRole.ToolTipRole)
        self.model.setCurrentIndex(index)

    # --- choosing a folder ----------------------------------------------------------------------

    @Slot()
    def _choose_folder(self) -> None:
        current = str(self.model.currentData() or "")
        start = current if _is_folder(current) else str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Choose a Whisper model folder"), start)
        if not chosen:
            return
        missing = missing_model_files(Path(chosen))
        if missing:
            self.error.setText(
                self.tr(
                    "“{0}” is not a Whisper model folder: it has no {1}. Choose the folder that holds "
                    "model.bin and config.json (a faster-whisper model). The setting was not changed."
                ).format(chosen, self.tr(" or ").join(missing))
            )
            self.error.show()
            self.messages_changed.emit()
            return
        self.error.hide()
        self.messages_changed.emit()
        self._add_folder(str(Path(chosen).resolve()))

    @Slot()
    def _update_note(self) -> None:
        whisper = self.engine.currentData() == "whisper"
        self.model.setEnabled(whisper)
        self.choose.setEnabled(whisper)
        self.model_label.setEnabled(whisper)
        if whisper:
            self.note.setText(
                self.tr(
                    "Larger models are more accurate but slower. base.en and small.en are downloaded "
                    "the first time they are used, when the computer is online; {0} comes with the app."
                ).format(DEFAULT_MODEL)
            )
        else:
            self.note.setText(
                self.tr(
                    "pocketsphinx needs no download but misses many words, so feedback is less "
                    "reliable. Use it only when no Whisper model can be used."
                )
            )
        self.messages_changed.emit()
