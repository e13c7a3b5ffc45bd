"""The modding kit: the starter crisis, the generated reference, the shipped schema,
mod folders, and translations."""

from __future__ import annotations

import json
import pathlib
import re

import jsonschema
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from game.ai.play import agent_seed
from game.ai.policies import make_agent
from game.cli import main
from game.content import docs, mods, starter
from game.content.jsonschema import library_schema, scenario_schema
from game.content.loader import builtin_scenarios, load_scenario
from game.content.schema import Text
from game.engine import expr
from game.engine.rules import apply, legal_actions, new_game
from game.engine.view import player_view
from game.lang import set_display_language
from game.paths import PROJECT_DIR, SCENARIO_DIR

MODELINE = "# yaml-language-server: $schema=scenario.schema.json"
FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def play_out(scenario, seed: int = 1, policy: str = "greedy"):
    """A whole AI game; the final state."""
    state, _ = new_game(scenario, seed)
    agents = {
        scenario.envoys[e].id: make_agent(policy, agent_seed(seed, e)) for e in state.turn_order
    }
    for _ in range(2000):
        if state.is_over:
            break
        envoy_id = scenario.envoys[state.acting].id
        view = player_view(state, envoy_id)
        state, _ = apply(
            state, agents[envoy_id].choose(view, envoy_id, legal_actions(view, envoy_id))
        )
    return state


# ------------------------------------------------------------------ new-scenario


def test_new_scenario_writes_a_starter_that_validates_without_warnings(tmp_path, capsys):
    code, out, err = run(capsys, "new-scenario", "dam_crisis", "--dir", str(tmp_path))
    assert (code, err) == (0, "")
    path = tmp_path / "dam_crisis.yaml"
    assert f"Wrote {path}" in out
    assert path.read_text("utf-8").startswith(MODELINE + "\n")
    assert (tmp_path / "scenario.schema.json").is_file()
    result = load_scenario(path)
    assert result.diagnostics == ()
    assert result.scenario.id == "dam_crisis"
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0 and "0 errors, 0 warnings - ok." in out


def test_the_starter_uses_all_four_families_and_explains_itself(tmp_path):
    path = starter.write_starter("river_talks", tmp_path)
    text = path.read_text("utf-8")
    scenario = load_scenario(path).unwrap()
    assert {f.id for f in scenario.families} == {
        "communication",
        "mediation",
        "cultural",
        "sanctions",
    }
    own = yaml.safe_load(text)
    assert own["moves"][0]["family"] == "cultural"  # it shows how to add a move
    assert "sanctions" in text and "decision" in text
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) >= 25  # each part is explained


