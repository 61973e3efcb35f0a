"""Which nodes and relationships each view shows, how they look and where they sit.

A view is plain data (vis-network node and edge dicts plus a legend), built from a
``GovernanceGraph`` without pyvis' ``add_node``/``add_edge``, which scan their lists on every call
and make building a large view quadratic.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import queries
from graphmodel.errors import GridgraphError, QueryError
from graphmodel.graph import GovernanceGraph, NodeKey
from graphmodel.schema import NODE_MODELS, RELATIONSHIPS, OwnerCommitteeKind, PartyOrgKind, grid_type_zh, role_zh
from graphmodel.words import Words
from queries.context import AreaIndex, FullPlace
from queries.cross import ORGANISATION_KINDS
from queries.embedded import EmbeddedBackend, is_current
from queries.results import label_en

from ..reports import value_text

from . import audits
from .audits import Mark, Marks
from .layout import Box, bipartite_layout, cluster_heads, cluster_layout, column_tree_layout, radial_layout, spread
from .style import (EDGE_COLOURS, HIGHLIGHT_COLOUR, MARK_COLOUR, NODE_STYLES, PARTY_LEVEL_STYLES, RATE_STEPS,
                    LABEL_FONT, LegendEntry, NodeStyle, rate_colour)

__all__ = ["View", "ViewTooLarge", "VIEW_KINDS", "DEFAULT_NODE_LIMIT", "PHYSICS_NODE_LIMIT", "SOURCE_NOTE", "TITLES",
           "kind_words", "relationship_words",
           "build_view", "community_view", "street_view", "hierarchy_view", "people_view",
           "overview"]

DEFAULT_NODE_LIMIT = 3000
PHYSICS_NODE_LIMIT = 200  # above this the browser's simulation delays the first draw by seconds
SMALL_STREET = 400        # a street view this small also shows buildings and post holders

_AREA_LABELS = ("District", "Street", "Community")  # top-down; an id is looked up in this order
_ID_FIELD = {label: f"{label.lower()}_id" for label in _AREA_LABELS}  # the field of a FullPlace
# The relationship a node hangs on in the layout, most telling first (always one it starts).
_ANCHOR_TYPES = ("PART_OF", "REPRESENTS", "BASED_IN", "LOCATED_IN", "MANAGES", "UNDER", "HOLDS", "LIVES_IN",
                 "MEMBER_OF", "REGISTERED_WITH", "RAISED_BY", "OFFERED_BY", "COVERS", "MATCHES")
_CURRENT_TYPES = {"MANAGES", "HOLDS"}
# What a view labels at every zoom (the label grows as the planner zooms out): the areas, grids,
# compounds and the party organisations above branch level. The rest are labelled once the planner
# zooms in far enough to read them.
_STRUCTURAL_LABELS = {"District", "Street", "Community", "Grid", "Compound"}
_STRUCTURAL_PARTY_LEVELS = {"working_committee", "committee", "general_branch"}


#: What a view writes itself, in Chinese and English (``lang``); names and codes stay as the ledgers write them.
TITLES = {"community": Words("{name} 社区网络", "{name} community network"),
          "street": Words("{name} 街道结构", "{name} street structure"),
          "hierarchy": Words("{name} 党组织体系", "{name} party organisation tree"),
          "people": Words("{name} 交叉任职", "{name} cross-appointments"),
          "overview": Words("{scope} 总览 · {rate}", "{scope} overview · {rate}")}
_OVERVIEW = Words("总览", "Overview")
_STREET_DETAIL_LEFT_OUT = Words("楼栋与人员未显示（可用 community 视图查看单个社区）",
                                "Buildings and people not shown (the community view draws one community)")
_ACROSS_COLUMNS = Words("各列首行组织隶属{tops}（跨列连线从略）",
                        "The first organisations of each column are under {tops} (lines across columns left out)")
_FULL_TIME_LINE = Words("实线：专职任职（指向线条看职务）", "Solid line: a post (point at a line for the post)")
_PART_TIME_LINE = Words("虚线：兼职", "Dashed line: part time")
_NOT_APPLICABLE = Words("不适用（无统计对象）", "n/a (nothing counted)")
_N_A = Words("不适用", "n/a")
_RATE_FIGURE = Words("{rate}（{numerator}/{denominator}）", "{rate} ({numerator}/{denominator})")
_COMPOUNDS = Words("小区数：{count}", "Compounds: {count}")
_SIZE = Words("大小：{area}内小区数", "Size: compounds in the {area}")
_SUMMED_PER_STREET = Words("社区超过 {limit} 个，已按街道汇总", "More than {limit} communities: summed up per street")
_ALL_DISTRICTS = Words("全部 {count} 个区县", "all {count} districts")
_PROBLEM_HALO = Words("红晕、红字：盲区/问题（点击看原因）", "Red halo, red label: blind spot or problem (click for the reasons)")
_CROSS_HALO = Words("金晕：交叉任职", "Gold halo: cross-appointment")
_LINE_COLOURS = Words("线的颜色：", "Line colours:")
_COUNTS = Words("{nodes} 个节点，{edges} 条关系", "{nodes} nodes, {edges} relationships")
_AS_OF = Words("统计日期 {day}", "As of {day}")
SOURCE_NOTE = Words("数据来源 {}", "Source {}")  # what a view is drawn from, in its notes
_FIELD = Words("{name}：{value}", "{name}: {value}")  # a tooltip's or panel's line
_CODE, _KIND, _GRID_TYPE, _TERM = Words("编码", "Code"), Words("类别", "Kind"), Words("网格类型", "Grid type"), Words("任期", "Term")
_PARTY_MEMBER, _POST = Words("党员", "Party member"), Words("任职", "Post")
_YES_NO = (Words("否", "no"), Words("是", "yes"))
_FROM_TO = Words("{start} 至 {end}", "{start} to {end}")
_NOW = Words("今", "now")
_POST_AT = Words("{role}（{org}）", "{role} ({org})")
_PART_TIME_WORD = Words("兼职", "part time")
_PART_TIME = Words("· 兼职", " · part time")
_IN_BRACKETS = Words("（{}）", " ({})")
_DETAILS = Words("基本信息", "Details")
_POSTS_HELD = Words("任职（{day} 在任）", "Posts (held on {day})")
_CONTRACTS = Words("物业服务合同", "Property service contracts")
_ENDED = Words("（已不在期）", " (ended)")
_GAPS = Words("盲区与问题", "Blind spots and problems")
_CANDIDATES = Words("建议人选", "Candidates")
_BUILDINGS = Words("（{count}栋）", " ({count} {buildings})")
_UNFOLD_NOTE = Words("点击小区展开楼栋，点击组织展开其人员；首屏人员仅显示交叉任职者",
                     "Click a compound to unfold its buildings, an organisation for its people; at first only "
                     "the cross-appointed people are shown")
_SIDES = (Words("党组织", "Party organisations"), Words("业主委员会", "Owner committee"),
          Words("物业企业", "Property company"))
_COMMITTEE_TERM = Words("{name}：任期 {term}", "{name}: term {term}")
_CONTRACT = Words("{name}：合同 {term}", "{name}: contract {term}")
_NONE = Words("无", "none")
_LINKERS = Words("联系人（在两方以上任职）", "Linkers (posts on two sides or more)")
_AREA_CODES = Words("ids are the ledger codes (编码) of the areas ledger", "ids are the codes of the areas ledger")
_LIST_JOIN = Words("、", ", ")
_POST_JOIN = Words("；", "; ")


def kind_words(label: str, party_level: str | None = None) -> Words:
    """What a node is, in both languages: 党组织 / Party Org, or a party organisation's level (党委 / committee)."""
    if party_level:
        level = PartyOrgKind(party_level)
        return Words(level.zh, value_text(level.zh, "en").capitalize())
    return Words(NODE_MODELS[label].zh, label_en(label))


