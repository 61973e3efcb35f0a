"""Node positions computed in Python, so the browser draws at once instead of simulating physics.

Both layouts are linear in the number of nodes. NetworkX's force-directed layouts are quadratic
(``spring_layout`` takes about 30 s for 3,000 nodes on one core; see benchmarks/VIEWS.md), so each
view instead hangs its nodes on a spanning forest ("anchors": a building on its compound, a party
branch on what it is based in) and places that forest radially or top-down.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping

__all__ = ["radial_layout", "tree_layout", "column_tree_layout", "cluster_layout", "cluster_heads", "bipartite_layout", "spread", "Box"]

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
    on its level's indent. The list is cut only before a whole subtree (a root's or a root's
    child's), filling each column up to a height; the height is the one at which the whole, fitted
    to a screen of shape ``aspect`` (width : height), is drawn largest.
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

    # A column starts only where a whole subtree does (a root's or a root's child's), so that a
    # child always sits under its parent, in the same column, below the roots.
    starts = [i for i, (_, depth) in enumerate(rows) if i and depth <= 1]
    blocks = [rows[start:end] for start, end in zip([0, *starts], [*starts, len(rows)])]

    def columns_of(most_rows: int) -> list[list[tuple[Hashable, int]]]:
        """Whole blocks, in order, into columns of at most ``most_rows`` rows (or one block)."""
        columns: list[list[tuple[Hashable, int]]] = [[]]
        for block in blocks:
            if columns[-1] and len(columns[-1]) + len(block) > most_rows:
                columns.append([])
            columns[-1].extend(block)
        return columns

    def extent(column: list[tuple[Hashable, int]]) -> float:
        return max(depth * indent + widths[key] for key, depth in column)

    def drawn_size(columns) -> float:
        """How large the whole is on a screen of shape ``aspect``: the smaller, the larger each label."""
        width = sum(extent(column) for column in columns) + column_gap * (len(columns) - 1)
        height = max(len(column) for column in columns) * row_height
        return max(width / aspect, height)

    heights, height = [], max(len(block) for block in blocks)
    while height < len(rows):
        heights.append(height)
        height = math.ceil(height * 1.1)
    best = min((columns_of(most) for most in [*heights, len(rows)]), key=drawn_size)
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


#: A node's drawn extent with its label: ``(width, height, centre offset)``, the offset being how
#: far below the node's position the middle of shape and label together lies.
Box = tuple[float, float, float]


def cluster_layout(keys: Iterable[Hashable], anchor: Mapping[Hashable, Hashable | None],
                   boxes: Mapping[Hashable, Box], *, heads: Iterable[Hashable],
                   links: Mapping[Hashable, Iterable[Hashable]], hidden: Iterable[Hashable] = (),
                   gap: float = 14.0, aspect: float = 1.55) -> dict[Hashable, Position]:
    """Place a forest as labelled clusters: each head with what hangs on it around it, no label
    on another.

    Parameters
    ----------
    keys, anchor : the forest (as in ``radial_layout``); a root's cluster is drawn on top.
    boxes : every key's drawn extent (``Box``); a hidden key's sizes the ring it waits on.
    heads : the keys that head a cluster (a compound); a key belongs to the first head or root
        up its anchor chain.
    links : keys drawn between others (a person between the organisations they link): at the
        free spot nearest the middle of their links, after the clusters.
    hidden : keys not shown at first: on a ring around their anchor (they may overlap others).
    gap : the least distance between two boxes.
    aspect : the width : height of the screen the clusters are arranged to fill (rows of
        clusters, as many per row as draws the whole largest).
    """
    keys = list(keys)
    roots, children = _forest(keys, anchor)
    hidden = set(hidden)
    head_set = set(heads)
    heads = [key for key in keys if key in head_set]
    cluster_of = cluster_heads(keys, anchor, head_set)
    shown = [key for key in keys if key not in hidden and key not in links]
    # Each cluster alone, around its head at (0, 0).
    local: dict[Hashable, dict[Hashable, Position]] = {}
    for head in [*(root for root in roots if root in cluster_of.values()), *heads]:
        members = [key for key in shown if cluster_of.get(key) == head and key != head]
        if head in local or head not in shown and not members:
            continue
        local[head] = spread(_spiral(head, members, boxes, gap), boxes, gap=gap)
    # Roots' clusters on the top row, head clusters in rows below it, each row centred.
    sizes = {head: (right - left, bottom - upper) for head, (left, upper, right, bottom) in
             ((head, _extent(placed, boxes)) for head, placed in local.items())}
    top = [head for head in local if head not in head_set]
    rest = [head for head in local if head in head_set]

    def rows_of(count: int) -> list[list[Hashable]]:
        return [top] + [rest[start:start + count] for start in range(0, len(rest), count)]

    between = 4 * gap  # room for the people drawn between clusters

    def drawn_size(count: int) -> float:
        """How large the whole is on a screen of shape ``aspect``: the smaller, the larger each label."""
        rows = rows_of(count)
        width = max(sum(sizes[head][0] + between for head in row) for row in rows)
        height = sum(max((sizes[head][1] for head in row), default=0.0) + between for row in rows)
        return max(width / aspect, height)

    positions: dict[Hashable, Position] = {}
    row_top = 0.0
    for row in rows_of(min(range(1, max(len(rest), 1) + 1), key=drawn_size)):
        left = -sum(sizes[head][0] + between for head in row) / 2
        height = max((sizes[head][1] for head in row), default=0.0)
        for head in row:
            (x0, y0, x1, y1), (x, y) = _extent(local[head], boxes), (left + sizes[head][0] / 2, row_top + height / 2)
            shift_x, shift_y = x - (x0 + x1) / 2, y - (y0 + y1) / 2
            positions.update({key: (px + shift_x, py + shift_y) for key, (px, py) in local[head].items()})
            left += sizes[head][0] + between
        row_top += height + between
    # A linked key between its links: at the free spot nearest the middle of them.
    for key in keys:
        if key in links and key not in hidden:
            ends = [positions[end] for end in links[key] if end in positions] or [(0.0, 0.0)]
            middle = (sum(x for x, _ in ends) / len(ends), sum(y for _, y in ends) / len(ends))
            positions[key] = _free_spot(middle, boxes[key], [(positions[other], boxes[other]) for other in positions
                                                             if other in boxes], gap)
    # The rest on rings around what they hang on, in anchor order so that an anchor comes first.
    unplaced = set(keys) - set(positions)
    for key, parent in _preorder(roots, children):
        if key not in unplaced:
            continue
        around = positions.get(parent, (0.0, 0.0))
        siblings = [kid for kid in children[parent] if kid in unplaced] if parent is not None else [key]
        angle = 2 * math.pi * siblings.index(key) / len(siblings)
        radius = max(60.0, sum(boxes.get(kid, (40.0,))[0] + gap for kid in siblings) / (2 * math.pi))
        positions[key] = (around[0] + radius * math.cos(angle), around[1] + radius * math.sin(angle))
    return {key: (round(x, 1), round(y, 1)) for key, (x, y) in positions.items()}


def cluster_heads(keys: Iterable[Hashable], anchor: Mapping[Hashable, Hashable | None],
                  heads: Iterable[Hashable]) -> dict[Hashable, Hashable]:
    """Each key's cluster: the first of ``heads`` up its anchor chain, or its root."""
    keys = list(keys)
    roots, children = _forest(keys, anchor)
    head_set = set(heads)
    cluster_of: dict[Hashable, Hashable] = {}
    for root in roots:
        stack = [(root, root)]
        while stack:
            key, head = stack.pop()
            head = key if key in head_set else head
            cluster_of[key] = head
            stack.extend((kid, head) for kid in children[key])
    return cluster_of


