"""The debrief, the debrief pack and the saves name a crisis from its mods folder (or
the game's folder), never by an absolute path of the teacher's computer."""

from __future__ import annotations

import json
import pathlib

from pygame_gui.elements import UITextBox
from uidrive import make_app, pump

from game.ai.agents import RandomAgent
from game.content import mods, starter
from game.paths import portable_name
from game.session.match import HUMAN, Match, Seat, Source
from game.session.report import log_document, report_html
from game.session.saves import load_match, save_match, to_document
from game.ui.scenes.debrief import DebriefScene


def finish(match: Match, seed: int) -> None:
    agent = RandomAgent(seed)
    while not match.over:
        envoy = match.acting_id
        match.apply(agent.choose(match.view(envoy), envoy, match.legal(envoy)))


def mod_match(folder: pathlib.Path) -> Match:
    """The starter crisis from a mod, played to its end."""
    starter.write_starter("dam_crisis", folder / "river_pack")
    [entry] = [e for e in mods.catalogue([folder]) if e.is_mod]
    scenario = entry.result.unwrap()
    seats = [Seat(envoy.id, HUMAN, name=f"Team {n}") for n, envoy in enumerate(scenario.envoys)]
    match = Match.start(scenario, Source.of(entry.result), 5, seats)
    finish(match, 5)
    return match


def test_the_debrief_names_the_crisis_from_its_mods_folder(tmp_path):
    folder = tmp_path / "teacher" / "mods"
    match = mod_match(folder)
    app = make_app(tmp_path / "saves")
    app.mods = [folder]
    app.push(DebriefScene(app, match))
    pump(app, 2)
    [box] = [e for e in app.ui.get_sprite_group().sprites() if isinstance(e, UITextBox)]
    assert "river_pack/dam_crisis.yaml:" in box.html_text  # each turning point's why
    assert str(tmp_path) not in box.html_text


def test_the_pack_and_the_save_hold_no_absolute_path(tmp_path):
    folder = tmp_path / "teacher" / "mods"
    match = mod_match(folder)
    save = save_match(match, tmp_path / "class.envoy.json")
    document = to_document(match)
    assert document["scenario"]["file"] == "river_pack/dam_crisis.yaml"
    assert [lib["file"] for lib in document["scenario"]["libraries"]] == [
        "game/content/library/standard.yaml"
    ]
    for text in (save.read_text("utf-8"), report_html(match), json.dumps(log_document(match))):
        assert str(tmp_path) not in text
        assert "river_pack/dam_crisis.yaml" in text


def test_an_old_save_with_absolute_paths_shows_only_the_file_names(tmp_path):
    match = mod_match(tmp_path / "mods")
    document = to_document(match)
    document["scenario"]["file"] = "/home/teacher/.local/share/envoy/mods/dam_crisis.yaml"
    document["scenario"]["libraries"][0]["file"] = "C:\\Users\\teacher\\envoy\\standard.yaml"
    save = tmp_path / "old.envoy.json"
    save.write_text(json.dumps(document), "utf-8")
    loaded = load_match(save)
    assert loaded.source.file == "dam_crisis.yaml"
    text = report_html(loaded) + json.dumps(log_document(loaded))
    assert "teacher" not in text and "dam_crisis.yaml:" in text


def test_portable_names_on_every_system():
    assert portable_name("river_pack/dam.yaml") == "river_pack/dam.yaml"
    assert portable_name("scenarios/tutorial.yaml") == "scenarios/tutorial.yaml"
    assert portable_name("/home/teacher/mods/dam.yaml") == "dam.yaml"
    assert portable_name("C:\\Users\\teacher\\dam.yaml") == "dam.yaml"
    assert portable_name("\\\\school\\share\\dam.yaml") == "dam.yaml"
    assert portable_name("../../home/teacher/dam.yaml") == "dam.yaml"
