"""Small ledger folders for the loader tests: a minimal valid set that tests mutate one thing at a time.

Rows are written with column keys (``id``, ``community_id`` …); :func:`write_ledgers` turns the keys
into Chinese or English headers, and keys that are not ledger columns are written as they are
(extra columns).
"""

from __future__ import annotations

import copy
import csv
import io
from pathlib import Path

from loaders.specs import LEDGERS_BY_NAME

ID_NUMBER = "11010119900307451X"

_MINIMAL = {
    "areas": [
        {"id": "D1", "name": "南岗区", "level": "区县", "parent_id": ""},
        {"id": "S1", "name": "革新街道", "level": "街道", "parent_id": "D1"},
        {"id": "C1", "name": "和平社区", "level": "社区", "parent_id": "S1"},
        {"id": "C2", "name": "幸福社区", "level": "社区", "parent_id": "S1"},
    ],
    "grids": [
        {"id": "G1", "name": "和平一网格", "community_id": "C1", "grid_type": "综合网格"},
        {"id": "G2", "name": "幸福一网格", "community_id": "C2", "grid_type": ""},
    ],
    "compounds": [
        {"id": "X1", "name": "和平小区", "community_id": "C1"},
        {"id": "X2", "name": "幸福家园", "community_id": "C2"},
        {"id": "X3", "name": "老旧院落", "community_id": "C2"},
    ],
    "buildings": [
        {"id": "B1", "name": "1号楼", "compound_id": "X1"},
        {"id": "B2", "name": "2号楼", "compound_id": "X1"},
        {"id": "B3", "name": "1号楼", "compound_id": "X2"},
    ],
    "grid_coverage": [
        {"grid_id": "G1", "building_id": "B1", "compound_id": ""},
        {"grid_id": "G1", "building_id": "B2", "compound_id": ""},
        {"grid_id": "G2", "building_id": "B3", "compound_id": ""},
        {"grid_id": "G2", "building_id": "", "compound_id": "X3"},
    ],
    "party_orgs": [
        {"id": "P1", "name": "革新街道党工委", "kind": "党工委", "parent_id": "",
         "based_in_type": "街道", "based_in_id": "S1"},
        {"id": "P2", "name": "和平社区党委", "kind": "党委", "parent_id": "P1",
         "based_in_type": "社区", "based_in_id": "C1"},
        {"id": "P3", "name": "幸福社区党委", "kind": "党委", "parent_id": "P1",
         "based_in_type": "社区", "based_in_id": "C2"},
        {"id": "P4", "name": "和平小区党支部", "kind": "党支部", "parent_id": "P2",
         "based_in_type": "小区", "based_in_id": "X1"},
        {"id": "P5", "name": "幸福联合党支部", "kind": "联合党支部", "parent_id": "P3",
         "based_in_type": "小区", "based_in_id": "X2；X3"},
        {"id": "P6", "name": "1号楼党小组", "kind": "党小组", "parent_id": "P4",
         "based_in_type": "楼栋", "based_in_id": "B1"},
        {"id": "P7", "name": "安居物业党支部", "kind": "党支部", "parent_id": "P2",
         "based_in_type": "物业企业", "based_in_id": "WY1"},
    ],
    "property_companies": [
        {"id": "WY1", "name": "安居物业有限公司"},
    ],
    "property_contracts": [
        {"company_id": "WY1", "compound_id": "X1", "start": "2024-01-01", "end": ""},
        {"company_id": "WY1", "compound_id": "X2", "start": "2023/1/1", "end": "2025年12月31日"},
    ],
    "owner_committees": [
        {"id": "Y1", "name": "和平小区业委会", "kind": "业委会", "compound_id": "X1",
         "term_start": "2023-06-01", "term_end": "2028-05-31"},
        {"id": "Y2", "name": "老旧院落自管会", "kind": "自管会", "compound_id": "X3",
         "term_start": "", "term_end": ""},
    ],
    "resident_units": [
        {"id": "U1", "name": "区图书馆", "kind": "事业单位", "community_id": "C1"},
    ],
    "people": [
        {"id": "R1", "name": "张三", "party_member": "是", "phone": "13812345678",
         "id_number": ID_NUMBER, "building_id": "B1", "registered_community_id": "C1",
         "party_org_id": "P2"},
        {"id": "R2", "name": "李四", "party_member": "否", "phone": "", "id_number": "",
         "building_id": "B3", "registered_community_id": "", "party_org_id": ""},
        {"id": "R3", "name": "王五", "party_member": "Y", "phone": "", "id_number": "",
         "building_id": "", "registered_community_id": "", "party_org_id": "P4"},
    ],
    "posts": [
        {"person_id": "R1", "org_type": "党组织", "org_id": "P2", "role": "书记",
         "part_time": "否", "start": "2023-01-01", "end": ""},
        {"person_id": "R1", "org_type": "业委会", "org_id": "Y1", "role": "主任",
         "part_time": "是", "start": "2023-06-01", "end": ""},
        {"person_id": "R2", "org_type": "网格", "org_id": "G1", "role": "网格员",
         "part_time": "", "start": "", "end": ""},
        {"person_id": "R3", "org_type": "楼栋", "org_id": "B1", "role": "楼长",
         "part_time": "1", "start": "", "end": ""},
        {"person_id": "R2", "org_type": "物业企业", "org_id": "WY1", "role": "保洁主管",
         "part_time": "", "start": "", "end": ""},
    ],
    "lists": [
        {"id": "L1", "kind": "需求", "name": "老年食堂", "community_id": "C1", "owner_type": "",
         "owner_id": "", "matches": ""},
        {"id": "L2", "kind": "资源", "name": "图书角", "community_id": "C1",
         "owner_type": "驻区单位", "owner_id": "U1", "matches": ""},
        {"id": "L3", "kind": "项目", "name": "老年阅读", "community_id": "C1", "owner_type": "",
         "owner_id": "", "matches": "L1;L2"},
    ],
    "venues": [
        {"id": "V1", "name": "和平社区党群服务中心", "kind": "党群服务中心", "located_type": "社区",
         "located_id": "C1", "area_m2": "520", "open": "是"},
        {"id": "V2", "name": "1号楼同心驿", "kind": "同心驿", "located_type": "楼栋", "located_id": "B1",
         "area_m2": "", "open": ""},
    ],
    "cases": [
        {"id": "GD1", "name": "院落漏水", "about_type": "小区", "about_id": "X3", "source": "12345热线",
         "category": "房屋维修", "received": "2026-05-06", "closed": "2026年5月9日"},
        {"id": "GD2", "name": "", "about_type": "社区", "about_id": "C2", "source": "全科网格上报",
         "category": "", "received": "2026/6/1", "closed": ""},
    ],
    "property_ratings": [
        {"company_id": "WY1", "rated_by_type": "社区", "rated_by_id": "C1", "date": "2026-03-31",
         "result": "红榜", "period": "2026年第一季度"},
        {"company_id": "WY1", "rated_by_type": "社区", "rated_by_id": "C1", "date": "2026-06-30",
         "result": "黑名单", "period": "2026年第二季度"},
        {"company_id": "WY1", "rated_by_type": "街道", "rated_by_id": "S1", "date": "2026-06-30",
         "result": "2星", "period": ""},
    ],
}


