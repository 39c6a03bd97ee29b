"""The single entry point the browser's worker calls: one JSON request in, one JSON reply out.

Every request is an object with an "op" (load, score, import, export, report, share, compare; and
over many answers files: team, org, history; roadmap_csv).
Every reply (typed in `replies`) is {"ok": true, ...} or {"ok": false, "error": {"message",
"problems", "more"}};
`handle` never raises, so the page always has something to show.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from . import replies
from .aggregate import AnswersFile, Rejected, read_many
from .answer_compare import compare
from .answers import (
    ANSWERS_FORMAT,
    MAX_ANSWERS_BYTES,
    MAX_EVIDENCE_CHARS,
    MAX_EVIDENCE_ITEMS,
    MAX_NOTE_CHARS,
    AnswerSet,
    dump_answers,
    parse_answers,
)
from .codec import framework_from_dict, framework_from_trusted_dict
from .history import history
from .model import Framework
from .org import org, render_org_csv
from .report import render_markdown
from .score import effective_scores, score
from .source import Problem, ValidationError, problems_found
from .standards import standards_coverage
from .team import render_team_markdown, team
from .tracker_csv import PageText, roadmap_csv
from .untrusted import (
    BASE64_TEXT,
    MAX_DEPTH,
    MAX_SHARE_CHARS,
    decode_share,
    encode_share,
    nesting_ok,
)

API_VERSION = 1
MAX_PROBLEMS = 20
# Many answers files in one request (team, org, history): a bound on the work one request asks for.
MAX_FILES = 20000
MAX_FILE_NAME_CHARS = 255
# The page's own texts sent with roadmap_csv: bounds on a request, far above any real question.
MAX_PAGE_TEXT_CHARS = 10000
MAX_PAGE_EVIDENCE_ITEMS = 100

# Where untrusted input came from, as the visitor reads it in messages.
SOURCES = {
    "file": "the imported file",
    "share": "the share link",
    "storage": "the answers saved in this browser",
    "earlier": "the earlier export",
}


class RequestError(Exception):
    """A request that cannot be served; its message is shown to the visitor as is."""


class _State:
    framework: Framework | None = None


def _framework() -> Framework:
    if _State.framework is None:
        raise RequestError("The assessor has no framework loaded yet.")
    return _State.framework


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _object(request: dict[str, Any], key: str) -> dict[str, Any]:
    value = request.get(key)
    if not isinstance(value, dict):
        raise RequestError(f"Request field '{key}' must be an object.")
    return value


def _text(request: dict[str, Any], key: str, default: str | None = None) -> str:
    value = request.get(key, default)
    if not isinstance(value, str):
        raise RequestError(f"Request field '{key}' must be text.")
    return value


def _fail(name: str, message: str) -> ValidationError:
    return ValidationError([Problem(name, None, "", message)])


def read_payload(payload: Any, name: str) -> AnswerSet:
    """Parse untrusted answers: {"text"}, {"data_base64", "size"} or {"fragment"}."""
    framework = _framework()
    if not isinstance(payload, dict):
        raise RequestError("Request field 'payload' must be an object.")
    data = _payload_bytes(payload, name)
    # Oversized input is refused by parse_answers on its size alone, before any scan.
    if len(data) <= MAX_ANSWERS_BYTES and not nesting_ok(data):
        raise _fail(
            name, f"invalid JSON: brackets do not balance or nest deeper than {MAX_DEPTH} levels"
        )
    return parse_answers(data, framework, name)


def _payload_bytes(payload: dict[str, Any], name: str) -> bytes:
    if "fragment" in payload:
        return decode_share(_text(payload, "fragment"), name)
    if "data_base64" in payload:
        size = payload.get("size")
        # The page sends at most the limit plus one byte of a file, and its real size.
        if isinstance(size, int) and size > MAX_ANSWERS_BYTES:
            raise _fail(
                name,
                f"the file is too large ({size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_ANSWERS_BYTES // 1024 // 1024} MB)",
            )
        encoded = _text(payload, "data_base64")
        if len(encoded) > MAX_SHARE_CHARS + 4 or not BASE64_TEXT.fullmatch(encoded):
            raise RequestError("Request field 'data_base64' is not base64.")
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise RequestError("Request field 'data_base64' is not base64.") from None
        return data
    return _text(payload, "text").encode("utf-8", "surrogatepass")


def _current(request: dict[str, Any]) -> AnswerSet:
    return parse_answers(_object(request, "answers"), _framework(), "the current answers")


def _orphans(framework: Framework, answer_set: AnswerSet) -> dict[str, str]:
    known = {p.id for p in framework.practices}
    return {k: v for k, v in sorted(answer_set.answers.items()) if k not in known}


def op_load(request: dict[str, Any]) -> replies.LoadReply:
    """Keep the framework (plain data, e.g. framework.json); "verify": false skips validation."""
    data = _object(request, "framework")
    if request.get("verify", True) is False:
        try:
            framework = framework_from_trusted_dict(data)
        except ValidationError as exc:
            raise RequestError(f"framework data: {exc.problems[0].message}") from None
    else:
        framework = framework_from_dict(data)
    _State.framework = framework
    return {
        "ok": True,
        "api": API_VERSION,
        "framework": {"id": framework.id, "version": framework.version, "title": framework.title},
        "practices": len(framework.practices),
        "answer_scale": [{"id": o.id, "label": o.label} for o in framework.answer_scale],
        # The page names every answer in its practice's own scale.
        "answer_scales": {
            name: [{"id": o.id, "label": o.label} for o in options]
            for name, options in framework.answer_scales.items()
        },
        "practice_scales": {p.id: p.scale for p in framework.practices if p.scale is not None},
        "groups": [{"id": g.id, "title": g.title} for g in framework.groups],
        "format": ANSWERS_FORMAT,
        "limits": {
            "max_answers_bytes": MAX_ANSWERS_BYTES,
            "max_note_chars": MAX_NOTE_CHARS,
            "max_evidence_items": MAX_EVIDENCE_ITEMS,
            "max_evidence_chars": MAX_EVIDENCE_CHARS,
        },
    }


def op_score(request: dict[str, Any]) -> replies.ScoreReply:
    """Score the current answers; with standards, how many of each one's labels are in place."""
    framework = _framework()
    answer_set = _current(request)
    reply: replies.ScoreReply = {"ok": True, "result": score(framework, answer_set)}
    if framework.standards:
        scores = effective_scores(framework, answer_set).scores
        reply["standards"] = standards_coverage(framework, scores)
    return reply


