"""The browser's single Python entry point (assessor.api) and answer-set comparison, on CPython."""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from conftest import (
    KITCHEN,
    ROOT,
    api_call,
    golden_cases,
    run_cli,
    run_under_pyodide,
    score,
    without_prose,
)
from hostile import answers_file, file_payload, hostile_files, hostile_links, share_fragment

from assessor import api
from assessor.answer_compare import compare, practice_direction
from assessor.answers import MAX_ANSWERS_BYTES, parse_answers
from assessor.codec import framework_from_dict, framework_from_trusted_dict, framework_to_dict
from playbook_site.runtime import framework_json

CASES = {c["name"]: c for c in golden_cases()}

Call = Callable[..., dict[str, Any]]


@pytest.fixture()
def call(kitchen: Any) -> Call:
    """Load the kitchen framework into the API and return a request helper."""
    loaded = api_call("load", framework=framework_to_dict(kitchen))
    assert loaded["ok"], loaded
    return api_call


def _text_payload(data: dict[str, Any]) -> dict[str, Any]:
    return {"text": json.dumps(data)}


def test_load_rejects_an_invalid_framework(call: Call) -> None:
    reply = call("load", framework={"id": "Not A Slug"})
    assert reply["ok"] is False
    assert "problems found" in reply["error"]["message"]
    assert reply["error"]["problems"]


def test_load_then_score_equals_direct_score(call: Call, kitchen: Any) -> None:
    info = call("load", framework=framework_to_dict(kitchen))
    assert info["framework"] == {"id": "kitchen", "version": "1.0", "title": kitchen.title}
    assert info["practices"] == 6
    assert info["limits"]["max_answers_bytes"] == MAX_ANSWERS_BYTES
    for case in CASES.values():
        reply = call("score", answers=case["answers"])
        assert reply["ok"], reply
        assert reply["result"] == score(kitchen, case["answers"])


def test_score_rejects_invalid_current_answers(call: Call) -> None:
    reply = call("score", answers={"format": "nope"})
    assert reply["ok"] is False
    assert any("format" in p for p in reply["error"]["problems"])


@pytest.mark.parametrize(
    "raw",
    ["not json", "[]", '{"op": 3}', '{"op": "frobnicate"}', '{"op": "score"}',
     '{"op": "import", "payload": 7}', '{"op": "import", "source": "ftp", "payload": {}}',
     '{"op": "import", "payload": {"data_base64": "***"}}'],
)  # fmt: skip
def test_malformed_requests_get_an_error_reply(call: Call, raw: str) -> None:
    reply = json.loads(api.handle(raw))
    assert reply["ok"] is False
    assert reply["error"]["message"]


