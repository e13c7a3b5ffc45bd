"""Class play over the board: the hand-off between teams, reflections, and the facilitator.

The hand-off and pause screens are opaque scenes (not overlays), so the board
is not drawn behind them at all: nothing one team saw can show through while
the computer passes to the next. The facilitator panel turns the teacher's
choices into engine actions through the board, so they are logged, saved and
replayed like every move.
"""

from __future__ import annotations

import time

import pygame
from pygame_gui.elements import UIPanel, UISelectionList, UITextEntryLine

from game.engine.actions import Adjust, Extend, Inject
from game.session import narrate
from game.session.settings import LIMITS
from game.ui.app import Scene
from game.ui.widgets import Menu, button, deal_wants, escape, heading, label, text_box

CLASS = LIMITS["classroom"]
ENTER = (pygame.K_RETURN, pygame.K_KP_ENTER)


def open_facilitator(app, board) -> None:
    """F9: the facilitator panel, behind the class's PIN if it has one."""
    if board.match.classroom.pin_hash:
        app.push(PinScene(app, board, lambda: app.push(FacilitatorScene(app, board))))
    else:
        app.push(FacilitatorScene(app, board))


def _centre_text(scene, surface, text: str, size: int, y: int, colour: str = "text", bold=False):
    rendered = scene.style.text(text, size, colour, bold)
    surface.blit(rendered, rendered.get_rect(midtop=(scene.app.size[0] // 2, y)))
    return rendered.get_height()


class HandoffScene(Scene):
    """ "Pass to Team X — press Space when ready": an opaque screen between two teams.

    The first time a team takes its seat it then reads its private brief (its
    agenda) here, after the previous team has gone.
    """

    name = "handoff"

    def __init__(self, app, board, envoy: str):
        super().__init__(app)
        self.board = board
        self.envoy = envoy
        self.briefing = False

    def build(self) -> None:
        width, height = self.app.size
        px = self.px
        self.menu = Menu(vertical=False)
        bw = px(300)
        if not self.briefing:
            ready = button(
                self,
                pygame.Rect((width - bw) // 2, height // 2 + px(70), bw, px(54)),
                "Ready (Space)",
                "primary",
            )
            self.menu.add(ready, self.ready)
            return
        match = self.board.match
        spec = match.scenario.envoys[match.scenario.envoy_index(self.envoy)]
        agenda = "".join(f"<br>• {escape(o.text)} <i>({o.points} points)</i>" for o in spec.agenda)
        markup = (
            f"{heading(match.team(self.envoy, self.lang) + ': your private brief', 6)}<br><br>"
            f"<b>You play: {escape(spec.name)}</b><br>"
            + (f"{escape(spec.text)}<br>" if spec.text else "")
            + f"<br><b>Your private agenda</b> (only your team sees this){agenda}"
            + deal_wants(narrate.deal_wants(match.view(self.envoy), self.envoy, self.lang), True)
            + f"<br><br>Capital each turn: {spec.capital}"
        )
        w = min(width - px(96), px(900))
        box_h = height - px(48) - px(110)
        text_box(self, pygame.Rect((width - w) // 2, px(48), w, box_h), markup)
        start = button(
            self,
            pygame.Rect((width - bw) // 2, px(48) + box_h + px(24), bw, px(54)),
            "Start our turn (Enter)",
            "primary",
        )
        self.menu.add(start, self.ready)

    def ready(self) -> None:
        briefed = self.board.table.briefed
        if not self.briefing and self.envoy not in briefed:
            briefed.add(self.envoy)
            self.briefing = True
            self.relayout()
            return
        board = self.board
        self.app.pop()
        board.take_seat(self.envoy)

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_SPACE, *ENTER):
            self.ready()
            return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F9:
            self.board.open_facilitator()
            return True
        return self.menu.handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        if self.briefing:
            return
        match = self.board.match
        px = self.px
        y = self.app.size[1] // 2 - px(150)
        y += _centre_text(
            self, surface, f"Turn {match.state.turn} of {match.state.last_turn}", 20, y, "muted"
        )
        y += px(16)
        y += _centre_text(
            self, surface, f"Pass to {match.team(self.envoy, self.lang)}", 44, y, "accent", True
        )
        y += px(8)
        role = narrate.envoy(match.scenario, self.envoy, self.lang)
        y += _centre_text(self, surface, f"playing {role}", 22, y, "text")
        y += px(10)
        _centre_text(self, surface, "Press Space when ready", 22, y, "text", True)
        note = "Nothing of the last team's turn is on this screen. F9: facilitator"
        _centre_text(self, surface, note, 15, self.app.size[1] - px(44), "faint")

    def key_of(self) -> str:
        return "handoff-brief" if self.briefing else "handoff"

    def demo_step(self) -> None:
        self.ready()


class ReflectionScene(Scene):
    """The scenario's reflection prompt, answered by the team before its turn ends."""

    name = "reflection"
    overlay = True
    enter_submits = True

    def __init__(self, app, board, envoy: str, prompt: str):
        super().__init__(app)
        self.board = board
        self.envoy = envoy
        self.prompt = prompt

    def build(self) -> None:
        width, height = self.app.size
        px = self.px
        w, h = min(width - px(80), px(760)), px(330)
        left, top = (width - w) // 2, (height - h) // 2
        pad = px(24)
        UIPanel(pygame.Rect(left, top, w, h), manager=self.app.ui, container=self.root)
        team = self.board.match.team(self.envoy, self.lang)
        title = f"{team}: a moment to reflect"
        place = pygame.Rect(left + pad, top + pad, w - 2 * pad, px(42))
        shown = label(self, place, title, "heading")
        if shown.text != title:  # a long envoy's name: the name whole, rather than both cut
            shown.set_text(team)
        text_box(
            self,
            pygame.Rect(left + pad, top + pad + px(48), w - 2 * pad, px(96)),
            f"<b>{escape(self.prompt)}</b>",
        )
        self.entry = UITextEntryLine(
            pygame.Rect(left + pad, top + pad + px(154), w - 2 * pad, px(44)),
            self.app.ui,
            container=self.root,
            placeholder_text="Type your team's answer",
        )
        self.entry.set_text_length_limit(CLASS["reflection_max_chars"])
        self.app.focus(self.entry)
        y = top + h - pad - px(46)
        self.menu = Menu(vertical=False)
        self.menu.add(
            button(self, pygame.Rect(left + pad, y, px(240), px(46)), "Done (Enter)", "primary"),
            self.done,
        )
        self.menu.add(
            button(self, pygame.Rect(left + pad + px(256), y, px(200), px(46)), "Skip"),
            self.skip,
        )

    def done(self) -> None:
        self.board.match.reflect(self.envoy, self.entry.get_text(), self.lang)
        self._finish()

    def skip(self) -> None:
        self._finish()

    def _finish(self) -> None:
        board = self.board
        self.app.pop()
        board.commit_end(self.envoy)

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()  # back to the board: the turn is not over yet
            return True
        return self.menu.handle(event)

    def demo_step(self) -> None:
        self.skip()


class PinScene(Scene):
    """The facilitator's PIN, asked before the panel (or a resume) when the class set one."""

    name = "pin"
    overlay = True
    enter_submits = True

    def __init__(self, app, board, then):
        super().__init__(app)
        self.board = board
        self.then = then

    def build(self) -> None:
        width, height = self.app.size
        px = self.px
        w, h = px(460), px(250)
        left, top = (width - w) // 2, (height - h) // 2
        pad = px(24)
        UIPanel(pygame.Rect(left, top, w, h), manager=self.app.ui, container=self.root)
        label(
            self,
            pygame.Rect(left + pad, top + pad, w - 2 * pad, px(42)),
            "Facilitator PIN",
            "heading",
        )
        self.entry = UITextEntryLine(
            pygame.Rect(left + pad, top + pad + px(50), w - 2 * pad, px(44)),
            self.app.ui,
            container=self.root,
        )
        self.entry.set_allowed_characters("numbers")
        self.entry.set_text_length_limit(CLASS["pin_digits"]["max"])
        self.entry.set_text_hidden(True)
        self.app.focus(self.entry)
        self.status = label(
            self,
            pygame.Rect(left + pad, top + pad + px(100), w - 2 * pad, px(30)),
            "Enter opens · Esc twice goes back",
            "subtle",
        )
        y = top + h - pad - px(46)
        self.menu = Menu(vertical=False)
        self.menu.add(
            button(self, pygame.Rect(left + pad, y, px(180), px(46)), "Open", "primary"), self.check
        )
        self.menu.add(
            button(self, pygame.Rect(left + pad + px(196), y, px(160), px(46)), "Cancel"),
            self.app.pop,
        )

    def check(self) -> None:
        if self.board.match.classroom.pin_ok(self.entry.get_text()):
            self.app.pop()
            self.then()
            return
        self.entry.set_text("")
        self.app.focus(self.entry)
        self.status.set_text("That PIN is not right. Try again, or Esc twice to go back.")

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_F9):
            self.app.pop()
            return True
        return self.menu.handle(event)

    def demo_step(self) -> None:
        self.app.pop()


class PausedScene(Scene):
    """The facilitator paused the game: an opaque screen, and the timer stands still."""

    name = "paused"

    def __init__(self, app, board):
        super().__init__(app)
        self.board = board
        self.started = 0.0

    def build(self) -> None:
        width, height = self.app.size
        px = self.px
        self.menu = Menu(vertical=False)
        self.menu.add(
            button(
                self,
                pygame.Rect((width - px(300)) // 2, height // 2 + px(40), px(300), px(54)),
                "Resume (F9)",
                "primary",
            ),
            self.resume_game,
        )

    def open(self) -> None:
        super().open()
        if not self.started:
            self.started = time.perf_counter()
            self.board.table.pause()

    def resume_game(self) -> None:
        if self.board.match.classroom.pin_hash:
            self.app.push(PinScene(self.app, self.board, self.resumed))
        else:
            self.resumed()

    def resumed(self) -> None:
        self.board.table.resume(time.perf_counter() - self.started)
        self.app.pop()

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F9:
            self.resume_game()
            return True
        return self.menu.handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        y = self.app.size[1] // 2 - self.px(110)
        y += _centre_text(self, surface, "Paused", 56, y, "accent", True)
        _centre_text(self, surface, "The facilitator has paused the crisis.", 22, y + self.px(8))

    def demo_step(self) -> None:
        self.app.pop()


class FacilitatorScene(Scene):
    """The teacher's panel: pause, a crisis update from the deck, a meter, undo, more turns."""

    name = "facilitator"
    overlay = True

    def __init__(self, app, board):
        super().__init__(app)
        self.board = board
        self.message = ""

    # What can be chosen ----------------------------------------------------------------
    def meters(self) -> list[tuple[str, str, tuple[str, ...], int]]:
        """(label, meter, subject, current value) for every meter the panel can set."""
        match = self.board.match
        scenario, state = match.scenario, match.state
        ids = [p.id for p in scenario.parties]
        rows = []
        for index, relation in enumerate(scenario.relations):
            pair = (ids[relation.a], ids[relation.b])
            name = narrate.pair(scenario, *pair, self.lang)
            rows.append((f"Tension {name}", "tension", pair, state.tension[index]))
            rows.append((f"Trust {name}", "trust", pair, state.trust[index]))
            rows.append((f"Pressure {name}", "pressure", pair, state.pressure[index]))
            rows.append((f"Hotline turns {name}", "hotline", pair, state.hotline[index]))
        for index, party in enumerate(scenario.parties):
            rows.append((f"Posture of {party.name}", "posture", (party.id,), state.posture[index]))
            rows.append((f"Resolve of {party.name}", "resolve", (party.id,), state.resolve[index]))
        for seat in match.seats:
            envoy = scenario.envoy_index(seat.envoy)
            team = match.team(seat.envoy, self.lang)
            for index, party in enumerate(scenario.parties):
                value = state.standing_of(envoy, index)
                rows.append(
                    (
                        f"Standing of {team} with {party.name}",
                        "standing",
                        (seat.envoy, party.id),
                        value,
                    )
                )
            rows.append((f"Capital of {team}", "capital", (seat.envoy,), state.capital[envoy]))
        for index, counter in enumerate(scenario.counters):
            name = counter.replace("_", " ").capitalize()
            rows.append((f"Counter: {name}", "counter", (counter,), state.counters[index]))
        return rows

    # Layout ------------------------------------------------------------------------------
    def build(self) -> None:
        width, height = self.app.size
        px = self.px
        match = self.board.match
        w, h = min(width - px(40), px(1120)), min(height - px(30), px(640))
        left, top = (width - w) // 2, (height - h) // 2
        pad = px(18)
        # A UIPanel, so that it covers the board's own buttons (widgets draw above scenes).
        UIPanel(pygame.Rect(left, top, w, h), manager=self.app.ui, container=self.root)
        x, y = left + pad, top + pad
        inner = w - 2 * pad
        label(self, pygame.Rect(x, y, px(260), px(40)), "Facilitator", "heading")
        state = match.state
        label(
            self,
            pygame.Rect(x + px(270), y, inner - px(270), px(40)),
            f"Turn {state.turn} of {state.last_turn} · {len(match.facilitator)} action(s) so far",
            "subtle",
        )
        y += px(48)
        self.menu = Menu(vertical=False)
        undo_text = self.board.table.undo_label()
        undoable = match.undo_target() is not None
        row = [("Pause (P)", self.pause_crisis, pygame.K_p, px(130))]
        row.append((f"{undo_text} (U)" if undoable else undo_text, self.undo, pygame.K_u, px(300)))
        for turns in CLASS["extend_turns"]:
            row.append(
                (
                    f"+{turns} turn{'s' if turns > 1 else ''}",
                    lambda t=turns: self.extend(t),
                    None,
                    px(100),
                )
            )
        row.append(("Close (Esc)", self.app.pop, pygame.K_ESCAPE, px(140)))
        bx = x
        for text, action, key, bw in row:
            widget = button(self, pygame.Rect(bx, y, bw, px(44)), text)
            self.menu.add(widget, action, key)
            if action == self.undo and not undoable:
                widget.disable()
            bx += bw + px(8)
        y += px(56)
        column = (inner - px(20)) // 2
        bottom = top + h - pad
        status_h = px(34)
        list_h = bottom - status_h - px(8) - (y + px(34)) - px(54)
        # a crisis update from the deck
        label(self, pygame.Rect(x, y, column, px(30)), "Crisis update: fire an event from the deck")
        self.events = [e for e in match.scenario.events]
        self.event_list = UISelectionList(
            pygame.Rect(x, y + px(34), column, list_h),
            self.event_rows(),
            self.app.ui,
            container=self.root,
        )
        self.fire_button = button(
            self,
            pygame.Rect(x, y + px(34) + list_h + px(8), px(220), px(44)),
            "Fire event",
            "primary",
        )
        # a meter
        mx = x + column + px(20)
        label(self, pygame.Rect(mx, y, column, px(30)), "Adjust a meter (with a reason)")
        self.rows = self.meters()
        form_h = px(100)
        self.meter_list = UISelectionList(
            pygame.Rect(mx, y + px(34), column, list_h - form_h),
            [f"{text}: {value}" for text, _, _, value in self.rows],
            self.app.ui,
            container=self.root,
        )
        fy = y + px(34) + list_h - form_h + px(8)
        label(self, pygame.Rect(mx, fy, px(110), px(40)), "New value")
        self.value = UITextEntryLine(
            pygame.Rect(mx + px(110), fy, px(90), px(40)), self.app.ui, container=self.root
        )
        self.value.set_allowed_characters(list("-0123456789"))
        self.value.set_text_length_limit(4)
        # The reason has its own label: a placeholder would look like typed text.
        fy += px(46)
        label(self, pygame.Rect(mx, fy, px(110), px(40)), "Reason")
        self.reason = UITextEntryLine(
            pygame.Rect(mx + px(110), fy, column - px(110), px(40)),
            self.app.ui,
            container=self.root,
        )
        self.reason.set_text_length_limit(120)
        self.apply_button = button(
            self,
            pygame.Rect(mx + column - px(170), y + px(34) + list_h + px(8), px(170), px(44)),
            "Apply",
            "primary",
        )
        self.menu.add(self.fire_button, self.fire)
        self.menu.add(self.apply_button, self.adjust)
        self.status = label(
            self, pygame.Rect(x, bottom - status_h, inner, status_h), self.message, "subtle"
        )

    # Acting --------------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.message = text
        self.status.set_text(text)

    def pause_crisis(self) -> None:
        """Pause the crisis for the class (not :meth:`Scene.pause`, the hook for a
        screen coming over this one)."""
        self.app.pop()
        self.app.push(PausedScene(self.app, self.board))

    def event_rows(self) -> list[str]:
        """One row per event of the deck; a title two events share is told apart by the
        event's id, since the list reports the chosen row by its text."""
        titles = [str(e.title) for e in self.events]
        return [
            title if titles.count(title) == 1 else f"{title} ({event.id})"
            for title, event in zip(titles, self.events, strict=True)
        ]

    def fire(self) -> None:
        chosen = self.event_list.get_single_selection()
        titles = self.event_rows()
        if chosen not in titles:
            self._say("Choose an event in the list first.")
            return
        event = self.events[titles.index(chosen)]
        self._done(self.board.facilitate(Inject(event.id)), f"Fired: {event.title}.")

    def adjust(self) -> None:
        chosen = self.meter_list.get_single_selection()
        labels = [f"{text}: {value}" for text, _, _, value in self.rows]
        if chosen not in labels:
            self._say("Choose a meter in the list first.")
            return
        text, meter, subject, _ = self.rows[labels.index(chosen)]
        try:
            value = int(self.value.get_text())
        except ValueError:
            self._say("Type the new value as a whole number.")
            return
        reason = " ".join(self.reason.get_text().split())
        if not reason:
            self._say("Write a reason: it goes into the log and the debrief.")
            return
        problem = self.board.facilitate(Adjust(meter, subject, value, reason))
        self._done(problem, f"{text} set to {value}.")

    def undo(self) -> None:
        reason = " ".join(self.reason.get_text().split())
        target = self.board.match.undo_target()
        self._done(self.board.undo_turn(reason), f"Back to the start of turn {target}.")

    def extend(self, turns: int) -> None:
        self._done(self.board.facilitate(Extend(turns)), f"Added {turns} turn(s).")

    def _done(self, problem: str, success: str) -> None:
        if problem:
            self._say(f"Not done: {problem}.")
            return
        self.message = success
        if self.board.match.over or self.board.table.handing_off:
            self.app.pop()  # the board moves on (a hand-off, a decision or the debrief)
            return
        self.relayout()

    def focus_primary(self, field) -> None:
        self.menu.focus_widget(self.apply_button)  # the value and the reason are for Apply

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F9:
            self.app.pop()
            return True
        return self.menu.handle(event)

    def demo_step(self) -> None:
        self.app.pop()
