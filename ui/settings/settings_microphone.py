"""Settings › Microphone: which input to record from, and a live level test on the real Recorder."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.speech.capture import AudioInputs, Recorder, State
from app.speech.capture_worker import InputDevice, RecordingResult

TEST_LIMIT_MS = 120_000  # a test left running is stopped after two minutes


class LevelMeter(QProgressBar):
    """The microphone's loudness, -60..0 dBFS as 0..100: amber while quiet, green for speech, red if it clips."""

    FLOOR_DBFS = -60.0
    GOOD_DBFS = -40.0  # a voice at a sensible distance from a working microphone is louder than this
    CLIP_PEAK = 0.99
    RELEASE = 4  # points the bar may fall per update: it rises at once and falls gently

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 100)
        self.setValue(0)
        self.setTextVisible(False)
        self.setFixedHeight(16)
        self.setAccessibleName(self.tr("Microphone level"))
        self._zone = ""
        self._set_zone("quiet")

    @classmethod
    def to_percent(cls, dbfs: float) -> int:
        span = -cls.FLOOR_DBFS
        return round(max(0.0, min(1.0, (dbfs - cls.FLOOR_DBFS) / span)) * 100)

    def show_level(self, dbfs: float, peak: float) -> None:
        target = self.to_percent(dbfs)
        self.setValue(max(target, self.value() - self.RELEASE))
        if peak >= self.CLIP_PEAK:
            self._set_zone("clip")
        elif dbfs >= self.GOOD_DBFS:
            self._set_zone("good")
        elif self.value() < self.to_percent(self.GOOD_DBFS):
            self._set_zone("quiet")

    def reset(self) -> None:
        self.setValue(0)
        self._set_zone("quiet")

    def zone(self) -> str:
        return self._zone

    def _set_zone(self, zone: str) -> None:
        if zone == self._zone:
            return
        self._zone = zone
        color = {"quiet": "#c8a02a", "good": "#2e9d48", "clip": "#c62f2f"}[zone]
        self.setStyleSheet(
            "QProgressBar { border: 1px solid palette(mid); border-radius: 3px; background: palette(base); }"
            f"QProgressBar::chunk {{ background: {color}; border-radius: 2px; }}"
        )


