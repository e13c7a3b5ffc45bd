"""The rules: ``legal_actions(state, envoy_id)`` and ``apply(state, action)``.

The engine is a reducer. ``apply`` takes a state and an action and returns a new
state with the ledger entries that explain it; an illegal action raises
:class:`IllegalAction`, which names the rule that refused it (a ``Reason``) and
the ids and numbers it looked at, and changes nothing. Notes in the ledger are
kinds and ids too: the engine writes no words a player reads. AI, replay, saves,
the simulator and the UI all go through this one door.

A turn (DESIGN §1.2): **News** (scheduled, triggered, then at most one pool
event; an event may put a decision to a seat), **Diplomacy** (each seat in turn
order chooses moves up to its capital, then ends its turn), **Resolution** (moves
resolve by family in ``rules.resolution_order``, then seat order, each rolling
once against the odds the seat was shown), **World** (delayed effects tick,
parties react through their behaviours, pressure drifts tension up, damped by
hotlines and signed accords), **End check** (conflict, peace, or the last turn).
Everything after the last seat ends its turn runs inside that one ``apply``.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import attrs

from game.engine import bargain, expr, ledger, meters, rng, view
from game.engine.actions import (
    Action,
    Adjust,
    Amend,
    Decide,
    End,
    Extend,
    FacilitatorAction,
    IllegalAction,
    Inject,
    Play,
    Reason,
    Withdraw,
)
from game.engine.drift import drifts
from game.engine.expr import Effect
from game.engine.ledger import Cause, Entry
from game.engine.model import Compliance, Move, Scenario, clamp01, draft_refused
from game.engine.state import (
    ALL_SEEING,
    CONFLICT,
    DECISION,
    DIPLOMACY,
    EVERYONE,
    OVER,
    PEACE,
    STALEMATE,
    Chosen,
    GameState,
    Scheduled,
    replace,
)

__all__ = [
    "IllegalAction",
    "Preview",
    "apply",
    "fading",
    "legal_actions",
    "move_chance",
    "new_game",
    "offered_plays",
    "play_repeats",
    "preview",
    "preview_value",
    "problem",
    "repeats",
    "why_illegal",
]

METER_FIELD = {m.name: m.field for m in meters.METERS}
_new_state = object.__new__
_set_fields = object.__setattr__
_TURN = Cause(ledger.TURN)  # causes are frozen, so every world can start from this one


# ------------------------------------------------------------ the scratch world


class World:
    """A mutable copy of a state, used while rules run, then frozen back.

    Effects write through :meth:`set`, which clamps the meter to its range and
    records a ledger entry with the current cause and the effect's source line.
    """

    def __init__(self, state: GameState, record: bool = True):
        self.state = state
        self.record = record  # False: no ledger entries (a preview an AI only weighs)
        self.scenario = state.scenario
        self.turn = state.turn
        self.last_turn = state.last_turn
        self.turn_order = state.turn_order
        self.capital = list(state.capital)
        self.standing = list(state.standing)
        self.posture = list(state.posture)
        self.resolve = list(state.resolve)
        self.tension = list(state.tension)
        self.trust = list(state.trust)
        self.pressure = list(state.pressure)
        self.hotline = list(state.hotline)
        self.signed = list(state.signed)
        self.counters = list(state.counters)
        self.drafts = state.drafts
        self.refused = state.refused
        self.revealed = set(state.revealed)
        self.learned = set(state.learned)
        self.rng = state.rng
        self.entries: list[Entry] = []
        self.cause = _TURN
        self.source = ""
        self.viewer = state.viewer
        self.meters = _meter_table(self.scenario)
        self.ranges = self.meters.ranges

    # dice -----------------------------------------------------------------
    def roll(self) -> float:
        value, self.rng = rng.random(self.rng)
        return value

    # meters ---------------------------------------------------------------
    def get(self, meter: str, key: int) -> int:
        return getattr(self, METER_FIELD[meter])[key]

    def set(self, meter: str, key: int, value: float) -> None:
        field, low, high, subjects = self.meters.by_name[meter]
        # Rounded half up; an int (most amounts) is its own rounding, and a
        # huge one rounds past the same end of the range either way.
        new = value if type(value) is int else math.floor(value + 0.5)
        new = high if new > high else low if new < low else new
        values = getattr(self, field)
        old = values[key]
        if new == old:
            return
        values[key] = new
        if not self.record:
            return
        self.entries.append(
            Entry(
                self.turn,
                self.cause,
                meter=meter,
                subject=subjects[key],
                before=old,
                after=new,
                source=self.source,
            )
        )

    def note(self, kind: str, *args, cause: Cause | None = None) -> None:
        """Record a note of ``kind`` (see ``ledger.NOTES``) with its ids and numbers."""
        if self.record:
            self.entries.append(Entry(self.turn, cause or self.cause, note=kind, args=args))

    # actions of the effect language ---------------------------------------------
    def sign(self, accord: int) -> None:
        if self.signed[accord]:
            return
        spec = self.scenario.accords[accord]
        self.signed[accord] = self.turn
        if not self.record:
            self.run(spec.effects, ())
            return
        outer = self.cause
        self.cause = Cause(ledger.ACCORD, spec.id, outer.envoy, private_to=outer.private_to)
        self.note(ledger.ACCORD_SIGNED, spec.id)
        self.run(spec.effects, ())
        self.cause = outer

    def refuse(self, accord: int) -> None:
        """The parties refused the accord's draft as it stands: not proposed again unchanged."""
        self.refused = (*self.refused, (accord, self.drafts[accord]))

    def reveal(self, fact: int, envoy: int) -> None:
        if fact < 0 or (fact, envoy) in self.revealed or (fact, EVERYONE) in self.revealed:
            return
        self.revealed.add((fact, envoy))
        if not self.record:
            return
        spec = self.scenario.facts[fact]
        party = self.scenario.parties[spec.party].id
        private = self.scenario.envoys[envoy].id if envoy >= 0 else ""
        cause = attrs.evolve(self.cause, private_to=private)
        self.note(ledger.REVEALED, party, spec.id, cause=cause)

    def knows(self, fact: int, envoy: int) -> bool:
        return (fact, EVERYONE) in self.revealed or (fact, envoy) in self.revealed

    def learn(self, party: int, envoy: int) -> None:
        """``envoy`` (or everyone, for EVERYONE) learns a party's exact interests: its
        values and its reservation's margin in every accord it signs (format 2). A
        party without interests has nothing to learn, so a format-1 game never changes."""
        if (party, envoy) in self.learned or (party, EVERYONE) in self.learned:
            return
        if not any(self.scenario.parties[party].interests):
            return
        self.learned.add((party, envoy))
        if not self.record:
            return
        private = self.scenario.envoys[envoy].id if envoy >= 0 else ""
        cause = attrs.evolve(self.cause, private_to=private)
        self.note(ledger.LEARNED, self.scenario.parties[party].id, cause=cause)

    def run(self, effects: Iterable[Effect], ctx: tuple) -> None:
        if not self.record:  # no entries to name the source in
            for effect in effects:
                effect.run(self, ctx)
            return
        for effect in effects:
            self.source = effect.source
            effect.run(self, ctx)
        self.source = ""

    def freeze(self, **changes) -> GameState:
        """The state this world stands for. The revealed facts stay the state's own
        object when none was revealed (facts are only ever added, so the same size
        is the same set): a seat's view keeps what it knows while they stay."""
        revealed, learned = self.revealed, self.learned
        known, kept = self.state.revealed, self.state.learned
        fields = self.state.__dict__.copy()  # replace(self.state, ...), written out
        fields["rng"] = self.rng
        fields["capital"] = tuple(self.capital)
        fields["standing"] = tuple(self.standing)
        fields["posture"] = tuple(self.posture)
        fields["resolve"] = tuple(self.resolve)
        fields["tension"] = tuple(self.tension)
        fields["trust"] = tuple(self.trust)
        fields["pressure"] = tuple(self.pressure)
        fields["hotline"] = tuple(self.hotline)
        fields["signed"] = tuple(self.signed)
        fields["counters"] = tuple(self.counters)
        fields["refused"] = self.refused
        fields["revealed"] = known if len(revealed) == len(known) else frozenset(revealed)
        fields["learned"] = kept if len(learned) == len(kept) else frozenset(learned)
        if changes:
            if not changes.keys() <= fields.keys():
                return replace(self.state, **changes)  # which names the field it has not
            fields.update(changes)
        new = _new_state(GameState)
        _set_fields(new, "__dict__", fields)
        return new


@attrs.frozen
class _MeterTable:
    """Per meter of a scenario: the World field, the range, and the ledger subject of each key."""

    ranges: dict[str, tuple[int, int]]
    by_name: dict[str, tuple[str, int, int, tuple[tuple[str, ...], ...]]]


def _meter_table(scenario: Scenario) -> _MeterTable:
    def build() -> _MeterTable:
        ranges = meters.ranges(scenario.rules)
        sizes = {
            "relation": len(scenario.relations),
            "standing": len(scenario.envoys) * len(scenario.parties),
            "envoy": len(scenario.envoys),
            "party": len(scenario.parties),
            "counter": len(scenario.counters),
        }
        by_name = {}
        for m in meters.METERS:
            subjects = tuple(_subject(scenario, m.subject, key) for key in range(sizes[m.subject]))
            by_name[m.name] = (m.field, *ranges[m.name], subjects)
        return _MeterTable(ranges, by_name)

    return scenario.memo("meter table", build)


