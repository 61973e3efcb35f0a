"""The graph schema: every node and relationship kind, as pydantic models.

This module is the single source of truth. The Neo4j constraints, the Cypher lint schema, the
ledger header documentation and the snapshot decoder are all generated from it; nothing else
spells a label, a relationship type or a property key on its own.

Enum values are stable English codes (used in the graph, in Neo4j and in JSON); each member
carries its Chinese display name (``.zh``) and the spellings ledgers use for it (``parse``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import types
import typing
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

__all__ = [
    "ZhEnum", "AreaLevel", "GridType", "PartyOrgKind", "OrgType", "OwnerCommitteeKind", "Role",
    "ListKind", "ListStatus", "VenueKind", "CaseSource", "RatingResult", "NodeModel", "District", "Street",
    "Community", "Grid", "Compound", "Building", "PartyOrg", "PropertyCompany", "OwnerCommittee", "ResidentUnit",
    "Person", "ListItem", "Venue", "Case", "RelationshipSpec", "NODE_MODELS", "RELATIONSHIPS", "node_labels",
    "relationship_types", "property_keys", "date_properties", "normalize_role", "role_zh", "normalize_grid_type",
    "grid_type_zh", "normalize_venue_kind", "venue_kind_zh", "parse_area", "parse_count", "normalize_case_source",
    "case_source_zh", "PART_TIME_ROLES", "OpenEnum", "field_enum", "parse_date", "parse_bool",
    "LedgerDate", "ID_NUMBER_HEADERS", "PII_PROPERTIES", "fold_header",
    "is_id_number_header", "NEO4J_BOOKKEEPING_PROPERTIES",
]


class ZhEnum(str, Enum):
    """A string enum with a Chinese display name and the aliases ledgers write for it."""

    def __new__(cls, value: str, zh: str, *aliases: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.zh = zh
        member.aliases = (value, zh, *aliases)
        return member

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, text: Any) -> "ZhEnum":
        """Member for a ledger spelling (English code, Chinese name or alias); ``ValueError`` if none."""
        if isinstance(text, cls):
            return text
        key = _fold(str(text))
        for member in cls:
            if key in {_fold(alias) for alias in member.aliases}:
                return member
        allowed = "、".join(member.zh for member in cls)
        raise ValueError(f"不是有效的取值 (allowed: {allowed})")

    @classmethod
    def __get_pydantic_core_schema__(cls, source, handler):
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(
            cls.parse, core_schema.enum_schema(cls, list(cls), sub_type="str"),
            serialization=core_schema.plain_serializer_function_ser_schema(lambda m: m.value),
        )


def _fold(text: str) -> str:
    return text.strip().replace(" ", "").replace("_", "").replace("-", "").lower()


class AreaLevel(ZhEnum):
    DISTRICT = "district", "区县", "区", "县", "县区", "市辖区", "县级市", "旗"
    STREET = "street", "街道", "乡镇", "乡", "镇", "街道办事处", "苏木"
    COMMUNITY = "community", "社区", "村", "居委会", "村委会", "嘎查", "社区居委会"


class GridType(ZhEnum):
    COMPREHENSIVE = "comprehensive", "综合网格", "综合", "基础网格"
    PARTY_BUILDING = "party_building", "党建网格", "党建"
    LAW_ENFORCEMENT = "law_enforcement", "综合执法网格", "执法网格", "综合执法"
    MARKET_SUPERVISION = "market_supervision", "市场监管网格", "市场监管"
    ENVIRONMENT = "environment", "生态环境网格", "环保网格", "生态环境"
    EMERGENCY = "emergency", "应急管理网格", "应急网格", "应急管理"
    OTHER = "other", "其他", "其它"


@dataclass(frozen=True)
class OpenEnum:
    """Field marker: text normalised to ``enum``'s codes where it names a member, kept otherwise."""

    enum: type[ZhEnum]


def field_enum(model: type[BaseModel], name: str) -> tuple[type[ZhEnum], bool] | None:
    """``(enum, is_open)`` of a field that stores enum codes (optional or open ones too), else None."""
    field = model.model_fields[name]
    for marker in field.metadata:
        if isinstance(marker, OpenEnum):
            return marker.enum, True
    candidates = typing.get_args(field.annotation) or (field.annotation,)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, ZhEnum):
            return candidate, False
    return None


