"""The hardened YAML reader: normal files parse, hostile ones fail cleanly and fast."""

from __future__ import annotations

import contextlib
import os
import re
from unittest import mock

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from game.content.diagnostics import ContentError, Diagnostic
from game.content.yamlsafe import (
    _MAX_PROBLEMS as MAX_PROBLEMS,
)
from game.content.yamlsafe import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_VALUES,
    read_yaml,
    read_yaml_file,
    unshowable,
)


def read(text: str) -> object:
    value, _marks = read_yaml(text.encode(), "s.yaml")
    return value


# Most parser events a refusal may pull: one start and one end per value, the
# stream and document events, and the lookahead of the value that broke a limit.
MAX_EVENTS = 2 * (MAX_VALUES + 1) + 6


def refuse(data: bytes | str) -> Diagnostic:
    """The first problem read_yaml reports. A refusal is bounded work: the reader
    stops pulling parser events within the value cap, and the report is capped."""
    if isinstance(data, str):
        data = data.encode()
    pulled = 0
    real_parse = yaml.parse

    def counting_parse(*args, **kwargs):
        nonlocal pulled
        for event in real_parse(*args, **kwargs):
            pulled += 1
            yield event

    with mock.patch.object(yaml, "parse", counting_parse), pytest.raises(ContentError) as caught:
        read_yaml(data, "s.yaml")
    assert pulled <= MAX_EVENTS
    assert 1 <= len(caught.value.diagnostics) <= MAX_PROBLEMS
    return caught.value.diagnostics[0]


def where(problem: Diagnostic) -> tuple[int, int]:
    return problem.line, problem.col


# --- normal parsing ---------------------------------------------------------


def test_nested_structures_become_plain_values():
    text = """\
name: Border crisis
parties:
  - id: sudmark
    trust: 40
    allies: [nordland, 'west march']
  - id: nordland
    trust: 55.5
    notes: {hawkish: true, leader: null}
"""
    assert read(text) == {
        "name": "Border crisis",
        "parties": [
            {"id": "sudmark", "trust": 40, "allies": ["nordland", "west march"]},
            {"id": "nordland", "trust": 55.5, "notes": {"hawkish": True, "leader": None}},
        ],
    }


def test_marks_record_where_values_and_keys_were_written():
    text = "name: Crisis\nparties:\n  - id: sudmark\n    trust: 40\n"
    _value, marks = read_yaml(text.encode(), "s.yaml")
    assert marks.file == "s.yaml"
    assert marks.at(()) == (1, 1)
    assert marks.at(("name",)) == (1, 7)
    assert marks.key_at(("name",)) == (1, 1)
    assert marks.at(("parties",)) == (3, 3)
    assert marks.at(("parties", 0)) == (3, 5)
    assert marks.key_at(("parties", 0, "trust")) == (4, 5)
    assert marks.at(("parties", 0, "trust")) == (4, 12)


def test_marks_fall_back_to_the_nearest_ancestor():
    _value, marks = read_yaml(b"a:\n  b: 1\n", "s.yaml")
    assert marks.at(("a", "b", "missing", 3)) == (2, 6)
    assert marks.key_at(("a", "missing")) == marks.at(("a",)) == (2, 3)
    assert marks.at(("nothing",)) == (1, 1)
    assert marks.key_at(()) == (1, 1)


def test_marks_record_scalar_styles():
    text = "plain: a\nsingle: 'b'\ndouble: \"c\"\nliteral: |\n  d\nfolded: >\n  e\n"
    _value, marks = read_yaml(text.encode(), "s.yaml")
    assert marks.styles == {
        ("plain",): None,
        ("single",): "'",
        ("double",): '"',
        ("literal",): "|",
        ("folded",): ">",
    }


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("true", True),
        ("false", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("42", 42),
        ("-12", -12),
        ("+3", 3),
        ("0", 0),
        ("0.5", 0.5),
        ("-1.25", -1.25),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("2.5E-1", 0.25),
        # YAML 1.1 would turn all of these into booleans, numbers, dates or null.
        ("NO", "NO"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("Norway", "Norway"),
        ("True", "True"),
        ("FALSE", "FALSE"),
        ("Null", "Null"),
        ("0x1F", "0x1F"),
        ("0o17", "0o17"),
        ("1_000", "1_000"),
        ("007", "007"),
        (".inf", ".inf"),
        ("-.inf", "-.inf"),
        (".nan", ".nan"),
        ("2001-12-14", "2001-12-14"),
        ("12:30", "12:30"),
        ("١٢", "١٢"),  # non-ASCII digits are text
    ],
)
def test_plain_scalars_resolve_by_our_own_strict_table(written, value):
    result = read(f"v: {written}\n")["v"]
    assert result == value
    assert type(result) is type(value)


