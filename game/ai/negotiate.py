"""A minimal AI negotiator for format-2 drafts (NEGOTIATION.md §1, §6).

Outside any preview loop: the package space of an accord is at most 27 packages,
so an envoy's choices are found by enumerating it with :mod:`game.engine.bargain`.
Everything here reads the seat's view only, and so the *expected* values of every
party (the middle of its declared ranges), never the true ones.

* **Amending.** When it may amend, an envoy amends the one issue that brings a
  draft nearest the package best for its own values among those it expects every
  signing party to accept. An envoy without values of its own (indifferent) aims
  at the balanced (Nash) package instead.
* **Proposing.** Its policy may propose a draft only when the draft is worth at
  least its demand to it. The demand falls over the turns from its best package to
  its no-deal point (its party's reservation, or its BATNA) by the library's
  concession exponent for its difficulty.
"""

from __future__ import annotations

from collections.abc import Sequence

from game.ai.tuning import WEIGHTS
from game.engine import bargain
from game.engine.actions import Action, Amend, Play
from game.engine.bargain import Package, Values
from game.engine.state import DIPLOMACY, GameState

#: The difficulty whose concession exponent the baseline policies use.
NORMAL = "normal"


def own_values(view: GameState, envoy: int, accord: int) -> Values | None:
    """The values an envoy bargains with over an accord, as its view expects them
    (its party's, or its own); None when it is indifferent."""
    interest = bargain.envoy_interest(view.scenario, envoy, accord)
    return None if interest is None else bargain.expected(interest)


def no_deal(view: GameState, envoy: int, accord: int) -> float:
    """What no deal is worth to an envoy: its party's expected reservation, or its BATNA."""
    scenario = view.scenario
    party = scenario.envoys[envoy].party
    if party >= 0 and party in scenario.accords[accord].signatories:
        return bargain.reservation(scenario, view, party, accord)
    return scenario.envoys[envoy].batna


def demand(view: GameState, envoy: int, accord: int, exponent: float) -> float:
    """The least a draft must be worth to the envoy for it to propose it this turn."""
    values = own_values(view, envoy, accord)
    if values is None:
        return float("-inf")
    spec = view.scenario.accords[accord]
    floor = no_deal(view, envoy, accord)
    best = values.best(spec)
    progress = (view.turn - 1) / max(1, view.last_turn - 1)
    return max(floor, bargain.concession_target(best, floor, progress, exponent))


#: The least expected chance of acceptance at which an envoy expects an unseated party
#: to accept a package.
EXPECTED_ACCEPTANCE = 0.5
#: The least expected odds at which an envoy proposes a draft before the last turn
#: (``weights.yaml: greedy.propose_min_odds``).
PROPOSE_MIN_ODDS = WEIGHTS.propose_min_odds


#: (the view's scenario, envoy, accord, the seated parties, the signing parties'
#: reservations and trust, the envoy's aspiration): the target. Bounded; the
#: scenario is kept alive by its key.
_TARGETS: dict[tuple, Package | None] = {}
_TARGETS_KEPT = 4096


def target(view: GameState, envoy: int, accord: int, exponent: float = 1.0) -> Package | None:
    """The package the envoy steers the draft towards, among those it expects every
    signing party to accept (a seated one's envoy: worth more than its reservation;
    an unseated one: at even odds or better by the acceptance function).

    Its aspiration is its :func:`demand` this turn, which falls by its concession
    ``exponent``. Of the packages worth its aspiration to it, it aims at the most
    generous: the one that leaves the others (the signing parties but its own) the
    most above their reservations, then the likeliest, then the best for it. When
    none is worth its aspiration, it aims at the best for it. So a Conceder gives
    way early and a Boulware late. An indifferent envoy aims at the most generous.
    A text the parties refused is never aimed at: it cannot be proposed again.
    None when it expects no package to be accepted."""
    scenario = view.scenario
    spec = scenario.accords[accord]
    seated = frozenset(scenario.envoys[e].party for e in view.turn_order)
    floors = tuple(bargain.reservation(scenario, view, p, accord) for p in spec.signatories)
    levels = tuple(bargain.trust(scenario, view, p, accord) for p in spec.signatories)
    aspiration = demand(view, envoy, accord, exponent)
    refused = frozenset(package for a, package in view.refused if a == accord)
    key = (scenario, envoy, accord, seated, floors, levels, aspiration, refused)
    if key in _TARGETS:
        return _TARGETS[key]
    numbers = scenario.rules.bargaining
    mine_party = scenario.envoys[envoy].party
    sides = [
        (
            party in seated,
            party != mine_party,
            bargain.utilities(bargain.expected(scenario.parties[party].interests[accord]), spec),
            floor,
            level,
        )
        for party, floor, level in zip(spec.signatories, floors, levels, strict=True)
    ]
    values = own_values(view, envoy, accord)
    mine = bargain.utilities(values, spec) if values is not None else None
    generous, generous_key = None, None  # the most generous worth the aspiration
    selfish, selfish_key = None, None  # the best for the envoy
    for index, package in enumerate(bargain.packages(spec)):
        if package in refused:
            continue  # the parties said no to it: it cannot be proposed again
        odds, others = 1.0, 0.0
        for is_seated, is_other, table, floor, level in sides:
            margin = table[index] - floor
            if is_other:
                others += margin
            if is_seated:
                odds = odds if margin > 0 else 0.0
            else:
                chance = bargain.acceptance(numbers, margin, level)
                odds = odds * chance if chance >= EXPECTED_ACCEPTANCE else 0.0
        if odds <= 0:
            continue
        worth = mine[index] if mine is not None else 0.0
        if worth >= aspiration - 1e-9:
            now = (others, odds, worth)
            if generous_key is None or now > generous_key:
                generous, generous_key = package, now
        now = (worth, odds)
        if selfish_key is None or now > selfish_key:
            selfish, selfish_key = package, now
    best = generous if generous is not None else selfish
    if len(_TARGETS) >= _TARGETS_KEPT:
        _TARGETS.clear()
    _TARGETS[key] = best
    return best


