"""The ground truth of a diff between two quarters of a generated sample, from the rows alone.

Like :mod:`loaders.sample_truth` (whose per-date answers it compares), this never builds a graph
and never calls the audit code: rates, the things each question names (blind spots, X1–X5) and
posts come from ``GroundTruth`` of each side's rows on its own date, and the structure (things added, removed,
renamed, moved, or an id naming something else) from the ledger rows themselves, by the rule of
docs/definitions.md: same id, new name → renamed; new parent → moved; both, or another kind of
thing → changed identity.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from graphmodel.schema import AreaLevel, normalize_role

from .sample_truth import GroundTruth

__all__ = ["diff_truth"]

_AREA_LABELS = {AreaLevel.STREET: "Street", AreaLevel.COMMUNITY: "Community"}


def diff_truth(old_rows: dict[str, list], new_rows: dict[str, list], as_of_old: dt.date,
               as_of_new: dt.date) -> dict:
    """What ``queries.diff`` must answer, unscoped, for ledgers ``old_rows`` (asked on
    ``as_of_old``) and ``new_rows`` (on ``as_of_new``), as a JSON-ready document."""
    old, new = GroundTruth(as_of_old), GroundTruth(as_of_new)
    old.add_district(old_rows)
    new.add_district(new_rows)
    before, now = _findings(old, old_rows), _findings(new, new_rows)
    return {
        "as_of_old": as_of_old.isoformat(), "as_of_new": as_of_new.isoformat(),
        "rates": {**{code: {"old": old.coverage[code], "new": new.coverage[code]} for code in new.coverage},
                  **{f"C16:{grid_type}": {"old": _c16(old, grid_type), "new": _c16(new, grid_type)}
                     for grid_type in sorted(old.c16.keys() | new.c16.keys())},
                  "X2": {"old": _x2(old), "new": _x2(new)},
                  **{f"{code}:{group}": {"old": _closed(old, code, group), "new": _closed(new, code, group)}
                     for code, groups in new.outcomes.items() for group in groups}},
        "listed": _listed_changes(before, now),
        "people": _people_changes(_named(before), _named(now), _posts(old_rows, as_of_old),
                                  _posts(new_rows, as_of_new)),
        "entities": _entity_changes(_entities(old_rows), _entities(new_rows)),
    }


def _c16(truth: GroundTruth, grid_type: str) -> list[int]:
    """A grid type's C16 rate; 0 of 0 on a side without that type, as the diff compares it."""
    return [truth.c16[grid_type], truth.compounds] if grid_type in truth.c16 else [0, 0]


def _x2(truth: GroundTruth) -> list[int]:
    """X2's rate: complete compounds over every compound, assessed or not."""
    return [list(truth.x2.values()).count("complete"), len(truth.x2) + len(truth.x2_unassessed)]


def _closed(truth: GroundTruth, code: str, group: str) -> list[int]:
    """An outcome group's share closed: its closed cases over its cases."""
    measures = truth.outcomes[code][group]
    return [measures[5], measures[3]]


def _findings(truth: GroundTruth, rows: dict[str, list]) -> dict[tuple[str, str, str], tuple[set, set]]:
    """(question, label, id) → (reasons, details) of every thing a question names: blind spots with
    their reasons and details, X1/X5 people, X2 compounds by status or the sides they lack, X3 part-time
    members with their committee, X4 people with the compound of their conflict, R1–R6 candidates with
    their gap."""
    names = {row.id: row.name for ledger in ("party_orgs", "compounds") for row in rows[ledger]}
    found: dict[tuple[str, str, str], tuple[set, set]] = defaultdict(lambda: (set(), set()))

    def name(code: str, label: str, id_: str, reason: str, detail: str | None = None) -> None:
        reasons, details = found[(code, label, id_)]
        reasons.add(reason)
        if detail is not None:
            details.add(detail)

    for code, items in truth.blind_spots.items():
        for label, id_, reason, *_, detail in items:
            name(code, label, id_, reason, detail)
    for person in truth.x1:
        name("X1", "Person", person, "cross_appointed")
    for compound, status in truth.x2.items():
        name("X2", "Compound", compound, status)
    for compound, lacks in truth.x2_unassessed.items():
        for side in lacks:
            name("X2", "Compound", compound, side)
    for org, people in truth.x3.items():
        for person in people:
            name("X3", "Person", person, "serves_part_time", f"{org} {names[org]}")
    for person, compound in truth.x4:
        name("X4", "Person", person, "conflict_of_interest", f"{compound} {names[compound]}")
    for person in truth.x5:
        name("X5", "Person", person, "many_posts")
    for code, proposals in truth.candidates.items():
        for gap, reason, person, *_ in proposals:
            name(code, "Person", person, reason, gap)
    return found


