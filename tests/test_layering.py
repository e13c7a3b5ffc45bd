"""The packages depend downward only, and no two modules import each other.

Every import counts, including those inside functions and under TYPE_CHECKING:
an import hidden in a function is still a dependency, it only fails later.

    base (files, terminal, lang, paths, tunables)
    engine   → base
    content  → engine, base
    ai       → engine, base
    session  → ai, content, engine, base
    ui       → session, ai, content, engine, base
    cli      → anything

Screens open each other by name (game.ui.scenes.SCREENS), so no screen module
imports another.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

from game.ui import scenes

GAME = pathlib.Path(__file__).resolve().parent.parent / "game"

ALLOWED = {
    "base": {"base"},
    "engine": {"engine", "base"},
    "content": {"content", "engine", "base"},
    "ai": {"ai", "engine", "base"},
    "session": {"session", "ai", "content", "engine", "base"},
    "ui": {"ui", "session", "ai", "content", "engine", "base"},
    "cli": {"cli", "ui", "session", "ai", "content", "engine", "base"},
}
PACKAGES = ("engine", "content", "ai", "session", "ui")

#: Imports that break the rules today, each to be removed by the change that fixes it.
KNOWN: set[tuple[str, str]] = set()
KNOWN_CYCLES: set[frozenset[str]] = set()


def _module(path: pathlib.Path) -> str:
    parts = path.relative_to(GAME.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in PACKAGES:
        return parts[1]
    if len(parts) > 1 and parts[1] in ("cli", "__main__"):
        return "cli"
    return "base"


def _imports(path: pathlib.Path) -> set[str]:
    """Every game module the file imports, wherever the import statement is."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "game")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != "game":
                continue
            for alias in node.names:  # "from game.ui import scenes" imports a module
                child = f"{target}.{alias.name}"
                found.add(child if _is_module(child) else target)
    found.discard(module)
    return found


def _is_module(name: str) -> bool:
    path = GAME.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


GRAPH = {_module(p): _imports(p) for p in sorted(GAME.rglob("*.py"))}


def test_the_graph_sees_every_package_and_imports_inside_functions():
    layers = {_layer(m) for m in GRAPH}
    assert set(PACKAGES) | {"base", "cli"} <= layers
    # cli.py imports most of the game inside its command functions.
    assert {"game.session.saves", "game.ai.simulate"} <= GRAPH["game.cli"]


def test_nothing_imports_upward():
    wrong = sorted(
        (module, target)
        for module, targets in GRAPH.items()
        for target in targets
        if _layer(target) not in ALLOWED[_layer(module)] and (module, target) not in KNOWN
    )
    assert wrong == [], "\n".join(f"{m} ({_layer(m)}) imports {t} ({_layer(t)})" for m, t in wrong)


def test_the_known_exceptions_are_still_real():
    # An exception that is fixed must leave KNOWN, so the list never hides a new one.
    for module, target in KNOWN:
        assert target in GRAPH[module]
        assert _layer(target) not in ALLOWED[_layer(module)]


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_two_modules_import_each_other():
    cycles = [c for c in _cycles(GRAPH) if c not in KNOWN_CYCLES]
    assert cycles == [], [sorted(c) for c in cycles]


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset("abc")]


def test_no_screen_imports_another():
    screens = [m for m in GRAPH if m.startswith("game.ui.scenes.")]
    assert len(screens) >= 8
    wrong = sorted(
        (m, t) for m in screens for t in GRAPH[m] if t.startswith("game.ui.scenes") and t != m
    )
    assert wrong == []


@pytest.mark.parametrize("name", sorted(scenes.SCREENS))
def test_every_screen_name_leads_to_a_scene(name):
    from game.ui.app import Scene

    factory = scenes.screen(name)
    built = getattr(factory, "__self__", factory)  # a classmethod builds its own class
    assert isinstance(built, type) and issubclass(built, Scene)
    # The registry's name is the one the scene reports (screenshots, tests, the monkey).
    assert name == built.name or name.startswith(f"{built.name}-")


@pytest.mark.parametrize("name", sorted(scenes.ROUTES))
def test_every_route_name_leads_to_a_function(name):
    assert callable(scenes.route(name))


def test_every_scene_class_has_a_name():
    from game.ui.app import Scene

    named = {getattr(scenes.screen(n), "__self__", scenes.screen(n)) for n in scenes.SCREENS}
    defined = {
        obj
        for m in GRAPH
        if m.startswith("game.ui.scenes.")
        for obj in vars(__import__(m, fromlist=["_"])).values()
        if isinstance(obj, type) and issubclass(obj, Scene) and obj.__module__ == m
    }
    assert defined - named == set()


def test_the_contents_text_is_the_text_the_engine_asks_for():
    """The engine names what it needs of scenario text (a Protocol) without
    importing content; every text a loaded scenario hands it must fit that."""
    from game.content.loader import SCENARIO_DIR, load_scenario
    from game.content.schema import Text as ContentText
    from game.engine import model

    assert isinstance(ContentText.of("x"), model.Text)
    scenario = load_scenario(SCENARIO_DIR / "border_incident.yaml").unwrap()
    texts = [
        scenario.title,
        *(p.name for p in scenario.parties),
        *(e.name for e in scenario.envoys),
    ]
    assert texts and all(isinstance(text, model.Text) for text in texts)
    assert not isinstance("plain str has no get(lang)", model.Text)
