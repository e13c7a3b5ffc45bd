"""Words for what happened: ledger entries, previews and refusals as text a player reads.

The engine records kinds, ids and numbers; this is the one module that phrases
them. It names parties, relations, moves and envoys by their titles in the
reader's language (``lang``, given by the caller: nothing here reads a global
setting), and says why each change happened. The board's log, the resolution
playback, the move cards, the debrief, the printed report and the command line
all read from here, so the game tells one story in one voice.

The game's own sentences are English; a crisis's names and texts are shown in
``lang`` where the crisis has them, else in English.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from game.engine import bargain, ledger, meters
from game.engine.actions import SUBJECT_WORDS, IllegalAction, Reason
from game.engine.ledger import Entry
from game.engine.model import Scenario
from game.engine.state import GameState

# How a finished crisis is announced: on the debrief screen and in the printed report.
VERDICTS = {
    "peace": ("Peace", "The accords were signed: the crisis ends at the negotiating table."),
    "stalemate": ("Stalemate", "No war, but no settlement: the crisis is frozen, not solved."),
    "conflict": ("Conflict", "Tension passed the point of no return. Diplomacy failed this time."),
}

# The last line of the ledger, when the end check settles the crisis.
ENDINGS = {
    "conflict": "Conflict has broken out. Everyone has lost.",
    "peace": "Peace: the crisis is settled.",
    "stalemate": "The crisis ends in a stalemate.",
}

METERS = {m.name: m.label for m in meters.METERS}


def _text(text, lang: str) -> str:
    """A crisis's text in ``lang`` (else English); "" for a text a view does not hold."""
    return "" if text is None else text.get(lang)


def _find(items, wanted: str):
    for item in items:
        if item.id == wanted:
            return item
    return None


def _by_id(items, wanted: str, lang: str) -> str:
    item = _find(items, wanted)
    return wanted if item is None else item.name.get(lang)


def party(scenario: Scenario, party_id: str, lang: str = "en") -> str:
    return _by_id(scenario.parties, party_id, lang)


def envoy(scenario: Scenario, envoy_id: str, lang: str = "en") -> str:
    return _by_id(scenario.envoys, envoy_id, lang)


def move(scenario: Scenario, move_id: str, lang: str = "en") -> str:
    return _by_id(scenario.moves, move_id, lang)


def accord(scenario: Scenario, accord_id: str, lang: str = "en") -> str:
    return _by_id(scenario.accords, accord_id, lang)


def event_title(scenario: Scenario, event_id: str, lang: str = "en") -> str:
    event = _find(scenario.events, event_id)
    return event_id if event is None else event.title.get(lang)


def pair(scenario: Scenario, a: str, b: str, lang: str = "en") -> str:
    return f"{party(scenario, a, lang)}–{party(scenario, b, lang)}"


def targets(scenario: Scenario, move_id: str, names: Sequence[str], lang: str = "en") -> str:
    """How a move's targets read: a party, a pair, an accord's title, or nothing."""
    if not names:
        return ""
    if len(names) == 2:
        return pair(scenario, *names, lang=lang)
    if _find(scenario.accords, names[0]) is not None:
        return accord(scenario, names[0], lang)
    return party(scenario, names[0], lang)


def meter_of(scenario: Scenario, name: str, subject: Sequence[str], lang: str = "en") -> str:
    """A meter of a subject: "Tension Norland–Sudmark", "Standing of UN Envoy with Norland"."""
    label = METERS.get(name, name.title())
    if name == "standing" and len(subject) == 2:
        who, where = envoy(scenario, subject[0], lang), party(scenario, subject[1], lang)
        return f"Standing of {who} with {where}"
    if name == "capital" and subject:
        return f"Capital of {envoy(scenario, subject[0], lang)}"
    if len(subject) == 2:
        return f"{label} {pair(scenario, *subject, lang=lang)}"
    if name == "counter" and subject:
        return subject[0].replace("_", " ").capitalize()
    if subject:
        return f"{label} of {party(scenario, subject[0], lang)}"
    return label


def meter(scenario: Scenario, entry: Entry, lang: str = "en") -> str:
    """What a change is to: "Tension Norland–Sudmark", "Standing of UN Envoy with Norland"."""
    return meter_of(scenario, entry.meter, entry.subject, lang)


def cause(scenario: Scenario, entry: Entry, lang: str = "en") -> str:
    """Who or what caused an entry, in words."""
    c = entry.cause
    if c.kind == "secret":
        return "a secret move"
    by = f" by {envoy(scenario, c.envoy, lang)}" if c.envoy else ""
    if c.kind in (ledger.MOVE, ledger.DELAYED):
        later = " (delayed effect)" if c.kind == ledger.DELAYED else ""
        return f"{move(scenario, c.id, lang)}{by}{later}"
    if c.kind == ledger.DRIFT:
        return "drift: the pressure of events"
    if c.kind == ledger.EVENT:
        return f"news: {event_title(scenario, c.id, lang)}"
    if c.kind == ledger.BEHAVIOUR:
        owner = c.id.split(".")[0]
        return f"{party(scenario, owner, lang)} acting on its own"
    if c.kind == ledger.DECISION:
        return f"decision{by}"
    if c.kind == ledger.ACCORD:
        return "an accord"
    if c.kind == ledger.AMEND:
        return f"an amendment{by}"
    if c.kind == ledger.BREACH:
        breaker, _, deal = c.id.partition(".")
        return f"{party(scenario, breaker, lang)} breaking {accord(scenario, deal, lang)}"
    if c.kind == ledger.FACILITATOR:
        if c.id.startswith("inject."):
            return f"the facilitator: crisis update, {event_title(scenario, c.id[7:], lang)}"
        return "the facilitator's adjustment" if c.id == "adjust" else "the facilitator"
    return f"{c.kind} {c.id}".strip()


