"""Shared fixtures: paths, the kitchen framework, golden cases."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
KITCHEN = FIXTURES / "kitchen"
GOLDEN = FIXTURES / "golden" / "kitchen.json"

# Tests import the hooks' plain modules (as the hook file does: by their bare names) and the
# golden helper directly.
for path in (ROOT / "hooks", ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


def golden_cases() -> list[dict[str, Any]]:
    """The hand-worked scoring cases."""
    return list(json.loads(GOLDEN.read_text(encoding="utf-8"))["cases"])


@pytest.fixture(scope="session")
def kitchen() -> Any:
    from assessor.load import load_framework

    return load_framework(KITCHEN)