def test_handle_never_raises_on_internal_errors(
    call: Call, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(request: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("surprise")

    monkeypatch.setitem(api.OPERATIONS, "score", boom)
    reply = call("score", answers={})
    assert reply["ok"] is False
    assert "unexpectedly" in reply["error"]["message"]


def test_no_framework_loaded_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api._State, "framework", None)
    reply = json.loads(api.handle('{"op": "score", "answers": {}}'))
    assert reply == {
        "ok": False,
        "error": {"message": "The assessor has no framework loaded yet.", "problems": [],
                  "more": 0},
    }  # fmt: skip


def test_import_round_trips_an_export(call: Call) -> None:
    answers = CASES["partial-mix"]["answers"] | {"notes": {"labelled-leftovers": "<b>ok</b>"}}
    exported = call("export", answers=answers, saved_at="2026-12-01T10:00:00Z")
    assert exported["ok"]
    assert exported["filename"].startswith("kitchen-answers-")
    data = exported["text"].encode("utf-8")
    reply = call("import", source="file", payload=file_payload(data, MAX_ANSWERS_BYTES))
    assert reply["ok"], reply
    assert reply["answers"]["answers"] == answers["answers"]
    assert reply["answers"]["notes"] == {"labelled-leftovers": "<b>ok</b>"}
    assert reply["answers"]["saved_at"] == "2026-12-01T10:00:00Z"
    assert reply["orphans"] == {}
    assert reply["other_version"] is False


def test_import_of_an_older_version_keeps_known_ids_and_lists_the_rest(call: Call) -> None:
    old = answers_file(
        "kitchen",
        framework={"id": "kitchen", "version": "0.9"},
        answers={"labelled-leftovers": "yes", "first-in-first-out": "partial", "sous-vide": "no"},
        notes={"sous-vide": "gone"},
    )
    reply = call("import", source="file", payload=_text_payload(old))
    assert reply["ok"], reply
    assert reply["answers"]["framework"] == {"id": "kitchen", "version": "1.0"}
    assert reply["answers"]["answers"]["labelled-leftovers"] == "yes"
    assert reply["answers"]["answers"]["stock-rotation"] == "partial"
    assert reply["migrated"] == {"first-in-first-out": "stock-rotation"}
    assert reply["orphans"] == {"sous-vide": "no"}
    assert reply["from_version"] == "0.9"
    assert reply["other_version"] is True
    assert reply["imported"] == 2


def test_share_link_round_trips(call: Call) -> None:
    answers = CASES["dependency-order"]["answers"] | {"notes": {"separate-boards": "é ✓ " * 50}}
    fragment = call("share", answers=answers)["fragment"]
    assert fragment.startswith("a=")
    assert len(fragment) < 600
    reply = call("import", source="share", payload={"fragment": "#" + fragment})
    assert reply["ok"], reply
    assert reply["answers"]["answers"] == answers["answers"]
    assert reply["answers"]["notes"] == answers["notes"]


def test_share_fragment_helper_matches_the_api_encoding(call: Call) -> None:
    data = answers_file("kitchen", answers={"separate-boards": "yes"})
    encoded = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    assert share_fragment(encoded) == api.encode_share(data)


@pytest.mark.parametrize("name", [n for n, _ in hostile_files("kitchen", "labelled-leftovers")])
def test_hostile_file_is_rejected_with_a_message(call: Call, name: str) -> None:
    data = dict(hostile_files("kitchen", "labelled-leftovers"))[name]
    reply = call("import", source="file", payload=file_payload(data, MAX_ANSWERS_BYTES))
    assert reply["ok"] is False, reply
    error = reply["error"]
    assert error["message"]
    assert error["problems"], error
    assert all(p.startswith("the imported file") for p in error["problems"])
    assert all(len(p) < 400 for p in error["problems"])


@pytest.mark.parametrize("name", [n for n, _ in hostile_links("kitchen", "labelled-leftovers")])
def test_hostile_share_link_is_rejected_with_a_message(call: Call, name: str) -> None:
    fragment = dict(hostile_links("kitchen", "labelled-leftovers"))[name]
    reply = call("import", source="share", payload={"fragment": fragment})
    assert reply["ok"] is False, reply
    assert all(p.startswith("the share link") for p in reply["error"]["problems"])


def test_hostile_stored_value_names_the_browser_store(call: Call) -> None:
    reply = call("import", source="storage", payload={"text": "{broken"})
    assert reply["ok"] is False
    assert reply["error"]["problems"][0].startswith("the answers saved in this browser")


def test_problem_lists_are_capped(call: Call) -> None:
    many = {f"<x{i}>": "yes" for i in range(100)}
    reply = call("import", payload=_text_payload(answers_file("kitchen", answers=many)))
    assert reply["ok"] is False
    assert len(reply["error"]["problems"]) == api.MAX_PROBLEMS
    assert reply["error"]["more"] == 100 - api.MAX_PROBLEMS


def test_report_equals_the_cli_report(call: Call, tmp_path: Any) -> None:
    answers = CASES["weight-blocks"]["answers"] | {"notes": {"separate-boards": "*bold* <i>"}}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    reply = call("report", answers=answers, base_url="https://example.org/site/")
    cli = run_cli(
        "report", str(path), "--framework", str(KITCHEN), "--base-url", "https://example.org/site/"
    )
    assert cli.returncode == 0, cli.stderr
    assert reply["text"] == cli.stdout
    assert "](https://example.org/site/practices/fridge-thermometer/)" in reply["text"]


def test_compare_reports_improvements_and_regressions(call: Call) -> None:
    earlier = answers_file(
        "kitchen",
        answers={"labelled-leftovers": "yes", "fridge-thermometer": "no", "separate-boards": "na",
                 "cleaning-schedule": "yes"},
        saved_at="2026-08-01T09:00:00Z",
    )  # fmt: skip
    current = answers_file(
        "kitchen",
        answers={"labelled-leftovers": "partial", "fridge-thermometer": "yes",
                 "separate-boards": "yes", "cleaning-schedule": "yes", "stock-rotation": "no"},
    )  # fmt: skip
    data = json.dumps(earlier).encode()
    reply = call("compare", earlier=file_payload(data, MAX_ANSWERS_BYTES), answers=current)
    assert reply["ok"], reply
    comparison = reply["comparison"]
    assert comparison["earlier"]["saved_at"] == "2026-08-01T09:00:00Z"
    practices = comparison["practices"]
    assert [p["practice"] for p in practices["improved"]] == ["fridge-thermometer"]
    assert [p["practice"] for p in practices["regressed"]] == ["labelled-leftovers"]
    assert [p["practice"] for p in practices["changed"]] == ["stock-rotation", "separate-boards"]
    assert comparison["overall"]["earlier"]["id"] == "basic"
    by_cap = {c["id"]: c for c in comparison["capabilities"]}
    # Storage: 1 of 3 by weight before, 2.5 of 3 now; cleaning stays at routine.
    assert (by_cap["storage"]["direction"], by_cap["storage"]["current"]["id"]) == (
        "improved", "routine",
    )  # fmt: skip
    assert by_cap["cleaning"]["direction"] == "unchanged"
    assert comparison["summary"]["practices_improved"] == 1


def test_compare_rejects_a_hostile_earlier_export(call: Call) -> None:
    reply = call("compare", earlier={"text": "[]"}, answers=answers_file("kitchen"))
    assert reply["ok"] is False
    assert reply["error"]["problems"][0].startswith("the earlier export")


def test_compare_overall_and_capability_directions(kitchen: Any) -> None:
    all_no = parse_answers(CASES["all-no"]["answers"], kitchen)
    all_yes = parse_answers(CASES["all-yes"]["answers"], kitchen)
    up = compare(kitchen, all_no, all_yes)
    assert up["overall"]["direction"] == "improved"
    assert up["overall"]["change"] == 2
    assert {c["direction"] for c in up["capabilities"]} == {"improved"}
    assert len(up["practices"]["improved"]) == 6
    down = compare(kitchen, all_yes, all_no)
    assert down["overall"]["direction"] == "regressed"
    assert down["summary"]["capabilities_regressed"] == 2
    same = compare(kitchen, all_yes, all_yes)
    assert same["summary"] == {
        "capabilities_improved": 0, "capabilities_regressed": 0, "practices_improved": 0,
        "practices_regressed": 0, "practices_changed": 0,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("earlier", "current", "before", "after", "expected"),
    [("no", "yes", 0.0, 1.0, "improved"), (None, "partial", 0.0, 0.5, "improved"),
     ("yes", None, 1.0, 0.0, "regressed"), ("na", "yes", None, 1.0, "changed"),
     (None, "no", 0.0, 0.0, "changed"), ("yes", "yes", 1.0, 1.0, "unchanged"),
     ("yes", "yes", 0.5, 1.0, "improved")],
)  # fmt: skip
def test_practice_direction(
    earlier: str | None,
    current: str | None,
    before: float | None,
    after: float | None,
    expected: str,
) -> None:
    # The last case: the same "yes", now with evidence, counts in full.
    assert practice_direction(earlier, current, before, after) == expected


def test_decode_share_accepts_base64_without_padding() -> None:
    data = b'{"x": 1}'
    fragment = share_fragment(data)
    assert "=" not in fragment[2:]
    assert api.decode_share(fragment) == data
    packed = base64.urlsafe_b64decode(fragment[2:] + "==")
    assert zlib.decompress(packed, wbits=-15) == data


def _pyodide_requests(kitchen: Any) -> list[dict[str, Any]]:
    partial = CASES["partial-mix"]["answers"] | {"notes": {"separate-boards": "<b>note</b>"}}
    hostile = dict(hostile_files("kitchen", "labelled-leftovers"))
    older = CASES["migrated-old-version"]["answers"]
    return [
        # The worker's own load: the site's slim framework.json, not validated a second time.
        {"op": "load", "framework": json.loads(framework_json(kitchen)), "verify": False},
        *({"op": "score", "answers": case["answers"]} for case in CASES.values()),
        {"op": "import", "source": "file", "payload": {"text": json.dumps(older)}},
        *(
            {"op": "import", "source": "file", "payload": file_payload(data, MAX_ANSWERS_BYTES)}
            for data in hostile.values()
        ),
        {"op": "import", "source": "share",
         "payload": {"fragment": dict(hostile_links("kitchen", "x"))["deflate-bomb"]}},
        {"op": "report", "answers": partial, "base_url": "https://example.org/"},
        {"op": "export", "answers": partial, "saved_at": "2026-12-01T00:00:00Z"},
        {"op": "compare", "earlier": {"text": json.dumps(older)}, "answers": partial},
        {"op": "share", "answers": partial},
    ]  # fmt: skip


@pytest.mark.pyodide
def test_api_under_pyodide_equals_cpython(kitchen: Any, tmp_path: Any, call: Call) -> None:
    """The worker's dispatch under real Pyodide gives CPython's replies, hostile input included."""
    requests = _pyodide_requests(kitchen)
    replies = run_under_pyodide(requests, tmp_path)["replies"]
    expected = [json.loads(api.handle(json.dumps(r))) for r in requests]
    # Deflate output may differ between zlib builds: compare what the share link carries.
    shared, expected_shared = replies.pop()["fragment"], expected.pop()["fragment"]
    assert json.loads(api.decode_share(shared)) | {"saved_at": None} == json.loads(
        api.decode_share(expected_shared)
    ) | {"saved_at": None}
    assert replies == expected
    rejected = [r for r in replies if not r["ok"]]
    assert len(rejected) == len(hostile_files("kitchen", "x")) + 1


@pytest.mark.parametrize(
    ("text", "ok"),
    [(b'{"a": [1, {"b": "]]]]"}]}', True), (b"[" * 32 + b"]" * 32, True),
     (b"[" * 33 + b"]" * 33, False), (b'{"a": [}', False), (b'"\\"[[["', True),
     (b"[" * 200000, False)],
)  # fmt: skip
def test_nesting_guard(text: bytes, ok: bool) -> None:
    assert api.nesting_ok(text) is ok


def test_deeply_nested_request_is_refused_without_parsing() -> None:
    reply = json.loads(api.handle("[" * 100000 + "]" * 100000))
    assert reply["ok"] is False
    assert "nested" in reply["error"]["message"]


@pytest.mark.parametrize("name", ["kitchen", "kitchen-v2", "framework", "data-platform"])
def test_framework_from_build_equals_the_validated_framework(name: str) -> None:
    from assessor.cpython.load import load_framework
    from playbook_site import runtime

    directory = {
        "kitchen": KITCHEN,
        "kitchen-v2": ROOT / "tests" / "fixtures" / "kitchen-v2",
        "framework": ROOT / "framework",
        "data-platform": ROOT / "examples" / "data-platform",
    }[name]
    framework = load_framework(directory)
    data = framework_to_dict(framework)
    assert framework_from_trusted_dict(data) == framework_from_dict(data) == framework
    slim = json.loads(runtime.framework_json(framework))
    assert framework_from_trusted_dict(slim) == without_prose(framework)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [(lambda d: d.pop("title"), "lacks 'title'"),
     (lambda d: d.update(capabilities={}), "capabilities must be a list"),
     (lambda d: d["capabilities"][0]["practices"].append(3), "practices[3] must be an object")],
)  # fmt: skip
def test_unverified_load_still_checks_shapes(
    call: Call, kitchen: Any, mutate: Callable[[dict[str, Any]], Any], message: str
) -> None:
    data = framework_to_dict(kitchen)
    mutate(data)
    reply = call("load", framework=data, verify=False)
    assert reply["ok"] is False
    assert message in reply["error"]["message"]
