"""AI envoys. Each sees only ``player_view`` and ``legal_actions``, and each is seeded.

An agent has ``think(view, envoy_id, legal) -> Thinking``, stepped in slices of time
(see :mod:`game.ai.thinking`), and ``choose(view, envoy_id, legal) -> Action``,
which thinks to the end at once. A human seat is the same interface fed by the
UI, so the session code never asks who is playing. The engine's own preview
(the odds and both outcomes of a move) is the only look-ahead the baseline
agents use. Their weights are in ``weights.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from game.ai.negotiate import NORMAL, cosponsor, exponent, negotiate
from game.ai.thinking import Decided, Thinking

# The board reads the difficulty file's numbers (its frame budget) from here.
from game.ai.tuning import (  # noqa: F401
    SELFISH_STRATEGY,
    SELFISH_WEIGHTS,
    TUNING,
    WEIGHTS,
    Weights,
)
from game.engine import rng
from game.engine.actions import Action, Amend, Decide, End, Play, Withdraw
from game.engine.drift import drifts
from game.engine.rules import apply, offered_plays, preview_value
from game.engine.state import EVERYONE, GameState


class Agent(Protocol):
    name: str

    def think(
        self, view: GameState, envoy_id: str, legal: Sequence[Action], lang: str = "en"
    ) -> Thinking: ...

    def choose(self, view: GameState, envoy_id: str, legal: Sequence[Action]) -> Action: ...


def _needs_choice(envoy_id: str, legal: Sequence[Action]) -> None:
    if not legal:
        raise ValueError(f"'{envoy_id}' has nothing to choose now")


class RandomAgent:
    """Chooses uniformly among the legal moves and ending its turn (it never withdraws).

    Where drafts can be amended, it picks a kind first, uniformly among a Play, an
    Amend and the End (NEGOTIATION.md §7), then one of that kind: so the many
    amendments on offer do not drown its moves."""

    name = "random"

    def __init__(self, seed: int, strategy: str = NORMAL):
        self._rng = rng.seed_state(seed)
        self.strategy = strategy  # unused: its amendments are as random as its moves

    def think(
        self, view: GameState, envoy_id: str, legal: Sequence[Action], lang: str = "en"
    ) -> Thinking:
        _needs_choice(envoy_id, legal)
        return Decided(lambda: self._pick(legal))

    def choose(self, view: GameState, envoy_id: str, legal: Sequence[Action]) -> Action:
        # What think(...).finish() gives, without a Thinking for a pick of one unit:
        # a random game asks this for every action.
        if not legal:
            _needs_choice(envoy_id, legal)
        return self._pick(legal)

    def _pick(self, legal: Sequence[Action]) -> Action:
        value, self._rng = rng.random(self._rng)
        # The same pick as filtering out every Withdraw first, without a Python
        # loop over dozens of actions each turn: when the options are a run of
        # Plays, then Withdraws, then End (the layout of legal_actions' turn),
        # they are those Plays and End.
        plays = offered_plays(legal)
        if plays < 0:
            # Not legal_actions' last answer: find the layout by the kinds (exact
            # types, so no subclass of Withdraw slips by). Counting the Plays in C
            # is cheap, as a list's count compares each item by identity first
            # and nearly every item is a Play; only the few after them are
            # looked at one by one.
            kinds = list(map(type, legal))
            plays = kinds.count(Play)
            rest = kinds[plays:]
            if Amend in rest or not (
                rest and rest[-1] is End and rest.count(Withdraw) == len(rest) - 1
            ):
                options = [a for a in legal if not isinstance(a, Withdraw)]
                if Amend in rest:
                    pick, self._rng = pick_by_kind(self._rng, value, options)
                    return pick
                return options[min(int(value * len(options)), len(options) - 1)]
        elif plays < len(legal) and type(legal[plays]) is Amend:
            options = [a for a in legal if not isinstance(a, Withdraw)]
            pick, self._rng = pick_by_kind(self._rng, value, options)
            return pick
        pick = min(int(value * (plays + 1)), plays)
        return legal[pick] if pick < plays else legal[-1]


def pick_by_kind(rng_state: int, value: float, options: Sequence[Action]) -> tuple[Action, int]:
    """One of ``options``: a kind first (by exact type, in the order met), uniformly
    with ``value``, then one of that kind with the next roll; and the dice after."""
    kinds: dict[type, list[Action]] = {}
    for action in options:
        kinds.setdefault(type(action), []).append(action)
    groups = list(kinds.values())
    group = groups[min(int(value * len(groups)), len(groups) - 1)]
    value, rng_state = rng.random(rng_state)
    return group[min(int(value * len(group)), len(group) - 1)], rng_state


# ------------------------------------------------------------------- greedy

#: Positions whose weighed moves greedy envoys keep (a few megabytes): enough
#: for every position of a search's playouts of one decision.
POSITIONS_KEPT = 4096
#: (scenario — a view's own, as it may hide what a move reads —, envoy, the
#: weights' id, then the position's turn and meters): that envoy's weighed moves.
_WEIGHED: dict[tuple, dict] = {}
_WEIGHTS = "weights"  # the key of a position's weights among its weighed moves


def evaluate(state: GameState, envoy: int, weights: Weights = WEIGHTS) -> float:
    """How good a state looks to one envoy: the crisis first, its own agenda second.

    Tension is projected a few turns ahead with the drift it will suffer (so
    hotlines, pressure cuts and accords count), and hurts more the closer it is
    to conflict. Trust, signed accords, the odds of the unsigned ones and peace
    count for everyone; the agenda and standing count for this envoy.
    ``state`` may also be a move's outcome read in place (see
    :func:`~game.engine.rules.preview_value`).
    """
    w = weights
    if state.is_over:
        return w.outcome[state.outcome]
    scenario = state.scenario
    horizon = min(w.horizon, state.last_turn - state.turn + 1)
    conflict_at = scenario.conflict_at
    gains = drifts(scenario.rules, state.pressure, state.hotline, state.signed)
    value = 0.0
    for tension, trust, drift in zip(state.tension, state.trust, gains, strict=True):
        projected = tension + drift * horizon
        ratio = projected / conflict_at
        value -= w.tension_weight * ratio**w.tension_power + (
            w.brink if projected >= conflict_at else 0.0
        )
        value += w.trust * trust
    for index, signed in enumerate(state.signed):
        value += w.accord_signed if signed else w.accord_odds * scenario.accord_odds(state, index)
    if scenario.peace(state, ()):
        value += w.peace_reached
    spec = scenario.envoys[envoy]
    value += w.agenda * sum(o.points for o in spec.agenda if o.when(state, (envoy,)))
    parties = len(scenario.parties)
    value += w.standing * sum(state.standing[envoy * parties : (envoy + 1) * parties]) / parties
    if state.learned and state.drafts:
        value += w.learned * len(_known_signatories(state, envoy))
    return value


def _known_signatories(state: GameState, envoy: int) -> set[int]:
    """The parties the envoy has learned (its own aside) that sign an unsigned accord
    with issues."""
    scenario = state.scenario
    own = scenario.envoys[envoy].party
    return {
        party
        for index, accord in enumerate(scenario.accords)
        if accord.issues and not state.signed[index]
        for party in accord.signatories
        if party != own and ((party, envoy) in state.learned or (party, EVERYONE) in state.learned)
    }


def forget_positions() -> None:
    """Forget every position greedy envoys have weighed (for a benchmark that
    times one decision twice and wants the second to pay in full)."""
    _WEIGHED.clear()


class GreedyAgent:
    """Takes the move with the best expected gain per turn, until none is worth it.

    For each legal move it asks the engine for a preview (the odds, the state on
    success with its delayed effects, the state on failure) and weighs the two
    by the odds. Decisions are weighed the same way. Ties are broken by its
    own seeded dice, so two greedy envoys do not move in lockstep.
    """

    name = "greedy"

    def __init__(self, seed: int, weights: Weights = WEIGHTS, strategy: str = NORMAL):
        self._rng = rng.seed_state(seed)
        self.weights = weights
        #: The difficulty whose bargaining strategy it plays (the library's
        #: ``bargaining.concession``): how fast its demand falls over the turns.
        self.strategy = strategy

    @property
    def threshold(self) -> float:
        """The smallest expected gain worth a move."""
        return self.weights.threshold

    def think(
        self, view: GameState, envoy_id: str, legal: Sequence[Action], lang: str = "en"
    ) -> GreedyThinking | Decided:
        _needs_choice(envoy_id, legal)
        if view.drafts:
            envoy = view.viewer if view.viewer >= 0 else view.scenario.envoy_index(envoy_id)
            amend, legal = negotiate(view, envoy, legal, self.strategy)
            if amend is not None:
                return Decided(lambda: amend)
            joined = cosponsor(view, envoy, legal, exponent(view, self.strategy))
            if joined is not None:
                return Decided(lambda: joined)
        return GreedyThinking(self, view, envoy_id, legal)

    def choose(self, view: GameState, envoy_id: str, legal: Sequence[Action]) -> Action:
        # The same units as GreedyThinking's, in one go: greedy envoys choose
        # thousands of times in every search and simulation.
        _needs_choice(envoy_id, legal)
        envoy = view.viewer if view.viewer >= 0 else view.scenario.envoy_index(envoy_id)
        if view.drafts:
            amend, legal = negotiate(view, envoy, legal, self.strategy)
            if amend is not None:
                return amend
            joined = cosponsor(view, envoy, legal, exponent(view, self.strategy))
            if joined is not None:
                return joined
        weighed = self.weighed(view, envoy)
        now = self.value(view, envoy, weighed)
        return self.pick(legal, [self.gain(view, envoy, a, now, weighed) for a in legal])

    def weighed(self, view: GameState, envoy: int) -> dict:
        """What this envoy has already weighed in this position: each Play's expected
        value, and under ``None`` the position's own value.

        A move's preview reads only the position's meters, its turn and the
        scenario, never the dice (the crisis language allows ``chance()`` in
        events and behaviours only), and so does :func:`evaluate`. A position
        met again need not be weighed again: a search's playouts meet each one
        on every other roll of the dice until a resolution rolls differently.
        """
        position = (
            view.scenario,
            envoy,
            id(self.weights),
            view.phase,
            view.turn,
            view.last_turn,
            view.turn_order,
            view.capital,
            view.standing,
            view.posture,
            view.resolve,
            view.tension,
            view.trust,
            view.pressure,
            view.hotline,
            view.signed,
            view.counters,
            view.revealed,
            view.drafts,
        )
        found = _WEIGHED.get(position)
        if found is None:
            if len(_WEIGHED) >= POSITIONS_KEPT:
                _WEIGHED.clear()
            # The entry keeps its weights alive, so no other weights can take their id.
            found = _WEIGHED[position] = {_WEIGHTS: self.weights}
        return found

    def value(self, view: GameState, envoy: int, weighed: dict) -> float:
        """The view's own value, ``now`` for :meth:`gain`."""
        now = weighed.get(None)
        if now is None:
            now = weighed[None] = evaluate(view, envoy, self.weights)
        return now

    def gain(
        self, view: GameState, envoy: int, action: Action, now: float, weighed: dict | None = None
    ) -> float:
        """The expected gain of an action over ``now``, the view's own value;
        ``weighed`` is :meth:`weighed` of the view, when the caller has it."""
        if isinstance(action, Play):
            if weighed is None:
                weighed = self.weighed(view, envoy)
            worth = weighed.get(action)
            if worth is None:
                weights = self.weights
                worth = preview_value(view, action, lambda s: evaluate(s, envoy, weights), now)
                weighed[action] = worth
            return worth - now
        if isinstance(action, Decide):
            after, _ = apply(view, action, record=False)
            return evaluate(after, envoy, self.weights) - now
        return float("-inf")

    def pick(self, legal: Sequence[Action], gains: Sequence[float]) -> Action:
        """The choice, given each legal action's gain (the dice break ties)."""
        best: list[Action] = []
        best_gain = self.threshold
        for action, gain in zip(legal, gains, strict=True):
            if gain > best_gain + 1e-9:
                best, best_gain = [action], gain
            elif abs(gain - best_gain) <= 1e-9:
                best.append(action)
        if not best:
            decisions = [(g, a) for a, g in zip(legal, gains, strict=True) if isinstance(a, Decide)]
            if decisions:
                return max(decisions, key=lambda pair: pair[0])[1]
            ends = [a for a in legal if isinstance(a, End)]
            return ends[0] if ends else legal[0]
        value, self._rng = rng.random(self._rng)
        return best[min(int(value * len(best)), len(best) - 1)]


