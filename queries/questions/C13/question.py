"""C13 小区党群服务站覆盖率: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...coverage import NO_VENUE, _rate, _rows, venue_compounds
from ...embedded import GraphIndex


def fetch_c13(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C13 rows: one per Compound (shape of C1); ``covered``: an open Venue is LOCATED_IN the compound
    or one of its buildings."""
    with_venue = venue_compounds(index)
    return _rows(index, "Compound", as_of, lambda key, day: key in with_venue)


QUESTION = _rate("C13", "小区党群服务站覆盖率", "Compounds with a party service venue", fetch_c13, "Compound",
                 "an open Venue (any kind; one whose `open` is false — 是否开放 否 — counts in no question) is "
                 "LOCATED_IN it or in one of its Buildings", NO_VENUE,
                 seed='莒南: 在148个小区建设"同心驿"179处')
