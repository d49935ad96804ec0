"""Word error rate: spelling conventions must not count as recognition errors, real errors must."""

from __future__ import annotations

import pytest

from bench.wer import Alignment, align, normalize, word_error_rate


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("Go forward 10 meters.", "go forward ten meters"),
        ("We served 1,000 users", "we served one thousand users"),
        ("It got 20% faster", "it got twenty percent faster"),
        ("It cost $5", "it cost five dollars"),
        ("the 1st and the 21st", "the first and the twenty first"),
        ("3.5 hours", "three point five hours"),
        ("We hired 123 people", "we hired one hundred and twenty three people"),
        ("In 1863, Mr. Lincoln spoke", "in eighteen sixty three mister lincoln spoke"),
        ("a cold-hearted man", "a cold hearted man"),
        ("I don't know; it’s fine!", "I do not know, it is fine"),
        ("  Many   spaces\nand lines ", "many spaces and lines"),
        ("The colour of the centre", "the color of the center"),
        ("Um, I think, uh, we shipped it", "I think we shipped it"),
    ],
)
def test_the_same_speech_written_two_ways_normalises_alike(written: str, spoken: str) -> None:
    assert normalize(written) == normalize(spoken)


def test_a_compound_in_one_word_or_two_is_no_error() -> None:
    assert word_error_rate("a cold hearted man", "A coldhearted man.") == 0.0
    assert word_error_rate("a coldhearted man", "a cold-hearted man") == 0.0
    # only when the other side has the joined word
    assert word_error_rate("the cold hearted man", "the cold heart man") == pytest.approx(1 / 4)


def test_a_real_misrecognition_still_counts() -> None:
    assert word_error_rate("an ill disposed person", "an old sposed person") == pytest.approx(2 / 4)


def test_digits_and_words_for_the_same_speech_are_no_error() -> None:
    assert word_error_rate("go forward ten meters", "Go forward 10 meters.") == 0.0
    assert word_error_rate("One thousand users, twenty percent more", "1,000 users; 20% more") == 0.0


def test_alignment_counts_each_kind_of_error() -> None:
    out = align("red green blue cyan pink gray", "red grin blue pink gray teal")
    assert out == Alignment(hits=4, substitutions=1, deletions=1, insertions=1)
    assert out.reference_words == 6
    assert out.wer == pytest.approx(3 / 6)


def test_lists_are_pooled_over_all_words_not_averaged() -> None:
    refs = ["a b c d e f g h i j", "k l"]
    hyps = ["a b c d e f g h i j", "k x"]
    # one error in twelve words, not the mean of 0 % and 50 %
    assert word_error_rate(refs, hyps) == pytest.approx(1 / 12)


def test_empty_reference_counts_insertions() -> None:
    assert align("", "") == Alignment(0, 0, 0, 0)
    assert align("", "hello there").insertions == 2
    assert align(["", "a b"], ["x", "a b"]) == Alignment(hits=2, substitutions=0, deletions=0, insertions=1)
    assert word_error_rate("", "") == 0.0


def test_mismatched_lists_are_refused() -> None:
    with pytest.raises(ValueError, match="2 references but 1 hypotheses"):
        align(["a", "b"], ["a"])