def _subject(scenario: Scenario, kind: str, key: int) -> tuple[str, ...]:
    """The ids a meter's key stands for in the ledger: two parties, an envoy and a party, ..."""
    t = scenario.tables
    if kind == "relation":
        relation = scenario.relations[key]
        return (t.parties[relation.a], t.parties[relation.b])
    if kind == "standing":
        envoy, party = divmod(key, len(t.parties))
        return (t.envoys[envoy], t.parties[party])
    if kind == "envoy":
        return (t.envoys[key],)
    if kind == "counter":
        return (t.counters[key],)
    return (t.parties[key],)


# ------------------------------------------------------------------ new game


def new_game(
    scenario: Scenario, seed: int, playing: Sequence[str] | None = None
) -> tuple[GameState, list[Entry]]:
    """Start a game: seat the envoys (all of them by default), then run turn 1's News.

    Raises ``ValueError`` for an unknown envoy, a missing required envoy, or a seat
    taken twice.
    """
    envoy_ids = [e.id for e in scenario.envoys]
    chosen = list(playing) if playing is not None else envoy_ids
    unknown = [s for s in chosen if s not in envoy_ids]
    if unknown:
        raise ValueError(f"unknown envoy '{unknown[0]}': choose from {', '.join(envoy_ids)}")
    if len(set(chosen)) != len(chosen):
        raise ValueError("an envoy can take only one seat")
    missing = [e.id for e in scenario.envoys if e.required and e.id not in chosen]
    if missing:
        raise ValueError(f"envoy '{missing[0]}' must have a seat in this scenario")
    if not chosen:
        raise ValueError("a game needs at least one envoy")
    order = tuple(sorted(envoy_ids.index(s) for s in chosen))
    party_count = len(scenario.parties)
    state = GameState(
        scenario=scenario,
        seed=seed,
        rng=rng.seed_state(seed),
        step=0,
        turn=0,
        last_turn=scenario.turns,
        phase=DIPLOMACY,
        turn_index=0,
        turn_order=order,
        revealed=frozenset(),
        pending=(),
        cooldowns=(),
        delayed=(),
        decisions=(),
        outcome="",
        **_start_meters(scenario),
    )
    assert len(state.standing) == len(scenario.envoys) * party_count
    world = World(state)
    return _start_turn(world, state, 1)


def _start_meters(scenario: Scenario) -> dict[str, tuple]:
    """The fields every game of the crisis starts with, before its first News (the
    scenario's starting meters, no capital yet, nothing fired or signed); made once,
    as every field is a tuple, which no game changes."""

    def build() -> dict[str, tuple]:
        return {
            "capital": tuple(0 for _ in scenario.envoys),
            "standing": tuple(s for e in scenario.envoys for s in e.standing),
            "posture": tuple(p.posture for p in scenario.parties),
            "resolve": tuple(p.resolve for p in scenario.parties),
            "tension": tuple(r.tension for r in scenario.relations),
            "trust": tuple(r.trust for r in scenario.relations),
            "pressure": tuple(r.pressure for r in scenario.relations),
            "hotline": tuple(0 for _ in scenario.relations),
            "signed": tuple(0 for _ in scenario.accords),
            "counters": scenario.counter_start,
            "last_fired": tuple(0 for _ in scenario.events),
            "fire_count": tuple(0 for _ in scenario.events),
            "drafts": tuple(accord.draft for accord in scenario.accords),
        }

    return scenario.memo("start meters", build)


# ---------------------------------------------------------------- legality


def _playing_index(state: GameState, envoy_id: str) -> int:
    try:
        envoy = state.scenario.envoy_index(envoy_id)
    except ValueError:
        return -1
    return envoy if envoy in state.turn_order else -1


def _targets(
    state: GameState, move: Move, names: tuple[str, ...]
) -> tuple[int, ...] | IllegalAction:
    """Target ids to indices, or the problem with them."""
    t = state.scenario.tables
    kind = move.target
    want = {"none": 0, "party": 1, "accord": 1, "relation": 2}[kind]
    if len(names) != want:
        return IllegalAction(Reason.TARGET_SHAPE, move=move.id, target=kind, count=want)
    if kind == "none":
        return ()
    if kind == "accord":
        if names[0] not in t.accords:
            return IllegalAction(Reason.UNKNOWN_TARGET, kind="accord", id=names[0])
        return (t.accords.index(names[0]),)
    indices = []
    for name in names:
        if name not in t.parties:
            return IllegalAction(Reason.UNKNOWN_TARGET, kind="party", id=name)
        indices.append(t.parties.index(name))
    if kind == "relation":
        index = t.relation_of[indices[0]][indices[1]]
        if index < 0:
            return IllegalAction(Reason.NO_RELATION, a=names[0], b=names[1])
        relation = state.scenario.relations[index]
        if (relation.a, relation.b) != tuple(indices):
            # One text per action: a relation is written in its declared order.
            return IllegalAction(Reason.RELATION_ORDER, a=names[1], b=names[0])
    return tuple(indices)


def move_context(envoy: int, targets: tuple[int, ...]) -> tuple[int, ...]:
    """The values of ``self``, then ``target`` or ``a``, ``b``, for a move's expressions."""
    return (envoy, *targets)


def _play_problem(
    state: GameState, action: Play
) -> tuple[IllegalAction | None, int, int, tuple[int, ...]]:
    """(the problem or None, envoy, move, targets) for a Play action."""
    envoy = _playing_index(state, action.envoy)
    if envoy < 0:
        return IllegalAction(Reason.NOT_SEATED, envoy=action.envoy), -1, -1, ()
    if state.phase != DIPLOMACY:
        return IllegalAction(Reason.WRONG_PHASE, phase=state.phase), envoy, -1, ()
    if state.acting != envoy:
        return IllegalAction(Reason.NOT_YOUR_TURN, envoy=action.envoy), envoy, -1, ()
    index = state.scenario.move_index(action.move)
    if index < 0:
        return IllegalAction(Reason.UNKNOWN_MOVE, move=action.move), envoy, -1, ()
    move = state.scenario.moves[index]
    targets = _targets(state, move, action.targets)
    if isinstance(targets, IllegalAction):
        return targets, envoy, index, ()
    return _move_problem(state, envoy, index, move, targets), envoy, index, targets


def _move_problem(
    state: GameState, envoy: int, index: int, move: Move, targets: tuple[int, ...]
) -> IllegalAction | None:
    for chosen in state.pending:
        if chosen.envoy == envoy and chosen.move == index:
            return IllegalAction(Reason.ALREADY_CHOSEN, move=move.id)
    for who, which, free in state.cooldowns:
        if who == envoy and which == index and free > state.turn:
            return IllegalAction(Reason.COOLING_DOWN, move=move.id, free_turn=free)
    if move.cost > state.capital[envoy]:
        left = max(0, state.capital[envoy])
        return IllegalAction(Reason.CAPITAL, move=move.id, cost=move.cost, left=left)
    if move.target == "accord" and state.signed[targets[0]]:
        accord = state.scenario.accords[targets[0]].id
        return IllegalAction(Reason.ACCORD_SIGNED, accord=accord)
    if move.target == "accord" and draft_refused(state, targets[0]):
        accord = state.scenario.accords[targets[0]].id
        return IllegalAction(Reason.DRAFT_REFUSED, accord=accord)
    if move.target == "relation" and targets[0] == targets[1]:
        party = state.scenario.parties[targets[0]].id
        return IllegalAction(Reason.SAME_PARTY, party=party)
    if not move.requires(state, move_context(envoy, targets)):
        return IllegalAction(Reason.REQUIREMENTS, move=move.id)
    return None


def problem(state: GameState, action: Action) -> IllegalAction | None:
    """Why an action is illegal now, as data (``.reason``, ``.details``), or None when legal."""
    found = _problem(state, action)
    return None if found is None else found.about(action)


def why_illegal(state: GameState, action: Action) -> str:
    """Why an action is illegal now, in the engine's English, or "" when it is legal."""
    found = _problem(state, action)
    return "" if found is None else found.message


def _problem(state: GameState, action: Action) -> IllegalAction | None:
    if state.phase == OVER:
        return IllegalAction(Reason.GAME_OVER, outcome=state.outcome)
    if isinstance(action, Play):
        return _play_problem(state, action)[0]
    if isinstance(action, FacilitatorAction):
        return _facilitator_problem(state, action)
    envoy = _playing_index(state, action.envoy)
    if envoy < 0:
        return IllegalAction(Reason.NOT_SEATED, envoy=action.envoy)
    if isinstance(action, Decide):
        if state.phase != DECISION or state.acting != envoy:
            return IllegalAction(Reason.NO_DECISION, envoy=action.envoy)
        if _option_index(state, action.option) < 0:
            return IllegalAction(Reason.OPTION_NOT_OFFERED, option=action.option)
        return None
    if state.phase != DIPLOMACY or state.acting != envoy:
        return IllegalAction(Reason.NOT_YOUR_TURN, envoy=action.envoy)
    if isinstance(action, Withdraw):
        index = state.scenario.move_index(action.move)
        if not any(c.envoy == envoy and c.move == index for c in state.pending):
            return IllegalAction(Reason.NOT_CHOSEN, move=action.move)
        return None
    if isinstance(action, End):
        return None
    if isinstance(action, Amend):
        return _amend_problem(state, envoy, action)
    return IllegalAction(Reason.UNKNOWN_ACTION)


