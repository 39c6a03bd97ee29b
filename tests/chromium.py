"""The system Chromium and how to launch it headless here; stdlib only (the benchmark imports it).

Playwright's own browsers are never downloaded: the tests and bench/browser.py launch the
Chromium that `apt-get install chromium` gives, with the flags below.
"""

from __future__ import annotations

import shutil
import socket

CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)
INSTALL_HINT = "apt-get install chromium"


def chromium_path() -> str | None:
    """The system Chromium's executable, or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
