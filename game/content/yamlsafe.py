"""A hardened YAML reader for files written by teachers and modders.

PyYAML is only used to turn text into an event stream; the tree is built here,
iteratively, so that hostile or broken input ends as a :class:`ContentError`
with a file:line:col position instead of a crash, a hang or a constructed object:

* size, binary content and encoding are checked before anything is parsed;
* nesting is capped at :data:`MAX_DEPTH` (PyYAML's composer is recursive and
  dies on deep input; its parser and scanner keep explicit stacks, and since
  events are consumed lazily we stop long before a deep file is fully scanned);
* anchors, aliases and tags are refused, so there is no "billion laughs" and
  nothing is ever constructed from a tag;
* duplicate keys, non-name keys and extra documents are refused;
* plain scalars are resolved by our own small, strict table: ``NO`` and ``on``
  stay strings, ``true``/``false``/``null``/decimal numbers do not;
* every string, key or value, is refused if it holds a character the game cannot
  show, store or print (see :func:`unshowable`), whether it was typed or written
  as an escape such as ``"\\0"`` or ``"\\ud800"``.

Every value and key gets a position in :class:`Marks`, so later checks can
point at the exact line a modder has to fix.
"""

from __future__ import annotations

import codecs
import math
import pathlib
import re
from collections.abc import Sequence

import attrs
import yaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceStartEvent,
)

from game.content.diagnostics import ContentError, Diagnostic
from game.files import NotAFile, TooLarge, describe, read_regular

MAX_BYTES = 1_000_000
MAX_DEPTH = 64
# PyYAML's pure-Python parser costs about 16 µs a value, so a file of tiny values
# just under MAX_BYTES would take seconds. Border Incident has about 600 values;
# this cap allows a crisis thirty times its size and keeps refusals well under 1 s.
MAX_VALUES = 20_000

Path = tuple[str | int, ...]
Position = tuple[int, int]

# Stop collecting after this many problems: enough to fix a file in one go,
# and it bounds the report for a file that is wrong on every line.
_MAX_PROBLEMS = 50

_BOOLS = {"true": True, "false": False}
_NULLS = frozenset({"", "~", "null"})
# Decimal only, no leading zeros (an id like 007 stays text), ASCII digits only
# (int() and float() would also accept '1_000' and non-ASCII digits).
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
# The line breaks PyYAML counts, so our positions agree with its marks.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")

# Characters no text of a crisis may hold, by what they are. The renderer cannot
# draw a NUL, a lone surrogate cannot be encoded (so neither drawn nor saved), and
# control characters move a terminal's cursor or change its state when a message
# quoting them is printed. Bidirectional embeddings, overrides and isolates make
# text read differently from how it is stored (the "Trojan Source" spoof) and are
# never needed for a short game text: the marks U+200E, U+200F and U+061C are. Tab
# and newline stay, and so do the joiners (U+200B..U+200D) that Khmer, Indic and
# Arabic scripts and emoji need.
_UNSHOWABLE_KINDS = (
    ("\x00-\x08\x0b-\x1f\x7f-\x9f", "a control character", "remove it"),
    ("\ud800-\udfff", "half of a surrogate pair, not a character", "remove it"),
    (
        "\ufdd0-\ufdef"
        + "".join(f"{chr(p + 0xFFFE)}{chr(p + 0xFFFF)}" for p in range(0, 0x110000, 0x10000)),
        "a noncharacter",
        "remove it",
    ),
    ("\u2028\u2029", "a line or paragraph separator", "use an ordinary line break"),
    (
        "\u202a-\u202e\u2066-\u2069",
        "a bidirectional control",
        "it makes text read differently from how it is stored; use the marks "
        "U+200E or U+200F where the direction needs help",
    ),
)
_UNSHOWABLE = re.compile("[" + "".join(chars for chars, _, _ in _UNSHOWABLE_KINDS) + "]")

_SYNTAX_HINTS = {
    "mapping values are not allowed here": "put quotes around a value that contains ': '",
    "could not find expected ':'": "each entry of a mapping is written 'key: value'",
    "expected <block end>": "check the indentation of this line",
    "expected '<document start>'": "check the indentation of this line",
}