def relationship_words(rel_type: str) -> Words:
    """A relationship type in both languages: 任职 / holds."""
    return Words(RELATIONSHIPS[rel_type].zh, rel_type.lower().replace("_", " "))


class ViewTooLarge(GridgraphError):
    """A view with more nodes than the limit: a browser would draw it too slowly to use."""


Position = tuple[float, float]
#: Where a view's nodes go: ``layout(nodes, anchors)`` → ``{vis id: (x, y)}``, ``anchors`` mapping
#: each vis id to the vis id it hangs on (or None).
Layout = Callable[[list[dict[str, Any]], Mapping[str, str | None]], dict[str, Position]]


@dataclass
class View:
    """A network view ready to render: vis-network nodes and edges, a legend and a title."""

    kind: str
    title: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: list[LegendEntry]
    physics: bool
    notes: list[str] = field(default_factory=list)
    anchors: dict[str, str | None] = field(default_factory=dict)  # the forest the layout hangs nodes on
    layout: Layout | None = None
    change_legend: list[LegendEntry] = field(default_factory=list)  # the marks of a comparison
    changes: dict[str, int] = field(default_factory=dict)  # … and how many of each (the legend's counts)
    lang: str = "zh"  # the language of what the view writes itself (names stay as written)

    def place(self) -> None:
        """Give every node its position from ``layout``: again after nodes were added, so that
        everything moves to make room for them."""
        positions = self.layout(self.nodes, self.anchors)
        for node in self.nodes:
            node["x"], node["y"] = positions[node["id"]]


def community_view(graph: GovernanceGraph, community_id: str, *, as_of: dt.date | None = None,
                   limit: int = DEFAULT_NODE_LIMIT, marks: Marks | None = None,
                   candidates: Mapping[NodeKey, list[str]] | None = None, lang: str = "zh") -> View:
    """Every node of one community, opening on a picture of its compounds; blind spots in red.

    Shows the community, its grids, compounds and buildings, the party organisations, owner
    committees, resident units, list items and venues (党群服务阵地) located in it, the property companies with a
    current contract there, and the people holding a current post in any of them or registered
    with it. ``marks`` defaults to every blind spot (B…) of ``queries`` in this community.

    The first view shows the community on top and each compound as a cluster of its party
    organisations, owner committee, company, grids and venues; its buildings (and the party
    groups in them) are folded into it, counted in its label, and the people shown are the
    cross-appointed ones only, each between the organisations they link. A click on a node
    unfolds what hangs on it; the page's 全部展开 shows everything. A compound's panel is its
    dossier: its three sides, the people linking them, its gaps and the candidates for them and for
    its parts' (``candidates``: thing with a gap → lines; by default what the candidate questions
    propose in this community).

    Raises
    ------
    QueryError : ``community_id`` is no community of the graph.
    ViewTooLarge : the community has more than ``limit`` nodes.
    """
    as_of = as_of or dt.date.today()
    community = _area(graph, community_id, ("Community",), lang)
    backend = EmbeddedBackend(graph)  # one index for the placement and the marks
    places = _Places(backend, as_of)
    keys = [community, *places.members(community, ("Grid", "Compound", "Building", "PartyOrg",
                                                    "OwnerCommittee", "ResidentUnit", "ListItem", "Venue"))]
    title = TITLES["community"].format(name=graph.node(community)["name"]).text(lang)
    hint = "draw a part of it: `gridgraph view hierarchy ID` or `gridgraph view people ID`"
    # Its own nodes may be too many already: then refused before walking each one's posts, which
    # would make every node's dict (1.99 M buildings: 1.5 GB and 17 s more).
    _within_limit(keys, limit, f"{title}, its own nodes alone", hint)
    keys += _companies_of(graph, keys, as_of)
    keys += _post_holders(graph, keys, as_of, also_registered_with=community)
    keys = _within_limit(keys, limit, title, hint)
    if marks is None:  # after the limit: the marks are every blind-spot question of the area
        marks = audits.blind_spot_marks(backend, scope=community_id, as_of=as_of, lang=lang)
    if candidates is None:
        candidates = audits.candidate_lines(backend, scope=community_id, as_of=as_of, lang=lang)
    view = _network_view(graph, "community", title, keys, as_of, marks, lang,
                         layout=_compound_clusters, leave_out=_drawn_by_the_clusters)
    _open_on_compounds(view, graph, keys, marks, as_of, candidates)
    view.physics = False  # the layout keeps every label clear of the others; a simulation would not
    view.place()
    return view


def street_view(graph: GovernanceGraph, street_id: str, *, as_of: dt.date | None = None,
                limit: int = DEFAULT_NODE_LIMIT, marks: Marks | None = None, lang: str = "zh") -> View:
    """Every community, compound, grid and party organisation of one street, blind spots in red.

    Buildings and the people holding posts are added only while the view stays under
    ``SMALL_STREET`` nodes; the community view shows them for one community.
    """
    as_of = as_of or dt.date.today()
    street = _area(graph, street_id, ("Street",), lang)
    backend = EmbeddedBackend(graph)
    places = _Places(backend, as_of)
    keys = [street, *places.members(street, ("Community", "Grid", "Compound", "PartyOrg"))]
    detail = places.members(street, ("Building",))
    detail += _post_holders(graph, keys + detail, as_of)
    notes = []
    if len(keys) + len(detail) <= SMALL_STREET:
        keys += detail
    else:
        notes.append(_STREET_DETAIL_LEFT_OUT.text(lang))
    title = TITLES["street"].format(name=graph.node(street)["name"]).text(lang)
    keys = _within_limit(keys, limit, title, "draw one community with `gridgraph view community ID`")
    if marks is None:
        marks = audits.blind_spot_marks(backend, scope=street_id, as_of=as_of, lang=lang)
    # Fifty grids crowd a street's rings: their names wait for the zoom; compounds stay labelled.
    view = _network_view(graph, "street", title, keys, as_of, marks, lang,
                         structural=_STRUCTURAL_LABELS - {"Grid"}, layout=_community_clusters)
    view.notes[:0] = notes
    view.physics = False  # a simulation would pull the communities' clusters into one another
    view.place()
    return view


