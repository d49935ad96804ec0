"""Speed of the analysis and of getting the labeller ready; the labeller's accuracy is bench/labeller.py."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, Figures


def _ready(code: str) -> list[float]:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return [float(x) for x in out.stdout.strip().splitlines()[-1].split()]


# Resident memory now (not the peak: reading the model file briefly holds it twice).
_RSS = "import os\ndef rss(): return int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20\n"


def _labeller_ready_s(cache: Path, shipped: bool) -> float:
    """Seconds to get the fallback labeller ready in a new process: the shipped one loaded, or one
    trained from scratch (a user's own bank, or corrections, where the fallback labels)."""
    code = (
        "import time\n"
        "from pathlib import Path\n"
        "from app.analysis.labeller_files import load_or_train\n"
        "from app.analysis.stories import training_stories\n"
        "from app.bank.questions import builtin_bank_path, load_bank\n"
        "bank = load_bank(builtin_bank_path())\n"
        "t = time.perf_counter()\n"
        f"labeller = load_or_train(training_stories(bank), Path({str(cache)!r}), shipped={shipped})\n"
        "labeller.scores(['Warm up.'])\n"
        "print(time.perf_counter() - t)\n"
    )
    return _ready(code)[0]


def _contextual_ready() -> tuple[float, float, float]:
    """Seconds to load the shipped (contextual) labeller in a new process, as the app does in the
    background at start; the resident memory it adds (MB), and what the fallback alone adds (the
    labeller the app had before), both after labelling 40 sentences, in a process that has loaded
    what the app has by a first Stop."""
    code = (
        _RSS + "import time\n"
        "import numpy, scipy.sparse, scipy.special, tokenizers, onnxruntime\n"  # loaded by then,
        # and onnxruntime's environment: the transcriber's voice detector starts it before a Stop
        "from faster_whisper.vad import get_vad_model\nget_vad_model()\n"
        "from app.analysis.labeller_files import default_labeller, load_or_train\n"
        "from app.analysis.stories import training_stories\n"
        "from app.bank.questions import builtin_bank_path, load_bank\n"
        "bank = load_bank(builtin_bank_path())\n"
        "texts = ['I rang the supplier and moved the delivery.'] * 40\n"
        "before = rss()\n"
        "load_or_train(training_stories(bank), None).read(texts)\n"
        "words = rss() - before; t = time.perf_counter()\n"
        "default_labeller(bank).read_parts(texts)\n"
        "print(time.perf_counter() - t, rss() - before, words)\n"
    )
    load_s, rss_mb, words_mb = _ready(code)
    return load_s, rss_mb, words_mb


def _meaning_ready() -> tuple[float, float]:
    """Seconds to load the meaning model and the two judgments on it in a new process, and the resident
    memory they add (MB) after encoding 40 sentences, with the STAR labeller loaded first (as the app
    does: they share its tokenizer)."""
    code = (
        _RSS + "import time\n"
        "import numpy, tokenizers, onnxruntime\n"
        "from faster_whisper.vad import get_vad_model\nget_vad_model()\n"
        # the modules the app has imported by then: only the models count
        "from app.analysis.meaning import shared_meaning\n"
        "from app.analysis.topic import topic_model\n"
        "from app.followups.judge import reply_model\n"
        "from app.analysis.labeller_files import default_labeller\n"
        "from app.bank.questions import builtin_bank_path, load_bank\n"
        "default_labeller(load_bank(builtin_bank_path())).read_parts(['Ready.'])\n"  # loaded first, as in the app
        "before = rss(); t = time.perf_counter()\n"
        "m = shared_meaning(); topic_model(); reply_model()\n"
        "load = time.perf_counter() - t\n"
        "m.encode([f'I rang the supplier and moved delivery number {i}.' for i in range(40)])\n"
        "print(load, rss() - before)\n"
    )
    load_s, rss_mb = _ready(code)
    return load_s, rss_mb


def _meaning_ms(texts: list[str]) -> tuple[float, float]:
    """Milliseconds the judgments by meaning add after Stop for one answer: the off-topic check and
    the story suggestion (six stories), with the sentences already encoded while the person spoke
    (as the app does) and without."""
    from app.analysis.meaning import shared_meaning
    from app.analysis.topic import concept_of, off_topic
    from app.bank.questions import builtin_bank_path, load_bank
    from app.stories.bank import Story
    from app.stories.match import suggest

    bank = load_bank(builtin_bank_path())
    question = next(q for q in bank.questions if concept_of(q.question))
    stories = [
        Story(id=i + 1, title=q.question[:60], summary=q.question) for i, q in enumerate(bank.questions[:6])
    ]
    model = shared_meaning()
    assert model is not None
    suggest("warm up the stories", stories)
    warm, cold = [], []
    for n in range(10):
        fresh = [f"{t} ({n})" for t in texts]
        t1 = time.perf_counter()
        off_topic(question.question, fresh)
        suggest(" ".join(fresh), stories)
        cold.append((time.perf_counter() - t1) * 1000)
        spoken = [f"{t} [{n}]" for t in texts]
        model.encode(spoken)  # while the person speaks
        t1 = time.perf_counter()
        off_topic(question.question, spoken)
        suggest(" ".join(spoken), stories)
        warm.append((time.perf_counter() - t1) * 1000)
    return statistics.median(warm), statistics.median(cold)


def bench_analysis() -> Figures:
    from app.analysis import contextual
    from app.analysis import sentences as sent
    from app.analysis.analyze import analyze
    from app.analysis.stories import answer_sentences
    from app.bank.questions import builtin_bank_path, load_bank
    from app.speech.transcript import Transcript, Word
    from bench.labeller import agreement

    bank = load_bank(builtin_bank_path())
    with tempfile.TemporaryDirectory() as cache:
        load_s = _labeller_ready_s(Path(cache), shipped=True)
        train_s = _labeller_ready_s(Path(cache), shipped=False)
    contextual_s, contextual_mb, fallback_mb = _contextual_ready()
    model_mb = sum(f.stat().st_size for f in contextual.model_files()) / 1e6

    # A 3-minute answer: the longest reference answer as a Whisper-like transcript at 150 wpm.
    q = max(bank.questions, key=lambda q: len(q.reference_answer().split()))
    tokens = " ".join(t for t, _ in answer_sentences(q)).split()
    while len(tokens) < 450:
        tokens += tokens
    words = tuple(Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(tokens[:450]))
    transcript = Transcript(words, " ".join(tokens[:450]), "whisper", "tiny.en", 180.0)
    sentences = sent.from_transcript(transcript)
    analyze(sentences, bank, q, engine="whisper")  # loads the labeller
    warm, cold = [], []
    for n in range(20):
        t1 = time.perf_counter()
        analyze(sentences, bank, q, engine="whisper")
        warm.append((time.perf_counter() - t1) * 1000)
        # Sentences never seen before (nothing is kept between answers by text)
        fresh = [s.__class__(f"{s.text} ({n})", s.start, s.end, s.words) for s in sentences]
        t1 = time.perf_counter()
        analyze(fresh, bank, q, engine="whisper")
        cold.append((time.perf_counter() - t1) * 1000)
    meaning_warm, meaning_cold = _meaning_ms([s.text for s in sentences])
    meaning_load_s, meaning_mb = _meaning_ready()
    data = ROOT / "tests" / "data"
    second = json.loads((data / "bank_second_annotator.json").read_text(encoding="utf-8"))["labels"]
    bank_labels = [lab for q in bank.questions for _, lab in answer_sentences(q)]
    agree, kappa = agreement(bank_labels, [lab for q in bank.questions for lab in second[q.id]])
    return {
        "analysis_ms_3min": round(statistics.median(warm), 1),
        "analysis_ms_3min_cold": round(statistics.median(cold), 1),
        "analysis_3min_sentences_n": len(sentences),
        "star_contextual_load_s": round(contextual_s, 3),
        "star_contextual_rss_mb": round(contextual_mb, 1),
        "star_fallback_rss_mb": round(fallback_mb, 1),
        "star_contextual_disk_mb": round(model_mb, 1),
        "star_fallback_load_s": round(load_s, 3),
        # The judgments by meaning (issue 25): off-topic check and story suggestion after Stop.
        "meaning_ms_3min": round(meaning_warm, 1),
        "meaning_ms_3min_cold": round(meaning_cold, 1),
        "meaning_load_s": round(meaning_load_s, 3),
        "meaning_rss_mb": round(meaning_mb, 1),
        "star_fallback_train_s": round(train_s, 3),
        # Two readers of the same answers: the ceiling a labeller's accuracy can be measured against.
        "star_annotator_agreement": round(agree, 3),
        "star_annotator_kappa": round(kappa, 3),
        "star_annotator_n": len(bank_labels),
    }