@attrs.frozen
class Marks:
    """Where each part of a parsed file was written (1-based line, column)."""

    file: str
    values: dict[Path, Position]
    keys: dict[Path, Position]
    styles: dict[Path, str | None]

    def at(self, path: Path) -> Position:
        """Position of the value at path, else of its nearest marked ancestor, else (1, 1)."""
        path = tuple(path)
        for end in range(len(path), -1, -1):
            mark = self.values.get(path[:end])
            if mark is not None:
                return mark
        return (1, 1)

    def key_at(self, path: Path) -> Position:
        """Position of the key for path (falls back to at(path))."""
        return self.keys.get(tuple(path)) or self.at(path)


def read_yaml(data: bytes, file: str) -> tuple[object, Marks]:
    """Parse one YAML document into plain Python values (dict/list/str/int/float/bool/None).

    Raises ContentError([Diagnostic, ...]) on any problem and never anything else.
    """
    tree, marks, problems = read_yaml_partial(data, file)
    if problems:
        raise ContentError(problems)
    assert marks is not None
    return tree, marks


def read_yaml_partial(
    data: bytes, file: str
) -> tuple[object, Marks | None, tuple[Diagnostic, ...]]:
    """Like :func:`read_yaml`, but a file whose problems left its tree whole is still returned.

    A duplicate key, a tag, an anchor or a string with a character the game cannot show
    is reported, and the rest of the file is kept (the offending key is dropped, the
    character replaced by U+FFFD), so a checker can go on to find the file's other
    problems in the same run. When the file cannot be read to its end (a syntax error,
    a limit) the tree and marks are None. Never raises.
    """
    try:
        text = _decode(data, file)
        builder = _TreeBuilder(file, text)
        try:
            for event in yaml.parse(text, Loader=yaml.SafeLoader):
                builder.feed(event)
        except yaml.YAMLError as exc:
            builder.fail(_syntax_problem(exc, text, file))
        except RecursionError:  # not expected (nothing here recurses), but never let it escape
            builder.fail(Diagnostic(file, 1, 1, "the file is nested too deeply to read"))
        except MemoryError:
            builder.fail(Diagnostic(file, 1, 1, "the file is too large to read"))
        return builder.finish()
    except ContentError as error:
        return None, None, error.diagnostics


def read_yaml_file(path: pathlib.Path, display_name: str | None = None) -> tuple[object, Marks]:
    """Read a file (refusing huge and non-regular files before reading) and parse it."""
    file = display_name or str(path)
    return read_yaml(read_bytes(path, file), file)


def read_bytes(path: pathlib.Path, file: str | None = None) -> bytes:
    """A file's bytes, refusing huge and non-regular files before reading them."""
    file = file or str(path)
    try:
        return read_regular(path, MAX_BYTES)
    except TooLarge as exc:
        raise _too_big(file, exc.size) from None
    except NotAFile as exc:
        hint = "give the path of a .yaml file"
        raise _error(file, 1, 1, f"cannot read the file: {exc.problem}", hint) from None
    except OSError as exc:
        message = f"cannot read the file: {describe(exc)}"
        raise _error(file, 1, 1, message, "check that it exists and can be read") from None


def unshowable(text: str) -> tuple[int, str, str] | None:
    """The first character of text the game cannot show, store or print, if any.

    Returns its index, a message naming it and a hint.
    """
    match = _UNSHOWABLE.search(text)
    if match is None:
        return None
    char = match.group()
    for chars, kind, hint in _UNSHOWABLE_KINDS:
        if re.fullmatch(f"[{chars}]", char):
            message = f"this text holds U+{ord(char):04X} ({kind}), which the game cannot show"
            return match.start(), message, hint
    raise AssertionError(char)  # pragma: no cover - every class is listed


def source_lines(raw: bytes) -> list[str]:
    """The lines of a file as :func:`locate` walks them."""
    return _split_lines(raw.decode("utf-8-sig", errors="replace"))