def normalize_grid_type(text: str) -> str:
    """The GridType code for one of the named types, otherwise the ledger's own words, trimmed.

    Grid types are open (莒南 merged 18 kinds into 一张网; 平武 writes 全科网格): only the named
    ones are normalised, so two grids of different unnamed types never look alike.
    """
    return _open_code(GridType, text)


def grid_type_zh(grid_type: str) -> str:
    """Chinese display name of a grid type code (unnamed types are already in the ledger's words)."""
    return _open_zh(GridType, grid_type)


def _open_code(enum: type[ZhEnum], text: Any) -> str:
    try:
        return enum.parse(text).value
    except ValueError:
        return str(text).strip()


def _open_zh(enum: type[ZhEnum], code: str) -> str:
    try:
        return enum(code).zh
    except ValueError:
        return code


class PartyOrgKind(ZhEnum):
    WORKING_COMMITTEE = "working_committee", "党工委", "街道党工委", "大工委", "党的工作委员会"
    COMMITTEE = "committee", "党委", "社区党委", "大党委", "委员会"
    GENERAL_BRANCH = "general_branch", "党总支", "总支", "党总支部"
    BRANCH = "branch", "党支部", "支部"
    JOINT_BRANCH = "joint_branch", "联合党支部", "联合支部"
    GROUP = "group", "党小组", "楼栋党小组", "小组"

    @property
    def allowed_parents(self) -> frozenset["PartyOrgKind"]:
        """Kinds a parent (UNDER target) may have; a 党小组 directly under a 党工委 is impossible."""
        return _ALLOWED_PARENTS[self]


_K = PartyOrgKind
_ALLOWED_PARENTS = {
    _K.WORKING_COMMITTEE: frozenset(),
    _K.COMMITTEE: frozenset({_K.WORKING_COMMITTEE, _K.COMMITTEE}),
    _K.GENERAL_BRANCH: frozenset({_K.WORKING_COMMITTEE, _K.COMMITTEE}),
    _K.BRANCH: frozenset({_K.WORKING_COMMITTEE, _K.COMMITTEE, _K.GENERAL_BRANCH}),
    _K.JOINT_BRANCH: frozenset({_K.WORKING_COMMITTEE, _K.COMMITTEE, _K.GENERAL_BRANCH}),
    _K.GROUP: frozenset({_K.GENERAL_BRANCH, _K.BRANCH, _K.JOINT_BRANCH}),
}


class OrgType(ZhEnum):
    """What a party organisation is based in (依托类型) or a post is held in (组织类型)."""

    STREET = "street", "街道", "乡镇", "街道办事处"
    COMMUNITY = "community", "社区", "居委会", "社区居委会", "村", "村委会"
    GRID = "grid", "网格"
    COMPOUND = "compound", "小区", "院落"
    BUILDING = "building", "楼栋", "楼院", "楼"
    PROPERTY_COMPANY = "property_company", "物业企业", "物业", "物业公司", "物业服务企业"
    OWNER_COMMITTEE = "owner_committee", "业委会", "物管会", "自管会", "业主委员会"
    RESIDENT_UNIT = "resident_unit", "驻区单位", "单位", "共建单位"
    PARTY_ORG = "party_org", "党组织"

    @property
    def label(self) -> str:
        return _ORG_TYPE_LABELS[self]


_ORG_TYPE_LABELS = {
    OrgType.STREET: "Street", OrgType.COMMUNITY: "Community", OrgType.GRID: "Grid",
    OrgType.COMPOUND: "Compound", OrgType.BUILDING: "Building",
    OrgType.PROPERTY_COMPANY: "PropertyCompany", OrgType.OWNER_COMMITTEE: "OwnerCommittee",
    OrgType.RESIDENT_UNIT: "ResidentUnit", OrgType.PARTY_ORG: "PartyOrg",
}


class OwnerCommitteeKind(ZhEnum):
    OWNERS_COMMITTEE = "owners_committee", "业委会", "业主委员会"
    MANAGEMENT_COMMITTEE = "management_committee", "物管会", "物业管理委员会"
    SELF_MANAGEMENT = "self_management", "自管会", "业主自管会", "自治管理小组", "自管小组"