def hierarchy_view(graph: GovernanceGraph, area_id: str, *, as_of: dt.date | None = None,
                   limit: int = DEFAULT_NODE_LIMIT, marks: Marks | None = None, lang: str = "zh") -> View:
    """The party organisation tree (UNDER) of a district, street or community, top-down."""
    as_of = as_of or dt.date.today()
    area = _area(graph, area_id, _AREA_LABELS, lang)
    backend = EmbeddedBackend(graph)
    keys = _Places(backend, as_of).members(area, ("PartyOrg",))
    title = TITLES["hierarchy"].format(name=graph.node(area)["name"]).text(lang)
    _check_limit(len(keys), limit, title, "draw one street: `gridgraph view hierarchy STREET_ID`")
    if marks is None:
        marks = audits.blind_spot_marks(backend, scope=area_id, as_of=as_of, lang=lang)
    anchors = {key: next((parent for parent, _ in graph.out(key, "UNDER")), None) for key in keys}
    members = set(keys)
    # Under its parent a child is named without the words they share (永安街社区党委 › 第1网格党支部).
    labels = {key: _short_name(graph.node(key)["name"],
                               [_party_stem(graph.node(anchors[key])["name"])] if anchors[key] in members else [])
              for key in keys}
    view = _assemble(graph, "hierarchy", title, keys, as_of, marks, lang, anchors, _box_columns, rel_types={"UNDER"})
    for node, key in zip(view.nodes, keys):
        # A labelled box per organisation, coloured by level: the tree reads like an org chart.
        node.update(label=labels[key], shape="box", tier="fixed", font={"color": "#ffffff" if _dark(
            node["color"]["background"]) else "#222222"}, margin=_BOX_PADDING)
        node.pop("size")
    view.legend = [replace(entry, glyph="■") if entry.group else entry for entry in view.legend]  # boxes here
    view.physics = False  # the simulation would pull the tree out of its levels
    view.place()
    # A column holds whole subtrees; only the lines up to a top organisation would cross between
    # columns: each column's first boxes hang on one, which their indent already shows.
    by_id = {node["id"]: node for node in view.nodes}
    lefts = {node["id"]: node["x"] - _box_width(node) / 2 for node in view.nodes}
    crossing = [edge for edge in view.edges if abs(lefts[edge["from"]] - lefts[edge["to"]] - _BOX_INDENT) > 0.5]
    for edge in crossing:
        edge["hidden"] = True
    if crossing:
        tops = _LIST_JOIN.text(lang).join(dict.fromkeys(by_id[edge["to"]]["label"] for edge in crossing))
        view.notes.append(_ACROSS_COLUMNS.format(tops=tops).text(lang))
    return view


def people_view(graph: GovernanceGraph, area_id: str, *, as_of: dt.date | None = None,
                limit: int = DEFAULT_NODE_LIMIT, marks: Marks | None = None, lang: str = "zh") -> View:
    """People holding current posts in two or more organisations of an area, and every post they hold.

    Organisations are party organisations, owner committees, property companies, community
    committees and resident units (X1's kinds); posts in grids and buildings are drawn but do
    not count towards the two.

    ``marks`` defaults to the people the cross-appointment questions name (交叉任职, 兼职委员: gold
    halo; 利益冲突, 职务集中: red). Laid out bipartite: organisations in rows, each person between
    the organisations they hold posts in.
    """
    as_of = as_of or dt.date.today()
    area = _area(graph, area_id, _AREA_LABELS, lang)
    backend = EmbeddedBackend(graph)
    places = _Places(backend, as_of)
    in_area = set(places.members(area, tuple(label for label in NODE_MODELS
                                              if label not in ("District", "Person", "ListItem", "Case"))))
    in_area.add(area)
    people, organisations = [], set()
    for person in graph.keys("Person"):
        posts = {org for org, props in graph.out(person, "HOLDS")
                 if org in in_area and is_current(props, as_of)}
        # Two posts in one compound (楼长 and 党小组长) are routine; two organisations are a link.
        if len(_organisations_held(graph, person, in_area, as_of)) >= 2:
            people.append(person)
            organisations.update(posts)
    people.sort()  # as organisations: the store's order would move them about
    keys = [*sorted(organisations), *people]
    title = TITLES["people"].format(name=graph.node(area)["name"]).text(lang)
    _check_limit(len(keys), limit, title, "narrow to one street or community")
    if marks is None:
        marks = audits.cross_appointment_marks(backend, scope=area_id, as_of=as_of, lang=lang)
    anchors = {person: min(org for org, _ in graph.out(person, "HOLDS") if org in organisations)
               for person in people}
    view = _assemble(graph, "people", title, keys, as_of, marks, lang, anchors, _organisations_around,
                     rel_types={"HOLDS"})
    for node, person in zip(view.nodes[len(organisations):], people):
        node["size"] = NODE_STYLES["Person"].size * 2  # the people are what this view is about
        node["links"] = [_vis_id(org) for org in sorted(org for org, props in graph.out(person, "HOLDS")
                                                        if org in in_area and is_current(props, as_of))]
    for node in view.nodes:
        node["tier"] = "fixed"  # a few dozen nodes: every name is worth reading
        node["label"] = _wrap(node["label"])
    for edge in view.edges:
        if edge["part_time"]:
            edge["dashes"] = True
    view.legend += [LegendEntry("—", EDGE_COLOURS["HOLDS"], _FULL_TIME_LINE.text(lang)),
                    LegendEntry("┄", EDGE_COLOURS["HOLDS"], _PART_TIME_LINE.text(lang))]
    view.physics = False  # laid out so that no label covers another
    view.place()
    return view