def minimal_ledgers() -> dict[str, list[dict[str, str]]]:
    """A fresh copy of the minimal valid ledgers, keyed by ledger name, rows keyed by column key."""
    return copy.deepcopy(_MINIMAL)


def header_for(ledger: str, key: str, headers: str) -> str:
    spec = LEDGERS_BY_NAME[ledger]
    try:
        column = spec.column(key)
    except StopIteration:
        return key  # an extra column, written as given
    return column.zh if headers == "zh" else column.en


def table(ledger: str, rows: list[dict], headers: str = "zh") -> list[list[str]]:
    """Header row plus data rows of one ledger."""
    keys = list(dict.fromkeys(key for row in rows for key in row)) or \
        [column.key for column in LEDGERS_BY_NAME[ledger].columns]
    return [[header_for(ledger, key, headers) for key in keys],
            *[[row.get(key, "") for key in keys] for row in rows]]


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_ledgers(folder: Path, ledgers: dict | None = None, *, headers: str = "zh",
                  names: str = "zh", encoding: str = "utf-8") -> Path:
    """Write one CSV per ledger into ``folder`` (file names Chinese or English); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for ledger, rows in (minimal_ledgers() if ledgers is None else ledgers).items():
        name = LEDGERS_BY_NAME[ledger].zh if names == "zh" else ledger
        write_csv(folder / f"{name}.csv", table(ledger, rows, headers), encoding)
    return folder


def write_workbook(path: Path, ledgers: dict | None = None, *, headers: str = "zh") -> Path:
    """Write one XLSX workbook with a sheet per ledger (sheet names Chinese)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for ledger, rows in (minimal_ledgers() if ledgers is None else ledgers).items():
        sheet = workbook.create_sheet(LEDGERS_BY_NAME[ledger].zh)
        for values in table(ledger, rows, headers):
            sheet.append([value if value != "" else None for value in values])
    workbook.save(path)
    return path
