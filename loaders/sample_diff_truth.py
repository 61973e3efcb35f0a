"""The ground truth of a diff between two quarters of a generated sample, from the rows alone.

Like :mod:`loaders.sample_truth` (whose per-date answers it compares), this never builds a graph
and never calls the audit code: rates, blind spots, X1/X2/X4 and posts come from
``GroundTruth`` of each side's rows on its own date, and the structure (things added, removed,
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
    return {
        "as_of_old": as_of_old.isoformat(), "as_of_new": as_of_new.isoformat(),
        "rates": {code: {"old": old.coverage[code], "new": new.coverage[code]} for code in new.coverage},
        "blind_spots": _spot_changes(old.blind_spots, new.blind_spots),
        "people": _people_changes(old, new, _posts(old_rows, as_of_old), _posts(new_rows, as_of_new)),
        "linkages": {compound: [old.x2.get(compound), new.x2.get(compound)]
                     for compound in sorted(old.x2.keys() | new.x2.keys())
                     if old.x2.get(compound) != new.x2.get(compound)},
        "conflicts": {"opened": sorted(map(list, set(new.x4) - set(old.x4))),
                      "closed": sorted(map(list, set(old.x4) - set(new.x4)))},
        "entities": _entity_changes(_entities(old_rows), _entities(new_rows)),
    }


def _spot_changes(old: dict[str, list], new: dict[str, list]) -> list[list]:
    """``[change, code, label, id, old reasons, new reasons]`` for every (question, thing) whose
    reasons differ, sorted by question, label and id."""
    changes = []
    for code in new:
        before, now = _reasons(old[code]), _reasons(new[code])
        for key in sorted(before.keys() | now.keys()):
            was, is_ = before.get(key, []), now.get(key, [])
            if was != is_:
                change = "opened" if not was else "closed" if not is_ else "changed"
                changes.append([change, code, *key, was, is_])
    return changes


def _reasons(items: list[tuple]) -> dict[tuple[str, str], list[str]]:
    """(label, id) → its reasons, from the truth's (label, id, reason, community, street, detail) items."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for label, id_, reason, *_ in items:
        found[(label, id_)].add(reason)
    return {key: sorted(reasons) for key, reasons in found.items()}


def _posts(rows: dict[str, list], as_of: dt.date) -> dict[str, set[tuple[str, str, str]]]:
    """person → (organisation label, id, role code) of each current post."""
    posts: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for post in rows["posts"]:
        if (post.start is None or post.start <= as_of) and (post.end is None or post.end >= as_of):
            posts[post.person_id].add((post.org_type.label, post.org_id, normalize_role(str(post.role))))
    return posts


def _people_changes(old: GroundTruth, new: GroundTruth, old_posts: dict, new_posts: dict) -> dict:
    """person → ``{change, gained, lost}`` for the people cross-appointed (X1) on either side."""
    before, now = set(old.x1), set(new.x1)
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
