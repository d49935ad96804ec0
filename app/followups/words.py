"""The words that often give what a follow-up asked: features for the judge by meaning
(app.followups.reply_features), and the whole judge when the meaning model cannot load (judge.py)."""

from __future__ import annotations

import re

PHRASES: dict[str, tuple[str, ...]] = {
    "task": (
        r"responsib\w*", r"my (?:job|role|task|goal|brief|remit)", r"i (?:had|needed|was asked|was meant|was supposed) to",
        r"asked me to", r"(?:i was|i'm|i am) in charge", r"in charge of", r"(?:on|up to) me", r"i owned",
        r"i was tasked", r"tasked me", r"i had to make sure", r"i was accountable",
    ),
    "lesson": (
        r"i would", r"i'd", r"i should have", r"i should've", r"i will", r"i'll", r"now i", r"i now",
        r"i learn\w*", r"next time", r"taught me", r"lesson", r"in hindsight", r"looking back",
        r"i realis\w*", r"i realiz\w*", r"differently", r"from then on", r"ever since",
    ),
    "outcome": (
        r"in the end", r"finally", r"as a result", r"ended up", r"turned out", r"result\w*", r"shipped",
        r"launched", r"saved", r"cut", r"reduc\w*", r"increas\w*", r"improv\w*", r"dropped", r"went (?:up|down)",
        r"since then", r"afterwards", r"worked", r"fixed", r"solved", r"on time", r"delivered", r"finished",
        r"passed", r"won", r"promoted", r"happier", r"better", r"faster", r"fewer", r"no longer", r"stopped",
    ),
    "data": (
        r"data", r"numbers?", r"metrics?", r"logs?", r"dashboards?", r"quer(?:y|ies)", r"spreadsheets?",
        r"charts?", r"graphs?", r"surveys?", r"analys\w*", r"analyz\w*", r"measur\w*", r"compar\w*",
        r"breakdown", r"samples?", r"trends?", r"reports?", r"records?", r"tickets?", r"figures?",
    ),
    "evidence": (
        r"check\w*", r"test\w*", r"verif\w*", r"validat\w*", r"confirm\w*", r"asked", r"pilot\w*", r"trial\w*",
        r"feedback", r"came back", r"told me", r"proof", r"showed", r"evidence", r"data", r"numbers?",
        r"measur\w*", r"compar\w*",
    ),
    "learning": (
        r"learn\w*", r"read", r"course", r"studied", r"taught myself", r"tutorials?", r"documentation",
        r"docs", r"practi[sc]\w*", r"asked", r"mentor\w*", r"figured out", r"experiment\w*", r"watched",
        r"paper\w*", r"books?",
    ),
}  # fmt: skip
# Each kind's phrases, the most telling first: "it was my job" is better evidence than "asked me to".
PATTERNS = {
    kind: [re.compile(r"\b(?:" + p.replace(" ", r"\s+") + r")\b", re.IGNORECASE) for p in phrases]
    for kind, phrases in PHRASES.items()
}
# "Nobody had asked me to", "it wasn't my job": a phrase just after a negation is no evidence.
NEGATED = re.compile(r"\b(?:no|not|nobody|no one|never|\w+n't)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
PHRASES_EXTRA: dict[str, tuple[str, ...]] = {
    "reason": (r"because", r"since", r"so that", r"the reason", r"rather than", r"instead of", r"safer",
               r"cheaper", r"quicker", r"risk", r"if it", r"didn't want", r"wanted to"),
    "customer": (r"customers?", r"clients?", r"users?", r"patients?", r"guests?", r"needed", r"wanted"),
    "own_part": (r"i (?:\w+ed|did|made|wrote|built|took|went|set|ran|got|told|said|asked|called|sat)",),
}  # fmt: skip
PATTERNS.update(
    {
        kind: [re.compile(r"\b(?:" + p.replace(" ", r"\s+") + r")\b", re.IGNORECASE) for p in phrases]
        for kind, phrases in PHRASES_EXTRA.items()
        if kind not in PATTERNS
    }
)
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    r"fifty|sixty|hundred|thousand|million|half|quarter|dozen|percent|double|doubled|tripled|halved)\b",
    re.IGNORECASE,
)
_I = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself)\b", re.IGNORECASE)
_WE = re.compile(r"\b(?:we|we're|we've|we'd|we'll|us|our|ourselves)\b", re.IGNORECASE)


def word_evidence(kind: str, text: str) -> str:
    """The first phrase of `kind`'s list in `text` that no negation just before takes back, or ""."""
    text = text.replace("\u2019", "'")
    for pattern in PATTERNS.get(kind, ()):
        for m in pattern.finditer(text):
            if not NEGATED.search(text[max(0, m.start() - 40) : m.start()]):
                return m.group(0)
    return ""


def has_number(text: str) -> bool:
    return bool(_NUMBER.search(text))


def i_share(text: str) -> float:
    """ "I" against "we": 1.0 all "I", 0.0 all "we" (or neither)."""
    i, we = len(_I.findall(text)), len(_WE.findall(text))
    return i / (i + we) if i + we else 0.0
