"""Text layout benchmark: pygame_gui text boxes with the game's line breaking.

Prints the CPU time to lay out one text box 400 pixels wide, for English, Khmer
(words with no space between them), a long link and one long word; and, for the
English text that pygame_gui can break by itself, the time with its own breaking
(spaces only), for comparison.

    python bench/text.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame
import pygame_gui
from pygame_gui.core.text.text_line_chunk import TextLineChunkFTFont

from game.ui.style import ui_manager
from game.ui.widgets import escape

SENTENCE = "ល្បាតអាដេនៀជួយសង្គ្រោះទូកនេសាទបែលម៉ា។"
SAMPLES = {
    "English, 5,000 characters": "Talks lower the tension between them. " * 130,
    "Khmer, 370 characters": SENTENCE * 10,
    "Khmer, 3,700 characters": SENTENCE * 100,
    "a link, 1,000 characters": "https://example.org/" + "crisis-diplomacy/" * 58,
    "one word, 1,000 letters": "x" * 1000,
}


def layout_seconds(manager, markup: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        box = pygame_gui.elements.UITextBox(markup, pygame.Rect(0, 0, 400, 300), manager)
        times.append(time.process_time() - started)
        box.kill()
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    pygame.init()
    pygame.display.set_mode((1280, 720))
    original = TextLineChunkFTFont.split  # pygame_gui's own, before the game teaches it
    manager = ui_manager((1280, 720), 1.0)
    for name, text in SAMPLES.items():
        seconds = layout_seconds(manager, escape(text), args.repeat)
        print(f"{name:28} {seconds * 1000:8.1f} ms")
    TextLineChunkFTFont.split = original
    seconds = layout_seconds(manager, escape(SAMPLES["English, 5,000 characters"]), args.repeat)
    print(f"{'English, pygame_gui alone':28} {seconds * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
