"""What one seat may see: ``player_view(state, envoy_id)`` (DESIGN §2, "secrets are a view").

A view is a :class:`GameState` like any other, so the same rules code reads it,
but it holds nothing the seat may not know:

* other seats' agendas are gone from the view's scenario;
* other seats' chosen moves are gone until they resolve, and so are the
  cooldowns and delayed effects of other seats' secret moves;
* hidden facts the seat has not learned have no text, and facts revealed only
  to another seat are not marked as revealed;
* the dice are replaced by a stream derived from them, so a seat (or an AI)
  can plan with the odds but cannot read the coming rolls;
* the seed is gone (it draws the parties' hidden types), and each party's
  interests are its declared ranges, or its exact values once the seat has
  learned them.

Hot-seat hand-off and AI fairness both rely on this one function.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from game.engine import bargain, rng
from game.engine.ledger import Cause, Entry
from game.engine.model import Scenario
from game.engine.state import EVERYONE, HIDDEN_SEED, ROOM, GameState, replace

SECRET = "secret"
_new = object.__new__
_set = object.__setattr__
_VIEW_SALT = 0x5EC2E7


def player_view(state: GameState, envoy_id: str) -> GameState:
    """The state as the envoy ``envoy_id`` may see it.

    The last view made is kept: asked again for the same state and seat (the
    board redraws, an agent and its caller both look), it is the same object.
    """
    global last_view
    seen, asked, view = last_view
    if seen is state and asked == envoy_id:
        return view
    before, after = last_choice
    if after is state and before is seen and asked == envoy_id:
        # The state is the last one viewed with a move chosen: the view is the last
        # one with the same three fields changed (and the move among its chosen
        # moves if it is the seat's own).
        fields = view.__dict__.copy()
        fields["step"] = state.step
        fields["capital"] = state.capital
        chosen = state.pending[-1]
        if chosen.envoy == fields["viewer"]:
            fields["pending"] = (*fields["pending"], chosen)
        view = _new(GameState)
        _set(view, "__dict__", fields)
        last_view = (state, envoy_id, view)
        return view
    envoy = state.scenario.tables.envoys.index(envoy_id)
    parts = _PARTS.get(envoy)
    if (
        parts is None
        or parts.scenario is not state.scenario
        or parts.revealed is not state.revealed
        or parts.learned is not state.learned
        or parts.rng is not state.rng
        or parts.from_cooldowns is not state.cooldowns
        or parts.from_delayed is not state.delayed
    ):
        parts = _parts(state, envoy)
    fields = state.__dict__.copy()
    fields.update(parts.fields)
    recent, secret = state.recent, parts.secret
    if recent and secret:  # another seat's secret move is not remembered in this view
        fields["recent"] = tuple([r for r in recent if r[1] == envoy or r[2] not in secret])
    pending = state.pending
    if pending:
        fields["pending"] = tuple([c for c in pending if c.envoy == envoy])
    view = _new(GameState)
    _set(view, "__dict__", fields)  # from_fields, written out
    last_view = (state, envoy_id, view)
    return view


#: (state, envoy_id, player_view(state, envoy_id)) of the last view made. The rules
#: read it to know that a view they were asked about is a view of a given state.
last_view: tuple = (None, "", None)

#: (state, the state after a Play chosen in it) of the last move chosen that changed
#: only a seat's choices (its capital and chosen moves, and the step count), as the
#: rules record it; (None, None) before any, or after a choice that changed more.
last_choice: tuple = (None, None)


class _Parts:
    """The parts of one envoy's view that change only at News and Resolution.

    Each is kept with the state's field it is made from (the scenario, the
    revealed facts and learned interests, the dice, the cooldowns, the delayed effects), and made
    again only when that field is another object: between two of a seat's
    choices, none of them changes, so the view is one dict copy, updated from
    ``fields``: every field a view replaces, but its chosen moves (``pending``
    is the seat's own, filtered per view, or empty).
    """

    __slots__ = (
        "cooldowns",
        "delayed",
        "dice",
        "fields",
        "from_cooldowns",
        "from_delayed",
        "known",
        "learned",
        "learns",
        "public",
        "revealed",
        "rng",
        "salt",
        "scenario",
        "secret",
    )

    def __init__(self, envoy: int):
        self.salt = rng.mixed_salt(_VIEW_SALT + envoy)  # the envoy's dice: derived with it
        self.scenario = self.revealed = self.learned = self.rng = None
        self.from_cooldowns = self.from_delayed = None


_PARTS: dict[int, _Parts] = {}  # by envoy: the parts of its last view


def _parts(state: GameState, envoy: int) -> _Parts:
    parts = _PARTS.get(envoy)
    if parts is None:
        parts = _PARTS[envoy] = _Parts(envoy)
    scenario = state.scenario
    if (
        parts.scenario is not scenario
        or parts.revealed is not state.revealed
        or parts.learned is not state.learned
    ):
        parts.known, parts.learns, parts.public = _known(
            scenario, envoy, state.revealed, state.learned, state.seed
        )
        parts.from_cooldowns = parts.from_delayed = None  # the secret moves are the scenario's
        parts.scenario, parts.revealed, parts.learned = scenario, state.revealed, state.learned
        parts.secret = _secret_moves(scenario)
    if parts.rng is not state.rng:
        parts.rng, parts.dice = state.rng, rng.derive_mixed(state.rng, parts.salt)
    secret = parts.secret
    if parts.from_cooldowns is not state.cooldowns:
        cooldowns = state.cooldowns
        if secret and _holds_secret(cooldowns, secret):
            cooldowns = tuple([c for c in cooldowns if c[0] == envoy or c[1] not in secret])
        parts.from_cooldowns, parts.cooldowns = state.cooldowns, cooldowns
    if parts.from_delayed is not state.delayed:
        delayed = state.delayed
        if secret and _holds_secret(delayed, secret):
            delayed = tuple([d for d in delayed if d.envoy == envoy or d.move not in secret])
        parts.from_delayed, parts.delayed = state.delayed, delayed
    parts.fields = {
        "scenario": parts.public,
        "seed": HIDDEN_SEED,
        "rng": parts.dice,
        "revealed": parts.known,
        "learned": parts.learns,
        "pending": (),
        "cooldowns": parts.cooldowns,
        "delayed": parts.delayed,
        "viewer": envoy,
    }
    return parts


def _holds_secret(items: tuple, secret: frozenset[int]) -> bool:
    """Whether any of a state's cooldowns or delayed effects is of a secret move (else
    no seat's view filters them: each keeps the state's own tuple).

    The last answer about cooldowns and the last about delayed effects are kept,
    each with the tuple it is about (one tuple, held, so it cannot be another
    object with the same id): every seat's view of a turn asks about the same
    two tuples, and most turns have no secret move in them.
    """
    if not items:
        return False
    cooldowns = type(items[0]) is tuple  # (envoy, move, free turn); else Scheduled
    kept, known, answer = _last_secret[cooldowns]
    if kept is items and known is secret:
        return answer
    if cooldowns:
        answer = any([c[1] in secret for c in items])
    else:
        answer = any([d.move in secret for d in items])
    _last_secret[cooldowns] = (items, secret, answer)
    return answer


#: (tuple, secret moves, _holds_secret's answer) of its last question about delayed
#: effects, then about cooldowns: each seat's view asks about both, one after the other.
_last_secret: list[tuple] = [((), frozenset(), False), ((), frozenset(), False)]


_KNOWN_KEPT = 256  # revealed sets remembered per scenario; a game meets a few dozen


def _known(
    scenario: Scenario,
    envoy: int,
    revealed: frozenset[tuple[int, int]],
    learned: frozenset[tuple[int, int]],
    seed: int,
) -> tuple[frozenset[tuple[int, int]], frozenset[tuple[int, int]], Scenario]:
    """What ``envoy`` knows of ``revealed`` and ``learned``, and the scenario as it
    sees it; kept, as a seat's view is asked for on every action and what is known
    rarely changes. The seed matters only once a party's type is learned."""
    kept = scenario.memo("known facts", dict)  # shared with the views' scenarios, hence the key
    own = scenario.envoys[envoy].party if envoy >= 0 else -1
    knows_a_type = learned or (own >= 0 and any(scenario.parties[own].interests))
    key = (scenario, envoy, revealed, learned, seed if knows_a_type else None)
    found = kept.get(key)
    if found is None:
        known = frozenset((fact, who) for fact, who in revealed if who in (EVERYONE, envoy))
        learns = frozenset((party, who) for party, who in learned if who in (EVERYONE, envoy))
        public = _public_scenario(
            scenario,
            envoy,
            frozenset(fact for fact, _ in known),
            _learned_types(scenario, seed, learns, own),
        )
        if len(kept) >= _KNOWN_KEPT:
            kept.clear()
        found = kept[key] = (known, learns, public)
    return found


