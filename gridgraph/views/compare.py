"""A view compared with the same view of an older graph: what is new since then, what is gone.

Both sides are drawn by the same view builder, so "in the view" means the same thing on both; a
node or relationship is matched by its ledger id (and a relationship by its ends, type and post).
A node new since OLD gets a thick green outline and halo; a node drawn in OLD's view but no longer
here comes back as a full-size dashed grey ghost, hung where it hung in OLD; a node with another
name is outlined orange and labelled "原名 OLD NAME"; relationships likewise (green, dashed grey,
or orange 变更 for a post with another role, or a post or contract with other dates). A legend block explains and counts the
marks; ``View.changes`` holds the same counts for the command line.
"""

from __future__ import annotations

import datetime as dt
from copy import deepcopy
from typing import Any

from graphmodel.errors import QueryError
from graphmodel.graph import GovernanceGraph

from .build import DEFAULT_NODE_LIMIT, View, ViewTooLarge, build_view
from .style import CHANGED_COLOUR, GONE_COLOUR, NEW_COLOUR, LegendEntry

__all__ = ["COMPARE_KINDS", "compare_view", "mark_changes"]

#: The views that draw things one by one (the overview draws aggregates, which are not compared).
COMPARE_KINDS = ("community", "street", "hierarchy", "people")

NEW, GONE, RENAMED, CHANGED = "new", "gone", "renamed", "changed"  # a node's or edge's "change"
# What the page's "只看" filter calls them (beside the blind-spot codes), so a planner can dim the rest.
_FILTER_CODES = {NEW: "新增", GONE: "已撤销", RENAMED: "更名"}
_NEW_HALO = {"enabled": True, "color": NEW_COLOUR, "size": 24, "x": 0, "y": 0}
_CHANGED_SIZE = 14  # the least size of a new node or a ghost: a person's dot alone would be missed


def compare_view(kind: str, graph: GovernanceGraph, old_graph: GovernanceGraph, area_id: str, *,
                 as_of: dt.date | None = None, as_of_old: dt.date | None = None,
                 limit: int = DEFAULT_NODE_LIMIT, old_name: str = "旧数据") -> View:
    """The ``kind`` view of ``area_id`` in ``graph``, marked against the same view of ``old_graph``.

    ``as_of_old`` is the date ``old_graph`` is asked on (default ``as_of``); ``old_name`` names
    the old side in the legend. An area that is not in ``old_graph`` is new with everything in it.

    Raises
    ------
    QueryError : ``kind`` cannot be compared, or ``area_id`` is no area of ``graph``.
    ViewTooLarge : the view and its ghosts together have more than ``limit`` nodes.
    """
    if kind not in COMPARE_KINDS:
        raise QueryError(f"the {kind} view cannot be compared", hint=f"compare a {', '.join(COMPARE_KINDS)} view")
    as_of = as_of or dt.date.today()
    as_of_old = as_of_old or as_of
    view = build_view(kind, graph, area_id, as_of=as_of, limit=limit)
    try:
        # The old side only says what was drawn: its blind spots are not asked.
        old_view = build_view(kind, old_graph, area_id, as_of=as_of_old, limit=limit, marks={})
    except QueryError:
        old_view = None  # the area itself is new
    mark_changes(view, old_view, f"{old_name}（{as_of_old.isoformat()}）")
    if len(view.nodes) > limit:
        raise ViewTooLarge(f"{view.title}: {len(view.nodes):,} nodes with what is gone is more than the limit "
                           f"of {limit:,}", hint="compare a smaller area; or raise --limit")
    return view