def _split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


_ESCAPE_LENGTH = {"x": 4, "u": 6, "U": 10}


def locate(lines: Sequence[str], line: int, col: int, style: str | None, offset: int) -> Position:
    """The (line, col) of character ``offset`` of a scalar that starts at (line, col).

    Walks the source as YAML folds it: a line break with the indentation around it
    is one character of the value, and an escape (or a doubled quote) is one
    character written as several.
    """
    row, at = line - 1, col - 1
    if style in ("'", '"'):
        at += 1
    elif style in ("|", ">"):  # the text starts on the line after the indicator
        row += 1
        if row >= len(lines):
            return line, col
        at = len(lines[row]) - len(lines[row].lstrip(" "))
    for _ in range(offset):
        if row >= len(lines):
            return line, col
        text = lines[row]
        if at >= len(text.rstrip(" \t")):  # a line break, folded into one character
            row += 1
            while row < len(lines) and not lines[row].strip():
                row += 1
            if row >= len(lines):
                return line, col
            at = len(lines[row]) - len(lines[row].lstrip(" \t"))
            continue
        if style == '"' and text[at] == "\\":
            at += _ESCAPE_LENGTH.get(text[at + 1 : at + 2], 2)
        elif style == "'" and text[at : at + 2] == "''":
            at += 2
        else:
            at += 1
    return row + 1, at + 1


# --- reading and decoding ---------------------------------------------------


def _decode(data: bytes, file: str) -> str:
    if len(data) > MAX_BYTES:
        raise _too_big(file, len(data))
    nul = data.find(b"\0")
    if nul >= 0:
        line, col = _byte_position(data, nul)
        raise _error(file, line, col, "this is a binary file, not YAML", "save it as UTF-8 text")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(data, exc.start)
        raise _error(file, line, col, "the file is not valid UTF-8", "save it as UTF-8") from None


def _too_big(file: str, size: int) -> ContentError:
    message = f"the file is {size} bytes, over the limit of {MAX_BYTES}"
    return _error(file, 1, 1, message, "is this the right file?")


def _error(file: str, line: int, col: int, message: str, hint: str = "") -> ContentError:
    return ContentError([Diagnostic(file, line, col, message, hint)])


def _byte_position(data: bytes, offset: int) -> Position:
    # Columns count characters, so decode the prefix (it may itself be broken
    # when we are locating a NUL byte; 'replace' keeps the count close).
    prefix = data[:offset].decode("utf-8", "replace")
    return _position(prefix, len(prefix))


def _position(text: str, index: int) -> Position:
    """1-based (line, col) of text[index], counting line breaks the way PyYAML does."""
    line, line_start = 1, 0
    for match in _LINE_BREAK.finditer(text, 0, index):
        line, line_start = line + 1, match.end()
    return line, index - line_start + 1


# --- syntax errors ----------------------------------------------------------


def _syntax_problem(exc: yaml.YAMLError, text: str, file: str) -> Diagnostic:
    if isinstance(exc, yaml.reader.ReaderError):
        line, col = _position(text, exc.position)
        message = f"the file contains the character U+{exc.character:04X}, which YAML forbids"
        return Diagnostic(file, line, col, message, "remove it")
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return Diagnostic(file, 1, 1, problem)
    return Diagnostic(file, mark.line + 1, mark.column + 1, problem, _syntax_hint(exc, text))


def _syntax_hint(exc: yaml.MarkedYAMLError, text: str) -> str:
    if _tab_near(text, exc.problem_mark.index):
        return "indent with spaces, not tabs"
    for problem, hint in _SYNTAX_HINTS.items():
        if problem in (exc.problem or ""):
            return hint
    if exc.context and exc.context_mark is not None:
        return f"{exc.context} that starts at line {exc.context_mark.line + 1}"
    return ""


def _tab_near(text: str, index: int) -> bool:
    """Is there a tab at index, or in the indentation of its line?"""
    if text[index : index + 1] == "\t":
        return True
    line_start = max(text.rfind(c, 0, index) for c in "\n\r\x85\u2028\u2029") + 1
    line = text[line_start : index + 1]
    indentation = line[: len(line) - len(line.lstrip(" \t"))]
    return "\t" in indentation


