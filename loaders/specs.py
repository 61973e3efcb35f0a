"""The ledger contract (docs/ledgers.md is generated from it), declared once: which ledgers exist, how their files are
named and which columns they carry.

Everything else is derived from this table: header matching (English, Chinese and aliases), the
parser of each column (schema fields take their parser from the pydantic model, so enum values
are never restated here) and the reference page ``docs/ledgers.md`` (:func:`ledger_reference`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphmodel.privacy import hash_id_number
from graphmodel.schema import (ID_NUMBER_HEADERS, NODE_MODELS, RELATIONSHIPS, AreaLevel, CaseSource,
                               GridType, OrgType, Role, VenueKind, ZhEnum, date_properties, field_enum, fold_header,
                               normalize_case_source, normalize_grid_type, normalize_role, normalize_venue_kind,
                               parse_area, parse_bool, parse_count, parse_date)

__all__ = ["Column", "LedgerSpec", "LEDGERS", "LEDGERS_BY_NAME", "REQUIRED", "NEEDS_COLUMN",
           "OPTIONAL", "fold_header", "parse_text", "parse_ids", "footer_note",
           "enum_parser", "column_parser", "ledger_reference"]

REQUIRED = "required"          # the column must exist and every row must fill it
NEEDS_COLUMN = "column"        # the column must exist; blanks are checked by the ledger's rules
OPTIONAL = "optional"

# -- cell parsers: each takes a non-blank cell (text from CSV, typed from XLSX) ----------------

def parse_text(value: Any) -> str:
    """A cell as text: XLSX numbers without a spurious ``.0``, dates as ISO."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


BOOLEAN_SPELLINGS = "是/否, Y/N, yes/no, true/false, 1/0, √/×, 有/无"  # schema.parse_bool

# The words a note under a table begins with (DESIGN.md §3): who filled it in, checked it, when,
# the totals. Followed by a colon, a space or nothing, so 合计小区 is still a compound's name.
_FOOTER = re.compile(r"^(?:填表人|填报人|制表人|审核人|审核|负责人|联系人|联系电话|填表日期|填报日期|制表日期|报送日期|"
                     r"统计日期|统计时间|合计|总计|小计|备注|说明|注)(?:[:：\s]|$)")


def footer_note(cells) -> str | None:
    """The text of a footer row (填表人：张三  审核人：李四, 合计 …), its filled cells joined, when its
    first filled cell begins with a footer word; else None. Under a table such a row is no ledger
    row (the loader reads the rows at the end of a table that are footers or blank as notes).

    >>> footer_note(["", "填表人：王芳", "审核人：李强"]), footer_note(["合计小区", "X1"])
    ('填表人：王芳  审核人：李强', None)
    """
    filled = [text for cell in cells if cell is not None and (text := parse_text(cell))]
    return "  ".join(filled) if filled and _FOOTER.match(filled[0]) else None


_ID_SEPARATORS = re.compile(r"[;；,，、\n]")


def parse_ids(value: Any) -> tuple[str, ...]:
    """Several codes in one cell, separated by ``;`` or ``；`` (also commas and ``、``)."""
    ids = tuple(part.strip() for part in _ID_SEPARATORS.split(parse_text(value)))
    return tuple(dict.fromkeys(part for part in ids if part))


def enum_parser(enum: type[ZhEnum]) -> Callable[[Any], str]:
    """Parser giving the English code of a schema enum member; lookups are cached for speed."""
    spellings = {fold: member.value for member in enum
                 for fold in {_fold_enum(alias) for alias in member.aliases}}

    def parse(value: Any) -> str:
        code = spellings.get(_fold_enum(parse_text(value)))
        if code is None:
            enum.parse(value)  # raises the schema's own message, listing the allowed values
        return code

    parse.enum = enum
    return parse


def _fold_enum(text: str) -> str:
    return text.replace(" ", "").replace("_", "").replace("-", "").lower()