def amendment(
    view: GameState, envoy: int, legal: Sequence[Action], exponent: float = 1.0
) -> Amend | None:
    """The Amend the envoy makes now, or None: of the changes of one issue that bring a
    draft nearer its :func:`target`, first those of a draft whose conditions hold now
    (it could be proposed this turn), then the one that raises the draft's expected
    odds the most, then the one worth the most to it. So it concedes first where a
    concession makes the deal likelier, and one amendment a turn is not spent on a
    draft that cannot be tabled yet while another waits. It may cost the envoy
    something: that is how it concedes."""
    offered = {a: a for a in legal if type(a) is Amend}
    if not offered or view.phase != DIPLOMACY:
        return None
    scenario, envoy_id = view.scenario, scenario_envoy_id(view, envoy)
    best, best_key = None, None
    for accord, spec in enumerate(scenario.accords):
        if not spec.issues or view.signed[accord]:
            continue
        aim = target(view, envoy, accord, exponent)
        draft = view.drafts[accord]
        if aim is None or aim == draft:
            continue
        ready = bool(spec.requires(view, ()))
        values = own_values(view, envoy, accord)
        for issue, (now, wanted) in enumerate(zip(draft, aim, strict=True)):
            if now == wanted:
                continue
            changed = (*draft[:issue], wanted, *draft[issue + 1 :])
            action = Amend(
                envoy_id, spec.id, spec.issues[issue].id, spec.issues[issue].options[wanted].id
            )
            if action not in offered:
                continue
            odds = bargain.draft_odds(scenario, view, accord, package=changed)
            gain = 0.0 if values is None else values.utility(changed) - values.utility(draft)
            key = (ready, odds, gain)
            if best_key is None or key > best_key:
                best, best_key = offered[action], key
    return best


def scenario_envoy_id(view: GameState, envoy: int) -> str:
    return view.scenario.envoys[envoy].id


def allowed(
    view: GameState, envoy: int, legal: Sequence[Action], exponent: float
) -> Sequence[Action]:
    """``legal`` without the proposals of drafts worth less than the envoy's demand."""
    scenario = view.scenario
    seated = {scenario.envoys[e].party for e in view.turn_order}
    mine = scenario.envoys[envoy].party
    refused = set()
    for accord, spec in enumerate(scenario.accords):
        if not spec.issues or view.signed[accord]:
            continue
        if mine not in spec.signatories and seated & set(spec.signatories):
            # A seated signing envoy must co-sponsor it: proposing adds nothing unless
            # it has already done so, and first in the turn no one has.
            if accord not in view.locked:
                refused.add(spec.id)
            continue
        values = own_values(view, envoy, accord)
        if values is not None and values.utility(view.drafts[accord]) < demand(
            view, envoy, accord, exponent
        ):
            refused.add(spec.id)
        elif view.turn < view.last_turn and scenario.accord_odds(view, accord) < PROPOSE_MIN_ODDS:
            # A text the parties refuse cannot be tabled again: it waits for better odds,
            # unless time is up.
            refused.add(spec.id)
    if not refused:
        return legal
    return [
        a
        for a in legal
        if not (
            type(a) is Play
            and len(a.targets) == 1
            and a.targets[0] in refused
            and scenario.moves[scenario.move_index(a.move)].target == "accord"
        )
    ]


def cosponsor(view: GameState, envoy: int, legal: Sequence[Action], exponent: float) -> Play | None:
    """The proposal the envoy joins now, or None: a draft someone proposed this turn
    (it is locked, which every seat sees), that the envoy's party signs, and that is
    worth its demand. Its co-sponsorship is what the proposal needs, and no preview
    or playout from a view can show it, since the other proposals are hidden."""
    scenario = view.scenario
    mine = scenario.envoys[envoy].party
    for accord in view.locked:
        spec = scenario.accords[accord]
        if view.signed[accord] or mine not in spec.signatories:
            continue
        values = own_values(view, envoy, accord)
        if values is not None and values.utility(view.drafts[accord]) < demand(
            view, envoy, accord, exponent
        ):
            continue
        for action in legal:
            if (
                type(action) is Play
                and action.targets == (spec.id,)
                and scenario.moves[scenario.move_index(action.move)].target == "accord"
            ):
                return action
    return None


def exponent(view: GameState, difficulty: str = NORMAL) -> float:
    numbers = view.scenario.rules.bargaining
    return 1.0 if numbers is None else numbers.concession.get(difficulty, 1.0)


def negotiate(
    view: GameState,
    envoy: int,
    legal: Sequence[Action],
    difficulty: str = NORMAL,
    amend: bool = True,
) -> tuple[Amend | None, Sequence[Action]]:
    """(the Amend to make now or None, the legal actions its policy may choose among);
    with ``amend`` False, never an Amend."""
    if not view.drafts or not any(view.drafts):
        return None, legal
    power = exponent(view, difficulty)
    chosen = amendment(view, envoy, legal, power) if amend else None
    if chosen is not None:
        return chosen, legal
    return None, allowed(view, envoy, legal, power)
