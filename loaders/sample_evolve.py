"""A later quarter of a generated sample: the same ledgers with planted changes, and the diff's truth.

``evolve_sample`` regenerates the rows ``generate_sample`` writes for a seed, plants the changes a
street office sees between two audits — a compound gains a party branch, another loses its property
company, an owner committee's term lapses, a contract is handed to a new company the next day (no
gap), a compound is renamed, a compound's id is reused for a different compound elsewhere, a branch
moves to another parent, a person takes up a post, another leaves one, a building is handed to
another grid, a compound is added — and
writes the later ledger folder with ``diff_truth.json``: what ``queries.diff`` must find between the
two folders (:mod:`loaders.sample_diff_truth`), including every change the passing quarter brings
by itself (posts, contracts and terms that end). The changes stay inside one district.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import random
from dataclasses import dataclass
from pathlib import Path

from graphmodel.atomic import atomic_open, atomic_write_bytes, output_error
from graphmodel.errors import GridgraphError
from graphmodel.schema import OrgType, OwnerCommitteeKind, PartyOrgKind, Role

from . import names
from .sample import (DEFAULT_AS_OF, GROUND_TRUTH_FILE, SCALES, SampleRates, _check_out_dir, _choose,
                     check_sample_date, district_rows)
from .sample_diff_truth import diff_truth
from .sample_rows import (LEDGERS, BuildingRow, CompoundRow, ContractRow, PartyOrgRow, PersonRow, PostRow,
                          format_row)
from .sample_truth import GroundTruth

__all__ = ["evolve_sample", "evolve_rows", "next_quarter_end", "EvolvedSample", "DIFF_TRUTH_FILE"]

DIFF_TRUTH_FILE = "diff_truth.json"
_CROSS_LABELS = frozenset({"PartyOrg", "OwnerCommittee", "PropertyCompany", "Community", "ResidentUnit"})


@dataclass(frozen=True)
class EvolvedSample:
    """What ``evolve_sample`` wrote: the later folder, its date, and the planted changes."""

    out_dir: Path
    as_of_old: dt.date
    as_of_new: dt.date
    planted: dict[str, str]
    diff_truth: Path


def next_quarter_end(day: dt.date) -> dt.date:
    """The last day of the quarter after the one holding ``day``.

    >>> next_quarter_end(dt.date(2026, 6, 30)), next_quarter_end(dt.date(2026, 11, 2))
    (datetime.date(2026, 9, 30), datetime.date(2027, 3, 31))
    """
    month = (day.month - 1) // 3 * 3 + 7  # first month of the quarter after next
    year = day.year + (month > 12)
    return dt.date(year, (month - 1) % 12 + 1, 1) - dt.timedelta(days=1)


def evolve_sample(out_dir: str | os.PathLike, *, scale: str = "county", seed: int = 7,
                  rates: SampleRates | None = None, as_of: dt.date = DEFAULT_AS_OF,
                  later: dt.date | None = None, header_lang: str = "zh", encoding: str = "utf-8",
                  overwrite: bool = False) -> EvolvedSample:
    """Write the later quarter of the sample ``generate_sample`` writes for the same options.

    The later folder is asked on ``later`` (default: the end of the next quarter); it holds its
    own ``ground_truth.json`` on that date and ``diff_truth.json`` against the earlier sample.

    Examples
    --------
    >>> import tempfile
    >>> evolved = evolve_sample(tempfile.mkdtemp(), scale="community", seed=1)
    >>> evolved.as_of_new, sorted(evolved.planted)[:3]
    (datetime.date(2026, 9, 30), ['added_compound', 'contract_handover', 'gained_branch'])
    """
    spec = _choose("scale", scale, SCALES)
    check_sample_date("as-of date", as_of)
    later = later or next_quarter_end(as_of)
    check_sample_date("later date", later)
    if later <= as_of:
        raise GridgraphError(f"the later quarter ({later}) must come after {as_of}")
    out_dir = Path(out_dir)
    files = {name: out_dir / ledger.file_name(header_lang) for name, ledger in LEDGERS.items()}
    _check_out_dir(out_dir, files, header_lang, overwrite)
    old_rows: dict[str, list] = {name: [] for name in LEDGERS}
    for rows in district_rows(spec, rates or SampleRates(), as_of, seed):
        for name, ledger_rows in rows.items():
            old_rows[name].extend(ledger_rows)
    new_rows, planted = evolve_rows(old_rows, as_of, later, random.Random(f"evolve {seed}"))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise output_error(out_dir, error) from None
    with contextlib.ExitStack() as stack:  # every file renamed into place once all are written
        for name, path in files.items():
            writer = csv.writer(stack.enter_context(atomic_open(path, "w", encoding=encoding, newline="")))
            writer.writerow(LEDGERS[name].headers(header_lang))
            writer.writerows(format_row(row, header_lang) for row in new_rows[name])
    truth = GroundTruth(later)
    truth.add_district(new_rows)
    _write_json(out_dir / GROUND_TRUTH_FILE, truth.as_json(seed=seed, scale=scale))
    document = {"seed": seed, "scale": scale, "planted": planted,
                **diff_truth(old_rows, new_rows, as_of, later)}
    _write_json(out_dir / DIFF_TRUTH_FILE, document)
    return EvolvedSample(out_dir, as_of, later, planted, out_dir / DIFF_TRUTH_FILE)


def _write_json(path: Path, document: dict) -> None:
    atomic_write_bytes(path, (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def evolve_rows(rows: dict[str, list], as_of: dt.date, later: dt.date,
                rng: random.Random) -> tuple[dict[str, list], dict[str, str]]:
    """A copy of ``rows`` with the quarter's changes planted, and change → the id it touched.

    A change that finds no candidate in a small sample is left out of ``planted``.
    """
    return _Quarter({name: list(ledger) for name, ledger in rows.items()}, as_of, later, rng).plant()


class _Quarter:
    """The rows of the later quarter, changed in place; every change takes a thing no other took."""

    def __init__(self, rows: dict[str, list], as_of: dt.date, later: dt.date, rng: random.Random):
        self.rows, self.as_of, self.later, self.rng = rows, as_of, later, rng
        self.touched: set[str] = set()
        self.planted: dict[str, str] = {}
        # The community's 党委/党总支, not a branch planted there (an edge case of the generator).
        self.community_org = {org.based_in_id[0]: org.id for org in rows["party_orgs"]
                              if org.based_in_type is OrgType.COMMUNITY
                              and org.kind in (PartyOrgKind.COMMITTEE, PartyOrgKind.GENERAL_BRANCH)}
        self.compound_community = {row.id: row.community_id for row in rows["compounds"]}

    def plant(self) -> tuple[dict[str, list], dict[str, str]]:
        for change in (self._gain_branch, self._lose_company, self._contract_handover, self._lapse_committee,
                       self._rename_compound, self._reuse_compound_id, self._move_branch, self._take_up_post,
                       self._leave_post, self._regrid_building, self._add_compound):
            change()
        return self.rows, self.planted

    # -- helpers ------------------------------------------------------------------------------
    def _both(self, start: dt.date | None, end: dt.date | None) -> bool:
        """Current on the earlier date and still on the later one, unless changed."""
        return (start is None or start <= self.as_of) and (end is None or end >= self.later)

    def _pick(self, change: str, candidates) -> str | None:
        """One untouched candidate id, drawn in a stable order; recorded as planted."""
        free = sorted(set(candidates) - self.touched)
        if not free:
            return None
        chosen = self.rng.choice(free)
        self.touched.add(chosen)
        self.planted[change] = chosen
        return chosen

    def _day(self, low: int, high: int) -> dt.date:
        """A day after the earlier date and on or before the later one."""
        span = (self.later - self.as_of).days
        return self.as_of + dt.timedelta(days=self.rng.randint(min(low, span), min(high, span)))

    def _replace(self, ledger: str, match, **changes) -> None:
        self.rows[ledger] = [row._replace(**changes) if match(row) else row for row in self.rows[ledger]]

    def _sole_contracts(self) -> dict[str, ContractRow]:
        """Compounds whose only contract is current on both dates (no 自管会 to fall back on)."""
        contracts: dict[str, list[ContractRow]] = {}
        for row in self.rows["property_contracts"]:
            contracts.setdefault(row.compound_id, []).append(row)
        self_managed = {row.compound_id for row in self.rows["owner_committees"]
                        if row.kind is OwnerCommitteeKind.SELF_MANAGEMENT}
        return {compound: found[0] for compound, found in contracts.items()
                if len(found) == 1 and self._both(found[0].start, found[0].end) and compound not in self_managed}

    def _new_person(self, suffix: str, party_org: str | None) -> str:
        person_id = f"RY{suffix}"
        self.rows["people"].append(PersonRow(person_id, names.person_name(self.rng), party_org is not None,
                                             None, None, None, None, party_org))
        return person_id

    # -- the changes --------------------------------------------------------------------------
    def _gain_branch(self) -> None:
        based = {target for org in self.rows["party_orgs"] if org.based_in_type is OrgType.COMPOUND
                 for target in org.based_in_id}
        # A compound whose owner committee has a branch has a party organisation already (C1).
        committee_based = {target for org in self.rows["party_orgs"] if org.based_in_type is OrgType.OWNER_COMMITTEE
                           for target in org.based_in_id}
        based |= {row.compound_id for row in self.rows["owner_committees"] if row.id in committee_based}
        compound = self._pick("gained_branch", set(self.compound_community) - based)
        if compound is None:
            return
        compound_name = next(row.name for row in self.rows["compounds"] if row.id == compound)
        org = f"DZZ{compound[2:]}Q"
        parent = self.community_org[self.compound_community[compound]]
        self.rows["party_orgs"].append(PartyOrgRow(org, f"{compound_name}党支部", PartyOrgKind.BRANCH, parent,
                                                   OrgType.COMPOUND, (compound,)))
        secretary = self._new_person(f"{compound[2:]}Q", org)
        self.rows["posts"].append(PostRow(secretary, OrgType.PARTY_ORG, org, Role.SECRETARY, False,
                                          self._day(1, 60), None))

    def _lose_company(self) -> None:
        compound = self._pick("lost_company", self._sole_contracts())
        if compound is not None:
            self._replace("property_contracts", lambda row: row.compound_id == compound, end=self._day(1, 60))

    def _contract_handover(self) -> None:
        sole = self._sole_contracts()
        compound = self._pick("contract_handover", sole)
        if compound is None:
            return
        ended = self._day(1, 60)
        company = sole[compound].company_id
        others = sorted(row.id for row in self.rows["property_companies"] if row.id != company
                        and row.id[2:8] == compound[2:8])  # a company of the same district
        self._replace("property_contracts", lambda row: row.compound_id == compound, end=ended)
        self.rows["property_contracts"].append(ContractRow(self.rng.choice(others), compound,
                                                           ended + dt.timedelta(days=1), None))

    def _lapse_committee(self) -> None:
        committee = self._pick("lapsed_committee", (
            row.id for row in self.rows["owner_committees"]
            if row.kind is not OwnerCommitteeKind.SELF_MANAGEMENT and row.term_start is not None
            and self._both(row.term_start, row.term_end) and row.compound_id not in self.touched))
        if committee is not None:
            self._replace("owner_committees", lambda row: row.id == committee, term_end=self._day(1, 60))

    def _fresh_compound_name(self) -> str:
        taken = {row.name for row in self.rows["compounds"]}
        while (name := names.compound_name(self.rng)) in taken:
            continue
        return name

    def _rename_compound(self) -> None:
        compound = self._pick("renamed_compound", self.compound_community)
        if compound is not None:
            self._replace("compounds", lambda row: row.id == compound, name=self._fresh_compound_name())

    def _reuse_compound_id(self) -> None:
        """The code of a demolished compound given to a different compound in another community."""
        def elsewhere(compound: str) -> list[str]:  # the other communities of its district
            home = self.compound_community[compound]
            return [community for community in self.community_org
                    if community != home and community[:6] == home[:6]]

        compound = self._pick("reused_compound_id", (compound for compound in self.compound_community
                                                     if elsewhere(compound)))
        if compound is not None:
            self._replace("compounds", lambda row: row.id == compound, name=self._fresh_compound_name(),
                          community_id=self.rng.choice(sorted(elsewhere(compound))))

    def _move_branch(self) -> None:
        """A compound branch moves under the party committee of another community of its district."""
        parents = set(self.community_org.values())

        def others(org: PartyOrgRow) -> list[str]:
            return sorted(parent for parent in parents if parent != org.parent_id and parent[3:9] == org.id[3:9])

        branches = {org.id: org for org in self.rows["party_orgs"]
                    if org.kind is PartyOrgKind.BRANCH and org.parent_id in parents and others(org)}
        org = self._pick("moved_branch", branches)
        if org is not None:
            self._replace("party_orgs", lambda row: row.id == org, parent_id=self.rng.choice(others(branches[org])))

    def _current_posts(self) -> dict[str, list[PostRow]]:
        posts: dict[str, list[PostRow]] = {}
        for post in self.rows["posts"]:
            if self._both(post.start, post.end):
                posts.setdefault(post.person_id, []).append(post)
        return posts

    def _take_up_post(self) -> None:
        """A committee member who holds posts only there joins the community party committee."""
        committees = {row.id: row.compound_id for row in self.rows["owner_committees"]}
        members = {person: posts[0].org_id for person, posts in self._current_posts().items()
                   if {post.org_type for post in posts} == {OrgType.OWNER_COMMITTEE}
                   and all(post.org_id == posts[0].org_id for post in posts)}
        person = self._pick("took_up_post", members)
        if person is None:
            return
        org = self.community_org[self.compound_community[committees[members[person]]]]
        self.rows["posts"].append(PostRow(person, OrgType.PARTY_ORG, org, Role.PART_TIME_MEMBER, True,
                                          self._day(1, 30), None))

    def _leave_post(self) -> None:
        """A cross-appointed person whose every post runs on leaves one of them."""
        cross = {person: posts for person, posts in self._current_posts().items()
                 if len({post.org_type.label for post in posts} & _CROSS_LABELS) >= 2}
        person = self._pick("left_post", cross)
        if person is None:
            return
        left = self.rng.choice(sorted(cross[person], key=lambda post: (post.org_id, str(post.role))))
        self._replace("posts", lambda row: row == left, end=self._day(1, 60))

    def _regrid_building(self) -> None:
        """A building covered by one grid is handed to another grid of the same community and type."""
        grids = {row.id: row for row in self.rows["grids"]}
        covering: dict[str, list[str]] = {}
        for row in self.rows["grid_coverage"]:
            if row.building_id:
                covering.setdefault(row.building_id, []).append(row.grid_id)

        def others(building: str) -> list[str]:
            (grid,) = covering[building]
            return sorted(other.id for other in grids.values() if other.id != grid
                          and (other.community_id, other.grid_type) == (grids[grid].community_id, grids[grid].grid_type))

        building = self._pick("regridded_building", (building for building, found in covering.items()
                                                     if len(found) == 1 and others(building)))
        if building is not None:
            self._replace("grid_coverage", lambda row: row.building_id == building,
                          grid_id=self.rng.choice(others(building)))

    def _add_compound(self) -> None:
        community = self.rng.choice(sorted(set(self.compound_community.values())))
        number = 1 + max(int(compound[-2:]) for compound, home in self.compound_community.items()
                         if home == community and compound[-2:].isdigit())  # not the planted XQ…E1
        compound = f"XQ{community}{number:02d}"
        self.planted["added_compound"] = compound
        self.rows["compounds"].append(CompoundRow(compound, self._fresh_compound_name(), community))
        self.rows["buildings"].append(BuildingRow(f"LD{community}{number:02d}01", "1号楼", compound))
