"""The search AI ("hard"): every promising move is played out before it is chosen.

The agent sees what every agent sees: its ``player_view`` and ``legal_actions``.

1. **A quick look.** The engine's preview of each move, weighed by the odds,
   keeps the few best (``candidates``). Ending the turn is always a candidate.
2. **Playouts.** Each candidate is applied to the view and played on, through
   the rest of the turn to the start of the turn ``depth`` turns ahead, every
   seat played by a greedy envoy and the dice rolled from the view's own stream
   (derived from the game's dice, so a seat can plan with the odds but never
   read the coming rolls). Playout *r* of every candidate starts from the same
   dice, so the candidates are compared on the same luck.
3. **The verdict.** The candidate with the best mean wins, if it beats the quick
   look's favourite by ``margin`` (a few playouts are noisy). A position is
   judged by the greedy agent's :func:`~game.ai.agents.evaluate`, plus points
   for each accord by how far along it is: the odds a proposal would have once
   its conditions hold, or all of them once signed. So wearing down a
   hard-liner's resolve counts before the accord can be put on the table.

The work comes in small units (one preview of a move, one action of a
playout), stepped in slices of time through :class:`~game.ai.thinking.Thinking`,
so the desktop UI thinks between frames and never freezes, as boardgame.io's
MCTS bot does. The amount of work is set by counts, not by time (the numbers
are in ``difficulty.yaml``), so the same seed and the same view always give the
same choice, however the work is sliced.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from game.ai.agents import GreedyAgent, GreedyThinking, evaluate
from game.ai.negotiate import NORMAL, cosponsor, exponent, negotiate
from game.ai.thinking import Thinking
from game.ai.tuning import EXPLAIN_WEIGHTS, TUNING, WEIGHTS, ExplainWeights, TuningError
from game.engine import rng
from game.engine.actions import Action, Decide, End, Play, Withdraw
from game.engine.model import clamp01
from game.engine.rules import apply, legal_actions, preview, preview_value
from game.engine.state import GameState, replace


@attrs.frozen
class SearchTuning:
    """The search's numbers (see ``difficulty.yaml``)."""

    candidates: int  # moves kept after the quick look, besides ending the turn
    rollouts: int  # playouts of each candidate
    depth: int  # turns a playout runs ahead
    accord_progress: float  # points per accord, times how far along it is
    margin: float  # how much a playout result must beat the quick look's favourite by
    frame_budget_ms: float  # thinking a board does in one frame
    playout_work: int  # units of playout work one choice may take, in whole rounds

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SearchTuning:
        """The tuning from ``difficulty.yaml``'s ``search`` table; TuningError if it is off."""
        names = [f.name for f in attrs.fields(cls)]
        problems = [f"search.{name}: missing" for name in names if name not in data]
        problems += [f"search.{name}: not a known entry" for name in data if name not in names]
        if problems:
            raise TuningError("; ".join(problems))
        try:
            tuning = cls(
                candidates=int(data["candidates"]),
                rollouts=int(data["rollouts"]),
                depth=int(data["depth"]),
                accord_progress=float(data["accord_progress"]),
                margin=float(data["margin"]),
                frame_budget_ms=float(data["frame_budget_ms"]),
                playout_work=int(data["playout_work"]),
            )
        except (TypeError, ValueError) as error:
            raise TuningError(f"search: every entry must be a number ({error})") from None
        for name in ("candidates", "depth", "playout_work"):
            if getattr(tuning, name) < 1:
                raise TuningError(f"search.{name} must be 1 or more")
        if tuning.rollouts < 0:
            raise TuningError("search.rollouts must be 0 or more")
        if tuning.frame_budget_ms <= 0:
            raise TuningError("search.frame_budget_ms must be more than 0")
        return tuning


DEFAULT_TUNING = SearchTuning.from_dict(TUNING["search"])


def judge(state: GameState, envoy: int, tuning: SearchTuning = DEFAULT_TUNING) -> float:
    """How good a position looks to one envoy at the end of a playout.

    The greedy agent's :func:`~game.ai.agents.evaluate`, plus ``accord_progress``
    points for each accord times how far along it is: 1 once signed, else the
    odds a proposal would have if its conditions held.
    """
    value = evaluate(state, envoy)
    if state.is_over or not tuning.accord_progress:
        return value
    for index, accord in enumerate(state.scenario.accords):
        progress = 1.0 if state.signed[index] else clamp01(accord.chance(state, ()))
        value += tuning.accord_progress * progress
    return value


