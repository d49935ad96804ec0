"""History: the attempts list, replaying one attempt, and comparing two."""
