"""With no display, opening the game says so in one line and exits 1, instead of
running in SDL's invisible off-screen window forever."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from game.paths import PROJECT_DIR

pytestmark = pytest.mark.skipif(
    os.name != "posix" or sys.platform == "darwin", reason="a Unix desktop without a display"
)
ERROR = "envoy: error: no display found: "
HINT = "run 'envoy demo --headless'"
GONE = ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER", "PYGAME_HIDE_SUPPORT_PROMPT")


def without_display(tmp_path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in GONE}
    env["ENVOY_CONFIG_DIR"] = str(tmp_path / "config")
    return {**env, **extra}


def run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    # The timeout only stops a hang from stalling the suite; no time is asserted.
    return subprocess.run(
        argv, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    "argv", [["--saves", "SAVES"], ["play"], ["demo"]], ids=["envoy", "play", "demo"]
)
def test_no_display_is_one_line_and_exit_1(tmp_path, argv):
    argv = [str(tmp_path / "saves") if a == "SAVES" else a for a in argv]
    done = run([sys.executable, "-m", "game", *argv], without_display(tmp_path))
    assert done.returncode == 1
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith(ERROR + "DISPLAY and WAYLAND_DISPLAY are not set (") and HINT in line


def test_a_video_driver_that_cannot_start_is_one_line(tmp_path):
    done = run([sys.executable, "-m", "game"], without_display(tmp_path, SDL_VIDEODRIVER="x11"))
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert line.startswith(ERROR) and HINT in line


def test_a_display_that_does_not_answer_is_not_an_invisible_window(tmp_path):
    """DISPLAY names no server: SDL falls back to its off-screen driver, which is refused."""
    done = run([sys.executable, "-m", "game"], without_display(tmp_path, DISPLAY=":97"))
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1].startswith(ERROR)


def test_the_headless_demo_still_plays_without_a_display(tmp_path):
    done = run(
        [
            *(sys.executable, "-m", "game", "demo", "--headless", "--seconds-per-screen", "0"),
            *("--saves", str(tmp_path / "saves"), "--scenario", "tutorial"),
        ],
        without_display(tmp_path),
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="no make here")
def test_make_play_says_why_and_fails(tmp_path):
    done = run(["make", "-s", "play"], without_display(tmp_path))
    assert done.returncode != 0  # make itself exits 2 when a recipe fails
    lines = [ln for ln in done.stderr.splitlines() if not ln.startswith("make")]
    [line] = lines
    assert line.startswith(ERROR) and HINT in line
