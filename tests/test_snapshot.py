"""The start-up snapshot and the offline copy, as `mkdocs build` makes them.

The snapshot made by the build is loaded under real Pyodide in Node by the worker's own start-up
code (assessor_wasm/web/startup.mjs through tests/pyodide/run_snapshot.mjs) and scores the golden
cases exactly like CPython; a snapshot of another Pyodide, another build of Pyodide, other files
or a damaged one is refused with a reason and the plain start gives the same results. The build's
policy (no Node, a failing script) and the service worker's list of files are checked here too.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import GOLDEN, ROOT, golden_cases, score
from mkdocs.exceptions import PluginError
from sitebuild import BuiltSite

from assessor import Framework
from assessor.api import handle
from playbook_site import offline, runtime, snapshot
from playbook_site.assessment import render_page

PYODIDE_HEADER = 48  # Pyodide's own snapshot header: magic, sizes, then its 32-byte BUILD_ID at 16


def _one(site: Path, pattern: str) -> Path:
    found = sorted(site.glob(pattern))
    assert len(found) == 1, (pattern, found)
    return found[0]


def _built(site: Path) -> dict[str, Path]:
    return {
        "wheel": _one(site, "assets/assessor/*/*.whl"),
        "framework": _one(site, "assets/assessor/*/framework.json"),
        "snapshot": _one(site, f"assets/snapshot/*/{snapshot.FILE_NAME}"),
    }


def _container(data: bytes) -> tuple[dict[str, Any], bytes]:
    """(header, bitmap and pages) of a snapshot file."""
    raw = gzip.decompress(data)
    assert raw[:8] == snapshot.MAGIC
    length = int.from_bytes(raw[8:12], "little")
    return json.loads(raw[12 : 12 + length]), raw[12 + length :]


def _pack(header: dict[str, Any], body: bytes) -> bytes:
    text = json.dumps(header).encode()
    return gzip.compress(snapshot.MAGIC + len(text).to_bytes(4, "little") + text + body)


# --- what the build makes ------------------------------------------------------------------------


def test_the_build_names_its_snapshot_by_a_hash_of_what_it_was_made_from(
    site_kitchen: BuiltSite, kitchen: Framework
) -> None:
    files = _built(site_kitchen.root)
    version = runtime.pinned_pyodide_version()
    key = snapshot.snapshot_key(
        files["wheel"].read_bytes(), version, files["framework"].read_bytes()
    )
    assert files["snapshot"].parent.name == key
    page = (site_kitchen.root / "assessment" / "index.html").read_text(encoding="utf-8")
    assert f'data-snapshot="../assets/snapshot/{key}/{snapshot.FILE_NAME}"' in page
    header = snapshot.read_header(files["snapshot"].read_bytes())
    assert (header["key"], header["pyodide"], header["python"]) == (key, version, "3.14.2")
    # What the worker reports as ready: the reply of loading this framework, as CPython gives it.
    data = json.loads(files["framework"].read_bytes())
    assert header["info"] == json.loads(
        handle(json.dumps({"op": "load", "framework": data, "verify": False}))
    )
    assert header["info"]["framework"]["id"] == kitchen.id
    # The request the worker repeats after a restore: every practice answered on its own scale.
    warmup = header["warmup"]
    assert warmup["op"] == "score"
    assert sorted(warmup["answers"]["answers"]) == sorted(p.id for p in kitchen.practices)
    for practice in kitchen.practices:
        options = [o.id for o in kitchen.scale_of(practice)]
        assert warmup["answers"]["answers"][practice.id] in options


def test_the_snapshot_key_changes_with_each_thing_it_was_made_from() -> None:
    base = snapshot.snapshot_key(b"wheel", "314.0.7", b"{}")
    assert snapshot.snapshot_key(b"wheel", "314.0.7", b"{}") == base
    others = {
        snapshot.snapshot_key(b"wheel2", "314.0.7", b"{}"),
        snapshot.snapshot_key(b"wheel", "314.0.8", b"{}"),
        snapshot.snapshot_key(b"wheel", "314.0.7", b'{"id":1}'),
    }
    assert len(others) == 3 and base not in others
    assert re.fullmatch(r"[0-9a-f]{16}", base)


def test_zero_pages_are_left_out_and_the_initial_data_xored_away(site_kitchen: BuiltSite) -> None:
    header, body = _container(_built(site_kitchen.root)["snapshot"].read_bytes())
    pages = -(-header["length"] // header["page"])
    bitmap = body[: -(-pages // 8)]
    page = header["page"]
    kept = [i for i in range(pages) if bitmap[i // 8] >> (i % 8) & 1]
    assert len(body) - len(bitmap) == sum(min(page, header["length"] - i * page) for i in kept)
    assert len(kept) < pages * 0.45  # Python's heap and data; the rest of the 30 MB is zeros
    assert 0 < header["xorEnd"] < header["length"] and header["memoryStart"] % 16 == 0


# --- the build's policy --------------------------------------------------------------------------


def test_a_missing_node_fails_the_build_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(snapshot, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(PluginError) as caught:
        snapshot.start(runtime.pyodide_dir(), "314.0.7", b"wheel", b"{}")
    assert str(caught.value) == (
        "The scorer's start-up snapshot is made with Node.js, which is not on PATH: install "
        "Node.js 20 or newer (the README's set-up command needs it too)."
    )


def test_a_failing_snapshot_script_fails_the_build_with_its_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    maker = tmp_path / "make_snapshot.mjs"
    maker.write_text('console.error("make_snapshot: no memory left"); process.exit(1);\n')
    monkeypatch.setattr(snapshot, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(snapshot, "MAKER", maker)
    pending = snapshot.start(runtime.pyodide_dir(), "314.0.7", b"wheel", b"{}")
    with pytest.raises(PluginError) as caught:
        pending.result()
    assert str(caught.value) == (
        "make_snapshot.mjs: the start-up snapshot could not be made (exit 1): "
        "make_snapshot: no memory left"
    )
    assert list((tmp_path / "cache").glob("*")) == []


def test_mkdocs_serve_makes_no_snapshot_and_removes_the_offline_copy(kitchen: Framework) -> None:
    commands = ("build", "gh-deploy", "serve", None)
    assert [snapshot.wanted(c) for c in commands] == [True, True, False, False]
    assert [offline.wanted(c) for c in commands] == [True, True, False, False]
    served = runtime.build(kitchen, snapshot=False, offline=False)
    assert served.urls.snapshot_url == "" and served.snapshot is None
    module = served.files[runtime.OFFLINE_MODULE]
    assert isinstance(module, bytes)
    assert runtime.NO_SERVICE_WORKER_LINE in module
    assert runtime.SERVICE_WORKER_LINE not in module
    assert 'data-snapshot=""' in render_page(kitchen, served.urls)
    built = runtime.build(kitchen).files[runtime.OFFLINE_MODULE]
    assert isinstance(built, bytes) and runtime.SERVICE_WORKER_LINE in built


# --- the service worker's list of files ----------------------------------------------------------


def _sw_constants(site: Path) -> tuple[str, dict[str, bool]]:
    text = (site / "sw.js").read_text(encoding="utf-8")
    version = re.search(r'^const VERSION = "([0-9a-f]{16})";$', text, re.M)
    files = re.search(r"^const FILES = (\{.*\});$", text, re.M)
    assert version and files
    return version.group(1), json.loads(files.group(1))


def test_the_service_worker_keeps_every_page_and_the_whole_runtime(site_kitchen: BuiltSite) -> None:
    site = site_kitchen.root
    version, files = _sw_constants(site)
    expected: dict[str, bool] = {}
    for path in site.rglob("*"):
        relative = path.relative_to(site).as_posix()
        if not path.is_file() or relative in ("sw.js", "sitemap.xml.gz"):
            continue
        if relative.endswith(".map") or relative.startswith("assets/javascripts/lunr/"):
            continue  # source maps; the search runs in English: no language packs
        url = re.sub(r"(^|/)index\.html$", r"\1", relative)
        expected[url] = relative.startswith(
            ("assets/pyodide/", "assets/assessor/", "assets/snapshot/")
        ) or bool(re.match(r"assets/assessment/[0-9a-f]{12}/|.*\.[0-9a-f]{8}\.min\.(js|css)$", url))
    assert files == expected
    for url in ("", "assessment/", "practices/labelled-leftovers/", "404.html", "sitemap.xml"):
        assert files[url] is False, url
    for name in runtime.PYODIDE_FILES:
        assert files[f"assets/pyodide/{runtime.pinned_pyodide_version()}/{name}"] is True
    assert files[runtime.ENTRY_MODULE] is False and files[runtime.OFFLINE_MODULE] is False
    assert version == offline.manifest(site).version


def test_the_service_worker_version_changes_with_any_file(
    site_kitchen: BuiltSite, tmp_path: Path
) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site_kitchen.root, copy)
    same = offline.manifest(copy)
    assert same.version == _sw_constants(site_kitchen.root)[0]
    page = copy / "practices" / "labelled-leftovers" / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    changed = offline.manifest(copy)
    assert changed.files == same.files
    assert changed.version != same.version


# --- under real Pyodide in Node ------------------------------------------------------------------


def _start(tmp_path: Path, files: dict[str, Path], snapshot_file: Path | None) -> dict[str, Any]:
    node = shutil.which("node")
    assert node, "node is required for the Pyodide tests"
    out = tmp_path / "out.json"
    proc = subprocess.run(
        [node, str(ROOT / "tests/pyodide/run_snapshot.mjs"), str(files["wheel"]),
         str(files["framework"]), str(snapshot_file or ""), str(GOLDEN), str(out)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def _assert_scores_like_cpython(started: dict[str, Any], kitchen: Framework) -> None:
    cases = golden_cases()
    assert sorted(started["results"]) == sorted(c["name"] for c in cases)
    for case in cases:
        assert started["results"][case["name"]] == score(kitchen, case["answers"]), case["name"]


@pytest.mark.pyodide
def test_the_builds_snapshot_loads_and_scores_like_cpython(
    site_kitchen: BuiltSite, kitchen: Framework, tmp_path: Path
) -> None:
    files = _built(site_kitchen.root)
    started = _start(tmp_path, files, files["snapshot"])
    assert (started["start"], started["fallback"]) == ("snapshot", "")
    assert started["timings"]["package"] == 0 and started["timings"]["load"] == 0
    assert started["timings"]["warmup"] > 0
    assert started["info"] == snapshot.read_header(files["snapshot"].read_bytes())["info"]
    _assert_scores_like_cpython(started, kitchen)


def _other_pyodide(data: bytes, key: str) -> tuple[bytes, str]:
    header, body = _container(data)
    return _pack({**header, "pyodide": "313.0.0"}, body), key


def _other_key(data: bytes, key: str) -> tuple[bytes, str]:
    return data, "0123456789abcdef"


def _other_pyodide_build(data: bytes, key: str) -> tuple[bytes, str]:
    # Same version number, another build of it: Pyodide's own check refuses the BUILD_ID.
    header, body = _container(data)
    pages = -(-header["length"] // header["page"])
    start = -(-pages // 8)  # the first page, which holds Pyodide's header, follows the bitmap
    assert body[0] & 1
    corrupt = bytearray(body)
    corrupt[start + 16 : start + PYODIDE_HEADER] = hashlib.sha256(b"another build").digest()
    return _pack(header, bytes(corrupt)), key


def _truncated(data: bytes, key: str) -> tuple[bytes, str]:
    header, body = _container(data)
    return _pack(header, body[: len(body) // 2]), key


REFUSED = {
    "other-pyodide": (
        _other_pyodide, "the snapshot was made with Pyodide 313.0.0, this page runs 314.0.7"),
    "other-files": (
        _other_key, "the snapshot was made from other files ({key}, expected 0123456789abcdef)"),
    "other-pyodide-build": (
        _other_pyodide_build, "Pyodide refused the snapshot (Snapshot build id mismatch)"),
    "truncated": (_truncated, "the snapshot file is truncated"),
}  # fmt: skip


@pytest.mark.pyodide
@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_snapshot_that_does_not_fit_is_refused_and_the_plain_start_used(
    site_kitchen: BuiltSite, kitchen: Framework, tmp_path: Path, case: str
) -> None:
    files = _built(site_kitchen.root)
    key = files["snapshot"].parent.name
    change, reason = REFUSED[case]
    data, folder = change(files["snapshot"].read_bytes(), key)
    bad = tmp_path / folder / snapshot.FILE_NAME
    bad.parent.mkdir()
    bad.write_bytes(data)
    started = _start(tmp_path, files, bad)
    assert (started["start"], started["fallback"]) == ("plain", reason.format(key=key))
    assert started["timings"]["package"] > 0  # the wheel was installed the plain way
    _assert_scores_like_cpython(started, kitchen)
