"""The debrief: outcome, scores, the chart, turning points, agendas and questions."""

from __future__ import annotations

import os

import pygame

from game.engine.outcome import scores
from game.session import narrate
from game.session.codes import crisis_code
from game.session.frontier import Frontier, charts
from game.ui.app import Scene
from game.ui.render.chart import ChartLayout, chart_layout, draw_chart
from game.ui.render.frontier import Words, draw_frontier, frontier_layout, hit
from game.ui.text import shorten
from game.ui.widgets import Menu, button, escape, heading, label, scroll_by_key, text_box

SCROLL_HINT = "Up/Down, PgUp/PgDn, Home/End scroll the report · Left/Right choose · Enter"
DEALS_HINT = "F: the next chart · [ and ]: name each deal · Up/Down scroll · Enter"


class DebriefScene(Scene):
    name = "debrief"

    def __init__(self, app, match):
        super().__init__(app)
        self.match = match
        #: Every format-2 accord's deals, as the game ended; the left panel shows the
        #: tension chart (page 0) or one of these (page 1 on).
        self.frontiers: list[Frontier] = charts(match.scenario, match.state)
        self.page = 0
        self.selected: int | None = None

    def build(self) -> None:
        width, height = self.app.size
        px = self.px
        margin = px(24)
        self.header = self.header_layout()
        top = max(px(96), max(rect.bottom for _, rect in self.header) + px(12))
        chart_w = int((width - 3 * margin) * 0.52)
        body_h = height - top - margin - px(96)
        self.chart_rect = pygame.Rect(margin, top, chart_w, body_h)
        text_rect = pygame.Rect(2 * margin + chart_w, top, width - 3 * margin - chart_w, body_h)
        self.report = text_box(self, text_rect, self._report())
        y = height - margin - px(48)
        self.menu = Menu(vertical=False)
        self.menu.add(
            button(self, pygame.Rect(margin, y, px(220), px(48)), "Back to title", "primary"),
            self.to_title,
            pygame.K_ESCAPE,
        )
        self.menu.add(
            button(self, pygame.Rect(margin + px(236), y, px(220), px(48)), "Play again"),
            self.again,
            pygame.K_r,
        )
        self.menu.add(
            button(
                self,
                pygame.Rect(margin + px(472), y, px(240), px(48)),
                "Export report (X)",
                tip="Write report.html, meters.csv and log.json beside the saves",
            ),
            self.export,
            pygame.K_x,
        )
        if self.frontiers:
            self.menu.add(
                button(
                    self,
                    pygame.Rect(margin + px(728), y, px(150), px(48)),
                    "Deals (F)",
                    tip="Every possible deal of each accord, and the balanced one",
                ),
                self.next_page,
                pygame.K_f,
            )
        self.export_status = label(
            self,
            pygame.Rect(margin, y - px(38), width - 2 * margin, px(32)),
            getattr(self, "exported", "") or (DEALS_HINT if self.frontiers else SCROLL_HINT),
            "subtle",
        )

    def export(self) -> None:
        """Write the debrief pack into the save folder, and say where."""
        from game.files import describe
        from game.session.report import folder_name, write_report

        folder = self.app.saves.folder / folder_name(self.match)
        try:
            paths = write_report(self.match, folder, self.lang)
        except OSError as error:  # a read-only or full disk: say why, and the game goes on
            self.exported = f"Could not export the report: {describe(error)}"
        else:
            where = paths[0].parent
            self.exported = f"Report written beside the saves, in {where.name}{os.sep}"
        self.export_status.set_text(self.exported)

    def _report(self) -> str:
        match, scenario = self.match, self.match.scenario
        state = match.state
        parts = [heading("Scores", 5)]
        results = scores(state)
        for seat in match.seats:
            score = results[seat.envoy]
            human = match.team(seat.envoy, self.lang) if match.hot_seat else "you"
            who = human if seat.is_human else f"AI, {seat.difficulty}"
            parts.append(
                f"<br><b>{escape(narrate.envoy(scenario, seat.envoy, self.lang))}</b> ({who}): "
                f"{score.total:.1f} points"
            )
        parts.append("<br><br>" + heading("Turning points", 5))
        muted = self.style.markup("muted")
        for entry in narrate.turning_points(match.ledger):
            change = escape(narrate.change(scenario, entry, self.lang))
            why = escape(narrate.why(scenario, entry, self.lang))
            parts.append(
                f"<br>Turn {entry.turn}: <b>{change}</b>"
                f"<br><font size=3 color={muted}>   why: {why}</font>"
            )
        parts.append("<br><br>" + heading("Each envoy's agenda, revealed", 5))
        for seat in match.seats:
            spec = scenario.envoys[scenario.envoy_index(seat.envoy)]
            met = {o.id for o in results[seat.envoy].objectives if o.met}
            team = (
                f" ({escape(match.team(seat.envoy, self.lang))})"
                if match.hot_seat and seat.is_human
                else ""
            )
            parts.append(f"<br><b>{escape(spec.name)}</b>{team}")
            for objective in spec.agenda:
                mark = "<b>met</b>" if objective.id in met else "missed"
                parts.append(f"<br>• {escape(objective.text)} ({objective.points} points): {mark}")
        if match.reflections:
            parts.append("<br><br>" + heading("Reflections", 5))
            for item in match.reflections:
                undone = " <i>(that turn was undone)</i>" if item.undone else ""
                parts.append(
                    f"<br><b>{escape(item.team)}</b>, turn {item.turn}{undone}: "
                    f"<i>{escape(item.prompt)}</i><br>   {escape(item.answer)}"
                )
        if match.facilitator:
            parts.append("<br><br>" + heading("The facilitator's actions", 5))
            for note in match.facilitator:
                undone = " <i>(undone later)</i>" if note.undone else ""
                why = f" Reason: {escape(note.reason)}" if note.reason else ""
                parts.append(f"<br>Turn {note.turn}: {escape(note.text)}{undone}{why}")
        parts.append("<br><br>" + heading("For discussion", 5))
        for index, question in enumerate(scenario.teacher.debrief_questions, 1):
            parts.append(f"<br>{index}. {escape(question)}")
        return "".join(parts)

    def header_layout(self) -> list[tuple[pygame.Surface, pygame.Rect]]:
        """The outcome, its sentence and the crisis line beside it, each where it is drawn:
        the sentence and the crisis title are cut to the window, never the crisis code a
        class replays the crisis with."""
        style, px = self.style, self.px
        match, scenario = self.match, self.match.scenario
        title, line = narrate.VERDICTS.get(match.state.outcome, (match.state.outcome.title(), ""))
        colour = {"peace": "good", "stalemate": "warn", "conflict": "bad"}.get(
            match.state.outcome, "text"
        )
        big = style.text(title, 40, colour, True)
        left = px(24) + big.get_width() + px(20)
        room = self.app.size[0] - left - px(24)
        line = shorten(lambda text: style.width(text, 17), line, room)
        said = style.text(line, 17, "muted")
        code = crisis_code(scenario.id, match.seed)
        rest = f" · {match.state.turn} of {match.state.last_turn} turns · crisis code {code}"
        name = shorten(
            lambda text: style.width(text, 15), str(scenario.title), room - style.width(rest, 15)
        )
        sub = style.text(name + rest, 15, "faint")
        middle = px(16) + big.get_height() // 2
        return [
            (big, big.get_rect(topleft=(px(24), px(16)))),
            (said, said.get_rect(bottomleft=(left, middle + px(4)))),
            (sub, sub.get_rect(topleft=(left, middle + px(6)))),
        ]

    def draw(self, surface: pygame.Surface) -> None:
        style, scenario = self.style, self.match.scenario
        for text, rect in self.header:
            surface.blit(text, rect)
        frontier = self.frontier
        if frontier is None:
            draw_chart(surface, self.chart_rect, style, *self.chart_data(), scenario.conflict_at)
        else:
            draw_frontier(
                surface, self.chart_rect, style, frontier, self.words(frontier), self.selected
            )

    @property
    def frontier(self) -> Frontier | None:
        return self.frontiers[self.page - 1] if self.page else None

    def next_page(self) -> None:
        """Show the next chart: the tension chart, then each accord's deals, around."""
        self.page = (self.page + 1) % (len(self.frontiers) + 1)
        self.selected = None

    def words(self, frontier: Frontier) -> Words:
        scenario, lang = self.match.scenario, self.lang
        said = narrate.FRONTIER_WORDS
        a, b = frontier.signatories[:2]
        selected = ""
        if self.selected is not None:
            point = frontier.points[self.selected]
            selected = narrate.package_line(scenario, frontier, point, lang)
        return Words(
            narrate.frontier_title(scenario, frontier, lang),
            narrate.frontier_caption(scenario, frontier, lang),
            narrate.frontier_axis(scenario, a, lang),
            narrate.frontier_axis(scenario, b, lang),
            said["edge"],
            said["nash"],
            said["draft"],
            said["signed"],
            said["origin"],
            said["outside"],
            narrate.frontier_sentence(scenario, frontier, lang),
            selected or narrate.FRONTIER_HINT,
        )

    def frontier_layout(self):
        frontier = self.frontier
        assert frontier is not None
        return frontier_layout(self.chart_rect, self.style, frontier, self.words(frontier))

    def chart_data(self) -> tuple[list[tuple[str, list[int], list[int]]], list[int]]:
        """Each relation's name, tension and trust turn by turn, and the turns."""
        match, scenario = self.match, self.match.scenario
        ids = [p.id for p in scenario.parties]
        series = [
            (
                narrate.pair(scenario, ids[relation.a], ids[relation.b], self.lang),
                [h.tension[index] for h in match.history],
                [h.trust[index] for h in match.history],
            )
            for index, relation in enumerate(scenario.relations)
        ]
        return series, [h.turn for h in match.history]

    def chart_layout(self) -> ChartLayout:
        series, turns = self.chart_data()
        names = [name for name, _, _ in series]
        return chart_layout(
            self.chart_rect, self.style, names, turns, self.match.scenario.conflict_at
        )

    def handle(self, event: pygame.event.Event) -> bool:
        # Left and Right choose a button, so Up, Down and the page keys are the report's.
        frontier = self.frontier
        key = event.unicode if event.type == pygame.KEYDOWN else ""
        if frontier is not None and key in ("[", "]"):
            step = 1 if key == "]" else -1
            start = -1 if step == 1 else 0
            current = start if self.selected is None else self.selected
            self.selected = (current + step) % len(frontier.points)
            return True
        if frontier is not None and event.type == pygame.MOUSEMOTION:
            found = hit(self.frontier_layout(), self.style, event.pos)
            if found is not None:
                self.selected = found
        line = self.style.line_height(17)
        return scroll_by_key(self.report, event, line) or self.menu.handle(event)

    def to_title(self) -> None:
        if self.app.demo is not None and self.app.demo.exit_when_done:
            self.app.quit(0)
            return
        self.app.reset("title")

    def again(self) -> None:
        self.app.reset("title")
        self.app.scene.new_game()

    def demo_step(self) -> None:
        self.to_title()