def _amend_problem(state: GameState, envoy: int, action: Amend) -> IllegalAction | None:
    t = state.scenario.tables
    if action.accord not in t.accords:
        return IllegalAction(Reason.UNKNOWN_TARGET, kind="accord", id=action.accord)
    index = t.accords.index(action.accord)
    spec = state.scenario.accords[index]
    if not spec.issues:
        return IllegalAction(Reason.NO_DRAFT, accord=spec.id)
    if state.signed[index]:
        return IllegalAction(Reason.ACCORD_SIGNED, accord=spec.id)
    if index in state.locked:
        return IllegalAction(Reason.DRAFT_LOCKED, accord=spec.id)
    if envoy in state.amended:
        return IllegalAction(Reason.ALREADY_AMENDED)
    issues = [issue.id for issue in spec.issues]
    if action.issue not in issues:
        return IllegalAction(Reason.UNKNOWN_ISSUE, accord=spec.id, issue=action.issue)
    issue = issues.index(action.issue)
    options = [option.id for option in spec.issues[issue].options]
    details = {"accord": spec.id, "issue": action.issue, "option": action.option}
    if action.option not in options:
        return IllegalAction(Reason.UNKNOWN_OPTION, **details)
    if options.index(action.option) == state.drafts[index][issue]:
        return IllegalAction(Reason.SAME_OPTION, **details)
    return None


def _amends(state: GameState, envoy: int) -> list[Amend]:
    """The Amends an envoy may make now, by accord, issue and option."""
    if envoy in state.amended or not state.drafts:
        return []
    found = []
    for index, (_, options) in enumerate(_amend_table(state.scenario, envoy)):
        if options is None or state.signed[index] or index in state.locked:
            continue
        draft = state.drafts[index]
        for issue, amends in enumerate(options):
            found.extend(a for option, a in enumerate(amends) if option != draft[issue])
    return found


def _amend_table(scenario: Scenario, envoy: int) -> tuple:
    """Per accord, None (format 1) or per issue per option the envoy's Amend; made once."""

    def build():
        envoy_id = scenario.tables.envoys[envoy]
        return tuple(
            (
                accord.id,
                tuple(
                    tuple(Amend(envoy_id, accord.id, issue.id, o.id) for o in issue.options)
                    for issue in accord.issues
                )
                if accord.issues
                else None,
            )
            for accord in scenario.accords
        )

    return scenario.memo(("amends", envoy), build)


def _option_index(state: GameState, option_id: str) -> int:
    event, envoy = state.decisions[0]
    decision = state.scenario.events[event].decision
    for index, option in enumerate(decision.options):
        if option.id == option_id and option.when(state, (envoy,)):
            return index
    return -1


def move_chance(state: GameState, envoy: int, move: Move, targets: tuple[int, ...]) -> float:
    """The odds shown before committing, 0..1; the roll at resolution uses these. A
    move the envoy made lately on the same targets has them faded (``repeats``)."""
    chance = clamp01(move.chance(state, move_context(envoy, targets)))
    if state.recent:
        chance *= fading(state, envoy, state.scenario.moves.index(move), targets)
    return chance


def repeats(state: GameState, envoy: int, move: int, targets: tuple[int, ...]) -> int:
    """How often, in the turns ``rules.repetition`` remembers, the envoy made this move
    on these targets (0 where the rule is off)."""
    return sum(1 for r in state.recent if r[1] == envoy and r[2] == move and r[3] == targets)


def play_repeats(state: GameState, action: Play) -> int:
    """:func:`repeats` of a Play, by its ids (0 for a Play that names no real move or
    target)."""
    if not state.recent:
        return 0
    scenario = state.scenario
    index = scenario.move_index(action.move)
    if index < 0:
        return 0
    targets = _targets(state, scenario.moves[index], action.targets)
    if isinstance(targets, IllegalAction):
        return 0
    return repeats(state, scenario.tables.envoys.index(action.envoy), index, targets)


def fading(state: GameState, envoy: int, move: int, targets: tuple[int, ...]) -> float:
    """What the move's odds are multiplied by now: ``factor`` per remembered repeat."""
    rule = state.scenario.rules.repetition
    if rule is None or not state.recent:
        return 1.0
    return rule.factor ** repeats(state, envoy, move, targets)


def legal_actions(state: GameState, envoy_id: str) -> list[Action]:
    """Every action the seat may take now, in a stable order.

    The last answer is kept, so asking again about the same state costs nothing,
    and :func:`apply` takes a Play or the End from it without checking it again.
    """
    global _offered
    seen, asked, actions, _, _ = _offered
    if seen is state and asked == envoy_id:
        return list(actions)
    phase = state.phase
    order, index = state.turn_order, state.turn_index
    if phase == DIPLOMACY and 0 <= index < len(order):
        # GameState.acting, written out: asked for every action of every game. The
        # seat on turn is the one asking when its id is the asker's (ids are unique).
        acting = order[index]
        if state.scenario.tables.envoys[acting] == envoy_id:
            found, place = _diplomacy_actions(state, acting)
            facts = place[0].facts
        else:
            found, facts, place = [], {}, None
    else:
        envoy = _playing_index(state, envoy_id)
        found, facts, place = [], {}, None
        if phase == DECISION and envoy >= 0 and state.acting == envoy:
            event, _ = state.decisions[0]
            options = state.scenario.events[event].decision.options
            found = [Decide(envoy_id, o.id) for o in options if o.when(state, (envoy,))]
    _offered = (state, envoy_id, found.copy(), facts, place)
    return found


#: (state, envoy_id, legal_actions(state, envoy_id), its Play facts, its place) of
#: the last answer: a copy, which no code here changes, so no caller's list can
#: slip an action into what apply trusts. The place of a Diplomacy answer is (the
#: _Turn, the capital, the chosen moves) it was made from (see ``_offered_play``)
#: and how many Plays lead it, else None.
_offered: tuple = (None, "", [], {}, None)


def _offered_play(
    state: GameState, action: Play
) -> tuple[int, int, tuple[int, ...], tuple[int, ...]] | None:
    """(envoy, move, targets, context) of a Play that legal_actions just offered for this state
    or for the player_view of it, and that is legal in this state; else None.

    In a view, everything a Play's legality reads but its requirements is the
    seat's own (its capital, chosen moves, cooldowns; the phase and the turn;
    the accords signed), so only requirements that read the state are asked
    again, of the state.
    """
    seen, _, actions, facts, place = _offered
    # facts holds every Play the envoy could ever choose, kept alive by the
    # scenario's memo, so a live action with one's id is that very Play.
    fact = facts.get(id(action))
    if fact is None:
        return None
    envoy, index, targets, ctx, requires = fact
    # Was it in the answer? Its move's row was when affordable and not chosen,
    # and then its Plays were the turn's own for the row (or, for a row asked
    # of every state, found by looking through the answer).
    turn, capital, chosen, _ = place
    plays = turn.plays[index]
    if turn.rows[index][1] > capital or index in chosen or plays is None:
        return None
    if plays is _ASK:
        plays = actions
    for play in plays:  # a row's few Plays: a loop is cheaper than any(map(...))
        if play is action:
            break
    else:
        return None
    if seen is not state:
        source, _, made = view.last_view
        if made is not seen or source is not state:
            return None
        if requires is not None and not requires(state, ctx):
            return None
    return envoy, index, targets, ctx


def _offered_end(state: GameState, action: End) -> bool:
    """Whether legal_actions just offered this End for this state or for the
    player_view of it: an End is legal on exactly what a view shares with its
    state (the phase and whose turn it is), so it is not checked again."""
    seen, _, actions, _, _ = _offered
    if not actions or actions[-1] is not action:
        return False
    if seen is state:
        return True
    source, _, made = view.last_view
    return made is seen and source is state


def offered_plays(legal: Sequence[Action]) -> int:
    """How many Plays lead ``legal`` when it is the Diplomacy turn legal_actions just
    answered (its Plays, then its Amends, then a Withdraw per chosen move, then End),
    else -1.

    An agent picking among the Plays and End can then skip looking at the type of
    every action. The list must hold the very actions of that answer, in order
    (equal actions are of the same type too), which costs one comparison per
    action in C, far less than a type look-up each. How many Plays lead it was
    counted when the answer was made (its place holds it).
    """
    _, _, actions, _, place = _offered
    if place is None or legal != actions:  # a list's items, in C (a tuple is never equal)
        return -1
    return place[3]


