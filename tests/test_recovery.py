"""No spoken answer is lost: a speech model that fails keeps the recording, and recordings that no
attempt has (a crash, a broken model) are transcribed into History later, marked recovered, once."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.bank.questions import Bank, builtin_bank_path, load_bank
from app.core import paths
from app.core.settings import Settings
from app.history import RECOVERED, Store
from app.practice.recovery import notice, save_recovered, transcribe_recordings
from app.practice.session import Phase, PracticeSession
from app.speech.models import bundled_model_dir
from app.speech.transcribe import WhisperTranscriber
from tests.audio_utils import RecordedClock, espeak, feed

ANSWER = (
    "Last spring our team was about to miss the deadline for a customer report. "
    "My task was to get it delivered within one week. "
    "I split the work into daily goals and met the analysts every morning. "
    "We delivered two days early and the customer renewed the contract."
)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(builtin_bank_path())


def _garbage_model(folder: Path) -> Path:
    """The bundled model's small files beside a model.bin that is not a model."""
    bundled = bundled_model_dir()
    assert bundled is not None
    folder.mkdir(parents=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (folder / name).symlink_to(bundled / name)
    (folder / "model.bin").write_bytes(b"\x00" * 4096)
    return folder


def test_a_broken_speech_model_keeps_the_answer_and_says_why(
    qtbot: QtBot, bank: Bank, tmp_path: Path
) -> None:
    """Before: "Nothing was heard… check the microphone", and the recording was deleted."""
    engine = WhisperTranscriber(str(_garbage_model(tmp_path / "model")))
    practice = PracticeSession(bank, engine, None, Settings(), paths.recordings_dir())
    errors: list[str] = []
    practice.error.connect(errors.append)
    practice.load_model()
    qtbot.waitUntil(lambda: any("could not be loaded" in e for e in errors), timeout=30_000)
    practice.start(bank.by_id("q08"))
    assert practice.phase is Phase.READY  # practice is still allowed
    clock = RecordedClock(practice.elapsed)
    practice.record()
    clock.wait_until(qtbot, 0.5)
    player = feed(espeak(ANSWER, tmp_path / "answer.wav"))
    qtbot.waitUntil(lambda: player.poll() is not None, timeout=60_000)
    clock.wait_more(qtbot, 0.5)
    errors.clear()
    practice.stop()
    qtbot.waitUntil(lambda: practice.phase is Phase.READY, timeout=60_000)
    practice.shutdown()
    said = " ".join(errors)
    assert "could not be transcribed" in said and "Your recording is kept" in said, errors
    assert "Nothing was heard" not in said
    kept = list(paths.recordings_dir().glob("q08-*.wav"))
    assert len(kept) == 1 and kept[0].stat().st_size > 16_000 * 2 * 5  # the whole answer, > 5 s


def test_orphaned_recordings_come_back_once_as_recovered_attempts(
    bank: Bank, whisper: WhisperTranscriber, tmp_path: Path
) -> None:
    """Before: "The recording … belongs to no saved attempt; it was kept", at every start, for ever."""
    folder = paths.recordings_dir()
    folder.mkdir(parents=True, exist_ok=True)
    spoken = espeak(ANSWER, folder / "q08-20261130-101500.recovered.wav")
    with Store.open() as store:
        orphans = store.orphan_recordings()
        assert orphans == [spoken]
        recovered, problems = transcribe_recordings(orphans, whisper, bank, 120)
        assert problems == [] and save_recovered(store, recovered) == 1
        assert notice(1, []) == (
            "1 recording from an earlier session was transcribed and added to History, marked recovered."
        )
        (attempt,) = store.attempts()
        assert attempt.origin == RECOVERED and attempt.question_id == "q08"
        record = store.attempt(attempt.id)
        assert record.audio == spoken and spoken.exists()  # the recording stays where it was
        assert "deadline" in record.transcript.text and record.analysis is not None
        assert store.orphan_recordings() == []  # done once: nothing left to announce
    with Store.open() as store:
        assert store.recovery_messages == [] and store.orphan_recordings() == []
        store.delete_all()
    assert not spoken.exists()


def test_two_answers_to_one_question_in_the_same_second_get_their_own_files() -> None:
    """Two windows starting the same question in the same second once wrote one file name."""
    from app.practice.result import recording_name

    names = {recording_name("q08") for _ in range(50)}
    assert len(names) == 50 and all(n.startswith("q08-") and n.endswith(".wav") for n in names)