def _listed_changes(before: dict, now: dict) -> list[list]:
    """``[change, code, label, id, old reasons, new reasons, old details, new details]`` for every
    (question, thing) named on one side only or with other reasons or details, sorted."""
    changes = []
    for key in sorted(before.keys() | now.keys()):
        was, is_ = before.get(key), now.get(key)
        if was == is_:
            continue
        change = "opened" if not was else "closed" if not is_ else "changed"
        old_reasons, old_details = was or (set(), set())
        new_reasons, new_details = is_ or (set(), set())
        changes.append([change, *key, sorted(old_reasons), sorted(new_reasons), sorted(old_details),
                        sorted(new_details)])
    return sorted(changes)


def _named(findings: dict) -> set[str]:
    return {id_ for _, label, id_ in findings if label == "Person"}


def _posts(rows: dict[str, list], as_of: dt.date) -> dict[str, set[tuple[str, str, str]]]:
    """person → (organisation label, id, role code) of each current post."""
    posts: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for post in rows["posts"]:
        if (post.start is None or post.start <= as_of) and (post.end is None or post.end >= as_of):
            posts[post.person_id].add((post.org_type.label, post.org_id, normalize_role(str(post.role))))
    return posts


def _people_changes(before: set[str], now: set[str], old_posts: dict, new_posts: dict) -> dict:
    """person → ``{change, gained, lost}`` for the people some question names on either side."""
    changes = {}
    for person in sorted(before | now):
        gained = sorted(new_posts.get(person, set()) - old_posts.get(person, set()))
        lost = sorted(old_posts.get(person, set()) - new_posts.get(person, set()))
        if person in before and person in now and not (gained or lost):
            continue
        change = "entered" if person not in before else "left" if person not in now else "changed"
        changes[person] = {"change": change, "gained": [list(post) for post in gained],
                           "lost": [list(post) for post in lost]}
    return changes


def _entities(rows: dict[str, list]) -> dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    """id → (label, name, sorted parent ids, sorted ids a grid covers) of every thing a diff follows."""
    parents: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for area in rows["areas"]:
        if area.level in _AREA_LABELS:
            parents[area.id] = (_AREA_LABELS[area.level], area.name, (area.parent_id,))
    for label, ledger, parent in (("Grid", "grids", "community_id"), ("Compound", "compounds", "community_id"),
                                  ("Building", "buildings", "compound_id"),
                                  ("OwnerCommittee", "owner_committees", "compound_id"),
                                  ("ResidentUnit", "resident_units", "community_id")):
        for row in rows[ledger]:
            parents[row.id] = (label, row.name, (getattr(row, parent),))
    for org in rows["party_orgs"]:
        parents[org.id] = ("PartyOrg", org.name, (org.parent_id,) if org.parent_id else ())
    for company in rows["property_companies"]:
        parents[company.id] = ("PropertyCompany", company.name, ())
    covers: dict[str, list[str]] = defaultdict(list)
    for row in rows["grid_coverage"]:
        covers[row.grid_id].append(row.building_id or row.compound_id)
    return {thing: (*found, tuple(sorted(covers.get(thing, ())))) for thing, found in parents.items()}


def _entity_changes(old: dict, new: dict) -> list[list[str]]:
    """``[change, label, id]`` for every thing added, removed, renamed, moved or re-identified,
    and for every grid that covers other things (a second entry when it also changed otherwise)."""
    changes = []
    for thing in sorted(old.keys() | new.keys()):
        was, is_ = old.get(thing), new.get(thing)
        if was is None or is_ is None:
            changes.append(["added" if was is None else "removed", (is_ or was)[0], thing])
            continue
        renamed, moved = was[1] != is_[1], was[2] != is_[2]
        if was[0] != is_[0] or (renamed and moved):
            changes.append(["identity", is_[0], thing])
        elif renamed or moved:
            changes.append(["renamed" if renamed else "moved", is_[0], thing])
        if was[3] != is_[3]:
            changes.append(["coverage", is_[0], thing])
    return changes