# ------------------------------------------------------------------ playouts


class _Playout:
    """One candidate played on from the view, one unit of work at a time."""

    def __init__(self, start: GameState, stop_turn: int, agents: dict[int, GreedyAgent]):
        self.state = start
        self.stop_turn = stop_turn
        self.agents = agents
        self._thinking: GreedyThinking | None = None
        self.actions = 0  # actions applied so far

    @property
    def finished(self) -> bool:
        return self.state.is_over or self.state.turn >= self.stop_turn

    def advance(self) -> None:
        """One unit: a greedy envoy weighs one more move, and acts once it has weighed all."""
        state = self.state
        if self._thinking is None:
            envoy = state.acting
            envoy_id = state.scenario.envoys[envoy].id
            # Each seat's greedy envoy judges by its own lights (the view still
            # holds only what the searching seat knows).
            seen = state if state.viewer == envoy else replace(state, viewer=envoy)
            self._thinking = self.agents[envoy].think(
                seen, envoy_id, legal_actions(state, envoy_id)
            )
        if self._thinking.step():
            self.state = apply(state, self._thinking.result, record=False)[0]
            self._thinking = None
            self.actions += 1


class SearchThinking(Thinking):
    """A choice being searched: the quick look, then the playouts, a unit at a time.

    :attr:`result` holds the action once :meth:`step` returns True, and
    :attr:`reason` a line for a player.
    """

    def __init__(
        self,
        view: GameState,
        envoy_id: str,
        legal: Sequence[Action],
        seed: int,
        tuning: SearchTuning,
        lang: str = "en",
    ):
        if not legal:
            raise ValueError(f"'{envoy_id}' has nothing to choose now")
        self.view = view
        self.envoy_id = envoy_id
        self.legal = tuple(legal)
        self.tuning = tuning
        self.lang = lang
        self.envoy = view.viewer if view.viewer >= 0 else view.scenario.envoy_index(envoy_id)
        # The same seed and the same view always give the same playouts.
        self._seed = rng.derive(rng.derive(seed, view.step), view.rng)
        ends = [a for a in self.legal if isinstance(a, End)]
        self._ends = ends[:1]
        self._choices = [a for a in self.legal if isinstance(a, Play | Decide)]
        self._values: dict[Action, float] = {}
        self._here: float | None = None  # the view's own judged value
        self.candidates: tuple[Action, ...] = ()
        self.totals: list[float] = []
        self.counts: list[int] = []
        self.actions = 0  # playout actions applied so far
        self.work = 0  # units of playout work done so far
        self._jobs: list[tuple[int, int]] = []
        self._next_job = 0
        self._playout: _Playout | None = None
        self._job: tuple[int, int] = (0, 0)
        self._reason: str | None = None

    # progress --------------------------------------------------------------
    @property
    def progress(self) -> float:
        if self.done:
            return 1.0
        if not self._jobs:
            return 0.0
        return sum(self.counts) / len(self._jobs)

    def _unit(self) -> None:
        if not self.candidates:
            self._look()
        elif self._playout is None:
            if self._over_budget():
                del self._jobs[self._next_job :]
            else:
                self._start(*self._jobs[self._next_job])
                self._next_job += 1
                self.work += 1
        else:
            before = self._playout.actions
            self._playout.advance()
            self.actions += self._playout.actions - before
            self.work += 1
        if self._playout is not None and self._playout.finished:
            self._finish()
        if self.candidates and self._playout is None and self._next_job >= len(self._jobs):
            self._decide()

    # the quick look -------------------------------------------------------------
    def _look(self) -> None:
        """One unit of the quick look: the value of one more move at a glance."""
        choices = self._choices
        if not choices:
            self.candidates = (self._ends[0] if self._ends else self.legal[0],)
            return
        action = (choices + self._ends)[len(self._values)]
        self._values[action] = self._quick_value(action)
        if len(self._values) == len(choices) + len(self._ends):
            self._shortlist()

    def _quick_value(self, action: Action) -> float:
        """The value of an action at a glance: the engine's preview, weighed by the odds."""
        view, envoy, tuning = self.view, self.envoy, self.tuning
        if self._here is None:
            self._here = judge(view, envoy, tuning)
        if isinstance(action, Play):
            return preview_value(view, action, lambda s: judge(s, envoy, tuning), self._here)
        if isinstance(action, Decide):
            return judge(apply(view, action, record=False)[0], envoy, tuning)
        return self._here + WEIGHTS.threshold

    def _shortlist(self) -> None:
        values = self._values
        ranked = sorted(self._choices, key=lambda a: -values[a])
        # A decision has no "end the turn": its slot goes to one more option.
        keep = self.tuning.candidates + (0 if self._ends else 1)
        kept = [*ranked[:keep], *self._ends]
        # The quick look's favourite comes first: playouts must beat it by a margin.
        self.candidates = tuple(sorted(kept, key=lambda a: -values[a]))
        self.totals = [0.0] * len(self.candidates)
        self.counts = [0] * len(self.candidates)
        if len(self.candidates) == 1:
            return
        self._jobs = [
            (candidate, rollout)
            for rollout in range(self.tuning.rollouts)
            for candidate in range(len(self.candidates))
        ]

    # the playouts ----------------------------------------------------------------
    def _start(self, candidate: int, rollout: int) -> None:
        dice = rng.derive(self._seed, 2 * rollout)
        agents_seed = rng.derive(self._seed, 2 * rollout + 1)
        agents = {e: GreedyAgent(rng.derive(agents_seed, e)) for e in self.view.turn_order}
        start = replace(self.view, rng=dice)
        start = apply(start, self.candidates[candidate], record=False)[0]
        self._job = (candidate, rollout)
        self._playout = _Playout(start, self.view.turn + self.tuning.depth, agents)
        self.actions += 1

    def _over_budget(self) -> bool:
        """Whether one more round of playouts would take the work past ``playout_work``.

        Checked between rounds (a playout of every candidate, on the same dice),
        so the candidates are always compared on as many tries each. The budget
        counts units of work, never time, so it chooses the same on any machine.
        """
        per_round = len(self.candidates)
        if self._next_job == 0 or self._next_job % per_round:
            return False
        rounds = self._next_job // per_round
        return self.work * (rounds + 1) > self.tuning.playout_work * rounds

    def _finish(self) -> None:
        candidate, _ = self._job
        self.totals[candidate] += judge(self._playout.state, self.envoy, self.tuning)
        self.counts[candidate] += 1
        self._playout = None

    def _decide(self) -> None:
        if len(self.candidates) == 1:
            self.result = self.candidates[0]
            return
        means = self.means
        best = max(range(len(means)), key=lambda i: (means[i], -i))
        if means[best] < means[0] + self.tuning.margin:
            best = 0
        self.result = self.candidates[best]

    # the reason -------------------------------------------------------------
    @property
    def means(self) -> tuple[float, ...]:
        """The mean playout value of each candidate so far (0 before its first playout)."""
        return tuple(t / c if c else 0.0 for t, c in zip(self.totals, self.counts, strict=True))

    @property
    def reason(self) -> str:
        """One line for a player: the chosen move, what it does, and its odds."""
        if not self.done:
            return ""
        if self._reason is None:
            self._reason = explain(self, self.lang)
        return self._reason