def change(scenario: Scenario, entry: Entry, lang: str = "en") -> str:
    """ "Tension Norland–Sudmark 64 to 56 (−8)"."""
    delta = entry.delta
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    return f"{meter(scenario, entry, lang)} {entry.before} to {entry.after} ({sign}{abs(delta)})"


def _percent(chance: float) -> str:
    return f"{chance:.0%}"


def odds(before: GameState, action: Any, chance: float) -> str:
    """A move's odds as its card shows them: "35%"; for a proposal of a draft whose
    unseated signing parties' values are still ranges, the range the odds may take
    over them, "35–70%" (``chance`` is the expected odds, in the range)."""
    scenario = before.scenario
    targets = getattr(action, "targets", ())
    if 0 < chance < 1 and len(targets) == 1 and targets[0] in scenario.tables.accords:
        accord = scenario.tables.accords.index(targets[0])
        spec = _find(scenario.moves, action.move)
        if spec is not None and spec.target == "accord" and scenario.accords[accord].issues:
            low, high = bargain.draft_odds_range(scenario, before, accord)
            if high - low > 0.01:
                return f"{low:.0%}–{high:.0%}"
    return _percent(chance)


def dice(roll: float, chance: float) -> str:
    """A roll against the odds, for students: "the dice came up 73 against odds of 75%".

    The roll shows as a whole number out of 100, rounded down (0.999 is 99), and
    the odds as the card shows them. Where that rounding would make a success
    read as a failure or the other way round (0.754 against 75.5%), both show as
    many decimals as it takes to tell them apart.
    """
    success = roll < chance
    shown, odds = math.floor(roll * 100), round(chance * 100)
    if (shown < odds) == success:
        return f"the dice came up {shown} against odds of {_percent(chance)}"
    for digits in range(1, 16):
        scale = 10**digits
        low, high = math.floor(roll * 100 * scale), math.floor(chance * 100 * scale)
        if (low < high) == success:
            break
    return f"the dice came up {low / scale:.{digits}f} against odds of {high / scale:.{digits}f}%"


def why(scenario: Scenario, entry: Entry, lang: str = "en") -> str:
    """The ledger's reason for an entry: cause, the dice against the odds, and source line."""
    parts = [cause(scenario, entry, lang)]
    c = entry.cause
    if c.roll is not None and c.chance is not None:
        verdict = "it worked" if c.roll < c.chance else "it failed"
        parts.append(f"{dice(c.roll, c.chance)}: {verdict}")
    elif c.chance is not None:
        if c.chance >= 1:
            parts.append(f"a sure thing ({_percent(c.chance)})")
        else:
            parts.append(f"no chance at all ({_percent(c.chance)})")
    if entry.source:
        parts.append(entry.source)
    return " · ".join(parts)


def describe(scenario: Scenario, entry: Entry, lang: str = "en") -> str:
    """One line for a terminal, with the ledger's ids and source line, as modders read it."""
    if not entry.is_change:
        return note(scenario, entry, lang)
    sign = "+" if entry.delta > 0 else ""
    what = f"{entry.meter}({', '.join(entry.subject)}) {entry.before} → {entry.after}"
    what += f" ({sign}{entry.delta})"
    c = entry.cause
    reason = f"{c.kind} {c.id}".strip()
    if c.envoy:
        reason += f" by {c.envoy}"
    if c.roll is not None and c.chance is not None:
        reason += f", rolled {ledger.show_roll(c.roll)} against {c.chance:.0%}"
    if entry.source:
        reason += f", {entry.source}"
    return f"{what}: {reason}"


def line(scenario: Scenario, entry: Entry, lang: str = "en") -> str:
    """One log line: the note itself, or the change."""
    return change(scenario, entry, lang) if entry.is_change else note(scenario, entry, lang)


# ------------------------------------------------------------------ notes


def _on(scenario: Scenario, move_id: str, names: Sequence[str], lang: str) -> str:
    """What a move is aimed at, after its name: ": Ceasefire", " on Norland", " between …"."""
    spec = _find(scenario.moves, move_id)
    kind = spec.target if spec is not None else ("relation" if len(names) == 2 else "party")
    if not names or kind == "none":
        return ""
    if kind == "accord":
        return f": {accord(scenario, names[0], lang)}"
    if kind == "relation":
        return f" between {party(scenario, names[0], lang)} and {party(scenario, names[1], lang)}"
    return f" on {party(scenario, names[0], lang)}"


def _aimed(scenario: Scenario, move_id: str, names: Sequence[str], lang: str) -> str:
    return f"{move(scenario, move_id, lang)}{_on(scenario, move_id, names, lang)}"


def _who(scenario: Scenario, envoys: Sequence[str], lang: str) -> str:
    return " and ".join(envoy(scenario, e, lang) for e in envoys)


def _option(scenario: Scenario, event_id: str, option_id: str, lang: str) -> str:
    event = _find(scenario.events, event_id)
    if event is None or event.decision is None:
        return option_id
    option = _find(event.decision.options, option_id)
    return option_id if option is None else option.text.get(lang)


def _news(scenario: Scenario, event_id: str, lang: str) -> str:
    event = _find(scenario.events, event_id)
    if event is None:
        return event_id
    return f"{event.title.get(lang)}: {event.text.get(lang)}"


def _resolved(scenario: Scenario, entry: Entry, lang: str) -> str:
    move_id, names, envoys = entry.args
    verdict = "succeeded" if entry.note == ledger.MOVE_SUCCEEDED else "failed"
    c = entry.cause
    odds = f" ({dice(c.roll, c.chance)})" if c.roll is not None and c.chance is not None else ""
    who, what = _who(scenario, envoys, lang), _aimed(scenario, move_id, names, lang)
    return f"{who}: {what} {verdict}{odds}."


