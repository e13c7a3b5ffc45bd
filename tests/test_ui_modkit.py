"""The modding kit in the game: mods in the browser, the mod checker, F5 at set-up,
the language setting, and Khmer text shaped and drawn. Screenshots go to
test-artifacts/modkit/ to be looked at."""

from __future__ import annotations

import itertools
import pathlib

import pygame
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pygame_gui.elements import UILabel, UITextBox
from uidrive import ARTIFACTS, click_button, make_app, press, pump, run_demo, scene_name, shoot

from game.content import loader, starter
from game.lang import set_display_language
from game.session.match import HUMAN, Match, Seat, Source
from game.ui.scenes.setup import BriefingScene
from game.ui.scenes.title import TitleScene
from game.ui.style import KHMER_FONTS, Style, script_runs

FOLDER = ARTIFACTS / "modkit"
FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"
SIZES = [(1280, 720), (1920, 1080)]
KHMER = "ខ្មែរ"  # "Khmer": a stacked consonant (្ម) and a vowel written before it (ែ)


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVOY_CONFIG_DIR", str(tmp_path / "config"))
    yield
    set_display_language("en")


def make_mods(root: pathlib.Path) -> pathlib.Path:
    """A mods folder: a good crisis, a broken one, and one reusing a built-in id."""
    good = root / "river_pack"
    good.mkdir(parents=True)
    starter.write_starter("dam_crisis", good)
    broken = starter.starter_text("broken_dam")
    broken = broken.replace("posture: 65", "posture: hawkish")
    broken = broken.replace("tension: 45", "tension: 450")
    (good / "broken_dam.yaml").write_text(broken, "utf-8")
    copycat = root / "copycat"
    copycat.mkdir()
    (copycat / "tutorial.yaml").write_text(starter.starter_text("tutorial"), "utf-8")
    return root


def labels(app) -> list[str]:
    return [e.text for e in app.ui.get_sprite_group().sprites() if isinstance(e, UILabel)]


def open_browser(app) -> None:
    app.push(TitleScene(app))
    pump(app, 2)
    press(app, pygame.K_n)
    assert scene_name(app) == "scenarios"


def select(app, words: str) -> None:
    browser = app.scene
    for _ in range(len(browser.entries)):
        if words in browser.details.html_text:
            return
        press(app, pygame.K_DOWN)
    raise AssertionError(f"no crisis showing {words!r}")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_browser_marks_mods_and_the_checker_lists_every_problem(tmp_path, size):
    app = make_app(tmp_path / "saves", size)
    app.mods = [make_mods(tmp_path / "mods")]
    open_browser(app)
    browser = app.scene
    rows = browser.list.item_list
    mod_rows = [r for r in rows if r["text"].startswith("MOD · ")]
    assert len(mod_rows) == 3
    assert all(r["object_id"] == "#mod_item" for r in mod_rows)
    assert not any(r["text"].startswith("MOD") for r in rows[:2])  # the built-in ones
    select(app, "from the mod 'copycat'")
    assert "already used by a built-in crisis" in browser.details.html_text
    shoot(app, FOLDER, f"browser-mods-{size[0]}x{size[1]}")
    select(app, "from the mod 'river_pack'")
    shoot(app, FOLDER, f"browser-mod-{size[0]}x{size[1]}")

    press(app, pygame.K_m)
    assert scene_name(app) == "mod-checker"
    text = app.scene.box.html_text
    assert "river_pack/broken_dam.yaml:55:14: error: expected a whole number" in text
    assert "expected a whole number" in text and "450 is out of range" in text
    assert "tutorial.yaml" in text and "already used by a built-in crisis" in text
    assert text.count(": error: ") >= 2 and ": warning: " in text
    for line in (ln for ln in text.split("<br>") if ": error: " in ln):
        assert pathlib.Path(line.split(">", 1)[1].split(":")[0]).name.endswith(".yaml")
    pump(app, 2)
    shoot(app, FOLDER, f"mod-checker-{size[0]}x{size[1]}")
    press(app, pygame.K_ESCAPE)
    assert scene_name(app) == "scenarios"
    click_button(app, "Check mods")
    assert scene_name(app) == "mod-checker"