# -- the table -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One ledger column.

    ``key`` is the name the loader uses (and the node property when the schema declares a field
    of that name); ``en``/``zh`` are the canonical headers, ``aliases`` further accepted headers.
    ``parse`` overrides the parser the schema field implies (text when there is no field).
    ``keep`` stores a reference column as a node property as well.
    """

    key: str
    en: str
    zh: str
    aliases: tuple[str, ...] = ()
    required: str = REQUIRED
    parse: Callable[[Any], Any] | None = None
    note: str = ""
    keep: bool = False

    @property
    def property_name(self) -> str:
        return "id_hash" if self.parse is hash_id_number else self.key

    def headers(self) -> tuple[str, ...]:
        """Every accepted header; a Chinese ``…编码`` header also accepts ``…代码``/``…编号``."""
        names = [self.en, self.zh, self.key, *self.aliases]
        for name in (self.zh, *self.aliases):
            if name.endswith("编码"):
                names += [name[:-2] + "代码", name[:-2] + "编号"]
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class LedgerSpec:
    """One ledger: its names, the node label its rows become (if any) and its columns."""

    name: str
    zh: str
    columns: tuple[Column, ...]
    label: str | None = None
    relationship: str | None = None  # for ledgers whose rows are relationships
    aliases: tuple[str, ...] = ()
    required: bool = False
    note: str = ""
    one_of: tuple[str, ...] = ()  # optional columns of which a ledger needs at least one

    def file_aliases(self) -> tuple[str, ...]:
        return (self.name, self.zh, *self.aliases)

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


def _c(key, en, zh, *aliases, **options) -> Column:
    return Column(key, en, zh, tuple(aliases), **options)


_ID_ALIASES = ("编码", "代码", "编号", "ID")
_NAME_ALIASES = ("名称",)

LEDGERS: tuple[LedgerSpec, ...] = (
    LedgerSpec("areas", "行政区划", label=None, required=True, aliases=("区划", "区域", "area"), columns=(
        _c("id", "id", "编码", "区划编码", "区划代码", "行政区划代码"),
        _c("name", "name", "名称", "区划名称"),
        _c("level", "level", "层级", "级别", "类型", parse=enum_parser(AreaLevel)),
        _c("parent_id", "parent_id", "上级编码", "上级区划编码", "上级", required=NEEDS_COLUMN,
           note="街道填所属区县、社区填所属街道；区县留空"),
    ), note="Rows become District, Street and Community nodes by 层级."),
    LedgerSpec("grids", "网格", label="Grid", aliases=("grid",), columns=(
        _c("id", "id", "网格编码", *_ID_ALIASES),
        _c("name", "name", "网格名称", *_NAME_ALIASES),
        _c("community_id", "community_id", "所属社区编码", "社区编码"),
        _c("grid_type", "grid_type", "网格类型", "类型", required=OPTIONAL, parse=normalize_grid_type,
           note="默认 综合网格; any other type (全科网格 …) is kept as written"),
    )),
    LedgerSpec("compounds", "小区", label="Compound", aliases=("compound", "院落", "xiaoqu"),
               columns=(
        _c("id", "id", "小区编码", *_ID_ALIASES),
        _c("name", "name", "小区名称", *_NAME_ALIASES),
        _c("community_id", "community_id", "所属社区编码", "社区编码"),
        _c("households", "households", "户数", "总户数", "住户数", required=OPTIONAL, parse=parse_count,
           note="empty: unknown"),
    )),
    LedgerSpec("buildings", "楼栋", label="Building", aliases=("building", "楼院"), columns=(
        _c("id", "id", "楼栋编码", *_ID_ALIASES),
        _c("name", "name", "楼栋名称", *_NAME_ALIASES),
        _c("compound_id", "compound_id", "所属小区编码", "小区编码"),
        _c("units", "units", "单元数", "单元总数", required=OPTIONAL, parse=parse_count,
           note="empty: unknown; B20 asks a 单元长 of a building with more than one"),
        _c("households", "households", "户数", "总户数", "住户数", required=OPTIONAL, parse=parse_count,
           note="empty: unknown"),
    )),
    LedgerSpec("grid_coverage", "网格覆盖", relationship="COVERS", one_of=("building_id", "compound_id"),
               aliases=("coverage", "网格楼栋", "覆盖"), columns=(
        _c("grid_id", "grid_id", "网格编码"),
        _c("building_id", "building_id", "楼栋编码", required=OPTIONAL),
        _c("compound_id", "compound_id", "小区编码", required=OPTIONAL,
           note="where buildings are not listed; each row needs 楼栋编码 or 小区编码"),
    )),
    LedgerSpec("party_orgs", "党组织", label="PartyOrg", aliases=("party",), columns=(
        _c("id", "id", "组织编码", "党组织编码", *_ID_ALIASES),
        _c("name", "name", "组织名称", "党组织名称", *_NAME_ALIASES),
        _c("kind", "kind", "组织类别", "类别", "组织类型"),
        _c("parent_id", "parent_id", "上级组织编码", "上级党组织编码", required=OPTIONAL),
        _c("based_in_type", "based_in_type", "依托类型", required=OPTIONAL,
           parse=enum_parser(OrgType), note="党组织 is not a place to be based in"),
        _c("based_in_id", "based_in_id", "依托编码", "依托单位编码", required=OPTIONAL,
           parse=parse_ids, note="several codes separated by ; or ；"),
    )),
    LedgerSpec("property_companies", "物业企业", label="PropertyCompany",
               aliases=("companies", "物业公司"), columns=(
        _c("id", "id", "企业编码", "统一社会信用代码", "信用代码", *_ID_ALIASES),
        _c("name", "name", "企业名称", "物业企业名称", "公司名称", *_NAME_ALIASES),
    )),
    LedgerSpec("property_contracts", "物业服务", relationship="MANAGES",
               aliases=("contracts", "物业合同", "服务合同"), columns=(
        _c("company_id", "company_id", "企业编码", "物业企业编码", "统一社会信用代码"),
        _c("compound_id", "compound_id", "小区编码"),
        _c("start", "start", "开始日期", "合同开始", required=OPTIONAL),
        _c("end", "end", "结束日期", "合同结束", required=OPTIONAL, note="empty: open-ended"),
    )),
    LedgerSpec("owner_committees", "业委会", label="OwnerCommittee",
               aliases=("committees", "物管会", "业主委员会"), columns=(
        _c("id", "id", "编码", "业委会编码", "代码", "编号"),
        _c("name", "name", "名称", "业委会名称"),
        _c("kind", "kind", "类型", "类别"),
        _c("compound_id", "compound_id", "小区编码", "所属小区编码"),
        _c("term_start", "term_start", "任期开始", "本届开始", required=OPTIONAL),
        _c("term_end", "term_end", "任期结束", "本届结束", "届满日期", required=OPTIONAL),
    )),
    LedgerSpec("resident_units", "驻区单位", label="ResidentUnit",
               aliases=("units", "共建单位", "报到单位"), columns=(
        _c("id", "id", "单位编码", *_ID_ALIASES),
        _c("name", "name", "单位名称", *_NAME_ALIASES),
        _c("kind", "kind", "单位类型", "类型", required=OPTIONAL),
        _c("community_id", "community_id", "报到社区编码", "社区编码", required=OPTIONAL),
    )),
    LedgerSpec("people", "人员", label="Person", aliases=("persons", "person", "花名册"), columns=(
        _c("id", "id", "人员编码", *_ID_ALIASES),
        _c("name", "name", "姓名", "名称"),
        _c("party_member", "party_member", "是否党员", "党员", required=OPTIONAL,
           note="空 = 否"),
        _c("phone", "phone", "联系电话", "电话", "手机", "手机号", required=OPTIONAL),
        _c("id_number", "id_number", "身份证号", *ID_NUMBER_HEADERS, required=OPTIONAL,
           parse=hash_id_number, note="stored only as a keyed hash (id_hash)"),
        _c("building_id", "building_id", "居住楼栋编码", "楼栋编码", required=OPTIONAL),
        _c("registered_community_id", "registered_community_id", "报到社区编码",
           required=OPTIONAL),
        _c("party_org_id", "party_org_id", "所在党组织编码", "党组织编码", required=OPTIONAL),
    )),
    LedgerSpec("posts", "任职", relationship="HOLDS", aliases=("职务", "交叉任职"), columns=(
        _c("person_id", "person_id", "人员编码"),
        _c("org_type", "org_type", "组织类型", "任职单位类型", parse=enum_parser(OrgType)),
        _c("org_id", "org_id", "组织编码", "任职单位编码"),
        _c("role", "role", "职务", parse=normalize_role, note="other roles are kept as written"),
        _c("part_time", "part_time", "是否兼职", "兼职", required=OPTIONAL),
        _c("start", "start", "任职开始", "开始日期", required=OPTIONAL),
        _c("end", "end", "任职结束", "结束日期", required=OPTIONAL),
    )),
    LedgerSpec("lists", "清单", label="ListItem", aliases=("三项清单",), columns=(
        _c("id", "id", "编号", "清单编号", "编码"),
        _c("kind", "kind", "类型", "清单类型"),
        _c("name", "title", "名称", "name", "标题", "事项"),
        _c("community_id", "community_id", "社区编码", required=OPTIONAL, keep=True),
        _c("owner_type", "owner_type", "提出或提供单位类型", "单位类型", required=OPTIONAL,
           parse=enum_parser(OrgType), note="narrows 提出或提供单位编码 to one kind"),
        _c("owner_id", "owner_id", "提出或提供单位编码", "单位编码", required=OPTIONAL,
           note="需求/项目: RAISED_BY (else the community); 资源: OFFERED_BY"),
        _c("matches", "matches", "对接编号", required=OPTIONAL, parse=parse_ids,
           note="项目 only: the 需求/资源 it matches, separated by ; or ；"),
        _c("status", "status", "状态", "办理状态", required=OPTIONAL),
        _c("raised", "raised", "提出日期", "登记日期", required=OPTIONAL),
        _c("closed", "closed", "办结日期", "完成日期", required=OPTIONAL),
    )),
    LedgerSpec("venues", "阵地", label="Venue", aliases=("党群服务阵地", "服务阵地", "阵地台账", "venue"), columns=(
        _c("id", "id", "阵地编码", *_ID_ALIASES),
        _c("name", "name", "阵地名称", *_NAME_ALIASES),
        _c("kind", "kind", "类型", "阵地类型", parse=normalize_venue_kind,
           note="any other kind (社区书屋 …) is kept as written"),
        _c("located_type", "located_type", "所在类型", "所在单位类型", parse=enum_parser(OrgType),
           note="社区, 网格, 小区, 楼栋, 物业企业 or 驻区单位"),
        _c("located_id", "located_id", "所在编码", "所在单位编码"),
        _c("area_m2", "area_m2", "面积", "建筑面积", "使用面积", required=OPTIONAL,
           parse=parse_area, note="m²; empty: unknown (C14 counts it as 0)"),
        _c("open", "open", "是否开放", "开放", required=OPTIONAL, parse=parse_bool),
    ), note="Optional: ledger folders without it load as before."),
    # Cases and property ratings (the seeds' 12345 工单 and 物业红黑榜): optional, like every ledger
    # but the areas, so ledger folders of earlier versions keep loading.
    LedgerSpec("cases", "诉求工单", label="Case", aliases=("工单", "诉求", "案件", "12345工单"), columns=(
        _c("id", "id", "工单编号", "诉求编号", *_ID_ALIASES),
        _c("name", "title", "诉求内容", "name", "标题", "事项", required=OPTIONAL,
           note="empty: the case is named by its 工单编号"),
        _c("about_type", "about_type", "对象类型", "诉求对象类型", parse=enum_parser(OrgType),
           note="社区, 小区 or 楼栋"),
        _c("about_id", "about_id", "对象编码", "诉求对象编码"),
        _c("source", "source", "来源", "诉求来源", "渠道", required=OPTIONAL, parse=normalize_case_source,
           note="默认 其他; any other source is kept as written"),
        _c("category", "category", "类别", "诉求类别", "问题类别", required=OPTIONAL),
        _c("received", "received", "受理日期", "登记日期", "接收日期"),
        _c("closed", "closed", "办结日期", "结案日期", required=OPTIONAL,
           note="empty: not closed; not before 受理日期"),
    ), note="Each case is ABOUT the community, compound or building it names."),
    LedgerSpec("property_ratings", "物业评价", relationship="RATED",
               aliases=("ratings", "红黑榜", "物业红黑榜", "物业考评", "物业评比"), columns=(
        _c("company_id", "company_id", "企业编码", "物业企业编码", "统一社会信用代码"),
        _c("rated_by_type", "rated_by_type", "评价单位类型", "评价层级", parse=enum_parser(OrgType),
           note="小区, 社区 or 街道"),
        _c("rated_by_id", "rated_by_id", "评价单位编码"),
        _c("date", "date", "评价日期", "发布日期"),
        _c("result", "result", "结果", "评价结果", "等级"),
        _c("period", "period", "评价期", "考评期", "期次", required=OPTIONAL),
    ), note="A company rated by one area on two dates keeps both ratings; the latest counts (B17). "
            "Two rows rating one company by one area on one date are refused, both named, when "
            "they differ (neither may win silently); when they say the same, they are one rating "
            "and a warning."),
)

LEDGERS_BY_NAME = {spec.name: spec for spec in LEDGERS}


def _field_model(spec: LedgerSpec, key: str) -> type | None:
    """The schema model declaring column ``key`` of ``spec`` (node or relationship props), if any."""
    if spec.label is not None:
        model = NODE_MODELS[spec.label]
    elif spec.relationship is not None:
        model = RELATIONSHIPS[spec.relationship].props
    else:
        return None
    return model if key in model.model_fields else None


def column_parser(spec: LedgerSpec, column: Column) -> Callable[[Any], Any]:
    """The parser of a column: its own, else the one its schema field implies, else text."""
    if column.parse is not None:
        return column.parse
    model = _field_model(spec, column.key)
    if model is None:
        return parse_text
    if column.key in date_properties(model):
        return parse_date
    if model.model_fields[column.key].annotation is bool:
        return parse_bool
    found = field_enum(model, column.key)
    if found is not None and not found[1]:  # open enums (roles, grid types) name their parser
        return enum_parser(found[0])
    return parse_text


# -- the reference page ----------------------------------------------------------------------

def _values_text(parser: Callable) -> str:
    enum = getattr(parser, "enum", None)
    if enum is not None:
        return "、".join(member.zh for member in enum)
    return {parse_date: "日期: 2024-03-01, 2024/3/1, 2024年3月1日",
            parse_bool: BOOLEAN_SPELLINGS,
            parse_ids: "codes separated by ; or ；",
            hash_id_number: "15- or 18-character ID number",
            normalize_role: "、".join(role.zh for role in Role),
            normalize_grid_type: "、".join(grid_type.zh for grid_type in GridType),
            normalize_venue_kind: "、".join(kind.zh for kind in VenueKind),
            normalize_case_source: "、".join(source.zh for source in CaseSource),
            parse_area: "m², a number 0 or more (520, 520.5, 520㎡, 520平方米)",
            parse_count: "a whole number 0 or more (120, 1,200, 120户, 3个单元)"}.get(parser, "text")


_REQUIRED_TEXT = {REQUIRED: "必填 required", NEEDS_COLUMN: "必有列 column required",
                  OPTIONAL: "可选 optional"}


def ledger_reference() -> str:
    """The Markdown reference of every ledger (the checked-in ``docs/ledgers.md``)."""
    lines = [
        "# Ledger reference (台账格式)",
        "",
        "Generated from `loaders/specs.py` by `loaders.specs.ledger_reference()`; do not edit by hand.",
        "Regenerate with `python -c \"import loaders.specs as s; print(s.ledger_reference(), end='')\""
        " > docs/ledgers.md`.",
        "",
        "A ledger folder holds one CSV or XLSX file per ledger, or one workbook with a sheet per",
        "ledger. A file or sheet belongs to the ledger whose name (English or Chinese, or an alias",
        "below) its name contains, e.g. `compounds.csv`, `小区.csv`, `03-小区台账.xlsx`. CSV files may",
        "be UTF-8, UTF-8 with BOM or GB18030/GBK. Headers may be English or Chinese; a `…编码` header",
        "also accepts `…代码` and `…编号`; spaces, `*` and notes in brackets are ignored. Columns not",
        "listed are kept as node properties (text). Row numbers in problems are spreadsheet rows:",
        "the header is row 1.",
        "",
        "In workbooks, hidden sheets are not loaded (a warning says so), every cell of a merged",
        "range takes the range's top-left value, a formula must carry the value Excel or WPS saved",
        "with it, and ID numbers must be text (a number has lost its last digits). A ledger that",
        "has a header but no rows is a warning, and an error for the required 行政区划. Zero-width",
        "characters and stray BOMs are removed from cells; a cell with a control character, or a",
        "cell holding an ID number outside the 身份证号 column, is refused. A date may also be a date",
        "cell, or in a workbook an Excel date serial (45474: 2024-07-01). Footer notes under a table",
        "(填表人：张三, 审核人, 填报日期, 合计 …) are not rows: they are skipped with one warning quoting them.",
        "",
    ]
    for spec in LEDGERS:
        lines += [f"## {spec.zh} ({spec.name})", ""]
        target = spec.label or spec.relationship or "District / Street / Community"
        lines.append(f"File or sheet names: {', '.join(f'`{alias}`' for alias in spec.file_aliases())}."
                     f" Rows become: {target}." + (" **This ledger is required.**" if spec.required
                                                   else ""))
        if spec.note:
            lines.append(spec.note)
        lines += ["", "| column | 列名 | also accepted | required | values | notes |",
                  "|---|---|---|---|---|---|"]
        for column in spec.columns:
            aliases = ", ".join(header for header in column.headers()
                                if header not in (column.en, column.zh))
            lines.append(f"| {column.en} | {column.zh} | {aliases} | "
                         f"{_REQUIRED_TEXT[column.required]} | "
                         f"{_values_text(column_parser(spec, column))} | {column.note} |")
        lines.append("")
    return "\n".join(lines + _stored_codes())


def _stored_codes() -> list[str]:
    """Every enum the schema stores, code by code with its Chinese ledger value: for own Cypher."""
    lines = ["## Stored codes (存储编码), for writing your own Cypher", "",
             "The graph stores each enum value as its English code; ledgers may use the Chinese",
             "value or any alias. E.g. `MATCH (o:PartyOrg {kind: 'general_branch'})` finds every",
             "党总支, `WHERE post.role = 'secretary'` every 书记.", ""]
    enums: dict[type, list[str]] = {}
    models = [*NODE_MODELS.items(), *((spec.type, spec.props) for spec in RELATIONSHIPS.values())]
    for owner, model in models:
        for name in model.model_fields:
            found = field_enum(model, name)
            if found is not None:  # open ones (roles, grid types) keep any other text as written
                enums.setdefault(found[0], []).append(
                    f"`{owner}.{name}`" + (" (a value not listed here is stored as written)" if found[1] else ""))
    for enum, places in enums.items():
        lines += [f"### {enum.__name__}: {', '.join(places)}", "", "| stored code | 台账取值 |",
                  "|---|---|", *(f"| `{member.value}` | {member.zh} |" for member in enum), ""]
    return lines
