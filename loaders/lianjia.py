"""Real public data as ledgers: a Lianjia (链家) compound listing turned into a ledger folder.

The listing (e.g. ``lianjia_harbin_xiaoqu.csv``, 689 Harbin compounds) has, per compound, a name,
an address led by a district and area hint in brackets (``(南岗革新教堂)巴陵街``), the property
company (``业主自筹物业``: the owners manage it themselves), the developer, and building and
household counts. It knows no streets or communities, so the ledgers get:

- districts from the national division codes (modood ``areas`` CSV) whose name the hint starts
  with; one synthetic street per district (``…-LJ``, "街道未详"); one synthetic community per
  district + area hint;
- compounds (address, households, building count, developer … kept as extra columns); buildings
  are not listed, only counted;
- property companies deduplicated by name, with a stable hash-based code (no credit code is
  known), and a contract per managed compound, without dates;
- for ``业主自筹物业`` an owner committee of kind 自管会 instead of a contract.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from graphmodel.errors import LedgerError
from graphmodel.schema import AreaLevel, OwnerCommitteeKind
from graphmodel.atomic import atomic_write_bytes, check_output
from graphmodel.spreadsheet import safe_row

from .specs import LEDGERS_BY_NAME, OPTIONAL

__all__ = ["convert_lianjia", "LianjiaReport", "SELF_MANAGED", "HARBIN_CITY_CODE"]

SELF_MANAGED = "业主自筹物业"
HARBIN_CITY_CODE = "2301"
_NO_INFORMATION = {"", "暂无信息", "无", "暂无", "物业和度娘都不知道开发商名称"}
_HINT = re.compile(r"^\s*[(（]([^)）]*)[)）]\s*(.*)$")


@dataclass
class LianjiaReport:
    """What :func:`convert_lianjia` wrote, and what it had to guess or leave out."""

    rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)   # ledger name -> rows written
    duplicates: list[str] = field(default_factory=list)    # Lianjia ids seen more than once
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = ", ".join(f"{count} {name}" for name, count in self.counts.items())
        return f"{self.rows} listing rows as {parts}"


def _stable_code(prefix: str, text: str) -> str:
    return prefix + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10].upper()


def _count(text: str, unit: str) -> str:
    match = re.fullmatch(rf"\s*(\d+)\s*{unit}\s*", text or "")
    return match.group(1) if match else ""


def _clean(text: str | None) -> str:
    value = (text or "").strip()
    return "" if value in _NO_INFORMATION else value


def _districts(areas_csv: Path, city_code: str) -> list[tuple[str, str]]:
    """``(code, name)`` of the city's districts in the modood areas file."""
    with areas_csv.open(encoding="utf-8-sig", newline="") as handle:
        return [(row["code"], row["name"]) for row in csv.DictReader(handle)
                if row.get("cityCode") == city_code]


def _district_of(hint: str, districts: list[tuple[str, str]]) -> tuple[tuple[str, str] | None, str]:
    """The district a hint starts with (full or short name, longest first) and the rest."""
    spellings = sorted(((spelling, district) for district in districts
                        for spelling in {district[1], re.sub(r"[区县市]$", "", district[1])}
                        if len(spelling) >= 2), key=lambda pair: -len(pair[0]))
    for spelling, district in spellings:
        if hint.startswith(spelling):
            return district, hint[len(spelling):].strip()
    return None, hint


