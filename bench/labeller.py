"""How well the STAR labeller does, on every labelled set, with the section states the app shows.

Sets, each reported with its n:
- `loqo_dev`: the bank's 36 reference answers, leave-one-question-out (train on 35, label the 36th);
- `offdomain_dev`, `heldout_dev`: answers from other jobs the settings were chosen on;
- `one_person_dev`: 16 answers by one invented speaker, never trained on; also used for corrections;
- `frozen_test`: 45 answers by three writers who never saw the training answers or the model
  (tests/data/frozen_test/). No setting is chosen on it.

Per set: sentence accuracy and macro-F1; complete answers told a section is missing (the app's
"missing" state); complete answers shown an unclear section; and, for each section of each complete
answer taken out, how often the app then says it is missing (strict) or not present (missing or unclear).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.analysis.sections import Labeller, SectionFinding
from app.analysis.star import StarLabeller
from app.analysis.stories import Story, story_of
from app.analysis.types import STAR, Label
from bench.star_parts import macro_f1

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


@dataclass(frozen=True)
class Scores:
    accuracy: float
    macro_f1: float
    sentences: int
    complete: int  # complete answers: the denominator of the next two
    false_missing: float | None  # complete answers told a section they have is missing
    unclear: float | None  # complete answers shown at least one unclear section
    trials: int  # sections taken out of complete answers
    removed_missing: float | None  # ... then reported missing
    removed_found: float | None  # ... then reported missing or unclear

    def figures(self, name: str) -> dict[str, Any]:
        r = _round
        return {
            f"star_acc_{name}": r(self.accuracy),
            f"star_macro_f1_{name}": r(self.macro_f1),
            f"star_acc_{name}_n": self.sentences,
            f"star_false_missing_{name}": r(self.false_missing),
            f"star_unclear_on_complete_{name}": r(self.unclear),
            f"star_complete_{name}_n": self.complete,
            f"star_removed_missing_{name}": r(self.removed_missing),
            f"star_removed_found_{name}": r(self.removed_found),
            f"star_removed_{name}_n": self.trials,
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


@dataclass
class Tally:
    truth: list[Label]
    pred: list[Label]
    complete: int = 0
    alarms: int = 0
    unclear: int = 0
    trials: int = 0
    missing: int = 0
    found: int = 0

    def scores(self) -> Scores:
        def share(k: int, n: int) -> float | None:
            return k / n if n else None

        right = sum(t == p for t, p in zip(self.truth, self.pred, strict=True))
        return Scores(
            accuracy=right / len(self.truth),
            macro_f1=macro_f1(self.truth, self.pred),
            sentences=len(self.truth),
            complete=self.complete,
            false_missing=share(self.alarms, self.complete),
            unclear=share(self.unclear, self.complete),
            trials=self.trials,
            removed_missing=share(self.missing, self.trials),
            removed_found=share(self.found, self.trials),
        )


def _state(findings: Sequence[SectionFinding], section: Label) -> str:
    return next(f.state for f in findings if f.section == section)


def tally(
    labeller: Labeller,
    answers: Iterable[Story],
    out: Tally | None = None,
    still_told: Mapping[str, Sequence[Label]] | None = None,
) -> Tally:
    """Add each answer to `out`. `still_told` (the same answer's labels by a second reader): a removed
    section that reader finds in the rest of the answer is no trial, the section is still there."""
    out = out or Tally([], [])
    for answer in answers:
        labels, findings = labeller.read(answer.texts)
        out.truth += answer.labels
        out.pred += labels
        if not set(STAR) <= set(answer.labels):
            continue
        out.complete += 1
        out.alarms += any(f.state == "missing" for f in findings)
        out.unclear += any(f.state == "unclear" for f in findings)
        other = still_told.get(answer.group) if still_told else None
        for section in STAR:
            keep = [i for i, lab in enumerate(answer.labels) if lab != section]
            if not keep or (other is not None and any(other[i] == section for i in keep)):
                continue
            _, kept = labeller.read([answer.texts[i] for i in keep])
            state = _state(kept, section)
            out.trials += 1
            out.missing += state == "missing"
            out.found += state != "present"
    return out


def load_stories(*paths: Path) -> list[Story]:
    return [story_of(a) for p in paths for a in json.loads(p.read_text(encoding="utf-8"))["answers"]]


def frozen_paths() -> list[Path]:
    return sorted((DATA / "frozen_test").glob("*.json"))


def _loqo_one(args: tuple[Story, Sequence[Story], Sequence[Label]]) -> dict[str, Tally]:
    """Train without the answer's question (and every other answer to it), then score the answer
    against both readings."""
    bank_story, stories, second = args
    qid, bank_labels = bank_story.group, bank_story.labels
    labeller = StarLabeller.train([s for s in stories if s.group != qid])
    second_story = Story(bank_story.texts, tuple(second), qid)
    return {
        "bank_raw": tally(labeller, [bank_story]),
        "bank": tally(labeller, [bank_story], still_told={qid: second}),
        "second": tally(labeller, [second_story], still_told={qid: bank_labels}),
    }


def loqo(
    answers: Sequence[Story],
    stories: Sequence[Story],
    second: Mapping[str, Sequence[Label]],
    workers: int = 2,
) -> dict[str, Scores]:
    """Leave-one-question-out over the bank's answers, in `workers` processes (a labeller takes ~30 s to
    train on 2 cores). `bank_raw` counts every removed-section trial; `bank` and `second` only those
    where the other reader does not find the removed section in the rest of the answer."""
    import multiprocessing

    jobs = [(answer, stories, second[answer.group]) for answer in answers]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parts = pool.map(_loqo_one, jobs)
    out: dict[str, Scores] = {}
    for name in ("bank_raw", "bank", "second"):
        total = Tally([], [])
        for part in parts:
            t = part[name]
            total.truth += t.truth
            total.pred += t.pred
            for f in ("complete", "alarms", "unclear", "trials", "missing", "found"):
                setattr(total, f, getattr(total, f) + getattr(t, f))
        out[name] = total.scores()
    return out


# --------------------------------------------------------------------------- the scenario


def blind_paths() -> list[Path]:
    """The blind test set of 2026-12: 48 answers by three writers who never saw the model, the training
    answers or the other sets; labels go below the sentence (tests/data/blind_2026/)."""
    return sorted((DATA / "blind_2026").glob("*.json"))


TRANSCRIBED = DATA / "blind_2026" / "transcribed"  # the blind set spoken (piper), transcribed by tiny.en


def bench_labeller() -> dict[str, Any]:
    """Every labeller figure: the shipped (contextual) labeller on every set, the fallback on the bank
    (leave one question out) and on the frozen set; ~12 min on 2 cores."""
    from app.analysis.labeller_files import default_labeller, load_or_train
    from app.analysis.stories import answer_story, training_stories
    from app.bank.questions import builtin_bank_path, load_bank
    from bench.star_parts import load_answers, tally_parts, tally_transcribed

    bank = load_bank(builtin_bank_path())
    stories = training_stories(bank)
    shipped = default_labeller(bank)
    figures: dict[str, Any] = {"star_labeller": shipped.kind}
    fallback = load_or_train(stories, None)
    second = json.loads((DATA / "bank_second_annotator.json").read_text(encoding="utf-8"))["labels"]
    ref = loqo([answer_story(q) for q in bank.questions], stories, second)
    figures |= ref["bank"].figures("loqo_fallback_dev")
    dev_sets = {
        "offdomain_dev": DATA / "offdomain_answers.json",
        "heldout_dev": DATA / "offdomain_heldout.json",
        "one_person_dev": DATA / "one_person_answers.json",
    }
    for name, path in dev_sets.items():
        figures |= tally_parts(shipped, load_answers(path)).figures(name)
    frozen = load_answers(*frozen_paths())
    figures |= tally_parts(shipped, frozen).figures("frozen_test")
    figures |= tally_parts(fallback, frozen).figures("frozen_test_fallback")
    blind = load_answers(*blind_paths())
    figures |= tally_parts(shipped, blind).figures("blind_test")
    figures |= tally_parts(shipped, [a for a in blind if a.register == "real"]).figures("blind_test_real")
    figures |= tally_parts(shipped, [a for a in blind if a.register != "real"]).figures("blind_test_prepared")
    figures |= tally_parts(fallback, blind).figures("blind_test_fallback")
    if TRANSCRIBED.is_dir():
        for name, part in (("", blind), ("_real", [a for a in blind if a.register == "real"])):
            for key, value in tally_transcribed(shipped, part, TRANSCRIBED).items():
                figures[f"star_transcribed_blind_test{name}_{key}"] = value
    return figures


def agreement(a: Sequence[Label], b: Sequence[Label]) -> tuple[float, float]:
    """Share of sentences two sets of labels agree on, and Cohen's kappa (agreement beyond chance)."""
    from sklearn.metrics import cohen_kappa_score

    observed = sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
    return observed, float(cohen_kappa_score(a, b))
