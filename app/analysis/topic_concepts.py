"""What the off-topic check knows: the things a question may ask for in particular, how a question
asks for one (a regex on its text), the words that often show it (a clue, never the verdict alone), and
a few sentences that show it without those words, as people say them. The sentences are compared by
meaning with what the person said (app.analysis.topic).

A question asks for the first concept in this table its text matches (the specific ones first). A
question that matches none ("your biggest achievement", "the most complicated project") is never checked.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    name: str  # what the question asks for, as the person is told ("a disagreement")
    asked_by: str  # regex on the question's text
    heard_as: str  # regex on the answer's text: words that often show it
    shown_by: tuple[str, ...]  # sentences that show it, for the comparison by meaning


def _words(*alternatives: str) -> str:
    return r"\b(?:" + "|".join(a.replace(" ", r"\s+") for a in alternatives) + r")"


CONCEPTS: tuple[Concept, ...] = (
    Concept(
        "telling others you could not finish in time",
        _words("report this to stakeholders", "unable to complete"),
        _words("told", "tell", "inform", "updat", "email", "call", "explain", "stakeholder", "manager", "client",
               "warn", "flag", "escalat", "raised", "honest", "heads up"),
        ("I told my manager straight away that we would not make the date.",
         "So I rang the client and explained it was going to be a week late.",
         "I gave everyone a heads up early that it would slip, and a new date."),
    ),
    Concept(
        "a trade-off between speed and quality",
        _words("trade off", "trade-off", "tradeoff"),
        _words("trade", "quality", "corner", "compromis", "instead", "rather than", "scope", "priorit",
               "good enough", "polish", "perfect", "rush"),
        ("We could ship it on time or do it properly, not both.",
         "I decided to leave the nice-to-have bits out so it went out on the day.",
         "It wasn't perfect but it was good enough, and we fixed the rest later."),
    ),
    Concept(
        "a disagreement",
        _words("disagree", "conflict", "challenged your approach", "not agreed"),
        _words("disagree", "agree", "push(?:ed)? back", "object", "argu", "conflict", "clash", "challeng",
               "convinc", "persuad", "concern", "debate", "tension", "friction", "eye to eye", "resist", "oppos",
               "skeptic", "sceptic", "doubt", "pushback", "wasn't sure", "not sure"),
        ("My manager wanted one thing and I thought it was the wrong call.",
         "She didn't like my idea at all and told me so in front of everyone.",
         "I wasn't having it, so I went over to his desk and said why I thought he was wrong.",
         "We went back and forth about it for a couple of days."),
    ),
    Concept(
        "a deadline",
        _words("deadline"),
        _words("deadline", "due", "on time", "in time", "late", "rush", "urgent", "tight", "launch", "clock",
               "overnight", "days? left", "hours? left", "by friday", "by monday"),
        ("We had two days to get the whole thing done.",
         "It had to be finished by Friday morning, no matter what.",
         "The clock was ticking and we were nowhere near ready."),
    ),
    Concept(
        "a risk, a mistake or a failure",
        _words("mistake", "fail", "risk"),
        _words("mistake", "wrong", "fail", "error", "risk", "messed", "screwed", "fault", "blame", "backfir",
               "didn't work", "broke", "oversight", "overlook", "gamble", "regret", "sorry", "apologi",
               "should have", "went wrong", "disaster", "embarrass"),
        ("I got it wrong and it was my fault.",
         "I messed up the order and we lost the client's trust for a while.",
         "It was a gamble, and honestly it could have gone badly.",
         "That one didn't work out, and I had to own up to it."),
    ),
    Concept(
        "using data",
        _words("data"),
        _words("data", "numbers?", "metric", "figure", "analys", "analyz", "dashboard", "spreadsheet", "survey",
               "statistic", "percent", "measur", "trend", "logs?", "records", "tracked", "excel", "query", "sql",
               "chart", "graph", "sample"),
        ("I pulled the numbers from the last six months and looked at where it was going wrong.",
         "I put all the sales figures into a spreadsheet and the pattern jumped out.",
         "The logs showed most of the failures happened on one machine."),
    ),
    Concept(
        "a customer",
        _words("customer"),
        _words("customer", "client", "user", "patient", "guest", "shopper", "buyer", "caller", "resident",
               "member", "parent", "visitor", "passenger", "diner"),
        ("The lady at the farmhouse kept ringing because her order never arrived.",
         "He needed his prescription before the weekend, so I sorted it for him.",
         "I listened to what the people using it actually wanted and changed it for them.",
         "A regular came in really upset because we'd got her booking wrong."),
    ),
    Concept(
        "an unusual or inventive solution",
        _words("innovative", "unexpected"),
        _words("idea", "new way", "nobody had", "no one had", "never been", "creative", "unusual", "invent",
               "trick", "hack", "different approach", "instead of"),
        ("So I tried something nobody there had done before.",
         "Instead of the usual fix, I came up with a completely different way of doing it.",
         "It was a bit of an odd idea, but I used an old fridge thermometer and a phone to track it."),
    ),
    Concept(
        "a simple solution",
        _words("simple solution"),
        _words("simple", "simpl", "easy", "just", "small change", "quick fix", "one thing", "basic", "cheap"),
        ("In the end the fix was really simple, we just moved the sign.",
         "Everyone was planning something big, but one small change solved it.",
         "I stripped it back to the one thing that was actually causing the problem."),
    ),
    Concept(
        "a decision without approval",
        _words("without explicit approval", "without approval"),
        _words("approv", "permission", "sign off", "signed off", "authori", "didn't wait", "without asking",
               "my own call", "made the call", "on my own", "couldn't reach", "wasn't there", "decided"),
        ("I couldn't reach anyone, so I just made the call myself.",
         "I didn't wait to hear back from my boss, I switched it over.",
         "Technically it wasn't my decision to make, but I went ahead and did it."),
    ),
    Concept(
        "asking others for help",
        _words("ask for support", "support from others"),
        _words("ask", "help", "support", "reach(?:ed)? out", "another team", "other team", "borrow", "expert",
               "favour", "favor"),
        ("I couldn't do it on my own, so I went to the team next door and asked for help.",
         "I reached out to someone in finance who knew the system much better than me.",
         "I had to swallow my pride and ask my manager for two more people."),
    ),
    Concept(
        "helping a teammate",
        _words("helped a teammate", "teammate who was in trouble"),
        _words("help", "colleague", "teammate", "struggl", "behind", "overwhelm", "stress", "cover", "support",
               "sat with", "new starter", "mentor"),
        ("One of the guys on my shift was really struggling and falling behind.",
         "I sat down with her after work and we went through it together.",
         "I took a couple of his jobs off him so he could catch up."),
    ),
    Concept(
        "exploring something new",
        _words("explored a new area", "out of your comfort zone"),
        _words("new", "never", "learn", "first time", "didn't know", "no idea", "taught myself", "course",
               "read up", "unfamiliar", "comfort zone", "nervous", "scared"),
        ("I'd never done anything like it before and I had no idea where to start.",
         "I taught myself the basics from videos over a couple of weekends.",
         "It was completely outside what I knew, so I read up on it first."),
    ),
    Concept(
        "work beyond your role",
        _words("outside of your normal duties", "beyond your original responsibility", "beyond your scope"),
        _words("not my job", "wasn't my job", "outside", "beyond", "extra", "volunteer", "took on", "stepped up",
               "nobody else", "no one else", "on top of", "my role", "responsib"),
        ("It wasn't really my job, but nobody else was going to do it.",
         "On top of my normal shifts I took on sorting out the stock room.",
         "I stepped up and ran the whole thing even though I was only meant to help."),
    ),
    Concept(
        "unclear responsibilities",
        _words("unclear responsibilities"),
        _words("unclear", "clear", "confus", "who was doing", "who owned", "nobody knew", "no one knew",
               "role", "responsib", "expect", "vague", "brief"),
        ("When I started, nobody could tell me what I was actually meant to be doing.",
         "It was really unclear who owned what, so things kept falling through the gaps.",
         "I sat down with my manager and wrote out what my job actually was."),
    ),
    Concept(
        "giving up something now for later",
        _words("short-term goal for a long-term", "short term goal for a long term"),
        _words("long term", "long-term", "short term", "short-term", "later", "future", "sacrific", "gave up",
               "give up", "worth it", "pay off", "paid off", "instead", "invest"),
        ("We took a hit that month so it would be much better for the rest of the year.",
         "I gave up the quick win because it would have caused problems later.",
         "It cost us some time then, but it paid off over the next year."),
    ),
    Concept(
        "earning trust",
        _words("earn trust"),
        _words("trust", "convinc", "persuad", "won (?:them|him|her) over", "believ", "credib", "honest",
               "skeptic", "sceptic", "doubt", "buy-in", "buy in", "on board"),
        ("They didn't trust me at first because I was new.",
         "I had to win them over, so I showed them it worked on a small batch first.",
         "By the end they were coming to me for advice."),
    ),
    Concept(
        "bringing a group together",
        _words("motivate a group", "promote collaboration"),
        _words("team", "motivat", "morale", "together", "collaborat", "everyone", "group", "engag", "spirit",
               "encourag", "involve"),
        ("Everyone was fed up and morale was really low.",
         "I got the two groups in one room and we agreed how to work together.",
         "I made sure everyone had a part they actually cared about."),
    ),
)  # fmt: skip