class Role(ZhEnum):
    """Posts the audits reason about; any other role is kept as the ledger spells it."""

    SECRETARY = "secretary", "书记", "党委书记", "支部书记", "党总支书记"
    DEPUTY_SECRETARY = "deputy_secretary", "副书记"
    MEMBER = "member", "委员", "成员"
    PART_TIME_MEMBER = "part_time_member", "兼职委员"
    PART_TIME_DEPUTY_SECRETARY = "part_time_deputy_secretary", "兼职副书记"
    FIRST_SECRETARY = "first_secretary", "第一书记"
    DIRECTOR = "director", "主任", "业委会主任", "物管会主任"
    DEPUTY_DIRECTOR = "deputy_director", "副主任"
    GRID_LEADER = "grid_leader", "网格长"
    GRID_WORKER = "grid_worker", "网格员", "专职网格员", "兼职网格员"
    BUILDING_LEADER = "building_leader", "楼长", "楼栋长"
    UNIT_LEADER = "unit_leader", "单元长"
    INSTRUCTOR = "instructor", "党建指导员", "指导员", "物业服务指导员"
    PROJECT_MANAGER = "project_manager", "项目经理"
    CENTRAL_HOUSEHOLD = "central_household", "党员中心户", "中心户", "党员联系户"  # 民乐东街 writes 党员联系户


#: Roles that make a post part-time by themselves (X3, B18), whatever its ``part_time`` says.
PART_TIME_ROLES = frozenset({Role.PART_TIME_MEMBER.value, Role.PART_TIME_DEPUTY_SECRETARY.value})


def normalize_role(text: str) -> str:
    """The Role code for a known role, otherwise the ledger's own spelling, trimmed."""
    return _open_code(Role, text)


def role_zh(role: str) -> str:
    """Chinese display name of a role code (unknown roles are already in the ledger's words)."""
    return _open_zh(Role, role)


class ListKind(ZhEnum):
    """三项清单: a 问题 is a demand; 莒南's 需求、资源、治理 trio makes 治理 the project that meets one."""

    DEMAND = "demand", "需求", "需求清单", "问题", "问题清单"
    RESOURCE = "resource", "资源", "资源清单"
    PROJECT = "project", "项目", "项目清单", "治理", "治理清单", "治理项目"


class ListStatus(ZhEnum):
    """Where a list item stands (三项清单 办理状态); an item is closed when 办结."""

    OPEN = "open", "待办", "未办", "待办理"
    IN_PROGRESS = "in_progress", "办理中", "在办", "进行中"
    CLOSED = "closed", "办结", "已办结", "完成", "已完成", "已解决"


class VenueKind(ZhEnum):
    """党群服务阵地 kinds the seeds name; venues are open like grid types (any other text is kept)."""

    CENTRE = "centre", "党群服务中心", "社区党群服务中心", "街道党群服务中心"
    STATION = "station", "党群服务站", "小区党群服务站"
    TONGXIN = "tongxin", "同心驿"
    GRID_WORKER_POST = "grid_worker_post", "网格员驿站", "网格驿站"
    ACTIVITY_ROOM = "activity_room", "活动室", "党员活动室"
    OTHER = "other", "其他", "其它"


def normalize_venue_kind(text: str) -> str:
    """The VenueKind code for one of the named kinds, otherwise the ledger's own words, trimmed."""
    return _open_code(VenueKind, text)


def venue_kind_zh(kind: str) -> str:
    """Chinese display name of a venue kind code (unnamed kinds are already in the ledger's words)."""
    return _open_zh(VenueKind, kind)


_AREA_FORM = re.compile(r"^(-?\d+(?:\.\d*)?|-?\.\d+)\s*(?:m2|m²|㎡|平方米|平米|平)?$", re.IGNORECASE)


def parse_area(value: Any) -> float:
    """A floor area in m² (面积) from a number or text such as 520, 520.5, 520㎡, 520平方米; never negative."""
    if isinstance(value, bool):
        raise ValueError("不是有效的面积 (expected a number of m², e.g. 520 or 520㎡)")
    try:
        if isinstance(value, (int, float)):
            number = float(value)
        else:
            match = _AREA_FORM.match(str(value).strip().replace(",", "").replace("，", ""))
            if not match:
                raise ValueError("不是有效的面积 (expected a number of m², e.g. 520 or 520㎡)")
            number = float(match.group(1))
    except OverflowError:  # an int beyond what a float holds
        number = float("inf")
    if not math.isfinite(number):
        raise ValueError("面积过大或不是数字 (an area is a finite number of m²)")
    if number < 0:
        raise ValueError("面积不能为负数 (an area is a number of m², 0 or more)")
    return number


