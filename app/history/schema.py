"""The history's tables, and how each older file is brought up to date: versioned with
`PRAGMA user_version`, upgraded by `MIGRATIONS` in order, one transaction each."""

from __future__ import annotations

DB_NAME = "history.sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"

INSERT_ATTEMPT = (
    "INSERT INTO attempts (question_id, started_at, status, engine, model, duration_s, total_s, "
    "target_s, wpm, fillers_per_min, long_pauses, i_count, we_count, quantified, missing, "
    "section_seconds, audio_path, audio_bytes, audio_source, transcript, analysis, origin, record, grade) VALUES "
    "(:question_id, :started_at, :status, :engine, :model, :duration_s, :total_s, :target_s, "
    ":wpm, :fillers_per_min, :long_pauses, :i_count, :we_count, :quantified, :missing, "
    ":section_seconds, :audio_path, :audio_bytes, :audio_source, :transcript, :analysis, :origin, :record, :grade)"
)

# How many sections of an attempt the labeller found unclear (0: none), from the saved analysis: the
# record, or the `analysis` column before schema 4. A complete STAR answer has none missing and none
# unclear (app.history.reading.COMPLETE); v10 indexes this, so Statistics does not read every record
# (5,000 attempts: about 1 s without the index, 2 ms with it).
UNCLEAR_SECTIONS = (
    "(CASE WHEN json_valid(record) THEN COALESCE(instr(json_extract(record, '$.analysis.findings'), "
    "'\"unclear\"'), 0) WHEN json_valid(analysis) THEN COALESCE(json_array_length(analysis, '$.unclear'), 0) "
    "ELSE 0 END)"
)

# Each migration is a list of statements, run in one transaction with the new user_version.
MIGRATIONS: list[list[str]] = [
    [  # v1
        """CREATE TABLE questions (
            id TEXT PRIMARY KEY,
            text TEXT NOT NULL DEFAULT ''
        )""",
        """CREATE TABLE attempts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            question_id TEXT NOT NULL REFERENCES questions(id),
            started_at TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('saving', 'complete')),
            engine TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            duration_s REAL NOT NULL DEFAULT 0,
            total_s REAL NOT NULL DEFAULT 0,
            wpm REAL,
            fillers_per_min REAL,
            long_pauses INTEGER NOT NULL DEFAULT 0,
            i_count INTEGER NOT NULL DEFAULT 0,
            we_count INTEGER NOT NULL DEFAULT 0,
            quantified INTEGER NOT NULL DEFAULT 0,
            missing TEXT NOT NULL DEFAULT '[]',
            section_seconds TEXT NOT NULL DEFAULT '{}',
            audio_path TEXT,
            audio_bytes INTEGER NOT NULL DEFAULT 0,
            audio_source TEXT,
            transcript TEXT NOT NULL,
            analysis TEXT
        )""",
    ],
    [  # v2: the target length as a column (backfilled from the analysis), and per-question lookups
        "ALTER TABLE attempts ADD COLUMN target_s REAL",
        "UPDATE attempts SET target_s = json_extract(analysis, '$.metrics.timing.target_seconds')",
        "CREATE INDEX attempts_question_started ON attempts(question_id, started_at)",
        "CREATE INDEX attempts_started ON attempts(started_at)",
    ],
    [  # v3: where an attempt came from: a practice, or a recording recovered after a crash or a failure
        "ALTER TABLE attempts ADD COLUMN origin TEXT NOT NULL DEFAULT 'practice'",
    ],
    [  # v4: the analysis as a typed, versioned record (labels, the person's corrections, feedback)
        "ALTER TABLE attempts ADD COLUMN record TEXT",
    ],
    [  # v5: the follow-up questions asked after an answer, and the spoken replies to them
        """CREATE TABLE follow_ups (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            rule TEXT NOT NULL,
            asked TEXT NOT NULL,
            asks_for TEXT NOT NULL,
            answered_at TEXT NOT NULL,
            seconds REAL NOT NULL DEFAULT 0,
            transcript TEXT NOT NULL,
            gave INTEGER NOT NULL,
            verdict TEXT NOT NULL,
            audio_path TEXT,
            UNIQUE (attempt_id, position)
        )""",
    ],
    [  # v6: each answer's grade for the practice schedule (app.schedule), and the person's own, if set;
        # earlier answers are graded from what was missing, the one figure they all have.
        "ALTER TABLE attempts ADD COLUMN grade INTEGER CHECK (grade BETWEEN 1 AND 4)",
        "ALTER TABLE attempts ADD COLUMN grade_set INTEGER CHECK (grade_set BETWEEN 1 AND 4)",
        "UPDATE attempts SET grade = CASE WHEN missing = '[]' THEN 3 ELSE 1 END",
    ],
    [  # v7: the person's story bank, and which story each answer told (app.stories)
        """CREATE TABLE stories (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL CHECK (length(trim(title)) > 0),
            summary TEXT NOT NULL DEFAULT '',
            principles TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE attempt_stories (
            attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
            story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            chosen_by TEXT NOT NULL CHECK (chosen_by IN ('app', 'person'))
        )""",
        "CREATE INDEX attempt_stories_story ON attempt_stories(story_id)",
    ],
    [  # v8: mock loops and their reports (app.practice.loop_report)
        """CREATE TABLE loops (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at TEXT NOT NULL,
            report TEXT NOT NULL
        )""",
    ],
    [  # v9: a story's written STAR version (the Stories screen), compared with its spoken tellings
        "ALTER TABLE stories ADD COLUMN written TEXT NOT NULL DEFAULT ''",
    ],
    [  # v10: which attempts are complete STAR answers, without reading every record (UNCLEAR_SECTIONS)
        f"CREATE INDEX attempts_complete ON attempts(status, missing, {UNCLEAR_SECTIONS})",
    ],
]
PRACTICE, RECOVERED = "practice", "recovered"
SCHEMA_VERSION = len(MIGRATIONS)

# What History lists, read by column name (app.history.records.summary).
SUMMARY_COLUMNS = (
    "a.id, a.question_id, COALESCE(q.text, '') AS question_text, a.started_at, a.engine, a.model, a.duration_s, a.total_s, "
    "a.target_s, a.wpm, a.fillers_per_min, a.long_pauses, a.i_count, a.we_count, a.quantified, a.missing, "
    "a.section_seconds, a.audio_path, a.audio_bytes, a.origin"
)
FROM_ATTEMPTS = "FROM attempts a LEFT JOIN questions q ON q.id = a.question_id"
