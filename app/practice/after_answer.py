"""What happens to an answer after Stop: whether it can be analysed at all; then, off the GUI thread,
its analysis (with the follow-ups it calls for and the comparison with a written story rehearsed), its
save with the story it told, and the second listen for fillers and how it sounded.
app/practice/session.py runs each as a job and shows what comes back."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import replace
from pathlib import Path

from app.analysis import sentences as sent
from app.analysis.analyze import Analysis, analyze, with_hesitations
from app.analysis.sound import measure_sound
from app.bank.questions import Bank, Question
from app.followups.rules import FollowUp, choose
from app.history import Store, StoreError
from app.practice.attempts import last_attempt, remember_story
from app.practice.result import PracticeResult
from app.speech.answer import AnswerResult
from app.speech.audio import Samples, decode_audio
from app.speech.fillers import second_listen
from app.speech.transcript import Transcriber, Transcript
from app.stories.bank import Story
from app.stories.written import DEFAULT_WPM, Comparison, compare, read_written

log = logging.getLogger(__name__)

# The analysis, the answer's samples (None: not read), its follow-ups, the comparison with a rehearsal.
Analysed = tuple[Analysis, Samples | None, tuple[FollowUp, ...], Comparison | None]


def unusable(result: AnswerResult) -> tuple[str, bool] | None:
    """Why an answer cannot be analysed, as the person is told, and whether its recording goes (nothing
    was heard in it); None: it can be."""
    if result.transcription_errors and not result.recording.silent:
        # The speech model failed, not the person: keep the recording for when a model works.
        return (
            f"This answer could not be transcribed: {result.transcription_errors[0]} "
            "Your recording is kept, and it is transcribed and added to History once the speech "
            "model works (Settings, Speech).",
            False,
        )
    if result.transcript.not_english and not result.recording.silent:
        # tiny.en turns other languages into English nonsense (or nothing): feedback on it would be
        # made up, and "nothing heard" would delete a real answer. Keep the recording, say why.
        return (
            "This answer does not sound like English. STAR Coach understands English only; "
            f"your recording is kept as {result.recording.path.name}.",
            False,
        )
    if result.recording.silent or result.transcript.nothing_heard:
        return (
            "Nothing was heard in that answer. Check that the right microphone is selected in "
            "Settings and that it is not muted, then try again.",
            True,
        )
    return None


def analyse(
    transcript: Transcript,
    recording: Path,
    bank: Bank,
    question: Question,
    engine: str,
    target_seconds: int,
    cut_off: bool,
    asks: int,
    rehearsed: Story | None,
) -> Analysed:
    """The answer analysed, its samples read for the second listen, its follow-ups chosen."""
    analysis = analyze(
        sent.from_transcript(transcript),
        bank,
        question,
        engine=engine,
        target_seconds=target_seconds,
        cut_off=cut_off,
    )
    comparison = None
    if rehearsed is not None and rehearsed.written:
        wpm = analysis.delivery.wpm or DEFAULT_WPM
        comparison = compare(read_written(rehearsed.written, bank, question, wpm), analysis)
    try:  # read now: the history may delete the file once the attempt is saved
        samples: Samples | None = decode_audio(recording)
    except Exception as e:
        log.warning("no second listen for fillers: %s", e)
        samples = None
    return analysis, samples, tuple(choose(analysis, question, asks)), comparison


def save_answer(store: Store, first: PracticeResult, bank: Bank, keep_audio: bool) -> PracticeResult:
    """On the history worker: the attempt before this one ("since your last try"), this one saved, and
    the story it told guessed; a failed save is said on the result, never raised."""
    previous = last_attempt(store, bank, first.question.id)
    try:
        saved = store.save_attempt(first.for_history(), keep_audio=keep_audio)
    except StoreError as e:
        return replace(first, previous=previous, save_error=str(e))
    try:
        story = remember_story(store, saved, first.transcript.text, first.rehearsed)
    except (StoreError, sqlite3.Error) as e:  # the answer is saved; only the guess is lost
        log.warning("story not suggested: %s", e)
        story = None
    return replace(first, previous=previous, attempt_id=saved, story=story)


def listen_again(engine: Transcriber, first: PracticeResult, samples: Samples) -> PracticeResult | None:
    """The second listen: fillers counted from every word, and how it sounded (None: neither)."""
    words = second_listen(engine, samples)  # every word: the analysis counts the fillers
    try:  # how it sounded: pitch and loudness from the same samples (a few seconds)
        sound = measure_sound(samples, first.analysis.sentences)
    except Exception as e:  # a measure that fails leaves the feedback as it was
        log.warning("how it sounded was not measured: %s", e)
        sound = None
    if words is None and sound is None:
        return None
    return replace(first, analysis=with_hesitations(first.analysis, words, first.question, sound))
