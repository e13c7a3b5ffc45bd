"""Text in any script, laid out in every kind of box the game has.

Khmer and Thai write words without spaces, Chinese breaks between characters, and a
link or a made-up word has no break at all. Every box must wrap them at a legitimate
place (between words where ICU finds them, else between grapheme clusters), never
wider than the box, never with a consonant torn from its subscript or vowel sign.
Screenshots go to test-artifacts/text.
"""

from __future__ import annotations

import copy
import html
import itertools
import pathlib
import re
import unicodedata

import pygame
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pygame_gui.core.text.text_line_chunk import TextLineChunkFTFont
from pygame_gui.elements import UITextBox
from uidrive import ARTIFACTS, make_app, press, pump, run_until, scene_name, shoot

from game.content import loader
from game.lang import set_display_language
from game.session import settings as settings_module
from game.session.match import AI, HUMAN, Match, Seat, Source
from game.ui import text as breaks
from game.ui.style import Style
from game.ui.widgets import button, escape, heading, label, shorten, text_box

FOLDER = ARTIFACTS / "text"
SEED = "កណ្ដូបបុកស្រូវ"  # "the grasshopper pounds the rice": two words, no space between
SEED_WORDS = ("កណ្ដូប", "បុកស្រូវ")
KHMER = [
    "ខ្មែរ",
    "ប្រទេសជិតខាងពីរឈ្លោះគ្នាលើដែននេសាទ។",
    "អាដេនៀ និង បែលម៉ា ចែករំលែកឈូងសមុទ្រមួយ។ សូមជួយពួកគេចុះហត្ថលេខាលើកិច្ចព្រមព្រៀងនេសាទ។",
    "ល្បាតអាដេនៀជួយសង្គ្រោះទូកនេសាទបែលម៉ា។" * 6,
    SEED * 30,
]
OTHERS = {
    "thai": "ภาษาไทยเป็นภาษาที่เขียนติดกันโดยไม่เว้นวรรคระหว่างคำ" * 4,
    "chinese": "两国在海湾的渔业权问题上争执不下，特使必须促成双方签署协议。" * 4,
    "url": "https://example.org/" + "/".join(["crisis-diplomacy"] * 14) + "?lang=km&x=1<2>",
    "word": "x" * 300,
    "marks": "e\u0301" * 120 + " " + "👩\u200d👩\u200d👧\u200d👦" * 30,
}
SAMPLES = [*KHMER, *OTHERS.values()]
SCALES = list(
    range(
        settings_module.LIMITS["ui_scale"]["min"],
        settings_module.LIMITS["ui_scale"]["max"] + 1,
        settings_module.LIMITS["ui_scale"]["step"],
    )
)


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVOY_CONFIG_DIR", str(tmp_path / "config"))
    yield
    set_display_language("en")


def splits_a_cluster(text: str, at: int) -> bool:
    """Whether a cut before ``text[at]`` tears a grapheme cluster, judged without ICU:
    a mark after the cut, or a coeng or joiner before it."""
    if not 0 < at < len(text):
        return False
    before, after = text[at - 1], text[at]
    # after a control or format character (a zero-width space) a mark stands alone
    control = (
        unicodedata.category(before) in ("Cc", "Cf", "Zl", "Zp") and before not in "\u200c\u200d"
    )
    return (
        (unicodedata.category(after) in ("Mn", "Mc", "Me") and not control)
        or after in "\u200c\u200d"
        or "\U0001f3fb" <= after <= "\U0001f3ff"  # skin tones
        # an emoji sequence (👩‍👧): a joiner binds two pictographs, not one that has
        # none before it (Unicode's rule GB11), so "\u200d👩" is two clusters
        or (before == "\u200d" and _pictograph(after) and at > 1 and _pictograph(text[at - 2]))
        # consonant, coeng, consonant: the second consonant is written below the first
        or (before == "\u17d2" and _consonant(after) and at > 1 and _consonant(text[at - 2]))
    )


def _pictograph(char: str) -> bool:
    return char >= "\U0001f000" or "\u2600" <= char <= "\u27bf"


def _consonant(char: str) -> bool:
    return "\u1780" <= char <= "\u17b3"  # Khmer consonants and independent vowels


# ------------------------------------------------------------- the break points

# pieces of every script, with marks, joiners, emoji sequences and a lone surrogate
PIECES = [*"".join(KHMER[:4]), *"ภาษาไทยเป็น", *"两国争执。", *"ab -/.:?&", "e\u0301", "\u200d"]
PIECES += ["👩", "\U0001f44d\U0001f3fd", "\u17d2", "\u200b", "\ud800"]
MIXED = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@given(MIXED)
def test_breaks_fall_between_grapheme_clusters(text):
    clusters = set(breaks.grapheme_breaks(text))
    lines = breaks.line_breaks(text)
    assert list(lines) == sorted(set(lines)) and all(0 < p < len(text) for p in lines)
    assert set(lines) <= clusters
    assert not any(splits_a_cluster(text, at) for at in clusters)


