"""Format 2 in the scenario file: issues, a starting draft, interests, BATNAs and tags
load into the engine's model, and every mistake in them is reported at its own
file:line:col, all at once; `envoy validate` warns where there is nothing to bargain."""

from __future__ import annotations

import pathlib

import attrs
import pytest
from test_loader import FILE, MINIMAL, at, edit, error, refuse, write

from game.cli import main
from game.content.loader import (
    LIBRARY_DIR,
    SCENARIO_DIR,
    builtin_scenarios,
    load_scenario,
    validate_file,
)
from game.engine import bargain

# A small crisis with one accord of two issues, bargained between two parties.
BASE = """\
format: 2
id: talks
title: Talks
summary: Two neighbours bargain over a truce.
briefing: Find the deal both can sign.
difficulty: introductory
teacher:
  learning_goals: [Trading issues creates value.]
  duration_minutes: 10
  players: {min: 1, max: 1}
  age: "10+"
  debrief_questions: ["What did each side give?"]
  notes: A test scenario.
turns: 3
tags: [dilemma]
parties:
  - id: norland
    name: Norland
    color: "#c0504d"
    map: [0.25, 0.3]
    posture: 70
    interests:
      - accord: truce
        reservation: "resolve(self) / 50 - 1"
        offset: [-0.5, 0.5]
        issues:
          - issue: pullback
            weight: 6
            values: {near: 6, mid: 1, far: [-8, -6]}
          - issue: monitors
            weight: 2
            values: {none: 3, un: -3}
  - id: sudmark
    name: Sudmark
    color: "#4f81bd"
    map: [0.72, 0.32]
    posture: 45
    interests:
      - accord: truce
        reservation: "0"
        issues:
          - issue: pullback
            weight: 1
            values: {near: -5, mid: 0, far: 5}
          - issue: monitors
            weight: 5
            values: {none: -6, un: [5, 7]}
relations:
  - between: [norland, sudmark]
    tension: 60
    trust: 25
    pressure: 5
envoys:
  - id: envoy
    name: Envoy
    capital: 3
    interests:
      - accord: truce
        issues:
          - issue: monitors
            weight: 1
            values: {none: -2, un: 4}
          - issue: pullback
            weight: 1
            values: {near: -1, mid: 2, far: 3}
    batna: -2
accords:
  - id: truce
    name: Truce
    text: Both armies pull back.
    requires: "true"
    signatories: [norland, sudmark]
    issues:
      - id: pullback
        name: Pull-back
        options:
          - {id: near, text: 500 m}
          - {id: mid, text: 2 km}
          - {id: far, text: 10 km}
      - id: monitors
        name: Monitors
        options:
          - {id: none, text: No monitors}
          - {id: un, text: UN monitors}
    draft: {pullback: mid, monitors: none}
peace: "signed(truce)"
"""

CONVERTED = ("tutorial", "border_incident")


