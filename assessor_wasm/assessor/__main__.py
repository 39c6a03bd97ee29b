"""`python -m assessor`: see assessor.cpython.cli."""

from __future__ import annotations

import sys

from .cpython.cli import main

sys.exit(main())