def overview(graph: GovernanceGraph, area_id: str | None = None, *, rate: str = "C1",
             as_of: dt.date | None = None, limit: int = DEFAULT_NODE_LIMIT,
             rates: Mapping[str, tuple[int, int]] | None = None, lang: str = "zh") -> View:
    """A district (or the whole graph) aggregated to communities: size by compounds, colour by a rate.

    Each community is one node sized by its number of compounds and coloured by coverage rate
    ``rate`` (C1…C11, red 0% to green 100%, grey when not applicable), hung on its street and
    district. Over ``limit`` communities it aggregates one level further, to streets.
    ``rates`` maps a community (or street) id to ``(numerator, denominator)``; by default it is
    ``queries`` coverage question ``rate`` grouped by community (or street). Above communities,
    each street node carries its own rate too (asked of ``queries`` by street). The title names
    the district (the graph's districts, without ``area_id``).
    """
    as_of = as_of or dt.date.today()
    title_rate = _question_title(rate, lang)
    area = _area(graph, area_id, ("District",), lang) if area_id is not None else None
    backend = EmbeddedBackend(graph)
    places = _Places(backend, as_of)
    communities = places.members(area, ("Community",)) if area else sorted(graph.keys("Community"))
    level = "Community" if len(communities) <= limit else "Street"
    groups = communities if level == "Community" else (
        places.members(area, ("Street",)) if area else sorted(graph.keys("Street")))
    _check_limit(len(groups), limit, _OVERVIEW.text(lang), "draw one district: `gridgraph view overview DISTRICT_ID`")
    compounds = Counter(getattr(places.of(key), _ID_FIELD[level]) for key, _ in graph.nodes("Compound"))
    if rates is None:
        rates = audits.coverage_by_group(backend, rate, by=level.lower(), scope=area_id, as_of=as_of)
    keys: list[NodeKey] = []
    anchors: dict[NodeKey, NodeKey | None] = {}
    for group in groups:
        place = places.of(group)
        chain = [("District", place.district_id), ("Street", place.street_id), group]
        chain = [key for key in chain[:_AREA_LABELS.index(level) + 1] if key[1] is not None]
        for parent, child in zip([None, *chain], chain):
            if child not in anchors:
                anchors[child] = parent
                keys.append(child)
    view = _assemble(graph, "overview", TITLES["overview"].format(scope=_scope_name(graph, area, lang),
                                                                  rate=title_rate).text(lang),
                     keys, as_of, {}, lang, anchors, _spread_out(_radial(spacing=70)), rel_types={"PART_OF"})
    by_id = {node["id"]: node for node in view.nodes}
    shown = [(group, rates) for group in groups]
    if level == "Community":  # the streets carry their own rate too
        street_rates = audits.coverage_by_group(backend, rate, by="street", scope=area_id, as_of=as_of)
        street_compounds = Counter(places.of(key).street_id for key, _ in graph.nodes("Compound"))
        shown += [(key, street_rates) for key in keys if key[0] == "Street"]
    for group, group_rates in shown:
        node = by_id[_vis_id(group)]
        count = (compounds if group[0] == level else street_compounds).get(group[1], 0)
        numerator, denominator = group_rates.get(group[1], (0, 0))
        share = numerator / denominator if denominator else None
        figure = (_RATE_FIGURE.format(rate=percent(share), numerator=numerator, denominator=denominator)
                  if share is not None else _NOT_APPLICABLE).text(lang)
        compounds_line = _COMPOUNDS.format(count=count).text(lang)
        node["color"] = {"background": rate_colour(share), "border": "#555555"}
        node["title"] += f"\n{compounds_line}\n{_FIELD.format(name=title_rate, value=figure).text(lang)}"
        node["label"] += f" {percent(share) if share is not None else _N_A.text(lang)}"
        node["tier"] = "fixed"
        node["panel"].insert(1, [title_rate, [figure, compounds_line]])
        if group[0] == level:
            node["size"] = 8 + 3 * count ** 0.5
    view.legend = [entry for entry in view.legend if entry.group != _legend_group(level)]
    view.legend += [LegendEntry("", "#222222", _FIELD.format(name=title_rate, value="").text(lang).rstrip())]
    view.legend += [LegendEntry("⬢", colour, text) for _, colour, text in RATE_STEPS]
    view.legend += [LegendEntry("⬢", rate_colour(None), _NOT_APPLICABLE.text(lang)),
                    LegendEntry("", "#555555", _SIZE.format(area=kind_words(level).text(lang).lower()).text(lang))]
    if level == "Street":
        view.notes.append(_SUMMED_PER_STREET.format(limit=limit).text(lang))
    view.physics = False  # the layout keeps every label clear of the others; a simulation would not
    view.place()
    return view


def _scope_name(graph: GovernanceGraph, area: NodeKey | None, lang: str) -> str:
    """The overview's scope by name: the area's, or the district's when the graph holds one."""
    if area is not None:
        return graph.node(area)["name"]
    districts = [attrs["name"] for _, attrs in graph.nodes("District")]
    return (_LIST_JOIN.text(lang).join(districts) if 0 < len(districts) <= 3
            else _ALL_DISTRICTS.format(count=len(districts)).text(lang))


def percent(rate: float) -> str:
    """A rate as a whole percentage, rounded down so that 99.6% never reads as 100%."""
    return f"{math.floor(rate * 100 + 1e-9)}%"


VIEW_KINDS: dict[str, Callable[..., View]] = {
    "community": community_view, "street": street_view, "hierarchy": hierarchy_view,
    "people": people_view, "overview": overview,
}


def build_view(kind: str, graph: GovernanceGraph, area_id: str | None, **options: Any) -> View:
    """The view ``kind`` (a key of ``VIEW_KINDS``) of ``area_id``; options go to its builder
    (``as_of``, ``limit``, ``lang`` …)."""
    if kind not in VIEW_KINDS:
        raise QueryError(f"unknown view {kind!r}", hint=f"choose one of {', '.join(VIEW_KINDS)}")
    if area_id is None and kind != "overview":
        raise QueryError(f"the {kind} view needs an area id", hint="give a community, street or district id")
    return VIEW_KINDS[kind](graph, area_id, **options)


# -- membership -------------------------------------------------------------------------------
class _Places:
    """Where each node sits, placed exactly as the audits place it: the embedded index's place,
    completed from the areas fetch (``queries.AREAS``) as every assemble step completes it."""

    def __init__(self, backend: EmbeddedBackend, as_of: dt.date):
        self.index = backend.index
        self.areas = AreaIndex(backend.fetch_rows(queries.AREAS, {}))
        self.as_of = as_of

    def of(self, key: NodeKey) -> FullPlace:
        return self.areas.complete(*self.index.place(key, self.as_of))

    def members(self, area: NodeKey, labels: Iterable[str]) -> list[NodeKey]:
        """Nodes with ``labels`` located in ``area`` (a District, Street or Community key)."""
        field, complete, place_fields = _ID_FIELD[area[0]], self.areas.complete, self.index.place_fields
        # Placed by the index, as the blind-spot marks of the same view place them; from the keys
        # alone, so an area over the view's limit is refused without a dict made for each node.
        # Sorted, so that a view is drawn the same from a snapshot (ledger order) and from Neo4j.
        return [key for label in labels for key in sorted(
            key for key in self.index.graph.keys(label)
            if key != area and getattr(complete(**place_fields(key, self.as_of)), field) == area[1])]


