"""The project's shared public data, found at ``../shared`` relative to the repository root.

Under CI (``CI=true``) missing data fails the tests that need it instead of skipping them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
PUBLIC = REPOSITORY.parent / "shared" / "data" / "public"
LIANJIA_LISTING = PUBLIC / "lianjia_harbin_xiaoqu.csv"


def require(path: Path) -> Path:
    """``path``, or a skip (a failure under CI) saying where the shared data was looked for."""
    if not path.exists():
        message = f"shared public data not found at {path} (expected ../shared beside the repository)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path
