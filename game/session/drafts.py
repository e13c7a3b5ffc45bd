"""The draft panel's words: each accord's public draft as one seat may see it.

Everything here is read from a seat's view (or the room's, between two teams in
hot-seat play), never from the whole state: the values shown are the seat's own
agenda and, for the other signing parties, what the view holds of them — the
exact values once learned, else the declared ranges. The amendments offered are
the engine's own ``Amend`` actions from the seat's legal actions; where an
option cannot be chosen, the engine's reason says why, in words. How much each
issue matters to each side (its weight) is declared exactly and public, so it is
shown for every side, as a share of that side's whole deal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from game.engine import bargain
from game.engine.actions import Action, Amend, Play
from game.engine.model import clamp01
from game.engine.rules import problem
from game.engine.state import GameState
from game.session import narrate


@attrs.frozen
class DraftOption:
    """One option of an issue, as the panel shows it."""

    text: str
    in_draft: bool
    mine: str  # the seat's own value for it ("+4"), "" where its agenda has none
    others: tuple[str, ...]  # what is known of each other signing party's value
    amend: Amend | None  # the engine's offered amendment to it, if any
    refusal: str  # why it cannot be chosen now, in words ("" when it can)


@attrs.frozen
class DraftIssue:
    """One issue of an accord's draft: a row of the panel."""

    accord: int  # the accord's index in the crisis
    name: str
    options: tuple[DraftOption, ...]
    mine_weight: str = ""  # how much it matters to the seat ("60%"), "" without an agenda
    others_weights: tuple[str, ...] = ()  # each other signing party's ("Sudmark 20%")

    @property
    def draft(self) -> int:
        return next((i for i, option in enumerate(self.options) if option.in_draft), 0)


@attrs.frozen
class AccordDraft:
    """One accord with a draft: its name, where it stands, and its issues."""

    index: int
    name: str
    status: str  # the odds of proposing it as it stands, or why it cannot be, or signed
    chance: float | None  # the odds shown, where it can be proposed; None where not
    signed: bool
    sponsors: str  # how to co-sponsor it, and whose proposals it needs
    issues: tuple[DraftIssue, ...]


def number(value: float) -> str:
    """A value on the -10..+10 scale in short: "+4", "−2.5", "0"."""
    shown = round(value, 1)
    if shown == 0:
        return "0"
    text = f"{abs(shown):.1f}".removesuffix(".0")
    return ("+" if shown > 0 else "−") + text


def share(weight: float) -> str:
    """An issue's weight, out of a side's whole deal: "60%"."""
    return f"{round(100 * weight)}%"


def known_value(low: float, high: float) -> str:
    """A value as a seat knows it: exact ("+4"), or the declared range ("2..6")."""
    if abs(high - low) < 1e-9:
        return number(low)
    return f"{number(low)}..{number(high)}"


def proposal_move(view: GameState):
    """The crisis's move that proposes an accord (the first aimed at one), or None."""
    return next((m for m in view.scenario.moves if m.target == "accord"), None)


def accord_drafts(
    view: GameState,
    envoy: str | None,
    legal: Sequence[Action],
    lang: str,
    odds: Callable[[Play, float], str],
) -> list[AccordDraft]:
    """Every accord with a draft, as the seat ``envoy`` sees it in ``view`` (None:
    between two teams, where no one's values are shown).

    ``legal`` is the seat's legal actions now; ``odds`` words a proposal's chance as
    its card shows it, so the panel and the card always agree.
    """
    scenario = view.scenario
    seat = scenario.envoy_index(envoy) if envoy is not None else -1
    own_party = scenario.envoys[seat].party if seat >= 0 else -1
    # The engine's own offered actions, looked up by what they amend: the panel only
    # ever acts with one of them, never with an action of its own making.
    offered = {a: a for a in legal if isinstance(a, Amend)}
    drafts = []
    for index, spec in enumerate(scenario.accords):
        if not spec.issues or index >= len(view.drafts):
            continue
        mine = bargain.envoy_interest(scenario, seat, index) if seat >= 0 else None
        mine_values = bargain.expected(mine).values if mine is not None else None
        others = [
            (p, scenario.parties[p].interests[index])
            for p in spec.signatories
            if p != own_party and scenario.parties[p].interests[index] is not None
        ]
        draft = view.drafts[index]
        issues = []
        for issue_index, issue in enumerate(spec.issues):
            options = []
            for option_index, option in enumerate(issue.options):
                asked = Amend(envoy, spec.id, issue.id, option.id) if envoy is not None else None
                amend, refusal = offered.get(asked), ""
                if asked is None:
                    refusal = "Between teams: the next team amends once it sits down."
                elif amend is None:  # the engine's reason, in words
                    found = problem(view, asked)
                    refusal = (
                        narrate.problem(scenario, found, lang)
                        if found is not None
                        else "Not possible now."
                    )
                known = tuple(
                    f"{narrate.party(scenario, scenario.parties[p].id, lang)} "
                    + known_value(*interest.values[issue_index][option_index])
                    for p, interest in others
                )
                options.append(
                    DraftOption(
                        option.text.get(lang),
                        draft[issue_index] == option_index,
                        number(mine_values[issue_index][option_index])
                        if mine_values is not None
                        else "",
                        known,
                        amend,
                        refusal,
                    )
                )
            issues.append(
                DraftIssue(
                    index,
                    issue.name.get(lang),
                    tuple(options),
                    share(mine.weights[issue_index]) if mine is not None else "",
                    tuple(
                        f"{narrate.party(scenario, scenario.parties[p].id, lang)} "
                        + share(interest.weights[issue_index])
                        for p, interest in others
                    ),
                )
            )
        status, chance = _status(view, envoy, index, lang, odds)
        drafts.append(
            AccordDraft(
                index,
                narrate.accord(scenario, spec.id, lang),
                status,
                chance,
                bool(view.signed[index]),
                _sponsors(view, envoy, index, lang),
                tuple(issues),
            )
        )
    return drafts