def _diplomacy_actions(state: GameState, envoy: int) -> tuple[list[Action], tuple]:
    """The envoy's Plays in move order, then its Amends, then a Withdraw per chosen
    move, then End; and the answer's place: (the turn, whose ``facts`` are its
    Plays' (see ``_requirements``), the envoy's capital, its chosen moves, how
    many Plays lead the answer)."""
    turn = _turn(state, envoy)
    capital, pending = state.capital[envoy], state.pending
    chosen = [c.move for c in pending if c.envoy == envoy] if pending else ()
    actions: list[Action] = []
    rows, plays_of, affordable = turn.rows, turn.plays, turn.affordable
    if capital < 0:
        places = [row[0] for row in rows if row[1] <= capital]
    else:
        places = affordable[capital] if capital < len(affordable) else affordable[-1]
    for place in places:  # a row's place is its move's index
        if place in chosen:
            continue
        plays = plays_of[place]
        if plays is None:
            plays = turn.settle(rows[place], state)
        if plays is not _ASK:
            actions.extend(plays)
            continue
        actions.extend(rows[place][5](state, turn.asked[place]))
    plays = len(actions)
    if turn.drafting and state.drafts:
        actions.extend(_amends(state, envoy))
    if chosen:
        actions.extend([turn.withdraws[index] for index in chosen])
    actions.append(turn.end)
    return actions, (turn, capital, chosen, plays)


class _Unread:
    """Stands in for every field of a state but its scenario: any use of it raises."""

    def _refuse(self, *_args):
        raise LookupError("a requirement read the state")

    __getattr__ = __getitem__ = __len__ = __iter__ = __contains__ = __bool__ = _refuse
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = _refuse
    __index__ = __int__ = __float__ = __neg__ = __abs__ = __round__ = _refuse
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _refuse
    __truediv__ = __rtruediv__ = _refuse


_UNREAD = {field.name: _Unread() for field in attrs.fields(GameState) if field.name != "scenario"}


#: What a seat's choices in its Diplomacy turn change: its capital, its chosen
#: moves, and the step count. Every other field of the state (and of the seat's
#: view of it) stays as it was from the seat's first look at its turn to its End.
_CHOICE_FIELDS = frozenset(("capital", "pending", "step"))
_TURN_FIELDS = sorted(
    field.name
    for field in attrs.fields(GameState)
    if field.name != "scenario" and field.name not in _CHOICE_FIELDS
)
_turn_key = operator.itemgetter(*_TURN_FIELDS)
_UNCHOSEN = {name: _UNREAD[name] for name in _CHOICE_FIELDS}
_ASK = object()  # a row's Plays when its requirements read a choice field: ask them each time


class _Turn:
    """What legal_actions knows of one envoy's Diplomacy turn, from its first look.

    legal_actions answers a seat many times in one turn, once per choice, and
    between two choices only the fields in ``_CHOICE_FIELDS`` move. So the
    envoy's moves are rows made once per scenario (see ``_requirements``), and
    a turn keeps only each row's Plays, in ``plays``: the Plays of a move whose
    requirements never read the state are known at once, a move cooling down
    has none, and any other move's are None until the move is first affordable
    and unchosen. Then its candidates (context, Play, holds) are asked, in one
    generated loop (:func:`expr.selector`), on a copy of the state whose choice
    fields refuse to be read, leaving out accords already signed. If they all
    answer, those Plays hold for the whole turn; if one reads capital or the
    chosen moves, the row's Plays are ``_ASK`` and its candidates (in
    ``asked``, by row) are asked of every state.

    Kept per envoy (``_turns``) with the scenario and every field of the state
    but the choice fields; any change to those makes a new one.
    """

    __slots__ = (
        "affordable",
        "asked",
        "drafting",
        "end",
        "facts",
        "plays",
        "probe",
        "rows",
        "withdraws",
    )

    def __init__(self, state: GameState, envoy: int):
        (
            self.rows,
            plays,
            self.facts,
            self.withdraws,
            self.end,
            self.drafting,
            self.affordable,
        ) = _requirements(state, envoy)
        self.plays = plays.copy()
        if state.cooldowns:
            turn = state.turn
            for who, move, free in state.cooldowns:
                if who == envoy and free > turn:
                    self.plays[move] = ()  # a row's place is its move's index
        self.probe = None
        self.asked: dict[int, list] = {}

    def settle(self, row: tuple, state: GameState) -> list[Action] | object:
        """The Plays of a row for the rest of the turn, or ``_ASK``; the turn keeps them."""
        if self.probe is None:
            fields = state.__dict__.copy()  # replace(state, **_UNCHOSEN), written out
            fields.update(_UNCHOSEN)
            self.probe = probe = _new_state(GameState)
            _set_fields(probe, "__dict__", fields)
        asked = row[3]
        if row[4].target == "accord":
            asked = [
                c for c in asked if not state.signed[c[0][1]] and not draft_refused(state, c[0][1])
            ]
        try:
            plays = row[5](self.probe, asked)
        except Exception:  # one read a choice field (or fails on it): ask them each time
            plays = _ASK
            self.asked[row[0]] = asked
        self.plays[row[0]] = plays
        return plays


def _turn(state: GameState, envoy: int) -> _Turn:
    """The envoy's _Turn for this state: kept from its last look if only choices came between."""
    kept = _turns.get(envoy)
    if kept is not None and kept[0] is state.scenario:
        scenario, turn, last, source = kept
        # The state after a Play chosen in the state last looked at (or a view of
        # that, made from the state after a Play chosen in the one it was made
        # from): a move chosen changes only choice fields, and a seat's view of
        # a state is the same function of its other fields every time. So the
        # turn holds, without comparing every field.
        before, after = view.last_choice
        if before is not None and (
            (before is last and after is state)
            or (
                before is source
                and view.last_view[2] is state
                and view.last_view[0] is after
                and state.viewer == last.viewer
            )
        ):
            _turns[envoy] = (scenario, turn, state, after if after is not state else None)
            return turn
        # Else every field but the choice fields is compared, unless the dice or
        # the turn (two of them) tell a new turn at once, as at every seat's first look.
        if not (
            last.rng == state.rng
            and last.turn == state.turn
            and _turn_key(last.__dict__) == _turn_key(state.__dict__)
        ):
            turn = _Turn(state, envoy)
    else:
        turn = _Turn(state, envoy)
    made = view.last_view
    _turns[envoy] = (state.scenario, turn, state, made[0] if made[2] is state else None)
    return turn


def _withdraws_and_end(scenario: Scenario, envoy: int) -> tuple[tuple[Withdraw, ...], End]:
    """An envoy's Withdraw of each move, by index, and its End; made once (actions are values)."""

    def build():
        envoy_id = scenario.tables.envoys[envoy]
        return tuple(Withdraw(envoy_id, move.id) for move in scenario.moves), End(envoy_id)

    return scenario.memo(("withdraws and end", envoy), build)


#: envoy: (scenario, _Turn, the state looked at, the state it is a player_view of or
#: None) of its last look at its turn.
_turns: dict[int, tuple] = {}


def _requirements(
    state: GameState, envoy: int
) -> tuple[tuple, list, dict, tuple, End, bool, tuple]:
    """The envoy's rows, found once per scenario: per move, in move order, (index,
    cost, allowed, asked, move, the selector of its requirements for ``asked``);
    the Plays a turn starts from, per row (``allowed``, or None for a row whose
    requirements read the state); and by the id of each candidate Play (kept for
    good by _candidates): (envoy, move index, targets, context, the requirements
    if they read the state, else None). Then, so that a turn's first look asks
    one table: the envoy's Withdraws by move index and its End, whether any
    accord has a draft to amend, and by capital from none to the dearest move's
    cost, the places of the rows it affords (all of them at that cost or more).

    Asking requirements is most of what legal_actions costs, and many never look
    at the state: ``not represents(self, target)``, or none at all. Each is asked
    once on a state whose every field but the scenario refuses to be read; one
    that answers anyway answers so in every state. A move whose requirements all
    answered has ``asked`` None and its allowed Plays in ``allowed``; any other
    has ``asked``, its candidates in order as (context, Play, holds), where
    ``holds`` is True for an answer already known and False for one to ask.
    Candidates known to fail are left out of both.
    """
    scenario = state.scenario

    def build():
        probe = replace(state, **_UNREAD)
        rows, facts = [], {}
        for index, move, contexts, plays in _candidates(scenario, envoy):
            known = []
            for ctx in contexts:
                try:
                    known.append(bool(move.requires(probe, ctx)))
                except Exception:  # it read the state (or fails on it): ask each time
                    known.append(None)
            reads = None in known
            for ctx, play in zip(contexts, plays, strict=True):
                facts[id(play)] = (envoy, index, ctx[1:], ctx, move.requires if reads else None)
            if move.target != "accord" and None not in known:
                allowed = [play for play, holds in zip(plays, known, strict=True) if holds]
                rows.append((index, move.cost, allowed, None, move, None))
            else:
                asked = [
                    (ctx, play, bool(holds))
                    for ctx, play, holds in zip(contexts, plays, known, strict=True)
                    if holds is not False
                ]
                rows.append((index, move.cost, None, asked, move, expr.selector(move.requires)))
        withdraws, end = _withdraws_and_end(scenario, envoy)
        dearest = max((row[1] for row in rows), default=0)
        affordable = tuple(
            tuple(row[0] for row in rows if row[1] <= capital) for capital in range(dearest + 1)
        )
        plays = [row[2] for row in rows]
        return tuple(rows), plays, facts, withdraws, end, _drafting(scenario), affordable

    # Per scenario object: a seat's view has its own, and what a requirement may
    # read of it is the view's to say.
    return scenario.memo(("requirements", scenario, envoy), build)


