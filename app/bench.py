"""`python main.py bench`: the speed and memory figures of DESIGN.md, measured, never asserted.

Each scenario runs in a fresh process, so that one's memory peak or warm caches do not colour
another's figures. Keys follow DESIGN.md's list so that scripts can read them.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_AUDIO = ROOT.parent / "shared" / "audio"
Figures = dict[str, float | int | str]


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _audio(name: str) -> Path:
    path = SHARED_AUDIO / name
    if not path.exists():
        raise FileNotFoundError(f"benchmark audio {path} is missing (the benchmarks read ../shared/audio)")
    return path


# --------------------------------------------------------------------------- cold start


def _time_to_window(env: dict[str, str]) -> tuple[float, float]:
    """Launch `main.py`: seconds to the window's first event-loop turn after show(), and to practice
    being available (speech and analysis modules loaded in the background)."""
    start = time.perf_counter()
    shown = 0.0
    with subprocess.Popen(
        [sys.executable, str(ROOT / "main.py")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip() == "window-shown":
                shown = time.perf_counter() - start
            elif line.strip() == "practice-ready":
                ready = time.perf_counter() - start
                break
        else:
            raise RuntimeError("the app exited before practice was ready")
        proc.wait(timeout=30)
    return shown, ready


def bench_cold_start(runs: int = 5) -> Figures:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "STAR_COACH_HOME": home, "STAR_COACH_STARTUP_PROBE": "1"}
        platform = "xcb"
        if not env.get("DISPLAY"):
            env["QT_QPA_PLATFORM"] = platform = "offscreen"
        times = [_time_to_window(env) for _ in range(runs)]
    return {
        "cold_start_s": round(statistics.median(t for t, _ in times), 3),
        "cold_start_s_first": round(times[0][0], 3),
        "practice_ready_s": round(statistics.median(r for _, r in times), 3),
        "cold_start_platform": platform,
    }


# --------------------------------------------------------------------------- transcription

WER_CLIPS = {
    "jfk": ["jfk.flac"],
    "librivox": [f"ps_librivox_{n}.wav" for n in ("0870", "0880", "0890", "0920", "0930")],
    "gettysburg": ["gettysburg_speech_only.wav"],
}
RTF_CLIPS = ["ibm_11-ibm-culture-2min.wav", "gettysburg_speech_only.wav"]


def bench_transcribe() -> Figures:
    from app.speech.audio import decode_audio
    from app.speech.transcribe import WhisperTranscriber
    from app.wer import align

    engine = WhisperTranscriber()
    started = time.perf_counter()
    engine.load()
    figures: Figures = {"model_load_s": round(time.perf_counter() - started, 3), "model": engine.model_name}
    rtfs = []
    for name in RTF_CLIPS:
        samples = decode_audio(_audio(name))
        t0 = time.perf_counter()
        engine.transcribe(samples)
        rtf = (time.perf_counter() - t0) / (len(samples) / 16_000)
        rtfs.append(rtf)
        figures[f"rtf_{name.split('_')[0].split('.')[0]}"] = round(rtf, 3)
    figures["rtf_default"] = round(max(rtfs), 3)
    errors = words = 0
    for group, names in WER_CLIPS.items():
        g_err = g_words = 0
        for name in names:
            ref = _audio(name).with_suffix(".ref.txt").read_text(encoding="utf-8")
            a = align(ref, engine.transcribe(decode_audio(_audio(name))).text)
            g_err += a.substitutions + a.deletions + a.insertions
            g_words += a.reference_words
        figures[f"wer_{group}"] = round(g_err / g_words, 3)
        errors += g_err
        words += g_words
    figures["wer_default"] = round(errors / words, 3)  # pooled over every reference word
    figures["rss_mb_transcribe"] = _peak_rss_mb()
    return figures


# --------------------------------------------------------------------------- question audio


def bench_tts() -> Figures:
    """Ask -> the player starts the question, first time (synthesis) and cached."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    from app.speech.ask import QuestionReader
    from app.speech.playback import QtPlayer
    from app.speech.tts import Speaker

    app = QCoreApplication.instance() or QCoreApplication([])
    text = "Tell me about a time when you disagreed with your manager. How did you handle it?"
    with tempfile.TemporaryDirectory() as cache:
        t0 = time.perf_counter()
        speaker = Speaker(Path(cache))
        if not speaker.available():
            return {"tts_error": speaker.reason()}
        engine_ms = (time.perf_counter() - t0) * 1000
        player = QtPlayer()
        reader = QuestionReader(speaker, player)
        latencies = []
        for _ in range(2):
            loop = QEventLoop()
            reader.started.connect(loop.quit)
            reader.failed.connect(loop.quit)
            QTimer.singleShot(20_000, loop.quit)
            reader.ask(text)
            loop.exec()
            reader.started.disconnect(loop.quit)
            reader.failed.disconnect(loop.quit)
            latencies.append(reader.last_start_latency_ms)
            reader.stop()
        speaker.shutdown()
    del app
    if None in latencies:
        return {"tts_error": "the question did not start playing (no audio output?)"}
    cold, cached = latencies
    assert cold is not None and cached is not None
    return {
        "tts_first_audio_ms_cold": round(cold, 1),
        "tts_first_audio_ms_cached": round(cached, 1),
        "tts_engine_start_ms": round(engine_ms, 1),
    }


