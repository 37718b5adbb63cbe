"""Units of measure: what a unit written after a number means, and how to reach a canonical unit.

Every unit belongs to a dimension with one base unit (money 亿元, power MW, energy MWh, mass 吨,
energy intensity 吨标准煤/万元, area 平方公里, land 亩). Counts keep the classifier as written
(家, 个, 件 …): they are all one dimension and a metric says which classifier it reports in.
Money never changes currency: 18.2亿美元 is scaled within dollars (亿美元), never turned into 元.
Factors are Decimals so that 1.13亿 is 113000000 and not 112999999.99999999.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Unit:
    surface: str  # as matched in normalised text
    dim: str  # money | power | energy | mass | intensity | percent | points | times | count | area | land
    base: str  # the dimension's canonical unit (for money: per currency; for counts: the classifier)
    factor: Decimal  # value in this unit * factor = value in `base`


D = Decimal

# Money: the base is 亿 of the currency written. 人民币 alone means 元.
_MONEY = {"元": "亿元", "人民币": "亿元", "美元": "亿美元", "欧元": "亿欧元", "港元": "亿港元", "港币": "亿港元",
          "日元": "亿日元", "英镑": "亿英镑"}
# (surface, dim, base, factor)
_TABLE: list[tuple[str, str, str, Decimal]] = [
    *[(s, "money", base, D("1e-8")) for s, base in _MONEY.items()],
    # power, base MW
    ("千瓦", "power", "MW", D("0.001")), ("kW", "power", "MW", D("0.001")), ("KW", "power", "MW", D("0.001")),
    ("kw", "power", "MW", D("0.001")), ("kWp", "power", "MW", D("0.001")),
    ("兆瓦", "power", "MW", D(1)), ("MW", "power", "MW", D(1)), ("MWp", "power", "MW", D(1)),
    ("mw", "power", "MW", D(1)), ("吉瓦", "power", "MW", D(1000)), ("GW", "power", "MW", D(1000)),
    ("GWp", "power", "MW", D(1000)),
    # energy, base MWh
    ("千瓦时", "energy", "MWh", D("0.001")), ("kWh", "energy", "MWh", D("0.001")),
    ("KWh", "energy", "MWh", D("0.001")), ("kwh", "energy", "MWh", D("0.001")), ("度", "energy", "MWh", D("0.001")),
    ("兆瓦时", "energy", "MWh", D(1)), ("MWh", "energy", "MWh", D(1)), ("吉瓦时", "energy", "MWh", D(1000)),
    ("GWh", "energy", "MWh", D(1000)), ("太瓦时", "energy", "MWh", D(1000000)), ("TWh", "energy", "MWh", D(1000000)),
    # energy intensity, base 吨标准煤/万元 (longer than 吨标准煤, so tried first)
    ("吨标准煤/万元", "intensity", "吨标准煤/万元", D(1)), ("吨标煤/万元", "intensity", "吨标准煤/万元", D(1)),
    ("tce/万元", "intensity", "吨标准煤/万元", D(1)), ("千克标准煤/万元", "intensity", "吨标准煤/万元", D("0.001")),
    ("公斤标准煤/万元", "intensity", "吨标准煤/万元", D("0.001")),
    # mass, base 吨 (standard coal and CO2 tonnes are tonnes)
    ("吨标准煤", "mass", "吨", D(1)), ("吨标煤", "mass", "吨", D(1)), ("吨二氧化碳", "mass", "吨", D(1)),
    ("吨CO2", "mass", "吨", D(1)), ("吨", "mass", "吨", D(1)), ("千克", "mass", "吨", D("0.001")),
    ("千克标准煤", "mass", "吨", D("0.001")), ("公斤标准煤", "mass", "吨", D("0.001")),
    ("公斤", "mass", "吨", D("0.001")), ("kg", "mass", "吨", D("0.001")), ("tce", "mass", "吨", D(1)),
    # ratios
    ("%", "percent", "%", D(1)), ("个百分点", "points", "个百分点", D(1)), ("倍", "times", "倍", D(1)),
    # area, base 平方公里; land, base 亩
    ("平方公里", "area", "平方公里", D(1)), ("平方千米", "area", "平方公里", D(1)), ("km2", "area", "平方公里", D(1)),
    ("km²", "area", "平方公里", D(1)), ("平方米", "area", "平方公里", D("1e-6")), ("平米", "area", "平方公里", D("1e-6")),
    ("㎡", "area", "平方公里", D("1e-6")), ("m2", "area", "平方公里", D("1e-6")), ("m²", "area", "平方公里", D("1e-6")),
    ("亩", "land", "亩", D(1)), ("公顷", "land", "亩", D(15)),
]
# Classifiers counted as things. 个 before 月/小时 is a duration and 个人 a person: see numbers.py.
COUNT_WORDS = ("家次", "人次", "家", "个", "件", "人", "项", "户", "名", "所", "座", "次", "场", "条", "辆", "台",
               "套", "颗", "床", "宗", "批", "位", "支", "只", "张", "处", "款", "株", "枚", "栋", "幢", "间")

UNITS: dict[str, Unit] = {s: Unit(s, dim, base, f) for s, dim, base, f in _TABLE}
for _w in COUNT_WORDS:
    UNITS[_w] = Unit(_w, "count", _w, D(1))

# Classifiers of people, and of things that are never people, firms, projects or patents
# (人才公寓3000套 counts flats, not talent).
PERSON_COUNTS = frozenset({"人", "名", "位", "人次"})
OBJECT_COUNTS = frozenset({"套", "台", "辆", "颗", "床", "栋", "幢", "间", "株", "枚", "张", "条", "只"})
_PEOPLE_OR_TEAMS = PERSON_COUNTS | {"个", "支", "批"}  # 人才团队12个, 创新团队5支


def counts_as(classifier: str, metric_unit: str) -> bool:
    """Whether a count written with `classifier` can be a value of a metric counted in `metric_unit`:
    people (人) in people or teams, firms and things (家, 个, 件) in neither people nor objects."""
    if metric_unit == "人":
        return classifier in _PEOPLE_OR_TEAMS
    if metric_unit in ("家", "个", "件"):
        return classifier not in PERSON_COUNTS and classifier not in OBJECT_COUNTS
    return True


# The classifier a count is reported in once attached to a metric whose unit is not a classifier.
COUNT_BASE = {"家次": "家", "人次": "人"}

# Dimensions that say how something changed rather than how much of it there is.
CHANGE_DIMS = frozenset({"percent", "points", "times"})


def unit_of(surface: str) -> Unit | None:
    return UNITS.get(surface)


def dimension_of_metric_unit(unit: str) -> str:
    """The dimension of a taxonomy unit (亿元, MW, 家 …); 'any' for 'as reported'."""
    u = UNITS.get(unit)
    if u is not None:
        return u.dim
    if unit.startswith("亿") and unit[1:] in _MONEY:
        return "money"
    return "any"


def money_base(unit: str) -> str:
    """The 亿-of-currency base of a money unit as the taxonomy writes it (亿元, 亿美元)."""
    if unit.startswith("亿") and unit[1:] in _MONEY:
        return _MONEY[unit[1:]]
    u = UNITS.get(unit)
    return u.base if u is not None else unit


def to_unit(value: Decimal, unit: Unit, target: str) -> tuple[Decimal, str]:
    """`value` (in `unit`) expressed in the taxonomy unit `target` when both are of one dimension
    (and, for money, one currency); otherwise in the dimension's base unit."""
    in_base = value * unit.factor
    if unit.dim == "count":
        if dimension_of_metric_unit(target) == "count":
            return value, target
        return value, COUNT_BASE.get(unit.surface, unit.surface)
    if unit.dim == "money":
        return in_base, unit.base  # 亿 of the currency written, whatever the metric's currency
    t = UNITS.get(target)
    if t is not None and t.dim == unit.dim and t.base == unit.base:
        return in_base / t.factor, target
    return in_base, unit.base
