"""Change over time: the answers of two graphs compared (``diff``), one graph asked on several
dates (``timeline``).

``diff(old, new)`` asks every question of both sides (each a ``GovernanceGraph`` or a backend,
each on its own as-of date) and compares the typed results: every coverage rate old → new per
area; blind spots opened, closed or with a changed reason; people who became or ceased to be
cross-appointed or took up or left posts; 三方联动 made or broken; X4 conflicts that began or
ended; and the structure (things added, removed, renamed, moved to another parent, or an id now
naming a different thing). Identity is the ledger id: a thing whose name changed but whose parent
did not is renamed; one whose parent changed is moved; one whose name *and* parent changed (or
whose label changed) is an id reused for something else, reported as a changed identity rather
than silently merged.

``timeline(source, codes, dates)`` is the existing typed results, one set per date, asked of one
backend (so the embedded index is built once).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from pydantic import SerializeAsAny, computed_field

from graphmodel.errors import QueryError
from graphmodel.schema import ZhEnum

from .context import AreaIndex, AssembleContext
from .diff_areas import check_areas, compare_areas
from .embedded import GraphIndex
from .question import Fetch
from .registry import AREAS, QUESTIONS, REASONS, backend_for, run, run_group
from .results import (BlindSpotResult, ConflictResult, CoverageResult, CrossAppointmentResult,
                      LinkageResult, Located, Post, Result, STATUS_ZH, _Frozen, _label_zh, LOCATION_COLUMNS)
from .tables import Column, Table

__all__ = ["diff", "timeline", "period_ends", "fetch_entities", "ENTITIES", "ENTITY_LABELS", "Change",
           "RateChange", "SpotChange", "PersonChange", "LinkageChange", "ConflictChange", "EntityChange",
           "DiffResult", "Timeline"]

#: The labels whose things the structure comparison follows (people are compared by their posts).
ENTITY_LABELS = ("Street", "Community", "Grid", "Compound", "Building", "PartyOrg", "PropertyCompany",
                 "OwnerCommittee", "ResidentUnit")
#: The relationships that lead from a thing to its parent: the area it is PART_OF, the party
#: organisation it is UNDER, the compound a committee REPRESENTS, the community a unit is
#: REGISTERED_WITH.
_PARENT_LINKS = ("parent", "under", "represents", "registered_with")
TOTAL_ZH = "合计"  # the row of the whole scope, as the audit's coverage tables name it


def fetch_entities(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """Every thing of ``ENTITY_LABELS``: ``{label, id, name, parents, covers, community_id,
    street_id, district_id}``; ``parents`` are the sorted ids of what it is PART_OF, UNDER,
    REPRESENTS or (a resident unit) REGISTERED_WITH, ``covers`` those a grid COVERS."""
    day = dt.date.fromisoformat(as_of)
    rows = []
    for label in ENTITY_LABELS:
        for key, attrs in index.nodes(label):
            parents = []
            for link in _PARENT_LINKS:
                found = getattr(index, link).get(key)
                if found is None:
                    continue
                parents.extend([found] if link == "parent" else found)
            rows.append({"label": label, "id": key[1], "name": attrs["name"],
                         "parents": sorted(parent[1] for parent in parents),
                         "covers": sorted(target[1] for target in index.covers.get(key, ())),
                         **index.place_fields(key, day)})
    return rows


#: The structure fetch: ``queries/cypher/entities.cypher`` answers it in Neo4j.
ENTITIES = Fetch("entities", fetch_entities)


class Change(ZhEnum):
    """What happened to a listed thing between the old and the new side."""

    OPENED = "opened", "新增"  # a blind spot or conflict that was not there
    CLOSED = "closed", "消除"
    CHANGED = "changed", "变化"  # still listed, for other reasons (or other posts)
    ENTERED = "entered", "新增交叉任职"
    LEFT = "left", "不再交叉任职"
    ADDED = "added", "新增"
    REMOVED = "removed", "撤销"
    RENAMED = "renamed", "更名"
    MOVED = "moved", "调整上级"
    COVERAGE = "coverage", "网格覆盖变化"  # a grid covers other buildings or compounds
    IDENTITY = "identity", "编码改指他物"


class RateChange(_Frozen):
    """One coverage rate of the whole scope (``total``, named 合计) or of one street or community."""

    code: str
    total: bool = False
    group_id: str | None
    group_name: str
    old_numerator: int
    old_denominator: int
    new_numerator: int
    new_denominator: int

    @computed_field
    @property
    def old_rate(self) -> float | None:
        return self.old_numerator / self.old_denominator if self.old_denominator else None

    @computed_field
    @property
    def new_rate(self) -> float | None:
        return self.new_numerator / self.new_denominator if self.new_denominator else None

    @computed_field
    @property
    def delta_rate(self) -> float | None:
        """``new_rate - old_rate``; None when either is not applicable."""
        if self.old_rate is None or self.new_rate is None:
            return None
        return self.new_rate - self.old_rate

    @property
    def unchanged(self) -> bool:
        return (self.old_numerator, self.old_denominator) == (self.new_numerator, self.new_denominator)


class SpotChange(Located):
    """A blind spot (question, thing) opened, closed, or listed for other reasons."""

    change: Change
    code: str
    label: str
    id: str
    name: str
    old_reasons: list[str] = []
    new_reasons: list[str] = []


class PersonChange(Located):
    """A person cross-appointed (X1) on either side, and the current posts they took up or left."""

    change: Change
    person_id: str
    name: str
    phone: str | None = None
    gained: list[Post] = []
    lost: list[Post] = []


class LinkageChange(Located):
    """A compound whose 三方联动 (X2) status changed; ``None``: not assessed on that side."""

    id: str
    name: str
    old_status: str | None
    new_status: str | None


class ConflictChange(Located):
    """An X4 conflict of interest (person, compound) that began or ended."""

    change: Change
    person_id: str
    person_name: str
    phone: str | None = None
    compound_id: str
    compound_name: str


class EntityChange(Located):
    """A thing added, removed, renamed, moved to another parent, or whose id names something else."""

    change: Change
    label: str
    id: str
    old_label: str | None = None
    old_name: str | None = None
    new_name: str | None = None
    old_parents: list[str] = []
    new_parents: list[str] = []
    old_covers: list[str] = []
    new_covers: list[str] = []


class DiffResult(_Frozen):
    """What changed between two sides; ``tables()`` lays it out for the reports."""

    as_of_old: dt.date
    as_of_new: dt.date
    scope: str | None = None
    by: str | None = None
    rates: list[RateChange] = []
    blind_spots: list[SpotChange] = []
    people: list[PersonChange] = []
    linkages: list[LinkageChange] = []
    conflicts: list[ConflictChange] = []
    entities: list[EntityChange] = []

    @property
    def empty(self) -> bool:
        """Nothing changed: every rate the same, nothing opened, closed, moved or renamed."""
        return (all(rate.unchanged for rate in self.rates)
                and not (self.blind_spots or self.people or self.linkages or self.conflicts or self.entities))

    def worse(self, codes: Iterable[str]) -> list[RateChange]:
        """The whole-scope rates of ``codes`` that fell (a rate becoming not applicable does not)."""
        wanted = {code.upper() for code in codes}
        return [rate for rate in self.rates if rate.code in wanted and rate.total
                and rate.delta_rate is not None and rate.delta_rate < 0]

    def tables(self) -> list[Table]:
        place = LOCATION_COLUMNS
        change = Column("change", "变化", "Change")
        return [
            _table("diff-rates", "覆盖率变化", "Coverage rates, old → new", [
                Column("code", "问题", "Question"), Column("group_id", "区域编码", "Area code"),
                Column("group_name", "区域", "Area"),
                Column("old_numerator", "原达标数", "Old numerator"), Column("old_denominator", "原总数", "Old denominator"),
                Column("old_rate", "原覆盖率", "Old rate"),
                Column("new_numerator", "现达标数", "New numerator"), Column("new_denominator", "现总数", "New denominator"),
                Column("new_rate", "现覆盖率", "New rate"), Column("delta_rate", "变化", "Change")],
                [rate.model_dump() for rate in self.rates]),
            _table("diff-blindspots", "盲区变化", "Blind spots opened and closed", [
                change, Column("code", "问题", "Question"), Column("label", "类型", "Kind"),
                Column("id", "编码", "Code"), Column("name", "名称", "Name"), *place,
                Column("old_reasons", "原问题", "Old reasons"), Column("new_reasons", "现问题", "New reasons")],
                [{**spot.model_dump(), "change": spot.change, "label": _label_zh(spot.label),
                  "old_reasons": _reasons_zh(spot.old_reasons), "new_reasons": _reasons_zh(spot.new_reasons)}
                 for spot in self.blind_spots]),
            _table("diff-people", "交叉任职变化", "Cross-appointed people: posts taken up and left", [
                change, Column("person_id", "人员编码", "Person code"), Column("name", "姓名", "Name"),
                Column("phone", "联系电话", "Phone", pii="phone"), *place,
                Column("gained", "新任职务", "Posts taken up"), Column("lost", "卸任职务", "Posts left")],
                [{**person.model_dump(exclude={"gained", "lost"}), "change": person.change,
                  "gained": _posts_text(person.gained), "lost": _posts_text(person.lost)}
                 for person in self.people]),
            _table("diff-linkage", "三方联动变化", "Tripartite linkage (X2) changes", [
                Column("id", "小区编码", "Compound code"), Column("name", "小区", "Compound"), *place,
                Column("old_status", "原状态", "Old status"), Column("new_status", "现状态", "New status")],
                [{**linkage.model_dump(), "old_status": STATUS_ZH.get(linkage.old_status),
                  "new_status": STATUS_ZH.get(linkage.new_status)} for linkage in self.linkages]),
            _table("diff-conflicts", "利益冲突变化", "Conflicts of interest (X4) begun and ended", [
                change, Column("person_id", "人员编码", "Person code"), Column("person_name", "姓名", "Name"),
                Column("phone", "联系电话", "Phone", pii="phone"),
                Column("compound_id", "小区编码", "Compound code"), Column("compound_name", "小区", "Compound"), *place],
                [{**conflict.model_dump(), "change": conflict.change} for conflict in self.conflicts]),
            _table("diff-structure", "组织与区划变化", "Structure: added, removed, renamed, moved", [
                change, Column("label", "类型", "Kind"), Column("id", "编码", "Code"),
                Column("old_name", "原名称", "Old name"), Column("new_name", "现名称", "New name"),
                Column("old_parents", "原上级", "Old parent"), Column("new_parents", "现上级", "New parent"),
                Column("covers_gained", "新增覆盖", "Now covers"), Column("covers_lost", "不再覆盖", "No longer covers"),
                *place],
                [{**entity.model_dump(), "change": entity.change, "label": _label_zh(entity.label),
                  "covers_gained": [thing for thing in entity.new_covers if thing not in entity.old_covers],
                  "covers_lost": [thing for thing in entity.old_covers if thing not in entity.new_covers]}
                 for entity in self.entities]),
        ]


class Timeline(_Frozen):
    """The same questions on several dates: ``results[i]`` are the answers on ``dates[i]``."""

    dates: list[dt.date]
    scope: str | None = None
    by: str | None = None
    results: list[dict[str, SerializeAsAny[Result]]]

    def tables(self) -> list[Table]:
        dates = [Column(f"{day.isoformat()}_rate", day.isoformat(), day.isoformat()) for day in self.dates]
        counts = [Column(f"n{day.isoformat()}", day.isoformat(), day.isoformat()) for day in self.dates]
        rates, listed = [], []
        for code in self.results[0] if self.results else ():
            answers = [answers[code] for answers in self.results]
            if isinstance(answers[0], CoverageResult):
                for group_id, group_name, rate_of in _rate_rows(answers):
                    row = {"code": code, "title": answers[0].title_zh, "group_id": group_id, "group_name": group_name}
                    row.update({column.key: rate_of(answer) for column, answer in zip(dates, answers)})
                    rates.append(row)
            elif (field := _listed_field(answers[0])) is not None:
                row = {"code": code, "title": answers[0].title_zh}
                row.update({column.key: len(getattr(answer, field)) for column, answer in zip(counts, answers)})
                listed.append(row)
        question = [Column("code", "问题", "Question"), Column("title", "名称", "Title")]
        area = [Column("group_id", "区域编码", "Area code"), Column("group_name", "区域", "Area")]
        tables = [Table("timeline-rates", "覆盖率时间序列", "Rates along the timeline", [*question, *area, *dates],
                        rates, chart="line"),
                  _table("timeline-counts", "清单数量时间序列", "Listed things along the timeline",
                         [*question, *counts], listed)]
        return [table for table in tables if table.rows] or tables[:1]


def diff(old: Any, new: Any, *, scope: str | None = None, by: str | None = None,
         as_of_old: dt.date | None = None, as_of_new: dt.date | None = None,
         allow_different_areas: bool = False) -> DiffResult:
    """What changed from ``old`` to ``new`` (each a ``GovernanceGraph`` or a backend).

    Parameters
    ----------
    old, new : GovernanceGraph or backend
        The two sides, e.g. last quarter's snapshot and this quarter's ledgers.
    scope : str, optional
        A district, street or community code known on both sides.
    by : {"street", "community"}, optional
        Compare the coverage rates per street or community as well.
    as_of_old, as_of_new : datetime.date, optional
        The date each side is asked on (today when not given).
    allow_different_areas : bool
        Without ``scope``, sides that share no district are refused, and sides that share only
        some unless this is set (:func:`queries.diff_areas.check_areas`).

    Examples
    --------
    >>> from graphmodel.graph import GovernanceGraph
    >>> from graphmodel.schema import Community, Compound
    >>> def graph(name):
    ...     g = GovernanceGraph()
    ...     g.relate("PART_OF", g.add(Compound(id="XQ1", name=name)), g.add(Community(id="SQ1", name="和平社区")))
    ...     return g
    >>> changes = diff(graph("幸福小区"), graph("幸福家园"), as_of_old=dt.date(2026, 6, 30))
    >>> [(e.change.value, e.id, e.old_name, e.new_name) for e in changes.entities]
    [('renamed', 'XQ1', '幸福小区', '幸福家园')]
    """
    if scope is None:
        check_areas(compare_areas(old, new), allow_different_areas)
    old_side = _Side(old, scope, by, as_of_old)
    new_side = _Side(new, scope, by, as_of_new)
    return DiffResult(
        as_of_old=old_side.as_of, as_of_new=new_side.as_of, scope=scope, by=by,
        rates=_rate_changes(old_side.results, new_side.results),
        blind_spots=_spot_changes(old_side.results, new_side.results),
        people=_people_changes(old_side, new_side),
        linkages=_linkage_changes(old_side.results["X2"], new_side.results["X2"]),
        conflicts=_conflict_changes(old_side.results["X4"], new_side.results["X4"]),
        entities=_entity_changes(old_side.entities(), new_side.entities()))


def timeline(source: Any, codes: Iterable[str], dates: Iterable[dt.date], *, scope: str | None = None,
             by: str | None = None, **params: Any) -> Timeline:
    """``codes`` asked of ``source`` on each of ``dates``: the same results as one ``run`` per date.

    Examples
    --------
    >>> from graphmodel.graph import GovernanceGraph
    >>> line = timeline(GovernanceGraph(), ["C1"], [dt.date(2026, 3, 31), dt.date(2026, 6, 30)])
    >>> [answers["C1"].denominator for answers in line.results]
    [0, 0]
    """
    backend = backend_for(source)  # once: every date shares the embedded index
    codes, dates = list(codes), sorted(set(dates))
    if not dates:
        raise QueryError("a timeline needs at least one date", hint="e.g. --as-of 2026-03-31,2026-06-30")
    results = [{code: run(code, backend, scope=scope, by=by, as_of=day,
                          **{name: value for name, value in params.items() if name in QUESTIONS[code].defaults})
                for code in codes} for day in dates]
    return Timeline(dates=dates, scope=scope, by=by, results=results)


def period_ends(every: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of every month or quarter from the one holding ``start`` up to ``end``.

    Examples
    --------
    >>> [day.isoformat() for day in period_ends("quarter", dt.date(2025, 11, 5), dt.date(2026, 7, 1))]
    ['2025-12-31', '2026-03-31', '2026-06-30']
    """
    months = {"month": 1, "quarter": 3}.get(every)
    if months is None:
        raise QueryError(f"cannot step every {every!r}", hint="use month or quarter")
    month = (start.month - 1) // months * months + months  # last month of the period holding start
    year, found = start.year, []
    while True:
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        last = following - dt.timedelta(days=1)
        if last > end:
            return found
        found.append(last)
        month += months
        if month > 12:
            year, month = year + 1, month - 12


