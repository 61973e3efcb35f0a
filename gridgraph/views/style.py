"""How each kind of node and relationship looks in a view: shape, colour, size and legend glyph."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NodeStyle", "NODE_STYLES", "PARTY_LEVEL_STYLES", "EDGE_COLOURS", "MARK_COLOUR",
           "HIGHLIGHT_COLOUR", "NEW_COLOUR", "GONE_COLOUR", "CHANGED_COLOUR", "NO_RATE_COLOUR", "RATE_STEPS", "LegendEntry", "rate_colour", "FONT_FACE",
           "MIN_LABEL_PX", "LABEL_FONT"]

# Fonts a Chinese intranet machine has (Windows first), then what Linux CI installs.
FONT_FACE = "Microsoft YaHei, SimHei, Noto Sans CJK SC, Noto Sans SC, sans-serif"


@dataclass(frozen=True)
class NodeStyle:
    shape: str   # a vis-network shape whose label sits outside the shape (cheap to draw)
    colour: str
    size: int
    glyph: str   # the same shape in the legend


NODE_STYLES: dict[str, NodeStyle] = {
    "District": NodeStyle("hexagon", "#393b79", 30, "⬢"),
    "Street": NodeStyle("hexagon", "#5254a3", 26, "⬢"),
    "Community": NodeStyle("hexagon", "#6b6ecf", 22, "⬢"),
    "Grid": NodeStyle("triangle", "#17becf", 13, "▲"),
    "Compound": NodeStyle("square", "#2ca02c", 13, "■"),
    "Building": NodeStyle("square", "#98df8a", 7, "■"),
    "PartyOrg": NodeStyle("star", "#ff7f0e", 15, "★"),
    "PropertyCompany": NodeStyle("diamond", "#8c564b", 13, "◆"),
    "OwnerCommittee": NodeStyle("triangleDown", "#9467bd", 13, "▼"),
    "ResidentUnit": NodeStyle("diamond", "#7f7f7f", 11, "◆"),
    "Person": NodeStyle("dot", "#1f77b4", 7, "●"),
    "ListItem": NodeStyle("dot", "#bcbd22", 7, "●"),
    "Venue": NodeStyle("triangle", "#e377c2", 9, "▲"),
    "Case": NodeStyle("dot", "#ad494a", 6, "●"),
}

# One colour per level of the party tree (PartyOrgKind values), dark at the top: a planner tells a
# 党委 from a 党支部 at a glance, in every view and in the legend.
PARTY_LEVEL_STYLES: dict[str, NodeStyle] = {
    "working_committee": NodeStyle("star", "#99000d", 24, "★"),
    "committee": NodeStyle("star", "#e6550d", 20, "★"),
    "general_branch": NodeStyle("star", "#756bb1", 17, "★"),
    "branch": NodeStyle("star", "#3182bd", 15, "★"),
    "joint_branch": NodeStyle("star", "#31a354", 15, "★"),
    "group": NodeStyle("star", "#9ecae1", 11, "★"),
}

# Smallest on-screen label (pixels) for the nodes a view always labels; smaller labels are not drawn.
MIN_LABEL_PX = 12
LABEL_FONT = 14  # the label size, in network units, of every node whose label does not grow

EDGE_COLOURS: dict[str, str] = {
    "PART_OF": "#c7c7c7", "COVERS": "#9edae5", "UNDER": "#8c6d31", "BASED_IN": "#fdae6b",
    "MANAGES": "#c49c94", "REPRESENTS": "#c5b0d5", "HOLDS": "#6baed6", "MEMBER_OF": "#fdd0a2",
    "LIVES_IN": "#d9d9d9", "REGISTERED_WITH": "#bdbdbd", "RAISED_BY": "#dbdb8d",
    "OFFERED_BY": "#dbdb8d", "MATCHES": "#bcbd22", "LOCATED_IN": "#f7b6d2", "ABOUT": "#e7969c", "RATED": "#c49c94",
}

MARK_COLOUR = "#e00000"        # blind spots and conflicts of interest: red halo, red label
HIGHLIGHT_COLOUR = "#ffd700"   # cross-appointed people: gold halo
NEW_COLOUR = "#00c853"         # compared with an older graph: new since then (outline, halo, edge)
GONE_COLOUR = "#9e9e9e"        # … and gone since then (dashed ghost node or edge)
CHANGED_COLOUR = "#ff8f00"     # … renamed, or a post or contract with other dates
NO_RATE_COLOUR = "#bdbdbd"     # a rate over an empty denominator is "not applicable"


@dataclass(frozen=True)
class LegendEntry:
    glyph: str
    colour: str
    text: str
    group: str | None = None  # the nodes this entry names (a toggle shows or hides them)


# The stepped scale of a coverage rate: (lowest rate of the step, colour, legend text), best first.
# Steps, not a gradient, so that 75% and 100% never look alike.
RATE_STEPS: tuple[tuple[float, str, str], ...] = (
    (1.0, "#1a9850", "100%"),
    (0.9, "#91cf60", "90–99%"),
    (0.6, "#fdae61", "60–89%"),
    (0.0, "#d73027", "<60%"),
)


def rate_colour(rate: float | None) -> str:
    """The colour of ``rate``'s step on ``RATE_STEPS``; grey when not applicable."""
    if rate is None:
        return NO_RATE_COLOUR
    return next(colour for lowest, colour, _ in RATE_STEPS if rate >= lowest or lowest == 0.0)
