"""Change over time: the answers of two graphs compared (``diff``), one graph asked on several
dates (``timeline``).

``diff(old, new)`` asks every question of both sides (each a ``GovernanceGraph`` or a backend,
each on its own as-of date) and compares what the typed results say of themselves
(docs/architecture.md): every rate old → new per area (``rates()``), every count that changed
(``tallies()``), every thing a question names that it no longer names, names anew, or names for
other reasons (``listed()``: blind spots, cross-appointed people, 三方联动, conflicts …), the
current posts of the people any question names, and the structure (things added, removed,
renamed, moved to another parent, or an id now naming a different thing). Identity is the ledger
id: a thing whose name changed but whose parent did not is renamed; one whose parent changed is
moved; one whose name *and* parent changed (or whose label changed) is an id reused for something
else, reported as a changed identity rather than silently merged. No code here names a question.

``timeline(source, codes, dates)`` is the existing typed results, one set per date, asked of one
backend (so the embedded index is built once) and one areas fetch per date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import SerializeAsAny, computed_field

from graphmodel.errors import QueryError
from graphmodel.schema import ZhEnum

from .context import AreaIndex, AssembleContext
from .cross import people_posts, post_rows
from .diff_areas import check_areas, compare_areas
from .embedded import GraphIndex
from .question import Fetch
from .registry import AREAS, QUESTIONS, REASONS, Session, backend_for, run_group
from .results import (CountLine, Item, Located, Post, RateLine, Result, _Frozen, _label_zh,
                      LOCATION_COLUMNS, post_words)
from .tables import Column, Table, Words

__all__ = ["diff", "timeline", "timeline_answers", "TimelineAnswers", "TimelineLines", "period_ends", "fetch_entities", "fetch_posts", "ENTITIES", "POSTS",
           "ENTITY_LABELS", "Change", "RateChange", "CountChange", "ListedChange", "PersonChange",
           "EntityChange", "DiffResult", "Timeline"]

#: The labels whose things the structure comparison follows (people are compared by their posts).
ENTITY_LABELS = ("Street", "Community", "Grid", "Compound", "Building", "PartyOrg", "PropertyCompany",
                 "OwnerCommittee", "ResidentUnit")
#: The relationships that lead from a thing to its parent: the area it is PART_OF, the party
#: organisation it is UNDER, the compound a committee REPRESENTS, the community a unit is
#: REGISTERED_WITH.
_PARENT_LINKS = ("parent", "under", "represents", "registered_with")


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


def fetch_posts(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """Every post current on ``as_of``, as X1's post rows: whom the posts of a named person follow."""
    return post_rows(index, dt.date.fromisoformat(as_of), lambda posts: True)


#: The structure fetch: ``queries/cypher/entities.cypher`` answers it in Neo4j.
ENTITIES = Fetch("entities", fetch_entities)
#: Every current post: ``queries/cypher/posts.cypher`` answers it in Neo4j.
POSTS = Fetch("posts", fetch_posts)


class Change(ZhEnum):
    """What happened to a listed thing between the old and the new side."""

    OPENED = "opened", "新增"  # a thing a question names that it did not name
    CLOSED = "closed", "消除"
    CHANGED = "changed", "变化"  # still named, for other reasons (or other details)
    ENTERED = "entered", "新增交叉任职"  # a person some question names now, and their posts
    LEFT = "left", "不再交叉任职"
    ADDED = "added", "新增"
    REMOVED = "removed", "撤销"
    RENAMED = "renamed", "更名"
    MOVED = "moved", "调整上级"
    COVERAGE = "coverage", "网格覆盖变化"  # a grid covers other buildings or compounds
    IDENTITY = "identity", "编码改指他物"


class RateChange(_Frozen):
    """One rate (a question's, or one part of it) of the whole scope (``total``, named 合计) or of
    one street or community."""

    code: str
    part: str | None = None
    part_zh: str | None = None
    part_en: str | None = None
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


class CountChange(_Frozen):
    """One count (S1's 党支部 of a street, X2's partial compounds …) that is not what it was."""

    code: str
    counted: str
    counted_zh: str
    counted_en: str
    total: bool = False
    group_id: str | None
    group_name: str
    old: int
    new: int


