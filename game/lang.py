"""The language the player reads scenario text in, importable without loading anything.

The Settings screen chooses it; ``str()`` of a scenario text (``Text``) shows that
translation, else English. Only words depend on it: the rules never read text.
"""

from __future__ import annotations

#: The languages the game offers a player (the Settings screen's choices, and the
#: codes the mod checker suggests first for a mistyped one).
LANGUAGES = ("en", "fr", "es", "km")

_display = ["en"]


def set_display_language(lang: str) -> None:
    """Show scenario text in ``lang`` wherever it is turned into a string."""
    _display[0] = lang


def display_language() -> str:
    return _display[0]
