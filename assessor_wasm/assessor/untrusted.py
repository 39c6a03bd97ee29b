"""Untrusted bytes before they are parsed: share links and the JSON nesting guard.

Everything here is linear in its input and bounded, so a hostile link or file can neither stall
the worker nor inflate into gigabytes.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib

from .answers import MAX_ANSWERS_BYTES
from .contracts import AnswersDocument
from .source import Problem, ValidationError

SHARE_PREFIX = "a="
# Base64 of a deflated answers file: deflate never grows JSON much, so this bounds the work done
# on a hostile link before anything is decoded.
MAX_SHARE_CHARS = MAX_ANSWERS_BYTES * 4 // 3 + 16
BASE64_TEXT = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
# An answers file is three levels deep. Deeper input is refused before json.loads sees it: under
# Pyodide a deeply nested document overflows the WebAssembly stack and kills the interpreter
# instead of raising RecursionError as CPython does.
MAX_DEPTH = 32
# The scan below jumps with these: each matches in time linear in what it consumes, and none can
# backtrack (a string body is unrolled: runs of plain bytes, each escape followed by more).
_OUTSIDE = re.compile(rb'[^"\[\]{}]*')
_STRING_BODY = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*', re.DOTALL)
_CLOSING = {ord("]"): ord("["), ord("}"): ord("{")}


def _fail(name: str, message: str) -> ValidationError:
    return ValidationError([Problem(name, None, "", message)])


def decode_share(fragment: str, name: str = "the share link") -> bytes:
    """The answers file carried by a share link's fragment (`a=` + base64url of raw deflate)."""
    text = fragment[1:] if fragment.startswith("#") else fragment
    if not text.startswith(SHARE_PREFIX):
        raise _fail(name, f"expected the link to end in '#{SHARE_PREFIX}...'")
    text = text[len(SHARE_PREFIX) :]
    if len(text) > MAX_SHARE_CHARS:
        raise _fail(name, f"the link is too long ({len(text)} characters)")
    if not _BASE64URL.fullmatch(text):
        raise _fail(name, "the link is damaged: it has characters a share link never contains")
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise _fail(name, "the link is damaged: it is not valid base64") from None
    inflater = zlib.decompressobj(wbits=-15)
    try:
        # max_length bounds the output, so a small link cannot inflate into gigabytes.
        data = inflater.decompress(packed, MAX_ANSWERS_BYTES + 1)
    except zlib.error:
        raise _fail(name, "the link is damaged: its data cannot be unpacked") from None
    if len(data) > MAX_ANSWERS_BYTES or inflater.unconsumed_tail:
        raise _fail(name, f"the answers are larger than {MAX_ANSWERS_BYTES // 1024 // 1024} MB")
    if not inflater.eof:
        raise _fail(name, "the link is incomplete: was it cut off when it was copied?")
    return data


def nesting_ok(data: bytes) -> bool:
    """Whether JSON brackets balance and nest at most MAX_DEPTH deep (strings ignored).

    One pass, linear in the input: a hostile link or file must not be able to stall the worker.
    """
    stack: list[int] = []
    pos, end = 0, len(data)
    while True:
        pos = _OUTSIDE.match(data, pos).end()  # type: ignore[union-attr]
        if pos >= end:
            return not stack
        char = data[pos]
        if char == 0x22:  # '"': skip the string, escapes included
            pos = _STRING_BODY.match(data, pos + 1).end()  # type: ignore[union-attr]
            if pos >= end:
                return False  # an unterminated string
            pos += 1
        elif char in _CLOSING:
            if not stack or stack.pop() != _CLOSING[char]:
                return False
            pos += 1
        else:
            stack.append(char)
            if len(stack) > MAX_DEPTH:
                return False
            pos += 1


def encode_share(answers_file: AnswersDocument) -> str:
    """A share-link fragment (without '#') carrying an answers file."""
    data = json.dumps(answers_file, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = deflater.compress(data) + deflater.flush()
    return SHARE_PREFIX + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")