def _candidates(scenario: Scenario, envoy: int):
    """Every (move index, move, contexts, Plays) an envoy could ever choose; built once."""

    def build():
        envoy_id = scenario.tables.envoys[envoy]
        table = []
        for index, move in enumerate(scenario.moves):
            if move.target == "none":
                options = [()]
            elif move.target == "party":
                options = [(p,) for p in range(len(scenario.parties))]
            elif move.target == "accord":
                options = [(a,) for a in range(len(scenario.accords))]
            else:
                options = [(r.a, r.b) for r in scenario.relations]
            contexts = [move_context(envoy, targets) for targets in options]
            plays = [
                Play(envoy_id, move.id, _target_names(scenario.tables, move, targets))
                for targets in options
            ]
            table.append((index, move, contexts, plays))
        return table

    return scenario.memo(("candidates", envoy), build)


def _target_names(tables, move: Move, targets: tuple[int, ...]) -> tuple[str, ...]:
    if move.target == "accord":
        return (tables.accords[targets[0]],)
    return tuple(tables.parties[t] for t in targets)


# ------------------------------------------------------------------- apply


def apply(state: GameState, action: Action, record: bool = True) -> tuple[GameState, list[Entry]]:
    """The new state after ``action``, and the ledger entries that explain it.

    Raises :class:`IllegalAction` (a ``ValueError``) when the action is not legal
    now; the given state is never changed. With ``record=False`` the entries are
    not made (the list is empty): the same new state, for a caller that keeps
    no ledger, such as a simulated game.
    """
    if state.phase == OVER:
        raise IllegalAction(Reason.GAME_OVER, outcome=state.outcome).about(action)
    if isinstance(action, Play):
        offered = _offered_play(state, action)
        if offered is not None:
            envoy, index, targets, ctx = offered
            return _choose(state, envoy, index, targets, record, ctx)
        found, envoy, index, targets = _play_problem(state, action)
        if found:
            raise found.about(action)
        return _choose(state, envoy, index, targets, record)
    if type(action) is End and _offered_end(state, action):
        return _end_turn(state, state.acting, record)
    found = _problem(state, action)
    if found:
        raise found.about(action)
    if isinstance(action, FacilitatorAction):
        return _facilitate(state, action)
    envoy = state.scenario.envoy_index(action.envoy)
    if isinstance(action, Withdraw):
        return _withdraw(state, envoy, state.scenario.move_index(action.move), record)
    if isinstance(action, Decide):
        return _decide(state, envoy, _option_index(state, action.option), record)
    if isinstance(action, Amend):
        return _amend(state, envoy, action, record)
    return _end_turn(state, envoy, record)


def _amend(state: GameState, envoy: int, action: Amend, record: bool):
    """A draft amended: at once, and in public."""
    scenario = state.scenario
    index = scenario.tables.accords.index(action.accord)
    spec = scenario.accords[index]
    issue = [i.id for i in spec.issues].index(action.issue)
    option = [o.id for o in spec.issues[issue].options].index(action.option)
    drafts = list(state.drafts)
    draft = list(drafts[index])
    draft[issue] = option
    drafts[index] = tuple(draft)
    new = replace(
        state,
        step=state.step + 1,
        drafts=tuple(drafts),
        amended=tuple(sorted((*state.amended, envoy))),
    )
    if not record:
        return new, []
    cause = Cause(ledger.AMEND, spec.id, action.envoy)
    args = (action.envoy, spec.id, action.issue, action.option)
    return new, [Entry(state.turn, cause, note=ledger.AMENDED, args=args)]


def _proposal(scenario: Scenario, move: int, targets: tuple[int, ...]) -> bool:
    """Whether a chosen move proposes a format-2 accord: a joint move of its signatories."""
    return (
        bool(targets)
        and _aims_at_accord(scenario)[move]
        and bool(scenario.accords[targets[0]].issues)
    )


def _drafting(scenario: Scenario) -> bool:
    """Whether any accord has a draft (format 2): else no move ever proposes one, and
    no seat may amend, so a format-1 game skips asking (``_proposal`` is never true)."""
    return scenario.memo("drafting", lambda: any(accord.issues for accord in scenario.accords))


def _aims_at_accord(scenario: Scenario) -> tuple[bool, ...]:
    return scenario.memo(
        "aims at accord", lambda: tuple(m.target == "accord" for m in scenario.moves)
    )


def _choose(
    state: GameState,
    envoy: int,
    index: int,
    targets: tuple[int, ...],
    record: bool,
    ctx: tuple[int, ...] | None = None,
):
    """The move chosen: paid for, and pending with the odds shown. ``ctx`` is its
    ``move_context``, when the caller has it already."""
    move = state.scenario.moves[index]
    # move_chance, written out: every Play of every game comes through here.
    chance = move.chance(state, ctx or move_context(envoy, targets))
    chance = 0.0 if chance < 0 else 1.0 if chance > 1 else float(chance)
    if state.recent:
        chance *= fading(state, envoy, index, targets)
    capital = list(state.capital)
    capital[envoy] -= move.cost
    fields = state.__dict__.copy()
    fields["step"] = state.step + 1
    fields["capital"] = tuple(capital)
    chosen = _new_state(Chosen)  # make_chosen, written out
    _set_fields(
        chosen,
        "__dict__",
        {"envoy": envoy, "move": index, "targets": targets, "chance": chance, "cost": move.cost},
    )
    fields["pending"] = (*state.pending, chosen)
    if (
        move.target == "accord"  # _proposal, written out
        and state.drafts
        and state.scenario.accords[targets[0]].issues
        and targets[0] not in state.locked
    ):
        fields["locked"] = tuple(sorted((*state.locked, targets[0])))
    new = _new_state(GameState)
    _set_fields(new, "__dict__", fields)  # from_fields, written out
    # (A proposal that locks its draft changes a field legal_actions' turn reads.)
    view.last_choice = (state, new) if fields["locked"] is state.locked else (None, None)
    if not record:
        return new, []
    envoy_id = state.scenario.envoys[envoy].id
    names = _target_names(state.scenario.tables, move, targets)
    cause = Cause(ledger.MOVE, move.id, envoy_id, private_to=envoy_id)
    entry = Entry(state.turn, cause, note=ledger.CHOSE, args=(move.id, names, chance))
    return new, [entry]


def _withdraw(state: GameState, envoy: int, index: int, record: bool):
    kept, refund = [], 0
    for chosen in state.pending:
        if chosen.envoy == envoy and chosen.move == index:
            refund = chosen.cost
        else:
            kept.append(chosen)
    capital = list(state.capital)
    capital[envoy] += refund
    locked = state.locked
    if locked:
        # A draft stays locked while anyone still proposes it.
        scenario = state.scenario
        locked = tuple(
            a
            for a in locked
            if any(_proposal(scenario, c.move, c.targets) and c.targets[0] == a for c in kept)
        )
    new = replace(
        state, step=state.step + 1, capital=tuple(capital), pending=tuple(kept), locked=locked
    )
    if not record:
        return new, []
    move = state.scenario.moves[index]
    envoy_id = state.scenario.envoys[envoy].id
    entry = Entry(
        state.turn,
        Cause(ledger.MOVE, move.id, envoy_id, private_to=envoy_id),
        note=ledger.WITHDREW,
        args=(move.id,),
    )
    return new, [entry]


def _decide(state: GameState, envoy: int, option_index: int, record: bool):
    event_index, _ = state.decisions[0]
    event = state.scenario.events[event_index]
    option = event.decision.options[option_index]
    world = World(state, record)
    envoy_id = state.scenario.envoys[envoy].id
    world.cause = Cause(ledger.DECISION, f"{event.id}.{option.id}", envoy_id)
    world.note(ledger.DECIDED, envoy_id, event.id, option.id)
    world.run(option.effects, (envoy,))
    rest = state.decisions[1:]
    new = world.freeze(step=state.step + 1, decisions=rest, phase=DECISION if rest else DIPLOMACY)
    return _after_news(world, new)


def _end_turn(state: GameState, envoy: int, record: bool):
    if state.turn_index + 1 < len(state.turn_order):
        fields = state.__dict__.copy()
        fields["step"] = state.step + 1
        fields["turn_index"] = state.turn_index + 1
        new = _new_state(GameState)
        _set_fields(new, "__dict__", fields)  # from_fields, written out
        return new, []
    world = World(state, record)
    _resolve(world)
    _world_step(world)
    turned = {
        "step": state.step + 1,
        "pending": (),
        "cooldowns": _cooldowns_after(state),
        "recent": _recent_after(state),
        "delayed": world.delayed,
        "amended": (),
        "locked": (),
    }
    # The end check reads the world in place (it stands for the state it would
    # freeze into), so a turn that goes on freezes once, after the next News.
    outcome = _end_check(world)
    if outcome:
        return _finish(world, world.freeze(**turned, turn_index=0), outcome)
    world.cause = _TURN
    world.source = ""
    return _start_turn(world, state, state.turn + 1, world.entries, turned)