# -- the two sides -------------------------------------------------------------------------------
class _Side:
    """One side of a diff: its backend, date and every answer, plus its things for the structure."""

    def __init__(self, source: Any, scope: str | None, by: str | None, as_of: dt.date | None):
        self.backend = backend_for(source)
        self.scope, self.by = scope, by
        self.results = run_group("all", self.backend, scope=scope, by=by, as_of=as_of)
        self.as_of = next(iter(self.results.values())).as_of
        # Every current post of everyone (X5 with N = 0), for the posts people took up or left.
        self.posts = {person.person_id: person for person in
                      run("X5", self.backend, scope=scope, as_of=self.as_of, n=0).people}

    def entities(self) -> dict[str, tuple[dict[str, Any], Located]]:
        """Id → (entities row, place) of every thing in scope."""
        areas = AreaIndex(self.backend.fetch_rows(AREAS, {}))
        context = AssembleContext(None, areas, self.as_of, self.scope, self.by)
        rows = self.backend.fetch_rows(ENTITIES, {"as_of": self.as_of.isoformat()})
        return {row["id"]: (row, Located(**place.located)) for row, place in context.located(rows)}


def _rate_changes(old: dict[str, Result], new: dict[str, Result]) -> list[RateChange]:
    changes = []
    for code, answer in new.items():
        before = old[code]
        if not isinstance(answer, CoverageResult):
            continue
        groups = {group.id: group for group in before.groups}
        now = {group.id: group for group in answer.groups}
        rows = [(False, group_id, (now.get(group_id) or groups[group_id]).name, groups.get(group_id),
                 now.get(group_id)) for group_id in sorted(groups.keys() | now.keys(), key=lambda key: key or "")]
        rows.append((True, None, TOTAL_ZH, before, answer))
        for total, group_id, name, was, is_ in rows:
            changes.append(RateChange(
                code=code, total=total, group_id=group_id, group_name=name,
                old_numerator=was.numerator if was else 0, old_denominator=was.denominator if was else 0,
                new_numerator=is_.numerator if is_ else 0, new_denominator=is_.denominator if is_ else 0))
    return changes


