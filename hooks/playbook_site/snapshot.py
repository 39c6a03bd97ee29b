"""The scorer's start-up snapshot: Pyodide's memory with the assessor imported and the framework
loaded, made at site-build time so the browser skips Python's start, the wheel and the imports.

Policy (decided here, once): `mkdocs build` (and `gh-deploy`) make the snapshot, and a build that
cannot make it fails with a PluginError that says why (Node.js is missing, or the Node script
failed): the site would otherwise ship silently slow. `mkdocs serve` makes none (rebuilds stay
fast); its worker then starts the plain way and its timings say so. Either way the worker falls
back to the plain start when a snapshot is missing, fails or does not fit (see web/startup.mjs).

The snapshot is made by `make_snapshot.mjs` with the pinned Pyodide in Node, from the exact wheel
and framework.json the site ships. Its URL is named by `snapshot_key`: a hash of the wheel, the
Pyodide version, framework.json and the two scripts that make and read it, so a snapshot can never
be paired with other files. The key is known before the snapshot exists, so Node makes it in the
background while MkDocs renders the pages (`start`), and the hook writes it into the built site
after them (`Pending.write`). Made snapshots are kept in `.cache/snapshots/` under their key.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
MAKER = Path(__file__).resolve().parent / "make_snapshot.mjs"
# The container format, shared by the maker, the worker and the tests.
CONTAINER = ROOT / "assessor_wasm" / "web" / "snapshot.mjs"
CACHE_DIR = ROOT / ".cache" / "snapshots"
CACHE_KEEP = 8
FILE_NAME = "scorer.snapshot.gz"
MAGIC = b"MPSNAP01"
# Making one takes 5-30 s here (Pyodide starts in Node); far beyond that something hangs.
TIMEOUT_S = 600
NODE_HINT = "install Node.js 20 or newer (the README's set-up command needs it too)"

log = logging.getLogger("mkdocs.hooks.playbook.snapshot")


def wanted(command: str | None) -> bool:
    """Whether a build run by this MkDocs command makes the snapshot (`build`, `gh-deploy`).

    Not `serve`, nor an export or a build run in-process without the CLI (no command).
    """
    return command in ("build", "gh-deploy")


def snapshot_key(wheel: bytes, pyodide_version: str, framework_data: bytes) -> str:
    """The content hash naming a snapshot: wheel, runtime version, framework data and recipe."""
    digest = hashlib.sha256(b"maturity-playbook start-up snapshot\0")
    for part in (
        wheel,
        pyodide_version.encode(),
        framework_data,
        MAKER.read_bytes(),
        CONTAINER.read_bytes(),
    ):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]


def snapshot_url(key: str) -> str:
    """Site-relative URL of the snapshot with this key (its folder is the key the worker checks)."""
    return f"assets/snapshot/{key}/{FILE_NAME}"


def read_header(data: bytes) -> dict[str, Any]:
    """The JSON header of a snapshot file (gzip-compressed container); ValueError if it is none."""
    inflater = zlib.decompressobj(wbits=31)
    head = inflater.decompress(data[:65536], 1 << 20)
    if head[:8] != MAGIC or len(head) < 12:
        raise ValueError("not a start-up snapshot")
    length = int.from_bytes(head[8:12], "little")
    if len(head) < 12 + length:
        raise ValueError("the snapshot's header is damaged")
    header = json.loads(head[12 : 12 + length])
    if not isinstance(header, dict):
        raise ValueError("the snapshot's header is damaged")
    return header


def _cached(key: str) -> bytes | None:
    path = CACHE_DIR / f"{key}.gz"
    try:
        data = path.read_bytes()
        if read_header(data).get("key") == key:
            os.utime(path)  # recently used: kept by the pruning below
            return data
    except (OSError, ValueError, zlib.error):
        pass
    return None


def _store(key: str, data: bytes) -> None:
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        part = CACHE_DIR / f"{key}.part"
        part.write_bytes(data)
        part.replace(CACHE_DIR / f"{key}.gz")
        entries = sorted(CACHE_DIR.glob("*.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError as exc:  # a cache that cannot be written only costs time
        log.debug("snapshot cache not written: %s", exc)


class Pending:
    """A snapshot being made by Node in the background while MkDocs renders the pages; `write`
    waits for it and puts it into the built site."""

    def __init__(self, key: str, data: bytes | None = None) -> None:
        self.key = key
        self.url = snapshot_url(key)
        self._data = data
        self._process: subprocess.Popen[str] | None = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._started = time.monotonic()

    def start(self, pyodide_dir: Path, wheel: bytes, framework_data: bytes) -> None:
        """Start `make_snapshot.mjs` on these files."""
        node = shutil.which("node")
        if node is None:
            raise PluginError(
                "The scorer's start-up snapshot is made with Node.js, which is not on PATH: "
                f"{NODE_HINT}."
            )
        self._folder = tempfile.TemporaryDirectory(prefix="playbook-snapshot-")
        folder = Path(self._folder.name)
        (folder / "assessor.whl").write_bytes(wheel)
        (folder / "framework.json").write_bytes(framework_data)
        command = [node, str(MAKER), str(pyodide_dir), str(folder / "assessor.whl")]
        command += [str(folder / "framework.json"), self.key, str(folder / FILE_NAME)]
        self._process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def _finish(self) -> bytes:
        process, folder = self._process, self._folder
        assert process is not None and folder is not None
        try:
            stdout, stderr = process.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.cancel()
            raise PluginError(
                f"{MAKER.name}: making the start-up snapshot took over {TIMEOUT_S} s"
            ) from None
        out = Path(folder.name) / FILE_NAME
        try:
            if process.returncode != 0 or not out.is_file():
                detail = (stderr.strip() or stdout.strip() or "no output").splitlines()
                raise PluginError(
                    f"{MAKER.name}: the start-up snapshot could not be made "
                    f"(exit {process.returncode}): " + " | ".join(detail[-5:])
                )
            data = out.read_bytes()
        finally:
            folder.cleanup()
            self._process = self._folder = None
        header = read_header(data)
        if header.get("key") != self.key:
            raise PluginError(f"{MAKER.name}: the snapshot it made names other files: {header}")
        figures = (stdout.strip().splitlines() or ["{}"])[-1]
        log.debug("snapshot figures: %s", figures)
        log.info(
            "Playbook: start-up snapshot made in %.0f s (%.1f MB)",
            time.monotonic() - self._started,
            len(data) / 1e6,
        )
        _store(self.key, data)
        return data

    def result(self) -> bytes:
        """The snapshot's bytes (waits for Node if it is still working)."""
        if self._data is None:
            self._data = self._finish()
        return self._data

    def write(self, site_dir: Path) -> Path:
        """Write the snapshot into the built site at its URL."""
        path = site_dir / self.url
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.result())
        return path

    def cancel(self) -> None:
        """Stop Node (a failed build does not wait for it)."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.communicate()
        if self._folder is not None:
            self._folder.cleanup()
        self._process = self._folder = None


def start(pyodide_dir: Path, pyodide_version: str, wheel: bytes, framework_data: bytes) -> Pending:
    """The snapshot of this wheel, runtime and framework: from the cache, else started now."""
    key = snapshot_key(wheel, pyodide_version, framework_data)
    data = _cached(key)
    pending = Pending(key, data)
    if data is None:
        pending.start(pyodide_dir, wheel, framework_data)
    return pending
