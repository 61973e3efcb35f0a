"""How each kind of node and relationship looks in a view: shape, colour, size and legend glyph."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NodeStyle", "NODE_STYLES", "EDGE_COLOURS", "MARK_COLOUR", "HIGHLIGHT_COLOUR",
           "NO_RATE_COLOUR", "LegendEntry", "rate_colour", "FONT_FACE"]

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
}

EDGE_COLOURS: dict[str, str] = {
    "PART_OF": "#c7c7c7", "COVERS": "#9edae5", "UNDER": "#ffbb78", "BASED_IN": "#fdae6b",
    "MANAGES": "#c49c94", "REPRESENTS": "#c5b0d5", "HOLDS": "#6baed6", "MEMBER_OF": "#fdd0a2",
    "LIVES_IN": "#d9d9d9", "REGISTERED_WITH": "#bdbdbd", "RAISED_BY": "#dbdb8d",
    "OFFERED_BY": "#dbdb8d", "MATCHES": "#bcbd22",
}

MARK_COLOUR = "#e00000"        # blind spots and conflicts of interest: red border, red label
HIGHLIGHT_COLOUR = "#ffd700"   # cross-appointed people: gold border
NO_RATE_COLOUR = "#bdbdbd"     # a rate over an empty denominator is "not applicable"


@dataclass(frozen=True)
class LegendEntry:
    glyph: str
    colour: str
    text: str


def rate_colour(rate: float | None) -> str:
    """Red (0%) through yellow (50%) to green (100%); grey when not applicable."""
    if rate is None:
        return NO_RATE_COLOUR
    low, mid, high = (215, 48, 39), (254, 224, 139), (26, 152, 80)
    rate = min(max(rate, 0.0), 1.0)
    start, end, t = (low, mid, rate * 2) if rate < 0.5 else (mid, high, rate * 2 - 1)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(start, end))
