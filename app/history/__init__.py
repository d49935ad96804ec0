"""Practice history: every finished answer in one SQLite file, never half-saved, read back as plain
records. The store depends on nothing above it: the practice layer hands it a `NewAttempt`."""

from app.history.records import (
    AttemptRecord,
    AttemptSummary,
    GradedAnswer,
    NewAttempt,
    OverallStats,
    QuestionStats,
    StoreError,
    attempt_row,
)
from app.history.schema import DB_NAME, MIGRATIONS, PRACTICE, RECOVERED, SCHEMA_VERSION
from app.history.store import Store

__all__ = [
    "DB_NAME",
    "MIGRATIONS",
    "PRACTICE",
    "RECOVERED",
    "SCHEMA_VERSION",
    "AttemptRecord",
    "AttemptSummary",
    "GradedAnswer",
    "NewAttempt",
    "OverallStats",
    "QuestionStats",
    "Store",
    "StoreError",
    "attempt_row",
]
