"""The story bank screen."""