def _revealed(scenario: Scenario, party_id: str, fact_id: str, lang: str) -> str:
    name = party(scenario, party_id, lang)
    index = scenario.party_index(party_id)
    for fact in scenario.facts:
        if fact.party == index and fact.id == fact_id and fact.text is not None:
            return f"Revealed about {name}: {fact.text.get(lang)}"
    return f"Something was revealed about {name}."


def _behaved(scenario: Scenario, party_id: str, behaviour_id: str, lang: str) -> str:
    spec = _find(scenario.parties, party_id)
    behaviour = None if spec is None else _find(spec.behaviours, behaviour_id)
    text = behaviour_id if behaviour is None else behaviour.text.get(lang)
    return f"{party(scenario, party_id, lang)}: {text}"


def _delayed(scenario: Scenario, move_id: str, index: int, lang: str) -> str:
    spec = _find(scenario.moves, move_id)
    if spec is None or not 0 <= index < len(spec.delayed):
        return move_id
    return _text(spec.delayed[index].text, lang)


def issue_and_option(scenario: Scenario, accord_id: str, issue_id: str, option_id: str, lang: str):
    """An issue's name and one of its options' text, by ids (the ids where unknown)."""
    spec = _find(scenario.accords, accord_id)
    issue = None if spec is None else _find(spec.issues, issue_id)
    option = None if issue is None else _find(issue.options, option_id)
    issue_name = issue_id if issue is None else issue.name.get(lang)
    return issue_name, option_id if option is None else option.text.get(lang)


def _amended(scenario: Scenario, entry: Entry, lang: str) -> str:
    envoy_id, accord_id, issue_id, option_id = entry.args
    issue, option = issue_and_option(scenario, accord_id, issue_id, option_id, lang)
    return (
        f"{envoy(scenario, envoy_id, lang)} amended the draft of "
        f"{accord(scenario, accord_id, lang)}: {issue}, {option}."
    )


_NOTES: dict[str, Callable[[Scenario, Entry, str], str]] = {
    ledger.TURN_BEGINS: lambda s, e, lang: f"Turn {e.args[0]} of {e.args[1]}.",
    ledger.CHOSE: lambda s, e, lang: (
        f"Chose {_aimed(s, e.args[0], e.args[1], lang)} ({_percent(e.args[2])})."
    ),
    ledger.WITHDREW: lambda s, e, lang: f"Withdrew {move(s, e.args[0], lang)}.",
    ledger.MOVE_SUCCEEDED: _resolved,
    ledger.MOVE_FAILED: _resolved,
    ledger.TOO_FEW_ENVOYS: lambda s, e, lang: (
        f"{_aimed(s, e.args[0], e.args[1], lang)} needed {e.args[2]} envoys and found "
        f"{e.args[3]}; the capital is returned."
    ),
    ledger.NO_LONGER_POSSIBLE: lambda s, e, lang: (
        f"{_who(s, e.args[2], lang)}: {_aimed(s, e.args[0], e.args[1], lang)} is no longer "
        "possible; the capital is returned."
    ),
    ledger.DELAYED_TEXT: lambda s, e, lang: _delayed(s, *e.args, lang),
    ledger.ACCORD_SIGNED: lambda s, e, lang: f"{accord(s, e.args[0], lang)} is signed.",
    ledger.REVEALED: lambda s, e, lang: _revealed(s, *e.args, lang),
    ledger.LEARNED: lambda s, e, lang: (
        f"Learned what {party(s, e.args[0], lang)} wants: its exact values in every deal."
    ),
    ledger.NEWS: lambda s, e, lang: _news(s, e.args[0], lang),
    ledger.DECIDED: lambda s, e, lang: (
        f"{envoy(s, e.args[0], lang)} decided: {_option(s, e.args[1], e.args[2], lang)}"
    ),
    ledger.DECIDED_UNSEATED: lambda s, e, lang: (
        f"{envoy(s, e.args[0], lang)} (not seated) chose: {_option(s, e.args[1], e.args[2], lang)}"
    ),
    ledger.BEHAVED: lambda s, e, lang: _behaved(s, *e.args, lang),
    ledger.ENDED: lambda s, e, lang: ENDINGS.get(e.args[0], e.args[0]),
    ledger.INJECTED: lambda s, e, lang: (
        f"Crisis update from the facilitator. {_news(s, e.args[0], lang)}"
    ),
    ledger.ADJUSTED: lambda s, e, lang: (
        f"The facilitator sets {meter_of(s, e.args[0], e.args[1], lang)} to {e.args[2]}: "
        f"{e.args[3]}"
    ),
    ledger.EXTENDED: lambda s, e, lang: (
        f"The facilitator adds {e.args[0]} turn(s): the crisis now ends after turn {e.args[1]}."
    ),
    ledger.AMENDED: _amended,
    ledger.DRAFT_REFUSED: lambda s, e, lang: (
        f"The parties refused {accord(s, e.args[0], lang)} as it was drafted. The same text "
        "cannot be proposed again: amend the draft first."
    ),
    ledger.BREACHED: lambda s, e, lang: (
        (
            f"{party(s, e.args[0], lang)}'s government refuses to ratify "
            f"{accord(s, e.args[1], lang)}: its terms are worth less to it than no deal."
            if e.args[2]
            else f"{party(s, e.args[0], lang)} breaks {accord(s, e.args[1], lang)}: its terms "
            "are now worth less to it than no deal."
        )
        + " The accord is no longer signed. Its draft is open to amending again, and "
        "must be amended before it is proposed again."
    ),
    ledger.NOT_COSPONSORED: lambda s, e, lang: (
        f"{_who(s, e.args[2], lang)}: {_aimed(s, e.args[0], e.args[1], lang)} failed: "
        f"{_who(s, e.args[3], lang)} did not co-sponsor it; the capital is returned."
    ),
}


def note(scenario: Scenario, entry: Entry, lang: str = "en") -> str:
    """A note in words: "Ceasefire is signed.", "Turn 3 of 8." ("" for a change)."""
    if entry.is_change:
        return ""
    return _NOTES[entry.note](scenario, entry, lang)


