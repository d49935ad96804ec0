"""Follow-up replies are saved with their attempt, read back in order, replaced when answered again,
and deleted with the attempt, recordings included (issue 17, item 1)."""

from __future__ import annotations

from pathlib import Path

from app.history import Store
from app.history.follow_ups import FOLLOW_UP_DIR, NewFollowUp
from app.speech.transcript import Transcript, Word
from tests.test_store import db_path, make_result, write_wav


def _reply(position: int, text: str, recording: Path | None, gave: bool = True) -> NewFollowUp:
    words = tuple(Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(text.split()))
    transcript = Transcript(words, text, "whisper", "tiny.en", words[-1].end)
    return NewFollowUp(
        position, "measure", "How did you measure the impact?", "number", transcript, words[-1].end, gave,
        "You gave a number." if gave else "No number in your reply.", recording,
    )  # fmt: skip


def test_replies_are_saved_in_order_replaced_and_deleted_with_their_attempt(
    tmp_path: Path, star_home: Path
) -> None:
    with Store.open(db_path()) as store:
        attempt = store.save_attempt(make_result(write_wav(tmp_path / "answer.wav")).for_history(), True)
        rec_dir = store.data_dir / "recordings"
        first = write_wav(rec_dir / "follow-ups" / "q08-follow-up1.wav")
        store.save_follow_up(attempt, _reply(2, "I asked the team what had changed", None), keep_audio=True)
        store.save_follow_up(attempt, _reply(1, "It went up by about a third", first, gave=False), True)
        replies = store.follow_ups(attempt)
        assert [(r.position, r.text, r.gave) for r in replies] == [
            (1, "It went up by about a third", False),
            (2, "I asked the team what had changed", True),
        ]
        assert replies[0].audio_path == f"{FOLLOW_UP_DIR}/q08-follow-up1.wav"
        assert (store.data_dir / replies[0].audio_path).is_file()
        assert store.orphan_recordings() == []  # a reply's recording is not taken for a lost answer

        again = write_wav(tmp_path / "again.wav")  # answered again: the new reply replaces the old
        store.save_follow_up(attempt, _reply(1, "Sales rose 12 percent in a month", again), True)
        [one, _] = store.follow_ups(attempt)
        assert one.text == "Sales rose 12 percent in a month" and one.gave
        assert not first.exists() and (store.data_dir / str(one.audio_path)).is_file()

        store.delete_attempt(attempt)
        assert store.follow_ups(attempt) == []
        assert not (store.data_dir / str(one.audio_path)).exists()


def test_a_reply_is_not_kept_when_recordings_are_not(tmp_path: Path, star_home: Path) -> None:
    with Store.open(db_path()) as store:
        attempt = store.save_attempt(make_result(write_wav(tmp_path / "answer.wav")).for_history(), False)
        wav = write_wav(tmp_path / "reply.wav")
        store.save_follow_up(attempt, _reply(1, "Waiting times fell by half", wav), keep_audio=False)
        [reply] = store.follow_ups(attempt)
        assert reply.audio_path is None and not wav.exists()
        assert store.delete_all() == 1 and store.follow_ups(attempt) == []
