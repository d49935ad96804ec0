"""Delivery figures from hand-built, timed sentences: every rule, with concrete counts and times."""

from __future__ import annotations

import json

import pytest

from app.analysis.delivery import LONG_PAUSE_S, Delivery, measure_delivery
from app.analysis.lexicons import PRINCIPLE_LEXICON
from app.analysis.types import Label, Sentence
from app.bank.questions import PRINCIPLES
from app.speech.transcript import Word


def sentence(
    text: str,
    start: float = 0.0,
    section: Label = "other",
    step: float = 0.5,
    timed: bool = True,
) -> Sentence:
    """One word every `step` seconds from `start`, each lasting `step` (no gaps), as Whisper writes them."""
    words = tuple(
        Word(" " + tok, start + k * step, start + (k + 1) * step) for k, tok in enumerate(text.split())
    )
    return Sentence(text, words[0].start, words[-1].end, words, section, timed)


def after(
    prev: Sentence, text: str, section: Label = "other", gap: float = 0.3, step: float = 0.5
) -> Sentence:
    return sentence(text, prev.end + gap, section, step)


def fillers(text: str) -> list[str]:
    return [f.kind for f in measure_delivery([sentence(text)]).fillers]


# --------------------------------------------------------------------------- speaking rate


def test_rate_overall_and_per_section_from_word_times() -> None:
    s1 = sentence(" ".join(["word"] * 10), 0.0, "situation", step=0.5)  # 10 words in 5 s: 120 wpm
    s2 = sentence(" ".join(["word"] * 20), 6.0, "action", step=0.3)  # 20 words in 6 s: 200 wpm
    d = measure_delivery([s1, s2])
    assert d.timed and not d.rates_estimated
    assert d.word_count == 30
    assert d.speaking_seconds == pytest.approx(12.0)
    assert d.wpm == pytest.approx(150.0)  # 30 words from 0 s to 12 s
    assert list(d.section_rates) == ["situation", "action"]
    assert d.section_rates["situation"].wpm == pytest.approx(120.0)
    assert d.section_rates["action"].words == 20
    assert d.section_rates["action"].seconds == pytest.approx(6.0)
    assert d.section_rates["action"].wpm == pytest.approx(200.0)
    assert d.notes == ()


def test_section_rate_sums_its_sentences_and_skips_the_gaps_between_them() -> None:
    a1 = sentence("one two three four five six", 0.0, "action", step=0.5)  # 3 s
    r = after(a1, "and then it ended", "result", gap=1.0)
    a2 = after(r, "seven eight nine ten eleven twelve", "action", gap=10.0)  # 3 s, after 10 s of silence
    d = measure_delivery([a1, r, a2])
    assert d.section_rates["action"].words == 12
    assert d.section_rates["action"].seconds == pytest.approx(6.0)
    assert d.section_rates["action"].wpm == pytest.approx(120.0)


def test_untimed_sentences_are_flagged_and_have_no_pauses() -> None:
    s1 = sentence("We had a backlog of forty tickets", 0.0, "situation", step=0.4, timed=False)
    s2 = sentence("I sorted them by urgency", s1.end + 5.0, "action", step=0.4, timed=False)
    d = measure_delivery([s1, s2])
    assert not d.timed and d.rates_estimated
    assert d.wpm is not None and d.wpm > 0  # still given, from the estimated times
    assert d.pauses == ()  # a 5 s gap in estimated times is not a heard pause
    assert any("estimated" in n for n in d.notes)
    assert d.to_json()["rates_estimated"] is True


def test_empty_answer() -> None:
    d = measure_delivery([])
    assert (d.word_count, d.wpm, d.fillers_per_minute, d.fillers_per_100_words) == (0, None, None, None)
    assert d.section_rates == {} and not d.quantified and not d.lesson_stated


# --------------------------------------------------------------------------- fillers


@pytest.mark.parametrize(
    "text",
    [
        "I like working with patients.",
        "I would like to lead the project.",
        "They'd like to see the data.",
        "They’d like to see the data.",  # curly apostrophe
        "I didn't like the plan.",
        "I didn't really like the plan.",
        "It looks like the queue is growing.",
        "We did it like this.",
        "It was something like that.",
        "It felt like a maze.",
        "It was like a maze at first.",
        "Like I said, we were short of staff.",
        "We used tools like Excel and Salesforce.",
        "I wanted to know what it was like.",
        "It ran just like before.",
    ],
)
def test_like_as_verb_or_comparison_is_not_a_filler(text: str) -> None:
    assert fillers(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "We were, like, behind on everything.",
        "And like we just started over.",
        "It was like really hard.",
        "Like, I called the client.",
        "There were like twenty people waiting.",
    ],
)
def test_like_as_discourse_marker_is_a_filler(text: str) -> None:
    assert fillers(text) == ["like"]