# ------------------------------------------------------------------ refusals


def _subject_words(kind: str) -> str:
    return SUBJECT_WORDS.get(kind, kind)


_PROBLEMS: dict[Reason, Callable[[Scenario, dict[str, Any], str], str]] = {
    Reason.GAME_OVER: lambda s, d, lang: "the game is over",
    Reason.NOT_SEATED: lambda s, d, lang: f"{envoy(s, d['envoy'], lang)} has no seat in this game",
    Reason.WRONG_PHASE: lambda s, d, lang: "moves are chosen in the Diplomacy phase",
    Reason.NOT_YOUR_TURN: lambda s, d, lang: "it is not your turn",
    Reason.UNKNOWN_MOVE: lambda s, d, lang: f"this crisis has no move '{d['move']}'",
    Reason.TARGET_SHAPE: lambda s, d, lang: (
        f"{move(s, d['move'], lang)} takes {_subject_words(d['target'])}"
    ),
    Reason.UNKNOWN_TARGET: lambda s, d, lang: f"this crisis has no {d['kind']} '{d['id']}'",
    Reason.NO_RELATION: lambda s, d, lang: (
        f"{party(s, d['a'], lang)} and {party(s, d['b'], lang)} have no relation in this crisis"
    ),
    Reason.RELATION_ORDER: lambda s, d, lang: f"write the relation as '{d['a']} {d['b']}'",
    Reason.ALREADY_CHOSEN: lambda s, d, lang: "already chosen this turn",
    Reason.COOLING_DOWN: lambda s, d, lang: (
        f"cooling down: playable again on turn {d['free_turn']}"
    ),
    Reason.CAPITAL: lambda s, d, lang: f"costs {d['cost']} capital; you have {d['left']} left",
    Reason.ACCORD_SIGNED: lambda s, d, lang: f"{accord(s, d['accord'], lang)} is already signed",
    Reason.SAME_PARTY: lambda s, d, lang: "a relation needs two different parties",
    Reason.REQUIREMENTS: lambda s, d, lang: "its requirements are not met",
    Reason.NO_DECISION: lambda s, d, lang: "there is no decision for you to make now",
    Reason.OPTION_NOT_OFFERED: lambda s, d, lang: "that option is not offered",
    Reason.NOT_CHOSEN: lambda s, d, lang: f"{move(s, d['move'], lang)} was not chosen this turn",
    Reason.UNKNOWN_ACTION: lambda s, d, lang: "that is not an action of this game",
    Reason.NO_DRAFT: lambda s, d, lang: (
        f"{accord(s, d['accord'], lang)} is one package to take or leave: it has no draft"
    ),
    Reason.ALREADY_AMENDED: lambda s, d, lang: "you have already amended a draft this turn",
    Reason.DRAFT_LOCKED: lambda s, d, lang: (
        f"{accord(s, d['accord'], lang)} is proposed this turn: its draft is locked"
    ),
    Reason.UNKNOWN_ISSUE: lambda s, d, lang: (
        f"{accord(s, d['accord'], lang)} has no issue '{d['issue']}'"
    ),
    Reason.UNKNOWN_OPTION: lambda s, d, lang: (
        f"{issue_and_option(s, d['accord'], d['issue'], '', lang)[0]} has no option '{d['option']}'"
    ),
    Reason.DRAFT_REFUSED: lambda s, d, lang: (
        f"the parties refused {accord(s, d['accord'], lang)} as it is drafted: amend the "
        "draft before proposing it again"
    ),
    Reason.SAME_OPTION: lambda s, d, lang: (
        "the draft already says "
        + issue_and_option(s, d["accord"], d["issue"], d["option"], lang)[1]
    ),
    Reason.UNKNOWN_EVENT: lambda s, d, lang: f"this crisis has no event '{d['event']}'",
    Reason.NEEDS_REASON: lambda s, d, lang: "an adjustment needs a reason",
    Reason.UNKNOWN_METER: lambda s, d, lang: (
        f"there is no meter '{d['meter']}': choose from "
        + ", ".join(METERS.get(m, m) for m in d["choices"])
    ),
    Reason.WRONG_SUBJECT: lambda s, d, lang: (
        f"{METERS.get(d['meter'], d['meter'])} belongs to {_subject_words(d['kind'])}"
    ),
    Reason.OUT_OF_RANGE: lambda s, d, lang: (
        f"{METERS.get(d['meter'], d['meter'])} goes from {d['low']} to {d['high']}"
    ),
    Reason.TURNS_TO_ADD: lambda s, d, lang: f"add 1 to {d['most']} turns",
}


def _sentence(words: str) -> str:
    return words[:1].upper() + words[1:]


def problem(scenario: Scenario, found: IllegalAction, lang: str = "en") -> str:
    """Why an action is refused, for a player: "Costs 2 capital; you have 0 left"."""
    return _sentence(_PROBLEMS[found.reason](scenario, found.details, lang))


_NEED_WORDS = {
    "below": "below",
    "at_most": "at most",
    "above": "above",
    "at_least": "at least",
    "equal": "exactly",
    "not_equal": "other than",
}


@attrs.frozen
class NeedWords:
    """One need in words, and whether it holds now (None when it depends on a target
    not chosen: ``any_target``, and the text gives its value for each target)."""

    text: str
    holds: bool | None
    brief: str = ""  # a shorter form for a card, where the text is long
    any_target: bool = False
    now: str = ""  # the value it reads now, for each target when none is chosen

    def said(self, short: bool = False) -> str:
        """The need with its value now and, unless ``short``, whether it is met."""
        notes = [self.now] if self.now else []
        if self.holds and not short:
            notes.append("met")
        text = self.brief if short and self.brief else self.text
        return f"{text} ({', '.join(notes)})" if notes else text


