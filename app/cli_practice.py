"""The command line's practice commands (issue 17): the follow-ups the app would ask, and the
shared reading of an answer file that `analyze` uses too. Registered by app.cli."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.bank.questions import Bank, BankError, Question, load_bank_or_builtin, principle_list
from app.core import paths

if TYPE_CHECKING:
    from app.analysis.analyze import Analysis
    from app.analysis.types import Sentence
    from app.history import Store
    from app.stories.bank import Story


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise BankError(f"{path}: cannot be read ({e})") from None


def read_answer(src: Path, lines: bool = False, wpm: float = 150) -> tuple[list[Sentence], str | None]:
    """An answer's sentences from a transcript JSON (`transcribe --json`) or plain text, and the
    engine that heard it (None for text)."""
    from app.analysis import sentences as sent
    from app.speech.transcript import Transcript

    raw = read_text(src)
    engine = None
    if raw.lstrip().startswith("{"):
        try:
            transcript = Transcript.from_json(json.loads(raw))
        except (ValueError, KeyError, TypeError) as e:
            raise BankError(f"{src}: not a transcript as printed by `transcribe --json` ({e})") from None
        sentences = sent.from_transcript(transcript)
        engine = transcript.engine
    else:
        sentences = sent.from_text(raw, lines=lines, wpm=wpm)
    if not sentences:
        raise BankError(f"{src}: nothing to analyse: it holds no words")
    return sentences, engine


def open_history() -> Store:
    """The history as the app opens it (a damaged one is salvaged once), what happened on stderr."""
    from app.history import Store

    store = Store.recover()
    for message in store.recovery_messages:
        print(f"note: {message}", file=sys.stderr)
    return store


def user_bank() -> Bank:
    loaded = load_bank_or_builtin(paths.user_bank_path())
    if loaded.warning:
        print(f"note: {loaded.warning}", file=sys.stderr)
    return loaded.bank


def find_question(bank: Bank, question_id: str) -> Question:
    try:
        return bank.by_id(question_id)
    except KeyError:
        raise BankError(f"no question with id {question_id!r} (see `python main.py questions`)") from None


def _cmd_followups(args: argparse.Namespace) -> int:
    from app.analysis.analyze import analyze
    from app.followups.judge import judge_reply
    from app.followups.rules import ASKS, choose

    sentences, engine = read_answer(Path(args.input), lines=args.lines)
    bank = user_bank()
    question = find_question(bank, args.question)
    analysis = analyze(sentences, bank, question, engine=engine)
    chosen = choose(analysis, question, args.limit)
    verdict = None
    if args.reply:
        if not chosen:
            raise BankError("this answer gets no follow-up, so there is nothing to judge the reply against")
        reply, _ = read_answer(Path(args.reply))
        from app.analysis.labeller_files import default_labeller

        verdict = judge_reply(chosen[0].rule.asks_for, reply, chosen[0].text, default_labeller(bank))
    if args.json:
        out: dict[str, Any] = {"question": question.id, "follow_ups": [f.to_json() for f in chosen]}
        if verdict is not None:
            out["reply"] = {"follow_up": chosen[0].rule.id, **verdict.to_json()}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not chosen:
        print(
            "no follow-up: the question exercises no principle with one, and the answer has no gap to dig into"
        )
    for n, f in enumerate(chosen, 1):
        print(f"{n}. {f.text}\n   rule {f.rule.id}: {f.reason} A reply should give {ASKS[f.rule.asks_for]}.")
    if verdict is not None:
        print(f"\nreply to 1: {'gave it' if verdict.gave else 'did not give it'}. {verdict.message}")
    return 0


def _cmd_due(args: argparse.Namespace) -> int:
    """What the home screen's "Due today" shows (app.schedule.today); `--all`: every practised
    question with its next date."""
    from app.schedule.due import plans
    from app.schedule.today import question_titles, today

    bank = user_bank()
    with open_history() as store:
        due = today(store, bank)
        reviews = store.reviews() if args.all else {}
    titles = question_titles(bank)
    chosen = plans({k: v for k, v in reviews.items() if k in titles}, titles) if args.all else due.plans
    now = due.now
    if args.json:
        out = {
            "now": now.isoformat(),
            "due": [p.to_json(now) for p in chosen],
            "never_practised": due.never_practised,
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return 0
    for p in chosen:
        when = p.due.astimezone().strftime("%a %d %b %H:%M")
        print(f"{p.key:>5}  due {when}  {p.title}\n       {p.reason(now)}")
    print(
        f"{len(chosen)} {'planned' if args.all else 'due today'}; {len(due.never_practised)} never practised"
    )
    return 0


def _cmd_grade(args: argparse.Namespace) -> int:
    from app.schedule.grades import GRADE_BY_NAME

    grade = None if args.grade == "auto" else GRADE_BY_NAME[args.grade]
    with open_history() as store:
        store.set_grade(args.attempt, grade)
    print(f"attempt {args.attempt}: {'graded by the app again' if grade is None else args.grade}")
    return 0


def _cmd_stories(args: argparse.Namespace) -> int:
    from app.core.files import atomic_write_text
    from app.stories.bank import from_history, parse_file, to_file
    from app.stories.coverage import readiness, uncovered

    with open_history() as store:
        if args.import_file:
            added = store.import_stories(parse_file(read_text(Path(args.import_file))))
            print(f"imported {added} stories from {args.import_file}")
            return 0
        stories, uses = from_history(store.stories()), store.story_uses()
        pace = store.recent_pace() if args.written is not None else None
    if args.written is not None:
        return _print_written(stories, args.written, pace, args.json)
    if args.export_file:
        atomic_write_text(Path(args.export_file), to_file(stories))
        print(f"{len(stories)} stories -> {args.export_file}")
        return 0
    rows = readiness(stories, uses)
    told = {s.id: sum(1 for u in uses if u.story_id == s.id) for s in stories}
    if args.json:
        out = {
            "stories": [{**s.model_dump(), "told": told[s.id]} for s in stories],
            "principles": [r.to_json() for r in rows],
            "principles_without_a_story": uncovered(stories),
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return 0
    for s in stories:
        print(
            f"{s.id:>4}  {s.title}  (told {told[s.id]}x)\n      {principle_list(s.principles) or 'no principle yet'}"
        )
    print(f"{len(stories)} stories\n")
    for r in rows:
        mark = "\u2713" if r.covered else "-"
        print(f" {mark} {r.principle:<45} {len(r.stories)} stories, {r.attempts} answers")
    missing = uncovered(stories)
    print(
        f"\n{16 - len(missing)} of 16 principles have a story"
        + (f"; none yet for: {', '.join(missing)}" if missing else "")
    )
    return 0


def _story(stories: list[Story], story_id: int) -> Story:
    story = next((s for s in stories if s.id == story_id), None)
    if story is None:
        raise BankError(f"no story with id {story_id} (see `python main.py stories`)")
    if not story.written:
        raise BankError(f"story {story_id} has no written version: write one on the Stories screen (Ctrl+B)")
    return story


def _print_written(stories: list[Story], story_id: int, pace: float | None, as_json: bool) -> int:
    """`stories --written ID`: the written version analysed as an answer, timed at the person's pace."""
    from app.stories.written import DEFAULT_WPM, read_written

    story = _story(stories, story_id)
    wpm = pace or DEFAULT_WPM
    result = read_written(story.written, user_bank(), None, wpm)
    if as_json:
        out = {"story": story.id, "title": story.title, "wpm": round(wpm, 1), "analysis": result.to_json()}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return 0
    print(f"{story.title}: about {result.timing.total_seconds:.0f} s told at {wpm:.0f} words a minute")
    for s in result.sentences:
        print(f"  {s.section:<10}  {s.text}")
    for p in result.points:
        print(f"- {p.message}")
    return 0


