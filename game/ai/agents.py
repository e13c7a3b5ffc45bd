"""AI envoys. Each sees only ``player_view`` and ``legal_actions``, and each is seeded.

An agent is anything with ``choose(view, seat, legal) -> Action``. A human seat
is the same interface fed by the UI, so the session code never asks who is
playing. The engine's own preview (the odds and both outcomes of a move) is the
only look-ahead the baseline agents use.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from typing import Any, Protocol

import attrs

from game.engine import rng
from game.engine.actions import Action, Decide, End, Play, Withdraw
from game.engine.rules import apply, preview
from game.engine.state import GameState
from game.tunables import read_tunables


class Agent(Protocol):
    name: str

    def choose(self, view: GameState, seat: str, legal: Sequence[Action]) -> Action: ...


class RandomAgent:
    """Chooses uniformly among the legal moves and ending its turn (it never withdraws)."""

    name = "random"

    def __init__(self, seed: int):
        self._rng = rng.seed_state(seed)

    def choose(self, view: GameState, seat: str, legal: Sequence[Action]) -> Action:
        value, self._rng = rng.random(self._rng)
        # The same pick as filtering out every Withdraw first, without a Python
        # loop over dozens of actions each turn: the kinds are counted in C, and
        # legal_actions lists the Withdraws after the Plays, where a pick rarely lands.
        kinds = list(map(type, legal))
        withdraws = kinds.count(Withdraw)
        count = len(kinds) - withdraws
        if count > 0 and _KINDS.issuperset(kinds):
            pick = min(int(value * count), count - 1)
            if not withdraws or pick < kinds.index(Withdraw):
                return legal[pick]
        options = [a for a in legal if not isinstance(a, Withdraw)]
        return options[min(int(value * len(options)), len(options) - 1)]


_KINDS = frozenset((Play, Decide, End, Withdraw))  # exact types: no subclass of Withdraw slips by


# ------------------------------------------------------------------- greedy


def evaluate(state: GameState, envoy: int) -> float:
    """How good a state looks to one envoy: the crisis first, its own agenda second.

    Tension is projected a few turns ahead with the drift it will suffer (so
    hotlines, pressure cuts and accords count), and hurts more the closer it is
    to conflict. Trust, signed accords, the odds of the unsigned ones and peace
    count for everyone; the agenda and standing count for this envoy.
    """
    scenario = state.scenario
    rules = scenario.rules
    if state.is_over:
        return {"peace": 1000.0, "stalemate": 0.0, "conflict": -1000.0}[state.outcome]
    signed = sum(1 for s in state.signed if s)
    damping = rules.accord_drift_factor**signed
    horizon = min(3, state.last_turn - state.turn + 1)
    conflict_at = scenario.conflict_at
    value = 0.0
    for index in range(len(state.tension)):
        factor = damping * (rules.hotline_drift_factor if state.hotline[index] else 1.0)
        projected = state.tension[index] + state.pressure[index] * factor * horizon
        ratio = projected / conflict_at
        value -= 90.0 * ratio**4 + (400.0 if projected >= conflict_at else 0.0)
        value += 0.3 * state.trust[index]
    for index in range(len(scenario.accords)):
        value += 40.0 if state.signed[index] else 15.0 * scenario.accord_odds(state, index)
    if scenario.peace(state, ()):
        value += 100.0
    spec = scenario.envoys[envoy]
    value += 2.0 * sum(o.points for o in spec.agenda if o.when(state, (envoy,)))
    parties = len(scenario.parties)
    value += 0.05 * sum(state.standing[envoy * parties : (envoy + 1) * parties]) / parties
    return value


class GreedyAgent:
    """Takes the move with the best expected gain per turn, until none is worth it.

    For each legal move it asks the engine for a preview (the odds, the state on
    success with its delayed effects, the state on failure) and weighs the two
    by the odds. Decisions are weighed the same way. Ties are broken by its
    own seeded dice, so two greedy envoys do not move in lockstep.
    """

    name = "greedy"
    threshold = 0.5  # smallest gain worth a move

    def __init__(self, seed: int):
        self._rng = rng.seed_state(seed)

    def choose(self, view: GameState, seat: str, legal: Sequence[Action]) -> Action:
        envoy = view.viewer if view.viewer >= 0 else view.scenario.envoy_index(seat)
        now = evaluate(view, envoy)
        best: list[Action] = []
        best_gain = self.threshold
        for action in legal:
            gain = self._gain(view, envoy, action, now)
            if gain > best_gain + 1e-9:
                best, best_gain = [action], gain
            elif abs(gain - best_gain) <= 1e-9:
                best.append(action)
        if not best:
            decisions = [a for a in legal if isinstance(a, Decide)]
            if decisions:
                return max(decisions, key=lambda a: self._gain(view, envoy, a, now))
            ends = [a for a in legal if isinstance(a, End)]
            return ends[0] if ends else legal[0]
        value, self._rng = rng.random(self._rng)
        return best[min(int(value * len(best)), len(best) - 1)]

    def _gain(self, view: GameState, envoy: int, action: Action, now: float) -> float:
        if isinstance(action, Play):
            seen = preview(view, action, entries=False)
            win = evaluate(seen.success, envoy)
            lose = evaluate(seen.failure, envoy)
            return seen.chance * win + (1 - seen.chance) * lose - now
        if isinstance(action, Decide):
            after, _ = apply(view, action)
            return evaluate(after, envoy) - now
        return float("-inf")


POLICIES = {"random": RandomAgent, "greedy": GreedyAgent}


def make_agent(policy: str, seed: int) -> Agent:
    """An agent by policy name (see :data:`POLICIES`)."""
    try:
        return POLICIES[policy](seed)
    except KeyError:
        raise ValueError(f"unknown policy '{policy}': choose from {', '.join(POLICIES)}") from None


# --------------------------------------------------------------- difficulty


def _tuning() -> dict[str, Any]:
    text = resources.files("game.ai").joinpath("difficulty.yaml").read_text("utf-8")
    return read_tunables(text)


#: The AI tunables from ``difficulty.yaml``: the difficulty table and the search's numbers.
TUNING = _tuning()


@attrs.frozen
class Difficulty:
    """A level a player picks in setup: the policy behind it, and one line about it."""

    id: str
    policy: str
    text: str


#: The difficulties in the order setup lists them (easy, normal, hard).
DIFFICULTIES: dict[str, Difficulty] = {
    key: Difficulty(key, entry["policy"], entry["text"])
    for key, entry in TUNING["difficulties"].items()
}


def make_agent_for(difficulty: str, seed: int) -> Agent:
    """The agent a difficulty plays with (see :data:`DIFFICULTIES`)."""
    try:
        policy = DIFFICULTIES[difficulty].policy
    except KeyError:
        choices = ", ".join(DIFFICULTIES)
        raise ValueError(f"unknown difficulty '{difficulty}': choose from {choices}") from None
    return make_agent(policy, seed)


# The search agent is built on this module (greedy playouts, ``evaluate``), so it
# is imported last and adds itself to POLICIES.
from game.ai import search  # noqa: E402, F401