def _missing(need, context: tuple) -> list:
    """The refs of a need that name a target the context does not hold."""
    return [r for r in need.refs if r.slot is not None and r.slot >= len(context)]


def _ref_name(scenario: Scenario, ref, context: tuple, lang: str) -> str:
    index = context[ref.slot] if ref.slot is not None else ref.index
    if ref.kind == "party":
        return _text(scenario.parties[index].name, lang)
    if ref.kind == "seat":
        return _text(scenario.envoys[index].name, lang)
    if ref.kind == "accord":
        return _text(scenario.accords[index].name, lang)
    return scenario.tables.counters[index].replace("_", " ")


def _reading(scenario: Scenario, need, context: tuple, lang: str) -> str | None:
    """What a need reads, as a noun: "Norland's resolve", "tension Norland–Sudmark";
    for a target not chosen, the meter alone ("resolve")."""
    fn, refs = need.function, need.refs
    missing = bool(_missing(need, context))
    label = METERS.get(fn, "").lower()
    if fn == "capital" and refs[0].name == "self":
        return "your capital"
    if fn == "standing" and refs[0].name == "self":
        return (
            "your standing"
            if missing
            else f"your standing with {_ref_name(scenario, refs[1], context, lang)}"
        )
    if fn == "counter":
        return _ref_name(scenario, refs[0], context, lang)
    if fn in ("turn", "turns_left"):
        return "the turn" if fn == "turn" else "turns left"
    if not label or fn in ("standing", "capital") or len(refs) not in (1, 2):
        return None
    if missing:
        return label
    names = [_ref_name(scenario, ref, context, lang) for ref in refs]
    return f"{names[0]}'s {label}" if len(refs) == 1 else f"{label} {names[0]}–{names[1]}"


def _targets(scenario: Scenario, need, context: tuple, lang: str) -> list[tuple[tuple, str]]:
    """Each way to complete ``context`` with a target, with the target's title: the
    parties for a need of one party, the relations for a need of a pair; [] for
    other shapes."""
    missing = _missing(need, context)
    slots = sorted({r.slot for r in missing})
    if slots != list(range(len(context), len(context) + len(slots))):
        return []
    if any(r.kind != "party" for r in missing):
        return []
    ids = scenario.tables.parties
    if len(slots) == 1:
        return [((*context, i), party(scenario, p, lang)) for i, p in enumerate(ids)]
    if len(slots) == 2:
        return [
            ((*context, r.a, r.b), pair(scenario, ids[r.a], ids[r.b], lang))
            for r in scenario.relations
        ]
    return []


def _need(scenario, need, view, context: tuple, lang: str) -> NeedWords | None:
    missing = bool(_missing(need, context))
    holds = None if missing else need.holds(view, context)
    fn = need.function
    if fn == "represents" and need.refs[0].name == "self":
        mine = "your own party" if need.kind == "is" else "not your own party"
        return NeedWords(mine, holds, any_target=missing)
    if fn == "signed" and not missing:
        name = _ref_name(scenario, need.refs[0], context, lang)
        return NeedWords(f"{name} signed" if need.kind == "is" else f"{name} not signed", holds)
    if fn == "accord_odds" and need.kind == "above" and need.number == 0:
        return _accord_need(scenario, need, view, context, lang, holds)
    if need.number is None or need.kind not in _NEED_WORDS:
        return None
    subject = _reading(scenario, need, context, lang)
    if subject is None:
        return None
    text = f"{subject} {_NEED_WORDS[need.kind]} {need.number:g}"
    if not missing:
        return NeedWords(text, holds, now=f"now {need.value(view, context):g}")
    each = _targets(scenario, need, context, lang)
    if not each:
        return NeedWords(text, None, any_target=True)
    values = ", ".join(f"{title} {need.value(view, full):g}" for full, title in each)
    return NeedWords(text, None, any_target=True, now=f"now {values}")


def _accord_need(
    scenario, need, view, context: tuple, lang: str, holds, listed: bool = False
) -> NeedWords | None:
    """``accord_odds(target) > 0``: that the accord is not signed yet, and its own
    conditions; for a target not chosen, each accord's."""
    ref = need.refs[0]
    if ref.slot is not None and ref.slot >= len(context):
        each = []
        for index in range(len(scenario.accords)):
            found = _accord_need(scenario, need, view, (*context, index), lang, None, True)
            if found is None:
                return None
            each.append(found.said())
        whole = "one accord's conditions — " + "; ".join(each)
        return NeedWords(whole, None, "an accord whose conditions hold now", any_target=True)
    index = context[ref.slot] if ref.slot is not None else ref.index
    spec = scenario.accords[index]
    title = _text(spec.name, lang)
    if view.signed[index]:
        return NeedWords(f"{title}: signed already" if listed else f"{title} not signed yet", holds)
    parts = needs_words(scenario, spec.needs, view, (), lang)
    if parts is None:
        return None
    said = ", ".join(p.said() for p in parts) or "none"
    return NeedWords(f"{title}: {said}" if listed else f"{title}'s conditions: {said}", holds)


def needs_words(
    scenario: Scenario, needs, view: GameState, context: tuple, lang: str = "en"
) -> list[NeedWords] | None:
    """A condition's needs in words, with the values ``view`` holds now: the viewer's
    own view, so nothing hidden from them is said. ``context`` is (envoy, *targets),
    or (envoy,) when no target is chosen. None when some need has no words: say
    less rather than something wrong."""
    if needs is None:
        return None
    result = []
    for need in needs:
        words = _need(scenario, need, view, context, lang)
        if words is None:
            return None
        result.append(words)
    return result


def needs_line(words: Sequence[NeedWords], short: bool) -> str:
    """ "Needs: Norland's resolve below 45 (now 60), not your own party"; "Needs, for
    any target: ..." when they depend on a target none of which is playable. The
    short form leaves out what already holds."""
    shown = [w for w in words if not (short and w.holds)] or list(words)
    head = "Needs, for any target: " if any(w.any_target for w in shown) else "Needs: "
    return head + ", ".join(w.said(short) for w in shown)


