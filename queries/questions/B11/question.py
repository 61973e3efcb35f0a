"""B11 需求资源未对接: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...blindspots import _blind_spot, DEMAND, PROJECT, RESOURCE, _spot
from ...embedded import GraphIndex
from ...question import Reason


def fetch_b11(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B11 rows: ListItems of kind demand that no ListItem of kind project MATCHES
    (``unmatched_demand``); of kind resource that no such project MATCHES together with a demand
    (``unused_resource``: no demand uses it)."""
    attrs_of, matches = index.attrs, index.matches
    projects = {key for key, attrs in index.nodes("ListItem") if attrs["kind"] == PROJECT}
    meeting = {project for project in projects
               if any(attrs_of[target]["kind"] == DEMAND for target in matches.get(project, ()))}
    rows = []
    for key, attrs in index.nodes("ListItem"):
        matched_by = index.matched.get(key, ())
        if attrs["kind"] == DEMAND and not any(source in projects for source in matched_by):
            rows.append(_spot(index, key, attrs, as_of, "unmatched_demand"))
        elif attrs["kind"] == RESOURCE and not any(source in meeting for source in matched_by):
            rows.append(_spot(index, key, attrs, as_of, "unused_resource"))
    return rows


QUESTION = _blind_spot("B11", "需求资源未对接", "Unmatched demands and unused resources", fetch_b11, "ListItem",
                       Reason("unmatched_demand", "需求未对接项目", "demand matched by no project",
                              "kind `demand` and no ListItem of kind `project` (a 治理 item is one) MATCHES it"),
                       Reason("unused_resource", "资源未被需求使用", "resource no demand uses",
                              "kind `resource` and no ListItem of kind `project` MATCHES both it and a `demand`. Listed "
                              "here rather than in C17's result because an idle resource is a thing to act on, one by "
                              "one, as an unmet demand is — B11 holds both ends of 对接; C17 is a rate over demands"),
                       seed="三项清单: demands no project meets, resources no demand uses (阳泉矿区, 莒南's 需求、资源、治理)")
