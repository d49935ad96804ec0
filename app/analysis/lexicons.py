"""Word lists the delivery figures match against, kept apart from the matching code: hedging words,
phrases that state a lesson, and a lexicon per Amazon Leadership Principle. Entries are lower case;
a trailing "*" matches any ending."""

from __future__ import annotations

HEDGES: tuple[str, ...] = (
    "maybe",
    "perhaps",
    "i think",
    "i guess",
    "i suppose",
    "probably",
    "somewhat",
    "hopefully",
    "might",
    "i feel like",
    "not sure",
    "wasn't sure",
    "unsure",
)

LESSON_CUES: tuple[str, ...] = (
    "i learned",
    "i learnt",
    "i've learned",
    "i have learned",
    "i've learnt",
    "taught me",
    "next time",
    "do differently",
    "done differently",
    "do things differently",
    "in hindsight",
    "looking back",
    "since then i",
    "since then we",
    "now i always",
    "i now always",
    "from then on",
    "ever since",
    "the lesson",
    "my lesson",
    "lesson learned",
    "takeaway",
    "if i did it again",
    "if i had to do it again",
    "going forward i",
)

# Names as in app.bank.questions.PRINCIPLES (a test keeps them in step; importing it would pull in pydantic).
PRINCIPLE_LEXICON: dict[str, tuple[str, ...]] = {
    "Customer Obsession": (
        "customer*", "client*", "user*", "end user*", "patients", "patient's", "the patient", "a patient",
        "my patient", "our patient", "student*", "pupil*", "parents", "guest*", "shopper*", "buyer*",
        "resident*", "what they needed", "what she needed", "what he needed", "their needs",
        "put myself in their shoes", "on behalf of", "their experience", "feedback from",
    ),
    "Ownership": (
        "took ownership", "take ownership", "took responsibility", "take responsibility",
        "my responsibility", "on my own initiative", "took it upon myself", "took charge",
        "volunteered", "stepped up", "stepped in", "i owned", "owned it", "accountable", "accountability",
        "wasn't my job", "not my job", "outside my role", "beyond my role", "followed through",
        "followed up",
    ),
    "Invent and Simplify": (
        "simpler", "simplif*", "new way", "new process", "automat*", "streamlin*", "came up with",
        "invent*", "innovat*", "from scratch", "template*", "workaround", "redesign*", "my idea",
        "fewer steps", "cut out",
    ),
    "Are Right, A Lot": (
        "judgement", "judgment", "decided", "decision*", "trade off*", "tradeoff*", "weighed",
        "pros and cons", "options", "instinct*", "the right call", "turned out to be right",
        "gut feeling", "prioriti*",
    ),
    "Learn and Be Curious": (
        "learned", "learnt", "curious", "curiosity", "read up", "taught myself", "self taught",
        "course", "certification", "new skill*", "researched", "research", "explored", "studied",
        "asked questions", "wanted to understand",
    ),
    "Hire and Develop the Best": (
        "mentor*", "coached", "coaching", "trained", "training", "onboard*", "hired", "hiring",
        "recruited", "new hire*", "new starter*", "junior*", "shadow*", "taught them", "taught her",
        "taught him", "developed my team", "gave feedback", "helped them grow", "delegat*",
    ),
    "Insist on the Highest Standards": (
        "quality", "standard*", "checklist*", "review*", "double check*", "audit*", "high bar",
        "raised the bar", "best practice*", "protocol*", "guideline*", "accuracy", "accurate",
        "no errors", "zero errors", "defect*", "error rate", "thorough*", "attention to detail",
    ),
    "Think Big": (
        "long term", "vision", "scale", "scalab*", "scaling", "big picture", "bigger picture",
        "ambitio*", "across the company", "company wide", "across the hospital", "across the school",
        "across the region", "district wide", "rolled out", "roll out", "strateg*", "transform*",
    ),
    "Bias for Action": (
        "quickly", "immediately", "right away", "straight away", "didn't wait", "did not wait",
        "without waiting", "same day", "that day", "within an hour", "within hours", "jumped in",
        "acted fast", "calculated risk", "urgent*", "asap", "fast",
    ),
    "Frugality": (
        "budget*", "cost*", "saved money", "save money", "savings", "with what we had",
        "with what i had", "no extra", "without extra", "limited resources", "cheaper", "free tool*",
        "reuse*", "reused", "resourceful", "under budget", "lean", "spent less",
    ),
    "Earn Trust": (
        "trust*", "transparent", "transparency", "honest*", "listened", "listening", "admitted",
        "my mistake", "owned up", "apologi*", "respect*", "kept them informed", "kept everyone informed",
        "kept her informed", "kept him informed", "candid", "rapport", "credib*", "relationship*",
        "openly",
    ),
    "Dive Deep": (
        "root cause*", "dug into", "dig into", "digging into", "dug deeper", "data", "analys*",
        "analyz*", "investigat*", "metric*", "looked into", "looked closely", "the numbers",
        "spreadsheet*", "logs", "traced", "pattern*", "details", "why it was happening",
    ),
    "Have Backbone; Disagree and Commit": (
        "disagreed", "disagree*", "pushed back", "push back", "committed to", "commit to", "spoke up",
        "challenged", "raised my concern*", "raised concerns", "raised a concern", "voiced",
        "objected", "stood my ground", "respectfully", "went along with", "backed the decision",
    ),
    "Deliver Results": (
        "delivered", "deliver", "on time", "met the goal", "met our goal", "met the deadline",
        "met the target", "met our target", "hit the target", "hit our target", "exceeded",
        "ahead of schedule", "shipped", "launched", "completed", "achieved", "closed the deal",
        "closed the sale", "closed deals", "increased", "reduced", "improved", "outcome*",
    ),
    "Strive to be Earth's Best Employer": (
        "well being", "wellbeing", "morale", "burnout", "burned out", "burnt out", "psychological safety",
        "safe environment", "inclusive", "inclusion", "work life balance", "supported my team",
        "checked in with", "empower*", "diversity", "recognised", "recognized", "celebrated",
        "career", "belonging",
    ),
    "Success and Scale Bring Broad Responsibility": (
        "communit*", "sustainab*", "environmental*", "the impact on", "safety", "privacy", "ethic*",
        "society", "the public", "waste", "accessib*", "do the right thing", "the right thing to do",
        "regulat*", "complian*",
    ),
}  # fmt: skip
