"""Text from files and players, made safe to print to a terminal.

A file name, an id, a scenario title or a save's contents can hold any
character. Printed raw, an ESC starts a terminal control sequence (it can move
the cursor, rewrite earlier lines, or set the window title), a carriage return
or a bidirectional override makes one text look like another, and a name that
is not UTF-8 (kept by Python as lone surrogates) cannot be printed at all. So
every such character is shown as its escape, as Python writes it (ESC as
``\\x1b``, an undecodable byte 0xff as ``\\xff``), and a text is cut to a length
that fits a terminal.

:func:`safe` is for one untrusted value; :class:`SafeStream` wraps the CLI's
stdout and stderr so that nothing printed can reach the terminal unescaped,
whatever forgot to call :func:`safe`.
"""

from __future__ import annotations

import re
from typing import TextIO

LIMIT = 300  # characters of one value: a long path still shows its start and its file name

# C0 and C1 controls and DEL; lone surrogates (undecodable bytes of a file name);
# the bidirectional controls that reorder what follows ("Trojan Source"); and the
# line and paragraph separators some terminals break lines at.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def escape(text: object, keep: str = "") -> str:
    """``text`` with every control character escaped, except those in ``keep``."""
    text = str(text)
    if not keep:
        return _UNSAFE.sub(_escape, text)
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)


def safe(text: object, limit: int = LIMIT) -> str:
    """One untrusted value for a terminal line: escaped, and cut in the middle if long.

    The middle goes, so a path keeps its start and its file name.
    """
    text = escape(text)
    if len(text) <= limit:
        return text
    cut = len(text) - limit
    head = limit * 2 // 3
    return f"{text[:head]}…[{cut} characters]…{text[len(text) - (limit - head) :]}"


class SafeStream:
    """A text stream that escapes control characters on their way to the terminal.

    Newlines and tabs pass: they are the CLI's own layout. Everything else that
    could steer a terminal is escaped, and a character the stream's encoding cannot
    hold (Khmer on a Windows console redirected to a file) is written as its escape
    rather than failing the command.
    """

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.encoding = getattr(stream, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        shown = escape(text, keep="\n\t")
        try:
            shown.encode(self.encoding)
        except UnicodeEncodeError:
            shown = shown.encode(self.encoding, "backslashreplace").decode(self.encoding)
        except LookupError:  # an encoding Python does not know: the stream decides
            pass
        self.stream.write(shown)
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self.stream, name)