def mark_changes(view: View, old_view: View | None, old_label: str) -> View:
    """Mark ``view`` against ``old_view`` (None: nothing was drawn then), in place; returns it.

    Nodes and edges not in ``old_view`` get ``change = "new"``; those only in ``old_view`` are
    added as ghosts with ``change = "gone"``; the view is laid out again to make room for them.
    """
    old_nodes = {node["id"]: node for node in old_view.nodes} if old_view else {}
    old_edges = {_edge_key(edge): edge for edge in old_view.edges} if old_view else {}
    ids = {node["id"] for node in view.nodes}
    edge_keys = {_edge_key(edge) for edge in view.edges}
    for node in view.nodes:
        if node["id"] not in old_nodes:
            _mark_new_node(node, old_label)
    for node in view.nodes:
        old_name = _name(old_nodes[node["id"]]) if node["id"] in old_nodes else _name(node)
        if old_name != _name(node):
            node.update(change=RENAMED, label=f"{node['label']}\n原名 {old_name}", borderWidth=6,
                        codes=[*node["codes"], _FILTER_CODES[RENAMED]], title=f"更名：原名 {old_name}\n{node['title']}")
            node["color"]["border"] = CHANGED_COLOUR
            node["panel"].insert(1, ["变化", [f"更名：{old_label} 中名为 {old_name}"]])
    # A post whose role changed (委员 → 书记) is one changed line, not a gone one and a new one.
    other_posts: dict[tuple, list[tuple]] = {}
    for key in old_edges:
        if key not in edge_keys:
            other_posts.setdefault(key[:3], []).append(key)
    for edge in view.edges:
        old_edge = old_edges.get(_edge_key(edge))
        if old_edge is None and other_posts.get(_edge_key(edge)[:3]):
            old_edge = old_edges[other_posts[_edge_key(edge)[:3]].pop(0)]
            edge_keys.add(_edge_key(old_edge))  # matched: not a ghost
        if old_edge is None:
            edge.update(change=NEW, color=NEW_COLOUR, width=4, title=f"新增：{edge['title']}")
        elif old_edge["title"] != edge["title"]:  # the same post or contract, another role or other dates
            edge.update(change=CHANGED, color=CHANGED_COLOUR, width=4, label="变更",
                        title=f"变更：{edge['title']}\n原为：{old_edge['title']}")
    ghosts = [_ghost_node(node, old_label) for node_id, node in old_nodes.items() if node_id not in ids]
    view.nodes += ghosts
    view.anchors.update({ghost["id"]: old_view.anchors.get(ghost["id"]) for ghost in ghosts})
    next_id = max((edge["id"] for edge in view.edges), default=-1) + 1
    for number, (key, edge) in enumerate((key, edge) for key, edge in old_edges.items() if key not in edge_keys):
        view.edges.append({**edge, "id": next_id + number, "change": GONE, "color": GONE_COLOUR, "dashes": True,
                           "title": f"已撤销：{edge['title']}"})
    view.place()
    view.change_legend, counts = _change_legend(view, old_label)
    view.changes = {f"{change}{'' if kind == 'node' else ' relationships'}": count
                    for (kind, change), count in counts.items()}
    view.notes.append(f"对比 {old_label}：新增 {counts['node', NEW]:,} 个，已撤销 {counts['node', GONE]:,} 个")
    return view


def _name(node: dict[str, Any]) -> str:
    """A node's full name: its tooltip's first line is ``kind：name`` (the label may be shortened)."""
    return node["title"].split("\n")[0].split("：", 1)[-1]


def _edge_key(edge: dict[str, Any]) -> tuple:
    """A relationship's identity: its ends, its type and (a post) its role."""
    return edge["from"], edge["to"], edge["type"], edge.get("post")


def _mark_new_node(node: dict[str, Any], old_label: str) -> None:
    node["color"]["border"] = NEW_COLOUR
    node["borderWidth"] = 6
    if not node["codes"]:  # a blind spot keeps its red halo; the thick outline says it is new
        node["shadow"] = _NEW_HALO
    node.update(change=NEW, codes=[*node["codes"], _FILTER_CODES[NEW]], hidden=False, folded=False)
    if "size" in node:  # a box (hierarchy) is sized by its label
        node["size"] = max(node["size"], _CHANGED_SIZE)
    node["title"] = f"新增（{old_label} 中没有）\n{node['title']}"
    node["panel"].insert(1, ["变化", [f"新增：{old_label} 中没有"]])


def _ghost_node(old: dict[str, Any], old_label: str) -> dict[str, Any]:
    """A node drawn in the old view only: dashed grey, its old details in the tooltip and panel."""
    ghost = deepcopy(old)
    # At full size, with a grey halo: what is gone must be as easy to see as what is new.
    ghost.update(change=GONE, color={"background": "#ffffff", "border": GONE_COLOUR}, borderWidth=4,
                 shapeProperties={"borderDashes": [5, 4]}, font={**old.get("font", {}), "color": GONE_COLOUR},
                 shadow={**_NEW_HALO, "color": GONE_COLOUR}, hidden=False, folded=False,
                 codes=[_FILTER_CODES[GONE]], title=f"已撤销（仅见于 {old_label}）\n{old['title']}")
    ghost["label"] = f"✕ {old['label']}"
    if "size" in ghost:
        ghost["size"] = max(ghost["size"], _CHANGED_SIZE)
    ghost["panel"].insert(1, ["变化", [f"已撤销：仅见于 {old_label}，现已不在此视图"]])
    return ghost


def _change_legend(view: View, old_label: str) -> tuple[list[LegendEntry], dict[tuple[str, str], int]]:
    """The legend block of the marks, and how many nodes and edges carry each."""
    counts = {(kind, change): 0 for kind in ("node", "edge") for change in (NEW, GONE, RENAMED, CHANGED)}
    for kind, items in (("node", view.nodes), ("edge", view.edges)):
        for item in items:
            if "change" in item:
                counts[kind, item["change"]] += 1
    return [LegendEntry("", "#222222", f"与 {old_label} 相比："),
            LegendEntry("□", NEW_COLOUR, f"绿框/绿晕：新增 {counts['node', NEW]:,}"),
            LegendEntry("◌", GONE_COLOUR, f"灰色虚框：已撤销 {counts['node', GONE]:,}"),
            LegendEntry("□", CHANGED_COLOUR, f"橙框：更名 {counts['node', RENAMED]:,}"),
            LegendEntry("━", NEW_COLOUR, f"绿线：新增关系 {counts['edge', NEW]:,}"),
            LegendEntry("┅", GONE_COLOUR, f"灰色虚线：已撤销关系 {counts['edge', GONE]:,}"),
            LegendEntry("━", CHANGED_COLOUR, f"橙线：任职或合同变更 {counts['edge', CHANGED]:,}")], counts