def _recent_after(state: GameState) -> tuple[tuple[int, int, int, tuple[int, ...]], ...]:
    """The moves remembered in the next turn (``rules.repetition``): those of the last
    ``window`` turns, this one's included; the state's own (empty) tuple where the
    rule is off."""
    rule = state.scenario.rules.repetition
    if rule is None:
        return state.recent
    turn = state.turn + 1
    kept = [r for r in state.recent if r[0] >= turn - rule.window]
    kept += [(state.turn, c.envoy, c.move, c.targets) for c in state.pending]
    return tuple(kept)


def _cooldowns_after(state: GameState) -> tuple[tuple[int, int, int], ...]:
    """The cooldowns of the next turn: the state's own object when none ends or
    begins, so a seat's view keeps its filtered copy of them."""
    turn, moves = state.turn + 1, state.scenario.moves
    kept = [c for c in state.cooldowns if c[2] > turn]
    begun = [
        (chosen.envoy, chosen.move, turn + moves[chosen.move].cooldown)
        for chosen in state.pending
        if moves[chosen.move].cooldown
    ]
    if not begun and len(kept) == len(state.cooldowns):
        return state.cooldowns
    return tuple(sorted(kept + begun))


# -------------------------------------------------------------- resolution


def _resolution_order(state: GameState) -> list[list[Chosen]]:
    """Chosen moves grouped into resolutions: joint moves with the same target resolve once.

    They resolve by family rank, then seat order, then the order chosen (the
    sort is stable, and ``pending`` is in the order chosen).
    """
    ranks, joints = _move_ranks(state.scenario)
    turn_rank = {envoy: rank for rank, envoy in enumerate(state.turn_order)}
    ranked = sorted(state.pending, key=lambda c: (ranks[c.move], turn_rank[c.envoy]))
    groups: list[list[Chosen]] = []
    joint: dict[tuple[int, tuple[int, ...]], list[Chosen]] = {}
    scenario = state.scenario
    drafting = state.drafts and _drafting(scenario)
    for chosen in ranked:
        if joints[chosen.move] or (drafting and _proposal(scenario, chosen.move, chosen.targets)):
            key = (chosen.move, chosen.targets)
            if key in joint:
                joint[key].append(chosen)
                continue
            joint[key] = [chosen]
            groups.append(joint[key])
        else:
            groups.append([chosen])
    return groups


def _move_ranks(scenario: Scenario) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Per move: the rank of its family in the resolution order, and its joint minimum."""

    def build():
        ranks = tuple(scenario.family_rank.get(m.family, 99) for m in scenario.moves)
        return ranks, tuple(m.joint_min for m in scenario.moves)

    return scenario.memo("move ranks", build)


def _resolve(world: World) -> None:
    state, scenario, record = world.state, world.scenario, world.record
    world.delayed = list(state.delayed)
    drafting = world.drafts and _drafting(scenario)
    for group in _resolution_order(state):
        lead = group[0] if len(group) == 1 else max(group, key=_chance_of)
        move = scenario.moves[lead.move]
        ctx = (lead.envoy, *lead.targets)  # move_context, written out
        # Who and what the ledger names: a game that keeps no ledger makes none of it.
        if record:
            envoy_ids = tuple(scenario.envoys[c.envoy].id for c in group)
            targets = _target_names(scenario.tables, move, lead.targets)
            private = envoy_ids[0] if move.secret else ""
        if move.joint_min and len(group) < move.joint_min:
            _return_capital(world, group)
            if record:
                world.cause = Cause(ledger.MOVE, move.id, envoy_ids[0], private_to=private)
                world.note(ledger.TOO_FEW_ENVOYS, move.id, targets, move.joint_min, len(group))
            continue
        if (move.target == "accord" and world.signed[ctx[1]]) or not move.requires(world, ctx):
            # An earlier move this turn changed the world (say, the accord is signed
            # already, or a requirement no longer holds): this one cannot happen.
            _return_capital(world, group)
            if record:
                world.cause = Cause(ledger.MOVE, move.id, envoy_ids[0], private_to=private)
                world.note(ledger.NO_LONGER_POSSIBLE, move.id, targets, envoy_ids)
            continue
        chance = lead.chance
        if drafting and _proposal(scenario, lead.move, lead.targets):
            accord = lead.targets[0]
            missing = _not_cosponsoring(world, accord, group)
            if missing:
                _return_capital(world, group)
                if record:
                    world.cause = Cause(ledger.MOVE, move.id, envoy_ids[0], private_to=private)
                    world.note(ledger.NOT_COSPONSORED, move.id, targets, envoy_ids, missing)
                continue
            chance = _true_odds(world, accord)
        if 0 < chance < 1:
            roll, world.rng = rng.random(world.rng)  # World.roll, written out
            success = roll < chance
        else:  # a sure thing (or a hopeless one) rolls no dice
            roll, success = None, chance >= 1
        if record:
            world.cause = Cause(ledger.MOVE, move.id, envoy_ids[0], roll, chance, private)
            verdict = ledger.MOVE_SUCCEEDED if success else ledger.MOVE_FAILED
            world.note(verdict, move.id, targets, envoy_ids)
        if not success and drafting and _proposal(scenario, lead.move, lead.targets):
            # The parties said no to this text: it is not proposed again unchanged.
            accord = lead.targets[0]
            world.refuse(accord)
            if record:
                world.note(ledger.DRAFT_REFUSED, scenario.accords[accord].id)
        effects = move.success if success else move.failure
        for number, chosen in enumerate(group):
            if number:
                # A joint move resolves once: the others share only what names `self`.
                ctx = move_context(chosen.envoy, chosen.targets)
                if record:
                    world.cause = attrs.evolve(world.cause, envoy=scenario.envoys[chosen.envoy].id)
                effects = tuple(e for e in effects if e.uses_self)
            elif chosen is not lead:
                ctx = move_context(chosen.envoy, chosen.targets)
            if record:
                world.run(effects, ctx)
            else:  # World.run without a ledger, written out
                for effect in effects:
                    effect.run(world, ctx)
            if success:
                for d_index, delayed in enumerate(move.delayed):
                    due = world.turn + (delayed.after or 1)
                    left = delayed.each_turn_for or 1
                    world.delayed.append(
                        Scheduled(lead.move, d_index, chosen.envoy, ctx, due, left)
                    )


def _not_cosponsoring(world: World, accord: int, group: list[Chosen]) -> tuple[str, ...]:
    """The seated envoys of the accord's signing parties who did not propose it."""
    scenario = world.scenario
    signing = scenario.accords[accord].signatories
    proposing = {c.envoy for c in group}
    return tuple(
        scenario.envoys[e].id
        for e in world.turn_order
        if scenario.envoys[e].party in signing and e not in proposing
    )


def _true_odds(world: World, accord: int) -> float:
    """The chance the unseated signing parties accept the draft, by their true types;
    in a seat's view (an AI's playout), by the expected ones it may know."""
    scenario = world.scenario
    if world.viewer != ALL_SEEING:
        return scenario.accord_odds(world, accord)
    types = bargain.true_types(world.state)
    return clamp01(bargain.draft_odds(scenario, world, accord, types))


def _chance_of(chosen: Chosen) -> float:
    return chosen.chance


def _return_capital(world: World, group: list[Chosen]) -> None:
    """A chosen move that cannot happen: its envoys get their capital back."""
    for chosen in group:
        world.capital[chosen.envoy] += chosen.cost


def _world_step(world: World) -> None:
    scenario, rules = world.scenario, world.scenario.rules
    # Delayed effects tick.
    remaining = []
    for item in world.delayed:
        if item.due > world.turn:
            remaining.append(item)
            continue
        move = scenario.moves[item.move]
        delayed = move.delayed[item.delayed]
        if world.record:
            envoy = scenario.envoys[item.envoy]
            world.cause = Cause(
                ledger.DELAYED, move.id, envoy.id, private_to=envoy.id if move.secret else ""
            )
            if delayed.text:
                world.note(ledger.DELAYED_TEXT, move.id, item.delayed)
        world.run(delayed.effects, item.ctx)
        if item.left > 1:
            remaining.append(
                Scheduled(
                    item.move, item.delayed, item.envoy, item.ctx, item.due + 1, item.left - 1
                )
            )
    world.delayed = tuple(remaining)
    # Parties react.
    for index, party in enumerate(scenario.parties):
        ctx = (index,)
        options = [b for b in party.behaviours if b.when(world, ctx)]
        if not options:
            continue
        weights = [b.weight for b in options] + [party.idle_weight]
        pick, world.rng = rng.weighted_choice(world.rng, weights)
        if 0 <= pick < len(options):
            behaviour = options[pick]
            if world.record:
                world.cause = Cause(ledger.BEHAVIOUR, f"{party.id}.{behaviour.id}")
                world.note(ledger.BEHAVED, party.id, behaviour.id)
            world.run(behaviour.effects, ctx)
    _comply(world)
    # Pressure drifts tension up, damped by hotlines and signed accords.
    gains = drifts(rules, world.pressure, world.hotline, world.signed)
    for index, (relation, drift) in enumerate(zip(scenario.relations, gains, strict=True)):
        if drift:
            if world.record:
                a, b = scenario.parties[relation.a].id, scenario.parties[relation.b].id
                world.cause = Cause(ledger.DRIFT, f"{a}-{b}")
                world.source = relation.source
            world.set("tension", index, world.tension[index] + drift)
        if world.hotline[index]:
            world.hotline[index] -= 1


