"""The modder's warnings on a comparison no game can change know every meter's range
from the one meter table, and a crisis file's starting values widen it."""

from __future__ import annotations

import pytest
import yaml
from conftest import lab_dict

from game.content.loader import load_scenario_bytes
from game.engine import meters

#: How each kind of subject is named in the lab crisis.
SUBJECTS = {
    "relation": "alpha, beta",
    "standing": "one, alpha",
    "envoy": "one",
    "party": "alpha",
    "counter": "fails",
}


def warnings_for(data: dict, conditions: list[str]) -> list[str]:
    data["events"] = [
        {"id": f"probe_{n}", "title": "Probe", "text": "A probe.", "when": condition}
        for n, condition in enumerate(conditions)
    ]
    result = load_scenario_bytes(yaml.safe_dump(data, sort_keys=False).encode(), "lab.yaml")
    assert result.scenario is not None, [str(d) for d in result.diagnostics]
    return [d.message + f" ({d.hint})" for d in result.diagnostics]


def expected(meter: meters.Meter, rules, starts: list[int]) -> str:
    low, high = meters.bounds(meter, rules)
    low, high = min([low, *starts]), max([high, *starts])
    if meter.bounds:
        hint = "see rules." + " and ".join(name for name in meter.bounds if name)
    else:
        hint = f"meters go from {meters.SCALE[0]} to {meters.SCALE[1]}"
    return f"{meter.name}() goes from {low} to {high}, so this is always false ({hint})"


@pytest.mark.parametrize("meter", meters.METERS, ids=lambda m: m.name)
def test_every_meter_of_the_table_has_its_range_in_the_warnings(meter):
    data = lab_dict()
    data["relations"][0]["pressure"] = 70  # above pressure_max: the start holds until changed
    data["counters"]["fails"] = -2000
    scenario = load_scenario_bytes(yaml.safe_dump(data).encode(), "lab.yaml").unwrap()
    subject = SUBJECTS[meter.subject]
    found = warnings_for(data, [f"{meter.name}({subject}) > 9999"])
    starts = {"pressure": [70, 0], "counter": [-2000]}.get(meter.name, [])
    assert found == [expected(meter, scenario.rules, starts)]


def test_the_relations_extremes_read_the_range_of_their_meter():
    found = warnings_for(lab_dict(), ["max_tension() > 100", "min_trust() < 0"])
    scale = "0 to 100, so this is always false (meters go from 0 to 100)"
    assert found == [f"max_tension() goes from {scale}", f"min_trust() goes from {scale}"]
