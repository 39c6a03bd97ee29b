"""Reading and writing the CLI's and the loader's files without ever hanging or dumping a traceback.

Only regular files are read (a FIFO would block forever, /dev/zero never ends), and never more
than a bound; every failure becomes a Problem that names the file.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from ..source import Problem, ValidationError


def display(path: Path) -> str:
    """The path as the user should read it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)
    except (OSError, ValueError):
        return str(path)


def _fail(name: str, message: str) -> ValidationError:
    return ValidationError([Problem(name, None, "", message)])


def read_bounded(path: Path, limit: int, what: str = "file", name: str | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; ValidationError otherwise.

    `name` is how messages call the file (default: `display(path)`, which costs a `resolve`).
    """
    name = display(path) if name is None else name
    try:
        info = path.stat()
    except OSError as exc:
        raise _fail(name, f"cannot read {what}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise _fail(name, f"is a directory, not a {what}")
    if not stat.S_ISREG(info.st_mode):
        raise _fail(name, "is not a regular file (a device, pipe or socket): not read")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise _fail(name, f"cannot read {what}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise _fail(name, f"{what} is larger than {_size(limit)}")
    return data


def read_stdin(limit: int) -> bytes:
    """Standard input, at most `limit` bytes."""
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise _fail("<stdin>", f"input is larger than {_size(limit)}")
    return data


def write_text(path: Path, text: str) -> None:
    """Write a text file (UTF-8); ValidationError naming the file if it cannot be written."""
    try:
        path.write_text(text, encoding="utf-8")
    except IsADirectoryError:
        raise _fail(str(path), "is a directory: give a file name to write") from None
    except OSError as exc:
        raise _fail(str(path), f"cannot write file: {exc.strerror or exc}") from None


def make_directory(path: Path) -> None:
    """Create a directory (and its parents); ValidationError naming it if that fails."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _fail(str(path), f"cannot create directory: {exc.strerror or exc}") from None


def _size(limit: int) -> str:
    return f"{limit // 1024 // 1024} MB" if limit >= 1024 * 1024 else f"{limit} bytes"