def _learned_types(
    scenario: Scenario, seed: int, learns: frozenset[tuple[int, int]], own: int = -1
) -> tuple[tuple[int, tuple], ...]:
    """(party, its true types) of each party known, in party order: those learned,
    and the seat's own party (``own``), whose envoy knows what its government wants."""
    parties = {party for party, _ in learns}
    if own >= 0 and any(scenario.parties[own].interests):
        parties.add(own)
    if not parties:
        return ()
    types = bargain.draw_types(scenario, seed)
    return tuple((party, types[party]) for party in sorted(parties))


def _secret_moves(scenario: Scenario) -> frozenset[int]:
    return scenario.memo(
        "secret moves", lambda: frozenset(i for i, m in enumerate(scenario.moves) if m.secret)
    )


def public_view(state: GameState) -> GameState:
    """The state as a room full of people may see it: no seat's secrets at all.

    Hot-seat play shows this between two teams' turns (the resolution, the AI
    seats thinking), so nothing one team chose or learned is on the shared screen.
    """
    scenario = state.scenario
    known = frozenset((fact, who) for fact, who in state.revealed if who == EVERYONE)
    learns = frozenset((party, who) for party, who in state.learned if who == EVERYONE)
    public = _public_scenario(
        scenario,
        ROOM,
        frozenset(fact for fact, _ in known),
        _learned_types(scenario, state.seed, learns),
    )
    secret = _secret_moves(scenario)
    return replace(
        state,
        scenario=public,
        seed=HIDDEN_SEED,
        rng=rng.derive(state.rng, _VIEW_SALT + EVERYONE),
        revealed=known,
        learned=learns,
        pending=(),
        cooldowns=tuple(c for c in state.cooldowns if c[1] not in secret),
        delayed=tuple(d for d in state.delayed if d.move not in secret),
        recent=tuple(r for r in state.recent if r[2] not in secret),
        viewer=ROOM,
    )


