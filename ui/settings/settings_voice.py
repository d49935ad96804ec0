"""Settings › Voice: which voice reads the questions, how fast, and a preview through QuestionReader."""

from __future__ import annotations

import re
from contextlib import suppress
from typing import NamedTuple

import shiboken6
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.jobs import run_task
from app.speech.ask import QuestionReader
from app.speech.playback import QtPlayer
from app.speech.tts import Speaker
from app.speech.tts_engine import Voice

MIN_WPM, MAX_WPM = 80, 300  # slower or faster than this is no help for practising
SAMPLE = "Tell me about a time you had to meet a tight deadline. What did you do?"


class _EngineInfo(NamedTuple):
    voices: list[Voice]
    default_voice: str | None
    reason: str  # "" when speech is available


def _english_tag(tag: str) -> bool:
    """ "en", "en-gb-x-rp", "en_US", "english-us"; espeak's drivers may keep a leading priority byte."""
    t = re.sub(r"^[^a-z]+", "", tag.strip().lower())
    return t == "en" or t.startswith(("en-", "en_", "english"))


def is_english(v: Voice) -> bool:
    """By its language, else its id's last part ("gmw/en-gb-scotland", a SAPI token "…_EN-US_ZIRA"),
    else its name: drivers fill these differently, and only "/en" and "/en-us" ids were recognised, so
    seven of espeak-ng's nine English voices could sort among the 120 other languages."""
    last = re.split(r"[/\\]", v.id)[-1]
    return (
        any(_english_tag(lang) for lang in v.languages)
        or _english_tag(last)
        or bool(re.search(r"_en[-_]", last, re.I))
        or v.name.lower().startswith("english")
    )


def ordered_voices(voices: list[Voice]) -> list[Voice]:
    """English voices first (the app reads English questions), then the rest, each group by name (the
    default has its own first item)."""
    return sorted(voices, key=lambda v: (not is_english(v), v.name.casefold(), v.id))


def _engine_info(speaker: Speaker) -> _EngineInfo:
    """Runs on the thread pool: `voices()` waits for the engine to start."""
    voices = speaker.voices()
    return _EngineInfo(voices, speaker.default_voice(0), speaker.reason(0))