def op_import(request: dict[str, Any]) -> replies.ImportReply:
    """Check untrusted answers and return them as an answers file of this framework version."""
    framework = _framework()
    source = _text(request, "source", "file")
    name = SOURCES.get(source)
    if name is None:
        raise RequestError(f"Unknown source {source[:40]!r}.")
    answer_set = read_payload(request.get("payload"), name)
    orphans = _orphans(framework, answer_set)
    matched = len(answer_set.answers) - len(orphans)
    if orphans and not matched:
        raise _fail(
            name,
            f"none of its {len(orphans)} answers names a practice of {framework.title} "
            f"(for example {next(iter(orphans))!r}), so it is not for this playbook",
        )
    return {
        "ok": True,
        "answers": dump_answers(framework, answer_set, answer_set.saved_at or _now()),
        "imported": matched,
        "orphans": orphans,
        "migrated": dict(answer_set.migrated),
        "from_version": answer_set.framework_version,
        "other_version": answer_set.framework_version not in (None, framework.version),
    }


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def op_export(request: dict[str, Any]) -> replies.FileReply:
    """The current answers as an answers file v1 (JSON text)."""
    framework = _framework()
    saved_at = _text(request, "saved_at", _now())
    data = dump_answers(framework, _current(request), saved_at)
    return {
        "ok": True,
        "text": json.dumps(data, indent=2, ensure_ascii=False) + "\n",
        "filename": f"{framework.id}-answers-{_stamp()}.json",
        "media_type": "application/json",
    }


def op_report(request: dict[str, Any]) -> replies.FileReply:
    """The Markdown report of the current answers: the text `python -m assessor report` writes."""
    framework = _framework()
    answer_set = _current(request)
    text = render_markdown(score(framework, answer_set), answer_set, _text(request, "base_url", ""))
    return {
        "ok": True,
        "text": text,
        "filename": f"{framework.id}-report-{_stamp()}.md",
        "media_type": "text/markdown",
    }


def op_share(request: dict[str, Any]) -> replies.ShareReply:
    """A URL fragment that carries the current answers."""
    framework = _framework()
    answer_set = _current(request)
    return {"ok": True, "fragment": encode_share(dump_answers(framework, answer_set, _now()))}


def op_compare(request: dict[str, Any]) -> replies.CompareReply:
    """Compare an earlier export (untrusted) with the current answers."""
    framework = _framework()
    earlier = read_payload(request.get("earlier"), SOURCES["earlier"])
    current = _current(request)
    return {
        "ok": True,
        "comparison": compare(framework, earlier, current),
        "orphans": _orphans(framework, earlier),
    }


def _file_name(value: Any, index: int) -> str:
    if not isinstance(value, str) or not value.strip():
        return f"file {index + 1}"
    # A name is shown back to the visitor: lone surrogates would not survive the trip to JSON.
    text = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)
    return text[:MAX_FILE_NAME_CHARS]


def _read_file(payload: Any, framework: Framework, name: str) -> AnswerSet:
    """One of many untrusted files: a malformed payload rejects that file, not the request."""
    try:
        return read_payload(payload, name)
    except RequestError as exc:
        raise _fail(name, str(exc)) from None


