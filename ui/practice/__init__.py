"""Practising: the recording screen, the feedback screen with its timeline and points, and correcting a label."""