_COUNT_FORM = re.compile(r"^(\d+)\s*(?:户|套|个单元|单元|个)?$")


def parse_count(value: Any) -> int:
    """A count (户数, 单元数) from a whole number or text such as 120, 1,200, 120户, 3个单元; never negative."""
    message = "不是有效的数量 (expected a whole number, 0 or more, e.g. 120 or 120户)"
    if isinstance(value, bool):
        raise ValueError(message)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a workbook stores 120 as 120.0
    if isinstance(value, int):
        if value < 0:
            raise ValueError(message)
        return value
    match = _COUNT_FORM.match(str(value).strip().replace(",", "").replace("，", ""))
    if not match:
        raise ValueError(message)
    return int(match.group(1))


LedgerCount = Annotated[int, BeforeValidator(parse_count)]


# -- cases (诉求工单) and property ratings (物业红黑榜) ---------------------------------------------
class CaseSource(ZhEnum):
    """Where a case came from (来源); any other source is kept as the ledger writes it."""

    HOTLINE = "hotline", "12345", "12345热线", "市民热线", "政务服务便民热线", "热线"
    GRID_PATROL = "grid_patrol", "网格巡查", "网格员巡查", "巡查", "网格员上报"
    RESIDENT = "resident", "居民上报", "居民反映", "群众反映", "居民来访", "居民"
    OTHER = "other", "其他", "其它"


def normalize_case_source(text: str) -> str:
    """The CaseSource code for a named source, otherwise the ledger's own words, trimmed."""
    return _open_code(CaseSource, text)


def case_source_zh(source: str) -> str:
    """Chinese display name of a case source code (other sources are already in the ledger's words)."""
    return _open_zh(CaseSource, source)


class RatingResult(ZhEnum):
    """The result of a property company's rating (物业评价): 红榜, 黑榜 or one to five stars."""

    RED_LIST = "red_list", "红榜", "红名单", "上红榜", "最美物业"
    BLACK_LIST = "black_list", "黑榜", "黑名单", "上黑榜"
    STARS_1 = "stars_1", "1星", "一星", "1星级", "一星级", "★"
    STARS_2 = "stars_2", "2星", "二星", "两星", "2星级", "二星级", "★★"
    STARS_3 = "stars_3", "3星", "三星", "3星级", "三星级", "★★★"
    STARS_4 = "stars_4", "4星", "四星", "4星级", "四星级", "★★★★"
    STARS_5 = "stars_5", "5星", "五星", "5星级", "五星级", "★★★★★"


_DATE_FORMS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_TRUE = {"是", "y", "yes", "true", "t", "1", "√", "✓", "有"}
_FALSE = {"否", "n", "no", "false", "f", "0", "×", "无", ""}


_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's phantom 1900-02-29 included)
_EXCEL_SERIALS = range(10_000, 100_000)  # five digits: 1927-05-18 … 2173-10-14, never a year or a day
_DIGITS_ONLY = re.compile(r"^\d+(?:\.0+)?$")


def _excel_serial_date(serial: float) -> dt.date:
    """The day an Excel date serial stands for: ``45474`` → 2024-07-01."""
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date(value: Any) -> dt.date | None:
    """A date from the forms ledgers use: 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日, Excel cells
    (a date, or a date serial such as 45474 in a cell not formatted as a date)."""
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and int(value) in _EXCEL_SERIALS:
        return _excel_serial_date(value)
    text = str(value).strip()
    if not text:
        return None
    match = _DATE_FORMS.match(text) or _DATE_FORMS.match(text.split(" ")[0].split("T")[0])
    if not match:
        raise ValueError(_date_problem(text))
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"不存在的日期 {year}-{month}-{day}") from None


