"""The mod checker: every problem of every mod file, as file:line:col, in the game."""

from __future__ import annotations

import pathlib

import attrs
import pygame

from game.content import loader, mods
from game.ui.app import Scene
from game.ui.style import Style
from game.ui.widgets import Menu, button, escape, label, scroll_by_key, text_box


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def report_markup(files: list[mods.Checked], style: Style) -> str:
    """The checker's list: each file, its counts, then each problem on its own line."""
    error, warning = style.markup("error_text"), style.markup("warning_text")
    parts = []
    for checked in files:
        if checked.diagnostics:
            counts = f"{_plural(checked.errors, 'error')}, {_plural(checked.warnings, 'warning')}"
            colour = error if checked.errors else warning
        else:
            counts, colour = "no problems", style.markup("ok_text")
        where = f" in the mod '{escape(checked.mod)}'" if checked.mod else ""
        parts.append(
            f"<b>{escape(checked.file)}</b> <i>({checked.kind}{where})</i>: "
            f"<font color={colour}>{counts}</font>"
        )
        for diagnostic in checked.diagnostics:
            colour = error if diagnostic.is_error else warning
            parts.append(f"<font size=3 color={colour}>{escape(diagnostic)}</font>")
        parts.append("")
    return "<br>".join(parts)


def no_mods_markup() -> str:
    folder = escape(mods.user_mods_dir())
    return (
        "<b>There are no mods yet.</b><br><br>A mod is a folder of crisis files. Put one in "
        f"your mods folder,<br>{folder}<br>or start the game with <b>envoy --mods FOLDER</b>."
        "<br><br><b>envoy new-scenario NAME</b> writes a starter crisis there to edit. "
        "MODDING.md explains every part."
    )


class ModCheckerScene(Scene):
    """Lists the problems of every file in the mods folders (or of one file)."""

    name = "mod-checker"

    def __init__(
        self,
        app,
        listed: list[mods.Listed] | None = None,
        files: list[mods.Checked] | None = None,
        title: str = "Mod checker",
    ):
        super().__init__(app)
        self.listed = listed
        self.files = files
        self.single = files is not None  # one file's problems, after F5 at set-up
        self.title = title

    @classmethod
    def for_file(cls, app, path: pathlib.Path, result: loader.LoadResult) -> ModCheckerScene:
        file = mods.shown_name(path, app.mods)
        named = tuple(  # the heading names the whole path once
            attrs.evolve(d, file=path.name) if d.file == file else d for d in result.diagnostics
        )
        checked = mods.Checked(file, "scenario", "", named)
        return cls(app, files=[checked], title=f"Problems in {path.name}")

    def build(self) -> None:
        if self.files is None:
            self.files = mods.check(self.app.mods, self.listed)
        width, height = self.app.size
        margin = self.px(48)
        inner = min(width - 2 * margin, self.px(1180))
        left = (width - inner) // 2
        label(
            self,
            pygame.Rect(left, margin - self.px(12), inner, self.px(44)),
            self.title,
            "heading",
        )
        errors = sum(c.errors for c in self.files)
        warnings = sum(c.warnings for c in self.files)
        summary = (
            f"{_plural(len(self.files), 'file')} checked: {_plural(errors, 'error')}, "
            f"{_plural(warnings, 'warning')}. A crisis with errors cannot be played; "
            "fix the lines listed, save, and press F5."
        )
        if not self.files:
            summary = "No mod files to check yet."
        top = margin + self.px(40)
        label(self, pygame.Rect(left, top, inner, self.px(30)), summary, "subtle")
        top += self.px(40)
        body_h = height - top - margin - self.px(64)
        markup = report_markup(self.files, self.style) if self.files else no_mods_markup()
        if self.app.mods and not self.single:
            folders = ", ".join(escape(folder) for folder in self.app.mods)
            markup = f"<font size=3>Mods folders: {folders}</font><br><br>" + markup
        self.box = text_box(self, pygame.Rect(left, top, inner, body_h), markup)
        y = height - margin - self.px(46)
        self.menu = Menu(vertical=False)
        self.menu.add(
            button(self, pygame.Rect(left, y, self.px(160), self.px(46)), "Back"),
            self.app.pop,
            pygame.K_ESCAPE,
        )
        self.menu.add(
            button(
                self,
                pygame.Rect(left + self.px(176), y, self.px(200), self.px(46)),
                "Check again (F5)",
            ),
            self.check_again,
            pygame.K_F5,
        )
        hint = "Up/Down, PgUp/PgDn, Home/End scroll · Esc back"
        hint_left = left + self.px(400)
        label(
            self, pygame.Rect(hint_left, y, left + inner - hint_left, self.px(46)), hint, "subtle"
        )

    def check_again(self) -> None:
        if self.single:  # the set-up screen below reads its crisis again
            self.app.pop()
            reload = getattr(self.app.scene, "reload", None)
            if reload is not None:
                reload()
            return
        self.listed = None
        self.files = None
        self.relayout()

    def handle(self, event: pygame.event.Event) -> bool:
        # a line of the report, a page, or to its ends, however long it is
        if scroll_by_key(self.box, event, self.style.line_height(17)):
            return True
        return self.menu.handle(event)

    def demo_step(self) -> None:
        self.app.pop()