@pytest.mark.parametrize("text", ["v: 'true'", 'v: "42"', "v: '~'", "v: |\n  null\n"])
def test_quoted_and_block_scalars_are_always_strings(text):
    assert isinstance(read(text)["v"], str)


def test_keys_are_strings_exactly_as_written():
    assert read("NO: a\n1: b\ntrue: c\n1.5: d\n'quoted': e\n") == {
        "NO": "a",
        "1": "b",
        "true": "c",
        "1.5": "d",
        "quoted": "e",
    }


def test_merge_key_is_an_ordinary_key():
    assert read("<<: {a: 1}\nb: 2\n") == {"<<": {"a": 1}, "b": 2}


def test_a_utf8_byte_order_mark_is_accepted_and_stripped():
    value, marks = read_yaml(b"\xef\xbb\xbfname: caf\xc3\xa9\n", "s.yaml")
    assert value == {"name": "café"}
    assert marks.key_at(("name",)) == (1, 1)


def test_an_explicit_empty_document_is_null():
    assert read("---\n") is None


def test_exactly_max_depth_levels_of_nesting_are_allowed():
    assert read("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None


# --- hostile and broken input -------------------------------------------------


@pytest.mark.parametrize(
    "data", [b"", b"  \n\n", b"# only a comment\n  # another\n", b"\xef\xbb\xbf"]
)
def test_empty_file_is_refused(data):
    problem = refuse(data)
    assert problem.message == "the file is empty"
    assert where(problem) == (1, 1)


def test_file_over_the_size_limit_is_refused_without_decoding_it():
    problem = refuse(b"\xff" * (MAX_BYTES + 1))  # not UTF-8, so decoding would fail first
    assert problem.message == f"the file is {MAX_BYTES + 1} bytes, over the limit of {MAX_BYTES}"
    assert where(problem) == (1, 1)


def test_binary_file_is_refused_at_its_first_nul_byte():
    problem = refuse(b"name: x\nab\x00\x01\x02")
    assert problem.message == "this is a binary file, not YAML"
    assert where(problem) == (2, 3)


def test_invalid_utf8_points_at_the_first_bad_byte():
    problem = refuse(b"name: ok\ntitle: caf\xe9\n")
    assert problem.message == "the file is not valid UTF-8"
    assert problem.hint == "save it as UTF-8"
    assert where(problem) == (2, 11)


def test_invalid_utf8_columns_count_characters_not_bytes():
    problem = refuse("é: ".encode() + b"\xff")
    assert where(problem) == (1, 4)


def test_control_characters_are_refused():
    problem = refuse("a: 1\nb: x\x07y\n")
    assert problem.message == "the file contains the character U+0007, which YAML forbids"
    assert where(problem) == (2, 5)


def test_syntax_error_reports_pyyaml_problem_at_its_position():
    problem = refuse("a: [1, 2\nb: 3\n")
    assert problem.message == "expected ',' or ']', but got ':'"
    assert where(problem) == (2, 2)
    assert problem.hint == "while parsing a flow sequence that starts at line 1"


def test_unquoted_colon_in_a_value_gets_a_quoting_hint():
    problem = refuse("title: Crisis: the sequel\n")
    assert problem.message == "mapping values are not allowed here"
    assert where(problem) == (1, 14)
    assert problem.hint == "put quotes around a value that contains ': '"


@pytest.mark.parametrize(
    ("text", "position"),
    [("parties:\n\t- sudmark\n", (2, 1)), ("a:\n  b: 1\n \tc: 2\n", (3, 2))],
)
def test_tab_indentation_gets_a_hint(text, position):
    problem = refuse(text)
    assert problem.message == "found character '\\t' that cannot start any token"
    assert problem.hint == "indent with spaces, not tabs"
    assert where(problem) == position


def test_one_level_too_deep_is_refused():
    problem = refuse("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert problem.message == "nesting is deeper than 64 levels"
    assert where(problem) == (1, MAX_DEPTH + 1)


def test_twenty_thousand_nested_lists_give_a_depth_error_quickly():
    problem = refuse("[" * 20_000)
    assert problem.message == "nesting is deeper than 64 levels"
    assert where(problem) == (1, 65)


def test_twenty_thousand_nested_mappings_give_a_depth_error_quickly():
    problem = refuse("{a: " * 20_000)
    assert problem.message == "nesting is deeper than 64 levels"
    assert where(problem) == (1, 4 * 64 + 1)


def test_deep_block_nesting_gives_a_depth_error():
    text = "".join(" " * (2 * level) + "k:\n" for level in range(100))
    problem = refuse(text)
    assert problem.message == "nesting is deeper than 64 levels"
    assert where(problem) == (65, 2 * 64 + 1)  # the 65th mapping opens on line 65


def test_anchors_and_aliases_are_refused():
    problem = refuse("base: &b {trust: 10}\nother: *b\n")
    assert problem.message == "anchors and aliases are not allowed"
    assert problem.hint == "write the value out in full"
    assert where(problem) == (1, 7)


def test_an_alias_alone_is_refused():
    problem = refuse("a: 1\nb: *nowhere\n")
    assert problem.message == "anchors and aliases are not allowed"
    assert where(problem) == (2, 4)


def test_billion_laughs_is_refused_quickly():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name, previous in zip("bcdefghi", "abcdefgh", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    problem = refuse("\n".join(lines))
    assert problem.message == "anchors and aliases are not allowed"
    assert where(problem) == (1, 4)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a: !foo 1\n", "'!foo'"),
        ("a: !!str 1\n", "'!!str'"),
        ("a: !!binary aGVsbG8=\n", "'!!binary'"),
        ("a: ! 1\n", "'!'"),
        (
            "a: !!python/object/apply:os.system ['echo hacked']\n",
            "'!!python/object/apply:os.system'",
        ),
    ],
)
def test_tags_are_refused_and_never_constructed(text, shown):
    problem = refuse(text)
    assert problem.message == f"tags are not allowed: {shown}"
    assert where(problem) == (1, 4)


def test_duplicate_key_points_at_the_second_key():
    problem = refuse("parties:\n  trust: 1\n  name: x\n  trust: 2\n")
    assert problem.message == "duplicate key 'trust'"
    assert problem.hint == "first defined at line 2"
    assert where(problem) == (4, 3)
    assert str(problem) == "s.yaml:4:3: error: duplicate key 'trust' (first defined at line 2)"


def test_keys_differing_only_in_quoting_are_duplicates():
    assert refuse("1: a\n'1': b\n").message == "duplicate key '1'"


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("[a, b]: 1\n", "a key must be a name, not a list", (1, 1)),
        ("? {a: 1}\n: 2\n", "a key must be a name, not a mapping", (1, 3)),
        ("null: 1\n", "a key cannot be empty or null", (1, 1)),
        ("~: 1\n", "a key cannot be empty or null", (1, 1)),
        ("'': 1\n", "a key cannot be empty or null", (1, 1)),
        ("a: 1\n? \n: 2\n", "a key cannot be empty or null", (2, 2)),
    ],
)
def test_keys_must_be_names(text, message, position):
    problem = refuse(text)
    assert problem.message == message
    assert where(problem) == position