class SelfishAgent(GreedyAgent):
    """The ``selfish`` analysis policy: a greedy envoy that plays for its own score
    (NEGOTIATION.md §7). It weighs positions by ``weights.yaml: selfish``, its own
    agenda over the crisis, and bargains by that table's strategy; given a
    strategy (a difficulty's, from a lineup), it bargains by that one instead."""

    name = "selfish"

    def __init__(self, seed: int, strategy: str | None = None):
        super().__init__(seed, SELFISH_WEIGHTS, strategy or SELFISH_STRATEGY)


class GreedyThinking(Thinking):
    """The greedy choice worked out one legal action (one preview) at a time."""

    def __init__(self, agent: GreedyAgent, view: GameState, envoy_id: str, legal: Sequence[Action]):
        self.agent = agent
        self.view = view
        self.legal = tuple(legal)
        self.envoy = view.viewer if view.viewer >= 0 else view.scenario.envoy_index(envoy_id)
        self.now: float | None = None  # the view's own value, from the first unit on
        self.weighed: dict = {}
        self.gains: list[float] = []

    @property
    def progress(self) -> float:
        return 1.0 if self.done else len(self.gains) / len(self.legal)

    def _unit(self) -> None:
        agent = self.agent
        if self.now is None:
            self.weighed = agent.weighed(self.view, self.envoy)
            self.now = agent.value(self.view, self.envoy, self.weighed)
        action = self.legal[len(self.gains)]
        self.gains.append(agent.gain(self.view, self.envoy, action, self.now, self.weighed))
        if len(self.gains) == len(self.legal):
            self.result = self.agent.pick(self.legal, self.gains)
