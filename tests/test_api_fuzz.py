"""Property: any answers file, share link or request the page could pass on gets a reply, quickly.

assessor.api.handle runs in the browser's worker, where a request that never ends freezes the
scorer (the page then stops it after ten seconds) and an exception has nobody to report it. The
input here is random and mutated answers files, files as the page sends them, share links and
their fragments, and hostile shapes (long runs of escapes, deep nesting, huge numbers, lone
surrogates). Every reply must be a well-formed JSON reply, within a bound far below the page's.
"""

from __future__ import annotations

import base64
import json
import time
import zlib
from typing import Any

from hostile import answers_file, file_payload, share_fragment
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessor import Framework, api
from assessor.answers import MAX_ANSWERS_BYTES
from assessor.codec import framework_to_dict

# A reply must come well within the page's ten-second budget, even for a 1 MB input on a slow
# machine (the quadratic scan this guards against took minutes).
BOUND_SECONDS = 3.0
IDS = ["labelled-leftovers", "fridge-thermometer", "separate-boards", "cleaning-schedule",
       "stock-rotation", "deep-clean-audit", "sous-vide"]  # fmt: skip
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**50), max_value=10**50),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.sampled_from(["yes", "no", "partial", "na", "maybe", "", "\ud800", "a\nb"]),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
keys = st.one_of(
    st.sampled_from([*IDS, "format", "framework", "answers", "notes", "evidence", "self_estimate",
                     "respondent", "team", "saved_at", "version", "id", "__proto__"]),
    st.text(max_size=12),
    st.just("x" * 101),
    st.just("labelled-leftovers\n"),
)  # fmt: skip


def _base() -> dict[str, Any]:
    return answers_file(
        "kitchen",
        self_estimate="routine",
        answers={"labelled-leftovers": "yes", "fridge-thermometer": "partial", "sous-vide": "no"},
        notes={"labelled-leftovers": "by the door"},
    )


@st.composite
def mutated_files(draw: st.DrawFn) -> Any:
    """A well-formed answers file with random values put in, taken out or replaced, at any depth."""
    data: Any = _base()
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        target = data
        path = draw(st.lists(keys, max_size=2))
        for key in path:
            if isinstance(target, dict) and isinstance(target.get(key), dict):
                target = target[key]
        if not isinstance(target, dict):
            break
        key = draw(keys)
        action = draw(st.sampled_from(["set", "delete", "replace-root"]))
        if action == "set":
            target[key] = draw(json_value)
        elif action == "delete":
            target.pop(key, None)
        else:
            data = draw(json_value)
    return data


SHAPES = ["bare-escapes", "escapes", "brackets", "digits", "open-string", "mixed"]


def hostile_text(shape: str, n: int, m: int) -> str:
    """Text shaped to be slow: escape runs, deep brackets, long digits, unterminated strings."""
    if shape == "bare-escapes":  # the share link that froze the scorer: \" repeated, no quotes
        return '\\"' * n
    if shape == "escapes":
        return '{"answers": {"a": "' + '\\"' * n + '"}}'
    if shape == "brackets":
        return "[" * min(n, 200_000) + "]" * min(m, n)
    if shape == "digits":
        return '{"answers": ' + "9" * min(n, 100_000) + "}"
    if shape == "open-string":
        return '{"notes": {"a": "' + "\\\\" * n
    return '{"a":' + '["\\"",' * min(n, 5000) + "1" + "]" * min(m, 5000) + "}"


def _flip(data: bytes, positions: list[int], values: list[int]) -> bytes:
    mutable = bytearray(data)
    for pos, value in zip(positions, values, strict=False):
        if mutable:
            mutable[pos % len(mutable)] = value
    return bytes(mutable)


def _deflated_fragment(text: bytes) -> str:
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = deflater.compress(text) + deflater.flush()
    return "a=" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def _check(request: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(request)
    started = time.perf_counter()
    raw = api.handle(text)
    elapsed = time.perf_counter() - started
    assert elapsed < BOUND_SECONDS, (elapsed, text[:200])
    reply = json.loads(raw)
    assert isinstance(reply, dict) and isinstance(reply.get("ok"), bool), raw[:200]
    if not reply["ok"]:
        error = reply["error"]
        assert isinstance(error["message"], str) and error["message"], raw[:200]
        assert isinstance(error["problems"], list) and len(error["problems"]) <= api.MAX_PROBLEMS
        assert "Traceback" not in raw and "failed unexpectedly" not in error["message"], raw[:300]
    return reply


def _load(framework: Framework) -> None:
    assert json.loads(
        api.handle(json.dumps({"op": "load", "framework": framework_to_dict(framework)}))
    )["ok"]


def _encoded(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")


@SETTINGS
@given(
    data=mutated_files(),
    source=st.sampled_from(["text", "file", "share", "compare"]),
    flips=st.tuples(
        st.lists(st.integers(min_value=0), max_size=4), st.lists(st.integers(0, 255), max_size=4)
    ),
)
def test_mutated_answers_files_always_get_a_quick_reply(
    kitchen: Framework, data: Any, source: str, flips: tuple[list[int], list[int]]
) -> None:
    _load(kitchen)
    raw = _flip(_encoded(data), *flips)
    if source == "text":
        payload: dict[str, Any] = {"text": raw.decode("utf-8", "replace")}
    elif source == "file":
        payload = file_payload(raw, MAX_ANSWERS_BYTES)
    else:
        payload = {"fragment": _deflated_fragment(raw)}
    if source == "compare":
        _check({"op": "compare", "earlier": payload, "answers": _base()})
    else:
        _check(
            {"op": "import", "source": "share" if source == "share" else "file", "payload": payload}
        )


@SETTINGS
@given(data=mutated_files(), op=st.sampled_from(["score", "export", "report", "share"]))
def test_mutated_current_answers_always_get_a_quick_reply(
    kitchen: Framework, data: Any, op: str
) -> None:
    _load(kitchen)
    reply = _check({"op": op, "answers": data})
    if op == "share" and reply["ok"]:
        # What the page makes, it can open again.
        again = _check(
            {"op": "import", "source": "share", "payload": {"fragment": reply["fragment"]}}
        )
        assert again["ok"] or "none of its" in again["error"]["problems"][0], again


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shape=st.sampled_from(SHAPES),
    n=st.integers(min_value=1, max_value=300_000),
    m=st.integers(min_value=0, max_value=300_000),
    form=st.sampled_from(["text", "file", "share"]),
)
def test_hostile_shapes_always_get_a_quick_reply(
    kitchen: Framework, shape: str, n: int, m: int, form: str
) -> None:
    _load(kitchen)
    text = hostile_text(shape, n, m)
    raw = text.encode("utf-8")
    if form == "text":
        payload: dict[str, Any] = {"text": text}
    elif form == "file":
        payload = file_payload(raw, MAX_ANSWERS_BYTES)
    else:
        payload = {"fragment": _deflated_fragment(raw)}
    reply = _check(
        {"op": "import", "source": form if form != "text" else "storage", "payload": payload}
    )
    assert reply["ok"] is False


@SETTINGS
@given(
    fragment=st.one_of(
        st.text(max_size=200),
        st.text(alphabet="ABCDEFabcdef0123456789-_", max_size=400).map(lambda s: "a=" + s),
        st.binary(max_size=400).map(lambda b: share_fragment(b)),
    )
)
def test_random_share_fragments_always_get_a_quick_reply(kitchen: Framework, fragment: str) -> None:
    _load(kitchen)
    _check({"op": "import", "source": "share", "payload": {"fragment": fragment}})