def test_links_in_the_mods_folder_never_stop_new_game_or_the_checker(tmp_path):
    import os

    root = make_mods(tmp_path / "mods")
    elsewhere = tmp_path / "elsewhere"
    starter.write_starter("linked_dam", elsewhere)
    (root / "linked.yaml").symlink_to(elsewhere / "linked_dam.yaml")
    (root / "loop.yaml").symlink_to(root / "loop.yaml")
    (root / "gone.yaml").symlink_to(root / "nowhere.yaml")
    (root / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(root / "pipe.yaml")
    app = make_app(tmp_path / "saves")
    app.mods = [root]
    open_browser(app)
    select(app, "Linked dam")
    press(app, pygame.K_m)
    assert scene_name(app) == "mod-checker"
    text = app.scene.box.html_text
    for name in ("loop.yaml", "gone.yaml", "zero.yaml", "pipe.yaml"):
        assert f"{name}:1:1: warning: not read: " in text
    assert "linked.yaml</b>" in text
    shoot(app, FOLDER, "mod-checker-links")


def test_the_checker_explains_where_mods_go_when_there_are_none(tmp_path):
    app = make_app(tmp_path / "saves")
    open_browser(app)
    press(app, pygame.K_m)
    assert "There are no mods yet" in app.scene.box.html_text
    shoot(app, FOLDER, "mod-checker-empty")


def test_f5_at_setup_reads_the_edited_crisis_and_shows_new_errors(tmp_path):
    mods_dir = tmp_path / "mods"
    path = starter.write_starter("dam_crisis", mods_dir / "mine")
    app = make_app(tmp_path / "saves")
    app.mods = [mods_dir]
    open_browser(app)
    select(app, "Dam crisis")
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "setup"
    assert "Set up: Dam crisis" in labels(app)
    assert any("F5 read again" in text for text in labels(app))

    original = path.read_text("utf-8")
    edited = original.replace('title: "Dam crisis"', 'title: "The Silver River"')
    edited = edited.replace("name: Envoy of the River Council", "name: Envoy of the Delta")
    path.write_text(edited, "utf-8")
    press(app, pygame.K_F5)
    assert scene_name(app) == "setup"
    assert app.scene.scenario.title.get() == "The Silver River"
    assert "Set up: The Silver River" in labels(app)
    assert "Envoy of the Delta" in labels(app)
    assert any(text.startswith("Read dam_crisis.yaml again") for text in labels(app))
    shoot(app, FOLDER, "setup-after-f5")

    path.write_text(edited.replace("posture: 65", "posture: hawkish"), "utf-8")
    press(app, pygame.K_F5)
    assert scene_name(app) == "mod-checker"
    assert "expected a whole number" in app.scene.box.html_text
    assert ":" in app.scene.box.html_text.split("expected a whole number")[0]
    shoot(app, FOLDER, "setup-f5-errors")
    press(app, pygame.K_ESCAPE)
    assert scene_name(app) == "setup"
    assert app.scene.scenario.title.get() == "The Silver River"  # the last good version
    assert any("the last good version stays" in text for text in labels(app))

    path.write_text(edited, "utf-8")
    press(app, pygame.K_F5)
    press(app, pygame.K_ESCAPE)
    assert scene_name(app) == "scenarios"
    assert "The Silver River" in app.scene.details.html_text  # the browser has it too


def test_f5_in_the_browser_finds_a_new_mod(tmp_path):
    mods_dir = tmp_path / "mods"
    mods_dir.mkdir()
    app = make_app(tmp_path / "saves")
    app.mods = [mods_dir]
    open_browser(app)
    count = len(app.scene.entries)
    starter.write_starter("late_arrival", mods_dir)
    press(app, pygame.K_F5)
    assert len(app.scene.entries) == count + 1
    assert any(r["text"] == "MOD · Late arrival" for r in app.scene.list.item_list)


def test_the_language_setting_is_chosen_in_settings(tmp_path):
    app = make_app(tmp_path / "saves")
    app.push(TitleScene(app))
    pump(app, 2)
    press(app, pygame.K_s)
    assert scene_name(app) == "settings"
    assert "Scenario language" in labels(app)
    settings = app.scene
    settings.row = settings.keys.index("language") - 1
    press(app, pygame.K_DOWN)
    while settings._value("language") != "Khmer":
        press(app, pygame.K_RIGHT)
    shoot(app, FOLDER, "settings-language")
    click_button(app, "Apply")
    assert app.settings.language == "km"
    result = loader.load_scenario(FIXTURES / "khmer_quarrel.yaml")
    assert str(result.scenario.title) == "ជម្លោះនេសាទ"


# ------------------------------------------------------------------- Khmer


def test_script_runs_split_khmer_from_latin():
    assert script_runs("Envoy: ខ្មែរ ភាសា!") == [
        ("Envoy: ", False),
        ("ខ្មែរ ភាសា", True),
        ("!", False),
    ]


def test_khmer_is_shaped_when_drawn(tmp_path):
    """Shaped for the Khmer script, the word differs from the same glyphs laid out
    one after the other: the vowel sign moves before the consonants, the second
    consonant stacks under the first."""
    pygame.init()
    font = pygame.font.Font(str(KHMER_FONTS[False]), 64)
    unshaped = font.render(KHMER, True, "white", "black")  # the default, Latin, shaping
    style = Style("standard", 1.0)
    shaped = style.font(64, khmer=True).render(KHMER, True, "white", "black")
    assert shaped.get_size() != unshaped.get_size() or (
        pygame.image.tobytes(shaped, "RGB") != pygame.image.tobytes(unshaped, "RGB")
    )
    assert shaped.get_width() < unshaped.get_width()  # the stacked form is narrower
    mixed = style.text(f"Khmer: {KHMER}", 40, "text")
    sheet = pygame.Surface((700, 300))
    sheet.fill("black")
    sheet.blit(style.text("shaped (Khmr):", 20, "text"), (10, 10))
    sheet.blit(shaped, (10, 40))
    sheet.blit(style.text("unshaped (Latn):", 20, "text"), (360, 10))
    sheet.blit(unshaped, (360, 40))
    sheet.blit(mixed, (10, 180))
    FOLDER.mkdir(parents=True, exist_ok=True)
    pygame.image.save(sheet, str(FOLDER / "khmer-shaping.png"))
    latin_only = style.text("Khmer: ", 40, "text")
    assert mixed.get_width() > latin_only.get_width() + 40  # the Khmer run is drawn too


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_khmer_briefing_is_set_in_the_khmer_font(tmp_path, size):
    app = make_app(tmp_path / "saves", size, language="km")
    result = loader.load_scenario(FIXTURES / "khmer_quarrel.yaml")
    match = Match.start(result.unwrap(), Source.of(result), 7, [Seat("envoy", HUMAN)])
    app.push(BriefingScene(app, match, "envoy"))
    pump(app, 3)
    boxes = [
        e.html_text
        for e in app.ui.get_sprite_group().sprites()
        if isinstance(e, UITextBox) and e.alive()
    ]
    text = " ".join(boxes)
    assert "<font face=noto_sans_khmer>ជម្លោះនេសាទ</font>" in text
    assert "អាដេនៀ" in text and "Ardenia" not in text
    assert "Your private agenda" in text  # the game's own words stay English
    font = app.ui.get_theme().get_font_dictionary().find_font(28, "noto_sans_khmer")
    assert font is not None
    shoot(app, FOLDER, f"briefing-khmer-{size[0]}x{size[1]}")


# -------------------------------------------------------------- the commands


def test_play_and_plain_envoy_open_the_game_with_the_mods_folders(tmp_path, monkeypatch):
    import game.ui.main
    from game.cli import main

    opened = []
    monkeypatch.setattr(game.ui.main, "run", lambda saves, **kw: opened.append(kw) or 0)
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    assert main(["--mods", str(first)]) == 0
    assert main(["play", "--mods", str(first), "--mods", str(second)]) == 0
    assert opened[0]["mods"] == [first]
    assert opened[1]["mods"] == [first, second]


def test_demo_plays_a_crisis_from_a_mods_folder_to_the_debrief(tmp_path):
    mods_dir = tmp_path / "mods"
    starter.write_starter("dam_crisis", mods_dir / "river_pack")
    done, names = run_demo(tmp_path, "--mods", str(mods_dir), "--scenario", "dam_crisis")
    assert done.returncode == 0, done.stderr
    assert {"scenarios", "setup", "briefing", "board", "debrief"} <= names
    from game.session.saves import SaveFolder, load_match

    newest = SaveFolder(tmp_path / "saves").autosaves()[0]
    assert load_match(newest).scenario.id == "dam_crisis"


@given(st.text(alphabet=st.sampled_from(list("ab ,.") + list(KHMER) + ["\u17d4"]), max_size=30))
def test_script_runs_cover_the_text_and_keep_khmer_together(text):
    runs = script_runs(text)
    assert "".join(run for run, _ in runs) == text
    for run, khmer in runs:
        assert bool(run) and khmer == any("\u1780" <= c <= "\u17ff" for c in run)
    assert all(a[1] != b[1] for a, b in itertools.pairwise(runs))  # runs alternate


def test_the_board_draws_khmer_names_in_the_khmer_font(tmp_path):
    from uidrive import run_until

    from game.ui.scenes.board import open_match
    from game.ui.style import has_khmer

    app = make_app(tmp_path / "saves", language="km")
    result = loader.load_scenario(FIXTURES / "khmer_quarrel.yaml")
    match = Match.start(result.unwrap(), Source.of(result), 7, [Seat("envoy", HUMAN)])
    app.push(TitleScene(app))
    open_match(app, match)
    run_until(app, lambda: scene_name(app) == "board" and app.scene.human_turn)
    pump(app, 3)
    drawn = [key[0] for key in app.style._text]
    assert "អាដេនៀ" in drawn and "ជម្លោះនេសាទ" in drawn
    assert any(khmer for _, _, khmer in app.style._fonts)  # a Khmer font was loaded
    assert not any(has_khmer(t) and "Ardenia" in t for t in drawn)
    shoot(app, FOLDER, "board-khmer")