def unavailable(
    scenario: Scenario,
    move_id: str,
    found: IllegalAction | None,
    lang: str = "en",
    view: GameState | None = None,
    short: bool = True,
) -> str:
    """Why a move's card cannot be played on any target, from the problem of one of them.

    A problem of the seat (a cooldown, the capital) holds for every target, so it
    is said as it is. Unmet requirements are said as what they need, read from the
    viewer's ``view`` (``short``: only what does not hold yet), where the move's
    requirement has words; else a problem of the one target tried may not be every
    target's, so only unmet requirements, which every target has here, are named::

        "Cooling down: playable again on turn 3"
        "Needs: the target's resolve below 45 for any target, not your own party"
        "Not possible on any target now: its requirements are not met"
    """
    if found is None:
        return "Not possible now"
    spec = _find(scenario.moves, move_id)
    seen = view is not None and view.viewer >= 0
    if found.reason is Reason.REQUIREMENTS and spec is not None and seen:
        # No target is playable, so a need of the target is said for any target.
        words = needs_words(scenario, spec.needs, view, (view.viewer,), lang)
        if words:
            return needs_line(words, short)
    words = _PROBLEMS[found.reason](scenario, found.details, lang)
    if spec is not None and spec.target != "none" and found.reason.about_target:
        if found.reason is Reason.REQUIREMENTS:
            return f"Not possible on any target now: {words}"
        return "Not possible on any target now"
    return _sentence(words)


# ------------------------------------------------------------------ the story


@attrs.frozen
class Beat:
    """One step of the resolution story: a headline and the changes it caused."""

    headline: str
    changes: tuple[Entry, ...]
    turn: int


def beats(scenario: Scenario, entries: Iterable[Entry], lang: str = "en") -> list[Beat]:
    """Group entries into story beats: each note with the changes that follow it."""
    result: list[Beat] = []
    headline, changes, key, turn = "", [], None, 0

    def close() -> None:
        if headline or changes:
            title = headline or cause(scenario, changes[0], lang)
            result.append(Beat(title, tuple(changes), turn))

    for entry in entries:
        this = (entry.cause.kind, entry.cause.id, entry.cause.envoy)
        if not entry.is_change or this != key:
            close()
            headline, changes, key, turn = "", [], this, entry.turn
            if not entry.is_change:
                headline = note(scenario, entry, lang)
                continue
        changes.append(entry)
    close()
    return result


def turning_points(entries: Iterable[Entry], count: int = 5) -> list[Entry]:
    """The biggest changes to tension and trust, in the order they happened."""
    changes = [
        (index, e) for index, e in enumerate(entries) if e.meter in ("tension", "trust") and e.delta
    ]
    biggest = sorted(changes, key=lambda item: (-abs(item[1].delta), item[0]))[:count]
    return [e for _, e in sorted(biggest, key=lambda item: item[0])]


def differences(
    scenario: Scenario, before: GameState, after: GameState, lang: str = "en"
) -> list[str]:
    """What a preview would change, as short lines ("Tension Norland–Sudmark −8").

    Every meter of the table is read; the viewer's own standing and capital are
    "yours", and other envoys' are not shown (a preview is one seat's).
    """
    lines = []
    by_kind: dict[str, list[meters.Meter]] = {}
    for m in meters.METERS:
        by_kind.setdefault(m.subject, []).append(m)

    def delta(m: meters.Meter, index: int) -> int:
        return getattr(after, m.field)[index] - getattr(before, m.field)[index]

    parties = [p.id for p in scenario.parties]
    for index, relation in enumerate(scenario.relations):
        ids = (parties[relation.a], parties[relation.b])
        for m in by_kind.get("relation", ()):
            if amount := delta(m, index):
                lines.append(f"{meter_of(scenario, m.name, ids, lang)} {_signed(amount)}")
    for index, item in enumerate(parties):
        for m in by_kind.get("party", ()):
            if amount := delta(m, index):
                lines.append(f"{meter_of(scenario, m.name, (item,), lang)} {_signed(amount)}")
    viewer = after.viewer
    if viewer >= 0:
        for index, item in enumerate(scenario.parties):
            amount = after.standing_of(viewer, index) - before.standing_of(viewer, index)
            if amount:
                lines.append(f"Your standing with {item.name.get(lang)} {_signed(amount)}")
        for m in by_kind.get("envoy", ()):
            if amount := delta(m, viewer):
                lines.append(f"Your {m.label.lower()} {_signed(amount)}")
    for index, counter in enumerate(scenario.tables.counters):
        for m in by_kind.get("counter", ()):
            if amount := delta(m, index):
                lines.append(f"{meter_of(scenario, m.name, (counter,), lang)} {_signed(amount)}")
    for index, item in enumerate(scenario.accords):
        if after.signed[index] and not before.signed[index]:
            lines.append(f"Signs the {item.name.get(lang)}")
    return lines


def _signed(delta: int) -> str:
    return f"+{delta}" if delta > 0 else f"−{-delta}"


# ------------------------------------------------------------------ a move in full


@attrs.frozen
class Detail:
    """One part of a move's details: ``kind`` says what it is (the screen styles it by
    kind: "about", "works", "fails", "cost", "delayed", "cooldown", "visibility",
    "joint", "odds", "target", "unavailable"), ``text`` is the whole of it in words."""

    kind: str
    text: str


def capital_later(before: GameState, after: GameState | None) -> int:
    """How much of the viewer's capital an outcome takes at resolution (0 if none):
    effects run after the choosing, so they come off what is carried into next turn."""
    viewer = before.viewer
    if after is None or viewer < 0:
        return 0
    return max(0, before.capital[viewer] - after.capital[viewer])


