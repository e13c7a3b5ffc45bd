"""Reading and writing the files players and modders give the game, safely.

Every file that comes from a user (a save, a scenario, the settings) is read
with :func:`read_regular`: it never opens a FIFO or a device, and never reads
more than a limit. Every file the game writes goes through :func:`write_atomic`:
a crash or a killed process never leaves one half-written, and the new file
gets the permissions any ordinary program would give it. :func:`describe`
turns an ``OSError`` into the few words a player can act on.
"""

from __future__ import annotations

import contextlib
import errno
import os
import pathlib
import re
import secrets
import stat
import time
from collections.abc import Iterator
from typing import BinaryIO

# A temporary file of write_atomic older than this was left by a write that was
# interrupted (a crash, a power cut): a live write renames its file within the
# seconds its fsync takes. An hour also spares a writer that was suspended (a
# laptop lid closed mid-save); if one was not spared, its save fails cleanly and
# the previous file stays whole.
STALE_TEMP_SECONDS = 3600
# mkstemp's pattern, which older versions used: ".NAME.xxxxxxxx.tmp".
_TEMP = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
MAX_NAME_BYTES = 255  # of one file name, on the file systems the game runs on
_TEMP_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_"
# An ordinary program creates files rw for everyone, and the umask takes away
# what the user does not share (open(2) applies it), so a teacher's umask decides.
_NEW_FILE_MODE = 0o666

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (a named pipe)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotAFile(OSError):
    """A path that is not a regular file, or a file over the size limit: never read."""

    def __init__(self, path: os.PathLike | str, problem: str):
        super().__init__(errno.EINVAL, problem, os.fspath(path))
        self.problem = problem

    def __str__(self) -> str:
        return self.problem


class TooLarge(NotAFile):
    def __init__(self, path: os.PathLike | str, size: int, limit: int):
        super().__init__(path, f"it is too large ({size:,} bytes; the limit is {limit:,})")
        self.size = size


def kind_of(info: os.stat_result) -> str:
    """What a path is, in words: "a regular file", "a folder", "a FIFO (a named pipe)"…"""
    for test, words in _KINDS:
        if test(info.st_mode):
            return words
    return "a regular file" if stat.S_ISREG(info.st_mode) else "not a regular file"


def _check(path: os.PathLike | str, info: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise NotAFile(path, f"it is {kind_of(info)}, not a file")
    if info.st_size > limit:
        raise TooLarge(path, info.st_size, limit)


def read_regular(path: os.PathLike | str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Raises :class:`NotAFile` for a folder, FIFO, device or socket and for a file
    over the limit, and ``OSError`` when the file cannot be read.
    """
    with open_regular(path, limit) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:  # it grew while it was read
        raise TooLarge(path, len(data), limit)
    return data


@contextlib.contextmanager
def open_regular(path: os.PathLike | str, limit: int) -> Iterator[BinaryIO]:
    """A regular file of at most ``limit`` bytes, opened to read (see :func:`read_regular`).

    A FIFO is never waited on and a device is never opened: the path is looked
    at before it is opened, and what was opened is checked again, in case it
    was swapped in between.
    """
    _check(path, os.stat(path), limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb") as stream:
        _check(path, os.fstat(fd), limit)
        yield stream


def describe(error: OSError) -> str:
    """The reason of an ``OSError`` in a few words a player can act on."""
    if isinstance(error, NotAFile):
        return error.problem
    reasons = {
        errno.ENAMETOOLONG: "a name in the path is too long",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the disk is read-only",
        getattr(errno, "EDQUOT", errno.ENOSPC): "the disk quota is full",
        errno.ENOSPC: "the disk is full",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.EEXIST: "a file is in the way of a folder",
        errno.ENOENT: "no such file or folder",
        errno.EISDIR: "it is a folder",
        errno.ELOOP: "too many symbolic links",
        errno.EFBIG: "the file is too large for the disk",
        errno.EIO: "the disk could not be read or written",
    }
    return reasons.get(error.errno or 0) or error.strerror or str(error) or type(error).__name__


def make_folder(folder: pathlib.Path) -> None:
    """Make a folder and its parents (raises ``NotADirectoryError`` if a file is in the way)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file, not a folder, has this name
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder)) from None


def write_atomic(path: pathlib.Path, data: bytes) -> None:
    """Write a file so that it is either the old one or the whole new one, never half.

    The bytes go to a temporary file in the same folder, are flushed to disk,
    and only then renamed over the target (an atomic step on every platform
    Envoy runs on). Temporary files that interrupted writes left in the folder
    are removed once they are old enough to be certainly abandoned.
    """
    path = pathlib.Path(path)
    make_folder(path.parent)
    fd, temp = _create_temp(path)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if os.name == "posix":  # make the rename itself durable
        with contextlib.suppress(OSError):
            folder = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
    remove_stale_temps(path.parent)


def _create_temp(path: pathlib.Path) -> tuple[int, pathlib.Path]:
    # Not mkstemp: it makes files 0600 whatever the umask, and a report or a
    # save must be as shareable as any file the user makes.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    name = path.name
    # The temp's name must fit where the target's does (255 bytes on common file systems).
    while len(f".{name}.12345678.tmp".encode()) > MAX_NAME_BYTES:
        name = name[:-1]
    while True:
        tag = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(8))
        temp = path.parent / f".{name}.{tag}.tmp"
        try:
            return os.open(temp, flags, _NEW_FILE_MODE), temp
        except FileExistsError:
            continue


def remove_stale_temps(folder: pathlib.Path, now: float | None = None) -> list[pathlib.Path]:
    """Delete the abandoned temporary files of interrupted writes in ``folder``.

    Only regular files named as :func:`write_atomic` names them and unchanged for
    :data:`STALE_TEMP_SECONDS` go; returns what was removed. Never raises.
    """
    now = time.time() if now is None else now
    removed = []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not _TEMP.fullmatch(entry.name):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_TEMP_SECONDS:
                    os.unlink(entry.path)
                    removed.append(pathlib.Path(entry.path))
    return removed
