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


# What a US keyboard types with Shift held, for the keys whose character is not a letter.
SHIFTED = dict(zip("`1234567890-=[]\\;',./", '~!@#$%^&*()_+{}|:"<>?', strict=True))
UNSHIFTED = {shifted: plain for plain, shifted in SHIFTED.items()}
#: Deliver a key's KEYDOWN, TEXTINPUT and KEYUP in separate frames instead of in one
#: (a fast frame, or a slow typist); tests switch it to check both orders of arrival.
KEYS_APART = False


def key_text(key: int, mod: int = 0) -> str:
    """The text SDL sends in a TEXTINPUT after this key's KEYDOWN ("" for none).

    Printable keys type their character (Shift and Caps Lock as on a US layout);
    control keys, function keys and Ctrl or Alt combinations type nothing.
    """
    if mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_META) or not 32 <= key < 127:
        return ""
    char = chr(key)
    if char.isalpha():
        upper = bool(mod & pygame.KMOD_SHIFT) != bool(mod & pygame.KMOD_CAPS)
        return char.upper() if upper else char
    return SHIFTED.get(char, char) if mod & pygame.KMOD_SHIFT else char


def key_for(char: str) -> tuple[int, int]:
    """The key and modifiers that type ``char``; SDL names a key by its unshifted character."""
    if char in UNSHIFTED:
        return ord(UNSHIFTED[char]), pygame.KMOD_SHIFT
    if char != char.lower():
        return ord(char.lower()), pygame.KMOD_SHIFT
    return ord(char), 0


def keystroke(key: int, mod: int = 0, text: str | None = None) -> list[pygame.event.Event]:
    """What a real keyboard sends for one key: KEYDOWN, TEXTINPUT if it types, KEYUP."""
    text = key_text(key, mod) if text is None else text
    fields = {"key": key, "mod": mod, "scancode": 0}
    events = [pygame.event.Event(pygame.KEYDOWN, unicode=text, **fields)]
    if text:
        events.append(pygame.event.Event(pygame.TEXTINPUT, text=text))
    events.append(pygame.event.Event(pygame.KEYUP, unicode=text, **fields))
    return events


def send(app: App, events: list[pygame.event.Event]) -> None:
    """Post events; with KEYS_APART each arrives in a frame of its own."""
    for event in events:
        pygame.event.post(event)
        if KEYS_APART:
            pump(app)


def press(app: App, key: int, mod: int = 0, frames: int = 2) -> None:
    """Press and release one key, as a keyboard does, then run ``frames`` frames."""
    send(app, keystroke(key, mod))
    pump(app, frames)


def type_text(app: App, text: str, frames: int = 1) -> None:
    """Type ``text`` key by key, each key with its KEYDOWN, TEXTINPUT and KEYUP."""
    for char in text:
        key, mod = key_for(char)
        send(app, keystroke(key, mod, char))
        pump(app, frames)
    pump(app)


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