def _later_cost(win: int, lose: int, chance: float) -> str:
    if not win and not lose:
        return ""
    if chance >= 1 or (win == lose and chance > 0):
        return f"{win} more at resolution, out of next turn's capital"
    if chance <= 0:
        return f"{lose} more at resolution, out of next turn's capital" if lose else ""
    later = ", out of next turn's capital"
    if win and lose:
        return f"at resolution {win} more if it works or {lose} more if it fails{later}"
    if win:
        return f"{win} more at resolution if it works{later}"
    return f"{lose} more at resolution if it fails{later}"


def card_cost(scenario: Scenario, move_spec, before: GameState, preview, lang: str = "en") -> str:
    """A card's price in short: "3 capital", or "3 capital +2 next turn" when its effects
    take more capital at resolution."""
    later = 0
    if preview is not None:
        later = max(
            capital_later(before, preview.success) if preview.chance > 0 else 0,
            capital_later(before, preview.failure) if preview.chance < 1 else 0,
        )
    return f"{move_spec.cost} capital" + (f" +{later} next turn" if later else "")


def _delayed_detail(item, lang: str) -> str:
    text = _text(item.text, lang)
    if item.each_turn_for:
        when = f"For {item.each_turn_for} turns after it works"
    else:
        when = f"{item.after} turn{'s' if item.after != 1 else ''} after it works"
    return f"{when}: {text}" if text else when


def card_details(
    scenario: Scenario,
    move_id: str,
    before: GameState,
    preview=None,
    target: str = "",
    targets: int = 0,
    reason: str = "",
    lang: str = "en",
    odds_shown: str = "",
    repeated: int = 0,
) -> list[Detail]:
    """Everything about a move's card, whole, for the seat whose view ``before`` is:
    what it does, where it is aimed, its odds, what it changes if it works and if it
    fails (from ``preview``, None when it cannot be played now), what it costs now
    and later, its delayed effects, its cooldown, who sees it and, when it cannot be
    played (``reason``), why not. ``repeated``: how often the seat made this move on
    the same target in the turns the crisis remembers, which fades its odds."""
    spec = _find(scenario.moves, move_id)
    if spec is None:
        return [Detail("unavailable", f"This crisis has no move '{move_id}'.")]
    details = []
    about = _text(spec.text, lang)
    if about:
        details.append(Detail("about", about))
    if reason:
        details.append(Detail("unavailable", reason if reason.endswith(".") else f"{reason}."))
    if target:
        more = f" · {targets} targets: Left and Right change it" if targets > 1 else ""
        details.append(Detail("target", f"On {target}{more}"))
    if preview is not None:
        odds = f"Odds {odds_shown or _percent(preview.chance)}"
        rule = scenario.rules.repetition
        if repeated and rule is not None:
            times = "once" if repeated == 1 else f"{repeated} times"
            odds += (
                f", lower because you made it on the same target {times} in the last "
                f"{rule.window} turns: the parties tire of the same gesture "
                f"(each time: odds x{rule.factor:g})"
            )
        details.append(Detail("odds", odds))
        win = differences(scenario, before, preview.success, lang)
        lose = differences(scenario, before, preview.failure, lang)
        if preview.chance > 0:
            details.append(
                Detail("works", "If it works: " + (", ".join(win) or "no visible change"))
            )
        if preview.chance < 1:
            details.append(
                Detail("fails", "If it fails: " + (", ".join(lose) or "nothing happens"))
            )
    cost = f"Costs {spec.cost} capital now"
    if preview is not None:
        later = _later_cost(
            capital_later(before, preview.success) if preview.chance > 0 else 0,
            capital_later(before, preview.failure) if preview.chance < 1 else 0,
            preview.chance,
        )
        if later:
            cost += f", and {later}"
    details.append(Detail("cost", cost + "."))
    for item in spec.delayed:
        details.append(Detail("delayed", _delayed_detail(item, lang)))
    if spec.cooldown:
        turns = "turn" if spec.cooldown == 1 else f"{spec.cooldown} turns"
        details.append(Detail("cooldown", f"Once played, it rests for {turns}."))
    if spec.joint_min:
        details.append(
            Detail("joint", f"A joint move: {spec.joint_min} envoys must choose it in one turn.")
        )
    if spec.secret:
        seen = "Secret: everyone sees what it changes, never that you made it."
    else:
        seen = "Public: once it resolves, everyone sees that you made it."
    details.append(Detail("visibility", seen))
    return details


# --- the frontier chart of a format-2 accord (NEGOTIATION.md, section 8) ---

FRONTIER_WORDS = {
    "edge": "best possible deals",
    "nash": "balanced deal",
    "draft": "starting draft",
    "signed": "the deal signed",
    "origin": "no deal",
    "outside": "worse than no deal for a side",
}


FRONTIER_HINT = "Point at a deal, or press [ and ], to name it."


def package_line(scenario: Scenario, frontier, point, lang: str = "en") -> str:
    """A selected deal: its options and what each shown side gains over no deal."""
    names = [scenario.parties[p].name.get(lang) for p in frontier.signatories[:2]]
    gains = ", ".join(f"{n} {_gain(g)}" for n, g in zip(names, point.gains, strict=False))
    return f"{package_label(scenario, frontier.accord, point.package, lang)}: {gains}"


def _gain(value: float) -> str:
    rounded = round(value, 1)
    return f"{rounded:+.1f}" if rounded else "±0"


def frontier_axis(scenario: Scenario, party_index: int, lang: str = "en") -> str:
    return f"how much better for {scenario.parties[party_index].name.get(lang)}"


def frontier_title(scenario: Scenario, frontier, lang: str = "en") -> str:
    return f"{scenario.accords[frontier.accord].name.get(lang)}: every possible deal"


