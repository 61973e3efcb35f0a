"""Node positions computed in Python, so the browser draws at once instead of simulating physics.

Both layouts are linear in the number of nodes. NetworkX's force-directed layouts are quadratic
(``spring_layout`` takes about 30 s for 3,000 nodes on one core; see benchmarks/VIEWS.md), so each
view instead hangs its nodes on a spanning forest ("anchors": a building on its compound, a party
branch on what it is based in) and places that forest radially or top-down.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping

__all__ = ["radial_layout", "tree_layout", "column_tree_layout"]

Position = tuple[float, float]


def radial_layout(keys: Iterable[Hashable], anchor: Mapping[Hashable, Hashable | None], *,
                  spacing: float = 45.0, ring_gap: float = 160.0,
                  inner_share: float = 0.0) -> dict[Hashable, Position]:
    """Place a forest on concentric rings: roots in the middle, each subtree in its own sector.

    Parameters
    ----------
    keys : the nodes to place.
    anchor : each node's parent in the forest (``None`` or absent for a root). Anchors outside
        ``keys`` and anchors on a cycle are treated as absent.
    spacing : the least arc length, in pixels, between neighbours on one ring.
    ring_gap : the least distance between rings.
    inner_share : the least radius of the first ring, as a share of the outermost ring's: room for
        the labels of the nodes nearest the root, which a view labels at every zoom.

    Returns
    -------
    dict mapping each key to ``(x, y)``. A sector's angle is proportional to the square root of
    its number of leaves (so small subtrees beside large ones stay readable); a ring's radius
    grows until the narrowest sector on it is ``spacing`` wide (at most twice the radius that
    would fit its nodes evenly spaced).
    """
    roots, children = _forest(keys, anchor)
    weights = {key: count ** 0.5 for key, count in _leaf_counts(roots, children).items()}
    narrowest: dict[int, float] = {}  # per ring, the smallest sector a node got
    counts: dict[int, int] = {}
    placed: list[tuple[Hashable, int, float]] = []  # (key, depth, angle)
    # A single root sits in the centre; several roots share the first ring around an empty centre.
    stack = [(root, 0 if len(roots) == 1 else 1, angle, span)
             for root, angle, span in _sectors(roots, weights, 0.0, 2 * math.pi)]
    while stack:
        key, depth, start, span = stack.pop()
        placed.append((key, depth, start + span / 2))
        narrowest[depth] = min(span, narrowest.get(depth, span))
        counts[depth] = counts.get(depth, 0) + 1
        stack.extend((child, depth + 1, angle, child_span)
                     for child, angle, child_span in _sectors(children[key], weights, start, span))
    radius = {0: 0.0}
    for depth in range(1, max(narrowest, default=0) + 1):
        evenly_spaced = counts.get(depth, 0) * spacing / (2 * math.pi)
        radius[depth] = max(radius[depth - 1] + ring_gap,
                            min(spacing / narrowest.get(depth, 2 * math.pi), 2 * evenly_spaced))
    if len(radius) > 2:
        radius[1] = max(radius[1], inner_share * radius[len(radius) - 1])
        for depth in range(2, len(radius)):
            radius[depth] = max(radius[depth], radius[depth - 1] + ring_gap)
    return {key: (round(radius[depth] * math.cos(angle), 1), round(radius[depth] * math.sin(angle), 1))
            for key, depth, angle in placed}


def tree_layout(keys: Iterable[Hashable], anchor: Mapping[Hashable, Hashable | None], *,
                spacing: float = 70.0, level_gap: float = 150.0) -> dict[Hashable, Position]:
    """Place a forest top-down: roots on the top row, each parent centred over its children.

    Leaves take consecutive slots ``spacing`` apart, left to right in depth-first order, so
    subtrees never overlap; each level is at least ``level_gap`` below its parent's, more when the
    tree is wide, so that it keeps about a screen's 2:1 shape instead of a thin strip.
    """
    roots, children = _forest(keys, anchor)
    positions: dict[Hashable, Position] = {}
    next_slot = 0
    # Iterative post-order: a parent is placed after its children.
    stack: list[tuple[Hashable, int, bool]] = [(root, 0, False) for root in reversed(roots)]
    while stack:
        key, depth, children_done = stack.pop()
        kids = children[key]
        if not kids:
            positions[key] = (next_slot * spacing, depth * level_gap)
            next_slot += 1
        elif children_done:
            xs = [positions[kid][0] for kid in kids]
            positions[key] = ((min(xs) + max(xs)) / 2, depth * level_gap)
        else:
            stack.append((key, depth, True))
            stack.extend((kid, depth + 1, False) for kid in reversed(kids))
    levels = max((y for _, y in positions.values()), default=0) / level_gap
    if levels:
        stretch = max(1.0, (next_slot - 1) * spacing / (2 * levels * level_gap))
        positions = {key: (x, y * stretch) for key, (x, y) in positions.items()}
    return positions


def column_tree_layout(keys: Iterable[Hashable], anchor: Mapping[Hashable, Hashable | None],
                       widths: Mapping[Hashable, float], *, row_height: float = 34.0, indent: float = 28.0,
                       column_gap: float = 36.0, aspect: float = 1.8) -> dict[Hashable, Position]:
    """Place a forest as an indented list (one row per node, each level ``indent`` further right)
    cut into side-by-side columns, so a tree of a few hundred labelled boxes fits one screen.

    ``widths`` are the nodes' drawn widths: a node's centre is placed so that its left edge sits
    on its level's indent. The list is cut where a column is closest to an even share of the rows,
    preferring cuts before shallow nodes (a new subtree) to cuts inside one; the number of columns
    is the one whose whole is closest to ``aspect`` (width : height) — a screen's shape.
    """
    roots, children = _forest(keys, anchor)
    rows: list[tuple[Hashable, int]] = []  # pre-order: (key, depth)
    stack = [(root, 0) for root in reversed(roots)]
    while stack:
        key, depth = stack.pop()
        rows.append((key, depth))
        stack.extend((kid, depth + 1) for kid in reversed(children[key]))
    if not rows:
        return {}

    def columns_of(count: int) -> list[list[tuple[Hashable, int]]]:
        cuts = [0]
        share = len(rows) / count
        for number in range(1, count):
            ideal = number * share
            # A cut costs its distance from the even share plus, per level of depth, a tenth of a
            # column; it is looked for within half a column of the even share.
            candidates = range(max(cuts[-1] + 1, int(ideal - share / 2)), min(len(rows), int(ideal + share / 2) + 1))
            if candidates:
                cuts.append(min(candidates, key=lambda i: abs(i - ideal) + rows[i][1] * share / 10))
        return [rows[start:end] for start, end in zip(cuts, [*cuts[1:], len(rows)])]

    def extent(column: list[tuple[Hashable, int]]) -> float:
        return max(depth * indent + widths[key] for key, depth in column)

    def shape_error(columns) -> float:
        width = sum(extent(column) for column in columns) + column_gap * (len(columns) - 1)
        height = max(len(column) for column in columns) * row_height
        return abs(math.log(width / height / aspect))

    most = min(len(rows), 2 * math.isqrt(len(rows)) + 2)  # far past a screen's shape for any tree
    best = min((columns_of(count) for count in range(1, most + 1)), key=shape_error)
    positions: dict[Hashable, Position] = {}
    left = 0.0
    for column in best:
        for row, (key, depth) in enumerate(column):
            positions[key] = (round(left + depth * indent + widths[key] / 2, 1), row * row_height)
        left += extent(column) + column_gap
    return positions


def _forest(keys: Iterable[Hashable], anchor: Mapping[Hashable, Hashable | None]):
    """Roots and child lists of the forest ``anchor`` draws over ``keys``, cycles broken."""
    keys = list(keys)
    members = set(keys)
    children: dict[Hashable, list[Hashable]] = {key: [] for key in keys}
    roots = []
    for key in keys:
        parent = anchor.get(key)
        if parent in members and parent != key:
            children[parent].append(key)
        else:
            roots.append(key)
    # Nodes on an anchor cycle are reachable from no root: cut each cycle once and make it a root.
    reached = _reachable(roots, children)
    for key in keys:
        if key not in reached:
            children[anchor[key]].remove(key)
            roots.append(key)
            reached |= _reachable([key], children)
    return roots, children


def _reachable(roots: list[Hashable], children: Mapping[Hashable, list[Hashable]]) -> set:
    seen = set(roots)
    stack = list(roots)
    while stack:
        for child in children[stack.pop()]:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def _leaf_counts(roots: list[Hashable], children: Mapping[Hashable, list[Hashable]]) -> dict:
    counts: dict[Hashable, int] = {}
    stack: list[tuple[Hashable, bool]] = [(root, False) for root in roots]
    while stack:
        key, children_done = stack.pop()
        if children_done:
            counts[key] = sum(counts[kid] for kid in children[key]) or 1
        else:
            stack.append((key, True))
            stack.extend((kid, False) for kid in children[key])
    return counts


def _sectors(keys: list[Hashable], weights: Mapping[Hashable, float], start: float, span: float):
    """Split the sector ``[start, start + span)`` among ``keys`` in proportion to their weights."""
    total = sum(weights[key] for key in keys)
    for key in keys:
        share = span * weights[key] / total
        yield key, start, share
        start += share
