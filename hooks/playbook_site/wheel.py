"""A reproducible wheel of the assessor's browser modules: same sources, same bytes."""

from __future__ import annotations

import ast
import base64
import hashlib
import zipfile
from io import BytesIO
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "assessor_wasm" / "assessor"
DIST_NAME = "maturity_playbook_assessor"
_EPOCH = (1980, 1, 1, 0, 0, 0)


def package_version(package_dir: Path = PACKAGE_DIR) -> str:
    """The version string declared in the package's __init__.py."""
    for line in (package_dir / "__init__.py").read_text(encoding="utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise ValueError(f"{package_dir / '__init__.py'}: no __version__ line")


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def build_wheel(package_dir: Path = PACKAGE_DIR) -> tuple[str, bytes]:
    """(file name, bytes) of a py3-none-any wheel; deterministic for identical sources."""
    version = package_version(package_dir)
    files: dict[str, bytes] = {}
    # The package's own modules only: its subpackage `cpython` (YAML, command line) stays out, so
    # nothing in the wheel can reach for PyYAML.
    for path in sorted(package_dir.iterdir()):
        if path.is_file() and path.suffix == ".py":
            files[f"{package_dir.name}/{path.name}"] = compact_source(path.read_bytes())
        elif path.is_file() and path.suffix == ".typed":
            files[f"{package_dir.name}/{path.name}"] = path.read_bytes()
    info = f"{DIST_NAME}-{version}.dist-info"
    files[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {DIST_NAME.replace('_', '-')}\nVersion: {version}\n"
        "Summary: Maturity Playbook assessor (browser modules)\n"
    ).encode()
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: maturity-playbook\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n"
    )
    record = [f"{name},sha256={_digest(data)},{len(data)}" for name, data in files.items()]
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, date_time=_EPOCH)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data, compresslevel=9)
    return f"{DIST_NAME}-{version}-py3-none-any.whl", buffer.getvalue()


class _DropDocstrings(ast.NodeTransformer):
    def _drop(self, node: ast.AST) -> ast.AST:
        self.generic_visit(node)
        body = getattr(node, "body", [])
        first = body[0].value if body and isinstance(body[0], ast.Expr) else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            node.body = body[1:] or [ast.Pass()]  # type: ignore[attr-defined]
        return node

    visit_Module = visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _drop


def compact_source(source: bytes) -> bytes:
    """The module without comments and docstrings: the same code, about a quarter fewer bytes.

    Every byte of the wheel is downloaded by each visitor of the assessment page; the readable
    source stays in the repository.
    """
    tree = _DropDocstrings().visit(ast.parse(source))
    return (ast.unparse(tree) + "\n").encode("utf-8")


def content_hash(data: bytes) -> str:
    """Short content hash used in the wheel's URL so caches never serve a stale wheel."""
    return hashlib.sha256(data).hexdigest()[:12]
