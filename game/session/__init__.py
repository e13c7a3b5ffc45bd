"""A played match and what keeps it: seats, the action log, saves, autosaves and settings."""