def test_hesitations_with_their_times_and_sentence() -> None:
    s0 = sentence("So the ward was full.", 0.0)
    s1 = after(s0, "Um, uh, er, erm, hmm, umm, I called the bed manager.", gap=0.0)
    d = measure_delivery([s0, s1])
    assert [f.kind for f in d.fillers] == ["um", "uh", "er", "er", "hmm", "um"]
    first = d.fillers[0]
    assert (first.text, first.start, first.end, first.sentence) == ("Um", s1.start, s1.start + 0.5, 1)
    assert d.fillers[1].text == "uh" and d.fillers[1].start == pytest.approx(s1.start + 0.5)


def test_actually_and_basically_always_count() -> None:
    assert fillers("It actually worked and basically the team agreed.") == ["actually", "basically"]
    assert fillers("I actually like the new rota.") == ["actually"]  # "like" stays a verb


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It was kind of hard to schedule.", ["kind of"]),
        ("We sort of rebuilt the rota.", ["sort of"]),
        ("It was kinda late.", ["kind of"]),
        ("We tried a kind of model I had read about.", []),
        ("What sort of data did they need?", []),
        ("She was the kind of nurse who stays late.", []),
        ("We had all kinds of problems.", []),
    ],
)
def test_kind_of_and_sort_of(text: str, expected: list[str]) -> None:
    assert fillers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It was, you know, a hard week.", ["you know"]),
        ("We fixed it, you know.", ["you know"]),
        ("Do you know the answer?", []),
        ("You know the drill.", []),
        ("I'll let you know tomorrow.", []),
        ("If you know the patients well, it helps.", []),
    ],
)
def test_you_know(text: str, expected: list[str]) -> None:
    assert fillers(text) == expected


def test_i_mean_at_a_clause_start_counts_and_its_i_does_not() -> None:
    d = measure_delivery([sentence("I mean, it was late.")])
    assert [f.kind for f in d.fillers] == ["I mean"]
    assert d.i_count == 0
    d = measure_delivery([sentence("It was late, but I mean we had no choice.")])
    assert [f.kind for f in d.fillers] == ["I mean"]
    assert fillers("That is what I mean by quality.") == []
    assert fillers("I mean to fix it.") == []


def test_filler_rates_per_minute_and_per_100_words() -> None:
    text = "Um the rota was, like, late and basically " + " ".join(["word"] * 42)
    s = sentence(text, 0.0, step=0.6)  # 50 words over 30 s
    d = measure_delivery([s])
    assert d.word_count == 50 and d.speaking_seconds == pytest.approx(30.0)
    assert d.filler_count == 3
    assert d.fillers_per_100_words == pytest.approx(6.0)
    assert d.fillers_per_minute == pytest.approx(6.0)
    assert d.filler_counts() == {"um": 1, "like": 1, "basically": 1}


def test_whisper_filler_counts_are_a_lower_bound() -> None:
    s = sentence("Um, I called the client.")
    whisper = measure_delivery([s], engine="whisper")
    assert whisper.fillers_lower_bound
    assert any("lower bound" in n and "45%" in n for n in whisper.notes)
    assert whisper.to_json()["fillers"]["lower_bound"] is True
    for engine in (None, "sphinx"):
        d = measure_delivery([s], engine=engine)
        assert not d.fillers_lower_bound
        assert not any("lower bound" in n for n in d.notes)


# --------------------------------------------------------------------------- pauses


def test_pauses_over_two_seconds_within_and_between_sentences() -> None:
    w = [
        Word("I", 5.0, 5.2),  # the 5 s before the first word is not a pause
        Word("checked", 5.2, 5.6),
        Word("the", 7.5, 7.6),  # 1.9 s: not long
        Word("chart.", 7.6, 8.0),
    ]
    s0 = Sentence("I checked the chart.", 5.0, 8.0, tuple(w), "action")
    w2 = (Word("Then", 10.5, 10.8), Word("I", 10.8, 10.9), Word("called.", 13.2, 13.6))
    s1 = Sentence("Then I called.", 10.5, 13.6, w2, "action")
    d = measure_delivery([s0, s1])
    assert d.long_pause_count == 2
    p0, p1 = d.pauses
    assert (p0.start, p0.before, p0.after, p0.sentence) == (8.0, "chart", "Then", 1)
    assert p0.seconds == pytest.approx(2.5)
    assert (p1.start, p1.before, p1.after) == (10.9, "I", "called")
    assert p1.seconds == pytest.approx(2.3)
    assert all(p.seconds > LONG_PAUSE_S for p in d.pauses)


# --------------------------------------------------------------------------- I vs we