def test_second_document_is_refused():
    problem = refuse("a: 1\n---\nb: 2\n")
    assert problem.message == "only one YAML document is allowed"
    assert where(problem) == (2, 1)


@pytest.mark.parametrize("written", ["1" * 5000, "1e999", "-1e999"])
def test_numbers_too_large_to_hold_are_refused(written):
    problem = refuse(f"a: 1\nb: {written}\n")
    assert re.fullmatch(r"the number '.*' is too large", problem.message)
    assert where(problem) == (2, 4)


def test_several_problems_are_reported_together():
    with pytest.raises(ContentError) as caught:
        read_yaml(b"a: 1\na: 2\nb: !!str x\nc: &x 3\n", "s.yaml")
    assert [(d.line, d.message) for d in caught.value.diagnostics] == [
        (2, "duplicate key 'a'"),
        (3, "tags are not allowed: '!!str'"),
        (4, "anchors and aliases are not allowed"),
    ]


def test_problems_before_a_syntax_error_are_kept():
    with pytest.raises(ContentError) as caught:
        read_yaml(b"a: 1\na: 2\nb: [\n", "s.yaml")
    assert [d.line for d in caught.value.diagnostics] == [2, 4]


# --- reading files ------------------------------------------------------------


def test_read_yaml_file_reads_and_names_the_file(tmp_path):
    path = tmp_path / "crisis.yaml"
    path.write_bytes(b"a: 1\n")
    assert read_yaml_file(path)[0] == {"a": 1}
    _value, marks = read_yaml_file(path, "scenarios/crisis.yaml")
    assert marks.file == "scenarios/crisis.yaml"


def test_read_yaml_file_reports_problems_with_the_display_name(tmp_path):
    path = tmp_path / "crisis.yaml"
    path.write_bytes(b"a: 1\na: 2\n")
    with pytest.raises(ContentError) as caught:
        read_yaml_file(path, "scenarios/crisis.yaml")
    assert str(caught.value).startswith("scenarios/crisis.yaml:2:1: error: duplicate key 'a'")