def _spot_changes(old: dict[str, Result], new: dict[str, Result]) -> list[SpotChange]:
    changes = []
    for code, answer in new.items():
        if not isinstance(answer, BlindSpotResult):
            continue
        before, now = _spots(old[code]), _spots(answer)
        for key in sorted(before.keys() | now.keys()):
            was, is_ = before.get(key), now.get(key)
            if was and is_ and was[1] == is_[1]:
                continue
            change = Change.OPENED if not was else Change.CLOSED if not is_ else Change.CHANGED
            item = (is_ or was)[0]
            changes.append(SpotChange(change=change, code=code, label=key[0], id=key[1], name=item.name,
                                      **item.model_dump(include=set(Located.model_fields)),
                                      old_reasons=was[1] if was else [], new_reasons=is_[1] if is_ else []))
    return changes


def _spots(result: BlindSpotResult) -> dict[tuple[str, str], tuple[Any, list[str]]]:
    """(label, id) → (first item, its reason codes sorted)."""
    found: dict[tuple[str, str], tuple[Any, list[str]]] = {}
    for item in result.items:
        first, reasons = found.setdefault((item.label, item.id), (item, []))
        reasons.append(item.reason)
    return {key: (item, sorted(set(reasons))) for key, (item, reasons) in found.items()}