class SearchAgent:
    """Plays each promising move out over the coming turn, and takes the best on average."""

    name = "search"

    def __init__(self, seed: int, tuning: SearchTuning | None = None, strategy: str = NORMAL):
        self._seed = rng.seed_state(seed)
        self.tuning = tuning or DEFAULT_TUNING
        self.strategy = strategy  # its bargaining strategy, as GreedyAgent's

    def think(
        self, view: GameState, envoy_id: str, legal: Sequence[Action], lang: str = "en"
    ) -> SearchThinking:
        """Start working out a choice (its reason in ``lang``); step it until it is done.

        Which drafts it would propose is the negotiator's (:mod:`game.ai.negotiate`):
        the others' proposals are left out before any playout. It does not amend
        drafts itself (so the advisor always weighs a move); the greedy envoys of its
        playouts do."""
        if view.drafts and legal:
            envoy = view.viewer if view.viewer >= 0 else view.scenario.envoy_index(envoy_id)
            amend, legal = negotiate(view, envoy, legal, self.strategy)
            # An amendment, or joining a locked draft it wants, is weighed alone: the
            # package space is the negotiator's, and its playouts, played from its
            # view, cannot see the proposal it would complete.
            joined = amend or cosponsor(view, envoy, legal, exponent(view, self.strategy))
            if joined is not None:
                legal = [joined]
        return SearchThinking(view, envoy_id, legal, self._seed, self.tuning, lang)

    def choose(self, view: GameState, envoy_id: str, legal: Sequence[Action]) -> Action:
        return self.think(view, envoy_id, legal).finish()