def _comply(world: World) -> None:
    """Signed deals are kept or broken (NEGOTIATION.md §5), from the turn of signing.

    A signing party whose deal falls short of its reservation may break it, by the
    library's breach chance; monitors in the deal deter it. In the turn it is signed
    that is its government refusing to ratify a deal worse than no deal (so an envoy
    who co-sponsors one against its own party's interest is overruled at home); later,
    the situation may have moved (tension rose, or its resolve recovered). Parties
    break by their true types; in a seat's view (an AI's
    playout), by the expected ones it may know. A deal worth at least no deal to every
    party rolls no dice, so crises without compliance numbers play as before.
    """
    scenario = world.scenario
    numbers = scenario.rules.bargaining
    if numbers is None or numbers.compliance is None or not world.drafts:
        return
    types = None
    for index, accord in enumerate(scenario.accords):
        if not accord.issues or not world.signed[index]:
            continue
        if types is None and world.viewer == ALL_SEEING:
            types = bargain.true_types(world.state)
        watched = bargain.watched(accord, world.drafts[index])
        for party in accord.signatories:
            short = bargain.shortfall(scenario, world, index, party, types)
            chance = bargain.breach_chance(numbers.compliance, short, watched)
            if chance > 0 and world.roll() < chance:
                _breach(world, index, party, numbers.compliance, world.signed[index] == world.turn)
                break


def _breach(world: World, accord: int, party: int, numbers: Compliance, ratifying: bool) -> None:
    """``party`` breaks the accord: it is no longer signed (its draft stays the package
    it was, open to amending again, but refused as it stands), and the breach costs
    the breaking party tension and trust with each fellow signatory, and its envoys
    standing with each of them."""
    scenario = world.scenario
    spec = scenario.accords[accord]
    world.signed[accord] = 0
    # A text that was broken is not signed again unchanged: it is refused.
    world.refuse(accord)
    if world.record:
        world.cause = Cause(ledger.BREACH, f"{scenario.parties[party].id}.{spec.id}")
        world.source = ""
        world.note(ledger.BREACHED, scenario.parties[party].id, spec.id, int(ratifying))
    parties = len(scenario.parties)
    others = [p for p in spec.signatories if p != party]
    for other in others:
        relation = scenario.relation_index(party, other)
        if relation >= 0:
            world.set("tension", relation, world.tension[relation] + numbers.tension)
            world.set("trust", relation, world.trust[relation] - numbers.trust)
    for envoy, spec_envoy in enumerate(scenario.envoys):
        if spec_envoy.party == party:
            for other in others:
                key = envoy * parties + other
                world.set("standing", key, world.standing[key] - numbers.standing)


def _end_check(state: GameState) -> str:
    scenario = state.scenario
    if state.tension and max(state.tension) >= scenario.conflict_at:
        return CONFLICT
    if scenario.peace(state, ()):
        return PEACE
    if state.turn >= state.last_turn:
        return STALEMATE
    return ""


def _finish(world: World, state: GameState, outcome: str):
    world.cause = Cause(ledger.TURN, outcome)
    world.note(ledger.ENDED, outcome)
    return replace(state, phase=OVER, outcome=outcome, turn_index=-1), world.entries


# --------------------------------------------------------------------- news


def _start_turn(
    world: World,
    state: GameState,
    turn: int,
    entries: list[Entry] | None = None,
    turned: dict | None = None,
):
    """Income, then News for ``turn``; returns (state, entries). ``turned`` holds the
    fields the end of the last turn changed in ``state`` (none of those News reads),
    frozen with the new turn's."""
    scenario, rules = state.scenario, state.scenario.rules
    world.entries = list(entries or [])
    world.turn = turn
    # A cause names what the ledger's entries come from: a world keeping none needs none.
    world.cause = Cause(ledger.TURN, str(turn)) if world.record else _TURN
    world.note(ledger.TURN_BEGINS, turn, state.last_turn)
    for envoy in state.turn_order:
        carried = min(world.capital[envoy], rules.capital_carry_max)
        income = scenario.envoys[envoy].capital
        world.capital[envoy] = min(rules.capital_max, max(rules.capital_min, carried + income))
    last_fired = list(state.last_fired)
    fire_count = list(state.fire_count)
    decisions: list[tuple[int, int]] = []

    def fire(index: int) -> None:
        cause = Cause(ledger.EVENT, scenario.events[index].id) if world.record else _TURN
        _fire(world, index, cause, ledger.NEWS, last_fired, fire_count, decisions)

    def eligible(index: int) -> bool:
        event = scenario.events[index]
        if event.once and fire_count[index]:
            return False
        return not (
            event.cooldown and last_fired[index] and turn - last_fired[index] <= event.cooldown
        )

    # Scheduled events first, then triggered ones, each in file order.
    for index, event in enumerate(scenario.events):
        if event.at_turn == turn and eligible(index):
            fire(index)
    for index, event in enumerate(scenario.events):
        if event.when is not None and eligible(index) and event.when(world, ()):
            fire(index)
    pool = [
        i
        for i, e in enumerate(scenario.events)
        if e.pool_weight > 0 and eligible(i) and (e.pool_when is None or e.pool_when(world, ()))
    ]
    if pool:
        weights = [scenario.events[i].pool_weight for i in pool] + [rules.pool_nothing_weight]
        pick, world.rng = rng.weighted_choice(world.rng, weights)
        if 0 <= pick < len(pool):
            fire(pool[pick])
    new = world.freeze(
        **(turned or {}),
        turn=turn,
        phase=DECISION if decisions else DIPLOMACY,
        turn_index=0,
        decisions=tuple(decisions),
        last_fired=tuple(last_fired),
        fire_count=tuple(fire_count),
    )
    return _after_news(world, new)


def _fire(
    world: World,
    index: int,
    cause: Cause,
    kind: str,
    last_fired: list[int],
    fire_count: list[int],
    decisions: list[tuple[int, int]],
) -> None:
    """An event happens now: counted, noted, its effects run, its decision queued."""
    event = world.scenario.events[index]
    last_fired[index] = world.turn
    fire_count[index] += 1
    world.cause = cause
    world.note(kind, event.id)
    world.run(event.effects, ())
    if event.decision is not None:
        _queue_decision(world, world.state, index, decisions)


def _queue_decision(world: World, state: GameState, index: int, queue: list) -> None:
    event = state.scenario.events[index]
    decision = event.decision
    if decision.envoy in state.turn_order:
        queue.append((index, decision.envoy))
        return
    # The envoy has no seat: its first option that is on offer is taken for it.
    envoy = decision.envoy
    for option in decision.options:
        if option.when(world, (envoy,)):
            world.cause = Cause(ledger.DECISION, f"{event.id}.{option.id}", "")
            envoy_id = state.scenario.envoys[envoy].id
            world.note(ledger.DECIDED_UNSEATED, envoy_id, event.id, option.id)
            world.run(option.effects, (envoy,))
            return


def _after_news(world: World, state: GameState):
    """End the game if News or a decision settled it; otherwise play on."""
    outcome = _end_check(state) if state.turn else ""
    if outcome == STALEMATE:
        outcome = ""  # the last turn is still to be played
    if outcome:
        return _finish(world, state, outcome)
    return state, world.entries


# -------------------------------------------------------------- facilitator

#: Meters a facilitator may set, with what names their subject.
ADJUSTABLE = {m.name: m.subject for m in meters.METERS}
MAX_EXTEND = 99  # a bound on the text form, not a tunable: the panel offers far fewer


def _meter_key(state: GameState, action: Adjust) -> int | IllegalAction:
    """The index of the adjusted meter, or the problem with it."""
    kind = ADJUSTABLE.get(action.meter)
    if kind is None:
        return IllegalAction(Reason.UNKNOWN_METER, meter=action.meter, choices=tuple(ADJUSTABLE))
    t, subject = state.scenario.tables, action.subject
    want = meters.SUBJECT_IDS[kind]
    if len(subject) != want:
        return IllegalAction(Reason.WRONG_SUBJECT, meter=action.meter, kind=kind, count=want)
    if kind == "relation":
        for name in subject:
            if name not in t.parties:
                return IllegalAction(Reason.UNKNOWN_TARGET, kind="party", id=name)
        index = t.relation_of[t.parties.index(subject[0])][t.parties.index(subject[1])]
        if index < 0:
            return IllegalAction(Reason.NO_RELATION, a=subject[0], b=subject[1])
        return index
    if kind == "standing":
        if subject[0] not in t.envoys or subject[1] not in t.parties:
            return IllegalAction(Reason.WRONG_SUBJECT, meter=action.meter, kind=kind, count=want)
        return t.envoys.index(subject[0]) * len(t.parties) + t.parties.index(subject[1])
    table = {"envoy": t.envoys, "party": t.parties, "counter": t.counters}[kind]
    if subject[0] not in table:
        return IllegalAction(Reason.UNKNOWN_TARGET, kind=kind, id=subject[0])
    return table.index(subject[0])


