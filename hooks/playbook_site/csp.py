"""The Content-Security-Policy of every page: the `<meta http-equiv>` the build writes; the header.

The site runs no inline script (the theme's inline scripts are files: `hooks/theme/partials/
javascripts/`), so scripts may come from the site itself only. Why each directive is there:

- `script-src 'self' 'wasm-unsafe-eval'`: the site's own scripts; Pyodide compiles WebAssembly.
  No `'unsafe-eval'`: Pyodide 314's `eval` calls serve only `EM_ASM`/`EM_JS` code of compiled
  packages and `emscripten_run_script`; the assessor is pure Python and loads none, and
  `tests/test_browser_safety.py` runs the scorer with this policy as a header on every file,
  the worker's included.
- `worker-src 'self'`: the scorer's module worker, the search worker and a service worker.
- `style-src 'self' 'unsafe-inline'`: Markdown tables align columns with `style` attributes;
  styles cannot run script.
- `img-src 'self' data:`: the theme's icons are `data:` SVGs in its stylesheet.
- `object-src 'none'`, `base-uri 'self'`, `form-action 'self'`: no plugins, no `<base>` that
  moves relative URLs elsewhere, no form posting elsewhere.

A `<meta>` policy cannot say `frame-ancestors`; the header adds it.

`mkdocs serve` injects its live-reload code as an inline script into every page it serves; only
there (`serving=True`) the policy also allows inline scripts, so live reload keeps working. Built
sites never do.
"""

from __future__ import annotations

import re

DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("worker-src", "'self'"),
    ("connect-src", "'self'"),
    ("img-src", "'self' data:"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("font-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
# Browsers ignore these in a <meta> policy; only a header can carry them.
HEADER_ONLY: tuple[tuple[str, str], ...] = (("frame-ancestors", "'self'"),)

_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.IGNORECASE)
_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)


def _join(directives: tuple[tuple[str, str], ...]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives)


def policy(serving: bool = False) -> str:
    """The policy every page carries in its `<meta http-equiv="Content-Security-Policy">`."""
    if not serving:
        return _join(DIRECTIVES)
    relaxed = tuple(
        (name, f"{value} 'unsafe-inline'" if name == "script-src" else value)
        for name, value in DIRECTIVES
    )
    return _join(relaxed)


def header_policy() -> str:
    """The value of the `Content-Security-Policy` header for hosts that set headers."""
    return _join(DIRECTIVES + HEADER_ONLY)


def meta_tag(serving: bool = False) -> str:
    """The `<meta>` element of the policy."""
    return f'<meta http-equiv="Content-Security-Policy" content="{policy(serving)}">'


def add_meta(html: str, serving: bool = False) -> str:
    """`html` with the policy's `<meta>` right after the charset (before any script or style).

    Text that is not an HTML page (no `<head>`), or that already has the policy, is returned as is.
    """
    if "Content-Security-Policy" in html[:4096]:
        return html
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    if anchor is None:
        return html
    return html[: anchor.end()] + "\n    " + meta_tag(serving) + html[anchor.end() :]