def _area(graph: GovernanceGraph, area_id: str, labels: tuple[str, ...], lang: str) -> NodeKey:
    found = [(label, area_id) for label in labels if (label, area_id) in graph]
    if not found:
        kinds = "/".join(kind_words(label).text(lang) for label in labels)
        raise QueryError(f"no {kinds} with id {area_id!r} in the graph", hint=_AREA_CODES.text(lang))
    return found[0]


def _companies_of(graph: GovernanceGraph, keys: list[NodeKey], as_of: dt.date) -> list[NodeKey]:
    companies = {company: None for key in keys if key[0] == "Compound"
                 for company, props in graph.into(key, "MANAGES") if is_current(props, as_of)}
    return sorted(companies)


def _post_holders(graph: GovernanceGraph, keys: list[NodeKey], as_of: dt.date,
                  also_registered_with: NodeKey | None = None) -> list[NodeKey]:
    people = {person: None for key in keys
              for person, props in graph.into(key, "HOLDS") if is_current(props, as_of)}
    if also_registered_with:
        people.update({key: None for key, _ in graph.into(also_registered_with, "REGISTERED_WITH")
                       if key[0] == "Person"})
    return sorted(people)


# -- assembling -------------------------------------------------------------------------------
def _check_limit(count: int, limit: int, what: str, hint: str) -> None:
    if count > limit:
        raise ViewTooLarge(f"{what}: {count:,} nodes is more than the limit of {limit:,}",
                           hint=f"{hint}; or raise --limit")


def _within_limit(keys: list[NodeKey], limit: int, what: str, hint: str) -> list[NodeKey]:
    """``keys`` without repeats, checked against ``limit`` before any audit runs for the view."""
    keys = list(dict.fromkeys(keys))
    _check_limit(len(keys), limit, what, hint)
    return keys


def _network_view(graph, kind, title, keys, as_of, marks, lang, structural=_STRUCTURAL_LABELS,
                  layout: Layout | None = None, leave_out: Callable[[NodeKey, NodeKey, str], bool] | None = None) -> View:
    """The view of ``keys`` (within their limit), each hung on its most telling relationship; not yet placed."""
    members = set(keys)
    anchors = {}
    for key in keys:
        targets = [(_ANCHOR_TYPES.index(props["type"]), target) for target, props in graph.out(key)
                   if target in members and props["type"] in _ANCHOR_TYPES]
        anchors[key] = min(targets)[1] if targets else None
    view = _assemble(graph, kind, title, keys, as_of, marks, lang, anchors, layout or _radial(inner_share=0.45),
                     structural=structural, leave_out=leave_out)
    # Inside its community a grid is 第1网格, not 永安街社区第1网格: shorter labels overlap less.
    areas = sorted((graph.node(key)["name"] for key in keys if key[0] in _AREA_LABELS), key=len, reverse=True)
    for node, key in zip(view.nodes, keys):
        if key[0] not in _AREA_LABELS:
            node["label"] = _short_name(node["label"], areas)
    return view


# -- the community's first view -----------------------------------------------------------------
_FOLDED_INTO_COMPOUND = {"Building"}  # shown when their compound is clicked


def _open_on_compounds(view: View, graph: GovernanceGraph, keys: list[NodeKey], marks: Marks, as_of: dt.date,
                       candidates: Mapping[NodeKey, list[str]]) -> None:
    """Fold the community view into its compounds (see ``community_view``), in place."""
    lang = view.lang
    members = set(keys)
    by_key = dict(zip(keys, view.nodes))
    # Inside one community, 春晖区宜家物业服务有限公司 is 宜家物业服务有限公司.
    outer_names, area = [], keys[0]
    while (area := next((parent for parent, _ in graph.out(area, "PART_OF")), None)) is not None:
        outer_names.append(graph.node(area)["name"])
    compound_of = {key: compound for key in keys if key[0] == "Building"
                   for compound, _ in graph.out(key, "PART_OF") if compound in members}
    compound_of.update({key: key for key in keys if key[0] == "Compound"})
    # A grid clusters with the first compound it covers (it hangs on the community otherwise).
    for key in keys:
        if key[0] == "Grid":
            covered = sorted(compound_of[target] for target, _ in graph.out(key, "COVERS") if target in compound_of)
            if covered:
                view.anchors[_vis_id(key)] = _vis_id(covered[0])
    for key, node in by_key.items():
        anchor = next((parent for parent, props in graph.out(key) if props["type"] in ("BASED_IN", "PART_OF")
                       and parent in members), None)
        linked = _organisations_held(graph, key, members, as_of) if key[0] == "Person" else []
        if len(linked) >= 2:
            node["links"] = [_vis_id(org) for org in linked]
        elif key[0] in _FOLDED_INTO_COMPOUND or key[0] == "Person" or (
                key[0] == "PartyOrg" and anchor is not None and anchor[0] == "Building"):
            node.update(hidden=True, folded=True)
    for key, node in by_key.items():
        node["tier"] = "fixed"  # a first view of about a hundred labels: each one is laid out to be read
        node["label"] = _wrap(_short_name(node["label"], outer_names))
        if key[0] == "Compound":
            node["font"] = {**node.get("font", {}), "size": LABEL_FONT + 3}  # each cluster's name stands out
            node["size"] = NODE_STYLES["Compound"].size + 4
            buildings = sum(1 for other, compound in compound_of.items() if compound == key and other != key)
            if buildings:
                node["label"] += _BUILDINGS.format(count=buildings,
                                                   buildings="building" if buildings == 1 else "buildings").text(lang)
            node["panel"][1:1] = _compound_dossier(graph, key, members, as_of, lang)
            # Its gaps: the blind spots naming it (already in its panel), then those naming its parts.
            part_gaps = [_FIELD.format(name=graph.node(part)["name"], value=f"{mark.code} {mark.text}").text(lang)
                         for part in _compound_parts(graph, key, members) for mark in marks.get(part, ())]
            own_gaps = next((lines for heading, lines in node["panel"] if heading == _GAPS.text(lang)), None)
            if own_gaps is None and part_gaps:
                node["panel"].append([_GAPS.text(lang), part_gaps])
            elif part_gaps:
                own_gaps.extend(part_gaps)
            proposed = [line for thing in (key, *_compound_parts(graph, key, members))
                        for line in candidates.get(thing, ())]
            if proposed:
                node["panel"].append([_CANDIDATES.text(lang), proposed])
    # Which compound's cluster each node is drawn in: the page shades each cluster behind its nodes.
    ids = [node["id"] for node in view.nodes]
    clusters = cluster_heads(ids, view.anchors, [node_id for node_id in ids if node_id.startswith("Compound:")])
    for node in view.nodes:
        if clusters[node["id"]].startswith("Compound:") and not node.get("links"):
            node["cluster"] = clusters[node["id"]]
    view.notes.append(_UNFOLD_NOTE.text(lang))