def _date_problem(text: str) -> str:
    """Why ``text`` is not a date, as specific as the text allows."""
    if _DIGITS_ONLY.match(text):
        digits = text.split(".")[0]
        if len(digits) == 8 and _DATE_FORMS.match(f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"):
            return (f"日期缺少分隔符, 应写作 {digits[:4]}-{digits[4:6]}-{digits[6:]} (a date without separators: "
                    f"write {digits[:4]}-{digits[4:6]}-{digits[6:]})")
        if int(digits) in _EXCEL_SERIALS:
            day = _excel_serial_date(int(digits)).isoformat()
            return (f"{digits} 是 Excel 的日期序号, 即 {day}: 请把单元格设为日期格式或写作 {day} ({digits} is an "
                    f"Excel date serial, the day {day}: format the cell as a date, or write {day})")
    return "不是有效的日期 (expected 2024-03-01, 2024/3/1 or 2024年3月1日)"


def parse_bool(value: Any) -> bool:
    """A boolean from 是/否, Y/N, true/false, 1/0 (an empty cell is false)."""
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("不是有效的是/否值 (expected 是/否, Y/N, true/false, 1/0)")


LedgerDate = Annotated[dt.date, BeforeValidator(parse_date)]
LedgerBool = Annotated[bool, BeforeValidator(parse_bool)]

_HEADER_NOISE = re.compile(r"[\s_\-*＊:：]|[(（][^)）]*[)）]")


def fold_header(text: str) -> str:
    """Header spelling for matching: no spaces, ``_``, ``-``, ``*``, parenthesised notes; lower case.

    >>> fold_header(" 小区编码（必填）*"), fold_header("Community ID")
    ('小区编码', 'communityid')
    """
    return _HEADER_NOISE.sub("", str(text)).lower()


# Every header an ID-card number column goes by, defined once: the 人员 ledger's 身份证号 column
# accepts them all (and keeps only a keyed hash); any other column so headed is refused.
ID_NUMBER_HEADERS = ("身份证号", "身份证号码", "身份证", "公民身份号码", "公民身份证号", "公民身份证号码",
                     "证件号码", "证件号", "身份号码", "身份证件号码", "sfzh", "SFZHM", "sfz", "idcard",
                     "id_card", "id_no", "id_number", "citizen_id")
_ID_NUMBER_FOLDED = frozenset(fold_header(header) for header in ID_NUMBER_HEADERS)

# Personal properties: reports mask or drop them and exports leave them out unless asked.
PII_PROPERTIES = ("phone", "id_hash")


def is_id_number_header(header: str) -> bool:
    """A column header naming ID-card numbers, in any spelling of :data:`ID_NUMBER_HEADERS`:
    such a column or property must never reach the graph (only ``id_hash`` does).

    >>> is_id_number_header("公民身份号码"), is_id_number_header("ID_Card"), is_id_number_header("ID")
    (True, True, False)
    """
    folded = fold_header(header)
    return folded in _ID_NUMBER_FOLDED or "身份证" in folded

PropertyValue = str | int | float | bool | dt.date | None

# Properties the Neo4j loader adds to what it writes (see graphmodel/neo4j/statements.py):
# ``load_scopes`` on nodes and relationships (every load that holds them, so a re-load removes only
# what vanished from its own ledgers), ``rel_key`` on relationships (the identity they merge on),
# ``load_hash`` on both (a digest of what the load wrote, so a re-load writes only what changed).
NEO4J_BOOKKEEPING_PROPERTIES = ("load_scopes", "rel_key", "load_hash")


class NodeModel(BaseModel):
    """Common shape of every node: a unique ledger code and a name; unknown columns are kept."""

    model_config = ConfigDict(extra="allow", frozen=True, use_enum_values=True)
    label: ClassVar[str]
    zh: ClassVar[str]

    id: str = Field(min_length=1, description="ledger code, unique per label")
    name: str = Field(min_length=1, description="name as written in the ledger")

    @model_validator(mode="after")
    def _no_raw_id_numbers(self):
        leaked = sorted(key for key in self.model_extra or {} if is_id_number_header(key))
        if leaked:
            raise ValueError(f"raw ID-card numbers may not be stored (property {leaked[0]})")
        return self


class District(NodeModel):
    label = "District"
    zh = "区县"


class Street(NodeModel):
    label = "Street"
    zh = "街道"


class Community(NodeModel):
    label = "Community"
    zh = "社区"


class Grid(NodeModel):
    label = "Grid"
    zh = "网格"
    grid_type: Annotated[str, BeforeValidator(normalize_grid_type), OpenEnum(GridType)] = Field(
        GridType.COMPREHENSIVE.value, min_length=1,
        description="网格类型: a GridType code, or the ledger's own words (types are open)")


class Compound(NodeModel):
    label = "Compound"
    zh = "小区"
    households: LedgerCount | None = Field(None, ge=0, description="户数 (empty: unknown)")


class Building(NodeModel):
    label = "Building"
    zh = "楼栋"
    units: LedgerCount | None = Field(None, ge=0, description="单元数 (empty: unknown; B20 asks a 单元长 where > 1)")
    households: LedgerCount | None = Field(None, ge=0, description="户数 (empty: unknown)")


class PartyOrg(NodeModel):
    label = "PartyOrg"
    zh = "党组织"
    kind: PartyOrgKind = Field(description="组织类别")


class PropertyCompany(NodeModel):
    label = "PropertyCompany"
    zh = "物业企业"


class OwnerCommittee(NodeModel):
    label = "OwnerCommittee"
    zh = "业委会"
    kind: OwnerCommitteeKind = Field(description="类型: 业委会/物管会/自管会")
    term_start: LedgerDate | None = Field(None, description="任期开始")
    term_end: LedgerDate | None = Field(None, description="任期结束")


class ResidentUnit(NodeModel):
    label = "ResidentUnit"
    zh = "驻区单位"
    kind: str | None = Field(None, description="单位类型")


class Person(NodeModel):
    label = "Person"
    zh = "人员"
    party_member: LedgerBool = Field(False, description="是否党员")
    phone: str | None = Field(None, description="联系电话 (masked in reports unless --show-pii)")
    id_hash: str | None = Field(None, description="keyed hash of the ID-card number; never the number")


class ListItem(NodeModel):
    label = "ListItem"
    zh = "清单"
    kind: ListKind = Field(description="需求/资源/项目")
    status: ListStatus | None = Field(None, description="状态: 待办/办理中/办结")
    raised: LedgerDate | None = Field(None, description="提出日期")
    closed: LedgerDate | None = Field(None, description="办结日期")
    community_id: str | None = Field(
        None, description="社区编码 as recorded on the row; places the item (docs/definitions.md)")


class Venue(NodeModel):
    """党群服务阵地: a service centre, station, 同心驿 or activity room, LOCATED_IN a place."""

    label = "Venue"
    zh = "阵地"
    kind: Annotated[str, BeforeValidator(normalize_venue_kind), OpenEnum(VenueKind)] = Field(
        min_length=1, description="类型: a VenueKind code, or the ledger's own words (kinds are open)")
    area_m2: Annotated[float, BeforeValidator(parse_area)] | None = Field(
        None, ge=0, description="面积 in m² (empty: unknown, counted as 0 by C14)")
    open: LedgerBool | None = Field(None, description="是否开放")


class Case(NodeModel):
    """A case (诉求工单: a 12345 call, a grid patrol finding, a resident's report) ABOUT a
    community, compound or building; closed (办结) on its ``closed`` date."""

    label = "Case"
    zh = "诉求工单"
    source: Annotated[str, BeforeValidator(normalize_case_source), OpenEnum(CaseSource)] = Field(
        CaseSource.OTHER.value, min_length=1,
        description="来源: a CaseSource code, or the ledger's own words (sources are open)")
    category: str | None = Field(None, description="类别")
    received: LedgerDate = Field(description="受理日期")
    closed: LedgerDate | None = Field(None, description="办结日期 (empty: not closed)")


NODE_MODELS: dict[str, type[NodeModel]] = {
    model.label: model
    for model in (District, Street, Community, Grid, Compound, Building, PartyOrg, PropertyCompany,
                  OwnerCommittee, ResidentUnit, Person, ListItem, Venue, Case)
}


class RelationshipProps(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoProps(RelationshipProps):
    pass


class ManagesProps(RelationshipProps):
    start: LedgerDate | None = Field(None, description="合同开始")
    end: LedgerDate | None = Field(None, description="合同结束 (empty: open-ended)")


class HoldsProps(RelationshipProps):
    role: Annotated[str, BeforeValidator(normalize_role), OpenEnum(Role)] = Field(
        min_length=1, description="职务: a Role code, or the ledger's own word")
    part_time: LedgerBool = Field(False, description="是否兼职")
    start: LedgerDate | None = Field(None, description="任职开始")
    end: LedgerDate | None = Field(None, description="任职结束")


class RatedProps(RelationshipProps):
    date: LedgerDate = Field(description="评价日期")
    result: RatingResult = Field(description="结果: 红榜/黑榜/1星–5星")
    period: str | None = Field(None, description="评价期 (e.g. 2026年第一季度)")


@dataclass(frozen=True)
class RelationshipSpec:
    """A relationship type: which labels it joins and which properties it carries.

    ``key`` lists the properties that, with the two end nodes, identify one relationship
    (a person may hold two roles in one organisation; a company may renew a contract).
    """

    type: str
    zh: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    props: type[RelationshipProps] = NoProps
    key: tuple[str, ...] = ()

    def identity(self, props: dict) -> str:
        """Edge key in the embedded graph: the type plus its key properties."""
        if not self.key:  # most types: the bulk loader calls this once per relationship
            return self.type
        return "|".join([self.type, *(str(props.get(name) or "") for name in self.key)])


_AREAS = ("Street", "Community")
_ORGANISATIONS = ("Street", "Community", "Grid", "Compound", "Building", "PropertyCompany",
                  "OwnerCommittee", "ResidentUnit", "PartyOrg")

RELATIONSHIPS: dict[str, RelationshipSpec] = {
    spec.type: spec
    for spec in (
        RelationshipSpec("PART_OF", "隶属", ("Street", "Community", "Grid", "Compound", "Building"),
                         ("District", "Street", "Community", "Compound")),
        RelationshipSpec("COVERS", "网格覆盖", ("Grid",), ("Building", "Compound")),
        RelationshipSpec("UNDER", "上级党组织", ("PartyOrg",), ("PartyOrg",)),
        RelationshipSpec("BASED_IN", "依托", ("PartyOrg",),
                         ("District", *_ORGANISATIONS[:-1])),
        RelationshipSpec("MANAGES", "物业服务", ("PropertyCompany",), ("Compound",), ManagesProps,
                         ("start",)),
        RelationshipSpec("REPRESENTS", "代表业主", ("OwnerCommittee",), ("Compound",)),
        RelationshipSpec("HOLDS", "任职", ("Person",), _ORGANISATIONS, HoldsProps, ("role",)),
        RelationshipSpec("MEMBER_OF", "党员所在组织", ("Person",), ("PartyOrg",)),
        RelationshipSpec("LIVES_IN", "居住", ("Person",), ("Building",)),
        RelationshipSpec("REGISTERED_WITH", "双报到", ("Person", "ResidentUnit"), ("Community",)),
        RelationshipSpec("RAISED_BY", "提出", ("ListItem",),
                         ("Community", "Compound", "Grid", "ResidentUnit", "PartyOrg",
                          "OwnerCommittee", "PropertyCompany", "Person")),
        RelationshipSpec("OFFERED_BY", "提供", ("ListItem",),
                         ("ResidentUnit", "PartyOrg", "PropertyCompany", "Community", "Person")),
        RelationshipSpec("MATCHES", "对接", ("ListItem",), ("ListItem",)),
        RelationshipSpec("LOCATED_IN", "所在", ("Venue",),
                         ("Community", "Grid", "Compound", "Building", "PropertyCompany", "ResidentUnit")),
        RelationshipSpec("ABOUT", "诉求对象", ("Case",), ("Community", "Compound", "Building")),
        # A company rated twice by one area keeps both ratings (the latest one counts, B17).
        RelationshipSpec("RATED", "物业评价", ("PropertyCompany",), ("Compound", "Community", "Street"),
                         RatedProps, ("date",)),
    )
}

# PART_OF joins each level only to the one above it.
PART_OF_PARENT = {"Street": "District", "Community": "Street", "Grid": "Community",
                  "Compound": "Community", "Building": "Compound"}
AREA_LABELS = {AreaLevel.DISTRICT: "District", AreaLevel.STREET: "Street",
               AreaLevel.COMMUNITY: "Community"}


def node_labels() -> list[str]:
    """Every node label, in schema order."""
    return list(NODE_MODELS)


def relationship_types() -> list[str]:
    """Every relationship type, in schema order."""
    return list(RELATIONSHIPS)


def property_keys() -> list[str]:
    """Every property key any node or relationship may carry (declared fields only)."""
    keys: dict[str, None] = {}
    for model in [*NODE_MODELS.values(), *(spec.props for spec in RELATIONSHIPS.values())]:
        keys.update(dict.fromkeys(model.model_fields))
    return list(keys)


def _is_date(annotation: Any) -> bool:
    if typing.get_origin(annotation) is Annotated:
        return _is_date(typing.get_args(annotation)[0])
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return any(_is_date(arg) for arg in typing.get_args(annotation))
    return annotation is dt.date


def date_properties(model: type[BaseModel]) -> frozenset[str]:
    """Names of the fields of ``model`` that hold dates (decoded from ISO strings in snapshots)."""
    return frozenset(name for name, field in model.model_fields.items() if _is_date(field.annotation))
