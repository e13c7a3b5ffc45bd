"""The scenario loader, end to end: every hostile or mistaken file is refused with
bounded work, with every problem at its own file:line:col, and `envoy validate` exits 1 on it."""

from __future__ import annotations

import os
import pathlib
import tracemalloc
from unittest import mock

import pytest
import yaml

from game.cli import main
from game.content.loader import (
    LIBRARY_DIR,
    SCENARIO_DIR,
    builtin_scenarios,
    load_scenario,
    load_scenario_bytes,
    validate_file,
)
from game.content.yamlsafe import MAX_BYTES, MAX_DEPTH, MAX_VALUES

FILE = "scenario.yaml"
BORDER = (SCENARIO_DIR / "border_incident.yaml").read_text(encoding="utf-8")

# The smallest scenario the loader accepts (the standard library supplies the moves).
MINIMAL = """\
format: 1
id: mini
title: Mini crisis
summary: Two neighbours quarrel over a river.
briefing: Calm them down before the armies move.
difficulty: introductory
teacher:
  learning_goals: [Talking first works.]
  duration_minutes: 10
  players: {min: 1, max: 1}
  age: "10+"
  debrief_questions: ["What worked?"]
  notes: A test scenario.
turns: 3
parties:
  - id: norland
    name: Norland
    color: "#c0504d"
    map: [0.25, 0.3]
    posture: 70
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
peace: "tension(norland, sudmark) < 20"
"""

PEACE = 'peace: "tension(norland, sudmark) < 20"'

# A scenario move, appended to MINIMAL by the tests that need one.
SPY_MOVE = """\
moves:
  - id: spy
    family: communication
    name: Spy
    text: Listen in on a capital.
    cost: 1
    target: party
    success:
      - "standing(self, target) += 1"
"""

BILLION_LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]"
            for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "",
    ]
)


# --------------------------------------------------------------------- helpers