@pytest.fixture
def workdir(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ------------------------------------------------------------------ round trips


def test_the_base_loads_into_the_model_as_written(workdir):
    checked = validate_file(write(workdir, BASE))
    assert checked.diagnostics == () and checked.notes == ()
    scenario = load_scenario(write(workdir, BASE)).unwrap()
    assert (scenario.format, scenario.tags) == (2, ("dilemma",))
    (truce,) = scenario.accords
    assert truce.signatories == (0, 1)
    assert [issue.id for issue in truce.issues] == ["pullback", "monitors"]
    assert [o.id for o in truce.issues[0].options] == ["near", "mid", "far"]
    assert truce.issues[0].options[1].text.get("en") == "2 km"
    assert truce.draft == (1, 0)
    norland = scenario.parties[0].interests[0]
    assert norland.weights == (0.75, 0.25)  # 6 and 2, scaled to sum to 1
    assert norland.values == (((6, 6), (1, 1), (-8, -6)), ((3, 3), (-3, -3)))
    assert norland.offset == (-0.5, 0.5)
    envoy = scenario.envoys[0]
    # An envoy's issues may come in any order; the model keeps the accord's.
    assert envoy.values[0].values == (((-1, -1), (2, 2), (3, 3)), ((-2, -2), (4, 4)))
    assert envoy.batna == -2
    # The reservation is an expression of the situation: resolve 50 gives 0, plus offset.
    assert bargain.reservation(scenario, _start(scenario), 0, 0, offset=0.0) == 0.0


def _start(scenario):
    from game.engine.rules import new_game

    return new_game(scenario, 1)[0]


@pytest.mark.parametrize("name", CONVERTED)
def test_the_converted_crises_are_format_2_with_issues_on_every_accord(name):
    scenario = load_scenario(SCENARIO_DIR / f"{name}.yaml").unwrap()
    assert scenario.format == 2
    for index, accord in enumerate(scenario.accords):
        assert 2 <= len(accord.issues) <= 3 and len(accord.signatories) >= 2
        assert len(accord.draft) == len(accord.issues)
        for party in accord.signatories:
            assert scenario.parties[party].interests[index] is not None


@pytest.mark.parametrize(
    "path", [p for p in builtin_scenarios() if p.stem not in CONVERTED], ids=lambda p: p.stem
)
def test_a_format_1_crisis_loads_as_one_package_per_accord(path):
    scenario = load_scenario(path).unwrap()
    assert scenario.format == 1 and scenario.tags == ()
    assert all(a.issues == () and a.signatories == () and a.draft == () for a in scenario.accords)
    assert all(p.interests == () for p in scenario.parties)
    assert all(e.values == () and e.batna == 0 for e in scenario.envoys)
    (note,) = validate_file(path).notes
    assert note.message.startswith(f"format 2 would give its {len(scenario.accords)} accord")


def test_validate_prints_the_format_1_note_and_counts_no_warning(capsys):
    path = SCENARIO_DIR / "long_peace.yaml"
    assert main(["validate", str(path)]) == 0
    note, summary = capsys.readouterr().out.splitlines()
    assert ":1:1: note: format 2 would give its 3 accords issues and a draft" in note
    assert summary == "1 file checked: 0 errors, 0 warnings - ok."


# ----------------------------------------------------------------- the errors


def _bad(workdir, capsys, text: str) -> list[str]:
    return refuse(write(workdir, text), capsys)


def test_an_unknown_issue_in_the_draft(workdir, capsys):
    text = edit(BASE, "draft: {pullback: mid,", "draft: {pullbak: mid,")
    found = _bad(workdir, capsys, text)
    assert (
        error(at(text, "pullbak: mid"), "unknown issue 'pullbak'", "did you mean 'pullback'?")
        in found
    )
    assert (
        error(
            at(text, "draft:"),
            "the starting draft gives no option for issue 'pullback'",
            "add 'pullback: near' under 'draft:'",
        )
        in found
    )


def test_an_unknown_option_in_the_draft(workdir, capsys):
    text = edit(BASE, "monitors: none}\npeace", "monitors: nato}\npeace")
    assert _bad(workdir, capsys, text) == [
        error(
            at(text, "nato}"), "issue 'monitors' has no option 'nato'", "expected one of: none, un"
        )
    ]


def test_an_unknown_issue_in_interests(workdir, capsys):
    text = edit(
        BASE, "- issue: monitors\n            weight: 2", "- issue: monitor\n            weight: 2"
    )
    found = _bad(workdir, capsys, text)
    assert (
        error(at(text, "monitor\n"), "unknown issue 'monitor'", "did you mean 'monitors'?") in found
    )
    line, _ = at(text, 'reservation: "resolve')
    assert any(
        d.startswith(f"{FILE}:{line + 2}:") and "no weight or values for issue 'monitors'" in d
        for d in found
    )


def test_an_unknown_option_in_interests_and_the_option_it_leaves_out(workdir, capsys):
    text = edit(BASE, "{none: 3, un: -3}", "{none: 3, nato: -3}")
    found = _bad(workdir, capsys, text)
    assert found == sorted(
        [
            error(
                at(text, "{none: 3, nato", "nato"),
                "issue 'monitors' has no option 'nato'",
                "expected one of: none, un",
            ),
            error(
                at(text, "values: {none: 3, nato", "values"),
                "no value for option 'un'",
                "give every option of 'monitors' a value",
            ),
        ],
        key=lambda d: d.split(":")[1:3],
    )


@pytest.mark.parametrize(
    ("old", "new", "needle", "message", "hint"),
    [
        (
            "far: [-8, -6]",
            "far: [-8, -16]",
            "[-8, -16]",
            "-16 is out of range",
            "values go from -10 to +10",
        ),
        (
            "far: [-8, -6]",
            "far: [-6, -8]",
            "[-6, -8]",
            "the range [-6, -8] runs backwards",
            "write [low, high]",
        ),
        (
            "far: [-8, -6]",
            "far: [-8, -6, 1]",
            "[-8, -6, 1]",
            "expected [low, high], got a list of 3",
            "for example [-4, 2]",
        ),
        ("weight: 6", "weight: 12", "12", "12 is too large", "use 10 or less"),
        ("weight: 6", "weight: -1", "-1", "-1 is negative", "weights are 0 or more"),
        ("batna: -2", "batna: -11", "-11", "-11 is too small", "use -10 or more"),
    ],
)
def test_a_number_out_of_range(workdir, capsys, old, new, needle, message, hint):
    text = edit(BASE, old, new)
    assert _bad(workdir, capsys, text) == [error(at(text, new, needle), message, hint)]


def test_one_issue_or_four_is_refused(workdir, capsys):
    one = BASE.replace(
        """      - id: monitors
        name: Monitors
        options:
          - {id: none, text: No monitors}
          - {id: un, text: UN monitors}
""",
        "",
    )
    found = _bad(workdir, capsys, one)
    assert (
        error(
            at(one, "- id: pullback"),
            "an accord has 2 or 3 issues, not 1",
            "add another issue, or leave 'issues' out for one take-it-or-leave-it package",
        )
        in found
    )
    extra = "".join(
        f"      - id: issue{n}\n        name: Issue {n}\n        options:\n"
        f"          - {{id: a, text: A}}\n          - {{id: b, text: B}}\n"
        for n in (3, 4)
    )
    four = edit(BASE, "    draft: {", extra + "    draft: {")
    found = _bad(workdir, capsys, four)
    assert (
        error(
            at(four, "- id: pullback"),
            "an accord has 2 or 3 issues, not 4",
            "at most three keep every package countable (27 at most)",
        )
        in found
    )


def test_an_issue_of_one_option_or_four(workdir, capsys):
    text = edit(BASE, "          - {id: un, text: UN monitors}\n", "")
    found = _bad(workdir, capsys, text)
    assert any("an issue has 2 or 3 options, not 1" in d for d in found)
    text = edit(
        BASE,
        "          - {id: far, text: 10 km}\n",
        "          - {id: far, text: 10 km}\n          - {id: farther, text: 20 km}\n",
    )
    found = _bad(workdir, capsys, text)
    assert (
        error(
            at(text, "- {id: near"),
            "an issue has 2 or 3 options, not 4",
            "a fourth would make more packages than bargaining can weigh exactly",
        )
        in found
    )


def test_a_party_with_interests_in_an_accord_it_does_not_sign(workdir, capsys):
    text = edit(BASE, "signatories: [norland, sudmark]", "signatories: [sudmark, vellmark]")
    text = edit(
        text,
        "relations:\n",
        """  - id: vellmark
    name: Vellmark
    color: "#9bbb59"
    map: [0.5, 0.75]
    posture: 25
    interests:
      - accord: truce
        reservation: "0"
        issues:
          - {issue: pullback, weight: 1, values: {near: 0, mid: 1, far: 2}}
          - {issue: monitors, weight: 1, values: {none: 1, un: 2}}
relations:
""",
    )
    found = _bad(workdir, capsys, text)
    line, col = at(text, '      - accord: truce\n        reservation: "resolve', "truce")
    assert found[0] == error(
        (line, col),
        "'norland' does not sign 'truce', so it has no interests in it",
        "add 'norland' to the accord's signatories, or remove these interests",
    )


def test_a_signatory_without_interests(workdir, capsys):
    start = BASE.index('    interests:\n      - accord: truce\n        reservation: "0"')
    end = BASE.index("relations:")
    text = BASE[:start] + BASE[end:]
    assert _bad(workdir, capsys, text) == [
        error(
            at(text, "sudmark\n    name", "sudmark"),
            "'sudmark' signs 'truce' but declares no interests in it",
            "add '- accord: truce' under its 'interests:'",
        )
    ]


def test_an_accord_with_issues_and_no_signatories(workdir, capsys):
    text = edit(BASE, "    signatories: [norland, sudmark]\n", "")
    found = _bad(workdir, capsys, text)
    assert any("accord 'truce' has issues, so it needs two or more signatories" in d for d in found)


def test_an_envoy_for_a_party_has_its_partys_values_and_every_envoy_a_batna(workdir, capsys):
    text = edit(BASE, "    capital: 3\n", "    capital: 3\n    party: norland\n")
    text = edit(text, "    batna: -2\n", "")
    found = _bad(workdir, capsys, text)
    line, col = at(text, "    interests:\n      - accord: truce\n        issues:", "interests")
    assert (
        error(
            (line, col),
            "envoy 'envoy' speaks for 'norland', so its values are its party's",
            "remove them, and give 'norland' its interests instead",
        )
        in found
    )
    assert (
        error(
            at(text, "id: envoy", "envoy"),
            "envoy 'envoy' has no batna: what a stalemate is worth to it",
            "add 'batna: 0' (or what no deal scores it, -10..+10)",
        )
        in found
    )


def test_an_envoys_values_are_exact(workdir, capsys):
    text = edit(BASE, "{none: -2, un: 4}", "{none: -2, un: [3, 5]}")
    assert _bad(workdir, capsys, text) == [
        error(
            at(text, "[3, 5]"),
            "an envoy's values are exact: it knows its own mind",
            "write one number; ranges are for a party's hidden type",
        )
    ]


def test_a_reservation_is_a_checked_expression(workdir, capsys):
    text = edit(BASE, '"resolve(self) / 50 - 1"', '"resolve(selff) / 50 - 1"')
    (found,) = _bad(workdir, capsys, text)
    line, col = at(text, '"resolve(selff)', "selff")
    assert found.startswith(f"{FILE}:{line}:{col}: error: ")


def test_format_2_keys_in_a_format_1_file(workdir, capsys):
    text = edit(BASE, "format: 2", "format: 1")
    found = _bad(workdir, capsys, text)
    hint = "write 'format: 2' at the top of the file"
    for key in ("tags", "signatories", "issues:\n      - id: pullback", "draft", "batna"):
        assert (
            error(
                at(text, key, key.split(":")[0]), f"'{key.split(':')[0]}' is part of format 2", hint
            )
            in found
        )
    assert sum("'interests' is part of format 2" in d for d in found) == 3


def test_every_problem_at_once(workdir, capsys):
    text = edit(BASE, "monitors: none}\npeace", "monitors: nato}\npeace")
    text = edit(text, "weight: 6", "weight: 12")
    text = edit(text, "{none: -2, un: 4}", "{none: -2, un: [3, 5]}")
    assert len(_bad(workdir, capsys, text)) == 3


# --------------------------------------------------------- validate's warnings


def _warnings(workdir, text: str) -> list[str]:
    checked = validate_file(write(workdir, text))
    assert not any(d.is_error for d in checked.diagnostics), checked.diagnostics
    return [d.message for d in checked.diagnostics]


def test_no_zone_of_agreement(workdir):
    text = edit(BASE, 'reservation: "0"', 'reservation: "9"')
    (warning,) = _warnings(workdir, text)
    assert warning == (
        "no zone of agreement: no package of 'truce' beats the reservation of every "
        "signatory (norland and sudmark), as the first turn opens or with the meters "
        "anywhere on their scale"
    )


def test_a_deal_that_only_ripens_later_is_no_warning(workdir):
    # No deal as the first turn opens (tension 60 makes Sudmark ask for 8), but one
    # once tension falls: the zone of agreement is reachable, so validate is quiet.
    ripening = 'reservation: "(tension(norland, sudmark) - 20) / 5"'
    text = edit(BASE, 'reservation: "0"', ripening)
    assert not any("zone of agreement" in w for w in _warnings(workdir, text))
    # The same demand, fixed at its first-turn level, is warned about.
    text = edit(BASE, 'reservation: "0"', 'reservation: "9"')
    assert any("zone of agreement" in w for w in _warnings(workdir, text))


def test_no_conflict_of_interest(workdir):
    # Sudmark and the envoy come to value everything as Norland does.
    text = BASE.replace("{near: -5, mid: 0, far: 5}", "{near: 6, mid: 1, far: -7}")
    text = text.replace("{none: -6, un: [5, 7]}", "{none: 3, un: -3}")
    text = text.replace("{none: -2, un: 4}", "{none: 3, un: -3}")
    text = text.replace("{near: -1, mid: 2, far: 3}", "{near: 6, mid: 1, far: -7}")
    text = text.replace(
        "weight: 1\n            values: {near: 6", "weight: 6\n            values: {near: 6"
    )
    text = text.replace(
        "weight: 5\n            values: {none: 3", "weight: 2\n            values: {none: 3"
    )
    text = text.replace(
        "weight: 1\n            values: {none: 3", "weight: 2\n            values: {none: 3"
    )
    warnings = _warnings(workdir, text)
    assert any(w.startswith("no conflict of interest in 'truce'") for w in warnings), warnings


def test_log_rolling_below_the_threshold(workdir):
    # Sudmark mirrors Norland, issue for issue: nothing to trade, so the balanced deal
    # can only give one side what it takes from the other.
    start = BASE.index('      - accord: truce\n        reservation: "0"')
    end = BASE.index("relations:")
    mirror = """      - accord: truce
        reservation: "-2"
        issues:
          - issue: pullback
            weight: 6
            values: {near: -7, mid: 1, far: 6}
          - issue: monitors
            weight: 2
            values: {none: -3, un: 3}
"""
    warnings = _warnings(workdir, BASE[:start] + mirror + BASE[end:])
    assert any(
        w.startswith("log-rolling gains 'sudmark' -") and w.endswith("below 15%") for w in warnings
    ), warnings


@pytest.mark.parametrize("name", CONVERTED)
def test_the_converted_crises_validate_with_no_warning_and_clear_the_log_rolling_bar(name):
    path = SCENARIO_DIR / f"{name}.yaml"
    assert validate_file(path).diagnostics == ()
    scenario = load_scenario(path).unwrap()
    start = _start(scenario)
    threshold = scenario.rules.bargaining.log_rolling_min
    for index, accord in enumerate(scenario.accords):
        sides = [bargain.expected(scenario.parties[p].interests[index]) for p in accord.signatories]
        floors = [bargain.reservation(scenario, start, p, index) for p in accord.signatories]
        gains = bargain.log_rolling_gain(accord, sides, floors)
        assert gains is not None and min(gains) >= threshold, (accord.id, gains)
        assert bargain.zone(accord, sides, floors)


# ------------------------------------------------------------ bargaining numbers


def test_a_scenario_tunes_one_bargaining_number_and_keeps_the_librarys_others(workdir):
    text = edit(BASE, "turns: 3\n", "turns: 3\nrules:\n  bargaining:\n    log_rolling_min: 0.9\n")
    scenario = load_scenario(write(workdir, text)).unwrap()
    standard = load_scenario(write(workdir, BASE)).unwrap().rules.bargaining
    assert scenario.rules.bargaining == attrs.evolve(standard, log_rolling_min=0.9)
    warnings = _warnings(workdir, text)
    assert warnings and all("below 90%" in w for w in warnings)


@pytest.mark.parametrize(
    ("rules", "needle", "message", "hint"),
    [
        (
            "acceptance: {midpoint: 0, trust_discount: 1, spread: 0, floor: 0, ceiling: 1}",
            "spread: 0",
            "the acceptance spread must be above 0",
            "for example 1.0; larger makes a party's answer less sharp",
        ),
        (
            "acceptance: {midpoint: 0, trust_discount: 1, spread: 1, floor: 0.9, ceiling: 0.5}",
            "floor: 0.9",
            "the acceptance floor is above its ceiling",
            "",
        ),
        (
            "concession: {easy: 2, normal: 1, hrad: 1}",
            "hrad",
            "unknown difficulty 'hrad'",
            "did you mean 'hard'?",
        ),
        (
            "concession: {easy: 2, normal: 1, hard: 0}",
            "hard: 0",
            "the concession exponent of 'hard' must be above 0",
            "below 1 concedes late, 1 steadily, above 1 early",
        ),
    ],
)
def test_bargaining_numbers_the_types_cannot_check(workdir, capsys, rules, needle, message, hint):
    text = edit(BASE, "turns: 3\n", f"turns: 3\nrules:\n  bargaining:\n    {rules}\n")
    position = at(text, needle, needle.split(": ")[-1])  # a value's, or a key's
    assert _bad(workdir, capsys, text) == [error(position, message, hint)]


def test_a_librarys_bargaining_numbers_are_checked_in_the_library(workdir):
    text = "format: 2\nlibrary: house\nrules:\n  bargaining:\n    concession: {hard: -1}\n"
    checked = validate_file(write(workdir, text, "house.yaml"))
    line, col = at(text, "-1")
    assert [str(d) for d in checked.diagnostics] == [
        f"house.yaml:{line}:{col}: error: the concession exponent of 'hard' must be above 0 "
        "(below 1 concedes late, 1 steadily, above 1 early)"
    ]


def test_a_library_written_before_format_2_still_compiles_a_format_1_crisis(workdir):
    # A mod's own library, or the copy a save embeds, has no bargaining numbers.
    standard = (LIBRARY_DIR / "standard.yaml").read_text("utf-8")
    start = standard.index("  # Format 2's bargaining")
    end = standard.index("\nmoves:")
    old = standard[:start] + standard[end:]
    assert "bargaining" not in old
    write(workdir, old, "house.yaml")
    result = load_scenario(write(workdir, MINIMAL + "includes: [house]\n"))
    assert result.errors == () and result.unwrap().rules.bargaining is None
    # A format-2 crisis needs them, and says where to put them.
    text = BASE.replace("turns: 3\n", "turns: 3\nincludes: [house]\n")
    (found,) = [str(d) for d in load_scenario(write(workdir, text)).errors]
    assert "rules.bargaining.acceptance is not set, and accords with issues need it" in found
