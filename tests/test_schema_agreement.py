"""`envoy validate` and the published JSON Schema agree on what a scenario may hold.

An editor checks a modder's file against scenarios/scenario.schema.json as they
type; `envoy validate` checks it for the game. When the two disagree, the modder
is told a file is fine by one and wrong by the other (``age: 13`` passed validate
and failed the schema; ``players.min: 0`` was the other way round).

The corpus is every mutation of a valid scenario that a table of mutations makes,
at every place in the file: each value replaced by a value of every other JSON
type, each number pushed out of range, an unknown key added to each mapping, each
key removed. For each, both verdicts must be the same, except where validate
checks what no JSON Schema can say (a rule across fields, or a reference to an id
declared elsewhere): there validate may only be the stricter of the two.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from unittest import mock

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from game.content import loader
from game.content.yamlsafe import read_yaml, unshowable
from game.paths import SCENARIO_DIR

# A small crisis with every part of the format in use, so that every class and
# field of the schema is mutated somewhere.
BASE = """\
format: 1
id: sampler
title: {en: Sampler, fr: Échantillon}
summary: Every part of the format once.
briefing: Two neighbours and a river.
inspired_by: Nothing in particular.
difficulty: standard
teacher:
  learning_goals: [Talking first works.]
  duration_minutes: 20
  players: {min: 1, max: 2}
  age: "12+"
  debrief_questions: ["What worked?"]
  notes: For the schema test.
  sensitive_topics: [Borders.]
  reflection: ["What did you try?"]
turns: 6
conflict_at: 95
includes: [standard]
rules:
  capital_max: 9
  counter_min: -50
  counter_max: 50
  scoring:
    shared: {peace: 10, stalemate: 4, conflict: 0}
    multiplier: {peace: 2, stalemate: 1, conflict: 1}
    standing_weight: 0.1
parties:
  - id: norland
    name: Norland
    color: "#c0504d"
    map: [0.25, 0.3]
    posture: 70
    resolve: 60
    text: The upstream state.
    idle_weight: 1.5
    facts:
      - id: dam_plan
        text: Norland plans a second dam.
    behaviours:
      - id: bluster
        text: Norland blusters.
        weight: 1
        when: "posture(self) > 50"
        effects: ["tension(norland, sudmark) += 2"]
  - id: sudmark
    name: Sudmark
    color: "#4f81bd"
    map: [0.72, 0.32]
    posture: 45
relations:
  - between: [norland, sudmark]
    tension: 60
    trust: 25
    pressure: 5
envoys:
  - id: envoy
    name: Envoy
    capital: 3
    required: true
    text: The mediator.
    standing: {norland: 40}
    agenda:
      - id: calm
        text: Keep it calm.
        when: "tension(norland, sudmark) < 50"
        points: 3
  - id: deputy
    name: Deputy
    party: sudmark
    capital: 2
accords:
  - id: water_deal
    name: Water deal
    text: Share the river.
    requires: "trust(norland, sudmark) >= 30"
    chance: 0.5
    effects: ["tension(norland, sudmark) -= 10"]
moves:
  - id: survey
    family: mediation
    name: Survey
    text: Measure the river together.
    cost: 1
    target: relation
    requires: "tension(a, b) < 90"
    chance: "0.5 + trust(a, b) / 200"
    success: ["trust(a, b) += 3", "counter(surveys) += 1", "reveal(norland, dam_plan)"]
    failure: ["trust(a, b) -= 1"]
    delayed:
      - effects: ["tension(a, b) -= 2"]
        in: 2
        text: The survey report calms things.
    visibility: secret
    cooldown: 1
    joint: {min_envoys: 2}
disable_moves: [embargo]
events:
  - id: flood
    title: Flood
    text: The river floods.
    at_turn: 2
    effects: ["tension(norland, sudmark) += 5"]
    decision:
      envoy: envoy
      prompt: Send aid?
      options:
        - id: aid
          text: Send aid.
          effects: ["standing(self, norland) += 5"]
        - id: wait
          text: Wait.
          when: "turn() >= 2"
  - id: rumour
    title: Rumour
    text: A rumour spreads.
    pool: {weight: 2, when: "counter(surveys) < 10"}
    once: false
    cooldown: 2
  - id: talks
    title: Talks
    text: Talks begin.
    when: "trust(norland, sudmark) > 40"
    rare: true
