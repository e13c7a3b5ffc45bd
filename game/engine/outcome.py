"""End conditions and scoring (DESIGN §1.7).

The shared outcome (peace, stalemate or conflict) sets a shared part and a
multiplier; each seat adds the points of the objectives on its private agenda
that hold at the end, and a share of its mean final standing. Peace multiplies
everyone's score and conflict zeroes the shared part, so the best a team can do
on its own is still worth less than a crisis everyone settles.
"""

from __future__ import annotations

import attrs

from game.engine.model import Text
from game.engine.state import GameState


@attrs.frozen
class ObjectiveResult:
    id: str
    text: Text  # the objective's own text: the reader picks the language
    met: bool
    points: int


@attrs.frozen
class Score:
    envoy: str
    objectives: tuple[ObjectiveResult, ...]
    agenda: int  # points from objectives met
    standing: float  # points from mean final standing
    shared: int  # the outcome's shared points
    multiplier: float
    total: float


def score(state: GameState, envoy: int, outcome: str | None = None) -> Score:
    """One envoy's score, for the given outcome (by default the game's, else stalemate)."""
    scenario, rules = state.scenario, state.scenario.rules
    outcome = outcome or state.outcome or "stalemate"
    spec = scenario.envoys[envoy]
    results = tuple(
        ObjectiveResult(o.id, o.text, bool(o.when(state, (envoy,))), o.points) for o in spec.agenda
    )
    agenda = sum(r.points for r in results if r.met)
    parties = len(scenario.parties)
    row = state.standing[envoy * parties : (envoy + 1) * parties]
    standing = round(rules.standing_weight * sum(row) / parties, 2)
    shared = rules.shared_points.get(outcome, 0)
    multiplier = rules.multiplier.get(outcome, 1.0)
    total = round((agenda + standing + shared) * multiplier, 2)
    return Score(spec.id, results, agenda, standing, shared, multiplier, total)


def scores(state: GameState) -> dict[str, Score]:
    """The score of every seated envoy, in seat order."""
    return {state.scenario.envoys[e].id: score(state, e) for e in state.turn_order}