class VoiceSection(QGroupBox):
    messages_changed = Signal()  # a message below the controls changed: it may need more room

    def __init__(self, speaker: Speaker | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Voice"))
        self._speaker = speaker
        self._reader: QuestionReader | None = None
        self._loaded = False
        self._voice_id = ""  # the setting, kept as is until the voices are known

        self.voice = QComboBox()
        self.voice.setAccessibleName(self.tr("Voice"))
        self.voice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.voice.setMinimumContentsLength(28)
        self.voice.setMaxVisibleItems(15)
        self.voice_label = QLabel(self.tr("&Voice:"))
        self.voice_label.setBuddy(self.voice)

        self.rate_slider = QSlider(Qt.Orientation.Horizontal)
        self.rate_slider.setRange(MIN_WPM, MAX_WPM)
        self.rate_slider.setPageStep(20)
        self.rate_slider.setAccessibleName(self.tr("Speaking rate slider"))
        self.rate = QSpinBox()
        self.rate.setRange(MIN_WPM, MAX_WPM)
        self.rate.setSingleStep(5)
        self.rate.setSuffix(self.tr(" words/min"))
        self.rate.setAccessibleName(self.tr("Speaking rate in words per minute"))
        self.rate_slider.valueChanged.connect(self.rate.setValue)
        self.rate.valueChanged.connect(self.rate_slider.setValue)
        self.rate_label = QLabel(self.tr("Speaking &rate:"))
        self.rate_label.setBuddy(self.rate_slider)

        self.preview = QPushButton(self.tr("&Preview"))
        self.preview.setAutoDefault(False)  # Enter is the dialog's OK, not this button
        self.preview.setAccessibleName(self.tr("Preview voice"))
        self.preview.setToolTip(self.tr("Read a sample question aloud with this voice and rate"))
        self.preview.clicked.connect(self._preview)
        self.status = QLabel(wordWrap=True)
        self.status.setAccessibleName(self.tr("Voice status"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Always shown, one line high at least: "Preparing the sample…", "Playing the sample…" and
        # nothing came and went, and everything below moved twice per preview (issue 27).
        self.status.setMinimumHeight(self.status.fontMetrics().lineSpacing())

        rate_row = QHBoxLayout()
        rate_row.addWidget(self.rate_slider, 1)
        rate_row.addWidget(self.rate)
        voice_row = QHBoxLayout()
        voice_row.addWidget(self.voice, 1)
        voice_row.addWidget(self.preview)
        form = QFormLayout()
        form.addRow(self.voice_label, voice_row)
        form.addRow(self.rate_label, rate_row)
        col = QVBoxLayout(self)
        col.addLayout(form)
        col.addWidget(self.status)  # outside the form: a form sizes wrapped text badly

        self._set_enabled(False)
        if speaker is None:
            self._show_unavailable(self.tr("Questions cannot be read aloud: no speech engine is running."))
        else:
            self.voice.addItem(self.tr("Loading voices…"), "")
            self._set_status(self.tr("Starting the speech engine…"))
            run_task(lambda: _engine_info(speaker), self._on_engine_info, self._on_engine_error)

    def labels(self) -> list[QLabel]:
        return [self.voice_label, self.rate_label]

    def messages(self) -> list[QLabel]:
        return [self.status]

    def focus_chain(self) -> list[QWidget]:
        return [self.voice, self.preview, self.rate_slider, self.rate]

    def loaded(self) -> bool:
        """The voices are listed and the controls usable."""
        return self._loaded

    # --- values ------------------------------------------------------------------------------

    def set_values(self, voice_id: str, rate: int) -> None:
        self._voice_id = voice_id
        self.rate.setValue(max(MIN_WPM, min(MAX_WPM, rate)))
        if self._loaded:
            self._select(voice_id)

    def values(self) -> tuple[str, int]:
        voice_id = str(self.voice.currentData() or "") if self._loaded else self._voice_id
        return voice_id, self.rate.value()

    def _select(self, voice_id: str) -> None:
        index = self.voice.findData(voice_id)
        self.voice.setCurrentIndex(max(0, index))  # a voice no longer installed: the default

    # --- the engine ---------------------------------------------------------------------------

    def _on_engine_info(self, info: _EngineInfo) -> None:
        if not shiboken6.isValid(self):  # the dialog closed before the engine answered
            return
        if info.reason or not info.voices:
            self._show_unavailable(
                info.reason or self.tr("Questions cannot be read aloud: the speech engine has no voices.")
            )
            return
        names = {v.id: v.name for v in info.voices}
        self.voice.clear()
        default_name = names.get(info.default_voice or "", "")
        self.voice.addItem(
            self.tr("Default ({0})").format(default_name) if default_name else self.tr("Default"), ""
        )
        ordered = ordered_voices(info.voices)
        english = sum(is_english(v) for v in ordered)
        for i, v in enumerate(ordered):
            if i == english > 0:  # a line between the English voices and the other languages
                self.voice.insertSeparator(self.voice.count())
            self.voice.addItem(v.name, v.id)
        self._loaded = True
        self._select(self._voice_id)
        self._set_enabled(True)
        self._set_status("")

    def _on_engine_error(self, message: str) -> None:
        if shiboken6.isValid(self):
            self._show_unavailable(message)

    def _show_unavailable(self, reason: str) -> None:
        self.voice.clear()
        self.voice.addItem(self.tr("No voices available"), "")
        self._set_enabled(False)
        self._set_status(reason, error=True)

    def _set_enabled(self, enabled: bool) -> None:
        for w in (self.voice, self.rate_slider, self.rate, self.preview):
            w.setEnabled(enabled)

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")
        self.messages_changed.emit()

    # --- preview ------------------------------------------------------------------------------

    def reader(self) -> QuestionReader | None:
        return self._reader

    def _ensure_reader(self, speaker: Speaker) -> QuestionReader:
        if self._reader is None:
            self._reader = QuestionReader(speaker, QtPlayer(parent=self), self)
            self._reader.started.connect(lambda: self._set_status(self.tr("Playing the sample…")))
            self._reader.finished.connect(lambda: self._set_status(""))
            self._reader.failed.connect(lambda message: self._set_status(message, error=True))
        return self._reader

    @Slot()
    def _preview(self) -> None:
        speaker = self._speaker
        if speaker is None or not self._loaded:
            return
        reader = self._ensure_reader(speaker)
        voice_id, rate = self.values()
        # The request takes voice and rate with it, so the app's speaker is left as it was.
        old_voice, old_rate = speaker.voice(), speaker.rate()
        try:
            speaker.set_voice(voice_id or None)
            speaker.set_rate(rate)
            self._set_status(self.tr("Preparing the sample…"))
            reader.ask(SAMPLE)
        except ValueError:
            self._set_status(self.tr("This voice is not available any more; choose another."), error=True)
        finally:
            speaker.set_voice(old_voice)
            speaker.set_rate(old_rate)

    def apply_to_speaker(self) -> None:
        """After OK: the app's speaker uses the chosen voice and rate from now on."""
        if self._speaker is None or not self._loaded:
            return
        voice_id, rate = self.values()
        with suppress(ValueError):  # a voice this engine does not offer: the default stays
            self._speaker.set_voice(voice_id or None)
        self._speaker.set_rate(rate)

    def shutdown(self) -> None:
        if self._reader is not None:
            self._reader.stop()