# --------------------------------------------------------------------------- a 2-minute answer, live


def _has_virtual_mic() -> bool:
    try:
        sinks = subprocess.run(["pactl", "list", "short", "sinks"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "mic_feed" in sinks.stdout


def bench_live() -> Figures:
    """Gettysburg (119.5 s) spoken in real time into the virtual microphone while the app records and
    transcribes; Stop 0.3 s after the last word. Without the virtual microphone (a user's machine),
    the same audio is fed to the transcriber at real-time pace instead, and the figure says so.
    """
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    from app.speech.audio import decode_audio
    from app.speech.session import AnswerResult, AnswerSession
    from app.speech.streaming import StreamingTranscriber
    from app.speech.transcribe import WhisperTranscriber
    from app.wer import word_error_rate

    app = QCoreApplication.instance() or QCoreApplication([])
    clip = _audio("gettysburg_speech_only.wav")
    reference = clip.with_suffix(".ref.txt").read_text(encoding="utf-8")
    engine = WhisperTranscriber()
    engine.load()
    loop = QEventLoop()
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if _has_virtual_mic():
            mode = "virtual microphone"
            session = AnswerSession(engine)

            def done(result: object) -> None:
                out["result"] = result
                loop.quit()

            session.finished.connect(done)
            session.start(Path(tmp) / "answer.wav")
            player: list[subprocess.Popen[bytes]] = []

            def speak() -> None:
                player.append(subprocess.Popen(["paplay", "--device=mic_feed", str(clip)]))

            def poll() -> None:
                if player and player[0].poll() is not None:
                    timer.stop()
                    QTimer.singleShot(300, session.stop)

            timer = QTimer()
            timer.timeout.connect(poll)
            QTimer.singleShot(700, speak)
            timer.start(50)
            loop.exec()
            session.shutdown()
            result = out["result"]
            assert isinstance(result, AnswerResult)
            stop_s, text = result.stop_to_transcript_s, result.transcript.text
        else:
            mode = "direct feed (no virtual microphone)"
            samples = decode_audio(clip)
            streaming = StreamingTranscriber(engine)
            streaming.begin()
            pos = [0]
            stopped = [0.0]

            def push() -> None:
                if pos[0] >= len(samples):
                    feeder.stop()
                    stopped[0] = time.perf_counter()
                    streaming.finish()
                    return
                streaming.feed(samples[pos[0] : pos[0] + 1600])
                pos[0] += 1600

            def transcribed(transcript: object) -> None:
                out["transcript"] = transcript
                loop.quit()

            streaming.finished.connect(transcribed)
            feeder = QTimer()
            feeder.timeout.connect(push)
            feeder.start(100)
            loop.exec()
            stop_s = time.perf_counter() - stopped[0]
            streaming.shutdown()
            transcript = out["transcript"]
            text = transcript.text  # type: ignore[attr-defined]
    del app
    return {
        "stop_to_transcript_s_120": round(stop_s, 3),
        "rss_mb_recording": _peak_rss_mb(),
        "wer_live_gettysburg": round(word_error_rate(reference, text), 3),
        "live_mode": mode,
    }


# --------------------------------------------------------------------------- STAR analysis


def _labeller_ready_s(cache: Path) -> float:
    """Seconds to train or load the STAR labeller in a new process, as at a start of the app: importing
    scikit-learn is included, the modules the app has loaded by then (the bank, numpy) are not."""
    code = (
        "import time\n"
        "from pathlib import Path\n"
        "from app.analysis.star import load_or_train\n"
        "from app.analysis.stories import training_stories\n"
        "from app.questions import builtin_bank_path, load_bank\n"
        "bank = load_bank(builtin_bank_path())\n"
        "t = time.perf_counter()\n"
        f"load_or_train(training_stories(bank), Path({str(cache)!r}))\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def bench_analysis() -> Figures:
    from app.analysis import sentences as sent
    from app.analysis.analyze import analyze
    from app.analysis.evaluate import agreement, load_answers, load_labels, loqo_sets, offdomain
    from app.analysis.star import load_or_train
    from app.analysis.stories import answer_sentences, training_stories
    from app.questions import builtin_bank_path, load_bank
    from app.speech.transcript import Transcript, Word

    bank = load_bank(builtin_bank_path())
    with tempfile.TemporaryDirectory() as cache:
        # Each in a fresh process, as at a start of the app: the first trains, the second loads.
        train_s, load_s = (_labeller_ready_s(Path(cache)) for _ in range(2))
        labeller = load_or_train(training_stories(bank), Path(cache))  # the one just trained

    # A 3-minute answer: the longest reference answer as a Whisper-like transcript at 150 wpm.
    q = max(bank.questions, key=lambda q: len(q.reference_answer().split()))
    tokens = " ".join(t for t, _ in answer_sentences(q)).split()
    while len(tokens) < 450:
        tokens += tokens
    words = tuple(Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(tokens[:450]))
    transcript = Transcript(words, " ".join(tokens[:450]), "whisper", "tiny.en", 180.0)
    analyze(sent.from_transcript(transcript), bank, q, engine="whisper")  # trains the shared labeller
    runs = []
    for _ in range(20):
        t1 = time.perf_counter()
        analyze(sent.from_transcript(transcript), bank, q, engine="whisper")
        runs.append((time.perf_counter() - t1) * 1000)

    data = ROOT / "tests" / "data"
    second = load_labels(data / "bank_second_annotator.json")
    ref = loqo_sets(bank, {"second": second})
    bank_labels = [lab for q in bank.questions for _, lab in answer_sentences(q)]
    agree, kappa = agreement(bank_labels, [lab for q in bank.questions for lab in second[q.id]])
    own = offdomain(labeller, load_answers(data / "offdomain_answers.json"))
    heldout = offdomain(labeller, load_answers(data / "offdomain_heldout.json"))
    figures: Figures = {
        "analysis_ms_3min": round(statistics.median(runs), 1),
        "star_train_s": round(train_s, 3),
        "star_load_s": round(load_s, 3),
        # Two readers of the same answers: the ceiling a labeller's accuracy can be measured against.
        "star_annotator_agreement": round(agree, 3),
        "star_annotator_kappa": round(kappa, 3),
    }
    sets = [
        ("loqo", ref["bank"]),
        ("loqo_second_annotator", ref["second"]),
        ("own_offdomain", own),
        ("heldout_offdomain", heldout),
    ]
    for name, scores in sets:
        figures |= {
            f"star_acc_{name}": round(scores.accuracy, 3),
            f"star_macro_f1_{name}": round(scores.macro_f1, 3),
            f"star_missing_recall_{name}": round(scores.missing_recall or 0.0, 3),
            f"star_missing_false_alarm_{name}": round(scores.missing_false_alarm or 0.0, 3),
        }
    return figures


# --------------------------------------------------------------------------- practice history


def bench_history(n: int = 5000, runs: int = 20) -> Figures:
    """5,000 generated attempts: the history screen's queries, and the disk an hour of practice takes."""
    import wave

    from app.questions import builtin_bank_path, load_bank
    from app.sample_history import generate_attempts
    from app.store import Store

    bank_ids = [q.id for q in load_bank(builtin_bank_path()).questions]
    with tempfile.TemporaryDirectory() as home:
        os.environ["STAR_COACH_HOME"] = home
        store = Store.open()
        t0 = time.perf_counter()
        generate_attempts(store, n, bank_ids, seed=1)
        generate_s = time.perf_counter() - t0
        store.close()
        t0 = time.perf_counter()
        store = Store.open()  # includes PRAGMA quick_check and the interrupted-save scan
        open_ms = (time.perf_counter() - t0) * 1000
        combined, stats_ms, newest_ms, one_ms = [], [], [], []
        for i in range(runs):
            t1 = time.perf_counter()
            store.question_stats()
            t2 = time.perf_counter()
            store.attempts(limit=50)
            t3 = time.perf_counter()
            store.attempts(question_id=bank_ids[i % len(bank_ids)])
            t4 = time.perf_counter()
            stats_ms.append((t2 - t1) * 1000)
            newest_ms.append((t3 - t2) * 1000)
            one_ms.append((t4 - t3) * 1000)
            combined.append((t4 - t1) * 1000)
        mean_total_s = store.overall_stats().total_s / n
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        db_bytes = sum(p.stat().st_size for p in Path(home, "data").glob("history.sqlite3*"))
        wav = Path(home) / "ten_seconds.wav"
        with wave.open(str(wav), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(16_000)
            w.writeframes(b"\x00\x00" * 16_000 * 10)
        wav_bytes_per_s = wav.stat().st_size / 10
    db_per_attempt = db_bytes / n
    attempts_per_hour = 3600 / mean_total_s
    return {
        "history_query_ms_5000": round(statistics.median(combined), 2),
        "history_stats_ms_5000": round(statistics.median(stats_ms), 2),
        "history_newest50_ms_5000": round(statistics.median(newest_ms), 2),
        "history_one_question_ms_5000": round(statistics.median(one_ms), 2),
        "history_open_ms_5000": round(open_ms, 1),
        "history_generate_s": round(generate_s, 3),
        "history_db_kb_per_attempt": round(db_per_attempt / 1024, 1),
        "disk_mb_per_hour": round((wav_bytes_per_s * 3600 + db_per_attempt * attempts_per_hour) / 1e6, 1),
    }


# --------------------------------------------------------------------------- statistics page


def bench_stats(n: int = 5000) -> Figures:
    """The statistics page with 5,000 attempts: building it and its first refresh(), charts included.
    The page is a widget, and app/ imports none, so it is timed in a child process, as cold start is."""
    from app.questions import builtin_bank_path, load_bank
    from app.sample_history import generate_attempts
    from app.store import Store

    bank_ids = [q.id for q in load_bank(builtin_bank_path()).questions]
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "STAR_COACH_HOME": home}
        os.environ["STAR_COACH_HOME"] = home
        store = Store.open()
        generate_attempts(store, n, bank_ids[:-4], seed=1)
        store.close()
        out = subprocess.run(
            [sys.executable, "-m", "ui.stats_probe"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    ms = [float(x) for x in json.loads(out.stdout.strip().splitlines()[-1])]
    return {
        "stats_open_ms_5000": round(statistics.median(ms[1:]), 1),
        "stats_open_ms_5000_first": round(ms[0], 1),
    }


# --------------------------------------------------------------------------- scenarios table

SCENARIOS: dict[str, Callable[[], Figures]] = {
    "cold_start": bench_cold_start,
    "tts": bench_tts,
    "transcribe": bench_transcribe,
    "live": bench_live,
    "analysis": bench_analysis,
    "history": bench_history,
    "stats": bench_stats,
}


def _child(name: str) -> None:
    """Entry point of a scenario's own process: prints its figures as one JSON line."""
    figures = SCENARIOS[name]()
    print("BENCH-RESULT " + json.dumps(figures), flush=True)


def _run_isolated(name: str) -> Figures:
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from app.bench import _child; _child({name!r})"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    for line in out.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            figures: Figures = json.loads(line.removeprefix("BENCH-RESULT "))
            return figures
    reason = (out.stderr.strip().splitlines() or ["no output"])[-1]
    return {f"{name}_error": reason}


def run_bench(only: str | None = None) -> Figures:
    if only and only not in SCENARIOS:
        raise SystemExit(f"unknown scenario {only!r}; choose from: {', '.join(SCENARIOS)}")
    results: Figures = {}
    for name in SCENARIOS:
        if only is None or name == only:
            print(f"[bench] {name}…", file=sys.stderr, flush=True)
            results.update(_run_isolated(name))
    return results
