"""Driving the real app with posted pygame events, the way a player would."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pygame
import pygame_gui

from game.session.settings import Settings
from game.ui.app import App

PROJECT = pathlib.Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT / "test-artifacts"


def run_demo(tmp_path: pathlib.Path, *args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """``envoy demo --headless`` as a player would run it, with its own config, saves
    (``tmp_path / "saves"``) and screenshots; returns the run and the screens it shot."""
    shots = tmp_path / "shots"
    result = subprocess.run(
        [
            *(sys.executable, "-m", "game", "demo", "--headless", "--seconds-per-screen", "0"),
            *("--screenshots", str(shots), "--saves", str(tmp_path / "saves"), *args),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env={**os.environ, "ENVOY_CONFIG_DIR": str(tmp_path / "config")},
        timeout=300,
    )
    return result, {p.stem.split("-", 1)[1] for p in shots.glob("*.png")}


def make_app(saves: pathlib.Path, size: tuple[int, int] = (1280, 720), **settings) -> App:
    app = App(Settings(width=size[0], height=size[1], **settings), saves, persist_settings=False)
    app.running = True
    return app


def pump(app: App, frames: int = 1) -> None:
    """Deliver queued events through the app's dispatch, then run frames."""
    for _ in range(frames):
        for event in pygame.event.get():
            app.dispatch(event)
        app.step(1 / 60)


def press(app: App, key: int, mod: int = 0, frames: int = 2) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode="", scancode=0))
    pump(app, frames)


def click(app: App, pos: tuple[int, int], frames: int = 2) -> None:
    pygame.event.post(
        pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
    )
    pump(app, 1)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    pump(app, 1)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    pump(app, frames)


def buttons(app: App) -> list[pygame_gui.elements.UIButton]:
    return [
        e
        for e in app.ui.get_sprite_group().sprites()
        if isinstance(e, pygame_gui.elements.UIButton) and e.visible and e.alive()
    ]


def click_button(app: App, text: str) -> None:
    """Click the visible, enabled button whose label starts with ``text``."""
    found = [b for b in buttons(app) if b.text.startswith(text) and b.is_enabled]
    assert found, f"no button '{text}' among {[b.text for b in buttons(app)]}"
    click(app, found[-1].rect.center)


def scene_name(app: App) -> str:
    return app.scene.name if app.scene else ""


def run_until(app: App, done, frames: int = 3000, on_frame=None) -> None:
    for _ in range(frames):
        if done():
            return
        if on_frame is not None:
            on_frame()
        pump(app)
    assert done(), f"gave up waiting; the screen is {scene_name(app)}"


def shoot(app: App, folder: pathlib.Path, name: str) -> pathlib.Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    pygame.image.save(app.screen, str(path))
    return path
