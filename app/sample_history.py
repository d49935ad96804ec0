"""A plausible practice history, generated: thousands of attempts for the benchmark and the tests of
the history and statistics screens, without recording anything."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from app.analysis.model import STAR
from app.store import Store

_FAKE: dict[str, list[str]] = {
    "situation": [
        "Last year I was working as a team lead at a logistics company with about forty people.",
        "Our biggest customer was threatening to leave because deliveries kept arriving late.",
        "At the time we were migrating the warehouse system to a new vendor.",
        "The project was already two months behind schedule when I joined.",
    ],
    "task": [
        "My job was to get the rollout back on track before the holiday peak.",
        "I was responsible for finding the root cause and fixing it within a quarter.",
        "My goal was to keep the customer without adding more headcount.",
    ],
    "action": [
        "So I started by mapping every step of the process with the people who did the work.",
        "Then I set up a daily fifteen minute stand-up to unblock issues quickly.",
        "I wrote a small script that flagged late orders before they left the building.",
        "I um negotiated with the vendor to move two engineers onto our account.",
        "After that I trained the night shift on the new scanning workflow myself.",
        "I like reviewed the data every morning and shared a simple dashboard with the customer.",
        "We also cut the number of manual hand-offs from six to two.",
    ],
    "result": [
        "As a result on-time delivery went from 82 percent to 97 percent in ten weeks.",
        "The customer renewed their contract for three more years worth about 2 million dollars.",
        "We finished the migration three weeks early and under budget.",
    ],
    "reflection": [
        "What I learned is to go and see the work before deciding on a fix.",
        "Looking back I would have involved the customer even earlier.",
    ],
}
_FEEDBACK = [
    (
        "setup_long",
        "Your setup took {share:.0%} of the answer; aim for under 30 % and get to your actions sooner.",
    ),
    ("no_numbers", "The result has no numbers; say how much changed, by how much, by when."),
    ("we_not_i", "You said 'we' {we} times in your actions; say what you did yourself."),
    ("fillers", "About {fpm:.0f} fillers per minute; pause instead of saying 'um'."),
    ("over_time", "The answer ran {over:.0f} s over your target; cut the situation to two sentences."),
]


def generate_attempts(
    store: Store, n: int, bank_ids: Sequence[str], seed: int = 0, weeks: int = 8
) -> list[int]:
    """Insert `n` plausible attempts (no audio) spread over the last `weeks` weeks, in one transaction.
    For benchmarks and tests; returns the new ids."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    for _ in range(n):
        qid = rng.choice(list(bank_ids))
        wpm = rng.uniform(115, 175)
        target = 120.0
        labels = [
            lab for lab in STAR if not (lab in ("task", "reflection", "result") and rng.random() < 0.15)
        ]
        words: list[dict[str, Any]] = []
        sentences: list[dict[str, Any]] = []
        t = rng.uniform(0.3, 1.5)
        per_word = 60.0 / wpm
        section_s: dict[str, float] = {}
        fillers = 0
        for lab in labels:
            picks = rng.sample(_FAKE[lab], k=min(len(_FAKE[lab]), 4 if lab == "action" else 2))
            if lab == "action":
                picks = picks * 2
            for text in picks:
                s_start = t
                for w in text.split():
                    dur = per_word * rng.uniform(0.6, 0.9)
                    words.append({"text": w, "start": round(t, 3), "end": round(t + dur, 3)})
                    fillers += w.lower() in ("um", "like")
                    t += per_word * rng.uniform(0.9, 1.1)
                t += rng.uniform(0.2, 2.5) if rng.random() < 0.1 else rng.uniform(0.1, 0.5)
                sentences.append(
                    {"text": text, "section": lab, "start": round(s_start, 2), "end": round(t, 2)}
                )
                section_s[lab] = section_s.get(lab, 0.0) + (t - s_start)
        total = t
        missing = [lab for lab in STAR if lab not in labels]
        fpm = fillers / (total / 60)
        i_count, we_count = rng.randint(4, 20), rng.randint(0, 12)
        quantified = "result" in labels
        setup = (section_s.get("situation", 0) + section_s.get("task", 0)) / total
        long_pauses = rng.choice((0, 0, 0, 1, 1, 2, 3))
        points = []
        for rule, msg in _FEEDBACK:
            if rng.random() < 0.4:
                points.append(
                    {
                        "rule": rule,
                        "message": msg.format(
                            share=setup, we=we_count, fpm=fpm, over=max(0.0, total - target)
                        ),
                        "at": round(rng.uniform(0, total), 2),
                        "quote": "",
                    }
                )
        sections_json = {
            lab: {
                "present": lab in section_s,
                "seconds": round(section_s.get(lab, 0.0), 2),
                "share": round(section_s.get(lab, 0.0) / total, 3),
                "words": sum(len(s["text"].split()) for s in sentences if s["section"] == lab),
            }
            for lab in (*STAR, "other")
        }
        analysis = {
            "question": qid,
            "sentences": sentences,
            "sections": sections_json,
            "missing": missing,
            "order_ok": True,
            "order_problems": [],
            "metrics": {
                "timing": {
                    "total_seconds": round(total, 2),
                    "target_seconds": target,
                    "speaker_wpm": round(wpm, 1),
                },
                "delivery": {
                    "wpm": round(wpm, 1),
                    "word_count": len(words),
                    "fillers": {"count": fillers, "per_minute": round(fpm, 2)},
                    "pauses": {"count": long_pauses},
                    "pronouns": {"i": i_count, "we": we_count},
                    "quantified": quantified,
                },
                "went_well": ["You ended with a lesson learned."] if "reflection" in labels else [],
            },
            "feedback": points,
        }
        transcript = {
            "engine": "whisper",
            "model": "tiny.en",
            "audio_seconds": round(total + 0.8, 3),
            "elapsed_seconds": 0.0,
            "text": " ".join(s["text"] for s in sentences),
            "nothing_heard": False,
            "words": words,
        }
        started = now - timedelta(seconds=rng.uniform(0, weeks * 7 * 86400))
        rows.append(
            {
                "question_id": qid,
                "question_text": "",
                "started_at": started.replace(microsecond=0).isoformat(),
                "engine": "whisper",
                "model": "tiny.en",
                "duration_s": round(total + 0.8, 2),
                "total_s": round(total, 2),
                "target_s": target,
                "wpm": round(wpm, 1),
                "fillers_per_min": round(fpm, 2),
                "long_pauses": long_pauses,
                "i_count": i_count,
                "we_count": we_count,
                "quantified": int(quantified),
                "missing": json.dumps(missing),
                "section_seconds": json.dumps({k: round(v, 2) for k, v in section_s.items()}),
                "audio_path": None,
                "audio_bytes": 0,
                "audio_source": None,
                "transcript": json.dumps(transcript),
                "analysis": json.dumps(analysis),
                "status": "complete",
            }
        )
    return store.insert_complete(rows)