class MicrophoneSection(QGroupBox):
    """Device choice that follows hot-plugging, plus "Test microphone" showing the live level."""

    messages_changed = Signal()  # a message below the controls changed: it may need more room

    def __init__(
        self, inputs: AudioInputs, recorder: Recorder | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Microphone"))
        self._inputs = inputs
        self._recorder = recorder
        self._own_recorder = recorder is None
        self._temp: tempfile.TemporaryDirectory[str] | None = None
        self._restart = False  # the device changed during a test: start again once the old take ends
        self._saved = InputDevice("", "", False)  # shown as "not connected" while it is unplugged
        self._names: dict[str, str] = {}  # device id -> name, for the chosen item
        self._wired: Recorder | None = None
        self._aborting = False  # one abort per take: a second would send a second `finished`

        self.device = QComboBox()
        self.device.setAccessibleName(self.tr("Microphone"))
        self.device.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.device.setMinimumContentsLength(28)
        self.device_label = QLabel(self.tr("&Microphone:"))
        self.device_label.setBuddy(self.device)

        self.test_button = QPushButton(self.tr("&Test microphone"))
        self.test_button.setAutoDefault(False)  # Enter is the dialog's OK, not this button
        self.test_button.setCheckable(True)
        self.test_button.setAccessibleName(self.tr("Test microphone"))
        self.test_button.setToolTip(self.tr("Listen to the microphone and show how loud it is"))
        widths = []
        for text in (self.tr("Stop &test"), self.tr("&Test microphone")):  # the bar must not jump
            self.test_button.setText(text)
            widths.append(self.test_button.sizeHint().width())
        self.test_button.setMinimumWidth(max(widths))
        self.meter = LevelMeter()
        self.hint = QLabel(wordWrap=True)
        self.hint.setAccessibleName(self.tr("Microphone test status"))
        self._show_hint(self.tr("Press Test microphone and speak: the bar should move into the green."))
        self._limit = QTimer(self, singleShot=True, interval=TEST_LIMIT_MS)
        self._limit.timeout.connect(self.stop_test)

        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.meter, 1)
        form = QFormLayout()
        form.addRow(self.device_label, self.device)
        form.addRow("", test_row)
        col = QVBoxLayout(self)
        col.addLayout(form)
        col.addWidget(self.hint)  # outside the form: a form sizes wrapped text badly

        self._populate(self._inputs.current())
        self._inputs.changed.connect(self._populate)
        self.device.currentIndexChanged.connect(self._on_device_changed)
        self.test_button.toggled.connect(self._on_toggled)

    def labels(self) -> list[QLabel]:
        return [self.device_label]

    def messages(self) -> list[QLabel]:
        return [self.hint]

    def focus_chain(self) -> list[QWidget]:
        return [self.device, self.test_button]

    # --- the device ------------------------------------------------------------------------------

    def set_device(self, device_id: str, name: str) -> None:
        self._saved = InputDevice(device_id, name, False)
        self._populate(self._inputs.current(), select=device_id)

    def device_choice(self) -> tuple[str, str]:
        """(id, name) of the chosen microphone; ("", "") is the system's default."""
        device_id = str(self.device.currentData() or "")
        return device_id, self._names.get(device_id, "")

    @Slot(list)
    def _populate(self, devices: list[InputDevice], select: str | None = None) -> None:
        wanted = select if select is not None else str(self.device.currentData() or "")
        default = next((d for d in devices if d.is_default), None)
        self.device.blockSignals(True)
        self.device.clear()
        if default is not None:
            self.device.addItem(self.tr("System default ({0})").format(default.name), "")
        else:
            self.device.addItem(self.tr("System default"), "")
        self._names = {"": ""}
        for d in sorted(devices, key=lambda d: d.name.casefold()):
            self.device.addItem(d.name, d.id)
            self._names[d.id] = d.name
        if self._saved.id and self._saved.id not in self._names:
            name = self._saved.name or self._saved.id
            self.device.addItem(self.tr("{0} (not connected)").format(name), self._saved.id)
            self._names[self._saved.id] = self._saved.name
        index = self.device.findData(wanted)
        self.device.setCurrentIndex(max(0, index))
        self.device.blockSignals(False)
        if index < 0 and wanted:  # the device in use went away: follow the system's default
            self._on_device_changed()

    # --- the level test ---------------------------------------------------------------------------

    def testing(self) -> bool:
        return self.test_button.isChecked()

    def recorder(self) -> Recorder | None:
        return self._recorder

    @Slot(bool)
    def _on_toggled(self, checked: bool) -> None:
        self.test_button.setText(self.tr("Stop &test") if checked else self.tr("&Test microphone"))
        if checked:
            self._show_hint(self.tr("Speak: the bar should move into the green."))
            self._start()
        else:
            self._stop_recording()
            self._show_hint(self.tr("Press Test microphone and speak: the bar should move into the green."))

    def _start(self) -> None:
        rec = self._ensure_recorder()
        if rec.state is not State.IDLE:
            self._restart = True
            self._abort()
            return
        if self._temp is None:
            self._temp = tempfile.TemporaryDirectory(
                prefix="star-coach-mic-test-", ignore_cleanup_errors=True
            )
        self.meter.reset()
        self._limit.start()
        rec.start(Path(self._temp.name) / "test.wav", str(self.device.currentData() or ""))

    def _ensure_recorder(self) -> Recorder:
        if self._recorder is None:
            self._recorder = Recorder(self)
        rec = self._recorder
        if self._wired is not rec:
            self._wired = rec
            rec.level.connect(self._on_level)
            rec.error.connect(self._on_error)
            rec.warning.connect(self._show_hint)
            rec.finished.connect(self._on_finished)
        return rec

    @Slot()
    def stop_test(self) -> None:
        if self.test_button.isChecked():
            self.test_button.setChecked(False)  # → _on_toggled → _stop_recording
        else:
            self._stop_recording()

    def _stop_recording(self) -> None:
        self._restart = False
        self._limit.stop()
        self._abort()  # the test take is thrown away
        self.meter.reset()

    def _abort(self) -> None:
        if self._recorder is not None and self._recorder.state is not State.IDLE and not self._aborting:
            self._aborting = True
            self._recorder.abort()

    @Slot()
    def _on_device_changed(self) -> None:
        if self.testing():
            self._start()

    @Slot(float, float)
    def _on_level(self, dbfs: float, peak: float) -> None:
        if self.testing():
            self.meter.show_level(dbfs, peak)

    @Slot(str)
    def _on_error(self, message: str) -> None:
        self._show_hint(message, error=True)

    @Slot(object)
    def _on_finished(self, _result: RecordingResult | None) -> None:
        self._aborting = False
        if self._restart:
            self._restart = False
            if self.testing():
                self._start()
            return
        if self.testing():  # ended by itself: the device failed or went away
            self.test_button.blockSignals(True)
            self.test_button.setChecked(False)
            self.test_button.setText(self.tr("&Test microphone"))
            self.test_button.blockSignals(False)
            self._limit.stop()
            self.meter.reset()

    def _show_hint(self, text: str, error: bool = False) -> None:
        self.hint.setText(text)
        self.hint.setStyleSheet("color: #b00020;" if error else "color: palette(window-text);")
        self.messages_changed.emit()

    def shutdown(self) -> None:
        """Stops a running test; the dialog calls this when it closes."""
        self.test_button.blockSignals(True)
        self.test_button.setChecked(False)
        self.test_button.setText(self.tr("&Test microphone"))
        self.test_button.blockSignals(False)
        self._restart = False
        self._limit.stop()
        self.meter.reset()
        rec, self._recorder = self._recorder, None
        if rec is not None and self._own_recorder:
            rec.shutdown()  # aborts the take; the abort is queued before quit, so the thread ends at once
            rec.deleteLater()
        elif rec is not None and rec.state is not State.IDLE and not self._aborting:
            rec.abort()
        if self._temp is not None:
            self._temp.cleanup()
            self._temp = None