def frontier_caption(scenario: Scenario, frontier, lang: str = "en") -> str:
    """What the chart leaves out: the signatories after the first two, if any."""
    others = [scenario.parties[p].name.get(lang) for p in frontier.signatories[2:]]
    if not others:
        return ""
    shown = " and ".join(scenario.parties[p].name.get(lang) for p in frontier.signatories[:2])
    rest = " and ".join(others)
    signs = "signs" if len(others) == 1 else "sign"
    return f"The chart shows two of the signatories, {shown}; {rest} also {signs}."


def package_label(scenario: Scenario, accord_index: int, package, lang: str = "en") -> str:
    """A package in a few words: its options' texts, issue by issue."""
    issues = scenario.accords[accord_index].issues
    return " · ".join(
        issue.options[choice].text.get(lang) for issue, choice in zip(issues, package, strict=True)
    )


def _signed_sentence(frontier, names: Sequence[str]) -> str:
    """The deal signed against the balanced deal, in expected gains over no deal."""
    got = frontier.point(frontier.signed).gains
    signed = f"The deal signed gives {names[0]} {_gain(got[0])} and {names[1]} {_gain(got[1])}"
    if frontier.nash is None:
        return (
            f"{signed}; as each side is expected to value them, no package beat no deal for both."
        )
    if frontier.signed == frontier.nash:
        return f"{signed}: it is the balanced deal."
    best = frontier.point(frontier.nash).gains
    return f"{signed}; the balanced deal would have given {_gain(best[0])} and {_gain(best[1])}."


def frontier_sentence(scenario: Scenario, frontier, lang: str = "en") -> str:
    """One plain sentence under the chart. Once the accord is signed: what the deal
    signed gives each shown side over no deal, against what the balanced deal would
    have given. Before that: what the balanced deal trades against the starting draft
    (or against splitting every difference, when there is no draft or it is the
    balanced deal already): who gives way on which issue, and what each side gains."""
    from game.session.frontier import changed, issue_gains

    accord = scenario.accords[frontier.accord]
    names = [scenario.parties[p].name.get(lang) for p in frontier.signatories[:2]]
    both = " and ".join(names)
    if frontier.signed is not None:
        return _signed_sentence(frontier, names)
    if frontier.nash is None:
        return f"No deal is better than no deal for both {both} yet: there is nothing to agree."
    nash = frontier.point(frontier.nash)
    if frontier.draft is None or frontier.draft == frontier.nash:
        gains = [nash.gains[i] - frontier.split[i] for i in range(2)]
        start = "The starting draft is the balanced deal" if frontier.draft else "The balanced deal"
        return (
            f"{start}: against splitting every difference it gives {names[0]} "
            f"{_gain(gains[0])} and {names[1]} {_gain(gains[1])}."
        )
    draft = frontier.point(frontier.draft)
    # per side: the issues it gives way on, what they cost it, what they give the other
    given: list[list[str]] = [[], []]
    cost, bought = [0.0, 0.0], [0.0, 0.0]
    free = []
    for issue in changed(frontier.draft, frontier.nash):
        a, b = frontier.draft[issue], frontier.nash[issue]
        worth = [issue_gains(frontier, side, issue, a, b) for side in range(2)]
        what = accord.issues[issue].name.get(lang)
        losers = [side for side in range(2) if worth[side] < 0]
        if len(losers) == 1:
            loser = losers[0]
            given[loser].append(what)
            cost[loser] -= worth[loser]
            bought[loser] += worth[1 - loser]
        else:
            free.append(what)
    parts = []
    for side in (0, 1):
        if given[side]:
            cheap = f" (cheap for {names[side]})" if cost[side] < bought[side] else ""
            verb = "gives way on" if not parts else "on"
            parts.append(f"{names[side]} {verb} {' and '.join(given[side])}{cheap}")
    if free:
        parts.append("both change " + " and ".join(free))
    gains = [nash.gains[i] - draft.gains[i] for i in range(2)]
    if gains[0] > 0 and abs(round(gains[0], 1) - round(gains[1], 1)) < 0.05:
        result = f"both sides {_gain(gains[0])}"
    else:
        result = f"{names[0]} {_gain(gains[0])} and {names[1]} {_gain(gains[1])}"
    if not parts:
        return f"From the starting draft, the balanced deal gives {result}."
    return f"{', '.join(parts)}: from the starting draft, the balanced deal gives {result}."


# --- a format-2 seat's brief: what it wants in each deal (NEGOTIATION.md, section 2) ---


def deal_wants(view: GameState, envoy_id: str, lang: str = "en") -> list[str]:
    """What the seat ``envoy_id`` wants in the deals, read from its own view: per accord
    its agenda has a stake in, the issues from the one that matters most, each with the
    option best for it; then what no deal is worth to it. Empty in a format-1 crisis.

    The seat's own party's values are exact in its view (its envoy knows what its
    government wants); a mediator's are its own declared ones."""
    scenario = view.scenario
    if not any(accord.issues for accord in scenario.accords):
        return []
    seat = scenario.envoy_index(envoy_id)
    lines = []
    for index, accord in enumerate(scenario.accords):
        interest = bargain.envoy_interest(scenario, seat, index) if accord.issues else None
        if interest is None:
            continue
        values = bargain.expected(interest)
        ranked = sorted(
            (i for i, weight in enumerate(values.weights) if weight > 0),
            key=lambda i: -values.weights[i],
        )
        said = []
        for place, i in enumerate(ranked):
            issue, options = accord.issues[i], values.values[i]
            best = issue.options[max(range(len(options)), key=options.__getitem__)]
            what = (
                f"{issue.name.get(lang)} ({best.text.get(lang)}, {round(100 * values.weights[i])}%)"
            )
            said.append(f"most of all {what}" if place == 0 else what)
        if said:
            lines.append(f"{accord.name.get(lang)}: {', then '.join(said)}.")
    batna = round(scenario.envoys[seat].batna, 1)
    points = f"{batna:g} point" if abs(batna) == 1 else f"{batna:g} points"
    lines.append(f"No deal (a stalemate) is worth {points.replace('-', '−')} to you.")
    return lines
