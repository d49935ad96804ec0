"""One answer's outcome as the screens and the history receive it, and where its recording goes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from app.analysis.analyze import Analysis
from app.bank.questions import Question
from app.followups.rules import FollowUp
from app.history import NewAttempt
from app.schedule.grades import grade_of
from app.speech.capture_worker import RecordingResult
from app.speech.transcript import Transcript
from app.stories.bank import Story
from app.stories.match import StoryChoice
from app.stories.written import Comparison


def recording_name(question_id: str) -> str:
    """`<question id>-<date>-<time>-<random>.wav`: unique even for two windows that start the same
    question in the same second (one attempt was once saved without its recording)."""
    return f"{question_id}-{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.wav"


@dataclass(frozen=True)
class PracticeResult:
    question: Question
    recording: RecordingResult
    transcript: Transcript
    analysis: Analysis  # an answer with nothing heard gives no result, only an error
    stop_to_feedback_s: float
    # Filled in by the history worker before the feedback is shown (the session owns the saving):
    attempt_id: int | None = None  # None: not saved (no history, or it failed: `save_error` says why)
    previous: tuple[str, Analysis] | None = None  # (when, analysis) of the attempt before this one
    save_error: str | None = None
    follow_ups: tuple[FollowUp, ...] = ()  # what an interviewer would ask next (app.followups)
    story: StoryChoice | None = None  # which of the person's stories it told (None: no story bank)
    # A rehearsal of a written story (Stories screen): the story, and what the telling left out of it.
    rehearsed: Story | None = None
    comparison: Comparison | None = None

    def for_history(self) -> NewAttempt:
        """What the history saves of this answer (it knows nothing of the practice layer), graded here."""
        return NewAttempt(
            question_id=self.question.id,
            question_text=self.question.question,
            transcript=self.transcript,
            analysis=self.analysis,
            recording=self.recording.path,
            recording_s=self.recording.seconds,
            grade=grade_of(self.analysis),
        )
