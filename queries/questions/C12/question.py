"""C12 双报到: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from ...coverage import assemble_registration
from ...embedded import GraphIndex
from ...question import Question
from ...results import RegistrationResult


def fetch_c12(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C12 rows: one per Community, ``{id, name, community_id, street_id, district_id,
    resident_units, party_members}`` — ResidentUnits, and Persons with ``party_member`` true,
    REGISTERED_WITH it (``community_id`` is the community's own id).
    """
    day = dt.date.fromisoformat(as_of)
    rows = []
    for key, attrs in index.nodes("Community"):
        sources = Counter(source[0] for source in index.registered.get(key, ())
                          if source[0] == "ResidentUnit" or index.attrs[source].get("party_member"))
        rows.append({"id": key[1], "name": attrs["name"], **index.place_fields(key, day),
                     "resident_units": sources["ResidentUnit"], "party_members": sources["Person"]})
    return rows


QUESTION = Question(code="C12", fetch=fetch_c12, title_zh="双报到", title_en="Dual registration", kind="coverage",
                    assemble=assemble_registration, result_type=RegistrationResult, counted="Community",
                    denominator="Community (a count, not a rate)",
                    rule="ResidentUnits REGISTERED_WITH it; Persons with `party_member` true REGISTERED_WITH it",
                    seed="平武, 莒南: 双报到 — units and in-service party members registered with the community")
