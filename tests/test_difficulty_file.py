"""``difficulty.yaml`` is read once, by a reader below the settings and the AI, and
reading it at start-up does not import the AI."""

from __future__ import annotations

import os
import subprocess
import sys

from game.paths import PROJECT_DIR

PROGRAM = """
import pathlib, sys
reads = []
real = pathlib.Path.read_text
def read_text(self, *args, **kwargs):
    if self.name == "difficulty.yaml":
        reads.append(str(self))
    return real(self, *args, **kwargs)
pathlib.Path.read_text = read_text
import game.session.settings, game.session.savecheck
game.session.savecheck.difficulties()
at_start = sorted(m for m in sys.modules if m.startswith("game.ai"))
import game.ai.policies, game.ai.search
print(len(reads), at_start)
"""


def test_difficulty_yaml_is_read_once_and_the_start_up_imports_no_ai():
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_DIR,
        env=dict(os.environ),
    )
    assert done.stdout.split(maxsplit=1) == ["1", "[]\n"]