def test_the_seed_phrase_breaks_between_its_words():
    text = SEED * 3
    assert breaks.line_breaks(text) == (6, 14, 20, 28, 34)
    assert text[:6] == SEED_WORDS[0] and text[6:14] == SEED_WORDS[1]
    # Thai and Chinese find their words too, and a link breaks after its slashes
    assert "ภาษา|ไทย" in "|".join(_pieces("ภาษาไทย"))
    assert _pieces("https://a.org/bb/cc")[:2] == ["https://", "a.org/"]


def _pieces(text: str) -> list[str]:
    at = (0, *breaks.line_breaks(text), len(text))
    return [text[a:b] for a, b in itertools.pairwise(at)]


def _measure(piece: str) -> int:
    """A stand-in font: wide letters, narrow marks and spaces, nothing for joiners."""
    return sum(
        0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 3 if c == " " else 9 for c in piece
    )


# long enough that a line's breaks are looked for in a window of the text
LONG = st.lists(
    st.one_of(st.sampled_from([SEED, "x" * 40, " "]), st.sampled_from(PIECES)),
    min_size=60,
    max_size=120,
).map("".join)


@settings(max_examples=40, deadline=None)
@given(st.one_of(MIXED, LONG), st.integers(min_value=1, max_value=300))
def test_wrapped_lines_fit_keep_every_letter_and_break_legitimately(text, width):
    lines = breaks.wrap(text, _measure, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # only end spaces go
    at = 0
    for line in lines[:-1]:
        at = text.index(line, at) + len(line)
        assert not splits_a_cluster(text, at)
    for line in lines:
        # wider only where one cluster alone is wider than the line
        assert _measure(line) <= width or len(breaks.grapheme_breaks(line)) == 0


@given(MIXED, st.integers(min_value=0, max_value=300))
def test_an_ellipsis_cuts_between_clusters_and_fits(text, width):
    cut = shorten(_measure, text, width)
    if _measure(text) <= width:
        assert cut == text
        return
    assert cut.endswith("…") and text.startswith(cut[:-1])
    assert _measure(cut) <= width or cut == "…"
    assert not splits_a_cluster(text, len(cut) - 1)


# ----------------------------------------------------------- pygame_gui text boxes


def check_boxes(app) -> int:
    """Every text box on screen: rows no wider than the box, no letter added or lost,
    every row break between clusters. Returns how many rows were checked."""
    rows_seen = 0
    for box in app.ui.get_sprite_group().sprites():
        if not isinstance(box, UITextBox) or not box.alive() or box.text_box_layout is None:
            continue
        layout = box.text_box_layout
        texts = []
        for row in layout.layout_rows:
            assert row.width <= layout.layout_rect.width, (row.width, layout.layout_rect)
            texts.append("".join(i.text for i in row.items if isinstance(i, TextLineChunkFTFont)))
        assert layout.layout_rect.width <= box.rect.width
        whole = "".join(texts)
        shown = html.unescape(re.sub(r"<[^>]*>", "", box.html_text.replace("<br>", "")))
        assert whole == shown  # no dash added, nothing dropped, no entity torn
        at = 0
        for text in texts[:-1]:
            at += len(text)
            assert not splits_a_cluster(whole, at), (whole[at - 5 : at], whole[at : at + 5])
        rows_seen += len(texts)
    return rows_seen


def test_a_long_khmer_sentence_lays_out_in_a_text_box_instead_of_crashing(tmp_path):
    """It was ``RuntimeError: Row longer than layout``: pygame_gui cut the run at a guessed
    letter, with a dash, and never measured the piece again."""
    app = make_app(tmp_path / "saves")
    from game.ui.scenes.title import TitleScene

    app.push(TitleScene(app))
    pump(app, 2)
    scene = app.scene
    for width in (200, 333, 517):
        text_box(scene, pygame.Rect(0, 0, width, 400), f"<b>{escape(SEED * 30)}</b>")
    pump(app, 2)
    assert check_boxes(app) > 3 * 10


def _sheet(app, size: tuple[int, int], scale: int, monkeypatch) -> None:
    """Every sample in text boxes of several widths and markups, and in a tooltip."""
    from game.ui.app import Scene

    markups = [
        lambda text: f"{heading('Turn 3', 4)}<br><b>{escape(text)}</b>",
        lambda text: f"<font color=#e0564f>• {escape(text)}</font><br>",
        lambda text: f"<font size=3 color=#f0ad4e>   why: {escape(text)}</font>",
    ]

    class Sheet(Scene):
        name = "text-sheet"

        def build(self):
            width, height = app.size
            gap = self.px(6)
            columns = len(SAMPLES) // 2
            # columns from narrow (a tooltip's width) to wide (the resolution box's)
            shares = [0.6 + 0.2 * n for n in range(columns)]
            widths = [int((width - gap) * share / sum(shares)) - gap for share in shares]
            for index, sample in enumerate(SAMPLES):
                row, column = divmod(index, columns)
                x = gap + sum(w + gap for w in widths[:column])
                y = gap + row * (height - gap) // 2
                rect = pygame.Rect(x, y, widths[column], (height - gap) // 2 - gap)
                text_box(self, rect, markups[(index + scale // 25) % len(markups)](sample))
            self.tip = button(
                self,
                pygame.Rect(width // 2, height // 2, width // 3, self.px(40)),
                "Hover me",
                tip=f"Effects: {SEED} <b>&amp;</b> {OTHERS['url'][:40]}",
            )

    app.push(Sheet(app))
    pump(app, 2)
    assert check_boxes(app) > len(SAMPLES) * 3
    shoot(app, FOLDER, f"boxes-{size[0]}x{size[1]}-{scale}")
    tip = app.scene.tip
    # pygame_gui reads where the mouse is from SDL, which a dummy display never moves
    monkeypatch.setattr(pygame.mouse, "get_pos", lambda: tip.rect.center)
    for _ in range(90):  # it shows a tooltip after a moment's hover
        pump(app)
    assert tip.tool_tip is not None
    assert "&lt;b&gt;" in tip.tool_tip.text_block.html_text  # a tip is text, not markup
    assert "<font face=noto_sans_khmer>" in tip.tool_tip.text_block.html_text
    assert check_boxes(app) > len(SAMPLES) * 3 + 2
    shoot(app, FOLDER, f"tooltip-{size[0]}x{size[1]}-{scale}")


@pytest.mark.parametrize("scale", SCALES, ids=lambda s: f"{s}%")
def test_every_script_wraps_in_text_boxes_and_tooltips_at_every_ui_scale(
    tmp_path, monkeypatch, scale
):
    for size in ((1280, 720), (1920, 1080)):
        app = make_app(tmp_path / "saves", size, ui_scale=scale)
        _sheet(app, size, scale, monkeypatch)


@settings(max_examples=40, deadline=None)
@given(
    text=st.sampled_from(SAMPLES).flatmap(lambda s: st.integers(1, len(s)).map(lambda n: s[:n])),
    width=st.integers(min_value=40, max_value=500),
    size=st.sampled_from([13, 14, 17]),
    bold=st.booleans(),
    scale=st.sampled_from([1.0, 1.25, 1.5, 2.0]),
)
def test_the_games_own_wrapped_lines_fit_in_real_fonts(text, width, size, bold, scale):
    """The board's map details, cards and log are wrapped by the game itself."""
    pygame.font.init()
    style = _style(scale)
    lines = style.wrap(text, size, width, bold)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert style.width(line, size, bold) <= width or not breaks.grapheme_breaks(line)
    cut = shorten(lambda piece: style.width(piece, size, bold), text, width)
    assert style.width(cut, size, bold) <= width or cut == "…"
    assert not splits_a_cluster(text, len(cut) - 1 if cut.endswith("…") else len(cut))


_STYLES: dict[float, Style] = {}


def _style(scale: float) -> Style:
    if scale not in _STYLES:
        _STYLES[scale] = Style("standard", scale)
    return _STYLES[scale]


# ------------------------------------------------------- a whole crisis in Khmer

TEXT_KEYS = {"text", "name", "title", "summary", "briefing", "prompt", "notes", "inspired_by"}
TEXT_LISTS = {"learning_goals", "debrief_questions", "sensitive_topics", "reflection"}


def khmer_crisis() -> dict:
    """Border Incident with a long Khmer translation of every text, some without a space."""
    data = yaml.safe_load((loader.SCENARIO_DIR / "border_incident.yaml").read_text("utf-8"))
    count = [0]

    def khmer() -> str:
        count[0] += 1
        return KHMER[count[0] % len(KHMER)]

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in TEXT_KEYS and isinstance(value, str):
                    node[key] = {"en": value, "km": khmer()}
                elif key in TEXT_LISTS and isinstance(value, list):
                    node[key] = [{"en": v, "km": khmer()} for v in value]
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return copy.deepcopy(data)


@pytest.mark.slow  # a long-Khmer crisis played through every screen
@pytest.mark.parametrize(
    ("size", "scale"),
    [((1280, 720), 100), ((1920, 1080), 200)],
    ids=lambda v: f"{v[0]}x{v[1]}" if isinstance(v, tuple) else f"{v}%",
)
def test_a_khmer_crisis_reads_on_every_screen(tmp_path, size, scale):
    """Briefing, board (cards, log, details), resolution with its reasons, decision,
    debrief: long Khmer in every text, at small and large scales."""
    from game.ui.scenes.board import open_match

    app = make_app(tmp_path / "saves", size, ui_scale=scale, language="km")
    text = yaml.safe_dump(khmer_crisis(), sort_keys=False, allow_unicode=True)
    result = loader.load_scenario_bytes(text.encode(), "border_incident.yaml", loader.SCENARIO_DIR)
    assert not [str(d) for d in result.diagnostics]
    seats = [Seat("un_envoy", HUMAN), Seat("norland_fm", AI), Seat("vellmark_fm", AI)]
    match = Match.start(result.unwrap(), Source.of(result), 4, seats)
    folder = FOLDER / f"crisis-{size[0]}x{size[1]}-{scale}"
    rows = 0

    def snap(name: str) -> None:
        nonlocal rows
        pump(app, 2)
        rows += check_boxes(app)
        shoot(app, folder, name)

    open_match(app, match, briefing=True)
    snap("1-briefing")
    press(app, pygame.K_RETURN)
    run_until(app, lambda: scene_name(app) == "board" and app.scene.human_turn)
    board = app.scene
    board.hover = ("relation", 0)
    board.dirty = True
    snap("2-board")
    board.hover = None
    press(app, pygame.K_PAGEUP)
    snap("3-board-log")
    press(app, pygame.K_e)
    run_until(app, lambda: scene_name(app) == "resolution")
    press(app, pygame.K_SPACE)
    press(app, pygame.K_w)
    snap("4-resolution")

    def onward():
        name = scene_name(app)
        if name == "resolution":
            press(app, pygame.K_s)
        elif name == "board" and app.scene.human_turn:
            press(app, pygame.K_e)

    run_until(app, lambda: scene_name(app) in ("decision", "debrief"), frames=5000, on_frame=onward)
    if scene_name(app) == "decision":
        snap("5-decision")
        press(app, pygame.K_1)
    run_until(
        app,
        lambda: scene_name(app) == "debrief",
        frames=20_000,
        on_frame=lambda: press(app, pygame.K_1) if scene_name(app) == "decision" else onward(),
    )
    snap("6-debrief")
    assert rows > 40


def test_initials_on_the_map_keep_their_subscripts_and_vowel_signs():
    assert breaks.first_clusters("ប្រទេស", 2) == "ប្រទេ"  # not "ប្": a coeng with nothing below
    assert breaks.first_clusters("Ardenia", 2) == "Ar"
    assert breaks.first_clusters("é", 2) == "é"


def test_a_label_too_narrow_for_its_text_cuts_it_with_an_ellipsis(tmp_path):
    """A label is one line; pygame_gui would clip it (the warning is an error here)."""
    from game.ui.scenes.title import TitleScene

    app = make_app(tmp_path / "saves")
    app.push(TitleScene(app))
    pump(app, 2)
    shown = label(app.scene, pygame.Rect(0, 0, 300, 40), f"Cannot save: {OTHERS['url']}")
    assert shown.text.startswith("Cannot save: https://") and shown.text.endswith("…")
    assert shown.font.get_rect(shown.text).width <= 300
    for text in (SEED * 30, "e\u0301" * 200, "Fits"):
        shown.set_text(text)
        assert shown.font.get_rect(shown.text).width <= 300
        assert text.startswith(shown.text.removesuffix("…"))
        assert not splits_a_cluster(text, len(shown.text) - 1)
    assert shown.text == "Fits"
    pump(app, 2)


def test_the_board_and_the_debrief_word_the_crisis_in_the_players_language(tmp_path, drawn):
    """With Khmer chosen, every line the game words itself (the log, the playback,
    the debrief) names the parties in Khmer: the words come from narrate, told the
    player's language, not from a global setting."""
    set_display_language("en")  # what the words must not depend on
    path = pathlib.Path(__file__).parent / "fixtures" / "khmer_quarrel.yaml"
    result = loader.load_scenario(path)
    match = Match.start(result.unwrap(), Source.of(result), 3, [Seat("envoy", HUMAN)])
    app = make_app(tmp_path / "saves", (1280, 720), language="km")
    app.push("title")
    app.open("open-match", match)
    run_until(app, lambda: scene_name(app) == "board" and app.scene.human_turn)
    press(app, pygame.K_e)
    run_until(app, lambda: scene_name(app) == "resolution")
    press(app, pygame.K_SPACE)
    press(app, pygame.K_w)
    pump(app, 2)
    playback = list(drawn)
    press(app, pygame.K_s)
    run_until(app, lambda: scene_name(app) == "board" and app.scene.human_turn)
    pump(app, 2)
    assert any("អាដេនៀ" in line for line in playback)
    assert not any("Ardenia" in line for line in drawn)
