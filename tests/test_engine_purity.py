"""The engine is pure: it never imports pygame, and it never uses the global random."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent / "game" / "engine"
NOT_IN_ENGINE = ("pygame", "pygame_gui", "random", "game.ui", "game.content", "game.ai")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_engine_sources_import_no_pygame_no_global_random_and_no_content():
    files = sorted(ENGINE.glob("*.py"))
    assert len(files) >= 8
    for path in files:
        for name in imported_modules(path):
            top = name.split(".")[0]
            assert top not in ("pygame", "pygame_gui", "random"), f"{path.name} imports {name}"
            assert not name.startswith(NOT_IN_ENGINE[3:]), f"{path.name} imports {name}"


def test_importing_and_running_the_engine_loads_no_pygame():
    code = (
        "import sys\n"
        "import game.engine.rules, game.engine.view, game.engine.outcome\n"
        "from game.content.loader import load_scenario, SCENARIO_DIR\n"
        "from game.ai.play import play_game\n"
        "s = load_scenario(SCENARIO_DIR / 'border_incident.yaml').unwrap()\n"
        "play_game(s, 1, 'greedy')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('pygame', 'pygame_gui')]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
