"""The desktop client: the only package that imports pygame and pygame_gui."""

import os

# A game does not greet its players with its library's banner, and an error such as
# "no display found" must be the only line it prints.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