def _files(request: dict[str, Any]) -> list[AnswersFile | Rejected]:
    """The request's "files": [{"name", "payload"}], each read like an imported file.

    When not one of them can be used, the reply is an error listing every file's problems.
    """
    framework = _framework()
    files = request.get("files")
    if not isinstance(files, list) or not files:
        raise RequestError("Request field 'files' must be a non-empty list.")
    if len(files) > MAX_FILES:
        raise RequestError(f"Too many files ({len(files)}; at most {MAX_FILES} at once).")
    sources = []
    for index, item in enumerate(files):
        if not isinstance(item, dict):
            raise RequestError("Each of 'files' must be an object with a 'name' and a 'payload'.")
        sources.append((_file_name(item.get("name"), index), item.get("payload")))
    loaded = list(read_many(framework, sources, _read_file))
    if not any(isinstance(item, AnswersFile) for item in loaded):
        raise ValidationError(
            [p for item in loaded if isinstance(item, Rejected) for p in item.problems]
        )
    return loaded


def op_team(request: dict[str, Any]) -> replies.TeamReply:
    """Team calibration of the members' files; the consensus and the meeting's Markdown."""
    saved_at = request.get("saved_at")
    if saved_at is not None and not isinstance(saved_at, str):
        raise RequestError("Request field 'saved_at' must be text.")
    result = team(_framework(), _files(request), saved_at)
    return {"ok": True, "team": result, "markdown": render_team_markdown(result)}


def op_org(request: dict[str, Any]) -> replies.OrgReply:
    """Organisation roll-up of many teams' files, and its CSV."""
    framework = _framework()
    result = org(framework, _files(request))
    return {
        "ok": True,
        "org": result,
        "csv": render_org_csv(result),
        "filename": f"{framework.id}-organisation-{_stamp()}.csv",
        "media_type": "text/csv",
    }


def op_history(request: dict[str, Any]) -> replies.HistoryReply:
    """A team's dated exports as a timeline with the changes between neighbours."""
    return {"ok": True, "history": history(_framework(), _files(request))}


def _page_text(request: dict[str, Any]) -> dict[str, PageText]:
    """The optional "practices": {id: {"question", "evidence": [...]}} read from the page."""
    value = request.get("practices", {})
    bad = RequestError(
        "Request field 'practices' must map practice ids to a question and an evidence list."
    )
    if not isinstance(value, dict):
        raise bad
    texts: dict[str, PageText] = {}
    for practice, text in value.items():
        if not isinstance(text, dict):
            raise bad
        question, evidence = text.get("question", ""), text.get("evidence", [])
        if not (
            isinstance(question, str)
            and len(question) <= MAX_PAGE_TEXT_CHARS
            and isinstance(evidence, list)
            and len(evidence) <= MAX_PAGE_EVIDENCE_ITEMS
            and all(isinstance(i, str) and len(i) <= MAX_PAGE_TEXT_CHARS for i in evidence)
        ):
            raise bad
        texts[practice] = PageText(question, tuple(evidence))
    return texts


def op_roadmap_csv(request: dict[str, Any]) -> replies.FileReply:
    """The current answers' roadmap as CSV for issue trackers (`report --format csv`).

    framework.json has no questions or evidence lists; the page sends the ones it shows.
    """
    framework = _framework()
    result = score(framework, _current(request))
    texts = _page_text(request)
    return {
        "ok": True,
        "text": roadmap_csv(framework, result, _text(request, "base_url", ""), texts),
        "filename": f"{framework.id}-roadmap-{_stamp()}.csv",
        "media_type": "text/csv",
    }


OPERATIONS: dict[str, Callable[[dict[str, Any]], replies.OperationReply]] = {
    "load": op_load,
    "score": op_score,
    "import": op_import,
    "export": op_export,
    "report": op_report,
    "share": op_share,
    "compare": op_compare,
    "team": op_team,
    "org": op_org,
    "history": op_history,
    "roadmap_csv": op_roadmap_csv,
}


def _error(message: str, problems: list[str] | None = None) -> replies.ErrorReply:
    problems = problems or []
    return {
        "ok": False,
        "error": {
            "message": message,
            "problems": problems[:MAX_PROBLEMS],
            "more": max(0, len(problems) - MAX_PROBLEMS),
        },
    }


def dispatch(request: Any) -> replies.Reply:
    """Serve one decoded request; returns the reply as plain data."""
    if not isinstance(request, dict) or not isinstance(request.get("op"), str):
        return _error("The request must be an object with an 'op'.")
    operation = OPERATIONS.get(request["op"])
    if operation is None:
        return _error(f"Unknown operation {request['op'][:40]!r}.")
    try:
        return operation(request)
    except ValidationError as exc:
        problems = [str(p) for p in exc.problems]
        return _error(problems_found(len(problems)), problems)
    except RequestError as exc:
        return _error(str(exc))
    except RecursionError:
        return _error("The input is nested too deeply.")
    except Exception as exc:  # the page must always get a reply it can show
        return _error(f"The assessor failed unexpectedly ({type(exc).__name__}: {exc}).")


def handle(request_json: str) -> str:
    """Serve one JSON request and return the JSON reply; never raises."""
    if not nesting_ok(request_json.encode("utf-8", "surrogatepass")):
        return json.dumps(_error("The request is nested too deeply."))
    try:
        request = json.loads(request_json)
    except (ValueError, RecursionError):
        return json.dumps(_error("The request is not valid JSON."))
    return json.dumps(dispatch(request), ensure_ascii=False)