def _status(view, envoy, index, lang, odds) -> tuple[str, float | None]:
    """Where the accord stands: signed (with its package), or the odds of proposing
    its draft as it stands (in the card's words), or what it needs first."""
    scenario, spec = view.scenario, view.scenario.accords[index]
    if view.signed[index]:
        package = " · ".join(
            issue.options[choice].text.get(lang)
            for issue, choice in zip(spec.issues, view.drafts[index], strict=True)
        )
        return f"Signed: {package}", None
    move = proposal_move(view)
    locked = ""
    if index in view.locked:
        mine = move is not None and any(
            c.envoy == view.viewer
            and scenario.moves[c.move].id == move.id
            and c.targets[:1] == (index,)
            for c in view.pending
        )
        locked = "Locked: you proposed it this turn. " if mine else "Locked: proposed this turn. "
    chance = clamp01(scenario.accord_odds(view, index))
    if move is not None and chance > 0:
        shown = odds(Play(envoy or "", move.id, (spec.id,)), chance)
        return f"{locked}Odds if proposed now: {shown}", chance
    words = narrate.needs_words(scenario, spec.needs, view, (), lang)
    why = narrate.needs_line(words, short=True) if words else "Its conditions do not hold now."
    return f"{locked}Cannot be proposed yet. {why}", None


def _sponsors(view: GameState, envoy: str | None, index: int, lang: str) -> str:
    """How the seat co-sponsors the accord, and whose proposals it needs to sign."""
    scenario, spec = view.scenario, view.scenario.accords[index]
    names = []
    for e in view.turn_order:
        party = scenario.envoys[e].party
        if party >= 0 and party in spec.signatories:
            own = scenario.envoys[e].id == envoy
            names.append(
                "you"
                if own
                else f"{narrate.party(scenario, scenario.parties[party].id, lang)}'s envoy"
            )
    move = proposal_move(view)
    card = narrate.move(scenario, move.id, lang) if move is not None else ""
    how = f"Propose it with the card {card}; proposing locks the draft for the turn."
    if not names:
        return how
    if len(names) == 1:
        if names[0] == "you":
            return f"{how} It signs only if you propose it."
        return f"{how} It signs only if {names[0]} proposes it too."
    every = "both" if len(names) == 2 else "all"
    return f"{how} It signs only if {', '.join(names[:-1])} and {names[-1]} {every} propose it."


def option_line(option: DraftOption, issue: DraftIssue) -> str:
    """What the panel's foot says of the highlighted option: every value known of it."""
    values = ([f"you {option.mine}"] if option.mine else []) + list(option.others)
    said = f"{issue.name}, {option.text}"
    return f"{said}: {' · '.join(values)}" if values else said


def weight_line(issue: DraftIssue) -> str:
    """What the panel's foot says of the highlighted issue, under the line that names
    it: how much it matters to each side, so a seat sees where it can give way
    cheaply and where the others will."""
    shares = ([f"you {issue.mine_weight}"] if issue.mine_weight else []) + list(
        issue.others_weights
    )
    return f"How much it matters: {' · '.join(shares)}" if shares else ""


__all__ = [
    "AccordDraft",
    "DraftIssue",
    "DraftOption",
    "accord_drafts",
    "known_value",
    "number",
    "option_line",
    "proposal_move",
    "share",
    "weight_line",
]
