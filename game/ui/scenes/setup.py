"""Choosing a crisis: the scenario browser, seat setup, and the briefing."""

from __future__ import annotations

import os

import attrs
import pygame
import pygame_gui
from pygame_gui.elements import UISelectionList, UITextEntryLine

from game.content import loader, mods
from game.engine import rng
from game.session import narrate
from game.session.codes import LIMIT, CodeError, crisis_code, read_code, scenario_tag
from game.session.lineup import Choices, check_setup, tidy
from game.session.match import AI, HUMAN, Classroom, Match, Seat, Source
from game.session.settings import LIMITS, choices
from game.ui.app import Scene
from game.ui.style import Style
from game.ui.widgets import (
    Menu,
    Picker,
    button,
    deal_wants,
    escape,
    heading,
    label,
    plain,
    scaled,
    scroll_by_key,
    text_box,
)

CLASS = LIMITS["classroom"]
BROWSER_HINT = "Up/Down browse · Enter choose · C code · F5 read again · Esc back"
ENTER = (pygame.K_RETURN, pygame.K_KP_ENTER)


def scenario_for_code(entries, text: str):
    """(path, load result, seed) of the crisis a typed code names, or raises CodeError."""
    code = read_code(text)
    if not code.tag:
        raise CodeError("That is a seed code without its crisis: choose the crisis first.")
    for path, result in entries:
        if result.scenario is not None and scenario_tag(result.scenario.id) == code.tag:
            return path, result, code.seed
    raise CodeError("No crisis here matches that code: is its scenario installed?")


def mod_note(entry: mods.Listed, style: Style) -> str:
    """What the browser says about a crisis from a mod, above its description, in the
    colour of the browser's mod rows."""
    if not entry.is_mod:
        return ""
    colour = style.markup("mod_text")
    notes = "".join(
        f"<br>Line {n.line}, column {n.col}: {escape(n.severity.value)}: {escape(n.message)}"
        + (f" ({escape(n.hint)})" if n.hint else "")
        for n in entry.notes
    )
    return (
        f"<font color={colour}><b>MOD</b> from the mod '{escape(entry.mod)}': written by "
        f"players, not part of the game ({escape(entry.path.name)})</font>"
        + (f"<font size=3 color={colour}>{notes}</font>" if notes else "")
        + "<br><br>"
    )


def scenario_details(result: loader.LoadResult, path, style: Style) -> str:
    """The browser's description of a scenario, or of why it does not load."""
    if result.scenario is None:
        problems = "<br>".join(escape(d) for d in result.errors[:12])
        more = len(result.errors) - 12
        tail = f"<br>…and {more} more" if more > 0 else ""
        warn = style.markup("warn")
        return (
            f"{heading(path.name)}<br><font color={warn}><b>This crisis has errors and cannot"
            f" be played.</b></font><br><br><font size=3>{problems}{tail}</font>"
        )
    s = result.scenario
    t = s.teacher
    goals = "".join(f"<br>• {escape(g)}" for g in t.learning_goals)
    envoys = ", ".join(escape(e.name) for e in s.envoys)
    return (
        f"{heading(s.title)}<br><i>{escape(s.summary)}</i><br><br>"
        f"<b>Difficulty:</b> {escape(s.difficulty.title())}   "
        f"<b>Duration:</b> about {t.duration_minutes} minutes, {s.turns} turns<br>"
        f"<b>Players:</b> {t.players.min}–{t.players.max} envoys ({envoys})   "
        f"<b>Age:</b> {escape(t.age)}<br><br><b>You will learn</b>{goals}"
    )


