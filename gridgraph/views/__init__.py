"""Network views for planners: one self-contained HTML file per view, drawn by pyvis/vis-network.

``community_view``, ``street_view``, ``hierarchy_view``, ``people_view`` and ``overview`` build a
``View`` (nodes, edges, legend) from a ``GovernanceGraph``; ``write_view`` renders it as an offline
HTML file (no external URL, names always shown as text). Each builder takes ``lang`` ("zh", the
default, or "en"): the language of what the view writes itself; names and codes stay as written.
Positions are computed in Python: the
community view opens on its compounds as clusters (buildings and most people folded until a click),
the people view in rows of organisations with people between, the overview radially, each laid out
so that no label lies on another; the street view clusters by community, the hierarchy stands in
columns of whole subtrees. No view runs the browser's physics (``PHYSICS_NODE_LIMIT``, the size
above which it would delay the first draw by seconds, is only the default of a new view kind).
A view over its ``limit`` (default
``DEFAULT_NODE_LIMIT``) is refused with a hint to narrow the scope, except the overview, which
aggregates further. ``compare_view`` marks a view against the same view of an older graph.

    >>> from gridgraph.views import community_view, write_view
    >>> write_view(community_view(graph, "SQ01"), "SQ01.html")  # doctest: +SKIP
"""

from .audits import Mark, blind_spot_marks, coverage_by_group, cross_appointment_marks
from .build import (DEFAULT_NODE_LIMIT, PHYSICS_NODE_LIMIT, SOURCE_NOTE, VIEW_KINDS, View, ViewTooLarge, build_view,
                    community_view, hierarchy_view, overview, people_view, street_view)
from .compare import COMPARE_KINDS, compare_view, mark_changes
from .render import ViewRenderError, render_html, write_view

__all__ = ["View", "ViewTooLarge", "ViewRenderError", "Mark", "VIEW_KINDS", "DEFAULT_NODE_LIMIT", "SOURCE_NOTE",
           "PHYSICS_NODE_LIMIT", "COMPARE_KINDS", "build_view", "compare_view", "mark_changes", "community_view",
           "street_view", "hierarchy_view", "people_view", "overview", "render_html", "write_view", "blind_spot_marks",
           "cross_appointment_marks", "coverage_by_group"]
