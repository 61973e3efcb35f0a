"""C17 需求办结率: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...coverage import assemble_list_closure, is_closed_by, NOT_CLOSED, _rate
from ...embedded import GraphIndex
from ...results import ListClosureResult


def fetch_c17(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C17 rows: one per ListItem (any kind) raised on or before ``as_of`` (or with no ``raised``
    date), shape of C1 (placed as B11 places it) with its ``kind``; ``covered``: closed by
    ``as_of`` (see :func:`is_closed_by`). The rate is over the demands; every kind is counted.
    """
    day = dt.date.fromisoformat(as_of)
    return [{"id": key[1], "name": attrs["name"], **fields, "kind": attrs["kind"], "covered": is_closed_by(attrs, day)}
            for key, attrs, fields in index.placed_nodes("ListItem", day)
            if attrs.get("raised") is None or attrs["raised"] <= day]


QUESTION = _rate("C17", "需求办结率", "Demands closed", fetch_c17, "ListItem",
                 "its `closed` date is on or before the as-of date, or it has no `closed` date and its `status` is "
                 "`closed` (办结). The result also counts the ListItems of every kind (`demand`, `resource`, `project`; "
                 "a 问题 is a demand, a 治理 a project: 莒南's 需求、资源、治理) in scope with no `raised` date or one on "
                 "or before the as-of date (`kinds`)", NOT_CLOSED,
                 denominator="ListItem of kind `demand` with no `raised` date or one on or before the as-of date "
                             "(placed as in B11)", assemble=assemble_list_closure, result_type=ListClosureResult,
                 seed="贺州: 67 demands, 36 solved; 莒南's 需求、资源、治理 and 阳泉矿区's 434/558/314 lists (the kinds)")