class BrowserScene(Scene):
    name = "scenarios"
    enter_submits = True  # a typed crisis code opens on Enter

    def __init__(self, app):
        super().__init__(app)
        self.first = 0  # the row selected when the screen opens
        self.load_entries()
        wanted = app.demo.scenario if app.demo is not None else None
        if wanted is not None:
            for index, (path, _) in enumerate(self.entries):
                if path.resolve() == wanted.resolve():
                    self.first = index

    def load_entries(self) -> None:
        """Read every crisis again: the built-in ones, the mods, and the demo's."""
        self.listed = mods.catalogue(self.app.mods)
        wanted = self.app.demo.scenario if self.app.demo is not None else None
        if wanted is not None and wanted.resolve() not in [e.path.resolve() for e in self.listed]:
            self.listed.append(mods.Listed(wanted, mods.load(wanted, self.app.mods)))
        self.entries = [(entry.path, entry.result) for entry in self.listed]

    def build(self) -> None:
        width, height = self.app.size
        margin = self.px(48)
        label(
            self,
            pygame.Rect(margin, margin - self.px(12), self.px(600), self.px(44)),
            "Choose a crisis",
            "heading",
        )
        top = margin + self.px(48)
        list_w = min(self.px(380), width // 3)
        body_h = height - top - margin - self.px(64) - self.px(56)
        rows: list[tuple[str, str]] = []
        for entry in self.listed:
            name = entry.path.stem
            text = f"{name}: has errors"
            if entry.result.scenario is not None:
                text = plain(entry.result.scenario.title)
            if entry.is_mod:
                text = f"MOD · {text}"
            while text in [row for row, _ in rows]:  # rows are found by their text
                text += " "
            rows.append((text, "#mod_item" if entry.is_mod else "#item_list_item"))
        self.list = UISelectionList(
            pygame.Rect(margin, top, list_w, body_h), rows, self.app.ui, container=self.root
        )
        self.details = text_box(
            self,
            pygame.Rect(
                margin + list_w + self.px(20),
                top,
                width - 2 * margin - list_w - self.px(20),
                body_h,
            ),
            "",
        )
        y = height - margin - self.px(46)
        self.menu = Menu(vertical=False)
        self.choose_button = button(
            self, pygame.Rect(margin, y, self.px(200), self.px(46)), "Choose", "primary"
        )
        self.menu.add(self.choose_button, self.choose)
        self.menu.add(
            button(self, pygame.Rect(margin + self.px(216), y, self.px(160), self.px(46)), "Back"),
            self.app.pop,
            pygame.K_ESCAPE,
        )
        self.menu.add(
            button(
                self,
                pygame.Rect(margin + self.px(392), y, self.px(200), self.px(46)),
                "Check mods (M)",
                tip="Every problem of every mod file, with its line",
            ),
            self.check_mods,
            pygame.K_m,
        )
        code_y = y - self.px(56)
        label(
            self,
            pygame.Rect(margin, code_y, self.px(180), self.px(46)),
            "Have a crisis code?",
            "subtle",
        )
        self.code = UITextEntryLine(
            pygame.Rect(margin + self.px(186), code_y, self.px(190), self.px(46)),
            self.app.ui,
            container=self.root,
        )
        self.code.set_text_length_limit(16)
        self.code_button = button(
            self, pygame.Rect(margin + self.px(392), code_y, self.px(120), self.px(46)), "Open"
        )
        self.menu.add(self.code_button, self.open_code)
        # On the heading's line (the buttons leave no room at 960×540): the keys, or
        # what is wrong with a typed code.
        self.code_status = label(
            self,
            pygame.Rect(
                margin + self.px(300),
                margin - self.px(12),
                width - 2 * margin - self.px(300),
                self.px(44),
            ),
            BROWSER_HINT,
            "subtle",
        )
        self.picker = Picker(self.list, self._show, self.choose, wrap=True)
        self.picker.select(self.first)

    @property
    def selected(self) -> int:
        return self.picker.selected

    @property
    def _code_chosen(self) -> bool:
        """The Open button is chosen (after a typed code): Enter opens the code."""
        return self.menu.items[self.menu.index][0] is self.code_button

    def _show(self) -> None:
        if self._code_chosen:
            self.menu.focus(0)  # a row moved to: Enter chooses it again
        path, result = self.entries[self.selected]
        note = mod_note(self.listed[self.selected], self.style)
        self.details.set_text(scaled(self, note + scenario_details(result, path, self.style)))
        if result.scenario is None:
            self.choose_button.disable()
        else:
            self.choose_button.enable()

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F5:
            self.reload()
            return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_c:
            self.app.focus(self.code)
            return True
        if event.type == pygame.KEYDOWN and event.key in ENTER and self._code_chosen:
            self.open_code()
            return True
        return self.picker.handle(event) or self.menu.handle(event)

    def focus_primary(self, field) -> None:
        self.menu.focus_widget(self.code_button)

    def reload(self) -> None:
        """Read every crisis from disk again, keeping the selected row."""
        self.first = self.selected
        self.load_entries()
        self.first = min(self.first, len(self.entries) - 1)
        self.relayout()

    def resume(self) -> None:
        super().resume()
        if self.root is not None and self.app.scene is self:
            self._show()  # a crisis read again at set-up shows its new text here too

    def check_mods(self) -> None:
        self.app.push("mod-checker", self.listed)

    def replace_entry(self, path, result: loader.LoadResult) -> None:
        """A crisis read again at set-up: the list shows the new version."""
        for index, entry in enumerate(self.listed):
            if entry.path == path:
                self.listed[index] = attrs.evolve(entry, result=result)
                self.entries[index] = (path, result)

    def open_code(self) -> None:
        """Start setting up the crisis a typed code names, with its seed."""
        try:
            path, result, seed = scenario_for_code(self.entries, self.code.get_text())
        except CodeError as problem:
            self.code_status.set_text(str(problem))
            return
        self.code_status.set_text(BROWSER_HINT)
        self.menu.focus(0)  # back from the set-up, Enter chooses a row again
        self.app.push(SetupScene(self.app, result, path, self, seed=seed))

    def choose(self) -> None:
        path, result = self.entries[self.selected]
        if result.scenario is not None:
            self.app.push(SetupScene(self.app, result, path, self))

    def demo_step(self) -> None:
        self.choose()


class SetupScene(Scene):
    """Who plays each envoy (a team name for each human seat), class play, and the crisis code."""

    name = "setup"

    def __init__(
        self,
        app,
        result: loader.LoadResult,
        path=None,
        browser=None,
        seed: int | None = None,
    ):
        super().__init__(app)
        self.result = result
        self.scenario = result.unwrap()
        self.path = path  # the file, read again by F5
        self.browser = browser
        demo = app.demo is not None
        self._default_seats()
        if seed is None:
            seed = (
                app.demo.seed
                if demo
                else rng.derive(rng.seed_state(int.from_bytes(os.urandom(8))), 1)
            )
        self.seed = seed % LIMIT
        self.timer_minutes = CLASS["timer_default"]
        self.auto_pass = False
        self.reflect = None  # None: on for a class of several teams, off for one player
        self.row = 0
        self.error = ""

    def _default_seats(self) -> None:
        """The first required envoy (else the first) is human, the rest AI."""
        difficulty = self.app.settings.ai_difficulty
        self.kinds = []
        self.difficulties = []
        self.teams = [f"Team {index + 1}" for index in range(len(self.scenario.envoys))]
        human_taken = self.app.demo is not None
        for envoy in self.scenario.envoys:
            if not human_taken and envoy.required:
                self.kinds.append(HUMAN)
                human_taken = True
            else:
                self.kinds.append(AI)
            self.difficulties.append(difficulty)
        if not human_taken:
            self.kinds[0] = HUMAN

    def build(self) -> None:
        width, height = self.app.size
        s = self.scenario
        margin = self.px(40)
        inner = min(width - 2 * margin, self.px(1000))
        left = (width - inner) // 2
        top = self.px(20)
        label(
            self, pygame.Rect(left, top, inner, self.px(44)), f"Set up: {plain(s.title)}", "heading"
        )
        rows = len(s.envoys) + 3
        fixed = top + self.px(56) + self.px(14) + self.px(40) + self.px(48) + self.px(36) + margin
        gap = max(self.px(36), min(self.px(54), (height - fixed) // rows))
        row_h = gap - self.px(8)
        y = top + self.px(56)
        name_w = inner - self.px(430)
        col2, col3 = left + name_w, left + name_w + self.px(216)
        self.kind_buttons, self.level_buttons, self.team_entries = [], [], []
        for index, envoy in enumerate(s.envoys):
            note = "" if envoy.required else "  (optional)"
            label(self, pygame.Rect(left, y, name_w, row_h), f"{plain(envoy.name)}{note}")
            self.kind_buttons.append(
                button(
                    self, pygame.Rect(col2, y, self.px(200), row_h), "", tip="Click, or Left/Right"
                )
            )
            self.level_buttons.append(
                button(
                    self, pygame.Rect(col3, y, self.px(214), row_h), "", tip="Click or D to change"
                )
            )
            entry = UITextEntryLine(
                pygame.Rect(col3, y, self.px(214), row_h),
                self.app.ui,
                container=self.root,
                initial_text=self.teams[index],
            )
            entry.set_text_length_limit(CLASS["team_name_max_chars"])
            self.team_entries.append(entry)
            y += gap
        y += self.px(6)
        label(self, pygame.Rect(left, y, name_w, row_h), "Turn timer (advisory)")
        self.timer_button = button(self, pygame.Rect(col2, y, self.px(200), row_h), "")
        self.pass_button = button(
            self, pygame.Rect(col3, y, self.px(214), row_h), "", tip="What happens when time is up"
        )
        y += gap
        label(self, pygame.Rect(left, y, name_w, row_h), "Facilitator PIN (F9), optional")
        self.pin = UITextEntryLine(
            pygame.Rect(col2, y, self.px(200), row_h),
            self.app.ui,
            container=self.root,
        )
        self.pin.set_text_length_limit(CLASS["pin_digits"]["max"])
        self.pin.set_allowed_characters("numbers")
        self.reflect_button = button(
            self,
            pygame.Rect(col3, y, self.px(214), row_h),
            "",
            tip="Ask each team the crisis's reflection questions at the end of its turn",
        )
        y += gap
        label(self, pygame.Rect(left, y, name_w, row_h), "Crisis code (same code, same crisis)")
        self.code = UITextEntryLine(
            pygame.Rect(col2, y, self.px(200), row_h),
            self.app.ui,
            container=self.root,
            initial_text=crisis_code(s.id, self.seed),
        )
        self.code.set_text_length_limit(16)
        self.new_code = button(self, pygame.Rect(col3, y, self.px(214), row_h), "New code (R)")
        y += gap + self.px(4)
        self.status = label(self, pygame.Rect(left, y, inner, self.px(34)), "", "subtle")
        y += self.px(40)
        self.menu = Menu(vertical=False)
        self.menu.add(
            button(self, pygame.Rect(left, y, self.px(200), self.px(46)), "Start", "primary"),
            self.start,
            pygame.K_s,
        )
        self.menu.add(
            button(self, pygame.Rect(left + self.px(216), y, self.px(150), self.px(46)), "Back"),
            self.app.pop,
            pygame.K_ESCAPE,
        )
        self.shuffle_button = button(
            self,
            pygame.Rect(left + self.px(382), y, self.px(230), self.px(46)),
            "Shuffle teams (F)",
            tip="Give the team names to the human seats at random",
        )
        hint = (
            "Up/Down seat · Left/Right human or AI · D difficulty · T team name · "
            "C code · R new code · F5 read again · Enter start"
        )
        label(self, pygame.Rect(left, y + self.px(50), inner, self.px(30)), hint, "subtle")
        self._refresh()

    # State ------------------------------------------------------------------
    @property
    def humans(self) -> int:
        return self.kinds.count(HUMAN)

    @property
    def reflecting(self) -> bool:
        if not self.scenario.teacher.reflection:
            return False
        return self.humans > 1 if self.reflect is None else self.reflect

    def _read_teams(self) -> None:
        for index, entry in enumerate(self.team_entries):
            self.teams[index] = tidy(entry.get_text())

    def _refresh(self) -> None:
        self._read_teams()
        for index, kind in enumerate(self.kinds):
            kind_button, level_button = self.kind_buttons[index], self.level_buttons[index]
            entry = self.team_entries[index]
            kind_button.set_text({HUMAN: "Human team", AI: "AI", "": "Empty seat"}[kind])
            if kind == HUMAN:
                level_button.hide()
                entry.show()
            else:
                entry.hide()
                level_button.show()
                level_button.set_text(
                    f"AI: {LIMITS['ai_difficulty']['names'][self.difficulties[index]]}"
                    if kind == AI
                    else "—"
                )
                level_button.enable() if kind == AI else level_button.disable()
            kind_button.select() if index == self.row else kind_button.unselect()
        minutes = self.timer_minutes
        self.timer_button.set_text(f"Timer: {minutes} min" if minutes else "Timer: off")
        self.pass_button.set_text("Time up: ends turn" if self.auto_pass else "Time up: a warning")
        self.pass_button.enable() if minutes else self.pass_button.disable()
        if self.scenario.teacher.reflection:
            self.reflect_button.set_text(f"Reflections: {'on' if self.reflecting else 'off'}")
            self.reflect_button.enable()
        else:
            self.reflect_button.set_text("No reflections")
            self.reflect_button.disable()
        if self.humans > 1:
            self.shuffle_button.enable()
        else:
            self.shuffle_button.disable()
        self.status.set_text(self.error or self._summary())

    def _summary(self) -> str:
        humans, ais = self.humans, self.kinds.count(AI)
        envoys = f"{ais} AI envoy{'s' if ais != 1 else ''}"
        if humans == 0:
            return f"No human player: {envoys} play on their own."
        teams = "1 human" if humans == 1 else f"{humans} human teams taking turns (hot-seat)"
        return f"{teams}, {envoys}."

    def cycle_kind(self, index: int, step: int = 1) -> None:
        options = [HUMAN, AI] + ([] if self.scenario.envoys[index].required else [""])
        self.kinds[index] = options[(options.index(self.kinds[index]) + step) % len(options)]
        self.error = ""
        self._refresh()

    def cycle_level(self, index: int) -> None:
        levels = choices("ai_difficulty")
        self.difficulties[index] = levels[
            (levels.index(self.difficulties[index]) + 1) % len(levels)
        ]
        self._refresh()

    def cycle_timer(self) -> None:
        options = CLASS["timer_minutes"]
        at = options.index(self.timer_minutes) if self.timer_minutes in options else 0
        self.timer_minutes = options[(at + 1) % len(options)]
        self._refresh()

    def shuffle_teams(self) -> None:
        """Deal the typed team names to the human seats in a random order."""
        self._read_teams()
        rows = [i for i, kind in enumerate(self.kinds) if kind == HUMAN]
        names = [self.teams[i] for i in rows]
        order = sorted(range(len(names)), key=lambda _: os.urandom(4))
        for row, pick in zip(rows, order, strict=True):
            self.teams[row] = names[pick]
            self.team_entries[row].set_text(names[pick])
        self._refresh()

    def seats(self) -> list[Seat]:
        self._read_teams()
        return [
            Seat(envoy.id, kind, level, team if kind == HUMAN and self.humans > 1 else "")
            for envoy, kind, level, team in zip(
                self.scenario.envoys, self.kinds, self.difficulties, self.teams, strict=True
            )
            if kind
        ]

    def choices(self) -> Choices:
        self._read_teams()
        return Choices(
            self.scenario.id, self.code.get_text(), self.kinds, self.teams, self.pin.get_text()
        )

    def start(self) -> None:
        checked = check_setup(self.choices())
        if isinstance(checked, list):
            self.error = " ".join(checked)
            self._refresh()
            return
        self.seed = checked.seed
        try:
            match = Match.start(self.scenario, Source.of(self.result), self.seed, self.seats())
        except ValueError as problem:
            self.error = f"Cannot start: {problem}"
            self._refresh()
            return
        match.classroom = Classroom(
            timer_seconds=60 * self.timer_minutes,
            auto_pass=self.auto_pass and bool(self.timer_minutes),
            pin_hash=Classroom.hash_pin(checked.pin),
            reflect=self.reflecting,
        )
        self.app.open("open-match", match, True)

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            element = event.ui_element
            if element in self.kind_buttons:
                self.row = self.kind_buttons.index(element)
                self.cycle_kind(self.row)
                return True
            if element in self.level_buttons:
                self.cycle_level(self.level_buttons.index(element))
                return True
            simple = {
                self.new_code: self.roll_code,
                self.timer_button: self.cycle_timer,
                self.pass_button: self._toggle_pass,
                self.reflect_button: self._toggle_reflect,
                self.shuffle_button: self.shuffle_teams,
            }
            if element in simple:
                simple[element]()
                return True
        if event.type == pygame.KEYDOWN:
            count = len(self.kinds)
            key = event.key
            if key in (pygame.K_UP, pygame.K_DOWN):
                self.row = (self.row + (1 if key == pygame.K_DOWN else -1)) % count
                self._refresh()
                return True
            if key in (pygame.K_LEFT, pygame.K_RIGHT):
                self.cycle_kind(self.row, 1 if key == pygame.K_RIGHT else -1)
                return True
            if key == pygame.K_d and self.kinds[self.row] == AI:
                self.cycle_level(self.row)
                return True
            if key == pygame.K_t and self.kinds[self.row] == HUMAN:
                self.app.focus(self.team_entries[self.row])
                return True
            keys = {
                pygame.K_r: self.roll_code,
                pygame.K_c: lambda: self.app.focus(self.code),
                pygame.K_f: self.shuffle_teams,
                pygame.K_F5: self.reload,
                pygame.K_RETURN: self.start,
                pygame.K_KP_ENTER: self.start,
            }
            if key in keys:
                keys[key]()
                return True
        return self.menu.handle(event)

    def typing_changed(self, field) -> None:
        """The seat cursor follows the team being named; leaving a field shows what it means."""
        super().typing_changed(field)
        if field in self.team_entries:
            self.row = self.team_entries.index(field)
        self._refresh()

    def reload(self) -> None:
        """Read the crisis from disk again, so a modder can edit and retry.

        With errors, the last good version stays and the problems are shown.
        """
        if self.path is None:
            return
        result = mods.load(self.path, self.app.mods)
        if self.browser is not None:
            self.browser.replace_entry(self.path, result)
        if result.scenario is None:
            count = len(result.errors)
            self.error = (
                f"{self.path.name} has {count} error{'s' if count != 1 else ''} now; "
                "the last good version stays."
            )
            self._refresh()
            self.app.push("mod-checker-file", self.path, result)
            return
        self._read_teams()
        code, pin = self.code.get_text(), self.pin.get_text()
        old_envoys = [e.id for e in self.scenario.envoys]
        self.result, self.scenario = result, result.scenario
        if [e.id for e in self.scenario.envoys] != old_envoys:
            self._default_seats()
            self.row = 0
        self.relayout()
        self.code.set_text(code)
        self.pin.set_text(pin)
        self.error = ""
        warnings = len(result.warnings)
        note = f" ({warnings} warning{'s' if warnings != 1 else ''})" if warnings else ""
        self.status.set_text(f"Read {self.path.name} again{note}. {self._summary()}")

    def resume(self) -> None:
        super().resume()  # shows every widget again: hide what this seat's kind does not use
        self._refresh()

    def _toggle_pass(self) -> None:
        self.auto_pass = not self.auto_pass
        self._refresh()

    def _toggle_reflect(self) -> None:
        self.reflect = not self.reflecting
        self._refresh()

    def roll_code(self) -> None:
        self.seed = rng.derive(rng.seed_state(self.seed ^ int.from_bytes(os.urandom(4))), 7) % LIMIT
        self.code.set_text(crisis_code(self.scenario.id, self.seed))
        self.error = ""
        self._refresh()

    def demo_step(self) -> None:
        self.start()


class BriefingScene(Scene):
    """The situation, the parties, and the private agenda of the seat about to play."""

    name = "briefing"

    def __init__(self, app, match: Match, envoy: str | None):
        super().__init__(app)
        self.match = match
        self.envoy = envoy

    def build(self) -> None:
        width, height = self.app.size
        s = self.match.scenario
        margin = self.px(48)
        inner = min(width - 2 * margin, self.px(1180))
        left = (width - inner) // 2
        parties = "".join(
            f"<br><b>{escape(p.name)}</b>" + (f": {escape(p.text)}" if p.text else "")
            for p in s.parties
        )
        markup = (
            f"{heading(s.title, 6)}<br><br>{escape(s.briefing)}<br><br>"
            f"{heading('The parties', 5)}{parties}"
        )
        if s.inspired_by:
            markup += f"<br><br><i>Inspired by: {escape(s.inspired_by)}</i>"
        body_h = height - 2 * margin - self.px(70)
        self.brief = None  # the seat's own brief, which Up/Down scroll
        if self.envoy is not None:
            spec = s.envoys[s.envoy_index(self.envoy)]
            agenda = "".join(
                f"<br>• {escape(o.text)} <i>({o.points} points)</i>" for o in spec.agenda
            )
            private = (
                f"{heading('Your brief', 5)}<br><b>{escape(spec.name)}</b><br>"
                + (f"{escape(spec.text)}<br>" if spec.text else "")
                + f"<br><b>Your private agenda</b> (only you see this){agenda}"
                + deal_wants(narrate.deal_wants(self.match.view(self.envoy), self.envoy, self.lang))
                + f"<br><br>Capital each turn: {spec.capital}"
            )
            split = int(inner * 0.6)
            text_box(self, pygame.Rect(left, margin, split - self.px(12), body_h), markup)
            self.brief = text_box(
                self, pygame.Rect(left + split, margin, inner - split, body_h), private
            )
        else:
            text_box(self, pygame.Rect(left, margin, inner, body_h), markup)
        y = height - margin - self.px(48)
        self.menu = Menu(vertical=False)
        self.menu.add(
            button(
                self, pygame.Rect(left, y, self.px(240), self.px(48)), "Begin the crisis", "primary"
            ),
            self.begin,
        )
        label(
            self,
            pygame.Rect(left + self.px(260), y, inner - self.px(260), self.px(48)),
            "Enter begins · Up/Down scroll your brief · Esc back to setup"
            if self.brief is not None
            else "Enter begins · Esc back to setup",
            "subtle",
        )

    def begin(self) -> None:
        self.app.reset("board", self.match)

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()
            return True
        if self.brief is not None and scroll_by_key(self.brief, event, self.style.line_height(17)):
            return True
        return self.menu.handle(event)

    def demo_step(self) -> None:
        self.begin()
