"""The reference data shipped with the package (gazetteer, taxonomies)."""

from __future__ import annotations

import csv
import os
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


# A user's own parks, in a CSV with the columns of parks.csv, added to the shipped gazetteer.
USER_GAZETTEER = "PARKS_GAZETTEER"


class UserDataError(Exception):
    """The user's own data file cannot be used; the message names it and says why."""


def user_gazetteer() -> Path | None:
    """The file named by $PARKS_GAZETTEER, if any."""
    value = os.environ.get(USER_GAZETTEER, "").strip()
    return Path(value).expanduser() if value else None


def gazetteer_rows(user: str | None = None) -> tuple[dict[str, str], ...]:
    """The shipped parks.csv with the rows of the user's file (`user`, by default $PARKS_GAZETTEER)
    added; a user row with the canonical name of a shipped one replaces it. Raises UserDataError
    for a file it cannot use."""
    return _gazetteer_rows(str(user_gazetteer() or "") if user is None else user)


def user_gazetteer_rows() -> tuple[dict[str, str], ...]:
    """The rows of the user's own file ($PARKS_GAZETTEER), none without one."""
    user = user_gazetteer()
    return _read_user_csv(str(user)) if user else ()


@cache
def _gazetteer_rows(user: str) -> tuple[dict[str, str], ...]:
    shipped = read_csv("parks.csv")
    if not user:
        return shipped
    own = _read_user_csv(user)
    replaced = {r["canonical"] for r in own}
    return tuple(r for r in shipped if r["canonical"] not in replaced) + own


@cache
def _read_user_csv(name: str) -> tuple[dict[str, str], ...]:
    path = Path(name)
    where = f"{USER_GAZETTEER}={path}"
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except FileNotFoundError:
        raise UserDataError(f"{where}: no such file") from None
    except UnicodeDecodeError:
        raise UserDataError(f"{where}: not UTF-8 text (save the CSV as UTF-8)") from None
    except (OSError, csv.Error) as exc:
        raise UserDataError(f"{where}: cannot be read ({exc})") from None
    if not rows or "canonical" not in rows[0]:
        raise UserDataError(f"{where}: needs a header row with at least a 'canonical' column "
                            "(the columns of the shipped parks.csv)")
    out = []
    for line, row in enumerate(rows, start=2):
        clean = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        if not clean.get("canonical"):
            raise UserDataError(f"{where}, line {line}: the 'canonical' name is empty")
        out.append({**dict.fromkeys(_COLUMNS, ""), **clean})
    return tuple(out)


_COLUMNS = ("canonical", "official_name", "kind", "province", "city", "approved_year", "aliases", "note",
            "parent", "resolve_only")
