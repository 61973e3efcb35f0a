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
from graphmodel.words import Words

from .build import DEFAULT_NODE_LIMIT, View, ViewTooLarge, build_view
from .style import CHANGED_COLOUR, GONE_COLOUR, NEW_COLOUR, LegendEntry

__all__ = ["COMPARE_KINDS", "compare_view", "mark_changes"]

#: The views that draw things one by one (the overview draws aggregates, which are not compared).
COMPARE_KINDS = ("community", "street", "hierarchy", "people")

NEW, GONE, RENAMED, CHANGED = "new", "gone", "renamed", "changed"  # a node's or edge's "change"
# What the page's "只看" filter calls them (beside the blind-spot codes), so a planner can dim the rest.
_FILTER_CODES = {NEW: Words("新增", "new"), GONE: Words("已撤销", "gone"), RENAMED: Words("更名", "renamed")}
_OLD_DATA = Words("旧数据", "the old data")
_OLD_ON = Words("{name}（{day}）", "{name} ({day})")
_FORMERLY = Words("原名 {name}", "formerly {name}")
_RENAMED_TITLE = Words("更名：原名 {name}", "Renamed: formerly {name}")
_CHANGE = Words("变化", "Change")
_RENAMED_PANEL = Words("更名：{old} 中名为 {name}", "Renamed: named {name} in {old}")
_NEW_EDGE = Words("新增：{title}", "New: {title}")
_CHANGED_LABEL = Words("变更", "changed")
_CHANGED_EDGE = Words("变更：{title}\n原为：{old}", "Changed: {title}\nwas: {old}")
_GONE_EDGE = Words("已撤销：{title}", "Gone: {title}")
_COMPARED_NOTE = Words("对比 {old}：新增 {new} 个，已撤销 {gone} 个", "Compared with {old}: {new} new, {gone} gone")
_NEW_TITLE = Words("新增（{old} 中没有）", "New (not in {old})")
_NEW_PANEL = Words("新增：{old} 中没有", "New: not in {old}")
_GONE_TITLE = Words("已撤销（仅见于 {old}）", "Gone (only in {old})")
_GONE_PANEL = Words("已撤销：仅见于 {old}，现已不在此视图", "Gone: only in {old}, no longer in this view")
_LEGEND = (Words("与 {old} 相比：", "Compared with {old}:"),
           Words("绿框/绿晕：新增 {new}", "Green outline, green halo: new {new}"),
           Words("灰色虚框：已撤销 {gone}", "Dashed grey outline: gone {gone}"),
           Words("橙框：更名 {renamed}", "Orange outline: renamed {renamed}"),
           Words("绿线：新增关系 {new_edges}", "Green line: new relationship {new_edges}"),
           Words("灰色虚线：已撤销关系 {gone_edges}", "Dashed grey line: gone relationship {gone_edges}"),
           Words("橙线：任职或合同变更 {changed_edges}", "Orange line: post or contract changed {changed_edges}"))
_NEW_HALO = {"enabled": True, "color": NEW_COLOUR, "size": 24, "x": 0, "y": 0}
_CHANGED_SIZE = 14  # the least size of a new node or a ghost: a person's dot alone would be missed


def compare_view(kind: str, graph: GovernanceGraph, old_graph: GovernanceGraph, area_id: str, *,
                 as_of: dt.date | None = None, as_of_old: dt.date | None = None,
                 limit: int = DEFAULT_NODE_LIMIT, old_name: str | None = None, lang: str = "zh") -> View:
    """The ``kind`` view of ``area_id`` in ``graph``, marked against the same view of ``old_graph``.

    ``as_of_old`` is the date ``old_graph`` is asked on (default ``as_of``); ``old_name`` names
    the old side in the legend (default 旧数据 / the old data); ``lang`` is the language the view
    writes in. An area that is not in ``old_graph`` is new with everything in it.

    Raises
    ------
    QueryError : ``kind`` cannot be compared, or ``area_id`` is no area of ``graph``.
    ViewTooLarge : the view and its ghosts together have more than ``limit`` nodes.
    """
    if kind not in COMPARE_KINDS:
        raise QueryError(f"the {kind} view cannot be compared", hint=f"compare a {', '.join(COMPARE_KINDS)} view")
    as_of = as_of or dt.date.today()
    as_of_old = as_of_old or as_of
    view = build_view(kind, graph, area_id, as_of=as_of, limit=limit, lang=lang)
    try:
        # The old side only says what was drawn: its blind spots are not asked.
        old_view = build_view(kind, old_graph, area_id, as_of=as_of_old, limit=limit, marks={}, lang=lang)
    except QueryError:
        old_view = None  # the area itself is new
    mark_changes(view, old_view, _OLD_ON.format(name=old_name or _OLD_DATA.text(lang),
                                                day=as_of_old.isoformat()).text(lang))
    if len(view.nodes) > limit:
        raise ViewTooLarge(f"{view.title}: {len(view.nodes):,} nodes with what is gone is more than the limit "
                           f"of {limit:,}", hint="compare a smaller area; or raise --limit")
    return view


