"""Attempts out of the history: one as Markdown, all as CSV for a spreadsheet or as JSON, each file
written whole or not at all."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from app.analysis.timing import clock
from app.analysis.types import SECTION_TITLES, STAR
from app.history import files
from app.history.reading import Reading
from app.history.schema import SCHEMA_VERSION


class Exporting(Reading):
    """The exports of `Store` (app.history.store)."""

    def export_attempt_markdown(self, attempt_id: int) -> str:
        rec = self.attempt(attempt_id)
        s, a = rec.summary, rec.analysis or {}
        when = datetime.fromisoformat(s.started_at).astimezone().strftime("%Y-%m-%d %H:%M")
        target = f" (target {clock(s.target_s)})" if s.target_s else ""
        lines = [
            f"# {s.question_text or s.question_id}",
            "",
            f"- Question: {s.question_id}",
            f"- Date: {when}",
            f"- Length: {clock(s.total_s)}{target}",
            f"- Pace: {_num(s.wpm)} words per minute; fillers: {_num(s.fillers_per_min)} per minute",
            f"- Missing: {', '.join(SECTION_TITLES.get(m, m) for m in s.missing) or 'nothing'}",
            f"- Engine: {s.engine} {s.model}".rstrip(),
            "",
            "## Answer",
            "",
        ]
        sentences = a.get("sentences") or []
        if sentences:
            current = None
            for sent in sentences:
                label = str(sent.get("section", "other"))
                if label != current:
                    if current is not None:
                        lines.append("")
                    lines.append(f"**{SECTION_TITLES.get(label, label)}** ({clock(float(sent['start']))})")
                    current = label
                lines.append(str(sent["text"]))
        else:
            lines.append(rec.transcript.text or "(nothing heard)")
        lines += ["", "## Timeline", "", "| Section | Seconds | Share |", "|---|---:|---:|"]
        for label, t in (a.get("sections") or {}).items():
            if t.get("present"):
                lines.append(
                    f"| {SECTION_TITLES.get(label, label)} | {float(t['seconds']):.1f} | {float(t['share']):.0%} |"
                )
        lines += ["", "## Feedback", ""]
        for p in a.get("feedback") or []:
            at = f" (at {clock(float(p['at']))})" if p.get("at") is not None else ""
            lines.append(f"- {p['message']}{at}")
        went_well = (a.get("metrics") or {}).get("went_well") or []
        if went_well:
            lines += ["", "## Went well", ""] + [f"- {g}" for g in went_well]
        return "\n".join(lines) + "\n"

    def export_csv(self, path: Path) -> int:
        """Every attempt's summary and transcript as one CSV row, figures rounded for a spreadsheet
        (104.25999999999999 was written before); returns the number of rows."""
        rows = self.attempts()
        said = {
            int(r["id"]): r["text"]
            for r in self._conn.execute(
                "SELECT id, json_extract(transcript, '$.text') AS text FROM attempts WHERE status = 'complete'"
            )
        }
        columns = [
            "id",
            "question_id",
            "question_text",
            "started_at",
            "engine",
            "model",
            "duration_s",
            "total_s",
            "target_s",
            "wpm",
            "fillers_per_min",
            "long_pauses",
            "i_count",
            "we_count",
            "quantified",
            "missing",
            *(f"{label}_s" for label in STAR),
            "audio_path",
            "transcript",
        ]

        def cell(value: Any) -> Any:
            return "" if value is None else round(value, 2) if isinstance(value, float) else value

        def write(f: IO[str]) -> None:
            w = csv.writer(f)
            w.writerow(columns)
            for s in rows:
                d = s.to_json()
                d["missing"] = " ".join(s.missing)
                d["quantified"] = int(s.quantified)
                for label in STAR:
                    d[f"{label}_s"] = s.section_seconds.get(label, 0.0)
                d["transcript"] = (said.get(s.id) or "").strip()
                w.writerow([cell(d[c]) for c in columns])

        files.atomic_stream(path, write, newline="")
        return len(rows)

    def export_json(self, path: Path) -> int:
        """Every attempt with its transcript and analysis, oldest first; returns the number written."""
        ids = [
            int(r["id"])
            for r in self._conn.execute(
                "SELECT id FROM attempts WHERE status = 'complete' ORDER BY started_at, id"
            )
        ]

        def write(f: IO[str]) -> None:
            f.write(f'{{"format": 1, "schema": {SCHEMA_VERSION}, "attempts": [\n')
            for i, attempt_id in enumerate(ids):
                rec = self.attempt(attempt_id)
                item = {
                    **rec.summary.to_json(),
                    "transcript": rec.transcript.to_json(),
                    "analysis": rec.analysis,
                }
                f.write(("" if i == 0 else ",\n") + json.dumps(item, ensure_ascii=False))
            f.write("\n]}\n")

        files.atomic_stream(path, write)
        return len(ids)


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.0f}"
