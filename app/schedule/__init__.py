"""What to practise today: each answer graded from its analysis (or by the person), and FSRS spaced
repetition over those grades per question and per story."""
