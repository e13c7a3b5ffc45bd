"""End conditions and scoring (DESIGN §1.7).

The shared outcome (peace, stalemate or conflict) sets a shared part and a
multiplier; each seat adds the points of the objectives on its private agenda
that hold at the end, and a share of its mean final standing. Peace multiplies
everyone's score and conflict zeroes the shared part, so the best a team can do
on its own is still worth less than a crisis everyone settles.

A crisis with drafts (format 2) scores interests instead (NEGOTIATION.md §3):
each envoy adds its own value of every package signed, peace adds only a small
bonus, a stalemate scores the envoy's BATNA and conflict a heavy loss, and
nothing is multiplied. So a deal that is bad for a seat can score less than no
deal, and refusing it is sometimes right.
"""

from __future__ import annotations

import attrs

from game.engine import bargain
from game.engine.model import Text
from game.engine.state import CONFLICT, PEACE, STALEMATE, GameState


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
    shared: float  # the outcome's shared points (format 2: the peace bonus, BATNA or loss)
    multiplier: float
    total: float
    deals: float = 0.0  # format 2: the envoy's own value of the packages signed, weighted


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
    if negotiated(state):
        shared, deals = _negotiated(state, envoy, outcome)
        total = round(agenda + standing + shared + deals, 2)
        return Score(spec.id, results, agenda, standing, shared, 1.0, total, deals)
    shared = rules.shared_points.get(outcome, 0)
    multiplier = rules.multiplier.get(outcome, 1.0)
    total = round((agenda + standing + shared) * multiplier, 2)
    return Score(spec.id, results, agenda, standing, shared, multiplier, total)


def negotiated(state: GameState) -> bool:
    """Whether the crisis scores interests (format 2): it has an accord with issues."""
    numbers = state.scenario.rules.bargaining
    return numbers is not None and numbers.scoring is not None and any(state.drafts)


def _negotiated(state: GameState, envoy: int, outcome: str) -> tuple[float, float]:
    """(the outcome's points, the deals' points) of one envoy in a format-2 crisis."""
    numbers = state.scenario.rules.bargaining.scoring
    if outcome == CONFLICT:  # a war voids what was signed
        return numbers.conflict, 0.0
    shared = numbers.peace_bonus if outcome == PEACE else 0.0
    if outcome == STALEMATE:
        shared = state.scenario.envoys[envoy].batna
    deals = 0.0
    for accord, signed in enumerate(state.signed):
        if signed and state.drafts[accord]:
            values = deal_values(state, envoy, accord)
            if values is not None:
                deals += values.utility(state.drafts[accord])
    return shared, round(numbers.deal_weight * deals, 2)


def deal_values(state: GameState, envoy: int, accord: int) -> bargain.Values | None:
    """An envoy's values for an accord's packages, as far as ``state`` knows them: the
    full state knows its party's true type; a view knows what its seat has learned
    (its own party's, exactly). None for an envoy indifferent to the accord."""
    interest = bargain.envoy_interest(state.scenario, envoy, accord)
    if interest is None:
        return None
    party = state.scenario.envoys[envoy].party
    if party >= 0 and state.all_seeing:
        return bargain.true_types(state)[party][accord].values
    return bargain.expected(interest)


def scores(state: GameState) -> dict[str, Score]:
    """The score of every seated envoy, in seat order."""
    return {state.scenario.envoys[e].id: score(state, e) for e in state.turn_order}
