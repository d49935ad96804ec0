"""The words and patterns the delivery measures look for (app/analysis/delivery.py explains each rule):
fillers and the contexts that make "like" or "you know" a filler, I and we, numbers and quantities."""

from __future__ import annotations

import re


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


FILLER_HESITATIONS = re.compile(r"u+h*m+|u+h+|e+r+m*|h+m+")  # whole token: um umm uhm uh uhh er erm hmm


HESITATION_KINDS = frozenset({"um", "uh", "er", "hmm"})


FILLER_ALWAYS = {"actually": "actually", "basically": "basically", "kinda": "kind of", "sorta": "sort of"}


# "like" as a verb: one of these right before it (adverbs in LIKE_SKIP_ADVERBS skipped).
LIKE_SUBJECTS_AUX = word_set(
    "i you we they he she who people would wouldn't will won't do does did don't doesn't didn't "
    "to might may could couldn't should shouldn't can can't must also"
)


LIKE_SKIP_ADVERBS = word_set(
    "really also just always still never actually genuinely honestly truly definitely even "
    "particularly especially all both not usually generally"
)


# "like" as comparison: one of these right before it.
LIKE_COMPARE_BEFORE = word_set(
    "look looks looked looking sound sounds sounded sounding feel feels felt feeling seem seems "
    "seemed seeming taste tastes tasted smell smells smelled act acts acted something anything "
    "nothing everything someone somebody anyone anybody everyone people things stuff just more "
    "much exactly lot little bit"
)


LIKE_BE = word_set("is was were are be been being am 's 're")


LIKE_DETERMINERS_AFTER = word_set("a an the")


LIKE_DEMONSTRATIVES = word_set("this that these those")


LIKE_COMPARE_AFTER = word_set("before usual always normal everyone everybody anyone anybody")


LIKE_AS = word_set("said mentioned say discussed agreed planned")  # "like I said"


YOU_KNOW_VERB_BEFORE = word_set(
    "do does did don't doesn't didn't if whether unless when what how as let would will can could "
    "should might may to that"
)


YOU_KNOW_OBJECT_AFTER = word_set(
    "the a an your my our his her their it him them about exactly everything everyone anything "
    "nothing someone that this"
)


I_MEAN_AFTER_CONJ = word_set("and but so or well because")


KIND_OF_DETERMINERS = word_set(
    "a an the this that these those what which any some every each one same different other "
    "another no whatever certain particular new right wrong my your our their his her its all"
)


SINGULAR = word_set("i i'm i've i'd i'll me my mine myself")


PLURAL = word_set("we we're we've we'd we'll us our ours ourselves")


_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundreds? thousands? millions? billions? dozens?"
)


_W = "(?:" + "|".join(_NUMBER_WORDS.split()) + ")"


_DIGITS = r"\d[\d,]*(?:\.\d+)?"


_NUM = rf"(?:{_DIGITS}(?: (?:hundred|thousand|million|billion))?|(?:a )?{_W}(?:[ ](?:and )?{_W})*(?: and a half)?)"


_UNIT_TIME = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|shifts?|quarters?)"


_QUANTITY_KINDS = (
    # story time, not a result: "two weeks later", "three years ago", "after three weeks", "one day"
    # and a time of day tells when, not how much: "8 a.m." ("8" "a" ".m." from Whisper), "6:30 pm"
    ("skip", rf"{_NUM} {_UNIT_TIME} (?:ago|later|earlier|before|after|old|into)\b|(?<=after )(?:about |around )?{_NUM} {_UNIT_TIME}\b|one (?:day|time|morning|afternoon|evening|night)\b|(?:\d{{1,2}}(?:[:.]\d\d)?|{_W}) ?(?:[ap] ?\.? ?m\b\.?|o'?clock\b)"),
    ("percent", rf"{_NUM} ?(?:%|percent\b|per cent\b|percentage points?\b)"),
    ("money", rf"[$£€] ?{_NUM}(?: ?(?:k|m|bn)\b)?|{_NUM} ?(?:k |m |bn )?(?:dollars|pounds|euros|bucks|quid)\b|{_DIGITS} ?(?:k|bn)\b"),
    ("multiple", rf"{_NUM} (?:times|fold)\b|{_DIGITS}x\b|double(?! ?check)[a-z]*|tripl[a-z]*|quadrupl[a-z]*|halv[a-z]*|twice|half|(?:a|one|two|three) (?:third|quarter|fifth|tenth)s?"),
    ("time", rf"{_NUM} (?:(?:more|fewer|less|extra|full|whole) )?{_UNIT_TIME}(?: (?:a|per|each|every) (?:day|week|month|year|shift|hour|quarter))?"),
    ("number", _NUM),
)  # fmt: skip


QUANTITY = re.compile(
    r"(?<![\w$£€])(?:" + "|".join(f"(?P<{k}>{rx})" for k, rx in _QUANTITY_KINDS) + r")(?![\w])"
)


YEAR = re.compile(r"(?:19|20)\d\d")


# Words after a number that are not what it counts ("cut it to three and…", "three of them").
NOT_COUNTED = word_set(
    "and or but to of in on at by for from with the a an than as so that which who when if"
)