def _drawn_by_the_clusters(source: NodeKey, target: NodeKey, rel_type: str) -> bool:
    """What a community view leaves out: the clusters already say where a grid belongs, and the
    hierarchy view draws the party tree; their lines to the community and its committee would
    only cross the picture."""
    return rel_type == "UNDER" or (rel_type == "PART_OF" and target[0] == "Community" and source[0] != "Compound")


def _compound_parts(graph: GovernanceGraph, compound: NodeKey, members: set[NodeKey]) -> list[NodeKey]:
    """What a compound's gaps may name besides itself: its buildings and its three sides."""
    buildings = [key for key, _ in graph.into(compound, "PART_OF") if key in members]
    sides = [key for rel in ("BASED_IN", "REPRESENTS") for key, _ in graph.into(compound, rel) if key in members]
    sides += [key for key, _ in graph.into(compound, "MANAGES") if key in members]
    return sorted(set(buildings + sides))


def _compound_dossier(graph: GovernanceGraph, compound: NodeKey, members: set[NodeKey],
                      as_of: dt.date, lang: str) -> list[list]:
    """A compound's three sides (party organisations, owner committee with its term, company with
    its contract) and its linkers: the people with current posts in two of them or more."""
    party = sorted(key for key, _ in graph.into(compound, "BASED_IN") if key[0] == "PartyOrg" and key in members)
    committees = sorted(key for key, _ in graph.into(compound, "REPRESENTS") if key in members)
    contracts = sorted((key, props) for key, props in graph.into(compound, "MANAGES")
                       if key in members and is_current(props, as_of))
    sides = {*party, *committees, *(key for key, _ in contracts)}
    none = [_NONE.text(lang)]
    party_side, committee_side, company_side = (words.text(lang) for words in _SIDES)
    sections = [
        [party_side, [graph.node(key)["name"] for key in party] or none],
        [committee_side, [_COMMITTEE_TERM.format(name=graph.node(key)["name"], term=_term(
            graph.node(key).get("term_start"), graph.node(key).get("term_end"), lang, open_end="?")).text(lang)
            for key in committees] or none],
        [company_side, [_CONTRACT.format(name=graph.node(key)["name"],
                                         term=_term(props.get("start"), props.get("end"), lang)).text(lang)
                        for key, props in contracts] or none],
    ]
    linkers = {}
    for side in sorted(sides):
        for person, props in graph.into(side, "HOLDS"):
            if is_current(props, as_of):
                linkers.setdefault(person, []).append((side, props))
    lines = [_FIELD.format(name=graph.node(person)["name"],
                           value=_POST_JOIN.text(lang).join(_posts(graph, person, posts, lang))).text(lang)
             for person, posts in sorted(linkers.items()) if len({side for side, _ in posts}) >= 2]
    sections.append([_LINKERS.text(lang), lines or none])
    return sections


def _organisations_held(graph: GovernanceGraph, person: NodeKey, members: set[NodeKey],
                        as_of: dt.date) -> list[NodeKey]:
    """The organisations (X1's kinds) among ``members`` in which ``person`` holds a current post."""
    return sorted({org for org, props in graph.out(person, "HOLDS")
                   if org in members and org[0] in ORGANISATION_KINDS and is_current(props, as_of)})


def _compound_clusters(nodes: list[dict[str, Any]], anchors: Mapping[str, str | None]) -> dict[str, Position]:
    """``cluster_layout`` with a compound heading each cluster and cross-appointed people between."""
    shown = [node for node in nodes if not node.get("hidden")]
    return cluster_layout([node["id"] for node in nodes], anchors, {node["id"]: _box(node) for node in nodes},
                          heads=[node["id"] for node in nodes if node["id"].startswith("Compound:")],
                          links={node["id"]: node["links"] for node in shown if node.get("links")},
                          hidden=[node["id"] for node in nodes if node.get("hidden")])


def _organisations_around(nodes: list[dict[str, Any]], anchors: Mapping[str, str | None]) -> dict[str, Position]:
    """``bipartite_layout``: organisations on the outside, each person between those they hold posts in."""
    return bipartite_layout([node["id"] for node in nodes], {node["id"]: _box(node) for node in nodes},
                            {node["id"]: node["links"] for node in nodes if node.get("links")})


def _community_clusters(nodes: list[dict[str, Any]], anchors: Mapping[str, str | None]) -> dict[str, Position]:
    """``cluster_layout`` with a community heading each cluster (a street view)."""
    return cluster_layout([node["id"] for node in nodes], anchors, {node["id"]: _box(node) for node in nodes},
                          heads=[node["id"] for node in nodes if node["id"].startswith("Community:")], links={})


def _box(node: Mapping[str, Any]) -> Box:
    """About how much room a node takes with its label under it (``layout.Box``)."""
    size = node.get("size", 10)
    font = node.get("font", {}).get("size", LABEL_FONT)
    lines = node["label"].split("\n")
    width = max(2 * size, *(_text_width(line, font) for line in lines)) + 8
    height = 2 * size + 8 + 1.3 * font * len(lines)
    return width, height, height / 2 - size


