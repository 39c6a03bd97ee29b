"""Hostile answers files and share links: each must be rejected with a message (stdlib only)."""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

FORMAT = "maturity-playbook/answers@1"
# Every script-like payload calls this; a browser test fails if it ever runs.
XSS = "<img src=x onerror=\"window.__pwned=(window.__pwned||0)+1;alert('pwned')\">"
SCRIPT = "<script>window.__pwned=(window.__pwned||0)+1;alert('pwned')</script>"


def answers_file(framework_id: str, **fields: Any) -> dict[str, Any]:
    """A well-formed answers file, with `fields` overriding its parts."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "framework": {"id": framework_id, "version": "1.0"},
        "self_estimate": None,
        "answers": {},
        "notes": {},
        "saved_at": "2026-11-25T18:00:00Z",
    }
    data.update(fields)
    return data


def _json(data: Any) -> bytes:
    return json.dumps(data).encode("utf-8")


def share_fragment(data: bytes) -> str:
    """A share-link fragment (without '#') for raw bytes, packed as the page packs answers."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = deflater.compress(data) + deflater.flush()
    return "a=" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def hostile_files(framework_id: str, practice_id: str) -> list[tuple[str, bytes]]:
    """(name, file content) pairs that an import must reject."""
    ok = answers_file(framework_id)
    five_mb = answers_file(framework_id, notes={practice_id: "x" * (5 * 1024 * 1024)})
    return [
        ("invalid-json", b'{"format": "' + FORMAT.encode() + b'", "answers": {'),
        ("not-an-object", b"[1, 2, 3]"),
        ("wrong-types", _json({**ok, "answers": ["yes"], "notes": 5, "self_estimate": 3})),
        ("answer-not-text", _json({**ok, "answers": {practice_id: 1}})),
        ("five-megabytes", _json(five_mb)),
        ("unknown-ids-only", _json({**ok, "answers": {"sous-vide": "yes", "tea-towels": "no"}})),
        (
            "html-in-ids-and-notes",
            _json({**ok, "answers": {XSS: "yes"}, "notes": {practice_id: XSS, SCRIPT: SCRIPT}}),
        ),
        ("other-framework", _json({**ok, "framework": {"id": "other-playbook", "version": "1"}})),
        ("wrong-format", _json({**ok, "format": "maturity-playbook/answers@3"})),
        ("html-answer-value", _json({**ok, "answers": {practice_id: "<b>yes</b>"}})),
        ("nested-too-deep", b"[" * 200000 + b"]" * 200000),
        ("not-utf8", b'{"format": "\xff\xfe"}'),
        ("note-too-long", _json({**ok, "notes": {practice_id: "n" * 4001}})),
        ("proto-key", _json({**ok, "__proto__": {"polluted": True}})),
    ]


def hostile_links(framework_id: str, practice_id: str) -> list[tuple[str, str]]:
    """(name, fragment without '#') pairs that a share link must reject."""
    ok = answers_file(framework_id)
    bomb = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb_packed = bomb.compress(b" " * (50 * 1024 * 1024)) + bomb.flush()
    whole = share_fragment(_json({**ok, "answers": {practice_id: "yes"}}))
    return [
        ("not-base64", "a=<img src=x onerror=alert(1)>"),
        ("not-deflate", "a=aGVsbG8gd29ybGQ"),
        ("deflate-bomb", "a=" + base64.urlsafe_b64encode(bomb_packed).decode().rstrip("=")),
        ("cut-off", whole[: len(whole) // 2]),
        ("other-framework", share_fragment(_json({**ok, "framework": {"id": "other"}}))),
        ("html-in-ids", share_fragment(_json({**ok, "answers": {XSS: "yes"}}))),
        ("html-answer", share_fragment(_json({**ok, "answers": {practice_id: SCRIPT}}))),
        ("invalid-json", share_fragment(b"{'answers': }")),
    ]


def file_payload(data: bytes, limit: int) -> dict[str, Any]:
    """What the page sends for a chosen file: at most limit + 1 bytes, and the real size."""
    return {"data_base64": base64.b64encode(data[: limit + 1]).decode("ascii"), "size": len(data)}