def _people_changes(old: _Side, new: _Side) -> list[PersonChange]:
    before = {person.person_id: person for person in _cross(old.results)}
    now = {person.person_id: person for person in _cross(new.results)}
    changes = []
    for person_id in sorted(before.keys() | now.keys()):
        was_posts, posts = _post_keys(old.posts.get(person_id)), _post_keys(new.posts.get(person_id))
        gained = [post for key, post in posts.items() if key not in was_posts]
        lost = [post for key, post in was_posts.items() if key not in posts]
        if person_id in before and person_id in now and not (gained or lost):
            continue
        change = Change.ENTERED if person_id not in before else Change.LEFT if person_id not in now else Change.CHANGED
        person = now.get(person_id) or before[person_id]
        changes.append(PersonChange(change=change, person_id=person_id, name=person.name, phone=person.phone,
                                    **person.model_dump(include=set(Located.model_fields)),
                                    gained=gained, lost=lost))
    return changes


def _cross(results: dict[str, Result]) -> list:
    answer: CrossAppointmentResult = results["X1"]
    return answer.people


def _post_keys(person) -> dict[tuple[str, str, str], Post]:
    return {(post.org_label, post.org_id, post.role): post for post in (person.posts if person else ())}


def _linkage_changes(old: LinkageResult, new: LinkageResult) -> list[LinkageChange]:
    before = {linkage.id: linkage for linkage in old.compounds}
    now = {linkage.id: linkage for linkage in new.compounds}
    changes = []
    for compound in sorted(before.keys() | now.keys()):
        was, is_ = before.get(compound), now.get(compound)
        if was and is_ and was.status == is_.status:
            continue
        linkage = is_ or was
        changes.append(LinkageChange(id=compound, name=linkage.name,
                                     **linkage.model_dump(include=set(Located.model_fields)),
                                     old_status=was.status if was else None, new_status=is_.status if is_ else None))
    return changes


