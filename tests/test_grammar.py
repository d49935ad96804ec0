"""The grammatical form the labeller reads where the words alone say little: a terse answer drops the
subject, and "Called the engineer." is then an action while "Fix the no-shows." is a task."""

from __future__ import annotations

from app.analysis.grammar import FEATURES, grammar_of


def _on(text: str) -> set[str]:
    return {name for name, value in zip(FEATURES, grammar_of(text), strict=True) if value}


def test_a_past_verb_with_no_subject_reads_as_a_step_taken() -> None:
    assert "starts_past_verb" in _on("Called the structural engineer.")
    assert "starts_past_verb" in _on("And wrote the fix that night.")
    assert "starts_past_verb" not in _on("I called the structural engineer.")


def test_a_bare_verb_reads_as_a_goal_and_a_phrase_with_no_verb_as_a_setting() -> None:
    assert "starts_base_verb" in _on("Fix the no-shows.")
    assert "no_verb" in _on("Peak season, regional fulfilment centre.")
    assert "no_verb" not in _on("The pipeline kept failing.")


def test_a_named_section_is_read_from_its_label() -> None:
    assert "named_task" in _on("Task: move every customer to the new engine by the 1st.")
    assert "named_reflection" in _on("Lesson - alert on the outcome, not the job.")
    assert not {f for f in _on("My task was hard.") if f.startswith("named_")}


def test_tense_modality_and_habit() -> None:
    assert {"modal", "habit"} <= _on("Now I would always check the keys first.")
    assert "past_verbs" in _on("We shipped it and it held.")


def test_the_shipped_verb_forms_are_lemminflects() -> None:
    """The app reads app/resources/verb_forms.tsv.xz instead of holding lemminflect's 50 MB of tables;
    the file must say what the library says (scripts/make_verb_forms.py makes it again)."""
    import random

    from lemminflect import getAllInflections, getAllLemmas

    from app.analysis.grammar import _forms, _table

    def theirs(word: str) -> frozenset[str]:
        tags = set()
        for lemma in getAllLemmas(word).get("VERB", ()):
            tags |= {t for t, spelled in getAllInflections(lemma, "VERB").items() if word in spelled}
        return frozenset(tags)

    words = sorted(_table())
    sample = [*random.Random(0).sample(words, 400), "called", "fix", "peak", "wrote", "told", "cert", "the"]
    assert {w: _forms(w) for w in sample} == {w: theirs(w) for w in sample}