def _public_scenario(
    scenario: Scenario, envoy: int, known: frozenset[int], types: tuple[tuple[int, tuple], ...]
) -> Scenario:
    """The scenario as ``envoy`` sees it: no other seat's agenda, no unlearned fact's
    text, and each party's interests its declared ranges, or, for a party in
    ``types`` (learned), closed on its true values."""

    def build() -> Scenario:
        envoys = tuple(
            e if i == envoy else attrs.evolve(e, agenda=()) for i, e in enumerate(scenario.envoys)
        )
        facts = tuple(
            f if i in known else attrs.evolve(f, text=None) for i, f in enumerate(scenario.facts)
        )
        parties = list(scenario.parties)
        for party, party_types in types:
            interests = tuple(
                None if interest is None else bargain.narrowed(interest, party_type)
                for interest, party_type in zip(parties[party].interests, party_types, strict=True)
            )
            parties[party] = attrs.evolve(parties[party], interests=interests)
        return attrs.evolve(scenario, envoys=envoys, facts=facts, parties=tuple(parties), views={})

    if types:  # one game's (its seed's): kept by _known alone, whose memo is bounded
        return build()
    return scenario.view_cache((envoy, known), build)


def ledger_view(entries: Iterable[Entry], envoy_id: str) -> list[Entry]:
    """Ledger entries as ``envoy_id`` may read them ("" for the public: no seat at all).

    Notes private to another seat are left out. A meter change caused by another
    seat's secret move stays (the meter did move, for everyone to see) but its
    cause reads only "secret": who did it, the roll and the source are hidden.
    """
    shown = []
    for entry in entries:
        if entry.visible_to(envoy_id):
            shown.append(entry)
        elif entry.is_change:
            shown.append(attrs.evolve(entry, cause=Cause(SECRET), source=""))
    return shown