def convert_lianjia(csv_path: str | os.PathLike, out_dir: str | os.PathLike, *,
                    areas_csv: str | os.PathLike | None = None,
                    city_code: str = HARBIN_CITY_CODE) -> LianjiaReport:
    """Write a ledger folder (Chinese headers and file names) from a Lianjia compound listing.

    Parameters
    ----------
    csv_path : path
        The listing, with columns id, name, address, property_company, developer,
        buiding_count (sic), door_count …
    out_dir : path
        Folder to write ``行政区划.csv``, ``小区.csv``, ``物业企业.csv``, ``物业服务.csv`` and
        ``业委会.csv`` into (created if needed; files written atomically).
    areas_csv : path, optional
        The modood ``areas`` file with district codes; default ``modood_areas_2022.csv`` beside
        ``csv_path``.
    city_code : str
        The city whose districts the hints are matched against (Harbin: 2301).

    Returns
    -------
    LianjiaReport

    Raises
    ------
    LedgerError
        When the listing or the areas file cannot be read or lacks the expected columns, or the
        folder cannot be written.
    """
    csv_path, out_dir = Path(csv_path), Path(out_dir)
    areas_csv = Path(areas_csv) if areas_csv else csv_path.with_name("modood_areas_2022.csv")
    try:
        with csv_path.open(encoding="utf-8-sig", newline="") as handle:
            listing = list(csv.DictReader(handle))
        districts = _districts(areas_csv, city_code)
    except (OSError, UnicodeError, csv.Error) as error:
        raise LedgerError(f"cannot read the Lianjia listing or district codes: {error}") from None
    missing = {"id", "name", "address", "property_company"} - set(listing[0] if listing else {})
    if missing:
        raise LedgerError(f"{csv_path.name}: not a Lianjia compound listing "
                          f"(missing columns {', '.join(sorted(missing))})")
    report = LianjiaReport(rows=len(listing))
    seen: Counter = Counter(row["id"].strip() for row in listing)
    report.duplicates = sorted(lianjia_id for lianjia_id, count in seen.items() if count > 1)
    if report.duplicates:
        report.notes.append(f"{len(report.duplicates)} Lianjia ids listed more than once; "
                            f"the first row of each kept: {', '.join(report.duplicates[:10])}")

    ledgers: dict[str, list[dict[str, str]]] = {name: [] for name in (
        "areas", "compounds", "property_companies", "property_contracts", "owner_committees")}
    used_districts: dict[str, str] = {}
    communities: dict[tuple[str, str], str] = {}
    companies: dict[str, str] = {}
    unmatched, unknown_management, written = 0, 0, set()
    for row in listing:
        lianjia_id = row["id"].strip()
        if lianjia_id in written:
            continue
        written.add(lianjia_id)
        match = _HINT.match(row["address"] or "")
        hint, street_address = (match.group(1).strip(), match.group(2).strip()) if match \
            else ("", (row["address"] or "").strip())
        district, area = _district_of(hint, districts)
        if district is None:
            unmatched += 1
            district = (f"{city_code}LJ", "区县未详")
        used_districts[district[0]] = district[1]
        community_key = (district[0], area or district[1])
        if community_key not in communities:
            communities[community_key] = f"{district[0]}LJ{len(communities) + 1:04d}"
        compound_id = f"LJ{lianjia_id}"
        ledgers["compounds"].append({
            "id": compound_id, "name": row["name"].strip(),
            "community_id": communities[community_key], "地址": street_address, "片区": hint,
            "户数": _count(row.get("door_count", ""), "户"),
            "楼栋数": _count(row.get("buiding_count", ""), "栋"),
            "开发商": _clean(row.get("developer")), "建筑类型": _clean(row.get("house_type")),
            "物业费": _clean(row.get("property_costs")), "来源": (row.get("url") or "").strip(),
        })
        company = _clean(row["property_company"])
        if company == SELF_MANAGED:
            ledgers["owner_committees"].append({
                "id": f"ZG{lianjia_id}", "name": f"{row['name'].strip()}业主自管会",
                "kind": OwnerCommitteeKind.SELF_MANAGEMENT.zh, "compound_id": compound_id})
        elif company:
            if company not in companies:
                companies[company] = _stable_code("LJWY", company)
                ledgers["property_companies"].append({"id": companies[company], "name": company})
            ledgers["property_contracts"].append({"company_id": companies[company],
                                                  "compound_id": compound_id})
        else:
            unknown_management += 1
    for code, name in sorted(used_districts.items()):
        ledgers["areas"].append({"id": code, "name": name, "level": AreaLevel.DISTRICT.zh,
                                 "parent_id": ""})
        ledgers["areas"].append({"id": f"{code}-LJ", "name": f"{name}（街道未详）",
                                 "level": AreaLevel.STREET.zh, "parent_id": code})
    for (district_code, area), community_id in communities.items():
        ledgers["areas"].append({"id": community_id, "name": f"{area}片区（链家）",
                                 "level": AreaLevel.COMMUNITY.zh, "parent_id": f"{district_code}-LJ"})
    if unmatched:
        report.notes.append(f"{unmatched} compounds with no district in their address hint")
    if unknown_management:
        report.notes.append(f"{unknown_management} compounds with no property information "
                            "(暂无信息): neither a contract nor a committee written")
    inputs = (csv_path, areas_csv)
    for name in ledgers:  # all refused before any is written
        check_output(out_dir / f"{LEDGERS_BY_NAME[name].zh}.csv", inputs)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, rows in ledgers.items():
            _write_ledger(out_dir, name, rows, inputs)
            report.counts[name] = len(rows)
    except OSError as error:
        raise LedgerError(f"{out_dir}: cannot write the ledgers ({error.strerror or error})") from None
    return report


def _write_ledger(out_dir: Path, name: str, rows: list[dict[str, str]], inputs) -> None:
    """One ledger as a UTF-8-with-BOM CSV (what Excel opens correctly), Chinese headers."""
    spec = LEDGERS_BY_NAME[name]
    present = list(dict.fromkeys(key for row in rows for key in row))
    headers = {column.key: column.zh for column in spec.columns}
    keys = [column.key for column in spec.columns
            if column.required != OPTIONAL or column.key in present]
    keys += [key for key in present if key not in headers]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([headers.get(key, key) for key in keys])
    for row in rows:
        writer.writerow(safe_row(row.get(key, "") for key in keys))
    atomic_write_bytes(out_dir / f"{spec.zh}.csv", buffer.getvalue().encode("utf-8-sig"),
                       inputs=inputs)