def _conflict_changes(old: ConflictResult, new: ConflictResult) -> list[ConflictChange]:
    before = {(c.person_id, c.compound_id): c for c in old.conflicts}
    now = {(c.person_id, c.compound_id): c for c in new.conflicts}
    changes = []
    for key in sorted(before.keys() ^ now.keys()):
        conflict = now.get(key) or before[key]
        changes.append(ConflictChange(change=Change.OPENED if key in now else Change.CLOSED,
                                      **conflict.model_dump(include={*Located.model_fields, "person_id", "person_name",
                                                                     "phone", "compound_id", "compound_name"})))
    return changes


def _entity_changes(old: dict, new: dict) -> list[EntityChange]:
    """Things added, removed, renamed, moved or re-identified; and, apart, grids whose coverage changed."""
    changes = []
    for thing_id in sorted(old.keys() | new.keys()):
        was, is_ = old.get(thing_id), new.get(thing_id)
        row, place = (is_ or was)
        found = []
        if was is None or is_ is None:
            found.append(Change.ADDED if was is None else Change.REMOVED)
        else:
            renamed = was[0]["name"] != row["name"]
            moved = was[0]["parents"] != row["parents"]
            if was[0]["label"] != row["label"] or (renamed and moved):
                found.append(Change.IDENTITY)
            elif renamed or moved:
                found.append(Change.RENAMED if renamed else Change.MOVED)
            if was[0]["covers"] != row["covers"]:
                found.append(Change.COVERAGE)
        for change in found:
            changes.append(EntityChange(
                change=change, label=row["label"], id=thing_id, **place.model_dump(),
                old_label=was[0]["label"] if was else None, old_name=was[0]["name"] if was else None,
                new_name=is_[0]["name"] if is_ else None, old_parents=was[0]["parents"] if was else [],
                new_parents=is_[0]["parents"] if is_ else [], old_covers=was[0]["covers"] if was else [],
                new_covers=is_[0]["covers"] if is_ else []))
    return changes


