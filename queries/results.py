"""Typed results of the questions: one frozen pydantic model per kind of question.

Every result carries its question (code, titles), the as-of date, scope and grouping, dumps to
JSON with ``model_dump(mode="json")`` and lays itself out as ``tables()`` for the report renderers.
Every listed thing names itself, its code, its community and street (and, for blind spots and
missing items, the reason).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, computed_field

from graphmodel.schema import NODE_MODELS, ListKind, PartyOrgKind

from .tables import Column, Table, Words

__all__ = [
    "Located", "Item", "Rate", "GroupRate", "GroupCount", "Result", "CoverageResult",
    "Registration", "GroupRegistration", "RegistrationResult", "Post", "PersonPosts",
    "CrossAppointmentResult", "ConcentrationResult", "PersonRef", "Linkage", "LinkageResult",
    "PartTimeSource", "PartTimeMember", "CommitteeMembers", "PartTimeResult", "Conflict",
    "ConflictResult", "BlindSpotResult", "StructureCounts", "StructureResult", "STRUCTURE_COUNTS", "BRANCH_BASES",
    "GridTypeRate", "GridTypeCoverageResult", "CaseClosureResult", "GroupMedian", "ListClosureResult",
    "RecentCasesResult", "VenueAreaResult", "Candidate", "CandidateResult", "Gap", "trusted", "RateLine", "CountLine",
    "LISTING_REASONS", "CONCERNS", "STATUS_ZH", "TOTAL_ZH", "OutcomeGroup", "OutcomeResult", "OUTCOME_GROUPS_ZH",
]

#: The name of the row of the whole scope, after the rows of its streets or communities.
TOTAL_ZH = "合计"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


_SLOTS = BaseModel.__dict__  # pydantic's instance slots, set as its own model_construct sets them
_set_dict = _SLOTS["__dict__"].__set__
_set_fields_set = _SLOTS["__pydantic_fields_set__"].__set__
_set_extra = _SLOTS["__pydantic_extra__"].__set__
_set_private = _SLOTS["__pydantic_private__"].__set__
_ALL_FIELDS: dict[type, set[str]] = {}


def trusted(model: type[_Frozen], fields: dict[str, Any]) -> Any:
    """An instance of ``model`` from values that are already right, without validating them.

    The big lists (a city's 150,000 uncovered buildings) are made of ids, names and codes taken
    from the validated graph or from fixed tables; validating each item again cost more than
    answering the question (``model_construct`` is slower still). ``fields`` must hold every
    field of ``model`` with a value of its type (dates as dates), in field order; the dict is
    taken over, not copied. Tests check that every result equals its own re-validated dump.
    """
    item = object.__new__(model)
    _set_dict(item, fields)
    all_fields = _ALL_FIELDS.get(model)
    if all_fields is None:
        _ALL_FIELDS[model] = all_fields = set(model.model_fields)
    _set_fields_set(item, all_fields)  # shared: pydantic copies it before any change (model_copy)
    _set_extra(item, None)
    _set_private(item, None)
    return item


class Located(_Frozen):
    community_id: str | None = None
    community: str | None = None
    street_id: str | None = None
    street: str | None = None


class Item(Located):
    """A thing that is missing something: a blind spot, or a coverage question's missing entry."""

    label: str
    id: str
    name: str
    reason: str
    reason_zh: str
    detail: str | None = None


class Rate(_Frozen):
    numerator: int
    denominator: int

    @computed_field
    @property
    def rate(self) -> float | None:
        """``numerator / denominator``; ``None`` (not applicable) when nothing is counted."""
        return self.numerator / self.denominator if self.denominator else None


class GroupRate(Rate):
    id: str | None  # None: things not placed in any street (community) of the grouping
    name: str


class GroupCount(_Frozen):
    id: str | None
    name: str
    count: int


class RateLine(Rate):
    """One rate a result gives, as consumers chart and compare it without knowing the question.

    ``part`` tells apart several rates of one question (C16: one per grid type; ``None`` for a
    question's only rate); ``total`` marks the rate of the whole scope (``group_name`` 合计).
    """

    code: str
    part: str | None = None
    part_zh: str | None = None
    part_en: str | None = None
    total: bool = False
    group_id: str | None = None
    group_name: str = TOTAL_ZH

    @property
    def series(self) -> str:
        """``C1``, or ``C16:comprehensive`` for one part: what a chart line or a diff row follows."""
        return self.code if self.part is None else f"{self.code}:{self.part}"


class CountLine(_Frozen):
    """One count a result gives (S1's 党支部 of a street, X2's partial compounds, B1's listed
    compounds …) of one group or of the whole scope (``total``)."""

    code: str
    counted: str
    counted_zh: str
    counted_en: str
    total: bool = False
    group_id: str | None = None
    group_name: str = TOTAL_ZH
    count: int

    @property
    def series(self) -> str:
        return f"{self.code}:{self.counted}"


class Gap(_Frozen):
    """A thing an answer finds lacking something (``item``: its reason and detail say what), and
    the question that finds it (a candidate answer's gaps are its gap question's: R2's are B1's)."""

    found_by: str
    item: Item


class Result(_Frozen):
    """What every result carries, and how it describes itself to the consumers.

    Diffs, timelines, the report page, the XLSX summary and the views ask a result, never its code
    or its type: ``tables()`` lays it out, ``rates()`` gives every rate it has, ``tallies()`` every
    count, ``listed()`` every thing it names (a blind spot, a cross-appointed person, a compound's
    linkage), each as an ``Item`` whose reason and detail say why; ``gaps()`` what it finds lacking
    and ``proposals()`` the people it proposes to close them (the compound dossier asks both).
    """

    code: str
    title_zh: str
    title_en: str
    as_of: dt.date
    scope: str | None = None
    by: str | None = None

    def tables(self) -> list[Table]:
        raise NotImplementedError(f"{type(self).__name__} must lay itself out")

    def rates(self) -> list[RateLine]:
        """Every rate of the answer, per group and for the whole scope; none for a listing."""
        return []

    def tallies(self) -> list[CountLine]:
        """Every count of the answer, per group and for the whole scope."""
        return []

    def listed(self) -> list[Item]:
        """Every thing the answer names, with its reason (one item per thing and reason)."""
        return []

    def gaps(self) -> list["Gap"]:
        """Every thing the answer finds lacking something (a rate's missing, a blind spot), with the
        question that finds it; none for an answer that counts or lists people."""
        return []

    def proposals(self) -> list["Candidate"]:
        """The people the answer proposes to close gaps (R1–R6), each with the gap and the evidence."""
        return []

    def _rate_lines(self, rate: Rate, groups: list[GroupRate], part: tuple[str, str, str] | None = None
                    ) -> list[RateLine]:
        named = dict(zip(("part", "part_zh", "part_en"), part or (None, None, None)))
        lines = [RateLine(code=self.code, **named, group_id=group.id, group_name=group.name,
                          numerator=group.numerator, denominator=group.denominator) for group in groups]
        lines.append(RateLine(code=self.code, **named, total=True, numerator=rate.numerator,
                              denominator=rate.denominator))
        return lines

    def _count_lines(self, counted: tuple[str, str, str], groups: list[tuple[str | None, str, int]],
                     total: int) -> list[CountLine]:
        key, zh, en = counted
        lines = [CountLine(code=self.code, counted=key, counted_zh=zh, counted_en=en, group_id=group_id,
                           group_name=name, count=count) for group_id, name, count in groups]
        lines.append(CountLine(code=self.code, counted=key, counted_zh=zh, counted_en=en, total=True, count=total))
        return lines

    def _listed_counts(self, groups: list[GroupCount], total: int) -> list[CountLine]:
        return self._count_lines(_LISTED, [(group.id, group.name, group.count) for group in groups], total)

    def _table(self, suffix: str, zh: str, en: str, columns: list[Column], rows: list[dict]) -> Table:
        return Table(self.code + suffix, f"{self.code} {self.title_zh}{zh}", f"{self.code} {self.title_en}{en}",
                     columns, rows)

    def _group_table(self, groups: list[GroupCount]) -> list[Table]:
        if not groups:
            return []
        columns = [*_group_columns(self.by), Column("count", "数量", "Count")]
        return [self._table("-groups", "（分组）", " (groups)", columns,
                            [group.model_dump() for group in groups])]


class CoverageResult(Result):
    """A coverage rate (C1 …): over the whole scope, per group, and what is missing."""

    label: str  # what is counted: Compound, Building, Grid, PropertyCompany or OwnerCommittee
    numerator: int
    denominator: int
    groups: list[GroupRate] = []
    missing: list[Item] = []

    @computed_field
    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def tables(self) -> list[Table]:
        columns = [*_group_columns(self.by), Column("numerator", "达标数", "Numerator"),
                   Column("denominator", "总数", "Denominator"), Column("rate", "覆盖率", "Rate")]
        rows = [group.model_dump() for group in self.groups]
        rows.append({"id": None, "name": TOTAL_ZH, "numerator": self.numerator,
                     "denominator": self.denominator, "rate": self.rate})
        return [self._table("", "", "", columns, rows),
                self._table("-missing", "（缺项）", " (missing)", ITEM_COLUMNS,
                            [_item_row(item) for item in self.missing])]

    def rates(self) -> list[RateLine]:
        return self._rate_lines(self, self.groups)

    def gaps(self) -> list[Gap]:
        return [Gap(found_by=self.code, item=item) for item in self.missing]


class Registration(Located):
    id: str
    name: str
    resident_units: int
    party_members: int


class GroupRegistration(_Frozen):
    id: str | None
    name: str
    resident_units: int
    party_members: int


class RegistrationResult(Result):
    """C12: resident units and in-service party members registered per community (counts)."""

    communities: list[Registration] = []
    resident_units: int
    party_members: int
    groups: list[GroupRegistration] = []

    def tables(self) -> list[Table]:
        counts = [Column("resident_units", "报到驻区单位数", "Resident units"),
                  Column("party_members", "报到在职党员数", "Party members")]
        tables = [self._table("", "", "", [Column("id", "社区编码", "Community code"),
                                           Column("name", "社区", "Community"),
                                           Column("street_id", "街道编码", "Street code"),
                                           Column("street", "街道", "Street"), *counts],
                              [row.model_dump(exclude={"community_id", "community"})
                               for row in self.communities])]
        if self.groups:
            tables.append(self._table("-groups", "（分组）", " (groups)", [*_group_columns(self.by), *counts],
                                      [group.model_dump() for group in self.groups]))
        return tables

    def tallies(self) -> list[CountLine]:
        return [line for counted in _REGISTERED for line in self._count_lines(
            counted, [(group.id, group.name, getattr(group, counted[0])) for group in self.groups],
            getattr(self, counted[0]))]


class Post(Located):
    """A current post: the organisation (label, code, name, place) and the role held there."""

    org_label: str
    org_id: str
    org_name: str
    role: str
    role_zh: str
    part_time: bool = False
    start: dt.date | None = None
    end: dt.date | None = None


class PersonPosts(Located):
    """A person (placed where their first in-scope post is) with every current post."""

    person_id: str
    name: str
    phone: str | None = None
    kinds: list[str] = []  # X1: the organisation labels their posts reach
    posts: list[Post] = []

    @computed_field
    @property
    def post_count(self) -> int:
        return len(self.posts)


class _PeopleResult(Result):
    people: list[PersonPosts] = []
    groups: list[GroupCount] = []

    def tables(self) -> list[Table]:
        people = self._table("", "", "", [*PERSON_COLUMNS, Column("kinds", "任职组织类型", "Organisation kinds"),
                                          Column("post_count", "职务数", "Posts"), *LOCATION_COLUMNS],
                             [_person_row(person) for person in self.people])
        posts = self._table("-posts", "（职务明细）", " (posts)", [*PERSON_COLUMNS, *POST_COLUMNS],
                            [{"person_id": person.person_id, "person_name": person.name,
                              "phone": person.phone, **_post_row(post)}
                             for person in self.people for post in person.posts])
        return [people, posts, *self._group_table(self.groups)]

    def tallies(self) -> list[CountLine]:
        return self._listed_counts(self.groups, len(self.people))

    def listed(self) -> list[Item]:
        return [_person_item(person.person_id, person.name, person, self.listed_reason, None)
                for person in self.people]

    #: The reason code (``LISTING_REASONS``) of everyone listed.
    listed_reason: ClassVar[str]


class CrossAppointmentResult(_PeopleResult):
    """X1: people whose current posts reach two or more kinds of organisation."""

    listed_reason: ClassVar[str] = "cross_appointed"


class ConcentrationResult(_PeopleResult):
    """X5: people holding more than ``n`` current posts."""

    n: int
    listed_reason: ClassVar[str] = "many_posts"


class PersonRef(_Frozen):
    id: str
    name: str
    phone: str | None = None


class Linkage(Located):
    """X2: one compound with party organisation, owner committee and property company."""

    id: str
    name: str
    status: str  # complete | partial | none
    party_committee: bool
    party_company: bool
    party_committee_people: list[PersonRef] = []
    party_company_people: list[PersonRef] = []


STATUS_ZH = {"complete": "完全联动", "partial": "部分联动", "none": "未联动"}
#: Reason code -> (Chinese, English) of what the cross-appointment results name (questions' reasons).
LISTING_REASONS = {"complete": (STATUS_ZH["complete"], "complete linkage"),
                   "partial": (STATUS_ZH["partial"], "partial linkage"), "none": (STATUS_ZH["none"], "no linkage"),
                   "cross_appointed": ("交叉任职", "cross-appointed"), "many_posts": ("职务集中", "many posts"),
                   "serves_part_time": ("兼职委员", "part-time member"),
                   "conflict_of_interest": ("利益冲突", "conflict of interest")}
#: The reasons above that name a problem to fix, not what the questions look for (a link, a post).
CONCERNS = frozenset({"none", "many_posts", "conflict_of_interest"})


class LinkageResult(Result):
    """X2: the assessed compounds with their status; the rate complete / every compound in scope
    (per group in ``rate_groups``); the compounds it could not assess, one item per side they lack."""

    compounds: list[Linkage] = []
    counts: dict[str, int] = {}
    groups: list[GroupCount] = []
    numerator: int = 0
    denominator: int = 0
    rate_groups: list[GroupRate] = []
    unassessed: list[Item] = []

    @computed_field
    @property
    def rate(self) -> float | None:
        """Complete compounds over every compound in scope; ``None`` when there is none."""
        return self.numerator / self.denominator if self.denominator else None

    def tables(self) -> list[Table]:
        columns = [Column("id", "小区编码", "Compound code"), Column("name", "小区", "Compound"),
                   *LOCATION_COLUMNS, Column("status", "联动状态", "Status"),
                   Column("party_committee", "党组织-业委会交叉", "Party org–committee link"),
                   Column("party_committee_people", "交叉人员(业委会)", "Linking people (committee)"),
                   Column("party_company", "党组织-物业交叉", "Party org–company link"),
                   Column("party_company_people", "交叉人员(物业)", "Linking people (company)")]
        rows = [{**linkage.model_dump(), "status": STATUS_ZH[linkage.status],
                 "party_committee_people": _names(linkage.party_committee_people),
                 "party_company_people": _names(linkage.party_company_people)}
                for linkage in self.compounds]
        counts = self._table("-counts", "（统计）", " (counts)",
                             [Column("status", "联动状态", "Status"), Column("count", "数量", "Count")],
                             [{"status": STATUS_ZH[status], "count": count} for status, count in self.counts.items()])
        rate_rows = [group.model_dump() for group in self.rate_groups]
        rate_rows.append({"id": None, "name": TOTAL_ZH, "numerator": self.numerator, "denominator": self.denominator,
                          "rate": self.rate})
        rate = self._table("-rate", "（完全联动率）", " (complete rate)",
                           [*_group_columns(self.by), Column("numerator", "完全联动数", "Complete"),
                            Column("denominator", "小区总数", "Compounds"), Column("rate", "完全联动率", "Rate")],
                           rate_rows)
        unassessed = self._table("-unassessed", "（无法评估）", " (not assessed)", ITEM_COLUMNS,
                                 [_item_row(item) for item in self.unassessed])
        return [self._table("", "", "", columns, rows), counts, rate, unassessed, *self._group_table(self.groups)]

    def tallies(self) -> list[CountLine]:
        by_status = [line for status, count in self.counts.items()
                     for line in self._count_lines((status, *LISTING_REASONS[status]), [], count)]
        return [*by_status, *self._listed_counts(self.groups, len(self.compounds))]

    def rates(self) -> list[RateLine]:
        return self._rate_lines(self, self.rate_groups)

    def listed(self) -> list[Item]:
        return [*(_item("Compound", linkage.id, linkage.name, linkage, linkage.status) for linkage in self.compounds),
                *self.unassessed]


class PartTimeSource(_Frozen):
    org_label: str
    org_id: str
    org_name: str
    role: str
    role_zh: str


class PartTimeMember(_Frozen):
    person_id: str
    name: str
    phone: str | None = None
    role: str
    role_zh: str
    sources: list[PartTimeSource] = []


class CommitteeMembers(Located):
    """X3: one community party committee and its part-time members."""

    id: str
    name: str
    members: list[PartTimeMember] = []


class PartTimeResult(Result):
    committees: list[CommitteeMembers] = []
    groups: list[GroupCount] = []

    def tables(self) -> list[Table]:
        columns = [Column("org_id", "党组织编码", "Party org code"), Column("org_name", "社区党组织", "Party org"),
                   *LOCATION_COLUMNS, Column("person_id", "人员编码", "Person code"),
                   Column("person_name", "姓名", "Name"), Column("phone", "联系电话", "Phone", pii="phone"),
                   Column("role", "职务", "Role"), Column("sources", "来源组织", "Comes from")]
        rows = []
        for committee in self.committees:
            base = {"org_id": committee.id, "org_name": committee.name,
                    **committee.model_dump(include=set(Located.model_fields))}
            for member in committee.members:
                rows.append({**base, "person_id": member.person_id, "person_name": member.name,
                             "phone": member.phone, "role": member.role_zh,
                             "sources": [post_words(s.org_label, s.org_name, s.role, s.role_zh)
                                         for s in member.sources]})
            if not committee.members:
                rows.append({**base, "person_id": None, "person_name": None, "phone": None,
                             "role": None, "sources": None})
        return [self._table("", "", "", columns, rows), *self._group_table(self.groups)]

    def tallies(self) -> list[CountLine]:
        return self._listed_counts(self.groups, len(self.committees))

    def listed(self) -> list[Item]:
        return [_person_item(member.person_id, member.name, committee, "serves_part_time",
                             f"{committee.id} {committee.name}")
                for committee in self.committees for member in committee.members]


class Conflict(Located):
    """X4: a person on a compound's owner committee and in the company that manages it."""

    person_id: str
    person_name: str
    phone: str | None = None
    compound_id: str
    compound_name: str
    committee_id: str
    committee_name: str
    committee_role_zh: str
    company_id: str
    company_name: str
    company_role_zh: str


class ConflictResult(Result):
    conflicts: list[Conflict] = []
    groups: list[GroupCount] = []

    def tables(self) -> list[Table]:
        columns = [Column("person_id", "人员编码", "Person code"), Column("person_name", "姓名", "Name"),
                   Column("phone", "联系电话", "Phone", pii="phone"),
                   Column("compound_id", "小区编码", "Compound code"), Column("compound_name", "小区", "Compound"),
                   *LOCATION_COLUMNS,
                   Column("committee_name", "业委会", "Owner committee"),
                   Column("committee_role_zh", "业委会职务", "Committee role"),
                   Column("company_name", "物业企业", "Property company"),
                   Column("company_role_zh", "物业职务", "Company role")]
        return [self._table("", "", "", columns, [c.model_dump() for c in self.conflicts]),
                *self._group_table(self.groups)]

    def tallies(self) -> list[CountLine]:
        return self._listed_counts(self.groups, len(self.conflicts))

    def listed(self) -> list[Item]:
        return [_person_item(c.person_id, c.person_name, c, "conflict_of_interest",
                             f"{c.compound_id} {c.compound_name}") for c in self.conflicts]


class BlindSpotResult(Result):
    """A blind spot (B1 …): the things that are missing something, one item per (thing, reason)."""

    items: list[Item] = []
    counts: dict[str, int] = {}
    groups: list[GroupCount] = []

    def tables(self) -> list[Table]:
        return [self._table("", "", "", ITEM_COLUMNS, [_item_row(item) for item in self.items]),
                *self._group_table(self.groups)]

    def tallies(self) -> list[CountLine]:
        return self._listed_counts(self.groups, len(self.items))

    def listed(self) -> list[Item]:
        return self.items

    def gaps(self) -> list[Gap]:
        return [Gap(found_by=self.code, item=item) for item in self.items]


#: S1's split of the 党支部, in column order: code -> (Chinese, English).
BRANCH_BASES = {"grid": ("网格党支部", "Grid branches"), "compound": ("小区党支部", "Compound branches"),
                "owner_committee": ("业委会党支部", "Owner-committee branches"),
                "property_company": ("物业党支部", "Property-company branches"),
                "resident_unit": ("单位党支部", "Resident-unit branches"),
                "community": ("社区党支部", "Community branches"), "other": ("其他党支部", "Other branches")}
#: What S1 counts besides party organisations, in column order: (field, Chinese, English).
STRUCTURE_COUNTS = (("central_households", "党员中心户", "Central households"), ("communities", "社区", "Communities"),
                    ("grids", "网格", "Grids"), ("compounds", "小区", "Compounds"), ("buildings", "楼栋", "Buildings"),
                    ("venues", "阵地", "Venues"))


class StructureCounts(_Frozen):
    """S1: what one area (or the whole scope, ``id`` None and name 合计) holds at every level."""

    id: str | None
    name: str
    party_orgs: dict[str, int]  # PartyOrgKind code -> organisations, every kind in schema order
    branches: dict[str, int]  # the 党支部 by what they are based in: BRANCH_BASES code -> branches, in its order
    central_households: int  # current 党员中心户 posts
    communities: int
    grids: int
    compounds: int
    buildings: int
    venues: int


class StructureResult(Result):
    """S1: the five-level structure per street (or community) and in total; ``by`` is the grouping
    used, which S1 always has (see docs/definitions.md)."""

    areas: list[StructureCounts] = []
    total: StructureCounts

    def tables(self) -> list[Table]:
        kinds = [Column(kind.value, kind.zh, kind.value.replace("_", " ").capitalize()) for kind in PartyOrgKind]
        split = kinds.index(next(column for column in kinds if column.key == PartyOrgKind.BRANCH.value)) + 1
        branches = [Column(f"branch_in_{base}", zh, en) for base, (zh, en) in BRANCH_BASES.items()]
        columns = [*_group_columns(self.by), *kinds[:split], *branches, *kinds[split:],
                   *(Column(key, zh, en) for key, zh, en in STRUCTURE_COUNTS)]
        rows = [{"id": counts.id, "name": counts.name, **counts.party_orgs,
                 **{f"branch_in_{base}": count for base, count in counts.branches.items()},
                 **counts.model_dump(include={key for key, _, _ in STRUCTURE_COUNTS})}
                for counts in [*self.areas, self.total]]
        return [self._table("", "", "", columns, rows)]

    def tallies(self) -> list[CountLine]:
        counted = [*((kind.value, kind.zh, kind.value.replace("_", " ")) for kind in PartyOrgKind), *STRUCTURE_COUNTS]

        def value(area: StructureCounts, key: str) -> int:
            return area.party_orgs[key] if key in area.party_orgs else getattr(area, key)

        return [line for what in counted for line in self._count_lines(
            what, [(area.id, area.name, value(area, what[0])) for area in self.areas], value(self.total, what[0]))]


# -- one network (一张网) and cases (诉求工单) ---------------------------------------------------------
class GridTypeRate(Rate):
    """C16: compounds covered by a grid of one type, over the scope and per group."""

    grid_type: str  # a GridType code, or the ledger's own words
    grid_type_zh: str
    groups: list[GroupRate] = []


class GridTypeCoverageResult(Result):
    """C16: one rate per grid type; with ``grid_type`` asked, that type's and the compounds it misses."""

    label: str = "Compound"
    grid_type: str | None = None
    types: list[GridTypeRate] = []
    missing: list[Item] = []

    def tables(self) -> list[Table]:
        columns = [Column("grid_type", "网格类型", "Grid type"), *_group_columns(self.by),
                   Column("numerator", "达标数", "Numerator"), Column("denominator", "总数", "Denominator"),
                   Column("rate", "覆盖率", "Rate")]
        rows = []
        for rate in self.types:
            rows.extend({"grid_type": rate.grid_type_zh, **group.model_dump()} for group in rate.groups)
            rows.append({"grid_type": rate.grid_type_zh, "id": None, "name": TOTAL_ZH, "numerator": rate.numerator,
                         "denominator": rate.denominator, "rate": rate.rate})
        return [self._table("", "", "", columns, rows),
                self._table("-missing", "（缺项）", " (missing)", ITEM_COLUMNS,
                            [_item_row(item) for item in self.missing])]

    def rates(self) -> list[RateLine]:
        return [line for rate in self.types
                for line in self._rate_lines(rate, rate.groups,
                                             (rate.grid_type, rate.grid_type_zh, rate.grid_type.replace("_", " ")))]

    def gaps(self) -> list[Gap]:
        return [Gap(found_by=self.code, item=item) for item in self.missing]


class VenueAreaResult(CoverageResult):
    """C14: communities whose open venues reach ``min_area`` m² together; and those with one
    党群服务中心 reaching it on its own (``single_centre``, per group in ``single_centre_groups``)."""

    min_area: float
    single_centre: int
    single_centre_groups: list[GroupCount] = []

    def tables(self) -> list[Table]:
        rate, missing = super().tables()
        rate.columns = [*rate.columns, Column("single_centre", f"单个党群服务中心≥{self.min_area:g}m²",
                                              f"One centre ≥ {self.min_area:g} m²")]
        for row, count in zip(rate.rows, [group.count for group in self.single_centre_groups] + [self.single_centre]):
            row["single_centre"] = count
        return [rate, missing]


class GroupMedian(_Frozen):
    id: str | None
    name: str
    median: float | None  # None: nothing to take the median of


class ListClosureResult(CoverageResult):
    """C17: demands closed by the as-of date among those raised by it; and the list items of every
    kind in scope (``kinds``: ListKind code -> items, in ListKind order)."""

    kinds: dict[str, int]

    def tables(self) -> list[Table]:
        kinds = self._table("-kinds", "（清单分类）", " (items by kind)",
                            [Column("kind", "清单类型", "Kind"), Column("count", "数量", "Items")],
                            [{"kind": Words(ListKind(kind).zh, kind), "count": count} for kind, count in self.kinds.items()])
        return [*super().tables(), kinds]


class CaseClosureResult(CoverageResult):
    """C18: cases closed by the as-of date among those received by it (since ``since`` when given),
    and the median days from received to closed of those closed (over the scope and per group)."""

    since: dt.date | None = None
    median_days_to_close: float | None = None
    median_groups: list[GroupMedian] = []

    def tables(self) -> list[Table]:
        rate, missing = super().tables()
        rate.columns = [*rate.columns, Column("median_days_to_close", "办结天数中位数", "Median days to close")]
        medians = [group.median for group in self.median_groups] + [self.median_days_to_close]
        for row, median in zip(rate.rows, medians):
            row["median_days_to_close"] = median
        return [rate, missing]


class RecentCasesResult(BlindSpotResult):
    """B16: compounds with ``min_cases`` or more cases received in the recent window; ``monthly``
    gives each listed compound's cases in each 30-day month of the window, oldest first."""

    min_cases: int
    monthly: dict[str, list[int]] = {}

    def tables(self) -> list[Table]:
        items, *groups = super().tables()
        items.columns = [*items.columns,  # a new list: the shared ITEM_COLUMNS stay as they are
                         Column("monthly", "每月件数(每30天,由远及近)", "Cases per 30 days, oldest first")]
        for row in items.rows:
            row["monthly"] = "/".join(str(count) for count in self.monthly.get(row["id"], ()))
        return [items, *groups]


#: O1–O3's groups of compounds: code -> (Chinese, English).
OUTCOME_GROUPS_ZH = {"complete": (STATUS_ZH["complete"], "complete linkage"),
                     "partial": (STATUS_ZH["partial"], "partial linkage"), "none": (STATUS_ZH["none"], "no linkage"),
                     "not_assessed": ("无法评估", "not assessed"), "counted": ("有党组织", "with a party organisation"),
                     "not_counted": ("无党组织", "without a party organisation"),
                     "poor": ("黑榜或低星物业", "black-listed or poorly rated company"), "rest": ("其他", "the rest")}


class OutcomeGroup(_Frozen):
    """One group of compounds (``group``: an OUTCOME_GROUPS_ZH code), over the whole scope
    (``group_id`` None and no name) or in one street or community."""

    group: str
    group_id: str | None = None
    group_name: str | None = None
    compounds: int
    households: int | None  # None: no compound of the group gives its 户数
    cases: int
    cases_of_known: int  # the cases of the compounds that give their 户数
    closed: int
    median_days_to_close: float | None

    @computed_field
    @property
    def cases_per_100_households(self) -> float | None:
        """Cases of the compounds with a 户数 per 100 of their households; None without households."""
        return 100 * self.cases_of_known / self.households if self.households else None

    @computed_field
    @property
    def share_closed(self) -> float | None:
        return self.closed / self.cases if self.cases else None


class OutcomeResult(Result):
    """O1–O3: cases of groups of compounds side by side, received from ``since`` to the as-of
    date; ``groups`` over the whole scope, ``area_groups`` per street or community (``by``)."""

    since: dt.date
    groups: list[OutcomeGroup] = []
    area_groups: list[OutcomeGroup] = []
    #: What every reader of the answer is told, in both languages.
    caution_zh: ClassVar[str] = "仅为分组对比，不说明因果。"
    caution_en: ClassVar[str] = "It compares groups of compounds; it shows no cause."

    def tables(self) -> list[Table]:
        columns = [Column("group", "分组", "Group"), Column("compounds", "小区数", "Compounds"),
                   Column("households", "户数", "Households"), Column("cases", "工单数", "Cases"),
                   Column("cases_per_100_households", "每百户工单", "Cases per 100 households"),
                   Column("closed", "办结数", "Closed"), Column("closed_rate", "办结率", "Share closed"),
                   Column("median_days_to_close", "办结天数中位数", "Median days to close")]
        window = (f"（{self.since.isoformat()} 至 {self.as_of.isoformat()}；{self.caution_zh}）",
                  f" ({self.since.isoformat()} to {self.as_of.isoformat()}; {self.caution_en})")
        tables = [self._table("", *window, columns, [self._row(group) for group in self.groups])]
        if self.area_groups:
            tables.append(self._table("-groups", "（分组）", " (groups)", [*_group_columns(self.by), *columns],
                                      [{"id": group.group_id, "name": group.group_name, **self._row(group)}
                                       for group in self.area_groups]))
        return tables

    def rates(self) -> list[RateLine]:
        """The share closed of each group: per street or community, then over the whole scope."""
        lines = []
        for total in self.groups:
            part = (total.group, *OUTCOME_GROUPS_ZH[total.group])
            areas = [group for group in self.area_groups if group.group == total.group]
            lines += self._rate_lines(Rate(numerator=total.closed, denominator=total.cases),
                                      [GroupRate(id=group.group_id, name=group.group_name, numerator=group.closed,
                                                 denominator=group.cases) for group in areas], part)
        return lines

    def tallies(self) -> list[CountLine]:
        """Compounds, cases and closed cases of each group, per area and over the whole scope."""
        lines = []
        for total in self.groups:
            zh, en = OUTCOME_GROUPS_ZH[total.group]
            areas = [group for group in self.area_groups if group.group == total.group]
            for measure, measure_zh, measure_en in _OUTCOME_COUNTS:
                lines += self._count_lines((f"{total.group}:{measure}", f"{zh}{measure_zh}", f"{en}: {measure_en}"),
                                           [(group.group_id, group.group_name, getattr(group, measure))
                                            for group in areas], getattr(total, measure))
        return lines

    @staticmethod
    def _row(group: OutcomeGroup) -> dict[str, Any]:
        per_100 = group.cases_per_100_households
        return {"group": Words(*OUTCOME_GROUPS_ZH[group.group]), "compounds": group.compounds,
                "households": group.households, "cases": group.cases,
                "cases_per_100_households": None if per_100 is None else round(per_100, 2), "closed": group.closed,
                "closed_rate": group.share_closed, "median_days_to_close": group.median_days_to_close}


_OUTCOME_COUNTS = (("compounds", "小区数", "compounds"), ("cases", "工单数", "cases"), ("closed", "办结数", "closed"))


# -- candidates (建议人选, R1–R6) -----------------------------------------------------------------
class Candidate(Located):
    """R1–R6: one person who could close one gap, the post proposed and why they qualify.

    The place is the gap's. ``gap_question`` is the question that finds the gap (X2, B1 …);
    the evidence is in words: where they live, their current posts, their party organisations.
    """

    gap_question: str
    gap_label: str
    gap_id: str
    gap_name: str
    reason: str
    reason_zh: str
    person_id: str
    person_name: str
    phone: str | None = None
    party_member: bool
    proposal: str
    proposal_zh: str
    org_label: str | None = None  # where the post is (a compound for a new branch)
    org_id: str | None = None
    org_name: str | None = None
    until: dt.date | None = None  # R1: the term end of the committee proposed
    lives_in: str
    current_posts_zh: str
    current_posts_en: str
    party_orgs: str
    post_count: int


class CandidateResult(Result):
    """R1–R6: candidates for every gap in scope, and the gaps nobody in the ledgers could close."""

    gap_question: str = ""  # the question that finds the gaps (R1: X2)
    items: list[Candidate] = []
    unfilled: list[Item] = []
    groups: list[GroupCount] = []

    def tables(self) -> list[Table]:
        columns = [Column("gap_question", "问题来源", "Found by"), Column("gap_label", "类型", "Kind"),
                   Column("gap_id", "编码", "Code"), Column("gap_name", "名称", "Name"), *LOCATION_COLUMNS,
                   Column("reason", "问题", "Reason"), *PERSON_COLUMNS,
                   Column("party_member", "党员", "Party member"), Column("proposal", "建议职务", "Proposed post"),
                   Column("org_name", "建议任职组织", "In"), Column("until", "任期至", "Term until"),
                   Column("lives_in", "居住", "Lives in"), Column("current_posts", "现任职务", "Current posts"),
                   Column("party_orgs", "所在党组织", "Party organisation"),
                   Column("post_count", "职务数", "Posts")]
        rows = [{**item.__dict__, "gap_label": _label_zh(item.gap_label), "reason": item.reason_zh,
                 "person_name": item.person_name, "proposal": item.proposal_zh,
                 "current_posts": Words(item.current_posts_zh, item.current_posts_en)} for item in self.items]
        return [self._table("", "", "", columns, rows),
                self._table("-unfilled", "（暂无人选）", " (no candidate)", ITEM_COLUMNS,
                            [_item_row(item) for item in self.unfilled]),
                *self._group_table(self.groups)]

    def tallies(self) -> list[CountLine]:
        return [*self._listed_counts(self.groups, len(self.items)),
                *self._count_lines(("unfilled", "暂无人选", "No candidate"), [], len(self.unfilled))]

    def listed(self) -> list[Item]:
        """Each person proposed, under the reason of the gap (the gap's thing in the detail)."""
        return [Item(label="Person", id=c.person_id, name=c.person_name,
                     **c.model_dump(include=set(Located.model_fields)), reason=c.reason, reason_zh=c.reason_zh,
                     detail=c.gap_id) for c in self.items]

    def gaps(self) -> list[Gap]:
        """The gaps of the people proposed, then those nobody could fill, as the gap question names them."""
        proposed = [Gap(found_by=c.gap_question, item=Item(
            label=c.gap_label, id=c.gap_id, name=c.gap_name, **c.model_dump(include=set(Located.model_fields)),
            reason=c.reason, reason_zh=c.reason_zh)) for c in self.items]
        return [*proposed, *(Gap(found_by=self.gap_question, item=item) for item in self.unfilled)]

    def proposals(self) -> list[Candidate]:
        return self.items


# -- table layout helpers ----------------------------------------------------------------------
LOCATION_COLUMNS = [Column("community_id", "社区编码", "Community code"), Column("community", "社区", "Community"),
                    Column("street_id", "街道编码", "Street code"), Column("street", "街道", "Street")]
ITEM_COLUMNS = [Column("label", "类型", "Kind"), Column("id", "编码", "Code"), Column("name", "名称", "Name"),
                *LOCATION_COLUMNS, Column("reason", "问题", "Reason"), Column("detail", "说明", "Detail")]
PERSON_COLUMNS = [Column("person_id", "人员编码", "Person code"), Column("person_name", "姓名", "Name"),
                  Column("phone", "联系电话", "Phone", pii="phone")]
POST_COLUMNS = [Column("org_label", "组织类型", "Organisation kind"), Column("org_id", "组织编码", "Org code"),
                Column("org_name", "组织", "Organisation"), *LOCATION_COLUMNS, Column("role", "职务", "Role"),
                Column("part_time", "兼职", "Part-time"), Column("start", "任职开始", "Start"),
                Column("end", "任职结束", "End")]


_LISTED = ("listed", "数量", "Listed")
_REGISTERED = (("resident_units", "报到驻区单位数", "Resident units"),
               ("party_members", "报到在职党员数", "Party members"))


def _item(label: str, id_: str, name: str, place: Located, reason: str, detail: str | None = None) -> Item:
    return Item(label=label, id=id_, name=name, **place.model_dump(include=set(Located.model_fields)),
                reason=reason, reason_zh=LISTING_REASONS[reason][0], detail=detail)


def _person_item(person_id: str, name: str, place: Located, reason: str, detail: str | None) -> Item:
    return _item("Person", person_id, name, place, reason, detail)


def _group_columns(by: str | None) -> list[Column]:
    if by == "community":
        return [Column("id", "社区编码", "Community code"), Column("name", "社区", "Community")]
    return [Column("id", "街道编码", "Street code"), Column("name", "街道", "Street")]


def _label_zh(label: str) -> str:
    return NODE_MODELS[label].zh


def label_en(label: str) -> str:
    """A node label as English words: ``PartyOrg`` → ``Party Org``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", label)


def post_words(org_label: str, org_name: str, role: str, role_zh: str) -> Words:
    """A post as a report cell: ``党组织 梧桐小区党支部（书记）`` / ``Party Org 梧桐小区党支部 (secretary)``."""
    return Words(f"{_label_zh(org_label)} {org_name}（{role_zh}）",
                 f"{label_en(org_label)} {org_name} ({role.replace('_', ' ')})")


# Items and posts hold scalars only, so their instance dict is their dump, without the cost of
# model_dump (a second for a city's tables).
def _item_row(item: Item) -> dict[str, Any]:
    row = {**item.__dict__, "label": _label_zh(item.label), "reason": item.reason_zh}
    del row["reason_zh"]
    return row


def _post_row(post: Post) -> dict[str, Any]:
    row = {**post.__dict__, "org_label": _label_zh(post.org_label), "role": post.role_zh}
    del row["role_zh"]
    return row


def _person_row(person: PersonPosts) -> dict[str, Any]:
    return {"person_id": person.person_id, "person_name": person.name, "phone": person.phone,
            "kinds": "、".join(_label_zh(kind) for kind in person.kinds), "post_count": person.post_count,
            **person.model_dump(include=set(Located.model_fields))}


def _names(people: list[PersonRef]) -> str:
    return "、".join(person.name for person in people)
