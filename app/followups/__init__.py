"""Follow-up questions after an answer: which to ask (rules), and whether the reply gave it (judge)."""
