"""X5 职务集中: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graphmodel.rules import MANY_POSTS_DEFAULT

from ...cross import assemble_concentration, _cross, post_rows
from ...embedded import GraphIndex
from ...question import Parameter
from ...results import ConcentrationResult


def fetch_x5(index: GraphIndex, as_of: str, n: int) -> list[dict[str, Any]]:
    """X5 rows: every current post (post rows, as X1) of each person with more than ``n`` current posts."""
    day = dt.date.fromisoformat(as_of)
    return post_rows(index, day, lambda posts: len(posts) > n)


QUESTION = _cross("X5", "职务集中", "People with many posts", fetch_x5, assemble_concentration, ConcentrationResult,
                  "people with more than N current posts (HOLDS relationships)", ("many_posts",),
                  n=Parameter(MANY_POSTS_DEFAULT, "--max-posts", "count", 0, "list people holding more than N current posts."),
                  seed="no seed figure: the load of the few who hold many posts")