def _assemble(graph: GovernanceGraph, kind: str, title: str, keys: list[NodeKey], as_of: dt.date,
              marks: Marks, lang: str, anchors: Mapping[NodeKey, NodeKey | None], layout: Layout,
              rel_types: set[str] | None = None, structural: set[str] = _STRUCTURAL_LABELS,
              leave_out: Callable[[NodeKey, NodeKey, str], bool] | None = None) -> View:
    """The view of ``keys``, not yet placed: its builder calls ``place()`` once the labels are final.

    ``leave_out(source, target, type)`` names relationships between two shown nodes not to draw."""
    members = set(keys)
    nodes = [_vis_node(graph, key, marks.get(key, ()), as_of, structural, lang) for key in keys]
    edges = []
    for key in keys:
        for target, props in graph.out(key):
            if (target in members and (rel_types is None or props["type"] in rel_types)
                    and not (leave_out and leave_out(key, target, props["type"]))
                    and (props["type"] not in _CURRENT_TYPES or is_current(props, as_of))):
                edges.append(_vis_edge(len(edges), key, target, props, lang))
    counts = Counter(node["legend"] for node in nodes)
    legend = [LegendEntry(style.glyph, style.colour, f"{text.text(lang)} {counts[group]:,}", group)
              for group, text, style in _legend_groups() if counts[group]]
    kinds_marked = {mark.problem for key in keys for mark in marks.get(key, ())}
    if True in kinds_marked:
        legend.append(LegendEntry("◉", MARK_COLOUR, _PROBLEM_HALO.text(lang)))
    if False in kinds_marked:
        legend.append(LegendEntry("◉", HIGHLIGHT_COLOUR, _CROSS_HALO.text(lang)))
    drawn_types = Counter(edge["type"] for edge in edges)
    if drawn_types:
        legend.append(LegendEntry("", "#222222", _LINE_COLOURS.text(lang)))
        legend += [LegendEntry("━", EDGE_COLOURS[rel_type],
                               f"{relationship_words(rel_type).text(lang)} {drawn_types[rel_type]:,}")
                   for rel_type in RELATIONSHIPS if drawn_types[rel_type]]
    physics = len(nodes) <= PHYSICS_NODE_LIMIT
    notes = [_COUNTS.format(nodes=f"{len(nodes):,}", edges=f"{len(edges):,}").text(lang),
             _AS_OF.format(day=as_of.isoformat()).text(lang)]
    vis_anchors = {_vis_id(key): _vis_id(anchors[key]) if anchors.get(key) else None for key in keys}
    return View(kind, title, nodes, edges, legend, physics, notes, vis_anchors, layout, lang=lang)


def _radial(**options: Any) -> Layout:
    """``radial_layout`` with ``options``, over a view's nodes."""
    return lambda nodes, anchors: radial_layout([node["id"] for node in nodes], anchors, **options)


def _spread_out(layout: Layout) -> Layout:
    """``layout``, then every node moved just far enough that no label lies on another."""
    return lambda nodes, anchors: spread(layout(nodes, anchors), {node["id"]: _box(node) for node in nodes})


def _box_columns(nodes: list[dict[str, Any]], anchors: Mapping[str, str | None]) -> dict[str, Position]:
    """``column_tree_layout`` over labelled boxes: each as wide as its label."""
    widths = {node["id"]: _box_width(node) for node in nodes}
    return column_tree_layout(list(widths), anchors, widths, indent=_BOX_INDENT, row_height=28.0)


def _box_width(node: Mapping[str, Any]) -> float:
    """A labelled box's drawn width."""
    return _text_width(node["label"], LABEL_FONT) + 2 * _BOX_PADDING


_QUESTION_ORDER = {code: number for number, code in enumerate(queries.QUESTIONS)}


def _code_rank(code: str) -> tuple[int, str]:
    """Marks in question order (B2 before B12), then the comparison's 新增/已撤销."""
    return _QUESTION_ORDER.get(code, len(_QUESTION_ORDER)), code


def _legend_group(label: str, party_level: str | None = None) -> str:
    """The legend entry (and toggle) a node belongs to: its label, or a party organisation's level."""
    return f"PartyOrg:{party_level}" if label == "PartyOrg" else label


def _legend_groups() -> list[tuple[str, Words, NodeStyle]]:
    """Every legend group in schema order, the party levels in place of 党组织: (group, text, style)."""
    groups = []
    for label in NODE_MODELS:
        if label == "PartyOrg":
            groups += [(_legend_group(label, level.value), kind_words(label, level.value), PARTY_LEVEL_STYLES[level.value])
                       for level in PartyOrgKind]
        else:
            groups.append((label, kind_words(label), NODE_STYLES[label]))
    return groups


def _vis_id(key: NodeKey) -> str:
    return f"{key[0]}:{key[1]}"


def _vis_node(graph: GovernanceGraph, key: NodeKey, marks: Iterable[Mark], as_of: dt.date,
              structural_labels: set[str], lang: str) -> dict[str, Any]:
    attrs = graph.node(key)
    label = key[0]
    level = attrs.get("kind") if label == "PartyOrg" else None
    style = PARTY_LEVEL_STYLES[level] if level else NODE_STYLES[label]
    marks = list(marks)
    lines = [*_identity(attrs, label, lang), *_details(graph, key, lang)]
    lines += [f"⚠ {mark.code} {mark.text}" for mark in marks]
    structural = label in structural_labels or level in _STRUCTURAL_PARTY_LEVELS
    node = {"id": _vis_id(key), "label": attrs["name"], "name": attrs["name"], "title": "\n".join(lines),
            "shape": style.shape, "size": style.size,
            "color": {"background": style.colour, "border": style.colour},
            # What the page's controls read: search, toggles, the side panel, label sizing.
            "code": attrs["id"], "kind": kind_words(label, level).text(lang),
            "legend": _legend_group(label, level), "codes": sorted({mark.code for mark in marks}, key=_code_rank),
            "tier": "grow" if structural else "zoom", "panel": _panel(graph, key, marks, as_of, lang)}
    if marks:
        serious = any(mark.problem for mark in marks)
        # A halo round the shape, not a border: a small shape's thick red border reads as a red
        # fill, and the planner could no longer tell what kind of thing is flagged.
        node["mark"] = MARK_COLOUR if serious else HIGHLIGHT_COLOUR
        node["shadow"] = {"enabled": True, "color": node["mark"], "size": 16, "x": 0, "y": 0}
        if serious:
            node["font"] = {"color": MARK_COLOUR}
    return node


def _identity(attrs: Mapping[str, Any], label: str, lang: str) -> list[str]:
    """A node's first lines, in its tooltip and panel: ``kind：name`` and ``编码：id``."""
    return [_FIELD.format(name=kind_words(label).text(lang), value=attrs["name"]).text(lang),
            _FIELD.format(name=_CODE.text(lang), value=attrs["id"]).text(lang)]


