"""The monkey (``monkey.py``) on every screen: nothing raises, freezes, or runs away with memory.

Each run is a program of its own, so its peak memory is the game's and not the
rest of the test session's. The 50,000-input run that shows memory stays flat
is ``bench/memory.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from monkey import EVENTS, SCREENS, SEED, SLOW_STEP

MONKEY = os.path.join(os.path.dirname(__file__), "monkey.py")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEAK_MB = 300  # the whole game process, at its peak


def run_monkey(tmp_path, inputs: int, seed: int) -> dict:
    result = subprocess.run(
        [
            *(sys.executable, MONKEY, "--inputs", str(inputs), "--seed", str(seed)),
            *("--saves", str(tmp_path / "saves")),
        ],
        capture_output=True,
        text=True,
        # A script's folder is its import path: the project's root makes its game the
        # one measured, not whichever checkout the environment has installed.
        env={**os.environ, "ENVOY_CONFIG_DIR": str(tmp_path / "config"), "PYTHONPATH": ROOT},
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-6000:]
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.slow
def test_monkey_on_every_screen(tmp_path):
    report = run_monkey(tmp_path, EVENTS, SEED)
    summary = report["summary"]
    print(summary)
    assert report["slowest"][0][0] < SLOW_STEP, summary
    missing = SCREENS - set(report["poked"])
    assert not missing, f"screens that got no input: {sorted(missing)}; {summary}"
    if report["peak_mb"] is not None:  # where the system tells a process's peak
        assert report["peak_mb"] < PEAK_MB, summary