def test_a_missing_file_is_a_content_error(tmp_path):
    with pytest.raises(ContentError) as caught:
        read_yaml_file(tmp_path / "nope.yaml", "nope.yaml")
    (problem,) = caught.value.diagnostics
    assert problem.message.startswith("cannot read the file")
    assert where(problem) == (1, 1)


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(ContentError) as caught:
        read_yaml_file(tmp_path, "dir")
    assert caught.value.diagnostics[0].message == "cannot read the file: it is a folder, not a file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_blocking(tmp_path):
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    with pytest.raises(ContentError) as caught:
        read_yaml_file(path, "pipe.yaml")
    message = caught.value.diagnostics[0].message
    assert message == "cannot read the file: it is a FIFO (a named pipe), not a file"


def test_an_oversized_file_is_refused_from_its_size_alone(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.truncate(MAX_BYTES * 10)  # sparse: cheap to make, slow to read
    with pytest.raises(ContentError) as caught:
        read_yaml_file(path, "huge.yaml")
    # The size in the message is the file's own, not what a read would have reached.
    message = caught.value.diagnostics[0].message
    assert message == f"the file is {MAX_BYTES * 10} bytes, over the limit of {MAX_BYTES}"


# --- properties -------------------------------------------------------------

YAML_PIECES = st.sampled_from(
    [
        *["[", "]", "{", "}", ":", ": ", ",", "-", "- ", "?", "&a", "*a", "!t", "|", ">"],
        *["'", '"', "#", "\n", " ", "  ", "\t", "a", "1", "true", "null", "---", "...", "é"],
        "%YAML 1.1",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_either_parse_or_raise_content_error(data):
    with contextlib.suppress(ContentError):  # anything else fails the test
        read_yaml(data, "fuzz.yaml")


@settings(max_examples=200, deadline=None)
@given(st.lists(YAML_PIECES, max_size=40).map("".join))
def test_yaml_like_text_either_parses_or_raises_content_error(text):
    with contextlib.suppress(ContentError):  # anything else fails the test
        read_yaml(text.encode(), "fuzz.yaml")


# PyYAML's dumper quotes what YAML 1.1 would not read as a string, and YAML 1.1
# reads some number spellings (1e3, +.5) as strings where we read numbers, so the
# dumper leaves them plain. Keep number-like strings out of the round trip. NEL
# (U+0085) is left out too: PyYAML itself does not read back what it dumps for it;
# and so is what the reader refuses by design (control characters and the like).
NUMBER_LIKE = re.compile(r"[-+]?[0-9.]*(?:[eE][-+]?[0-9]*)?")
characters = st.characters(exclude_characters="\x85")
texts = st.text(characters, max_size=20).filter(
    lambda s: not NUMBER_LIKE.fullmatch(s) and unshowable(s) is None
)
keys = texts.filter(bool)  # empty keys are refused by design
scalars = st.none() | st.booleans() | st.integers() | texts
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_values_dumped_by_pyyaml_read_back_equal(value):
    dumped = yaml.safe_dump(value, sort_keys=True, allow_unicode=True)
    assert read_yaml(dumped.encode(), "round.yaml")[0] == value


# --- text the game cannot show ------------------------------------------------

SAFE_TEXT = st.text(
    st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"), exclude_characters='"\\'),
    max_size=30,
).filter(lambda s: unshowable(s) is None)
REFUSED = st.sampled_from(
    [
        *["\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9b"],
        *["\ud800", "\udbff", "\udc00", "\udfff"],
        *["\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"],
        *["\u2028", "\u2029", "\u202a", "\u202e", "\u2066", "\u2069"],
    ]
)


@settings(max_examples=150, deadline=None)
@given(SAFE_TEXT, REFUSED, SAFE_TEXT, st.sampled_from(["key", "value", "item"]))
def test_a_refused_character_is_found_at_its_column_wherever_it_is(before, char, after, place):
    escape = f"\\U{ord(char):08X}"
    quoted = f'"{before}{escape}{after}"'
    text = {"key": f"{quoted}: 1\n", "value": f"title: {quoted}\n", "item": f"- {quoted}\n"}[place]
    problem = refuse(text)
    assert problem.message.startswith(f"this text holds U+{ord(char):04X} (")
    assert where(problem) == (1, text.index(escape) + 1)
    assert problem.message.isprintable()


@settings(max_examples=150, deadline=None)
@given(SAFE_TEXT)
def test_text_without_such_characters_is_kept_as_written(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    assert read(f'title: "{escaped}"\n') == {"title": text}