peace: "signed(water_deal)"
counters: {surveys: 0}
"""

# Where validate may refuse what the schema accepts, and why. A path here is a
# pattern: "*" stands for any list index or mapping key.
STRICTER = {
    # rules across fields
    ("teacher", "players", "min"): "players.min is at most players.max",
    ("teacher", "players", "max"): "players.max is at least min, and seats the envoys",
    ("envoys", "*", "required"): "players.max must seat every required envoy",
    ("rules", "counter_min"): "counter_min is at most counter_max",
    ("rules", "counter_max"): "counter_min is at most counter_max",
    # references to ids declared elsewhere (or the declarations themselves)
    ("envoys", "*", "standing"): "its keys name parties",
    ("envoys", "*", "party"): "names a party",
    ("events", "*", "decision", "envoy"): "names an envoy",
    ("accords",): "the peace and the moves name the accords",
    ("counters",): "the expressions name the counters",
    ("envoys",): "the decisions name the envoys, and players.max seats them",
    ("parties", "*", "facts"): "the moves name the facts",
    ("includes",): "the moves' families come from the library",
}


def base_tree() -> dict:
    tree, _ = read_yaml(BASE.encode(), "sampler.yaml")
    assert isinstance(tree, dict)
    return tree


_, MARKS = read_yaml(BASE.encode(), "sampler.yaml")


def validate_ok(tree: dict) -> bool:
    """Whether `envoy validate` accepts the tree as a file. YAML reading is not what
    is compared (the schema has no duplicate keys or tags), so the tree is handed to
    the loader as read, which makes the thousand loads of the corpus cheap."""
    real = loader.read_yaml_partial

    def read(data: bytes, file: str):
        return (tree, MARKS, ()) if file == "sampler.yaml" else real(data, file)

    with mock.patch.object(loader, "read_yaml_partial", read):
        return not loader.load_scenario_bytes(b"", "sampler.yaml").errors


def test_the_tree_handed_over_is_what_the_file_would_read_as():
    tree = base_tree()
    tree["teacher"]["age"] = 13
    data = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False).encode()
    assert validate_ok(tree) is False
    assert loader.load_scenario_bytes(data, "sampler.yaml").errors


SCHEMA = json.loads((SCENARIO_DIR / "scenario.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def schema_ok(tree: dict) -> bool:
    return VALIDATOR.is_valid(tree)


def paths(value: object, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*path, index))


# One value of each JSON type, and numbers at and past the bounds the format uses
# (0, 1, 2, 100, the 0..1 of a chance or a map position).
OTHER_TYPES = [None, True, "text", 13, 1.5, [], {}, ["text"], {"en": "text"}]
NUMBERS = [-1, 0, 1, 2, 101, 0.5, 1_000_000]
# Lists whose items each have a meaning of their own: [x, y] and [party, party].
FIXED = {"map", "between"}


def mutations(tree: dict) -> Iterator[tuple[str, tuple, dict]]:
    for path, value in paths(tree):
        if path == () or later_item(path):
            continue
        replacements = [v for v in OTHER_TYPES if type(v) is not type(value)]
        if isinstance(value, int | float) and not isinstance(value, bool):
            replacements += [n for n in NUMBERS if n != value]
        for replacement in replacements:
            yield f"{path} = {replacement!r}", path, set_at(tree, path, replacement)
        if isinstance(value, dict):
            yield f"{path} + unknown key", path, set_at(tree, (*path, "zz_extra"), 1)
            for key in value:
                yield f"{path} - {key}", (*path, key), delete_at(tree, (*path, key))
        if isinstance(value, list) and value:
            yield f"{path} - first item", path, delete_at(tree, (*path, 0))


def later_item(path: tuple) -> bool:
    """Whether the path goes through an item after the first of a list of like items:
    the first one already stands for its kind, and each load costs a few ms."""
    return any(
        isinstance(part, int) and part > 0 and path[at - 1] not in FIXED
        for at, part in enumerate(path)
    )


def set_at(tree: dict, path: tuple, value: object) -> dict:
    result = copy.deepcopy(tree)
    parent = result
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return result


def delete_at(tree: dict, path: tuple) -> dict:
    result = copy.deepcopy(tree)
    parent = result
    for part in path[:-1]:
        parent = parent[part]
    del parent[path[-1]]
    return result


def stricter_allowed(path: tuple) -> bool:
    for pattern in STRICTER:
        if len(path) >= len(pattern) and all(
            p == "*" or p == part for p, part in zip(pattern, path, strict=False)
        ):
            return True
    return False


def test_the_base_scenario_is_valid_for_both():
    tree = base_tree()
    assert validate_ok(tree)
    assert schema_ok(tree), [e.message for e in VALIDATOR.iter_errors(tree)]


@pytest.mark.slow  # about 1,500 mutated crises through both checkers
def test_validate_and_the_schema_agree_on_every_mutation():
    tree = base_tree()
    disagreements = []
    count = 0
    for name, path, mutated in mutations(tree):
        count += 1
        by_schema, by_validate = schema_ok(mutated), validate_ok(mutated)
        if by_schema == by_validate:
            continue
        if by_schema and not by_validate and stricter_allowed(path):
            continue
        disagreements.append(f"{name}: schema {by_schema}, validate {by_validate}")
    assert count > 900  # the corpus reaches every part of the file
    assert not disagreements, "\n".join(disagreements)


@pytest.mark.parametrize(
    ("path", "value", "valid"),
    [
        # The two cases of the issue, decided: age guidance is text ("13+", "12-15"),
        # so a bare number is refused as every other text field refuses one; a game
        # seats at least one envoy, so players.min is 1 or more, in the docs too.
        (("teacher", "age"), 13, False),
        (("teacher", "age"), "13", True),
        (("teacher", "players", "min"), 0, False),
        (("teacher", "players", "min"), 1, True),
        # siblings: whole numbers written as 9.0 are whole numbers for both
        (("turns",), 9.0, True),
        (("turns",), 0, False),
        (("envoys", 0, "required"), 1, False),
        (("moves", 0, "joint", "min_envoys"), 1, False),
        (("moves", 0, "id"), "end", False),
        (("moves", 0, "delayed", 0, "in"), 0, False),
        (("rules", "capital_min"), 1, False),
        (("rules", "capital_max"), 0, False),
        (("rules", "scoring", "shared"), {"peace": 1}, False),
        (("events", 0, "decision", "options"), [], False),
        (("title",), "Border\0Incident", False),
        (("title",), "Border\u202eIncident", False),
        (("title",), "ZWJ and ZWNJ stay: \u200d\u200c", True),
    ],
)
def test_each_decided_case_is_the_same_for_both(path, value, valid):
    mutated = set_at(base_tree(), path, value)
    assert schema_ok(mutated) == valid
    # Through a real file, so the reader's own checks (the characters) count too.
    data = yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False).encode()
    errors = loader.load_scenario_bytes(data, "sampler.yaml").errors
    assert not errors if valid else errors


# --------------------------------------------- the loader never breaks on any tree

# Text without what the reader refuses: validate_ok hands trees past the reader.
TEXTS = st.text(max_size=8).filter(lambda s: unshowable(s) is None)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-200, 200) | st.floats(-2, 200) | TEXTS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXTS, inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_any_value_anywhere_gives_diagnostics_never_an_exception(data):
    # The forgiving reading and every pass after it meet whatever the file holds,
    # and what the schema refuses, validate refuses too. (The other way round is
    # not checked here: a random string can be a valid id that breaks a reference.)
    tree = base_tree()
    where = data.draw(st.sampled_from([path for path, _ in paths(tree) if path]))
    mutated = set_at(tree, where, data.draw(JSON_VALUES))
    by_validate = validate_ok(mutated)
    if not schema_ok(mutated):
        assert not by_validate