def against_story(story_id: int, spoken: Analysis) -> dict[str, Any]:
    """`analyze --against-story ID`: what this answer left out of the story's written version."""
    from app.stories.bank import from_history
    from app.stories.written import compare, read_written

    with open_history() as store:
        story = _story(from_history(store.stories()), story_id)
    wpm = spoken.delivery.wpm or 150.0
    comparison = compare(read_written(story.written, user_bank(), None, wpm), spoken)
    if comparison is None:
        raise BankError(
            "the meaning model could not be loaded, so the telling cannot be compared; reinstall STAR Coach"
        )
    return {"story": story.id, "title": story.title, **comparison.to_json()}


def _cmd_loop_report(args: argparse.Namespace) -> int:
    from app.core.files import atomic_write_text
    from app.practice.loop_report import report_html, report_lines

    with open_history() as store:
        if args.id is None:
            for loop in store.loops():
                print(
                    f"{loop.id:>4}  {loop.started_at}  {loop.questions} questions, {loop.used_seconds / 60:.0f} min"
                )
            return 0
        report = store.loop_report(args.id)
    if args.html:
        atomic_write_text(Path(args.html), report_html(report))
        print(f"mock loop {args.id} -> {args.html}")
    elif args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        print("\n".join(report_lines(report)))
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    f = sub.add_parser("followups", help="the follow-up questions the app would ask after this answer")
    f.add_argument("input", help="the answer: a transcript JSON (`transcribe --json`) or plain text")
    f.add_argument("--question", required=True, help="the question's id (see `questions`)")
    f.add_argument("--limit", type=int, default=2, choices=[1, 2], help="how many follow-ups (default 2)")
    f.add_argument("--reply", help="a reply to the first follow-up (text or transcript JSON) to judge")
    f.add_argument("--lines", action="store_true", help="plain text: each non-empty line is one sentence")
    f.add_argument("--json", action="store_true")
    f.set_defaults(func=_cmd_followups)

    d = sub.add_parser("due", help="the questions due for practice today (FSRS spaced repetition)")
    d.add_argument("--all", action="store_true", help="every practised question with its next date")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=_cmd_due)

    st = sub.add_parser("stories", help="your story bank and which Leadership Principles it covers")
    st.add_argument("--json", action="store_true")
    st.add_argument(
        "--import", dest="import_file", metavar="FILE", help="add the stories of an exported bank"
    )
    st.add_argument("--export", dest="export_file", metavar="FILE", help="write the bank as JSON")
    st.add_argument(
        "--written", type=int, metavar="ID", help="a story's written version, analysed as an answer would be"
    )
    st.set_defaults(func=_cmd_stories)

    lr = sub.add_parser("loop-report", help="a saved mock loop's report (without ID: the list of loops)")
    lr.add_argument("id", type=int, nargs="?", help="the loop's id")
    out = lr.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true")
    out.add_argument("--html", metavar="PATH", help="write the report as an HTML page")
    lr.set_defaults(func=_cmd_loop_report)

    g = sub.add_parser("grade", help="set your own grade for an attempt, which the schedule then uses")
    g.add_argument("attempt", type=int, help="the attempt's id (see `history`)")
    g.add_argument("grade", choices=["again", "hard", "good", "easy", "auto"], help="auto: the app's grade")
    g.set_defaults(func=_cmd_grade)
