"""S1 组织体系统计: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from graphmodel.rules import is_open_venue

from ...embedded import GraphIndex, PLACE_KEYS
from ...question import Question
from ...results import BRANCH_BASES, StructureResult
from ...structure import assemble_structure, BRANCH, branch_base, CENTRAL_HOUSEHOLD, COUNTED_LABELS


def fetch_s1(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """S1 rows: how many of each counted thing lie in each place (see the module docstring).

    Counted: every Community, Grid, Compound, Building and open Venue; every PartyOrg by its
    ``kind``, and every 党支部 again by :func:`branch_base`; every post current on ``as_of`` with
    role ``central_household`` (党员中心户), placed where the organisation or building it is held in is.
    """
    day = dt.date.fromisoformat(as_of)
    counts: Counter = Counter()
    for label in COUNTED_LABELS:
        for _, attrs, fields in index.placed_nodes(label, day):
            if label != "Venue" or is_open_venue(attrs.get("open")):
                counts[label, *fields.values()] += 1
    for key, attrs in index.nodes("PartyOrg"):
        place = index.place_fields(key, day).values()
        counts[attrs["kind"], *place] += 1
        if attrs["kind"] == BRANCH:
            counts[f"branch_in_{branch_base(index, key)}", *place] += 1
    for posts in index.people_with_current_posts(day).values():
        for org, props in posts:
            if props["role"] == CENTRAL_HOUSEHOLD:
                counts[CENTRAL_HOUSEHOLD, *index.place_fields(org, day).values()] += 1
    return [{"counted": counted, **dict(zip(PLACE_KEYS, place)), "count": count}
            for (counted, *place), count in counts.items()]


QUESTION = Question(code="S1", fetch=fetch_s1, title_zh="组织体系统计", title_en="Five-level structure", kind="structure",
                    assemble=assemble_structure, result_type=StructureResult, counted="Street or Community",
                    rule="per street (per community with `--by community`; without `--by`, per street, or per community "
                         "in a community's scope) and in total: "
                         "PartyOrgs by `kind` (each placed where its first BASED_IN target is); the `branch` (党支部) "
                         "also split by the label of that first target (the seeds' levels: 阳泉's \"6个街道大工委、50个社区"
                         "大党委、295个网格党支部、734个楼栋党小组，4271个党员中心户\" is `working_committee`, "
                         "`committee`, the **grid** branches, `group` and the 中心户, not every 党支部): "
                         + ", ".join(f"{zh} `{base}`" for base, (zh, _) in BRANCH_BASES.items())
                         + " (Grid; Compound or Building; OwnerCommittee; PropertyCompany; ResidentUnit; Community; "
                         "anything else or nothing), the split summing to the 党支部; current posts with role "
                         "`central_household` (党员中心户, also written 党员联系户; placed where the organisation or "
                         "building they are held in is), Communities, Grids, Compounds, Buildings and open Venues (one "
                         "whose `open` is false counts in no question; placed where their first LOCATED_IN target is); a "
                         "未归属 row counts what lies in scope but in no street (community)",
                    seed='阳泉: "6个街道大工委、50个社区大党委、295个网格党支部、734个楼栋党小组，4271个党员中心户"; '
                         "上站: 66 网格党支部, 225 党小组, 906 中心户")