def _details(graph: GovernanceGraph, key: NodeKey, lang: str, with_posts: bool = True) -> list[str]:
    """Tooltip lines beyond name and code: the kind of organisation, its term, the person's posts."""
    attrs = graph.node(key)
    label = key[0]

    def field_line(name: Words, value: str) -> str:
        return _FIELD.format(name=name.text(lang), value=value).text(lang)

    if label == "PartyOrg":
        return [field_line(_KIND, kind_words(label, attrs["kind"]).text(lang))]
    if label == "Grid":
        return [field_line(_GRID_TYPE, value_text(grid_type_zh(attrs["grid_type"]), lang))]
    if label == "OwnerCommittee":
        return [field_line(_KIND, value_text(OwnerCommitteeKind(attrs["kind"]).zh, lang)),
                field_line(_TERM, _term(attrs.get("term_start"), attrs.get("term_end"), lang, open_end="?"))]
    if label == "Person":
        return [field_line(_PARTY_MEMBER, _YES_NO[bool(attrs.get("party_member"))].text(lang)),
                *(field_line(_POST, post) for post in (_posts(graph, key, graph.out(key, "HOLDS"), lang)
                                                       if with_posts else ()))]
    return []


def _term(start: Any, end: Any, lang: str, open_end: str | None = None) -> str:
    """``2024-01-01 至 2026-12-31``; an open end reads ``open_end`` (default 今 / now)."""
    return _FROM_TO.format(start=start or "?", end=end or open_end or _NOW.text(lang)).text(lang)


def _post_text(role: str, org_name: str, part_time: bool, lang: str) -> str:
    """``书记（梧桐小区党支部）· 兼职`` / ``secretary (梧桐小区党支部) · part time``."""
    return (_POST_AT.format(role=value_text(role_zh(role), lang), org=org_name).text(lang)
            + (_PART_TIME.text(lang) if part_time else ""))


def _posts(graph: GovernanceGraph, key: NodeKey, holds: Iterable[tuple[NodeKey, dict]], lang: str) -> list[str]:
    """``role（other end's name）`` for each HOLDS relationship, in the other end's order, so a
    list is the same whichever store the graph came from."""
    return [_post_text(props["role"], graph.node(other)["name"], bool(props.get("part_time")), lang)
            for other, props in sorted(holds, key=lambda post: (post[0], post[1]["role"]))]


def _panel(graph: GovernanceGraph, key: NodeKey, marks: list[Mark], as_of: dt.date, lang: str) -> list[list]:
    """The side panel a click opens: ``[heading, [lines]]`` sections, shown as text, never markup."""
    attrs = graph.node(key)
    sections = [[_DETAILS.text(lang), [*_identity(attrs, key[0], lang), *_details(graph, key, lang, with_posts=False)]]]
    posts = _posts(graph, key, [(org, props) for org, props in graph.out(key, "HOLDS") if is_current(props, as_of)],
                   lang)
    posts += _posts(graph, key, [(person, props) for person, props in graph.into(key, "HOLDS")
                                 if is_current(props, as_of)], lang)
    if posts:
        sections.append([_POSTS_HELD.format(day=as_of.isoformat()).text(lang), posts])
    contracts = [(other, props) for other, props in [*graph.out(key, "MANAGES"), *graph.into(key, "MANAGES")]]
    if contracts:
        sections.append([_CONTRACTS.text(lang), [
            _FIELD.format(name=graph.node(other)["name"],
                          value=_term(props.get("start"), props.get("end"), lang)).text(lang)
            + ("" if is_current(props, as_of) else _ENDED.text(lang))
            for other, props in sorted(contracts, key=lambda c: (str(c[1].get("start")), c[0]))]])
    if marks:
        sections.append([_GAPS.text(lang), [f"{mark.code} {mark.text}" for mark in marks]])
    return sections


def _vis_edge(number: int, source: NodeKey, target: NodeKey, props: Mapping[str, Any], lang: str) -> dict:
    rel_type = props["type"]
    title = relationship_words(rel_type).text(lang)
    edge = {"id": number, "from": _vis_id(source), "to": _vis_id(target), "type": rel_type,
            "color": EDGE_COLOURS[rel_type]}
    if rel_type == "HOLDS":
        # ``post`` is the role's code: a comparison matches posts by it in either language
        edge.update(post=props["role"], part_time=bool(props.get("part_time")))
        role = value_text(role_zh(props["role"]), lang)
        title = _FIELD.format(name=title, value=role).text(lang) + (
            _IN_BRACKETS.format(_PART_TIME_WORD.text(lang)).text(lang) if edge["part_time"] else "")
    if rel_type in _CURRENT_TYPES and (props.get("start") or props.get("end")):
        # What a comparison calls a changed post or contract: the same relationship, other dates.
        title += _IN_BRACKETS.format(_term(props.get("start"), props.get("end"), lang)).text(lang)
    edge["title"] = title
    return edge


_BOX_PADDING = 4
_BOX_INDENT = 28.0  # how far right a child's box starts from its parent's
_PARTY_KIND_WORDS = sorted((kind.zh for kind in PartyOrgKind), key=len, reverse=True)


def _wrap(label: str, width: float = 10 * LABEL_FONT) -> str:
    """``label`` cut into lines of even width, each at most about ``width`` (a Chinese character
    is ``LABEL_FONT`` wide): 宜家物业服务有限公司 stays one line, a joint branch's name takes three."""
    lines = math.ceil(_text_width(label, LABEL_FONT) / width)
    if lines <= 1:
        return label
    share, cut, taken = _text_width(label, LABEL_FONT) / lines, [], ""
    for char in label:
        if taken and _text_width(taken + char, LABEL_FONT) > share * 1.001 and len(cut) < lines - 1:
            cut.append(taken)
            taken = ""
        taken += char
    return "\n".join([*cut, taken])


def _short_name(name: str, prefixes: Iterable[str]) -> str:
    """``name`` without the first of ``prefixes`` it starts with, if at least two characters remain."""
    for prefix in prefixes:
        if prefix and name.startswith(prefix) and len(name) - len(prefix) >= 2:
            return name[len(prefix):]
    return name


def _party_stem(name: str) -> str:
    """A party organisation's name without its kind: 永安街社区党委 → 永安街社区."""
    return next((name[:-len(word)] for word in _PARTY_KIND_WORDS if name.endswith(word)), name)


def _text_width(text: str, font_size: float) -> float:
    """About how wide ``text`` is drawn: a Chinese character is square, a Latin one about half."""
    return sum(font_size if ord(char) > 0x2E80 else 0.6 * font_size for char in text)


def _dark(colour: str) -> bool:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.299 * red + 0.587 * green + 0.114 * blue < 150


def _question_title(code: str, lang: str) -> str:
    question = queries.QUESTIONS.get(code.upper())
    if question is None or not question.has_rate:
        raise QueryError(f"unknown coverage rate {code!r}", hint=f"choose one of {queries.code_span(queries.RATE_CODES)}")
    return f"{question.code} {question.title_zh if lang == 'zh' else question.title_en}"
