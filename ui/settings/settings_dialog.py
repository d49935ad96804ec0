"""The Settings dialog: microphone, voice, transcription and practice, saved to `Settings` on OK.

Each group is its own small widget (ui/settings_*.py); this file composes them, owns the Practice
group, and does the saving. Nothing here blocks the GUI thread: the voices arrive from the thread
pool, the microphone test runs on the Recorder's thread, and no model is downloaded from here.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.jobs import run_task
from app.core.settings import RANGES, Settings
from app.speech.capture import AudioInputs, Recorder
from app.speech.tts import Speaker
from ui.common.problems import what_to_do
from ui.settings.settings_microphone import MicrophoneSection
from ui.settings.settings_transcription import TranscriptionSection
from ui.settings.settings_voice import VoiceSection

MIN_WIDTH = 580


class PracticeSection(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Practice"))
        self.think = QSpinBox()
        self.think.setRange(*RANGES["think_seconds"])  # what loading accepts: no value it refuses
        self.think.setSuffix(self.tr(" s"))
        self.think.setSpecialValueText(self.tr("None — record at once"))
        self.think.setAccessibleName(self.tr("Thinking time before recording, in seconds"))
        self.think_label = QLabel(self.tr("T&hinking time:"))
        self.think_label.setBuddy(self.think)

        self.target = QSpinBox()
        self.target.setRange(*RANGES["target_seconds"])
        self.target.setSingleStep(10)
        self.target.setSuffix(self.tr(" s"))
        self.target.setAccessibleName(self.tr("Target answer length, in seconds"))
        self.target_label = QLabel(self.tr("Target &length:"))
        self.target_label.setBuddy(self.target)

        self.follow_ups = QSpinBox()
        self.follow_ups.setRange(*RANGES["follow_ups"])
        self.follow_ups.setSpecialValueText(self.tr("None — off"))
        self.follow_ups.setAccessibleName(self.tr("Follow-up questions after each answer"))
        self.follow_ups.setToolTip(
            self.tr("After the feedback, the app asks what an interviewer would: your own part, a number…")
        )
        self.follow_ups_label = QLabel(self.tr("Follow-&up questions:"))
        self.follow_ups_label.setBuddy(self.follow_ups)

        self.hard_stop = QCheckBox(self.tr("&Stop recording at the target length"))
        self.keep = QCheckBox(self.tr("&Keep recordings of my answers"))
        self.keep.setToolTip(self.tr("Off: each recording is deleted once its feedback is ready"))
        self.prompt_card = QCheckBox(self.tr("Show a written story as a &prompt card while rehearsing it"))
        self.prompt_card.setToolTip(self.tr("Off: it is hidden while you speak, as in the interview"))
        self.vocabulary = QLineEdit()
        self.vocabulary.setPlaceholderText(self.tr("e.g. cross-dock, SKU, Priya, XGBoost"))
        self.vocabulary.setToolTip(
            self.tr(
                "Names, products and jargon the transcriber should listen for, with the words of your stories"
            )
        )
        self.vocabulary_label = QLabel(self.tr("Your &words:"))
        self.vocabulary_label.setBuddy(self.vocabulary)

        for spin in (self.think, self.target, self.follow_ups):  # a number needs no full-width field
            spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        form = QFormLayout(self)
        form.addRow(self.think_label, self.think)
        form.addRow(self.target_label, self.target)
        form.addRow(self.follow_ups_label, self.follow_ups)
        form.addRow("", self.hard_stop)
        form.addRow("", self.keep)
        form.addRow("", self.prompt_card)
        form.addRow(self.vocabulary_label, self.vocabulary)

    def labels(self) -> list[QLabel]:
        return [self.think_label, self.target_label, self.follow_ups_label, self.vocabulary_label]

    def focus_chain(self) -> list[QWidget]:
        return [
            self.think,
            self.target,
            self.follow_ups,
            self.hard_stop,
            self.keep,
            self.prompt_card,
            self.vocabulary,
        ]

    def set_values(self, s: Settings) -> None:
        self.think.setValue(s.think_seconds)
        self.target.setValue(s.target_seconds)
        self.follow_ups.setValue(s.follow_ups)
        self.hard_stop.setChecked(s.hard_stop)
        self.keep.setChecked(s.keep_recordings)
        self.prompt_card.setChecked(s.prompt_card)
        self.vocabulary.setText(s.vocabulary)


class SettingsDialog(QDialog):
    """Edits a copy of `settings`; OK saves it (`Settings.save()`), Cancel leaves everything as it was.

    `speaker` lists the voices and speaks the preview (None: no speech engine in this session);
    `inputs` lists the microphones (None: the dialog watches them itself); `recorder` runs the
    microphone test (None: the dialog makes one while testing and stops it when it closes).
    """

    def __init__(
        self,
        settings: Settings,
        speaker: Speaker | None,
        inputs: AudioInputs | None,
        parent: QWidget | None = None,
        *,
        recorder: Recorder | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._original = settings.model_copy()
        self._closed = False

        self.microphone = MicrophoneSection(inputs if inputs is not None else AudioInputs(self), recorder)
        self.voice = VoiceSection(speaker)
        self.transcription = TranscriptionSection()
        self.practice = PracticeSection()
        self.error = QLabel(wordWrap=True)
        self.error.setAccessibleName(self.tr("Settings could not be saved"))
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self._saving = False

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        self.buttons = buttons
        self.ok_button = self._button(
            QDialogButtonBox.StandardButton.Ok, self.tr("OK"), self.tr("Save the settings and close")
        )
        self.cancel_button = self._button(
            QDialogButtonBox.StandardButton.Cancel, self.tr("Cancel"), self.tr("Close without saving")
        )
        self.defaults_button = self._button(
            QDialogButtonBox.StandardButton.RestoreDefaults,
            self.tr("Restore &defaults"),
            self.tr("Put every setting back to its default; nothing is saved until OK"),
        )
        # Enter is OK wherever the focus is: no other button may take it over when focused (a focused
        # "Restore defaults" or "Test microphone" used to).
        for other in (self.cancel_button, self.defaults_button):
            other.setAutoDefault(False)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.defaults_button.clicked.connect(self.restore_defaults)

        col = QVBoxLayout(self)
        for section in (self.microphone, self.voice, self.transcription, self.practice):
            col.addWidget(section)
        col.addWidget(self.error)
        col.addStretch(1)
        col.addWidget(buttons)
        self.setMinimumWidth(MIN_WIDTH)
        self._align_labels()
        self._set_tab_order()
        for section in (self.microphone, self.voice, self.transcription):
            section.messages_changed.connect(self._refit)
        self._show_values(settings)

    def _button(self, which: QDialogButtonBox.StandardButton, text: str, description: str) -> QPushButton:
        button = self.buttons.button(which)
        button.setText(text)
        button.setAccessibleName(text.replace("&", ""))
        button.setAccessibleDescription(description)
        button.setToolTip(description)
        return button

    def labels(self) -> list[QLabel]:
        """Every label that names a control (each has a buddy and a mnemonic)."""
        return [
            *self.microphone.labels(),
            *self.voice.labels(),
            *self.transcription.labels(),
            *self.practice.labels(),
        ]

    def focus_chain(self) -> list[QWidget]:
        return [
            *self.microphone.focus_chain(),
            *self.voice.focus_chain(),
            *self.transcription.focus_chain(),
            *self.practice.focus_chain(),
            self.defaults_button,
            self.ok_button,
            self.cancel_button,
        ]

    def _align_labels(self) -> None:
        """One label column across the groups, so the controls line up, and the notes with them."""
        width = max(label.sizeHint().width() for label in self.labels())
        for label in self.labels():
            label.setMinimumWidth(width)
        form = self.practice.layout()
        spacing = form.horizontalSpacing() if isinstance(form, QFormLayout) else 6
        indent = width + max(0, spacing)
        for section in (self.microphone, self.voice, self.transcription):
            for message in section.messages():
                message.setContentsMargins(indent, 0, 0, 0)

    def _set_tab_order(self) -> None:
        chain = self.focus_chain()
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- values ------------------------------------------------------------------------------

    def _show_values(self, s: Settings) -> None:
        self.microphone.set_device(s.input_device_id, s.input_device_name)
        self.voice.set_values(s.voice_id, s.speech_rate_wpm)
        self.transcription.set_values(s.engine, s.model)
        self.practice.set_values(s)

    def result_settings(self) -> Settings:
        """The settings as shown in the dialog (after OK: as saved)."""
        device_id, device_name = self.microphone.device_choice()
        voice_id, rate = self.voice.values()
        engine, model = self.transcription.values()
        p = self.practice
        return self._original.model_copy(
            update={
                "input_device_id": device_id,
                "input_device_name": device_name,
                "voice_id": voice_id,
                "speech_rate_wpm": rate,
                "engine": engine,
                "model": model,
                "think_seconds": p.think.value(),
                "target_seconds": p.target.value(),
                "follow_ups": p.follow_ups.value(),
                "hard_stop": p.hard_stop.isChecked(),
                "keep_recordings": p.keep.isChecked(),
                "prompt_card": p.prompt_card.isChecked(),
                "vocabulary": p.vocabulary.text().strip(),
            }
        )

    def restore_defaults(self) -> None:
        self._show_values(Settings())

    # --- closing ------------------------------------------------------------------------------

    def accept(self) -> None:
        """Saved on a worker thread (a file write); the dialog closes once the file is written."""
        if self._saving:
            return
        self._saving = True
        self.buttons.setEnabled(False)
        run_task(self.result_settings().save, lambda _: self._saved(), self._not_saved)

    def _saved(self) -> None:
        self._saving = False
        self.buttons.setEnabled(True)
        self.voice.apply_to_speaker()
        super().accept()

    def _not_saved(self, message: str) -> None:
        self._saving = False
        self.buttons.setEnabled(True)
        self.error.setText(
            self.tr("The settings could not be saved to {0}: {1}. Nothing was changed.").format(
                Settings.path(), message
            )
            + " "
            + what_to_do(message)
        )
        self.error.show()
        self._refit()

    def reject(self) -> None:
        if not self._saving:  # Esc while the file is written: it closes once it is
            super().reject()

    def done(self, result: int) -> None:
        self._shutdown()
        super().done(result)

    def showEvent(self, event: QShowEvent) -> None:
        self.error.hide()
        self._fit_height()
        super().showEvent(event)
        self._closed = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _refit(self) -> None:
        QTimer.singleShot(0, self, self._fit_height)  # once the layout has taken the new text

    def _fit_height(self) -> None:
        """Room for the wrapped notes and messages: Qt sizes a window without height-for-width."""
        needed = self.heightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def hideEvent(self, event: QHideEvent) -> None:
        self.microphone.stop_test()  # never listen while nobody can see it
        self.voice.shutdown()
        super().hideEvent(event)

    def _shutdown(self) -> None:
        if not self._closed:
            self._closed = True
            self.microphone.shutdown()
            self.voice.shutdown()