# --- building the tree from events -------------------------------------------

_MISSING = object()  # no document seen yet
_EXPECT_KEY = object()  # an open mapping is waiting for its next key
_DROP = object()  # the pending key was refused, so its value is read but dropped


@attrs.define
class _Open:
    """A collection that is still being filled."""

    path: Path
    value: dict | list
    key: object = None  # mappings only: a str, _EXPECT_KEY or _DROP
    key_lines: dict[str, int] = attrs.Factory(dict)


class _TooLarge(ValueError):
    pass


class _TreeBuilder:
    """Turns PyYAML events into plain values and marks, without recursion."""

    def __init__(self, file: str, text: str = ""):
        self.file = file
        self.text = text
        self._lines: list[str] | None = None
        self.marks = Marks(file, {}, {}, {})
        self.problems: list[Diagnostic] = []
        self.stack: list[_Open] = []
        self.dropping = 0  # collections open inside a dropped subtree
        self.documents = 0
        self.values = 0
        self.root: object = _MISSING

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, NodeEvent):
            self._node(event)
        elif isinstance(event, CollectionEndEvent):
            self._close()
        elif isinstance(event, DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.fail(
                    self._diagnostic(
                        event.start_mark,
                        "only one YAML document is allowed",
                        "remove the '---' line, or split the file in two",
                    )
                )

    def finish(self) -> tuple[object, Marks, tuple[Diagnostic, ...]]:
        if self.root is _MISSING:
            hint = "write at least one 'key: value' line"
            self.fail(Diagnostic(self.file, 1, 1, "the file is empty", hint))
        return self.root, self.marks, tuple(self.problems)

    def fail(self, diagnostic: Diagnostic) -> None:
        raise ContentError([*self.problems, diagnostic])

    def _problem(self, mark: yaml.Mark, message: str, hint: str = "") -> None:
        self.problems.append(self._diagnostic(mark, message, hint))
        if len(self.problems) >= _MAX_PROBLEMS:
            raise ContentError(self.problems)

    def _diagnostic(self, mark: yaml.Mark, message: str, hint: str = "") -> Diagnostic:
        line, col = _mark_position(mark)
        return Diagnostic(self.file, line, col, message, hint)

    def _showable(self, event: ScalarEvent) -> str:
        """The scalar's text, after reporting (and replacing) what cannot be shown."""
        text = event.value
        found = unshowable(text)
        if found is None:
            return text
        index, message, hint = found
        if self._lines is None:
            self._lines = _split_lines(self.text)
        line, col = locate(self._lines, *_mark_position(event.start_mark), event.style, index)
        self.problems.append(Diagnostic(self.file, line, col, message, hint))
        if len(self.problems) >= _MAX_PROBLEMS:
            raise ContentError(self.problems)
        return _UNSHOWABLE.sub("\ufffd", text)

    def _node(self, event: NodeEvent) -> None:
        self.values += 1
        if self.values > MAX_VALUES:
            self.fail(
                self._diagnostic(
                    event.start_mark,
                    f"the file has more than {MAX_VALUES} values",
                    "a scenario this large is almost certainly a mistake; split it up",
                )
            )
        self._check_properties(event)
        opens = isinstance(event, CollectionStartEvent)
        if opens and len(self.stack) + self.dropping >= MAX_DEPTH:
            message = f"nesting is deeper than {MAX_DEPTH} levels"
            self.fail(self._diagnostic(event.start_mark, message, "flatten the structure"))
        if self.dropping:
            self.dropping += opens
            return
        parent = self.stack[-1] if self.stack else None
        if parent is not None and parent.key is _EXPECT_KEY:
            self._key(parent, event)
        else:
            self._value(parent, event)

    def _close(self) -> None:
        if self.dropping:
            self.dropping -= 1
        else:
            self.stack.pop()

    def _check_properties(self, event: NodeEvent) -> None:
        if isinstance(event, AliasEvent) or event.anchor is not None:
            hint = "write the value out in full"
            self._problem(event.start_mark, "anchors and aliases are not allowed", hint)
        tag = getattr(event, "tag", None)
        if tag is not None:
            message = f"tags are not allowed: {_shorten(_written_tag(tag))}"
            self._problem(event.start_mark, message, "remove the tag")

    def _key(self, parent: _Open, event: NodeEvent) -> None:
        parent.key = _DROP  # until the key proves to be a usable name
        if isinstance(event, CollectionStartEvent):
            kind = "list" if isinstance(event, SequenceStartEvent) else "mapping"
            hint = "keys are plain names; check for a stray '[', '{' or '?'"
            self._problem(event.start_mark, f"a key must be a name, not a {kind}", hint)
            self.dropping = 1
            return
        if not isinstance(event, ScalarEvent):  # an alias, already reported
            return
        if unshowable(event.value) is not None:
            self._showable(event)
            return
        name = event.value
        if name == "" or (event.style is None and name in _NULLS):
            hint = "write a name before the ':'"
            self._problem(event.start_mark, "a key cannot be empty or null", hint)
            return
        first_line = parent.key_lines.get(name)
        if first_line is not None:
            hint = f"first defined at line {first_line}"
            self._problem(event.start_mark, f"duplicate key {_shorten(name)}", hint)
            return
        line_col = _mark_position(event.start_mark)
        parent.key_lines[name] = line_col[0]
        parent.key = name
        self.marks.keys[(*parent.path, name)] = line_col

    def _value(self, parent: _Open | None, event: NodeEvent) -> None:
        if parent is None:
            path: Path | None = ()
        elif isinstance(parent.value, list):
            path = (*parent.path, len(parent.value))
        else:
            path = None if parent.key is _DROP else (*parent.path, parent.key)
            parent.key = _EXPECT_KEY
        if path is None:
            self.dropping = int(isinstance(event, CollectionStartEvent))
            return
        value = self._make(event, path)
        if parent is None:
            self.root = value
        elif isinstance(parent.value, list):
            parent.value.append(value)
        else:
            parent.value[path[-1]] = value
        if isinstance(value, list):
            self.stack.append(_Open(path, value))
        elif isinstance(value, dict):
            self.stack.append(_Open(path, value, key=_EXPECT_KEY))

    def _make(self, event: NodeEvent, path: Path) -> object:
        self.marks.values[path] = _mark_position(event.start_mark)
        if isinstance(event, SequenceStartEvent):
            return []
        if isinstance(event, MappingStartEvent):
            return {}
        if not isinstance(event, ScalarEvent):  # an alias, already reported
            return None
        self.marks.styles[path] = event.style
        text = self._showable(event)
        if event.style is not None or event.tag is not None:
            return text
        try:
            return _resolve_plain(text)
        except _TooLarge:
            message = f"the number {_shorten(event.value)} is too large"
            self._problem(event.start_mark, message, "quote it if it is meant as text")
            return event.value


def _resolve_plain(text: str) -> object:
    """Our own scalar table: only these exact spellings are not strings."""
    if text in _BOOLS:
        return _BOOLS[text]
    if text in _NULLS:
        return None
    if _INT.fullmatch(text):
        try:
            return int(text)
        except ValueError:  # over Python's limit on digits in int()
            raise _TooLarge(text) from None
    if _FLOAT.fullmatch(text):
        number = float(text)
        if not math.isfinite(number):
            raise _TooLarge(text)
        return number
    return text


def _mark_position(mark: yaml.Mark) -> Position:
    return mark.line + 1, mark.column + 1


def _written_tag(tag: str) -> str:
    """The tag roughly as the author wrote it ('!!str' rather than 'tag:yaml.org,2002:str')."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


def _shorten(text: str, limit: int = 40) -> str:
    """Quote text for a one-line message."""
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    if not text.isprintable():
        text = text.encode("unicode_escape").decode("ascii")
    return f"'{text}'"