def bipartite_layout(keys: Iterable[Hashable], boxes: Mapping[Hashable, Box],
                     links: Mapping[Hashable, Iterable[Hashable]], *, gap: float = 14.0,
                     aspect: float = 1.5) -> dict[Hashable, Position]:
    """Organisations in rows, people between them: the keys without ``links`` in rows (in the order
    the linked keys first name them, so that what one person links sits side by side), with a band
    under each row for the linked keys, each at the free spot nearest the middle of its links: no
    two boxes overlap."""
    keys = list(keys)
    order = {key: number for number, key in enumerate(keys)}
    outer = list(dict.fromkeys([end for key in keys if key in links for end in links[key] if end in order]
                               + [key for key in keys if key not in links]))
    height = max((boxes[key][1] for key in keys), default=0.0) + gap
    width = sum(boxes[key][0] + gap for key in outer)
    row_height = 3 * height  # a row and the band of people under it
    rows = max(1, round(math.sqrt(width / (row_height * aspect))))
    per_row = width / rows
    positions: dict[Hashable, Position] = {}
    x, row = 0.0, 0
    for key in outer:
        if x + boxes[key][0] > per_row * 1.05 and x > 0:
            x, row = 0.0, row + 1
        positions[key] = (x + boxes[key][0] / 2, row * row_height)
        x += boxes[key][0] + gap
    for key in keys:
        if key in links:
            ends = [positions[end] for end in links[key] if end in positions] or [(0.0, 0.0)]
            middle = (sum(x for x, _ in ends) / len(ends), sum(y for _, y in ends) / len(ends) + row_height / 2)
            positions[key] = _free_spot(middle, boxes[key], [(positions[other], boxes[other]) for other in positions],
                                        gap)
    return {key: (round(x, 1), round(y, 1)) for key, (x, y) in positions.items()}