def test_i_and_we_overall_and_in_the_action() -> None:
    s = sentence("We were short of staff and our manager was away.", 0.0, "situation")
    a1 = after(s, "I called the agency and I rostered myself onto nights.", "action")
    a2 = after(a1, "Then we split the ward between us and I'm glad we did.", "action")
    r = after(a2, "My manager thanked me and the US office copied it.", "result")
    d = measure_delivery([s, a1, a2, r])
    # singular: I, I, myself | I'm | My, me ; plural: We, our | we, us, we ; "US" is the country
    assert (d.i_count, d.we_count) == (6, 5)
    assert (d.action_i_count, d.action_we_count) == (4, 3)
    assert d.to_json()["pronouns"] == {"i": 6, "we": 5, "action_i": 4, "action_we": 3}


# --------------------------------------------------------------------------- quantified result


def _answer(result: str, reflection: str = "I learned a lot.") -> Delivery:
    s = sentence("In 2019 our clinic had thirty beds and one day the queue doubled.", 0.0, "situation")
    a = after(s, "I changed the triage order.", "action")
    r = after(a, result, "result")
    f = after(r, reflection, "reflection")
    return measure_delivery([s, a, r, f])


def test_unquantified_result() -> None:
    d = _answer("It went much better.")
    assert not d.quantified and d.quantities == ()  # the numbers in the situation do not count


def test_percent_with_its_time() -> None:
    a = sentence("I changed the triage order.", 0.0, "action")
    r = after(a, "We cut waiting time by 40 percent.", "result")
    d = measure_delivery([a, r])
    assert [(q.kind, q.text, q.sentence) for q in d.quantities] == [("percent", "40 percent", 1)]
    assert d.quantities[0].start == pytest.approx(r.start + 5 * 0.5)  # "40" is the 6th word
    assert d.quantities[0].end == pytest.approx(r.start + 7 * 0.5)


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ("It saved about two hours a day.", [("time", "two hours a day")]),
        ("Sales grew 15% and we won $20,000 in new business.", [("percent", "15%"), ("money", "$20,000")]),
        ("We saved twenty thousand dollars.", [("money", "twenty thousand dollars")]),
        ("Complaints halved and referrals doubled.", [("multiple", "halved"), ("multiple", "doubled")]),
        ("The team was three times faster.", [("multiple", "three times")]),
        (
            "After six weeks attendance went up by about a fifth.",
            [("multiple", "a fifth")],  # "after six weeks" says when, not how much
        ),
        ("We went from 12 errors to 3.", [("number", "12 errors"), ("number", "3")]),
        ("Sales rose in three stores.", [("number", "three stores")]),  # a bare "three" said nothing
        ("Two weeks later it was fixed.", []),
        ("After three weeks the jams dropped from 6 a night to 1.", [("number", "6"), ("number", "1")]),
        ("One of the parents wrote to thank us.", []),
        ("Afterwards I wrote a one page plan for the next outage.", []),  # was quoted as "a one page"
    ],
)
def test_quantities_in_the_result(result: str, expected: list[tuple[str, str]]) -> None:
    assert [(q.kind, q.text) for q in _answer(result).quantities] == expected


def test_money_that_whisper_splits_is_quoted_whole() -> None:
    """Issue 15: "$1,100" comes from Whisper as "$1" ",100", and the praise quoted "$1"."""
    tokens = ["We", "saved", "$1", ",100", "a", "month."]
    words = tuple(Word(" " + t if t[0] != "," else t, k * 0.4, k * 0.4 + 0.3) for k, t in enumerate(tokens))
    result = Sentence("We saved $1,100 a month.", 0.0, words[-1].end, words, "result")
    d = measure_delivery([result])
    assert [(q.kind, q.text) for q in d.quantities] == [("money", "$1,100")]
    assert d.quantities[0].start == 0.8 and d.quantities[0].end == pytest.approx(1.5)
    assert d.word_count == 5  # one word, not two


def test_a_figure_in_the_reflection_is_not_the_result() -> None:
    """Issue 15: "99 %" in the lesson was praised as a quantified result."""
    d = _answer("It went much better.", "Since then I have trained five new nurses.")
    assert d.quantities == ()


def test_unlabelled_answer_is_searched_whole() -> None:
    d = measure_delivery([sentence("We cut costs by 10 percent.")])  # every sentence "other"
    assert [q.text for q in d.quantities] == ["10 percent"]


# --------------------------------------------------------------------------- lesson


