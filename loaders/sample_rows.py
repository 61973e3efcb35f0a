"""The rows of every ledger the sample generator writes, and how they are spelled in a CSV file.

Rows hold language-neutral values (schema enums, dates, booleans, tuples of ids); ``format_row``
turns them into the strings of a Chinese or English ledger. The ground truth is computed from the
same rows, so it describes exactly what was written.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import NamedTuple

from graphmodel.schema import (AreaLevel, CaseSource, GridType, ListKind, ListStatus, OrgType, OwnerCommitteeKind,
                               PartyOrgKind, RatingResult, Role, VenueKind)

__all__ = [
    "AreaRow", "GridRow", "CompoundRow", "BuildingRow", "CoverageRow", "PartyOrgRow", "CompanyRow",
    "ContractRow", "OwnerCommitteeRow", "ResidentUnitRow", "PersonRow", "PostRow", "ListRow",
    "VenueRow", "CaseRow", "RatingRow", "LedgerSpec", "LEDGERS", "format_row",
]


class AreaRow(NamedTuple):
    id: str
    name: str
    level: AreaLevel
    parent_id: str | None


class GridRow(NamedTuple):
    id: str
    name: str
    community_id: str
    grid_type: GridType


class CompoundRow(NamedTuple):
    id: str
    name: str
    community_id: str
    households: int | None = None  # 户数: unknown for some (O1–O3 count the households that are known)


class BuildingRow(NamedTuple):
    id: str
    name: str
    compound_id: str
    units: int | None = None
    households: int | None = None


class CoverageRow(NamedTuple):
    """One grid covering one building, or a whole compound when ``building_id`` is empty."""

    grid_id: str
    building_id: str | None
    compound_id: str | None


class PartyOrgRow(NamedTuple):
    id: str
    name: str
    kind: PartyOrgKind
    parent_id: str | None
    based_in_type: OrgType
    based_in_id: tuple[str, ...]


class CompanyRow(NamedTuple):
    id: str
    name: str


class ContractRow(NamedTuple):
    company_id: str
    compound_id: str
    start: dt.date | None
    end: dt.date | None


class OwnerCommitteeRow(NamedTuple):
    id: str
    name: str
    kind: OwnerCommitteeKind
    compound_id: str
    term_start: dt.date | None
    term_end: dt.date | None


class ResidentUnitRow(NamedTuple):
    id: str
    name: str
    kind: str
    community_id: str


class PersonRow(NamedTuple):
    id: str
    name: str
    party_member: bool
    phone: str | None
    id_number: str | None
    building_id: str | None
    registered_community_id: str | None
    party_org_id: str | None


class PostRow(NamedTuple):
    person_id: str
    org_type: OrgType
    org_id: str
    role: Role | str
    part_time: bool
    start: dt.date | None
    end: dt.date | None


class ListRow(NamedTuple):
    id: str
    kind: ListKind
    title: str
    community_id: str
    owner_id: str | None
    matches: tuple[str, ...]
    status: ListStatus | None = None
    raised: dt.date | None = None
    closed: dt.date | None = None


class VenueRow(NamedTuple):
    id: str
    name: str
    kind: VenueKind | str  # open: a kind the schema does not name is written as it is
    located_type: OrgType
    located_id: str
    area_m2: int | None
    open: bool | None


class CaseRow(NamedTuple):
    """A case (诉求工单) about a community, compound or building."""

    id: str
    title: str
    about_type: OrgType
    about_id: str
    source: CaseSource | str
    category: str
    received: dt.date
    closed: dt.date | None


class RatingRow(NamedTuple):
    """A property company's rating (物业评价) by a compound, community or street."""

    company_id: str
    rated_by_type: OrgType
    rated_by_id: str
    date: dt.date
    result: RatingResult
    period: str | None


class LedgerSpec(NamedTuple):
    """A ledger's English name, Chinese name, row type and Chinese headers (in field order)."""

    name: str
    zh: str
    row: type
    zh_headers: tuple[str, ...]

    def file_name(self, lang: str) -> str:
        return f"{self.zh if lang == 'zh' else self.name}.csv"

    def headers(self, lang: str) -> tuple[str, ...]:
        return self.zh_headers if lang == "zh" else self.row._fields


LEDGERS: dict[str, LedgerSpec] = {spec.name: spec for spec in (
    LedgerSpec("areas", "行政区划", AreaRow, ("编码", "名称", "层级", "上级编码")),
    LedgerSpec("grids", "网格", GridRow, ("网格编码", "网格名称", "所属社区编码", "网格类型")),
    LedgerSpec("compounds", "小区", CompoundRow, ("小区编码", "小区名称", "所属社区编码", "户数")),
    LedgerSpec("buildings", "楼栋", BuildingRow, ("楼栋编码", "楼栋名称", "所属小区编码", "单元数", "户数")),
    LedgerSpec("grid_coverage", "网格覆盖", CoverageRow, ("网格编码", "楼栋编码", "小区编码")),
    LedgerSpec("party_orgs", "党组织", PartyOrgRow,
               ("组织编码", "组织名称", "组织类别", "上级组织编码", "依托类型", "依托编码")),
    LedgerSpec("property_companies", "物业企业", CompanyRow, ("企业编码", "企业名称")),
    LedgerSpec("property_contracts", "物业服务", ContractRow, ("企业编码", "小区编码", "开始日期", "结束日期")),
    LedgerSpec("owner_committees", "业委会", OwnerCommitteeRow,
               ("编码", "名称", "类型", "小区编码", "任期开始", "任期结束")),
    LedgerSpec("resident_units", "驻区单位", ResidentUnitRow, ("单位编码", "单位名称", "单位类型", "报到社区编码")),
    LedgerSpec("people", "人员", PersonRow,
               ("人员编码", "姓名", "是否党员", "联系电话", "身份证号", "居住楼栋编码", "报到社区编码",
                "所在党组织编码")),
    LedgerSpec("posts", "任职", PostRow,
               ("人员编码", "组织类型", "组织编码", "职务", "是否兼职", "任职开始", "任职结束")),
    LedgerSpec("lists", "清单", ListRow,
               ("编号", "类型", "名称", "社区编码", "提出或提供单位编码", "对接编号", "状态", "提出日期", "办结日期")),
    LedgerSpec("venues", "阵地", VenueRow, ("阵地编码", "阵地名称", "类型", "所在类型", "所在编码", "面积", "是否开放")),
    LedgerSpec("cases", "诉求工单", CaseRow,
               ("工单编号", "诉求内容", "对象类型", "对象编码", "来源", "类别", "受理日期", "办结日期")),
    LedgerSpec("property_ratings", "物业评价", RatingRow,
               ("企业编码", "评价单位类型", "评价单位编码", "评价日期", "结果", "评价期")),
)}


def format_row(row: tuple, lang: str) -> list[str]:
    """The CSV cells of a row: Chinese enum names, 是/否 and full-width separators for ``zh``."""
    return [_cell(value, lang) for value in row]


def _cell(value, lang: str) -> str:
    if type(value) is str:  # most cells: checked first, the city scale writes millions
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        if lang == "zh":
            return "是" if value else "否"
        return "true" if value else "false"
    if isinstance(value, Enum):
        return value.zh if lang == "zh" else value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ("；" if lang == "zh" else ";").join(value)
    return str(value)
