"""The reference data shipped with the package (gazetteer, taxonomies)."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from pathlib import Path


def data_path(name: str) -> Path:
    """Path of a file in parsers/data, valid for editable and regular installs alike."""
    return Path(str(resources.files("parks.parsers").joinpath("data", name)))


@cache
def read_csv(name: str) -> tuple[dict[str, str], ...]:
    with data_path(name).open(encoding="utf-8", newline="") as fh:
        return tuple(dict(row) for row in csv.DictReader(fh))