@pytest.mark.parametrize("policy", ["random", "greedy"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_starter_plays_to_the_end(tmp_path, policy, seed):
    scenario = load_scenario(starter.write_starter("dam_crisis", tmp_path)).unwrap()
    state = play_out(scenario, seed, policy)
    assert state.is_over and state.outcome in ("peace", "stalemate", "conflict")


def test_new_scenario_defaults_to_the_user_mods_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(mods.MODS_ENV, str(tmp_path / "mods"))
    code, out, _ = run(capsys, "new-scenario", "harbour")
    assert code == 0 and "mods folder" in out
    assert (tmp_path / "mods" / "harbour.yaml").is_file()
    [listed] = [e for e in mods.catalogue(mods.mod_folders()) if e.is_mod]
    assert listed.result.ok and listed.mod == "mods"


def test_new_scenario_never_overwrites(tmp_path, capsys):
    path = tmp_path / "mine.yaml"
    path.write_text("my own work", "utf-8")
    code, out, err = run(capsys, "new-scenario", "mine", "--dir", str(tmp_path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "already exists" in err
    assert path.read_text("utf-8") == "my own work"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Dam-Crisis", "cannot be a crisis id"),
        ("9lives", "cannot be a crisis id"),
        ("all", "cannot be a crisis id"),
        ("x" * 41, "cannot be a crisis id"),
        ("dam.yaml", "without '.yaml'"),
        ("../escape", "cannot be a crisis id"),
    ],
)
def test_new_scenario_refuses_a_bad_name_in_one_line(tmp_path, capsys, name, words):
    code, out, err = run(capsys, "new-scenario", name, "--dir", str(tmp_path))
    assert code == 2 and out == ""
    assert err.startswith("envoy: error: ") and err.count("\n") == 1 and words in err
    assert not any(tmp_path.iterdir())


def test_new_scenario_into_a_file_is_a_usage_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("", "utf-8")
    code, _, err = run(capsys, "new-scenario", "dam", "--dir", str(blocker))
    assert code == 2 and "is a file, not a folder" in err


# ------------------------------------------------------------ generated files


def test_modding_md_matches_the_generator(capsys):
    assert docs.stale_files() == [], "run 'envoy docs --write'"
    code, _, err = run(capsys, "docs", "--check")
    assert (code, err) == (0, "")


def test_the_sync_check_fails_when_a_generated_section_is_edited():
    text = docs.MODDING.read_text("utf-8")
    edited = text.replace("| `tension(party, party)` |", "| `tension(a, b)` |")
    assert edited != text
    assert docs.updated_modding(edited) == text  # the generator puts it back


def test_the_balance_section_is_left_to_the_simulator():
    text = docs.MODDING.read_text("utf-8")
    table = (
        "<!-- balance:begin -->\n| scenario | peace |\n|---|---|\n| x | 1% |\n<!-- balance:end -->"
    )
    filled = re.sub(r"<!-- balance:begin -->.*?<!-- balance:end -->", table, text, flags=re.S)
    assert docs.updated_modding(filled) == filled
    # the table says which command measured it, so a reader can run it again
    assert re.search(r"`envoy simulate --all [^`]*--markdown --write MODDING\.md`", text)


def test_the_reference_names_every_field_move_and_function():
    text = docs.MODDING.read_text("utf-8")
    for cls in docs.FIELD_CLASSES:
        for field in cls.__attrs_attrs__:
            assert f"`{field.name}`" in text or field.name == "after"
    assert "| `in` |" in text  # the YAML name of DelayedDef.after
    for name, fn in expr.FUNCTIONS.items():
        assert f"`{name}(" in text
        assert fn.doc.split(".")[0] in text
    standard = yaml.safe_load((PROJECT_DIR / "game/content/library/standard.yaml").read_text())
    for move in standard["moves"]:
        assert f"#### `{move['id']}`: {move['name']}" in text


def test_docs_prints_the_reference(capsys):
    code, out, _ = run(capsys, "docs")
    assert code == 0 and out.strip() == docs.reference().strip()


def test_docs_write_and_check_are_exclusive(capsys):
    code, _, err = run(capsys, "docs", "--write", "--check")
    assert code == 2 and err.count("\n") == 1


def test_shipped_schemas_match_the_generator():
    shipped = json.loads((SCENARIO_DIR / "scenario.schema.json").read_text("utf-8"))
    assert shipped == scenario_schema()
    library = json.loads((SCENARIO_DIR / "library.schema.json").read_text("utf-8"))
    assert library == library_schema()


# ---------------------------------------------------- built-ins and the schema


@pytest.mark.parametrize("path", builtin_scenarios(), ids=lambda p: p.stem)
def test_every_builtin_scenario_starts_with_the_modeline(path):
    assert path.read_text("utf-8").splitlines()[0] == MODELINE


@pytest.mark.parametrize("path", builtin_scenarios(), ids=lambda p: p.stem)
def test_every_builtin_scenario_validates_against_the_shipped_schema(path):
    schema = json.loads((SCENARIO_DIR / "scenario.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(path.read_text("utf-8")))


def test_the_shipped_schema_rejects_what_the_loader_rejects():
    schema = json.loads((SCENARIO_DIR / "scenario.schema.json").read_text("utf-8"))
    data = yaml.safe_load((SCENARIO_DIR / "tutorial.yaml").read_text("utf-8"))
    data["parties"][0]["colour"] = "#ffffff"  # a typo of 'color'
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert errors and "colour" in errors[0].message


def test_the_standard_library_validates_against_the_library_schema():
    schema = json.loads((SCENARIO_DIR / "library.schema.json").read_text("utf-8"))
    library = yaml.safe_load((PROJECT_DIR / "game/content/library/standard.yaml").read_text())
    jsonschema.Draft202012Validator(schema).validate(library)


# ---------------------------------------------------------------------- mods


def write_mod(folder: pathlib.Path, name: str, text: str) -> pathlib.Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def test_a_mod_reusing_a_builtin_id_is_listed_with_a_warning(tmp_path):
    text = starter.starter_text("tutorial")
    path = write_mod(tmp_path / "copycat", "tutorial.yaml", text)
    listed = mods.catalogue([tmp_path])
    builtin = [e for e in listed if not e.is_mod and e.path.stem == "tutorial"]
    [mod] = [e for e in listed if e.is_mod]
    assert builtin and builtin[0].result.ok and mod.result.ok
    assert mod.mod == "copycat"
    [note] = mod.notes
    assert not note.is_error
    assert "already used by a built-in crisis" in note.message
    id_line = text.splitlines().index(next(ln for ln in text.splitlines() if ln.startswith("id:")))
    assert (note.line, note.col) == (id_line + 1, 5)
    assert mods.find("tutorial", [tmp_path]) == SCENARIO_DIR / "tutorial.yaml"
    assert mods.find(str(path), [tmp_path]) == path


def test_two_mods_with_one_id_warn_on_the_second(tmp_path):
    write_mod(tmp_path / "a", "dam.yaml", starter.starter_text("dam"))
    write_mod(tmp_path / "b", "dam.yaml", starter.starter_text("dam"))
    entries = [e for e in mods.catalogue([tmp_path]) if e.is_mod]
    assert [len(e.notes) for e in entries] == [0, 1]
    assert "a/dam.yaml" in entries[1].notes[0].message


def test_a_mod_can_bring_its_own_move_library(tmp_path):
    folder = tmp_path / "harbour"
    write_mod(
        folder,
        "harbour_moves.yaml",
        """format: 1
library: harbour_moves
moves:
  - id: harbour_tour
    family: cultural
    name: Harbour tour
    text: Sailors show each other round their harbours.
    cost: 1
    target: relation
    success: ["trust(a, b) += 2"]
""",
    )
    text = starter.starter_text("harbour").replace(
        "difficulty: introductory", "includes: [standard, harbour_moves]\ndifficulty: introductory"
    )
    write_mod(folder, "harbour.yaml", text)
    [entry] = [e for e in mods.catalogue([tmp_path]) if e.is_mod]
    assert entry.result.diagnostics == ()
    assert "harbour_tour" in [m.id for m in entry.result.scenario.moves]
    checked = mods.check([tmp_path])
    assert sorted(c.kind for c in checked) == ["library", "scenario"]


def test_the_mod_checker_lists_every_problem_with_its_position(tmp_path):
    broken = starter.starter_text("broken").replace("lowmere", "lowmeer", 1)
    write_mod(tmp_path / "class_mods", "broken.yaml", broken)
    write_mod(tmp_path / "class_mods", "empty.yaml", "format: 1\nid: empty\n")
    report = {pathlib.Path(c.file).name: c for c in mods.check([tmp_path])}
    assert set(report) == {"broken.yaml", "empty.yaml"}
    assert report["broken.yaml"].errors >= 1
    assert all(
        re.match(r".+:\d+:\d+: (error|warning): ", str(d))
        for c in report.values()
        for d in c.diagnostics
    )
    assert any("missing key 'title'" in str(d) for d in report["empty.yaml"].diagnostics)


def test_mods_folders_come_from_the_option_and_the_user_folder(tmp_path, monkeypatch):
    given, user = tmp_path / "given", tmp_path / "user"
    given.mkdir()
    monkeypatch.setenv(mods.MODS_ENV, str(user))
    assert mods.mod_folders([given]) == [given]  # the user folder does not exist yet
    user.mkdir()
    assert mods.mod_folders([given, given]) == [given, user]


def test_demo_and_play_refuse_a_missing_mods_folder(tmp_path, capsys):
    for argv in (["--mods", str(tmp_path / "nope")], ["demo", "--text", "--mods", "nope"]):
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == "" and "no such mods folder" in err


def test_text_demo_plays_a_crisis_from_a_mod_by_id(tmp_path, capsys):
    write_mod(tmp_path / "m", "dam_quarrel.yaml", starter.starter_text("dam_quarrel"))
    code, out, err = run(
        capsys, "demo", "--text", "--mods", str(tmp_path), "--scenario", "dam_quarrel"
    )
    assert (code, err) == (0, "")
    assert "Outcome:" in out


def test_simulate_finds_a_crisis_from_a_mod_by_id(tmp_path, capsys):
    write_mod(tmp_path / "m", "dam_quarrel.yaml", starter.starter_text("dam_quarrel"))
    argv = ("simulate", "dam_quarrel", "--games", "3", "--policy", "random", "--json")
    code, _, err = run(capsys, *argv)
    assert code == 2 and "unknown scenario 'dam_quarrel'" in err  # not without its folder
    code, out, err = run(capsys, "--mods", str(tmp_path), *argv)
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["scenario"] == "dam_quarrel" and report["policies"]["random"]["games"] == 3


def test_an_unknown_id_is_still_a_usage_error_with_mods(tmp_path, capsys):
    code, _, err = run(capsys, "demo", "--text", "--mods", str(tmp_path), "--scenario", "nope")
    assert code == 2 and "unknown scenario 'nope'" in err


# --------------------------------------------------------------- translations


def test_text_is_shown_in_the_chosen_language_else_english():
    text = Text((("en", "Ceasefire"), ("fr", "Cessez-le-feu")))
    try:
        set_display_language("fr")
        assert str(text) == "Cessez-le-feu"
        assert str(Text.of("Border")) == "Border"  # no French: English
        set_display_language("km")
        assert str(text) == "Ceasefire"
    finally:
        set_display_language("en")
    assert str(text) == "Ceasefire"


def test_validate_warns_where_a_translation_is_missing(tmp_path, capsys):
    path = tmp_path / "half.yaml"
    text = starter.starter_text("half").replace(
        'title: "Half"',
        "title:\n  en: Half\n  km: \u1796\u17b6\u1780\u17cb\u1780\u178e\u17d2\u178a\u17b6\u179b",
    )
    path.write_text(text, "utf-8")
    result = load_scenario(path)
    assert result.ok and result.errors == ()
    lines = text.splitlines()
    summary_line = next(i for i, ln in enumerate(lines) if ln.startswith("summary:")) + 1
    warned = {(w.line, w.message) for w in result.warnings}
    assert any(line == summary_line and "no 'km' translation" in m for line, m in warned)
    assert all("km" in w.message for w in result.warnings)
    title_line = next(i for i, ln in enumerate(lines) if ln.startswith("title:")) + 1
    assert all(w.line != title_line for w in result.warnings)  # the translated one is fine
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0 and re.search(r"half\.yaml:\d+:\d+: warning: this text has no 'km'", out)


def test_the_khmer_fixture_is_fully_translated():
    result = load_scenario(FIXTURES / "khmer_quarrel.yaml")
    assert result.diagnostics == ()
    briefing = result.scenario.briefing
    assert set(briefing.languages()) == {"en", "km"}


def test_every_shipped_scenario_validates_without_warnings():
    for path in builtin_scenarios():
        assert load_scenario(path).diagnostics == (), path.name


def test_help_lists_the_modding_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "new-scenario" in out and "docs" in out and "--mods" in out
    for command in ("new-scenario", "docs"):
        with pytest.raises(SystemExit) as leaving:
            main([command, "--help"])
        assert leaving.value.code == 0
        assert capsys.readouterr().out.startswith(f"usage: envoy {command}")


def test_docs_write_rewrites_stale_files_and_check_finds_them(tmp_path, monkeypatch, capsys):
    modding = tmp_path / "MODDING.md"
    text = docs.MODDING.read_text("utf-8")
    stale = re.sub(
        r"(<!-- generated:functions:begin -->\n).*?(<!-- generated:functions:end -->)",
        r"\1\2",
        text,
        flags=re.S,
    )
    modding.write_text(stale, "utf-8")
    schema_path = tmp_path / "scenario.schema.json"
    monkeypatch.setattr(docs, "MODDING", modding)
    monkeypatch.setattr(docs, "SCHEMA_FILES", {schema_path: scenario_schema})
    code, _, err = run(capsys, "docs", "--check")
    assert code == 1 and "MODDING.md is out of date" in err and "scenario.schema.json" in err
    code, out, _ = run(capsys, "docs", "--write")
    assert code == 0 and out.count("updated ") == 2
    assert modding.read_text("utf-8") == text
    assert json.loads(schema_path.read_text("utf-8")) == scenario_schema()
    assert run(capsys, "docs", "--check")[0] == 0


def test_a_crisis_in_the_user_mods_folder_is_found_by_id(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(mods.MODS_ENV, str(tmp_path))
    starter.write_starter("my_own", tmp_path)
    code, out, err = run(capsys, "simulate", "my_own", "--games", "3", "--json")
    assert (code, err) == (0, "")
    assert "my_own" in out


@given(
    st.dictionaries(
        st.sampled_from(["fr", "es", "km", "de"]), st.text(min_size=1, max_size=8), max_size=4
    ),
    st.sampled_from(["en", "fr", "es", "km", "de", "ja"]),
)
def test_text_is_its_translation_or_english(translations, lang):
    text = Text((("en", "English"), *translations.items()))
    assert text.get(lang) == translations.get(lang, "English")


def test_the_language_changes_words_never_the_game():
    from game.engine.state import state_hash

    scenario = load_scenario(FIXTURES / "khmer_quarrel.yaml").unwrap()
    english = play_out(scenario, seed=5)
    try:
        set_display_language("km")
        khmer = play_out(scenario, seed=5)
    finally:
        set_display_language("en")
    assert state_hash(english) == state_hash(khmer)