@pytest.fixture
def workdir(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    """Run in tmp_path, so every diagnostic names the file simply 'scenario.yaml'."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(folder: pathlib.Path, content: str | bytes, name: str = FILE) -> pathlib.Path:
    path = folder / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def edit(text: str, old: str, new: str) -> str:
    """Replace text that occurs exactly once (so the edit cannot silently miss)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def at(text: str, needle: str, part: str | None = None) -> tuple[int, int]:
    """1-based (line, col) of the only occurrence of needle, or of `part` inside it."""
    assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times"
    index = text.index(needle)
    if part is not None:
        index += needle.index(part)
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def error(position: tuple[int, int], message: str, hint: str = "", kind: str = "error") -> str:
    """A diagnostic as `envoy validate` prints it."""
    line, col = position
    text = f"{FILE}:{line}:{col}: {kind}: {message}"
    return f"{text} ({hint})" if hint else text


def refuse(path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Load a bad file: refused with no scenario; `envoy validate` exits 1 and prints
    the same diagnostics. Returns them as printed."""
    result = load_scenario(path)
    assert result.scenario is None
    assert not result.ok
    assert result.errors
    diagnostics = [str(d) for d in result.diagnostics]
    capsys.readouterr()
    assert main(["validate", str(path)]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert printed[:-1] == diagnostics
    assert printed[-1].startswith(f"1 file checked: {len(result.errors)} error")
    return diagnostics


def only(diagnostics: list[str]) -> str:
    assert len(diagnostics) == 1, diagnostics
    return diagnostics[0]


def parse(line: str) -> tuple[int, int, str]:
    """(line, col, rest) of a printed diagnostic."""
    _file, line_no, col, rest = line.split(":", 3)
    return int(line_no), int(col), rest.strip()


def peak_memory(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# ------------------------------------------------------------ valid content


def test_minimal_base_loads_without_any_diagnostic(workdir):
    result = load_scenario(write(workdir, MINIMAL))
    assert result.diagnostics == ()
    assert result.ok
    assert [p.id for p in result.scenario.parties] == ["norland", "sudmark"]


@pytest.mark.parametrize("name", ["border_incident", "tutorial"])
def test_builtin_scenarios_load_without_any_diagnostic(name):
    path = SCENARIO_DIR / f"{name}.yaml"
    result = load_scenario(path)
    assert result.diagnostics == ()
    assert result.scenario.id == name
    checked = validate_file(path)
    assert (checked.kind, checked.diagnostics) == ("scenario", ())


def test_standard_library_validates_without_any_diagnostic():
    checked = validate_file(LIBRARY_DIR / "standard.yaml")
    assert checked.kind == "library"
    assert checked.diagnostics == ()


def test_validate_scenario_folder_exits_0_with_a_summary(capsys):
    assert main(["validate", str(SCENARIO_DIR)]) == 0
    count = len(builtin_scenarios())
    *notes, summary = capsys.readouterr().out.splitlines()
    assert summary == f"{count} files checked: 0 errors, 0 warnings - ok."
    # A format-1 crisis gets one note on what format 2 would add, counted nowhere.
    format_1 = [p for p in builtin_scenarios() if load_scenario(p).unwrap().format == 1]
    assert len(notes) == len(format_1) >= 1
    assert all(": note: format 2 would give its " in line for line in notes)


def test_bytes_and_path_loading_agree(workdir):
    text = edit(MINIMAL, "tension: 60", "tension: 140")
    from_path = load_scenario(write(workdir, text))
    from_bytes = load_scenario_bytes(text.encode(), FILE, workdir)
    assert from_bytes.scenario is None
    assert from_bytes.diagnostics == from_path.diagnostics
    assert load_scenario_bytes(BORDER.encode(), "border.yaml", SCENARIO_DIR).diagnostics == ()


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "y", "n"])
def test_yaml_1_1_boolean_words_stay_ids(workdir, word):
    result = load_scenario(write(workdir, MINIMAL.replace("norland", word)))
    assert result.diagnostics == ()
    assert result.scenario.parties[0].id == word


# ------------------------------------------------------------- reading YAML


def test_yaml_syntax_error(workdir, capsys):
    text = edit(MINIMAL, "notes: A test scenario.", "notes: Warning: a test scenario.")
    printed = refuse(write(workdir, text), capsys)
    assert only(printed) == error(
        at(text, "notes: Warning: a", ": a"),
        "mapping values are not allowed here",
        "put quotes around a value that contains ': '",
    )


def test_unclosed_flow_list_names_where_it_started(workdir, capsys):
    text = edit(MINIMAL, "map: [0.25, 0.3]", "map: [0.25, 0.3")
    line, col, rest = parse(only(refuse(write(workdir, text), capsys)))
    start_line, _ = at(text, "map: [0.25, 0.3\n")
    # the next line's ':' is where the list turns out never to have closed
    assert (line, col) == at(text, "posture: 70", ":")
    assert rest.startswith("error: expected ',' or ']'")
    assert rest.endswith(f"(while parsing a flow sequence that starts at line {start_line})")


def test_tab_indentation(workdir, capsys):
    text = edit(MINIMAL, "  duration_minutes: 10", "\tduration_minutes: 10")
    line, col, rest = parse(only(refuse(write(workdir, text), capsys)))
    assert (line, col) == at(text, "\tduration")
    assert rest.endswith("(indent with spaces, not tabs)")


def test_duplicate_key(workdir, capsys):
    text = edit(MINIMAL, "turns: 3\n", "turns: 3\nturns: 4\n")
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "turns: 4"),
        "duplicate key 'turns'",
        f"first defined at line {at(text, 'turns: 3')[0]}",
    )


def test_python_object_tag_is_refused_and_never_run(workdir, capsys, monkeypatch):
    monkeypatch.setattr(os, "system", lambda *a: pytest.fail("os.system was called"))
    text = edit(MINIMAL, "id: mini", "id: !!python/object/apply:os.system ['touch pwned']")
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "id: !!python", "!!"),
        "tags are not allowed: '!!python/object/apply:os.system'",
        "remove the tag",
    )
    assert not (workdir / "pwned").exists()


def test_plain_tag_is_refused(workdir, capsys):
    text = edit(MINIMAL, "  - id: sudmark", "  - id: !party sudmark")
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "!party"), "tags are not allowed: '!party'", "remove the tag"
    )


def test_anchor_and_alias_are_refused(workdir, capsys):
    text = edit(MINIMAL, "title: Mini crisis", "title: &name Mini crisis")
    text = edit(text, "summary: Two neighbours quarrel over a river.", "summary: *name")
    message, hint = "anchors and aliases are not allowed", "write the value out in full"
    assert refuse(write(workdir, text), capsys) == [
        error(at(text, "&name"), message, hint),
        error(at(text, "*name"), message, hint),
    ]


def test_billion_laughs_is_refused_fast_in_bounded_memory(workdir, capsys):
    path = write(workdir, BILLION_LAUGHS)
    printed = refuse(path, capsys)
    assert printed[0] == error(
        (1, 4), "anchors and aliases are not allowed", "write the value out in full"
    )
    assert all("anchors and aliases are not allowed" in line for line in printed)
    assert len(printed) <= 50  # the report is capped, not one line per alias
    assert peak_memory(lambda: load_scenario(path)) < 50_000_000


def test_deep_nesting_is_refused_without_recursion_error(workdir, capsys):
    path = write(workdir, "[" * 20_000)
    assert only(refuse(path, capsys)) == error(
        (1, MAX_DEPTH + 1), f"nesting is deeper than {MAX_DEPTH} levels", "flatten the structure"
    )
    assert peak_memory(lambda: load_scenario(path)) < 50_000_000


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n"])
def test_empty_file(workdir, capsys, content):
    assert only(refuse(write(workdir, content), capsys)) == error(
        (1, 1), "the file is empty", "write at least one 'key: value' line"
    )


def test_binary_file(workdir, capsys):
    data = MINIMAL.encode().replace(b"Mini crisis", b"Mini\0crisis")
    assert only(refuse(write(workdir, data), capsys)) == error(
        at(MINIMAL, "Mini crisis", " crisis"),
        "this is a binary file, not YAML",
        "save it as UTF-8 text",
    )


def test_latin_1_file(workdir, capsys):
    text = edit(MINIMAL, "over a river.", "over a rivière.")
    assert only(refuse(write(workdir, text.encode("latin-1")), capsys)) == error(
        at(text, "rivière", "è"), "the file is not valid UTF-8", "save it as UTF-8"
    )


def test_file_over_the_size_cap_is_refused_before_reading(workdir, capsys):
    data = MINIMAL.encode() + b"#" * (MAX_BYTES + 1 - len(MINIMAL.encode()))
    assert len(data) == MAX_BYTES + 1
    expected = error(
        (1, 1),
        f"the file is {MAX_BYTES + 1} bytes, over the limit of {MAX_BYTES}",
        "is this the right file?",
    )
    assert only(refuse(write(workdir, data), capsys)) == expected
    with mock.patch.object(yaml, "parse", lambda *a, **k: pytest.fail("the parser ran")):
        result = load_scenario_bytes(data, FILE)
    assert result.scenario is None
    assert [str(d) for d in result.diagnostics] == [expected]


def test_file_at_the_size_cap_is_read(workdir):
    data = MINIMAL.encode() + b"#" * (MAX_BYTES - len(MINIMAL.encode()))
    assert len(data) == MAX_BYTES
    assert load_scenario(write(workdir, data)).diagnostics == ()


@pytest.mark.parametrize(
    ("content", "kind"), [("- format: 1\n- id: mini\n", "a list"), ("mini\n", "a single value")]
)
def test_top_level_must_be_a_mapping(workdir, capsys, content, kind):
    assert only(refuse(write(workdir, content), capsys)) == error(
        (1, 1),
        f"a scenario must be a mapping of keys, but this file holds {kind}",
        "start with 'format: 1' and 'id: ...' at the left margin",
    )


def test_a_library_is_not_a_scenario(workdir, capsys):
    text = (LIBRARY_DIR / "standard.yaml").read_text(encoding="utf-8")
    result = load_scenario_bytes(text.encode(), FILE)
    assert result.scenario is None
    assert [str(d) for d in result.diagnostics] == [
        error(
            at(text, "library: standard"),
            "this is a move library, not a scenario",
            "scenarios name it under 'includes:'",
        )
    ]


# ------------------------------------------------------------ structure pass


def test_misspelt_key_gets_a_did_you_mean(workdir, capsys):
    text = edit(MINIMAL, "    tension: 60", "    tenshun: 60")
    assert refuse(write(workdir, text), capsys) == [
        error(at(text, "- between", "between"), "missing key 'tension'", "add 'tension:'"),
        error(at(text, "tenshun"), "unknown key 'tenshun'", "did you mean 'tension'?"),
    ]


def test_unknown_key_with_no_near_name(workdir, capsys):
    text = edit(MINIMAL, "turns: 3", "turns: 3\nmusic: loud")
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "music"), "unknown key 'music'", "remove it"
    )


def test_text_where_a_number_belongs(workdir, capsys):
    text = edit(MINIMAL, "turns: 3", 'turns: "eight"')
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, '"eight"'), "expected a whole number, got text ('eight')"
    )


def test_list_where_a_number_belongs(workdir, capsys):
    text = MINIMAL + edit(SPY_MOVE, "cost: 1", "cost: [1]")
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "[1]"), "expected a whole number, got a list"
    )


def test_meter_out_of_range(workdir, capsys):
    text = edit(MINIMAL, "tension: 60", "tension: 140")
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "140"), "140 is out of range", "meters go from 0 to 100"
    )


def test_missing_required_key(workdir, capsys):
    text = edit(MINIMAL, "    name: Sudmark\n", "")
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "- id: sudmark", "id"), "missing key 'name'", "add 'name:'"
    )


def test_missing_nested_key_points_at_its_parent_key(workdir, capsys):
    text = edit(MINIMAL, '  age: "10+"\n', "")
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "teacher:"), "missing key 'age'", "add 'age:'"
    )


def test_id_NO_stays_text_and_is_refused_as_an_id(workdir, capsys):
    # YAML 1.1 reads NO as false; here it must stay the string "NO".
    text = edit(MINIMAL, "- id: norland", "- id: NO")
    first, *rest = refuse(write(workdir, text), capsys)
    assert first == error(
        at(text, "NO"),
        "'NO' is not a valid id",
        "ids are lower-case letters, digits and _, starting with a letter: 'no'",
    )
    # In the same run: every place that still names the party 'norland'.
    assert [parse(d)[:2] for d in rest] == [
        at(text, "[norland", "norland"),
        at(text, "(norland", "norland"),
    ]
    assert all("unknown party 'norland'" in d for d in rest)


def test_format_newer_than_the_game(workdir, capsys):
    text = edit(MINIMAL, "format: 1", "format: 3")
    assert only(refuse(write(workdir, text), capsys)) == error(
        (1, 9),
        "format 3 is newer than this game reads",
        "this version of Envoy reads format 2; update the game",
    )


def test_missing_format(workdir, capsys):
    text = edit(MINIMAL, "format: 1\n", "")
    assert only(refuse(write(workdir, text), capsys)) == error(
        (1, 1), "missing key 'format'", "add 'format: 2' at the top"
    )


def test_structure_mistakes_are_all_reported_at_once_sorted_by_line(workdir, capsys):
    # `turns` comes before `parties` in the format but is written last here,
    # so the report must be sorted by line, not by discovery.
    text = edit(MINIMAL, "turns: 3\n", "")
    text = edit(text, "    posture: 45", "    posture: 45\n    colour: blue")
    text = edit(text, "trust: 25", "trust: 140")
    text += 'turns: "eight"\n'
    assert refuse(write(workdir, text), capsys) == [
        error(at(text, "colour"), "unknown key 'colour'", "did you mean 'color'?"),
        error(at(text, "140"), "140 is out of range", "meters go from 0 to 100"),
        error(at(text, '"eight"'), "expected a whole number, got text ('eight')"),
    ]


# ----------------------------------------------------------- libraries, moves


def test_unknown_library(workdir, capsys):
    text = edit(MINIMAL, "turns: 3", "turns: 3\nincludes: [standrad]")
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "standrad"), "unknown library 'standrad'", "did you mean 'standard'?"
    )


def test_disable_unknown_move(workdir, capsys):
    text = edit(MINIMAL, "turns: 3", "turns: 3\ndisable_moves: [embargo, hotlin]")
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "hotlin]", "hotlin"),
        "there is no library move 'hotlin'",
        "did you mean 'hotline'?",
    )


def test_disabled_move_is_left_out(workdir):
    text = edit(MINIMAL, "turns: 3", "turns: 3\ndisable_moves: [embargo]")
    result = load_scenario(write(workdir, text))
    assert result.diagnostics == ()
    assert "embargo" not in [m.id for m in result.scenario.moves]


def test_unknown_move_family(workdir, capsys):
    text = MINIMAL + edit(SPY_MOVE, "family: communication", "family: espionage")
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "espionage"),
        "unknown family 'espionage'",
        "expected one of: communication, cultural, mediation, sanctions",
    )


def test_replacing_a_library_move_without_override_is_a_warning(workdir, capsys):
    text = MINIMAL + edit(SPY_MOVE, "id: spy", "id: hotline")
    path = write(workdir, text)
    result = load_scenario(path)
    assert result.ok
    assert result.errors == ()
    expected = error(
        at(text, "id: hotline", "hotline"),
        "move 'hotline' replaces the library move",
        "add 'override: true' if that is intended",
        kind="warning",
    )
    assert [str(d) for d in result.warnings] == [expected]
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        expected,
        "1 file checked: 0 errors, 1 warning - ok.",
    ]
    hotline = next(m for m in result.scenario.moves if m.id == "hotline")
    assert hotline.source.startswith(f"{FILE}:")  # the scenario's move won


def test_override_true_silences_the_warning(workdir):
    move = edit(SPY_MOVE, "id: spy", "id: hotline") + "    override: true\n"
    assert load_scenario(write(workdir, MINIMAL + move)).diagnostics == ()


def test_override_without_a_library_move_is_a_warning(workdir):
    result = load_scenario(write(workdir, MINIMAL + SPY_MOVE + "    override: true\n"))
    assert result.ok
    assert [d.message for d in result.warnings] == ["there is no library move 'spy' to override"]


# ------------------------------------------------------- cross-references


def test_unknown_party_in_a_relation(workdir, capsys):
    text = edit(MINIMAL, "between: [norland, sudmark]", "between: [norland, sudmrak]")
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "sudmrak"), "unknown party 'sudmrak'", "did you mean 'sudmark'?"
    )


def test_unknown_party_in_an_expression_points_inside_the_quotes(workdir, capsys):
    text = edit(MINIMAL, PEACE, 'peace: "tension(norland, sudmrak) < 20"')
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "sudmrak"), "unknown party 'sudmrak'", "did you mean 'sudmark'?"
    )
    assert at(text, "sudmrak") == (at(text, "peace")[0], 26)


@pytest.mark.parametrize(
    "peace", ["'tension(norland, sudmrak) < 20'", "tension(norland, sudmrak) < 20"]
)
def test_expression_column_in_single_quoted_and_plain_values(workdir, capsys, peace):
    text = edit(MINIMAL, PEACE, f"peace: {peace}")
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "sudmrak"), "unknown party 'sudmrak'", "did you mean 'sudmark'?"
    )


def test_event_with_two_triggers(workdir, capsys):
    text = edit(BORDER, "    at_turn: 1\n", '    at_turn: 1\n    when: "true"\n')
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "- id: shots_at_dawn", "id"),
        "event 'shots_at_dawn' needs exactly one of at_turn, when or pool (found at_turn and when)",
        "choose how it fires",
    )


def test_decision_with_one_option(workdir, capsys):
    start = "        - id: recommend_talks\n"
    end = '            - "resolve(norland) += 5"\n'
    talks = BORDER[BORDER.index(start) : BORDER.index(end) + len(end)]
    text = edit(BORDER, talks, "")
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "- id: recommend_sanctions"), "a decision needs at least two options"
    )


def test_cross_reference_mistakes_are_all_reported_at_once(workdir, capsys):
    text = edit(BORDER, "players: {min: 1, max: 3}", "players: {min: 1, max: 4}")
    text = edit(text, "    party: norland\n", "    party: norlnd\n")
    text = edit(text, "{norland: 50, sudmark: 60, vellmark: 85}", "{norland: 50, velmark: 85}")
    text = edit(text, "envoy: un_envoy", "envoy: un_envy")
    assert refuse(write(workdir, text), capsys) == [
        error(at(text, "max: 4", "4"), "there are only 3 envoys", "use 3 or fewer"),
        error(at(text, "norlnd"), "unknown party 'norlnd'", "did you mean 'norland'?"),
        error(at(text, "velmark"), "unknown party 'velmark'", "did you mean 'vellmark'?"),
        error(at(text, "un_envy"), "unknown envoy 'un_envy'", "did you mean 'un_envoy'?"),
    ]


def test_expression_mistakes_are_all_reported_at_once(workdir, capsys):
    text = edit(BORDER, '"tension(norland, sudmark) >= 65"', '"tension(norland, sudmrak) >= 65"')
    text = edit(text, 'when: "signed(ceasefire)"', 'when: "signed(cesefire)"')
    text = edit(text, "trust(norland, sudmark) / 100", "trust(norland, sudmark) % 100")
    text = edit(text, '"tension(norland, sudmark) += 7"', '"tension(norland, sudmark) += lots"')
    text = edit(text, 'signed(border_commission)"\n\nevents', 'signed(border_comission)"\n\nevents')
    assert refuse(write(workdir, text), capsys) == [
        error(at(text, "sudmrak"), "unknown party 'sudmrak'", "did you mean 'sudmark'?"),
        error(at(text, "cesefire"), "unknown accord 'cesefire'", "did you mean 'ceasefire'?"),
        error(
            at(text, "% 100", "%"),
            "unexpected character '%'",
            "only + - * / are available",
        ),
        error(
            at(text, "border_comission"),
            "unknown accord 'border_comission'",
            "did you mean 'border_commission'?",
        ),
        error(at(text, "lots"), "unknown name 'lots'", ""),
    ]


# ---------------------------------------------------------- the expression language


@pytest.mark.parametrize(
    ("peace", "bad", "message", "hint"),
    [
        (
            "tension.x < 20",
            ".",
            "unexpected character '.'",
            "there is no attribute access; call a function such as tension(a, b)",
        ),
        ("__import__(os) == 0", "__import__", "unknown function '__import__'", ""),
        ("__import__('os')", "'", 'unexpected character "\'"', "ids are written without quotes"),
    ],
)
def test_python_in_a_condition_is_refused(workdir, capsys, peace, bad, message, hint):
    text = edit(MINIMAL, PEACE, f'peace: "{peace}"')
    assert only(refuse(write(workdir, text), capsys)) == error(at(text, peace, bad), message, hint)


def test_expression_text_is_never_evaluated(workdir, capsys, monkeypatch):
    monkeypatch.setattr(os, "system", lambda *a: pytest.fail("os.system was called"))
    effect = "__import__('os').system('touch pwned')"
    text = MINIMAL + edit(SPY_MOVE, '"standing(self, target) += 1"', f'"{effect}"')
    line, col = at(text, effect)
    quotes = 'error: unexpected character "\'" (ids are written without quotes)'
    dot = "error: unexpected character '.' (there is no attribute access; call a function such as"
    # Each bad character at once; a quoted word is one mistake.
    assert [parse(d) for d in refuse(write(workdir, text), capsys)] == [
        (line, col + 11, quotes),
        (line, col + 16, f"{dot} tension(a, b))"),
        (line, col + 24, quotes),
    ]
    text = MINIMAL + edit(SPY_MOVE, '"standing(self, target) += 1"', '"__import__(os)"')
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "__import__"), "unknown function '__import__'"
    )
    assert not (workdir / "pwned").exists()


# ----------------------------------------------------- positions and size, found by review


def test_wrapped_expression_points_at_the_right_line(workdir, capsys):
    text = edit(
        MINIMAL,
        PEACE,
        'peace: "tension(norland, sudmark) < 20 and\n  trust(norland, sudmrak) > 50"',
    )
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "sudmrak"), "unknown party 'sudmrak'", "did you mean 'sudmark'?"
    )


def test_bad_standing_value_points_at_the_value(workdir, capsys):
    text = edit(MINIMAL, "    capital: 3", "    capital: 3\n    standing: {norland: valid}")
    assert only(refuse(write(workdir, text), capsys)) == error(
        at(text, "valid}", "valid"), "expected a whole number, got text ('valid')"
    )


def test_huge_list_under_the_size_cap_is_refused_quickly(workdir, capsys):
    data = b"format: 1\nid: big\nparties: [" + b"0," * 480_000 + b"0]\n"
    assert len(data) <= MAX_BYTES
    problem = only(refuse(write(workdir, data), capsys))
    assert f"the file has more than {MAX_VALUES} values" in problem


def test_expression_positions_in_block_and_escaped_scalars(workdir, capsys):
    block = edit(
        MINIMAL,
        PEACE,
        "peace: >-\n  tension(norland, sudmark) < 20 and\n  trust(norland, sudmrak) > 50",
    )
    assert only(refuse(write(workdir, block), capsys)) == error(
        at(block, "sudmrak"), "unknown party 'sudmrak'", "did you mean 'sudmark'?"
    )
    escaped = edit(
        MINIMAL, PEACE, 'peace: "tension(norland,\\tsudmark) < 20 and trust(norland, sudmrak) > 50"'
    )
    assert only(refuse(write(workdir, escaped), capsys)) == error(
        at(escaped, "sudmrak"), "unknown party 'sudmrak'", "did you mean 'sudmark'?"
    )


def test_cross_reference_and_expression_mistakes_come_together():
    text = BORDER
    text = text.replace("    party: norland\n", "    party: norlnd\n", 1)
    text = text.replace('peace: "signed(ceasefire) and', 'peace: "signed(ceasfire) and')
    result = load_scenario_bytes(text.encode(), "border.yaml")
    assert result.scenario is None
    messages = [d.message for d in result.errors]
    assert messages == ["unknown party 'norlnd'", "unknown accord 'ceasfire'"]


# ------------------------------------------------- text the game cannot show (issue 13)

# Characters refused in any string, as written in a double-quoted YAML value; the
# renderer cannot draw a NUL, a lone surrogate cannot be encoded to draw or save,
# the others drive or spoof a terminal.
UNSHOWABLE = {
    "\\0": "U+0000 (a control character)",
    "\\a": "U+0007 (a control character)",
    "\\e": "U+001B (a control character)",
    "\\r": "U+000D (a control character)",
    "\\x7f": "U+007F (a control character)",
    "\\N": "U+0085 (a control character)",
    "\\x9b": "U+009B (a control character)",
    "\\ud800": "U+D800 (half of a surrogate pair, not a character)",
    "\\udfff": "U+DFFF (half of a surrogate pair, not a character)",
    "\\ufdd0": "U+FDD0 (a noncharacter)",
    "\\ufffe": "U+FFFE (a noncharacter)",
    "\\uffff": "U+FFFF (a noncharacter)",
    "\\U0010FFFF": "U+10FFFF (a noncharacter)",
    "\\L": "U+2028 (a line or paragraph separator)",
    "\\P": "U+2029 (a line or paragraph separator)",
    "\\u202e": "U+202E (a bidirectional control)",
    "\\u202a": "U+202A (a bidirectional control)",
    "\\u2066": "U+2066 (a bidirectional control)",
    "\\u2069": "U+2069 (a bidirectional control)",
}


@pytest.mark.parametrize(("escape", "named"), list(UNSHOWABLE.items()))
def test_a_character_the_game_cannot_show_is_refused_where_it_is(workdir, capsys, escape, named):
    text = edit(MINIMAL, "title: Mini crisis", f'title: "Border{escape}Incident"')
    hint = "remove it"
    if "separator" in named:
        hint = "use an ordinary line break"
    elif "bidirectional" in named:
        hint = (
            "it makes text read differently from how it is stored; "
            "use the marks U+200E or U+200F where the direction needs help"
        )
    message = f"this text holds {named}, which the game cannot show"
    printed = refuse(write(workdir, text), capsys)
    assert printed == [error(at(text, escape), message, hint)]
    # Printing the report never fails, whatever the character (a surrogate cannot be encoded).
    for line in printed:
        line.encode("utf-8")
        assert line.isprintable()


@pytest.mark.parametrize("raw", ["\u202e", "\ufdd0", "\U0001fffe", "\u2066"])
def test_a_character_typed_as_it_is_is_refused_too(workdir, capsys, raw):
    text = edit(MINIMAL, "title: Mini crisis", f"title: Mini{raw}crisis")
    (line,) = refuse(write(workdir, text), capsys)
    assert parse(line)[:2] == at(text, f"Mini{raw}", raw)
    assert f"U+{ord(raw):04X}" in line


@pytest.mark.parametrize(
    "where",
    [
        ("summary: Two neighbours quarrel over a river.", 'summary: {en: "Two\\0", km: x}'),
        ("id: mini", 'id: "mi\\0ni"'),
        ('age: "10+"', 'age: "10\\0+"'),
        ("peace:", '"pe\\0ace": 1\npeace:'),  # a key
        ('peace: "tension(norland, sudmark) < 20"', 'peace: "tension(norland, sudmark) <\\0 20"'),
    ],
)
def test_every_kind_of_string_is_checked(workdir, capsys, where):
    text = edit(MINIMAL, *where)
    printed = refuse(write(workdir, text), capsys)
    assert any("U+0000 (a control character)" in line for line in printed), printed
    assert all("\0" not in line for line in printed)


def test_a_character_in_a_move_library_is_refused(workdir, capsys):
    library = (LIBRARY_DIR / "standard.yaml").read_text(encoding="utf-8")
    library = library.replace("name: Hotline", 'name: "Hot\\0line"', 1)
    write(workdir, library, "standard.yaml")
    path = write(workdir, MINIMAL)
    result = load_scenario(path)
    assert result.scenario is None
    assert any(d.file == "standard.yaml" and "U+0000" in d.message for d in result.errors), (
        result.errors
    )
    assert main(["validate", "standard.yaml"]) == 1
    assert "U+0000 (a control character)" in capsys.readouterr().out


@pytest.mark.parametrize(
    "text",
    [
        "កណ្ដូបបុកស្រូវ",  # Khmer, with its coeng signs
        "क्‍ष and ர்‌க",  # Devanagari with ZWJ, Tamil with ZWNJ
        "ល្អ\u200bណាស់",  # a zero-width space, how Khmer marks a word break
        "عربي\u200f and \u200eLTR and \u061c",  # the direction marks
        "👩\u200d👩\u200d👧 family",  # an emoji ZWJ sequence
        "tab\there and a\nnewline",
    ],
)
def test_the_characters_scripts_need_are_kept(workdir, text):
    escaped = text.replace("\t", "\\t").replace("\n", "\\n")
    source = edit(MINIMAL, "title: Mini crisis", f'title: "{escaped}"')
    result = load_scenario(write(workdir, source))
    assert result.ok, result.diagnostics
    assert str(result.scenario.title) == text


def test_a_mod_with_such_a_character_is_listed_as_broken_never_playable(tmp_path, monkeypatch):
    from game.content import mods

    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "mods"
    folder.mkdir()
    text = edit(MINIMAL, "title: Mini crisis", 'title: "Border\\0Incident"')
    write(folder, edit(text, "id: mini", "id: nul_mod"), "nul.yaml")
    write(folder, edit(MINIMAL, "title: Mini crisis", 'title: "\\ud800"'), "surrogate.yaml")
    listed = {entry.path.name: entry for entry in mods.catalogue([folder])}
    for name in ("nul.yaml", "surrogate.yaml"):
        assert listed[name].result.scenario is None  # the crisis list cannot start it
        assert listed[name].result.errors
    # and every built-in crisis is still offered
    assert all(entry.result.ok for entry in listed.values() if not entry.is_mod)


# ------------------------------------------------------- every problem in one run (issue 13)

ELEVEN = pathlib.Path(__file__).parent / "fixtures" / "eleven_mistakes.yaml"


def test_eleven_mistakes_of_every_kind_are_all_reported_in_one_run(capsys, monkeypatch):
    # Before, this file took five rounds: a syntax-level problem hid the structure,
    # structure hid the ids, the ids hid the tables, and the tables the expressions;
    # an expression stopped at its first mistake.
    monkeypatch.chdir(ELEVEN.parent.parent.parent)
    assert main(["validate", str(ELEVEN.relative_to(pathlib.Path.cwd()))]) == 1
    out = capsys.readouterr().out
    text = ELEVEN.read_text(encoding="utf-8")
    found = [parse(line) for line in out.splitlines()[:-1]]
    expected_errors = [
        (at(text, "\\0"), "U+0000 (a control character)"),  # the reader
        (at(text, "age: 13", "13"), "expected text, got a number (13)"),  # a wrong type
        (at(text, '"red"'), "'red' is not a colour"),  # a bad value
        (at(text, "idle_wieght"), "unknown key 'idle_wieght'"),  # a typo
        (at(text, "160"), "160 is out of range"),  # out of range
        (at(text, "nordland"), "unknown party 'nordland'"),  # a reference
        (at(text, "  - id: envoy\n    name: Second", "envoy"), "envoy 'envoy' is declared"),
        (at(text, "comunication"), "unknown family 'comunication'"),  # the library
        (at(text, "standing(self)"), "standing() takes 2 arguments, not 1"),  # arity
        (at(text, "tenshun"), "unknown function 'tenshun'"),  # an expression...
        (at(text, "sudmrak"), "unknown party 'sudmrak'"),  # ...and its second mistake
    ]
    expected_warnings = [
        (at(text, "kh:"), "unknown language 'kh' (did you mean 'km'?)"),
        (at(text, "150"), "tension() is kept from 0 to 100, so this sets it to 100"),
        (at(text, "min_envoys: 9", "9"), "this joint move needs 9 envoys"),
        (at(text, "turn() > 99"), "turn() goes from 1 to 9, so this is always false"),
        (at(text, "unused"), "counter 'unused' is never used"),
    ]
    errors = [(line, col, rest) for line, col, rest in found if rest.startswith("error:")]
    warnings = [(line, col, rest) for line, col, rest in found if rest.startswith("warning:")]
    assert len(errors) == len(expected_errors) == 11
    for ((line, col), message), got in zip(expected_errors, errors, strict=True):
        assert got[:2] == (line, col) and message in got[2], got
    assert len(warnings) == len(expected_warnings)
    for ((line, col), message), got in zip(expected_warnings, warnings, strict=True):
        assert got[:2] == (line, col) and message in got[2], got
    assert out.splitlines()[-1] == "1 file checked: 11 errors, 5 warnings."


def test_structure_errors_do_not_hide_the_expressions(workdir, capsys):
    text = edit(MINIMAL, "posture: 70", "posture: 700")
    text = edit(text, PEACE, 'peace: "tension(norland, sudmrak) < 20"')
    messages = [parse(d)[2] for d in refuse(write(workdir, text), capsys)]
    assert messages == [
        "error: 700 is out of range (meters go from 0 to 100)",
        "error: unknown party 'sudmrak' (did you mean 'sudmark'?)",
    ]


def test_a_reader_problem_does_not_hide_the_structure(workdir, capsys):
    text = edit(MINIMAL, "turns: 3", "turns: 3\nturns: 4")
    text = edit(text, "posture: 45", "posture: -1")
    messages = [parse(d)[2] for d in refuse(write(workdir, text), capsys)]
    assert messages == [
        f"error: duplicate key 'turns' (first defined at line {at(text, 'turns: 3')[0]})",
        "error: -1 is out of range (meters go from 0 to 100)",
    ]


def test_a_stand_in_value_raises_no_problem_of_its_own(workdir, capsys):
    # The forgiving reading keeps a stand-in for a wrong value; nothing is reported
    # about the stand-in (here: relations, players and the peace all lean on it).
    text = edit(MINIMAL, "between: [norland, sudmark]", "between: [norland]")
    text = edit(text, "players: {min: 1, max: 1}", "players: {min: 1, max: many}")
    messages = [parse(d)[2] for d in refuse(write(workdir, text), capsys)]
    assert messages == [
        "error: expected a whole number, got text ('many')",
        "error: expected a list of 2, got 1 items",
    ]


def test_a_missing_declaration_list_does_not_flood_the_report(workdir, capsys):
    text = edit(MINIMAL, "relations:\n", "relation:\n")
    messages = [parse(d)[2] for d in refuse(write(workdir, text), capsys)]
    assert messages[0] == "error: missing key 'relations' (add 'relations:')"
    assert not any("no relation between" in m for m in messages)


def test_a_broken_library_still_lets_the_scenario_be_checked(workdir, capsys):
    library = (LIBRARY_DIR / "standard.yaml").read_text(encoding="utf-8")
    write(workdir, library.replace("cost: 2\n", "cost: two\n", 1), "standard.yaml")
    text = edit(MINIMAL, PEACE, 'peace: "tension(norland, sudmrak) < 20"')
    result = load_scenario(write(workdir, text))
    assert result.scenario is None
    assert [(d.file, d.message) for d in result.errors] == [
        ("scenario.yaml", "library 'standard' has errors"),
        ("scenario.yaml", "unknown party 'sudmrak'"),
        ("standard.yaml", "expected a whole number, got text ('two')"),
    ]


# ------------------------------------------------------------ language codes (issue 13)


def translated(text: str, code: str) -> str:
    text = edit(text, "title: Mini crisis", f"title: {{en: Mini crisis, {code}: x}}")
    return edit(text, "notes: A test scenario.", f"notes: {{en: A test., {code}: y}}")


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        ("kh", "did you mean 'km'?"),
        ("kh-KH", "did you mean 'km-KH'?"),
        ("fe", "did you mean 'fr'?"),
        ("qq", ""),
    ],
)
def test_an_unknown_language_gets_one_warning_not_one_per_text(workdir, code, hint):
    text = translated(MINIMAL, code)
    result = load_scenario(write(workdir, text))
    assert result.ok
    (warning,) = result.warnings
    assert warning.message == f"unknown language '{code}'"
    assert (warning.line, warning.col) == at(text, f"{code}: x", code)
    assert hint in warning.hint


@pytest.mark.parametrize("code", ["de", "km", "pt-BR", "fil", "zh-Hant"])
def test_a_real_language_is_not_flagged(workdir, code):
    result = load_scenario(write(workdir, translated(MINIMAL, code)))
    assert result.ok
    assert all("unknown language" not in d.message for d in result.warnings)
    # the usual per-text warning is there: the other texts lack that language
    assert any(f"no '{code}' translation" in d.message for d in result.warnings)


# ----------------------------------------------------- silently accepted mistakes (issue 13)

EVENT = """\
events:
  - id: news
    title: News
    text: Something happens.
    when: "{when}"
"""


def warnings_of(workdir, text: str) -> list[tuple[tuple[int, int], str]]:
    result = load_scenario(write(workdir, text))
    assert result.ok, result.errors
    return [((d.line, d.col), d.message) for d in result.warnings]


def test_a_condition_its_range_settles_is_flagged_in_the_file(workdir):
    text = edit(MINIMAL + EVENT.format(when="turn() > 99"), "turns: 3", "turns: 9")
    assert warnings_of(workdir, text) == [
        (at(text, "turn() > 99"), "turn() goes from 1 to 9, so this is always false")
    ]
    text = MINIMAL + EVENT.format(when="trust(norland, sudmark) >= 0")
    assert warnings_of(workdir, text) == [
        (
            at(text, "trust(norland, sudmark) >= 0"),
            "trust() goes from 0 to 100, so this is always true",
        )
    ]
    text = MINIMAL + EVENT.format(when="turns_left() < 5")
    assert (
        warnings_of(workdir, text)[0][1] == "turns_left() goes from 0 to 2, so this is always true"
    )


def test_a_meter_set_past_its_range_is_flagged(workdir):
    text = MINIMAL + edit(SPY_MOVE, "standing(self, target) += 1", "standing(self, target) = 120")
    assert warnings_of(workdir, text) == [
        (at(text, "120"), "standing() is kept from 0 to 100, so this sets it to 100")
    ]
    text = MINIMAL + edit(SPY_MOVE, "standing(self, target) += 1", "capital(self) -= 50")
    ((_, message),) = warnings_of(workdir, text)
    assert message.startswith("capital() goes from -3 to 8, so a change of 50")


def test_a_joint_move_for_more_envoys_than_play_is_flagged(workdir):
    text = MINIMAL + SPY_MOVE + "    joint: {min_envoys: 9}\n"
    assert warnings_of(workdir, text) == [
        (
            at(text, "min_envoys: 9", "9"),
            "this joint move needs 9 envoys, but at most 1 play this crisis, "
            "so it can never be made",
        )
    ]


def test_a_move_costing_more_than_an_envoy_can_hold_is_flagged(workdir):
    text = MINIMAL + edit(SPY_MOVE, "cost: 1", "cost: 12")
    assert warnings_of(workdir, text) == [
        (
            at(text, "12"),
            "this move costs 12, but an envoy holds at most 8 capital, so it can never be made",
        )
    ]


def test_an_unused_counter_is_flagged_and_a_used_one_is_not(workdir):
    text = (
        MINIMAL
        + "counters: {incidents: 0, spare: 0}\n"
        + EVENT.format(when="counter(incidents) > 2")
    )
    assert warnings_of(workdir, text) == [
        (at(text, "spare"), "counter 'spare' is never used in an expression")
    ]


def test_an_option_that_is_never_offered_is_flagged(workdir):
    decision = """\
    decision:
      envoy: envoy
      prompt: Act?
      options:
        - id: act
          text: Act.
        - id: never
          text: Never offered.
          when: "turn() > 3"
"""
    text = MINIMAL + EVENT.format(when="turn() == 2") + decision
    assert warnings_of(workdir, text) == [
        (at(text, "turn() > 3"), "turn() goes from 1 to 3, so this is always false")
    ]


def test_a_hidden_fact_nothing_reveals_is_flagged(workdir):
    text = edit(
        MINIMAL,
        "    posture: 45\n",
        "    posture: 45\n    facts:\n      - id: secret\n        text: A secret.\n",
    )
    # The standard library's back channel and inspectors reveal a target's next fact.
    assert warnings_of(workdir, text) == []
    alone = text + "disable_moves: [back_channel, inspectors]\n"
    assert warnings_of(workdir, alone) == [
        (at(alone, "id: secret", "secret"), "hidden fact 'secret' is never revealed")
    ]
    named = alone + edit(SPY_MOVE, "standing(self, target) += 1", "reveal(sudmark, secret)")
    assert warnings_of(workdir, named) == []


def test_an_accord_move_without_accords_is_flagged(workdir):
    text = MINIMAL + edit(SPY_MOVE, "target: party", "target: accord").replace(
        "standing(self, target) += 1", "capital(self) += 1"
    )
    assert warnings_of(workdir, text) == [
        (
            at(text, "target: accord", "accord"),
            "this move is aimed at an accord, but the crisis has none",
        )
    ]


def test_the_built_in_crises_raise_none_of_these_warnings():
    for path in builtin_scenarios():
        result = load_scenario(path)
        assert result.ok and not result.warnings, [str(d) for d in result.warnings]


# ---------------------------------------------------- validate FOLDER and ids (issue 13)


def test_validate_a_folder_reports_ids_used_twice_as_the_crisis_list_does(workdir, capsys):
    folder = workdir / "mods"
    (folder / "river").mkdir(parents=True)
    write(folder, MINIMAL, "first.yaml")
    write(folder / "river", MINIMAL, "again.yaml")
    write(folder, edit(MINIMAL, "id: mini", "id: border_incident"), "taken.yaml")
    assert main(["validate", "mods"]) == 0  # warnings, as the list shows them
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "mods/river/again.yaml:2:5: warning: the id 'mini' is already used by first.yaml; "
        "the id keeps naming that one, and this crisis is listed as a mod "
        "(give it an id of its own, such as 'mini_mod')",
        "mods/taken.yaml:2:5: warning: the id 'border_incident' is already used by a built-in "
        "crisis; the id keeps naming that one, and this crisis is listed as a mod "
        "(give it an id of its own, such as 'border_incident_mod')",
        "3 files checked: 0 errors, 2 warnings - ok.",
    ]


def test_validate_the_game_folder_finds_no_clash_of_a_crisis_with_itself(capsys):
    assert main(["validate", str(SCENARIO_DIR)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("0 errors, 0 warnings - ok.")