def mark_changes(view: View, old_view: View | None, old_label: str) -> View:
    """Mark ``view`` against ``old_view`` (None: nothing was drawn then), in place; returns it.

    Nodes and edges not in ``old_view`` get ``change = "new"``; those only in ``old_view`` are
    added as ghosts with ``change = "gone"``; the view is laid out again to make room for them.
    """
    lang = view.lang
    old_nodes = {node["id"]: node for node in old_view.nodes} if old_view else {}
    old_edges = {_edge_key(edge): edge for edge in old_view.edges} if old_view else {}
    ids = {node["id"] for node in view.nodes}
    edge_keys = {_edge_key(edge) for edge in view.edges}
    for node in view.nodes:
        if node["id"] not in old_nodes:
            _mark_new_node(node, old_label, lang)
    for node in view.nodes:
        old_name = old_nodes[node["id"]]["name"] if node["id"] in old_nodes else node["name"]
        if old_name != node["name"]:
            node.update(change=RENAMED, label=f"{node['label']}\n{_FORMERLY.format(name=old_name).text(lang)}",
                        borderWidth=6, codes=[*node["codes"], _FILTER_CODES[RENAMED].text(lang)],
                        title=f"{_RENAMED_TITLE.format(name=old_name).text(lang)}\n{node['title']}")
            node["color"]["border"] = CHANGED_COLOUR
            node["panel"].insert(1, [_CHANGE.text(lang), [_RENAMED_PANEL.format(old=old_label, name=old_name).text(lang)]])
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
            edge.update(change=NEW, color=NEW_COLOUR, width=4, title=_NEW_EDGE.format(title=edge["title"]).text(lang))
        elif old_edge["title"] != edge["title"]:  # the same post or contract, another role or other dates
            edge.update(change=CHANGED, color=CHANGED_COLOUR, width=4, label=_CHANGED_LABEL.text(lang),
                        title=_CHANGED_EDGE.format(title=edge["title"], old=old_edge["title"]).text(lang))
    ghosts = [_ghost_node(node, old_label, lang) for node_id, node in old_nodes.items() if node_id not in ids]
    view.nodes += ghosts
    view.anchors.update({ghost["id"]: old_view.anchors.get(ghost["id"]) for ghost in ghosts})
    next_id = max((edge["id"] for edge in view.edges), default=-1) + 1
    for number, (key, edge) in enumerate((key, edge) for key, edge in old_edges.items() if key not in edge_keys):
        view.edges.append({**edge, "id": next_id + number, "change": GONE, "color": GONE_COLOUR, "dashes": True,
                           "title": _GONE_EDGE.format(title=edge["title"]).text(lang)})
    view.place()
    view.change_legend, counts = _change_legend(view, old_label)
    view.changes = {f"{change}{'' if kind == 'node' else ' relationships'}": count
                    for (kind, change), count in counts.items()}
    view.notes.append(_COMPARED_NOTE.format(old=old_label, new=f"{counts['node', NEW]:,}",
                                            gone=f"{counts['node', GONE]:,}").text(lang))
    return view


def _edge_key(edge: dict[str, Any]) -> tuple:
    """A relationship's identity: its ends, its type and (a post) its role."""
    return edge["from"], edge["to"], edge["type"], edge.get("post")


def _mark_new_node(node: dict[str, Any], old_label: str, lang: str) -> None:
    node["color"]["border"] = NEW_COLOUR
    node["borderWidth"] = 6
    if not node["codes"]:  # a blind spot keeps its red halo; the thick outline says it is new
        node["shadow"] = _NEW_HALO
    node.update(change=NEW, codes=[*node["codes"], _FILTER_CODES[NEW].text(lang)], hidden=False, folded=False)
    if "size" in node:  # a box (hierarchy) is sized by its label
        node["size"] = max(node["size"], _CHANGED_SIZE)
    node["title"] = f"{_NEW_TITLE.format(old=old_label).text(lang)}\n{node['title']}"
    node["panel"].insert(1, [_CHANGE.text(lang), [_NEW_PANEL.format(old=old_label).text(lang)]])


def _ghost_node(old: dict[str, Any], old_label: str, lang: str) -> dict[str, Any]:
    """A node drawn in the old view only: dashed grey, its old details in the tooltip and panel."""
    ghost = deepcopy(old)
    # At full size, with a grey halo: what is gone must be as easy to see as what is new.
    ghost.update(change=GONE, color={"background": "#ffffff", "border": GONE_COLOUR}, borderWidth=4,
                 shapeProperties={"borderDashes": [5, 4]}, font={**old.get("font", {}), "color": GONE_COLOUR},
                 shadow={**_NEW_HALO, "color": GONE_COLOUR}, hidden=False, folded=False,
                 codes=[_FILTER_CODES[GONE].text(lang)],
                 title=f"{_GONE_TITLE.format(old=old_label).text(lang)}\n{old['title']}")
    ghost["label"] = f"✕ {old['label']}"
    if "size" in ghost:
        ghost["size"] = max(ghost["size"], _CHANGED_SIZE)
    ghost["panel"].insert(1, [_CHANGE.text(lang), [_GONE_PANEL.format(old=old_label).text(lang)]])
    return ghost


def _change_legend(view: View, old_label: str) -> tuple[list[LegendEntry], dict[tuple[str, str], int]]:
    """The legend block of the marks, and how many nodes and edges carry each."""
    counts = {(kind, change): 0 for kind in ("node", "edge") for change in (NEW, GONE, RENAMED, CHANGED)}
    for kind, items in (("node", view.nodes), ("edge", view.edges)):
        for item in items:
            if "change" in item:
                counts[kind, item["change"]] += 1
    figures = {"old": old_label, "new": f"{counts['node', NEW]:,}", "gone": f"{counts['node', GONE]:,}",
               "renamed": f"{counts['node', RENAMED]:,}", "new_edges": f"{counts['edge', NEW]:,}",
               "gone_edges": f"{counts['edge', GONE]:,}", "changed_edges": f"{counts['edge', CHANGED]:,}"}
    looks = [("", "#222222"), ("□", NEW_COLOUR), ("◌", GONE_COLOUR), ("□", CHANGED_COLOUR), ("━", NEW_COLOUR),
             ("┅", GONE_COLOUR), ("━", CHANGED_COLOUR)]
    return [LegendEntry(glyph, colour, words.format(**figures).text(view.lang))
            for (glyph, colour), words in zip(looks, _LEGEND)], counts
