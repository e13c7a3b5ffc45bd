"""Checks of a folder of crises as a whole, as the game's crisis list sees it.

One file can be right on its own and still clash with the others: two files
with the same id, or a mod reusing the id of a built-in crisis. The crisis list
(:func:`game.content.mods.catalogue`) decides which crisis keeps an id and warns
about the others; ``envoy validate FOLDER`` reports exactly those warnings, from
the same code, so the checker and the game never disagree.
"""

from __future__ import annotations

import pathlib
from collections.abc import Mapping, Sequence

from game.content import loader, mods
from game.content.diagnostics import Diagnostic


def reused_ids(folders: Sequence[pathlib.Path]) -> Mapping[pathlib.Path, tuple[Diagnostic, ...]]:
    """The crisis list's id warnings for the scenarios in these folders, by resolved path.

    A built-in crisis is never warned about for clashing with itself, so checking
    the game's own folder reports only real clashes.
    """
    if not folders:
        return {}
    builtin = {path.resolve() for path in loader.builtin_scenarios()}
    return {
        entry.path.resolve(): entry.notes
        for entry in mods.catalogue(folders)
        if entry.is_mod and entry.notes and entry.path.resolve() not in builtin
    }