def _facilitator_problem(state: GameState, action: FacilitatorAction) -> IllegalAction | None:
    if isinstance(action, Inject):
        if any(event.id == action.event for event in state.scenario.events):
            return None
        return IllegalAction(Reason.UNKNOWN_EVENT, event=action.event)
    if isinstance(action, Extend):
        if 1 <= action.turns <= MAX_EXTEND:
            return None
        return IllegalAction(Reason.TURNS_TO_ADD, turns=action.turns, most=MAX_EXTEND)
    if isinstance(action, Adjust):
        if not action.reason:
            return IllegalAction(Reason.NEEDS_REASON)
        key = _meter_key(state, action)
        if isinstance(key, IllegalAction):
            return key
        low, high = meters.ranges(state.scenario.rules)[action.meter]
        if not low <= action.value <= high:
            return IllegalAction(
                Reason.OUT_OF_RANGE, meter=action.meter, value=action.value, low=low, high=high
            )
        return None
    return IllegalAction(Reason.UNKNOWN_ACTION)


def _facilitate(state: GameState, action: FacilitatorAction):
    world = World(state)
    if isinstance(action, Extend):
        world.cause = Cause(ledger.FACILITATOR, "extend")
        last = state.last_turn + action.turns
        world.note(ledger.EXTENDED, action.turns, last)
        return replace(state, step=state.step + 1, last_turn=last), world.entries
    if isinstance(action, Adjust):
        world.cause = Cause(ledger.FACILITATOR, "adjust")
        key = _meter_key(state, action)
        # The subject as the ledger names it: a relation in its declared order.
        subject = _subject(state.scenario, meters.BY_NAME[action.meter].subject, key)
        world.note(ledger.ADJUSTED, action.meter, subject, action.value, action.reason)
        world.set(action.meter, key, action.value)
        return _after_news(world, world.freeze(step=state.step + 1))
    index = [event.id for event in state.scenario.events].index(action.event)
    cause = Cause(ledger.FACILITATOR, f"inject.{action.event}")
    last_fired, fire_count = list(state.last_fired), list(state.fire_count)
    decisions: list[tuple[int, int]] = []
    _fire(world, index, cause, ledger.INJECTED, last_fired, fire_count, decisions)
    queue = (*state.decisions, *decisions)
    new = world.freeze(
        step=state.step + 1,
        decisions=queue,
        phase=DECISION if queue else state.phase,
        last_fired=tuple(last_fired),
        fire_count=tuple(fire_count),
    )
    return _after_news(world, new)


# ------------------------------------------------------------------ preview


@attrs.frozen
class Preview:
    """What a move would do, shown before committing: the odds and both outcomes.

    ``success`` includes the move's delayed effects, applied as many times as
    they will apply, so a slow move shows what it is worth in the end.
    """

    chance: float
    success: GameState
    failure: GameState
    success_entries: tuple[Entry, ...]
    failure_entries: tuple[Entry, ...]


def preview(state: GameState, action: Play, entries: bool = True) -> Preview:
    """The odds and the effects of a legal move, without choosing it.

    With ``entries=False`` the ledger entries are left out (empty), which an AI
    weighing many moves does not read: the states are the same, and faster.
    An outcome with no effects (most failures) is ``state`` itself.
    Raises :class:`IllegalAction` when the move is not legal now.
    """
    move, ctx, chance = _previewed(state, action)
    win, win_entries = _outcome(state, move, action.envoy, ctx, True, entries)
    lose, lose_entries = _outcome(state, move, action.envoy, ctx, False, entries)
    return Preview(chance, win, lose, win_entries, lose_entries)


def preview_value(
    state: GameState,
    action: Play,
    value: Callable[[GameState], float],
    unchanged: float | None = None,
) -> float:
    """``chance * value(success) + (1 - chance) * value(failure)`` of a legal move's preview.

    What an AI weighing every legal move needs from :func:`preview`, at less cost:
    no ledger, no :class:`Preview`, and an outcome with no effects is valued as
    ``state`` without being built (``unchanged`` is ``value(state)`` when the
    caller knows it already), while an outcome its odds rule out is not valued.
    An outcome with effects is not frozen either: ``value`` reads the scratch
    world the effects ran on, through a stand-in with every field of the state
    it would freeze into (:class:`_Outcome`). A Play that :func:`legal_actions`
    just offered for this state (or for the state this is a seat's view of) is
    not checked again. Raises :class:`IllegalAction` when the move is not legal now.
    """
    move, ctx, chance = _previewed(state, action)

    def worth(success: bool) -> float:
        effects, delayed = (move.success, move.delayed) if success else (move.failure, ())
        if not effects and not delayed:
            return value(state) if unchanged is None else unchanged
        return value(_run_outcome(_Outcome(state, record=False), move, action.envoy, ctx, success))

    win = worth(True) if chance > 0 else 0.0
    lose = worth(False) if chance < 1 else 0.0
    return chance * win + (1 - chance) * lose


def _previewed(state: GameState, action: Play) -> tuple[Move, tuple[int, ...], float]:
    offered = _offered_here(state, action)
    if offered is None:
        found, envoy, index, targets = _play_problem(state, action)
        if found:
            raise found.about(action)
        ctx = move_context(envoy, targets)
    else:
        index, ctx = offered
    move = state.scenario.moves[index]
    return move, ctx, move_chance(state, ctx[0], move, ctx[1:])


def _offered_here(state: GameState, action: Play) -> tuple[int, tuple[int, ...]] | None:
    """(move, context) of a Play legal_actions just offered, when it is legal in ``state``.

    ``state`` may be the offered state, a seat's view of it, or the same with
    another viewer: everything a Play's legality reads but its requirements is
    then the same (the seat's own capital, chosen moves and cooldowns, the
    phase, the turn, the accords signed), and the requirements are asked of
    ``state``, which may know less. Anything else: None, and the full check.
    """
    seen, _, actions, facts, _ = _offered
    if seen is None or not any(map(operator.is_, actions, itertools.repeat(action))):
        return None
    _, index, _, ctx, _ = facts[id(action)]
    if seen is state:
        return index, ctx
    source, _, made = view.last_view
    if not (made is state and source is seen) and not (
        state.turn == seen.turn
        and state.phase == seen.phase
        and state.turn_index == seen.turn_index
        and state.turn_order is seen.turn_order
        and state.capital is seen.capital
        and state.pending is seen.pending
        and state.cooldowns is seen.cooldowns
        and state.signed is seen.signed
    ):
        return None
    return (index, ctx) if state.scenario.moves[index].requires(state, ctx) else None


class _Outcome(World):
    """A move's outcome, read in place: the scratch world its effects ran on, with
    the fields it does not copy (phase, outcome, pending…) read from the state it
    started from, which is what :meth:`World.freeze` would have kept. Its meters
    are lists. Only for reading once the effects have run.
    """

    @property
    def is_over(self) -> bool:
        return self.state.is_over

    def __getattr__(self, name: str):
        if name in _STATE_FIELDS:
            return getattr(self.__dict__["state"], name)
        raise AttributeError(f"a previewed outcome has no {name!r}")


_STATE_FIELDS = frozenset(field.name for field in attrs.fields(GameState))


def _outcome(
    state: GameState, move: Move, envoy: str, ctx: tuple[int, ...], success: bool, entries: bool
) -> tuple[GameState, tuple[Entry, ...]]:
    """The state after the move succeeds (with its delayed effects, each time) or fails."""
    effects, delayed = (move.success, move.delayed) if success else (move.failure, ())
    if not effects and not delayed:
        return state, ()
    world = _run_outcome(World(state, record=entries), move, envoy, ctx, success)
    return world.freeze(), tuple(world.entries)


W = TypeVar("W", bound=World)


def _run_outcome(world: W, move: Move, envoy: str, ctx: tuple[int, ...], success: bool) -> W:
    """``world`` after the move's effects on success (with its delayed ones) or failure."""
    scenario = world.scenario
    world.cause = _cause(scenario, ledger.MOVE, move.id, envoy)
    if not success:
        world.run(move.failure, ctx)
        if move.target == "accord" and world.drafts and scenario.accords[ctx[1]].issues:
            # As in play: a refused draft is not proposed again unchanged.
            world.refuse(ctx[1])
        return world
    world.run(move.success, ctx)
    for item in move.delayed:
        world.cause = _cause(scenario, ledger.DELAYED, move.id, envoy)
        for _ in range(item.each_turn_for or 1):
            world.run(item.effects, ctx)
    return world


def _cause(scenario: Scenario, kind: str, move: str, envoy: str) -> Cause:
    # Causes are frozen: one per move and seat serves every preview of it.
    return scenario.memo(("cause", kind, move, envoy), lambda: Cause(kind, move, envoy))
