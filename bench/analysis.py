"""STAR labelling: speed of the analysis, and the labeller's accuracy on every labelled set.

Every set here is development data (`_dev`): settings were chosen on the bank's answers and on the
project's own answers. Each rate comes with the n behind it, and a rate with nothing to count is null.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, Figures, rate


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
        "star_annotator_n": len(bank_labels),
    }
    sets = [
        ("loqo", ref["bank"]),
        ("loqo_second_annotator", ref["second"]),
        ("own_offdomain", own),
        ("heldout_offdomain", heldout),
    ]
    for name, scores in sets:
        figures |= {
            f"star_acc_{name}_dev": round(scores.accuracy, 3),
            f"star_macro_f1_{name}_dev": round(scores.macro_f1, 3),
            f"star_acc_{name}_dev_n": scores.sentences,
            f"star_missing_recall_{name}_dev": rate(scores.missing_recall),
            f"star_missing_recall_{name}_dev_n": scores.missing_n,
            f"star_missing_false_alarm_{name}_dev": rate(scores.missing_false_alarm),
            f"star_missing_false_alarm_{name}_dev_n": scores.answers,
        }
    return figures
