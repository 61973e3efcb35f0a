"""What a graph holds: counts per label and relationship type, and per street (``gridgraph stats``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from graphmodel.graph import GovernanceGraph
from graphmodel.schema import NODE_MODELS, RELATIONSHIPS

from .embedded import GraphIndex
from .results import label_en
from .tables import Column, Table, Words

__all__ = ["graph_stats", "STREET_COUNTED"]

#: What the per-street table counts, in column order: (label, column key, zh, en).
STREET_COUNTED = (("Community", "communities", "社区", "communities"),
                  ("Compound", "compounds", "小区", "compounds"),
                  ("Building", "buildings", "楼栋", "buildings"),
                  ("Grid", "grids", "网格", "grids"),
                  ("PartyOrg", "party_orgs", "党组织", "party orgs"))

_PLACED_BY_PARENT = frozenset({"Compound", "Building", "Grid"})


def graph_stats(graph: GovernanceGraph, as_of: dt.date | None = None) -> list[Table]:
    """Three tables: nodes per label, relationships per type, and counts per street.

    A thing is in the street docs/definitions.md places it in (a party organisation where its
    first BASED_IN target is); things placed in no street are counted in a last row.

    Examples
    --------
    >>> [table.code for table in graph_stats(GovernanceGraph())]
    ['stats-labels', 'stats-relationships', 'stats-streets']
    """
    as_of = as_of or dt.date.today()
    labels = Table("stats-labels", "节点", "Nodes",
                   [Column("label", "类型", "label"), Column("zh", "名称", "name"),
                    Column("count", "数量", "count")],
                   [{"label": label, "zh": Words(NODE_MODELS[label].zh, label_en(label)), "count": count}
                    for label, count in graph.label_counts().items()])
    relationships = Table("stats-relationships", "关系", "Relationships",
                          [Column("type", "类型", "type"), Column("zh", "名称", "name"),
                           Column("count", "数量", "count")],
                          [{"type": rel_type, "zh": Words(RELATIONSHIPS[rel_type].zh, rel_type.lower().replace("_", " ")),
                            "count": count}
                           for rel_type, count in graph.relationship_counts().items()])
    index = GraphIndex(graph)
    counts: dict[str | None, Counter] = {key[1]: Counter() for key, _ in graph.nodes("Street")}
    for label, column, _, _ in STREET_COUNTED:
        # Buildings, compounds and grids are placed by their parent: count them by parent first,
        # then place each parent once (a city has 150,000 buildings but 15,000 compounds).
        keys = graph.keys(label)  # keys only: stats never reads a node's attributes
        anchors = Counter(map(index.parent.get, keys) if label in _PLACED_BY_PARENT else keys)
        for anchor, count in anchors.items():
            street_id = index.place_fields(anchor, as_of)["street_id"] if anchor is not None else None
            counts.setdefault(street_id, Counter())[column] += count
    rows = []
    for street_id, counter in counts.items():
        if street_id is None:
            continue
        street = graph.node(("Street", street_id))
        district = index.parent.get(("Street", street_id))
        rows.append({"district": graph.node(district)["name"] if district else "",
                     "street_id": street_id, "street": street["name"],
                     **{column: counter[column] for _, column, _, _ in STREET_COUNTED}})
    rows.sort(key=lambda row: (row["district"], row["street_id"]))
    if counts.get(None):
        rows.append({"district": "", "street_id": "", "street": Words("（未归属街道）", "(no street)"),
                     **{column: counts[None][column] for _, column, _, _ in STREET_COUNTED}})
    streets = Table("stats-streets", "各街道", "Per street",
                    [Column("district", "区县", "district"), Column("street_id", "街道编码", "street id"),
                     Column("street", "街道", "street"),
                     *(Column(column, zh, en) for _, column, zh, en in STREET_COUNTED)], rows)
    return [labels, relationships, streets]
