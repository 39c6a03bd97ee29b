"""A built site served on localhost, every request logged; stdlib only (the benchmark imports it).

The browser tests and bench/browser.py serve the site they built with this: the log tells what
the browser asked the server for (and whether a request carried data), and the start-up snapshot
can be refused to exercise the worker's plain start.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple

SNAPSHOTS = "/assets/snapshot/"


class Logged(NamedTuple):
    """One request the server answered."""

    method: str
    path: str
    status: int
    length: str | None  # the request's Content-Length: only a request that carries data has one


class SiteServer(ThreadingHTTPServer):
    """Serves the folder `root` (which may change between requests) and logs every request."""

    daemon_threads = True

    def __init__(self, port: int, root: Path) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.root = root
        self.log: list[Logged] = []
        self.refuse_snapshot = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        del request, client_address  # a browser closed mid-download: nothing to report


class _Handler(SimpleHTTPRequestHandler):
    server: SiteServer

    def __init__(self, request: Any, client_address: Any, server: SiteServer) -> None:
        super().__init__(request, client_address, server, directory=str(server.root))

    def log_message(self, format: str, *args: Any) -> None:
        del format, args  # the log above is the record

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        del size
        # A request line too malformed to parse has no command, path or headers yet.
        headers = getattr(self, "headers", None)
        self.server.log.append(
            Logged(
                self.command or "",
                getattr(self, "path", ""),
                int(code) if str(code).isdigit() else 0,
                headers.get("Content-Length") if headers is not None else None,
            )
        )

    def do_POST(self) -> None:
        self.send_error(405)  # a static site takes no data; the log keeps the attempt

    def send_head(self) -> Any:
        if self.server.refuse_snapshot and self.path.startswith(SNAPSHOTS):
            self.send_error(404)
            return None
        return super().send_head()


@contextmanager
def serving(root: Path, port: int) -> Iterator[SiteServer]:
    """Serve `root` on 127.0.0.1:`port` until the block ends."""
    server = SiteServer(port, root)
    thread = threading.Thread(target=server.serve_forever, name=f"site-{port}", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
