"""Slow cases (a 50 MB page, long fuzz runs) run only with PARKS_SLOW=1, so the default suite stays fast."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("PARKS_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow: set PARKS_SLOW=1 to run")
    here = os.path.dirname(__file__)
    for item in items:
        if "slow" in item.keywords and str(item.fspath).startswith(here):
            item.add_marker(skip)