class ListedChange(Located):
    """A thing a question names on one side only, or on both for other reasons or details."""

    change: Change
    code: str
    label: str
    id: str
    name: str
    old_reasons: list[str] = []
    new_reasons: list[str] = []
    old_details: list[str] = []
    new_details: list[str] = []


class PersonChange(Located):
    """A person some question names (label ``Person``) on either side, and the current posts they
    took up or left."""

    change: Change
    person_id: str
    name: str
    phone: str | None = None
    gained: list[Post] = []
    lost: list[Post] = []


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
    tallies: list[CountChange] = []
    listed: list[ListedChange] = []
    people: list[PersonChange] = []
    entities: list[EntityChange] = []

    @property
    def empty(self) -> bool:
        """Nothing changed: every rate the same, nothing opened, closed, moved or renamed."""
        return (all(rate.unchanged for rate in self.rates)
                and not (self.tallies or self.listed or self.people or self.entities))

    def worse(self, codes: Iterable[str]) -> list[RateChange]:
        """The whole-scope rates of ``codes`` that fell (a rate becoming not applicable does not)."""
        wanted = {code.upper() for code in codes}
        return [rate for rate in self.rates if rate.code in wanted and rate.total
                and rate.delta_rate is not None and rate.delta_rate < 0]

    def tables(self) -> list[Table]:
        place = LOCATION_COLUMNS
        change = Column("change", "变化", "Change")
        question = Column("code", "问题", "Question")
        area = [Column("group_id", "区域编码", "Area code"), Column("group_name", "区域", "Area")]
        return [
            Table("diff-rates", "覆盖率变化", "Rates, old → new", [
                question, Column("part_zh", "分项", "Part"), *area,
                Column("old_numerator", "原达标数", "Old numerator"), Column("old_denominator", "原总数", "Old denominator"),
                Column("old_rate", "原覆盖率", "Old rate"),
                Column("new_numerator", "现达标数", "New numerator"), Column("new_denominator", "现总数", "New denominator"),
                Column("new_rate", "现覆盖率", "New rate"), Column("delta_rate", "变化", "Change")],
                [{**rate.model_dump(), "part_zh": None if rate.part is None else Words(rate.part_zh, rate.part_en)}
                 for rate in self.rates]),
            Table("diff-counts", "数量变化", "Counts that changed", [
                question, Column("counted_zh", "统计项", "Counted"), *area,
                Column("old", "原数量", "Old"), Column("new", "现数量", "New")],
                [{**count.model_dump(), "counted_zh": Words(count.counted_zh, count.counted_en)}
                 for count in self.tallies]),
            Table("diff-listed", "清单变化", "Things named anew, no longer, or otherwise", [
                change, question, Column("label", "类型", "Kind"),
                Column("id", "编码", "Code"), Column("name", "名称", "Name"), *place,
                Column("old_reasons", "原问题", "Old reasons"), Column("new_reasons", "现问题", "New reasons"),
                Column("old_details", "原说明", "Old details"), Column("new_details", "现说明", "New details")],
                [{**listed.model_dump(), "change": listed.change, "label": _label_zh(listed.label),
                  "old_reasons": _reasons(listed.old_reasons), "new_reasons": _reasons(listed.new_reasons)}
                 for listed in self.listed]),
            Table("diff-people", "人员任职变化", "Named people: posts taken up and left", [
                change, Column("person_id", "人员编码", "Person code"), Column("name", "姓名", "Name"),
                Column("phone", "联系电话", "Phone", pii="phone"), *place,
                Column("gained", "新任职务", "Posts taken up"), Column("lost", "卸任职务", "Posts left")],
                [{**person.model_dump(exclude={"gained", "lost"}), "change": person.change,
                  "gained": _posts_text(person.gained), "lost": _posts_text(person.lost)}
                 for person in self.people]),
            Table("diff-structure", "组织与区划变化", "Structure: added, removed, renamed, moved", [
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
        """Every rate and every count of every answer along the dates (how many things a question
        lists is one of its counts)."""
        lines = TimelineLines(self.dates)
        for answers in self.results:
            lines.add(answers)
        return lines.tables()


class TimelineLines:
    """A timeline's tables (:meth:`Timeline.tables`), taken in one date's answers at a time, in
    the order of the dates: its rates and counts, not the answers."""

    def __init__(self, dates: list[dt.date]) -> None:
        self.rate_columns = [Column(f"{day.isoformat()}_rate", day.isoformat(), day.isoformat()) for day in dates]
        self.count_columns = [Column(f"n{day.isoformat()}", day.isoformat(), day.isoformat()) for day in dates]
        self.rates: dict[str, dict[tuple, dict[str, Any]]] = {}
        self.counts: dict[str, dict[tuple, dict[str, Any]]] = {}
        self.added = 0

    def add(self, answers: dict[str, Result]) -> None:
        """The next date's answers (question code → result)."""
        rate_key, count_key = self.rate_columns[self.added].key, self.count_columns[self.added].key
        self.added += 1
        for code, answer in answers.items():
            rates, counts = self.rates.setdefault(code, {}), self.counts.setdefault(code, {})
            for line in answer.rates():
                part = None if line.part is None else Words(line.part_zh, line.part_en)
                rates.setdefault(_line_key(line), _line_row(answer, line, part))[rate_key] = line.rate
            for line in answer.tallies():
                row = counts.setdefault(_line_key(line), _line_row(answer, line, Words(line.counted_zh, line.counted_en)))
                row[count_key] = line.count

    def tables(self) -> list[Table]:
        """The rates table and the counts table, those with rows (the rates table when neither has)."""
        question = [Column("code", "问题", "Question"), Column("title", "名称", "Title"),
                    Column("part", "分项", "Part")]
        area = [Column("group_id", "区域编码", "Area code"), Column("group_name", "区域", "Area")]
        tables = [Table("timeline-rates", "覆盖率时间序列", "Rates along the timeline",
                        [*question, *area, *self.rate_columns], _in_order(self.rates, self.rate_columns), chart="line"),
                  Table("timeline-counts", "数量时间序列", "Counts along the timeline",
                        [*question, *area, *self.count_columns], _in_order(self.counts, self.count_columns))]
        return [table for table in tables if table.rows] or tables[:1]


class TimelineAnswers:
    """A timeline being asked (:func:`timeline_answers`): its dates, scope and grouping known at
    once, each date's answers made as it is iterated, so a caller that writes them as they come
    holds one date's answers at a time. Iterated once; ``last`` is then the last date's answers."""

    def __init__(self, backend: Any, codes: list[str], dates: list[dt.date], scope: str | None,
                 by: str | None, params: dict[str, Any]) -> None:
        self.backend, self.codes, self.dates = backend, codes, dates
        self.scope, self.by, self.params = scope, by, params
        self.areas = AreaIndex(backend.fetch_rows(AREAS, {}))  # the areas do not change with the date
        self.last: dict[str, Result] | None = None

    def __iter__(self) -> Iterator[dict[str, Result]]:
        questions = [QUESTIONS[code] for code in self.codes]
        for day in self.dates:
            self.last = None  # the previous date's answers let go before the next are made
            self.last = Session(self.backend, self.scope, self.by, day, areas=self.areas).answer_all(questions,
                                                                                                     self.params)
            yield self.last

    def collect(self) -> Timeline:
        """Every date's answers at once."""
        return Timeline(dates=self.dates, scope=self.scope, by=self.by, results=list(self))


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
        Compare the rates and counts per street or community as well.
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
        tallies=_count_changes(old_side.results, new_side.results),
        listed=_listed_changes(old_side.results, new_side.results),
        people=_people_changes(old_side, new_side),
        entities=_entity_changes(old_side.entities(), new_side.entities()))


def timeline(source: Any, codes: Iterable[str], dates: Iterable[dt.date], *, scope: str | None = None,
             by: str | None = None, **params: Any) -> Timeline:
    """``codes`` asked of ``source`` on each of ``dates``: the same results as one ``run`` per date
    (:func:`timeline_answers`, every date's answers at once).

    Examples
    --------
    >>> from graphmodel.graph import GovernanceGraph
    >>> line = timeline(GovernanceGraph(), ["C1"], [dt.date(2026, 3, 31), dt.date(2026, 6, 30)])
    >>> [answers["C1"].denominator for answers in line.results]
    [0, 0]
    """
    return timeline_answers(source, codes, dates, scope=scope, by=by, **params).collect()


def timeline_answers(source: Any, codes: Iterable[str], dates: Iterable[dt.date], *, scope: str | None = None,
                     by: str | None = None, **params: Any) -> TimelineAnswers:
    """:func:`timeline`, each date's answers made as they are iterated (:class:`TimelineAnswers`).

    Raises
    ------
    QueryError
        No date, before any question is asked.
    """
    dates = sorted(set(dates))
    if not dates:
        raise QueryError("a timeline needs at least one date", hint="e.g. --as-of 2026-03-31,2026-06-30")
    # once: every date shares the embedded index
    return TimelineAnswers(backend_for(source), list(codes), dates, scope, by, params)


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
    """One side of a diff: its backend, date and every answer, plus its things and its posts."""

    def __init__(self, source: Any, scope: str | None, by: str | None, as_of: dt.date | None):
        self.backend = backend_for(source)
        self.scope, self.by = scope, by
        self.results = run_group("all", self.backend, scope=scope, by=by, as_of=as_of)
        self.as_of = next(iter(self.results.values())).as_of
        self.context = AssembleContext(None, AreaIndex(self.backend.fetch_rows(AREAS, {})), self.as_of, scope, by)

    def posts(self) -> dict[str, Any]:
        """Person id → every current post of each person with a post in scope."""
        rows = self.backend.fetch_rows(POSTS, {"as_of": self.as_of.isoformat()})
        return {person.person_id: person for person in people_posts(rows, self.context, with_kinds=False)}

    def named_people(self) -> dict[str, Item]:
        """Person id → the first item naming them, over every answer."""
        found: dict[str, Item] = {}
        for answer in self.results.values():
            for item in answer.listed():
                if item.label == "Person":
                    found.setdefault(item.id, item)
        return found

    def entities(self) -> dict[str, tuple[dict[str, Any], Located]]:
        """Id → (entities row, place) of every thing in scope."""
        rows = self.backend.fetch_rows(ENTITIES, {"as_of": self.as_of.isoformat()})
        return {row["id"]: (row, Located(**place.located)) for row, place in self.context.located(rows)}


def _rate_changes(old: dict[str, Result], new: dict[str, Result]) -> list[RateChange]:
    """Every rate of every answer, matched by question, part and group (absent on a side: 0 of 0)."""
    changes = []
    for code, answer in new.items():
        before = {_line_key(line): line for line in old[code].rates()}
        now = {_line_key(line): line for line in answer.rates()}
        for key in _keys_in_order(now, before):
            was, is_ = before.get(key), now.get(key)
            line = is_ or was
            changes.append(RateChange(
                code=code, part=line.part, part_zh=line.part_zh, part_en=line.part_en, total=line.total,
                group_id=line.group_id,
                group_name=line.group_name,
                old_numerator=was.numerator if was else 0, old_denominator=was.denominator if was else 0,
                new_numerator=is_.numerator if is_ else 0, new_denominator=is_.denominator if is_ else 0))
    return changes


def _count_changes(old: dict[str, Result], new: dict[str, Result]) -> list[CountChange]:
    """Every count of every answer that is not what it was (absent on a side: 0)."""
    changes = []
    for code, answer in new.items():
        before = {_line_key(line): line for line in old[code].tallies()}
        now = {_line_key(line): line for line in answer.tallies()}
        for key in _keys_in_order(now, before):
            was, is_ = before.get(key), now.get(key)
            if (was.count if was else 0) == (is_.count if is_ else 0):
                continue
            line = is_ or was
            changes.append(CountChange(code=code, counted=line.counted, counted_zh=line.counted_zh,
                                       counted_en=line.counted_en, total=line.total,
                                       group_id=line.group_id, group_name=line.group_name,
                                       old=was.count if was else 0, new=is_.count if is_ else 0))
    return changes


def _line_key(line: RateLine | CountLine) -> tuple:
    return (line.series, line.total, line.group_id)


def _keys_in_order(*sides: dict) -> list[tuple]:
    """Keys of every side: series in the order the answers give them, each series' groups by id
    (unplaced first), then its whole scope."""
    series: dict[str, int] = {}
    for side in sides:
        for key in side:
            series.setdefault(key[0], len(series))
    keys = {key for side in sides for key in side}
    return sorted(keys, key=lambda key: (series[key[0]], key[1], key[2] or ""))


def _listed_changes(old: dict[str, Result], new: dict[str, Result]) -> list[ListedChange]:
    """Every (question, thing) named on one side only, or on both with other reasons or details."""
    changes = []
    for code, answer in new.items():
        before, now = _findings(old[code]), _findings(answer)
        for key in sorted(before.keys() | now.keys()):
            was, is_ = before.get(key), now.get(key)
            if was and is_ and was[1:] == is_[1:]:
                continue
            change = Change.OPENED if not was else Change.CLOSED if not is_ else Change.CHANGED
            item = (is_ or was)[0]
            changes.append(ListedChange(
                change=change, code=code, label=item.label, id=item.id, name=item.name,
                **item.model_dump(include=set(Located.model_fields)),
                old_reasons=was[1] if was else [], new_reasons=is_[1] if is_ else [],
                old_details=was[2] if was else [], new_details=is_[2] if is_ else []))
    return changes


def _findings(result: Result) -> dict[tuple[str, str], tuple[Item, list[str], list[str]]]:
    """(label, id) → (first item, its reason codes sorted, its details sorted)."""
    found: dict[tuple[str, str], tuple[Item, set[str], set[str]]] = {}
    for item in result.listed():
        _, reasons, details = found.setdefault((item.label, item.id), (item, set(), set()))
        reasons.add(item.reason)
        if item.detail is not None:
            details.add(item.detail)
    return {key: (item, sorted(reasons), sorted(details)) for key, (item, reasons, details) in found.items()}


def _people_changes(old: _Side, new: _Side) -> list[PersonChange]:
    """The people named on either side whose current posts changed, or who are named on one side only."""
    before, now = old.named_people(), new.named_people()
    if not (before or now):
        return []
    old_posts, new_posts = old.posts(), new.posts()
    changes = []
    for person_id in sorted(before.keys() | now.keys()):
        was_posts, posts = _post_keys(old_posts.get(person_id)), _post_keys(new_posts.get(person_id))
        gained = [post for key, post in posts.items() if key not in was_posts]
        lost = [post for key, post in was_posts.items() if key not in posts]
        if person_id in before and person_id in now and not (gained or lost):
            continue
        change = Change.ENTERED if person_id not in before else Change.LEFT if person_id not in now else Change.CHANGED
        person = new_posts.get(person_id) or old_posts.get(person_id)
        named = now.get(person_id) or before[person_id]
        changes.append(PersonChange(change=change, person_id=person_id, name=named.name,
                                    phone=person.phone if person else None,
                                    **named.model_dump(include=set(Located.model_fields)),
                                    gained=gained, lost=lost))
    return changes


def _post_keys(person) -> dict[tuple[str, str, str], Post]:
    return {(post.org_label, post.org_id, post.role): post for post in (person.posts if person else ())}


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
def _reasons(codes: list[str]) -> Words:
    """Reason codes in words, both languages (a code no question gives any more stays a code)."""
    return Words("、".join(REASONS[code][0] if code in REASONS else code for code in codes),
                 ", ".join(REASONS[code][1] if code in REASONS else code for code in codes))


def _posts_text(posts: list[Post]) -> list[Words]:
    return [post_words(post.org_label, post.org_name, post.role, post.role_zh) for post in posts]


def _line_row(answer: Result, line: RateLine | CountLine, part: Words | None) -> dict[str, Any]:
    return {"code": answer.code, "title": Words(answer.title_zh, answer.title_en), "part": part,
            "group_id": line.group_id, "group_name": line.group_name}


def _in_order(rows: dict[str, dict[tuple, dict[str, Any]]], dates: list[Column]) -> list[dict[str, Any]]:
    """Timeline rows question by question as asked (``_keys_in_order`` within one), each with every
    date's column, ``None`` on a date whose answer had no such line."""
    return [{**by_key[key], **{column.key: by_key[key].get(column.key) for column in dates}}
            for by_key in rows.values() for key in _keys_in_order(by_key)]