def spread(positions: Mapping[Hashable, Position], boxes: Mapping[Hashable, Box], *, gap: float = 14.0,
           rounds: int = 400) -> dict[Hashable, Position]:
    """``positions`` moved apart until no two ``boxes`` are closer than ``gap``: each overlapping
    pair is pushed apart, half each, along the axis where it overlaps least. Keys without a box
    stay where they are."""
    placed = {key: list(position) for key, position in positions.items()}
    keys = [key for key in placed if key in boxes]
    widest = max((boxes[key][0] for key in keys), default=0.0)
    for _ in range(rounds):
        moved = False
        keys.sort(key=lambda key: placed[key][0])
        for i, first in enumerate(keys):
            x1, y1 = placed[first]
            w1, h1, dy1 = boxes[first]
            for second in keys[i + 1:]:
                x2, y2 = placed[second]
                w2, h2, dy2 = boxes[second]
                if x2 - x1 >= (w1 + widest) / 2 + gap:
                    break  # sorted by x: no later key can overlap ``first``
                across = (w1 + w2) / 2 + gap - abs(x2 - x1)
                down = (h1 + h2) / 2 + gap - abs((y2 + dy2) - (y1 + dy1))
                if across <= 0 or down <= 0:
                    continue
                moved = True
                if across < down:
                    push = (across / 2 + 0.5) * (1 if x2 >= x1 else -1)
                    placed[first][0] -= push
                    placed[second][0] += push
                else:
                    # Ties (one exactly above the other) break by order, so the result is repeatable.
                    push = (down / 2 + 0.5) * (1 if (y2 + dy2) >= (y1 + dy1) else -1)
                    placed[first][1] -= push
                    placed[second][1] += push
                x1, y1 = placed[first]
        if not moved:
            break
    return {key: (x, y) for key, (x, y) in placed.items()}


def _free_spot(target: Position, box: Box, taken: list[tuple[Position, Box]], gap: float) -> Position:
    """The point nearest ``target`` (on a spiral out from it) where ``box`` overlaps none of ``taken``."""
    width, height, offset = box
    step = gap / 2
    # Nearest first: a spot that is taken is usually refused by one of the first few boxes.
    taken = sorted(taken, key=lambda other: (other[0][0] - target[0]) ** 2 + (other[0][1] - target[1]) ** 2)
    for number in range(20_000):
        radius, angle = step * math.sqrt(number), number * math.pi * (3 - math.sqrt(5))
        x, y = target[0] + 2 * radius * math.cos(angle), target[1] + radius * math.sin(angle)
        if all(abs(x - ox) >= (width + other[0]) / 2 + gap or abs(y + offset - oy - other[2]) >= (height + other[1]) / 2 + gap
               for (ox, oy), other in taken):
            return x, y
    return target


def _spiral(centre: Hashable, members: list[Hashable], boxes: Mapping[Hashable, Box],
            gap: float) -> dict[Hashable, Position]:
    """``centre`` at (0, 0) and ``members`` on a sunflower spiral around it, packed about as tight
    as their boxes allow (``spread`` then moves them apart): a dense cluster, no empty ring."""
    positions: dict[Hashable, Position] = {centre: (0.0, 0.0)} if centre in boxes else {}
    if not members:
        return positions
    area = sum((boxes[key][0] + gap) * (boxes[key][1] + gap) for key in members) / len(members)
    step = 0.8 * math.sqrt(area / math.pi)  # a little tight: ``spread`` makes the room
    golden = math.pi * (3 - math.sqrt(5))
    for number, key in enumerate(members, start=1):
        radius, angle = step * math.sqrt(number + 0.5), number * golden
        positions[key] = (1.2 * radius * math.cos(angle), radius * math.sin(angle))  # labels are wide
    return positions


def _extent(positions: Mapping[Hashable, Position], boxes: Mapping[Hashable, Box]) -> tuple[float, ...]:
    """``(left, top, right, bottom)`` of the boxes at ``positions``."""
    sides = [(x - boxes[key][0] / 2, y + boxes[key][2] - boxes[key][1] / 2,
              x + boxes[key][0] / 2, y + boxes[key][2] + boxes[key][1] / 2) for key, (x, y) in positions.items()]
    return (min(s[0] for s in sides), min(s[1] for s in sides), max(s[2] for s in sides), max(s[3] for s in sides))


def _preorder(roots: list[Hashable], children: Mapping[Hashable, list[Hashable]]):
    """``(key, parent)`` pairs, every parent before its children."""
    stack: list[tuple[Hashable, Hashable | None]] = [(root, None) for root in reversed(roots)]
    while stack:
        key, parent = stack.pop()
        yield key, parent
        stack.extend((kid, key) for kid in reversed(children[key]))
