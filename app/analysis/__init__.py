"""Plain-Python analysis of a spoken answer: sentences, STAR labels, timing, delivery, feedback."""