# ---------------------------------------------------------------- explaining


def _text(value: Any, lang: str) -> str:
    return value.get(lang) if hasattr(value, "get") else str(value)


def title(view: GameState, action: Action, lang: str = "en") -> str:
    """An action as a player reads it: "Hotline (Norland–Sudmark)", "End the turn"."""
    scenario = view.scenario
    if isinstance(action, Play):
        move = scenario.moves[scenario.move_index(action.move)]
        name = _text(move.name, lang)
        if move.target == "accord":
            accord = scenario.accords[scenario.tables.accords.index(action.targets[0])]
            return f"{name} ({_text(accord.name, lang)})"
        if action.targets:
            parties = (scenario.parties[scenario.party_index(t)] for t in action.targets)
            return f"{name} ({'–'.join(_text(p.name, lang) for p in parties)})"
        return name
    if isinstance(action, Decide):
        event = scenario.events[view.decisions[0][0]]
        for option in event.decision.options:
            if option.id == action.option:
                # An option reads "Recommend talks first: why…"; its head is its title.
                return _text(option.text, lang).split(":")[0].strip()
        return action.option
    if isinstance(action, Withdraw):
        move = scenario.moves[scenario.move_index(action.move)]
        return f"Withdraw {_text(move.name, lang)}"
    return "End the turn"


def _targets(view: GameState, action: Action) -> tuple[int, int]:
    """The relation and the accord an action aims at (-1 where it aims at none)."""
    if not isinstance(action, Play) or not action.targets:
        return -1, -1
    scenario = view.scenario
    move = scenario.moves[scenario.move_index(action.move)]
    if move.target == "accord":
        return -1, scenario.tables.accords.index(action.targets[0])
    if move.target == "relation":
        a, b = (scenario.party_index(t) for t in action.targets)
        return scenario.relation_index(a, b), -1
    return -1, -1


def _drift_words(factor: float) -> str:
    """What a hotline does to the drift, for a factor the scenario tunes."""
    if factor <= 0:
        return "stops tension rising"
    if factor == 0.5:
        return "halves how fast tension rises"
    if factor < 1:
        return f"slows how fast tension rises to {factor:.0%} of its pace"
    return f"speeds up how fast tension rises to {factor:.0%} of its pace"


def _consequences(
    view: GameState,
    after: GameState,
    envoy: int,
    action: Action,
    lang: str,
    weights: ExplainWeights = EXPLAIN_WEIGHTS,
) -> tuple[list[tuple[float, str]], list[tuple[float, str]]]:
    """What an action changes, as (weight, phrase): the gains, then the costs, biggest first.

    The relation or accord the action names in its title is not named again.
    """
    w = weights
    scenario = view.scenario
    relation_aimed, accord_aimed = _targets(view, action)
    gains: list[tuple[float, str]] = []
    costs: list[tuple[float, str]] = []

    def party(index: int) -> str:
        return _text(scenario.parties[index].name, lang)

    hottest = max(range(len(view.tension)), key=lambda i: view.tension[i], default=-1)
    for index, accord in enumerate(scenario.accords):
        name = _text(accord.name, lang)
        if after.signed[index] and not view.signed[index]:
            signs = "gets it signed" if index == accord_aimed else f"gets the {name} signed"
            if scenario.peace(after, ()):
                signs += " and settles the crisis"
            gains.append((w.signs, signs))
        elif not after.signed[index]:
            gain = clamp01(accord.chance(after, ())) - clamp01(accord.chance(view, ()))
            if gain >= w.likelier_min:
                gains.append((w.likelier * gain, f"makes the {name} likelier"))
    hotline = scenario.rules.hotline_drift_factor
    for index, relation in enumerate(scenario.relations):
        pair = (
            ""
            if index == relation_aimed
            else f" between {party(relation.a)} and {party(relation.b)}"
        )
        urgency = 1 + view.tension[index] / scenario.conflict_at
        where = " where it is highest" if index == hottest else pair
        change = after.tension[index] - view.tension[index]
        if change < 0:
            gains.append((-change * urgency * w.tension, f"lowers tension by {-change}{where}"))
        elif change > 0:
            costs.append((change * urgency * w.tension, f"raises tension by {change}{where}"))
        change = after.trust[index] - view.trust[index]
        if change > 0:
            gains.append((w.trust * change, f"builds trust by {change}{pair}"))
        elif change < 0:
            costs.append((-w.trust * change, f"costs trust{pair} ({change})"))
        turns = after.hotline[index] - view.hotline[index]
        if turns > 0 and hotline != 1:
            where = " where tension is highest" if index == hottest else pair
            saved = turns * view.pressure[index] * (1 - hotline) * urgency * w.hotline
            words = f"{_drift_words(hotline)}{where} for {after.hotline[index]} turns"
            if saved:
                (gains if saved > 0 else costs).append((abs(saved), words))
        if after.pressure[index] < view.pressure[index]:
            gains.append((w.slows_drift, f"slows how fast tension rises{pair}"))
    for index in range(len(scenario.parties)):
        change = after.resolve[index] - view.resolve[index]
        if change < 0:
            gains.append(
                (-w.resolve_down * change, f"wears down {party(index)}'s resolve by {-change}")
            )
        elif change > 0:
            costs.append((w.resolve_up * change, f"hardens {party(index)}'s resolve by {change}"))
        change = after.standing_of(envoy, index) - view.standing_of(envoy, index)
        if change > 0:
            gains.append(
                (w.standing * change, f"raises your standing with {party(index)} by {change}")
            )
        elif change < 0:
            costs.append(
                (-w.standing * change, f"costs your standing with {party(index)} ({change})")
            )
    for fact, _ in after.revealed - view.revealed:
        gains.append((w.secret, f"uncovers a secret of {party(scenario.facts[fact].party)}"))
    return sorted(gains, key=lambda g: -g[0]), sorted(costs, key=lambda c: -c[0])


