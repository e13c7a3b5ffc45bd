"""A strict reader of the pages the game writes (the debrief report), for tests."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}


class Page(HTMLParser):
    """A strict reading of a page: every element closed, in order, or the test fails.

    It keeps the tags seen, the text, the relation figures, and the text of each
    team's section.
    """

    def __init__(self, markup: str):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.figures = 0
        self.open: list[str] = []
        self.sections: list[list[str]] = []
        self.feed(markup)
        self.close()
        assert not self.open, f"never closed: {self.open}"
        assert markup.startswith("<!DOCTYPE html>")

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "figure" and ("class", "relation") in attrs:
            self.figures += 1
        if tag == "section" and ("class", "team") in attrs:
            self.sections.append([])
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)  # <polyline ... />: opened and closed at once

    def handle_endtag(self, tag):
        where = "line {}, column {}".format(*self.getpos())
        assert self.open, f"</{tag}> with nothing open at {where}"
        assert self.open[-1] == tag, f"</{tag}> closes <{self.open[-1]}> at {where}"
        self.open.pop()

    def handle_data(self, data):
        self.text.append(data)
        if "section" in self.open and self.sections:
            self.sections[-1].append(data)

    @property
    def all_text(self) -> str:
        return " ".join(self.text)
