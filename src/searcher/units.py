"""The units table (``units.txt``): full names, types (部门 / 乡镇街道) and the other names of each unit.

A byline prints a unit's short name (区发改局); staff may type or filter by its full name (柯城区发展和改革局) or
another common name (区发展和改革局). The table maps every name to the printed one the index files articles under
(:func:`canonical`), gives the full name and type shown on the page, and lists each unit's names so that a query
naming a unit also finds articles that print another of its names (see :func:`searcher.query.expand`).
Units that are not in the table work as printed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

__all__ = ["UNITS", "Unit", "canonical", "clean", "full_name", "names", "unit_type"]


@dataclass(frozen=True)
class Unit:
    """One unit of the table."""

    name: str
    full_name: str
    type: str
    aliases: tuple[str, ...]


def clean(name: str) -> str:
    """Return a unit name as the index files it: NFKC, spaces trimmed and runs of spaces made one."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name)).strip()


def _load() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    text = resources.files("searcher").joinpath("units.txt").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, full, kind, *rest = [*line.split("\t"), ""][:4]
        aliases = tuple(clean(a) for a in re.split(r"[、,，]", rest[0] if rest else "") if a.strip())
        units[clean(name)] = Unit(clean(name), clean(full) or clean(name), kind.strip() or "其他", aliases)
    return units


UNITS = _load()
_BY_NAME = {alias: unit.name for unit in UNITS.values() for alias in (unit.name, unit.full_name, *unit.aliases)}


def canonical(name: str) -> str:
    """Return the printed name the index files a unit under, for any of its names (itself when not in the table)."""
    name = clean(name)
    return _BY_NAME.get(name, name)


def full_name(name: str) -> str:
    """Return the unit's full name (its printed name when the table doesn't know it)."""
    unit = UNITS.get(name)
    return unit.full_name if unit else name


# A unit the table lacks is typed by how its name ends: a town is a 乡镇街道 (文武坝镇), a bureau a 部门.
_TOWN = ("镇", "乡", "街道", "街道办事处")
_DEPARTMENT = ("局", "委", "办", "部", "院", "中心", "站", "所", "厅", "署", "处")


def unit_type(name: str) -> str:
    """Return 部门 or 乡镇街道 as the table says, else by the name's ending (镇/乡/街道; 局/委/办 …), else 其他."""
    unit = UNITS.get(name)
    if unit:
        return unit.type
    if name.endswith(_TOWN):
        return "乡镇街道"
    return "部门" if name.endswith(_DEPARTMENT) else "其他"


def names() -> list[tuple[str, ...]]:
    """Return every unit's names (printed, full, other), for query expansion."""
    return [tuple(dict.fromkeys((u.name, u.full_name, *u.aliases))) for u in UNITS.values()]
