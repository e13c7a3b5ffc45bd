"""How far pressure drifts tension up at the end of a turn: the one formula.

Pressure drifts each relation's tension up every turn, slowed by a hotline on
that relation (``hotline_drift_factor``) and by every signed accord
(``accord_drift_factor`` per accord). The engine applies it in the turn's
world step; the AI projects tension ahead with it. Pure: no state, no pygame.
"""

from __future__ import annotations

from collections.abc import Sequence

from game.engine.model import Rules


def drifts(
    rules: Rules, pressure: Sequence[int], hotline: Sequence[int], signed: Sequence[int]
) -> list[float]:
    """The tension each relation gains at the end of this turn, before rounding.

    ``hotline`` holds each relation's hotline turns left and ``signed`` each
    accord's signing turn (0: unsigned), as in a state.
    """
    damping = rules.accord_drift_factor ** sum(1 for s in signed if s)
    hot = rules.hotline_drift_factor
    return [p * (damping * (hot if h else 1.0)) for p, h in zip(pressure, hotline, strict=True)]