# -- table helpers -------------------------------------------------------------------------------
def _table(code: str, zh: str, en: str, columns: list[Column], rows: list[dict]) -> Table:
    return Table(code, zh, en, columns, rows)


def _reasons_zh(codes: list[str]) -> str:
    return "、".join(REASONS[code][0] if code in REASONS else code for code in codes)


def _posts_text(posts: list[Post]) -> str:
    return "；".join(f"{_label_zh(post.org_label)} {post.org_name}（{post.role_zh}）" for post in posts)


def _rate_rows(answers: list[CoverageResult]) -> list[tuple[str | None, str, Any]]:
    """``(group id, name, answer → rate)`` of every group found on any date, then the whole scope."""
    names: dict[str | None, str] = {}
    for answer in answers:
        for group in answer.groups:
            names.setdefault(group.id, group.name)

    def group_rate(group_id: str | None):
        return lambda answer: next((group.rate for group in answer.groups if group.id == group_id), None)

    rows = [(group_id, names[group_id], group_rate(group_id)) for group_id in sorted(names, key=lambda key: key or "")]
    return [*rows, (None, TOTAL_ZH, lambda answer: answer.rate)]


def _listed_field(answer: Result) -> str | None:
    """The list of things a result names (items, people, compounds …), to count along a timeline."""
    for name in ("items", "people", "conflicts", "compounds", "committees", "communities"):
        if isinstance(getattr(answer, name, None), list):
            return name
    return None