def test_reflection_section_states_a_lesson() -> None:
    a = sentence("I rewrote the handover sheet.", 0.0, "action")
    f = after(a, "Asking early matters more than working late.", "reflection")
    d = measure_delivery([a, f])
    assert d.lesson_stated
    assert [(e.kind, e.sentence, e.start) for e in d.lessons] == [("reflection section", 1, f.start)]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("In hindsight, I would ask for help sooner.", "in hindsight"),
        ("Next time I would start with the data.", "next time"),
        ("It taught me to listen first.", "taught me"),
        ("I would do differently by involving the parents.", "do differently"),
        ("Since then I always check the rota twice.", "since then i"),
        ("Now I always send a summary.", "now i always"),
        ("I learned to say no.", "i learned"),
    ],
)
def test_lesson_cues_anywhere(text: str, cue: str) -> None:
    d = measure_delivery(
        [sentence("We missed the deadline.", 0.0, "situation"), sentence(text, 5.0, "action")]
    )
    assert [(e.kind, e.sentence) for e in d.lessons] == [(cue, 1)]


def test_no_lesson() -> None:
    d = measure_delivery(
        [sentence("I fixed the rota.", 0.0, "action"), sentence("It worked.", 3.0, "result")]
    )
    assert not d.lesson_stated and d.lessons == ()


# --------------------------------------------------------------------------- leadership principles


def test_principle_names_match_the_question_bank() -> None:
    assert list(PRINCIPLE_LEXICON) == list(PRINCIPLES)


def test_principles_in_a_nurses_answer() -> None:
    s = sentence(
        "A patient's daughter complained that nobody explained the new medication.", 0.0, "situation"
    )
    a1 = after(s, "I took ownership and listened to her concerns right away.", "action")
    a2 = after(a1, "I checked the protocol and trained the new starters on it.", "action")
    r = after(a2, "Complaints on the ward dropped.", "result")
    d = measure_delivery([s, a1, a2, r])
    assert list(d.principles) == [
        "Customer Obsession",
        "Ownership",
        "Hire and Develop the Best",
        "Insist on the Highest Standards",
        "Bias for Action",
        "Earn Trust",
    ]
    own = d.principles["Ownership"][0]
    assert (own.text, own.kind, own.sentence, own.start) == (
        "took ownership",
        "took ownership",
        1,
        a1.start + 0.5,
    )
    assert [e.text for e in d.principles["Customer Obsession"]] == ["patient's"]
    assert [e.text for e in d.principles["Hire and Develop the Best"]] == ["trained", "new starters"]
    assert [e.text for e in d.principles["Earn Trust"]] == ["listened"]
    assert "Think Big" not in d.principles and "Frugality" not in d.principles


def test_principles_in_a_sales_leads_answer() -> None:
    s = sentence("Our biggest client wanted a discount that would blow our budget.", 0.0, "situation")
    a = after(s, "I pushed back and showed them the data on their usage.", "action")
    r = after(a, "We closed the deal and exceeded our target by 20 percent.", "result")
    d = measure_delivery([s, a, r])
    assert set(d.principles) == {
        "Customer Obsession",
        "Frugality",
        "Have Backbone; Disagree and Commit",
        "Dive Deep",
        "Deliver Results",
    }
    assert [e.text for e in d.principles["Deliver Results"]] == ["closed the deal", "exceeded"]
    assert [e.kind for e in d.principles["Customer Obsession"]] == ["client*"]
    assert d.principles["Have Backbone; Disagree and Commit"][0].text == "pushed back"


# --------------------------------------------------------------------------- hedges


def test_hedges_with_times() -> None:
    s = sentence("Maybe I think we could probably fix it.", 0.0)
    s2 = after(s, "I'm not sure but hopefully it might work and perhaps I guess it did.", gap=0.0)
    d = measure_delivery([s, s2])
    assert [h.kind for h in d.hedges] == [
        "maybe",
        "i think",
        "probably",
        "not sure",
        "hopefully",
        "might",
        "perhaps",
        "i guess",
    ]
    assert (d.hedges[1].text, d.hedges[1].start, d.hedges[1].end) == ("I think", 0.5, 1.5)
    assert d.hedge_count == 8


def test_i_feel_like_is_a_hedge_and_kind_of_is_counted_once_as_a_filler() -> None:
    d = measure_delivery([sentence("I feel like it was kind of rushed.")])
    assert [h.kind for h in d.hedges] == ["i feel like"]
    assert [f.kind for f in d.fillers] == ["kind of"]


# --------------------------------------------------------------------------- json


def test_to_json_is_plain_data() -> None:
    s = sentence("Um, we cut waiting time by 40 percent for our patients.", 0.0, "result")
    data = measure_delivery([s], engine="whisper").to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["fillers"]["count"] == 1 and data["fillers"]["by_kind"] == {"um": 1}
    assert data["quantified"] is True and data["quantities"][0]["text"] == "40 percent"
    assert data["sections"]["result"] == {"words": 11, "seconds": 5.5, "wpm": 120.0}
    assert data["principles"]["Customer Obsession"][0] == {
        "text": "patients",
        "kind": "patients",
        "start": 5.0,
        "end": 5.5,
        "sentence": 0,
    }