def _summary(
    gains: list[tuple[float, str]],
    costs: list[tuple[float, str]],
    weights: ExplainWeights = EXPLAIN_WEIGHTS,
) -> str:
    """The biggest gain, a second one if it is nearly as big, and a cost if it matters."""
    if not gains:
        return ""
    words = gains[0][1]
    if len(gains) > 1 and gains[1][0] >= weights.second_gain_share * gains[0][0]:
        second = gains[1][1]
        verb = " ".join(words.split()[:2]) + " "
        # "lowers tension by 5 where it is highest and by 5 between Norland and Vellmark"
        words += f" and {second.removeprefix(verb)}"
    if costs and costs[0][0] >= weights.cost_share * gains[0][0]:
        words += f", but it {costs[0][1]}"
    return words


def _tries(thinking: SearchThinking, action: Action) -> str:
    """What the playouts said about the chosen action, for a student ("" if none were played)."""
    others = [c for c in thinking.candidates if c != action]
    if not others or not thinking.counts or not max(thinking.counts):
        return ""
    view, lang = thinking.view, thinking.lang
    means = dict(zip(thinking.candidates, thinking.means, strict=True))
    rival = max(others, key=lambda c: means[c])
    tries = max(thinking.counts)
    ahead = "played out " + {1: "once", 2: "twice"}.get(tries, f"{tries} times")
    turns = "the next turn" if thinking.tuning.depth == 1 else f"{thinking.tuning.depth} turns on"
    if means[action] >= means[rival]:
        return f"{ahead} to {turns}, it did better than {title(view, rival, lang)}"
    return f"{ahead} to {turns}, nothing else did clearly better"


def explain(thinking: SearchThinking, lang: str = "en") -> str:
    """Why the search chose what it chose, in one line for a student (names in ``lang``).

    "Good offices (Norland–Sudmark) looks best: it lowers tension by 5 where it is
    highest (75% chance it works); played out 4 times to the next turn, it did
    better than End the turn."
    """
    view, action, envoy = thinking.view, thinking.result, thinking.envoy
    name = title(view, action, lang)
    tries = _tries(thinking, action)
    if isinstance(action, End):
        if len(thinking.candidates) == 1:
            spent = view.capital[envoy] <= 0
            return f"{name}: " + (
                "your capital is spent" if spent else "no move is open to you now"
            )
        return f"{name} looks best: it keeps your capital for later" + (
            f"; {tries}" if tries else ""
        )
    if isinstance(action, Play):
        seen = preview(view, action, entries=False)
        words = _summary(*_consequences(view, seen.success, envoy, action, lang))
        odds = f" ({seen.chance:.0%} chance it works)"
    else:
        words = _summary(*_consequences(view, apply(view, action)[0], envoy, action, lang))
        odds = ""
    if not words:
        if not tries:
            return f"{name}: it is the only choice"
        return f"{name} looks best{odds}: {tries}"
    return f"{name} looks best: it {words}{odds}" + (f"; {tries}" if tries else "")
