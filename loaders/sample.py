"""Synthetic ledgers with a known answer: a deterministic generator of street-office 台账.

``generate_sample`` writes one CSV file per ledger of docs/ledgers.md (Chinese or English headers,
UTF-8 or GB18030) for a community, a county, a city or a province, plants blind spots and
cross-appointments at configurable rates, and writes ``ground_truth.json``: what every audit of
docs/definitions.md must answer, computed from the generator's own rows (``loaders.sample_truth``),
never by loading the graph. The same seed, scale and options give byte-identical files.

``SAMPLE_DATA_DIR`` is a small sample shipped with the package, regenerated with::

    gridgraph sample loaders/sample_data --scale community --seed 65 --overwrite
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

from graphmodel.atomic import atomic_open, atomic_write_bytes, output_error
from graphmodel.errors import GridgraphError
from graphmodel.rules import MANY_CASES_DEFAULT, RECENT_CASE_DAYS
from graphmodel.schema import (AreaLevel, CaseSource, GridType, ListKind, ListStatus, OrgType, OwnerCommitteeKind,
                               PartyOrgKind, RatingResult, Role, VenueKind)

from . import names
from .sample_rows import (LEDGERS, AreaRow, BuildingRow, CaseRow, CompanyRow, CompoundRow, ContractRow,
                          CoverageRow, GridRow, ListRow, OwnerCommitteeRow, PartyOrgRow, PersonRow,
                          PostRow, RatingRow, ResidentUnitRow, VenueRow, format_row)
from .sample_seeds import FOOTER_LEDGER, footer_rows, plant_seed_cases
from .sample_truth import ROLE_SPELLINGS, GroundTruth, linkage_status

__all__ = ["generate_sample", "generate_district_samples", "SampleRates", "SampleSummary", "ScaleSpec", "SCALES", "SAMPLE_DATA_DIR",
           "BUNDLED_SAMPLE", "DEFAULT_AS_OF", "district_rows", "GROUND_TRUTH_FILE", "ENCODINGS", "HEADER_LANGS"]

SAMPLE_DATA_DIR = Path(__file__).with_name("sample_data")
DEFAULT_AS_OF = dt.date(2026, 6, 30)
GROUND_TRUTH_FILE = "ground_truth.json"
ENCODINGS = ("utf-8", "gb18030")
HEADER_LANGS = ("zh", "en")
# Roles the schema does not know, written as ledgers write them.
GROUP_LEADER, UNIT_HEAD, EMPLOYEE = "组长", "负责人", "员工"
_EXTRA_GRID_TYPES = (GridType.LAW_ENFORCEMENT, GridType.MARKET_SUPERVISION, GridType.ENVIRONMENT,
                     GridType.EMERGENCY, GridType.PARTY_BUILDING)
_YEAR = dt.timedelta(days=365)


@dataclass(frozen=True)
class SampleRates:
    """How often the generator plants each gap and each cross-appointment (shares from 0 to 1).

    Shares of compounds unless stated. Audits count what is there, so accidental cases (an
    expired post that leaves a seat empty, a community whose only demands find no resource)
    add to the planted ones; the ground truth counts both.
    """

    compound_without_party_org: float = 0.08
    joint_branch: float = 0.10  # compounds sharing a 联合党支部 with their neighbours
    orphan_party_org: float = 0.04  # compound, grid and company branches with no parent (B8)
    unmanaged_compound: float = 0.06  # no property contract at all
    expired_contract: float = 0.05  # the only contract has ended
    contract_history: float = 0.15  # an ended contract before the current one
    no_owner_committee: float = 0.08
    self_management: float = 0.05  # 自管会
    management_committee: float = 0.25  # 物管会; the rest get a 业委会
    expired_term: float = 0.07
    future_term: float = 0.02  # elected, term not yet begun
    committee_party_branch: float = 0.3  # 业委会 with a party branch of its own (C9)
    uncovered_building: float = 0.02  # share of buildings
    overlapping_grid: float = 0.02  # share of buildings also in a neighbouring comprehensive grid
    cross_community_building: float = 0.01  # share of buildings gridded by another community
    compound_level_coverage: float = 0.2  # grids listing a whole compound instead of its buildings
    extra_grid_type: float = 0.15  # share of communities with a law-enforcement, market … grid
    empty_grid: float = 0.05  # share of communities with a new grid that covers nothing
    grid_without_branch: float = 0.08  # share of comprehensive grids
    grid_without_worker: float = 0.05  # share of grids
    company_own_branch: float = 0.45  # share of companies with a current contract
    company_joint_branch: float = 0.15
    company_without_coverage: float = 0.10  # the rest have a 党建指导员 only
    vacant_secretary: float = 0.06  # share of party organisations
    vacant_director: float = 0.08  # share of 业委会
    lapsed_post: float = 0.04  # share of other posts that ended (or not yet begun) by as-of
    secretary_directs_committee: float = 0.5  # branch secretary is the committee's director
    company_joins_branch: float = 0.3  # company manager sits on the compound branch (X2)
    conflict_of_interest: float = 0.05  # a committee member works for the managing company (X4)
    part_time_member: float = 0.3  # per candidate: joins the community party committee (X3)
    community_without_units: float = 0.08  # share of communities (B10)
    unmatched_demand: float = 0.3  # share of demands (B11)

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if not 0 <= value <= 1:
                raise GridgraphError(f"rate {field.name} must be between 0 and 1, not {value}")
        for group in (("compound_without_party_org", "joint_branch"),
                      ("unmanaged_compound", "expired_contract"),
                      ("no_owner_committee", "self_management", "management_committee"),
                      ("expired_term", "future_term"),
                      ("company_own_branch", "company_joint_branch", "company_without_coverage")):
            if sum(getattr(self, name) for name in group) > 1:
                raise GridgraphError(f"rates {', '.join(group)} are shares of one whole and add up to "
                                     "more than 1")


@dataclass(frozen=True)
class ScaleSpec:
    """The size of a generated area; ranges are inclusive and drawn per community or compound."""

    districts: int
    streets: int  # per district
    communities: int  # per district, spread evenly over its streets
    compounds: tuple[int, int]  # per community
    buildings: tuple[int, int]  # per compound
    grids: tuple[int, int]  # comprehensive grids per community
    building_leaders: float  # share of buildings with a 楼长
    building_groups: float  # share of buildings (in compounds with a branch) with a 党小组
    members: tuple[int, int]  # ordinary members of a compound branch or committee, besides its heads
    registered_members: tuple[int, int]  # in-service party members registering per community


_CITY = ScaleSpec(districts=8, streets=10, communities=125, compounds=(12, 18), buildings=(7, 13),
                  grids=(8, 12), building_leaders=0.1, building_groups=0.06, members=(0, 1),
                  registered_members=(1, 3))
SCALES: dict[str, ScaleSpec] = {
    "community": ScaleSpec(districts=1, streets=1, communities=1, compounds=(8, 8), buildings=(3, 6),
                           grids=(5, 5), building_leaders=0.8, building_groups=0.5, members=(1, 2),
                           registered_members=(3, 5)),
    "county": ScaleSpec(districts=1, streets=6, communities=23, compounds=(4, 9), buildings=(4, 12),
                        grids=(11, 15), building_leaders=0.8, building_groups=0.4, members=(1, 2),
                        registered_members=(4, 10)),
    "city": _CITY,
    "province": replace(_CITY, districts=_CITY.districts * 10),
}
# The sample shipped in SAMPLE_DATA_DIR; a test checks it still equals a fresh generation. Its seed
# was picked among the first 200 for showing most kinds of gap in one small community.
BUNDLED_SAMPLE = {"scale": "community", "seed": 65}


@dataclass(frozen=True)
class SampleSummary:
    """What ``generate_sample`` wrote: rows per ledger, the files, and the ground truth."""

    out_dir: Path
    scale: str
    seed: int
    counts: dict[str, int]
    files: dict[str, Path]
    ground_truth: Path


def generate_sample(out_dir: str | os.PathLike, *, scale: str = "county", seed: int = 7,
                    rates: SampleRates | None = None, header_lang: str = "zh", encoding: str = "utf-8",
                    as_of: dt.date = DEFAULT_AS_OF, overwrite: bool = False) -> SampleSummary:
    """Write a synthetic ledger folder and its ``ground_truth.json``.

    Parameters
    ----------
    out_dir : path
        Folder to write into (created if missing).
    scale : {"community", "county", "city", "province"}
        Size of the area, see ``SCALES``.
    seed : int
        Seed of the generator's own ``random.Random``; same seed and options, same bytes.
    rates : SampleRates, optional
        How often gaps and cross-appointments are planted; defaults to ``SampleRates()``.
    header_lang : {"zh", "en"}
        Chinese headers, values and file names (``小区.csv``), or English ones (``compounds.csv``).
    encoding : {"utf-8", "gb18030"}
        Encoding of the CSV files (the ground truth is always UTF-8 JSON).
    as_of : date
        The date terms, contracts and posts are current or expired against.
    overwrite : bool
        Replace ledger files already in ``out_dir``.

    Returns
    -------
    SampleSummary

    Raises
    ------
    GridgraphError
        Unknown scale, language or encoding, a bad rate, or ledger files already in ``out_dir``.

    Examples
    --------
    >>> import tempfile
    >>> summary = generate_sample(tempfile.mkdtemp(), scale="community", seed=1)
    >>> summary.counts["areas"]
    3
    """
    spec = _check_options(scale, as_of, header_lang, encoding)
    out_dir = Path(out_dir)
    _check_out_dir(out_dir, _ledger_files(out_dir, header_lang), header_lang, overwrite)
    return _write_sample(out_dir, district_rows(spec, rates or SampleRates(), as_of, seed),
                         scale=scale, seed=seed, header_lang=header_lang, encoding=encoding, as_of=as_of)


def generate_district_samples(out_dir: str | os.PathLike, *, scale: str = "city", seed: int = 7,
                              rates: SampleRates | None = None, header_lang: str = "zh",
                              encoding: str = "utf-8", as_of: dt.date = DEFAULT_AS_OF,
                              overwrite: bool = False) -> list[SampleSummary]:
    """The same sample as :func:`generate_sample`, written as one ledger folder per district
    (``out_dir/<district code>/``, each with its own ``ground_truth.json``), the way a city's or a
    province's ledgers arrive from their districts and are loaded into Neo4j one by one.

    Each district is self-contained (nothing in it refers to another), so the folders together
    hold exactly the rows of the one-folder sample. Every folder is checked before any is written.

    Examples
    --------
    >>> import tempfile
    >>> [summary.out_dir.name for summary in generate_district_samples(tempfile.mkdtemp(), scale="county")]
    ['371327']
    """
    spec = _check_options(scale, as_of, header_lang, encoding)
    folders = [Path(out_dir) / _district_code(spec, index) for index in range(spec.districts)]
    for folder in folders:
        _check_out_dir(folder, _ledger_files(folder, header_lang), header_lang, overwrite)
    rows = district_rows(spec, rates or SampleRates(), as_of, seed)
    return [_write_sample(folder, [district], scale=scale, seed=seed, header_lang=header_lang,
                          encoding=encoding, as_of=as_of) for folder, district in zip(folders, rows)]


def _check_options(scale: str, as_of: dt.date, header_lang: str, encoding: str) -> ScaleSpec:
    spec = _choose("scale", scale, SCALES)
    check_sample_date("as-of date", as_of)
    _choose("header language", header_lang, HEADER_LANGS)
    _choose("encoding", encoding, ENCODINGS)
    return spec


def _ledger_files(out_dir: Path, header_lang: str) -> dict[str, Path]:
    return {name: out_dir / ledger.file_name(header_lang) for name, ledger in LEDGERS.items()}


def _write_sample(out_dir: Path, districts: Iterable[dict[str, list]], *, scale: str, seed: int,
                  header_lang: str, encoding: str, as_of: dt.date) -> SampleSummary:
    """Write the rows of ``districts`` as one ledger folder with its ground truth."""
    files = _ledger_files(out_dir, header_lang)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise output_error(out_dir, error) from None
    truth = GroundTruth(as_of)
    counts = dict.fromkeys(LEDGERS, 0)
    with contextlib.ExitStack() as stack:  # every file renamed into place once all are written
        handles = {name: stack.enter_context(atomic_open(path, "w", encoding=encoding, newline=""))
                   for name, path in files.items()}
        writers = {name: csv.writer(handle) for name, handle in handles.items()}
        for name, writer in writers.items():
            writer.writerow(LEDGERS[name].headers(header_lang))
        for rows in districts:
            truth.add_district(rows)
            for name, ledger_rows in rows.items():
                writers[name].writerows(format_row(row, header_lang) for row in ledger_rows)
                counts[name] += len(ledger_rows)
        writers[FOOTER_LEDGER].writerows(footer_rows(as_of))  # not rows: the loader skips them
    truth_path = out_dir / GROUND_TRUTH_FILE
    atomic_write_bytes(truth_path, (json.dumps(truth.as_json(seed=seed, scale=scale),
                                               ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return SampleSummary(out_dir, scale, seed, counts, files, truth_path)


def district_rows(spec: ScaleSpec, rates: SampleRates, as_of: dt.date, seed: int) -> Iterator[dict[str, list]]:
    """The rows of each district in turn (``LEDGERS`` name → row tuples), as ``generate_sample``
    writes them for the same seed."""
    rng = random.Random(seed)
    for district in range(spec.districts):
        yield _District(rng, spec, rates, as_of, _district_code(spec, district), _first_street(spec, seed)).generate()


#: How far from its as-of date the generator writes terms, posts and cases, with room to spare:
#: the as-of date must leave that much calendar on both sides.
SAMPLE_DATE_REACH = dt.timedelta(days=30 * 366)


def check_sample_date(what: str, day: dt.date) -> None:
    """Refuse a date too close to either end of the calendar for the terms written around it."""
    earliest, latest = dt.date.min + SAMPLE_DATE_REACH, dt.date.max - SAMPLE_DATE_REACH
    if not earliest <= day <= latest:
        raise GridgraphError(f"the sample's {what} {day.isoformat()} is outside "
                             f"{earliest.isoformat()} … {latest.isoformat()}",
                             hint="the generator writes terms and posts up to 30 years either side of it")


def _choose(what: str, value, allowed):
    if value not in allowed:
        raise GridgraphError(f"unknown {what} {value!r}", hint=f"choose one of {', '.join(allowed)}")
    return allowed[value] if isinstance(allowed, dict) else value


def _check_out_dir(out_dir: Path, files: dict[str, Path], header_lang: str, overwrite: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise GridgraphError(f"{out_dir} is a file, not a folder", hint="name a folder for the sample")
    other = "en" if header_lang == "zh" else "zh"
    twins = [out_dir / ledger.file_name(other) for ledger in LEDGERS.values()]
    clash = [path for path in twins if path.exists()]
    if clash:
        raise GridgraphError(f"{out_dir} already holds {clash[0].name}, which would be loaded as well",
                             hint="write the sample into an empty folder")
    existing = [path for path in [*files.values(), out_dir / GROUND_TRUTH_FILE] if path.exists()]
    if existing and not overwrite:
        raise GridgraphError(f"{out_dir} already holds {existing[0].name}",
                             hint="use an empty folder, or --overwrite to replace the sample")


def _district_code(spec: ScaleSpec, index: int) -> str:
    # Six-digit codes in the style of the national division codes: 37 (Shandong), city, district.
    # A lone district gets 371327, the code of 莒南县, whose ledgers the county scale imitates.
    if spec.districts == 1:
        return "371327"
    city, district = divmod(index, _CITY.districts)
    return f"37{city + 13:02d}{district + 2:02d}"


def _first_street(spec: ScaleSpec, seed: int) -> int:
    """The number of a district's first street in its code. A one-street sample (the community
    scale, the bundled sample) takes street 100 + seed mod 900: the county's streets are 001–006,
    so no code of one sample names another sample's community, nor do two seeds share one."""
    return 100 + seed % 900 if spec.streets == 1 else 1


class _Compound(NamedTuple):
    id: str
    name: str
    buildings: list[str]


class _Committee(NamedTuple):
    id: str
    kind: OwnerCommitteeKind
    members: list[str]  # everyone on it but the director


@dataclass(eq=False)
class _Community:
    """What the later steps of a district need to know about one of its communities."""

    id: str
    name: str
    org: str  # its 党委 or 党总支
    street_org: str  # the street's 党工委
    compounds: list[_Compound]
    cadres: list[str]  # members of the residents' committee (居委会), who serve as instructors
    outsiders: list[str]  # committee directors and unit heads who may join the party committee
    companies: list[str]  # companies with a current contract here


class _District:
    """Generates the rows of one self-contained district: nothing in it refers to another district."""

    def __init__(self, rng: random.Random, spec: ScaleSpec, rates: SampleRates, as_of: dt.date,
                 code: str, first_street: int) -> None:
        self.rng, self.spec, self.rates, self.as_of, self.code = rng, spec, rates, as_of, code
        self.first_street = first_street  # the number of its first street in its code
        self.rows: dict[str, list] = {name: [] for name in LEDGERS}
        self._serials = {"org": 0, "person": 0}
        self._post_keys: set[tuple] = set()
        self._street_names, self._community_names = names.UniqueNames(), names.UniqueNames()
        self._company_names = names.UniqueNames()
        self._company_name: dict[str, str] = {}
        self._managers: dict[str, str] = {}
        self._company_places: dict[str, list[_Community]] = {}  # communities of current contracts
        self._current_secretary: dict[str, str] = {}  # branch → its current secretary

    # -- helpers ----------------------------------------------------------------------------
    def _chance(self, rate: float) -> bool:
        return self.rng.random() < rate

    def _days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(low, high))

    def _serial(self, kind: str) -> int:
        self._serials[kind] += 1
        return self._serials[kind]

    def _home(self, compounds: list[_Compound]) -> str:
        return self.rng.choice(self.rng.choice(compounds).buildings)

    def _org(self, name: str, kind: PartyOrgKind, parent: str | None, based_in_type: OrgType,
             based_in: list[str], *, may_orphan: bool = False) -> str:
        org_id = f"DZZ{self.code}{self._serial('org'):05d}"
        if may_orphan and self._chance(self.rates.orphan_party_org):
            parent = None
        self.rows["party_orgs"].append(PartyOrgRow(org_id, name, kind, parent, based_in_type, tuple(based_in)))
        return org_id

    def _person(self, *, member: bool, building: str | None = None, party_org: str | None = None,
                registered: str | None = None) -> str:
        rng = self.rng
        person_id = f"RY{self.code}{self._serial('person'):06d}"
        phone = f"1{rng.choice('3456789')}{rng.randrange(10 ** 9):09d}" if self._chance(0.9) else None
        id_number = _id_number(rng, self.code) if self._chance(0.35) else None
        self.rows["people"].append(PersonRow(person_id, names.person_name(rng), member, phone, id_number,
                                             building, registered, party_org if member else None))
        return person_id

    def _post(self, person: str, org_type: OrgType, org_id: str, role: Role | str, *,
              part_time: bool = False, lapsed: bool | None = None) -> bool:
        """Add a post (at most one per person, organisation and role); True when it is current.

        ``lapsed`` None lets the lapsed-post rate decide; a lapsed post mostly ended before as-of,
        sometimes has not yet begun.
        """
        key = (person, org_type, org_id, str(role))
        if key in self._post_keys:
            return False
        self._post_keys.add(key)
        if lapsed is None:
            lapsed = self._chance(self.rates.lapsed_post)
        if not lapsed:
            start = self.as_of - self._days(0, 2500)
            end = None if self._chance(0.8) else self.as_of + self._days(0, 1200)
        elif self._chance(0.8):
            end = self.as_of - self._days(1, 600)
            start = end - self._days(180, 1800)
        else:
            start, end = self.as_of + self._days(1, 90), None
        self.rows["posts"].append(PostRow(person, org_type, org_id, role, part_time, start, end))
        return not lapsed

    def _head(self, person: str, org_type: OrgType, org_id: str, role: Role, vacancy: float) -> bool:
        """The head's post; at the vacancy rate the seat is empty or its holder's post has lapsed."""
        if self._chance(vacancy):
            if self._chance(0.5):
                self._post(person, org_type, org_id, role, lapsed=True)
            return False
        return self._post(person, org_type, org_id, role, lapsed=False)

    # -- the hierarchy ----------------------------------------------------------------------
    def generate(self) -> dict[str, list]:
        """Every row of the district, by ledger name."""
        spec, rng = self.spec, self.rng
        self.name = names.district_name(rng)
        self.rows["areas"].append(AreaRow(self.code, self.name, AreaLevel.DISTRICT, None))
        expected_compounds = spec.communities * sum(spec.compounds) / 2
        self.companies = [self._company() for _ in range(max(2, round(expected_compounds / 5)))]
        # A few companies manage many compounds, most only one or two.
        self._company_weights = list(accumulate(1 / (rank + 1) ** 0.5 for rank in range(len(self.companies))))
        per_street, extra = divmod(spec.communities, spec.streets)
        for index in range(spec.streets):
            self._street(index, per_street + (index < extra))
        self._company_party_work()
        self._demand_progress()
        self._registered_away_from_home()
        self._venues()
        self._cases()
        self._ratings()
        _EdgeCases(self).plant()
        if self.rates.compound_without_party_org:  # the plants are compounds without one
            _CandidatePlants(self).plant()
        plant_seed_cases(self)
        self._outcomes()
        return self.rows

    def _company(self) -> str:
        taken = self._company_name
        code = _credit_code(self.rng, self.code)
        while code in taken:
            code = _credit_code(self.rng, self.code)
        taken[code] = self._company_names.draw(lambda rng: names.company_name(rng, self.name), self.rng)
        self.rows["property_companies"].append(CompanyRow(code, taken[code]))
        return code

    def _street(self, index: int, communities: int) -> None:
        street_id = f"{self.code}{self.first_street + index:03d}"
        name = self._street_names.draw(names.street_name, self.rng)
        self.rows["areas"].append(AreaRow(street_id, name, AreaLevel.STREET, self.code))
        org = self._org(f"{name}党工委", PartyOrgKind.WORKING_COMMITTEE, None, OrgType.STREET, [street_id])
        self._head(self._person(member=True, party_org=org), OrgType.PARTY_ORG, org, Role.SECRETARY,
                   self.rates.vacant_secretary)
        self._post(self._person(member=True, party_org=org), OrgType.PARTY_ORG, org, Role.DEPUTY_SECRETARY)
        earlier_grids: list[str] = []  # for buildings gridded by a neighbouring community
        for community in range(communities):
            self._community(street_id, org, community, earlier_grids)

    def _community(self, street_id: str, street_org: str, index: int, earlier_grids: list[str]) -> None:
        rng, spec = self.rng, self.spec
        community_id = f"{street_id}{index + 1:03d}"
        name = self._community_names.draw(names.community_name, rng)
        self.rows["areas"].append(AreaRow(community_id, name, AreaLevel.COMMUNITY, street_id))
        compound_names, compounds = names.UniqueNames(), []
        for number in range(1, rng.randint(*spec.compounds) + 1):
            compound = _Compound(f"XQ{community_id}{number:02d}",
                                 compound_names.draw(names.compound_name, rng), [])
            self.rows["compounds"].append(CompoundRow(compound.id, compound.name, community_id))
            for floor_number in range(1, rng.randint(*spec.buildings) + 1):
                building_id = f"LD{community_id}{number:02d}{floor_number:02d}"
                self.rows["buildings"].append(BuildingRow(building_id, f"{floor_number}号楼", compound.id))
                compound.buildings.append(building_id)
            compounds.append(compound)
        kind = PartyOrgKind.COMMITTEE if self._chance(0.6) else PartyOrgKind.GENERAL_BRANCH
        org = self._org(f"{name}{kind.zh}", kind, street_org, OrgType.COMMUNITY, [community_id])
        community = _Community(community_id, name, org, street_org, compounds, [], [], [])
        self._cadres(community)
        self._grids(community, earlier_grids)
        branches = self._compound_branches(community)
        for compound in compounds:
            self._compound(community, compound, branches.get(compound.id))
        units = self._resident_units(community)
        self._part_time_members(community)
        self._registered_members(community)
        self._lists(community, units)

    def _cadres(self, community: _Community) -> None:
        rng, org, home = self.rng, community.org, community.compounds
        secretary = self._person(member=True, building=self._home(home), party_org=org)
        self._head(secretary, OrgType.PARTY_ORG, org, Role.SECRETARY, self.rates.vacant_secretary)
        deputy = self._person(member=True, building=self._home(home), party_org=org)
        self._post(deputy, OrgType.PARTY_ORG, org, Role.DEPUTY_SECRETARY)
        members = [self._person(member=True, building=self._home(home), party_org=org)
                   for _ in range(rng.randint(2, 3))]
        for member in members:
            self._post(member, OrgType.PARTY_ORG, org, Role.MEMBER)
        # The residents' committee (居委会): its director is usually the secretary (一肩挑).
        director = secretary if self._chance(0.8) else self._person(
            member=self._chance(0.6), building=self._home(home), party_org=org)
        self._post(director, OrgType.COMMUNITY, community.id, Role.DIRECTOR, lapsed=False)
        deputy_director = self._person(member=False, building=self._home(home))
        self._post(deputy_director, OrgType.COMMUNITY, community.id, Role.DEPUTY_DIRECTOR)
        self._post(members[0], OrgType.COMMUNITY, community.id, Role.MEMBER)
        community.cadres.extend([deputy_director, members[0]])

    # -- grids ------------------------------------------------------------------------------
    def _grid(self, community: _Community, number: int, name: str, grid_type: GridType) -> GridRow:
        grid = GridRow(f"WG{community.id}{number:02d}", name, community.id, grid_type)
        self.rows["grids"].append(grid)
        return grid

    def _grids(self, community: _Community, earlier_grids: list[str]) -> None:
        rng, rates = self.rng, self.rates
        count = rng.randint(*self.spec.grids)
        grids = [self._grid(community, n, f"{community.name}第{n}网格", GridType.COMPREHENSIVE)
                 for n in range(1, count + 1)]
        buildings = [(building, compound) for compound in community.compounds for building in compound.buildings]
        bounds = [round(n * len(buildings) / count) for n in range(count + 1)]
        coverage: dict[str, list[CoverageRow]] = {}
        for n, grid in enumerate(grids):
            chunk = buildings[bounds[n]:bounds[n + 1]]
            rows = coverage[grid.id] = []
            # A compound lying wholly in one grid is sometimes listed as a whole.
            in_chunk = Counter(compound.id for _, compound in chunk)
            sizes = {compound.id: len(compound.buildings) for _, compound in chunk}
            listed_whole = [compound for compound, listed in in_chunk.items()
                            if listed == sizes[compound] and self._chance(rates.compound_level_coverage)]
            rows.extend(CoverageRow(grid.id, None, compound) for compound in listed_whole)
            for building, compound in chunk:
                if compound.id in listed_whole or self._chance(rates.uncovered_building):
                    continue
                covering = grid.id
                if earlier_grids and self._chance(rates.cross_community_building):
                    covering = rng.choice(earlier_grids)
                rows.append(CoverageRow(covering, building, None))
                if count > 1 and self._chance(rates.overlapping_grid):
                    rows.append(CoverageRow(grids[n - 1 if n else 1].id, building, None))
        if self._chance(rates.extra_grid_type):
            grid_type = rng.choice(_EXTRA_GRID_TYPES)
            extra = self._grid(community, len(grids) + 1, f"{community.name}{grid_type.zh}", grid_type)
            source = coverage[rng.choice(grids).id]
            # Same buildings as a comprehensive grid: one building, one grid of each kind.
            coverage[extra.id] = list(dict.fromkeys(row._replace(grid_id=extra.id) for row in source))
            grids.append(extra)
        if self._chance(rates.empty_grid):
            grids.append(self._grid(community, len(grids) + 1, f"{community.name}第{count + 1}网格",
                                    GridType.COMPREHENSIVE))
        for rows in coverage.values():
            self.rows["grid_coverage"].extend(rows)
        earlier_grids.extend(grid.id for grid in grids if grid.grid_type is GridType.COMPREHENSIVE)
        self._staff_grids(community, grids)

    def _staff_grids(self, community: _Community, grids: list[GridRow]) -> None:
        rates, worker, worker_is_member = self.rates, None, False
        for grid in grids:
            staffed = not self._chance(rates.grid_without_worker)
            if staffed:
                # Now and then one worker looks after two neighbouring grids.
                if worker is None or not self._chance(0.25):
                    worker_is_member = self._chance(0.4)
                    worker = self._person(member=worker_is_member, building=self._home(community.compounds),
                                          party_org=community.org)
                self._post(worker, OrgType.GRID, grid.id, Role.GRID_WORKER)
            if grid.grid_type is GridType.COMPREHENSIVE and not self._chance(rates.grid_without_branch):
                branch = self._org(f"{grid.name}党支部", PartyOrgKind.BRANCH, community.org, OrgType.GRID,
                                   [grid.id], may_orphan=True)
                # A worker who is a party member usually leads the grid's branch as well.
                secretary = worker if staffed and worker_is_member else self._person(
                    member=True, building=self._home(community.compounds), party_org=branch)
                if self._head(secretary, OrgType.PARTY_ORG, branch, Role.SECRETARY, rates.vacant_secretary):
                    self._post(secretary, OrgType.GRID, grid.id, Role.GRID_LEADER)  # 支部书记任网格长

    # -- compounds --------------------------------------------------------------------------
    def _compound_branches(self, community: _Community) -> dict[str, str]:
        """The party organisation of each compound that has one: its own branch or a joint one."""
        rates, branch_of, joint = self.rates, {}, []
        for compound in community.compounds:
            roll = self.rng.random()
            if roll < rates.compound_without_party_org:
                continue
            if roll < rates.compound_without_party_org + rates.joint_branch:
                joint.append(compound)
            else:
                branch_of[compound.id] = self._branch(community, [compound])
        while joint:
            size = self.rng.randint(2, 3)
            group, joint = joint[:size], joint[size:]
            org = self._branch(community, group)
            branch_of.update(dict.fromkeys((compound.id for compound in group), org))
        return branch_of

    def _branch(self, community: _Community, compounds: list[_Compound]) -> str:
        if len(compounds) == 1:
            kind, name = PartyOrgKind.BRANCH, f"{compounds[0].name}党支部"
        else:
            kind, name = PartyOrgKind.JOINT_BRANCH, "、".join(c.name for c in compounds) + "联合党支部"
        org = self._org(name, kind, community.org, OrgType.COMPOUND, [c.id for c in compounds],
                        may_orphan=True)
        secretary = self._person(member=True, building=self._home(compounds), party_org=org)
        if self._head(secretary, OrgType.PARTY_ORG, org, Role.SECRETARY, self.rates.vacant_secretary):
            self._current_secretary[org] = secretary
        for _ in range(self.rng.randint(*self.spec.members)):
            member = self._person(member=True, building=self._home(compounds), party_org=org)
            self._post(member, OrgType.PARTY_ORG, org, Role.MEMBER)
        return org

    def _compound(self, community: _Community, compound: _Compound, branch: str | None) -> None:
        self._buildings(community, compound, branch)
        committee = self._owner_committee(community, compound, branch)
        company = self._contracts(community, compound, committee)
        if company is None:
            return
        if committee and self._chance(self.rates.conflict_of_interest):
            # The committee supervises the company, yet one of its members works for it.
            self._post(self.rng.choice(committee.members), OrgType.PROPERTY_COMPANY, company, EMPLOYEE)
        if branch and self._chance(self.rates.company_joins_branch):
            self._post(self._manager(company), OrgType.PARTY_ORG, branch, Role.PART_TIME_MEMBER, part_time=True)

    def _buildings(self, community: _Community, compound: _Compound, branch: str | None) -> None:
        spec = self.spec
        for number, building in enumerate(compound.buildings, start=1):
            leader = None
            if self._chance(spec.building_leaders):
                member = self._chance(0.5)
                leader = self._person(member=member, building=building, party_org=branch or community.org)
                self._post(leader, OrgType.BUILDING, building, Role.BUILDING_LEADER)
                leader = leader if member else None
            if branch and self._chance(spec.building_groups):
                group = self._org(f"{compound.name}{number}号楼党小组", PartyOrgKind.GROUP, branch,
                                  OrgType.BUILDING, [building])
                head = leader or self._person(member=True, building=building, party_org=group)
                self._post(head, OrgType.PARTY_ORG, group, GROUP_LEADER)
                if self._chance(0.3):
                    self._post(head, OrgType.BUILDING, building, Role.CENTRAL_HOUSEHOLD)

    def _owner_committee(self, community: _Community, compound: _Compound,
                         branch: str | None) -> _Committee | None:
        """The compound's owner committee, 物管会 or 自管会, if it has one."""
        rates, as_of = self.rates, self.as_of
        roll = self.rng.random()
        if roll < rates.no_owner_committee:
            return None
        if roll < rates.no_owner_committee + rates.self_management:
            kind, suffix, years = OwnerCommitteeKind.SELF_MANAGEMENT, "业主自管会", 3
        elif roll < rates.no_owner_committee + rates.self_management + rates.management_committee:
            kind, suffix, years = OwnerCommitteeKind.MANAGEMENT_COMMITTEE, "物业管理委员会", 3
        else:
            kind, suffix, years = OwnerCommitteeKind.OWNERS_COMMITTEE, "业主委员会", 5
        term = dt.timedelta(days=years * 365 - 1)
        roll = self.rng.random()
        if roll < rates.expired_term:
            end = as_of - self._days(1, 900)
            start = end - term
        elif roll < rates.expired_term + rates.future_term:
            start = as_of + self._days(1, 90)
            end = start + term
        elif kind is OwnerCommitteeKind.SELF_MANAGEMENT and self._chance(0.5):
            start = end = None  # self-management groups often keep no term at all
        else:
            start = as_of - self._days(0, years * 365 - 1)
            end = start + term
        committee_id = f"YWH{compound.id[2:]}"
        name = f"{compound.name}{suffix}"
        self.rows["owner_committees"].append(OwnerCommitteeRow(committee_id, name, kind, compound.id, start, end))
        secretary = self._current_secretary.get(branch)
        if secretary and self._chance(self.rates.secretary_directs_committee):
            director = secretary  # 支部书记通过法定程序担任业委会主任
        else:
            director = self._person(member=self._chance(0.5), building=self._home([compound]),
                                    party_org=branch or community.org)
        committee_type = OrgType.OWNER_COMMITTEE
        if self._head(director, committee_type, committee_id, Role.DIRECTOR, rates.vacant_director):
            community.outsiders.append(director)
        members = [self._person(member=self._chance(0.3), building=self._home([compound]),
                                party_org=branch or community.org)
                   for _ in range(1 + self.rng.randint(*self.spec.members))]
        self._post(members[0], committee_type, committee_id, Role.DEPUTY_DIRECTOR)
        for member in members[1:]:
            self._post(member, committee_type, committee_id, Role.MEMBER)
        if kind is OwnerCommitteeKind.OWNERS_COMMITTEE and self._chance(rates.committee_party_branch):
            org = self._org(f"{name}党支部", PartyOrgKind.BRANCH, community.org, committee_type, [committee_id],
                            may_orphan=True)
            head = self._person(member=True, building=self._home([compound]), party_org=org)
            self._head(head, OrgType.PARTY_ORG, org, Role.SECRETARY, rates.vacant_secretary)
        return _Committee(committee_id, kind, members)

    def _contracts(self, community: _Community, compound: _Compound,
                   committee: _Committee | None) -> str | None:
        """The compound's property contracts; returns the company with a current one, if any."""
        rates, as_of = self.rates, self.as_of
        roll = self.rng.random()
        self_managed = committee is not None and committee.kind is OwnerCommitteeKind.SELF_MANAGEMENT
        if roll < rates.unmanaged_compound or (self_managed and self._chance(0.8)):
            return None
        company = self._pick_company()
        if roll < rates.unmanaged_compound + rates.expired_contract:
            end = as_of - self._days(1, 700)
            self.rows["property_contracts"].append(ContractRow(company, compound.id, end - 3 * _YEAR, end))
            return None
        start = as_of - self._days(0, 2500)
        if self._chance(rates.contract_history):
            ended = start - dt.timedelta(days=1)
            self.rows["property_contracts"].append(
                ContractRow(self._pick_company(), compound.id, ended - self._days(365, 1800), ended))
        end = None if self._chance(0.4) else as_of + self._days(0, 1500)
        self.rows["property_contracts"].append(ContractRow(company, compound.id, start, end))
        self._company_places.setdefault(company, []).append(community)
        community.companies.append(company)
        return company

    def _pick_company(self) -> str:
        return self.rng.choices(self.companies, cum_weights=self._company_weights)[0]

    def _manager(self, company: str) -> str:
        """The company's project manager (项目经理), created on first need."""
        if company not in self._managers:
            manager = self._person(member=self._chance(0.4))
            self._post(manager, OrgType.PROPERTY_COMPANY, company, Role.PROJECT_MANAGER, lapsed=False)
            self._managers[company] = manager
        return self._managers[company]

    # -- the community's partners -----------------------------------------------------------
    def _resident_units(self, community: _Community) -> list[ResidentUnitRow]:
        if self._chance(self.rates.community_without_units):
            return []
        units = []
        for number in range(1, self.rng.randint(1, 4) + 1):
            kind, name = names.resident_unit(self.rng, self.name)
            unit = ResidentUnitRow(f"DW{community.id}{number:02d}", name, kind, community.id)
            self.rows["resident_units"].append(unit)
            head = self._person(member=True)
            if self._post(head, OrgType.RESIDENT_UNIT, unit.id, UNIT_HEAD):
                community.outsiders.append(head)
            units.append(unit)
        return units

    def _part_time_members(self, community: _Community) -> None:
        """Committee directors, unit heads and company managers on the community party committee."""
        managers = [self._manager(company) for company in dict.fromkeys(community.companies)]
        for person in [*community.outsiders, *managers]:
            if self._chance(self.rates.part_time_member):
                # Most are recorded as 兼职委员, some as 委员 with the part-time flag set.
                role = Role.PART_TIME_MEMBER if self._chance(0.7) else Role.MEMBER
                self._post(person, OrgType.PARTY_ORG, community.org, role, part_time=True)

    def _registered_members(self, community: _Community) -> None:
        """In-service party members registering where they live (双报到), and a volunteer or two."""
        for _ in range(self.rng.randint(*self.spec.registered_members)):
            self._person(member=True, building=self._home(community.compounds), registered=community.id)
        if self._chance(0.3):
            self._person(member=False, building=self._home(community.compounds), registered=community.id)

    def _lists(self, community: _Community, units: list[ResidentUnitRow]) -> None:
        rng, rows = self.rng, self.rows["lists"]
        demands, resources = [], []
        for number in range(1, rng.randint(1, 3) + 1):
            raised_by = community if self._chance(0.6) else rng.choice(community.compounds)
            demands.append(ListRow(f"DM{community.id}{number:02d}", ListKind.DEMAND,
                                   names.demand_title(rng, raised_by.name), community.id, raised_by.id, ()))
        for unit in units:
            for _ in range(rng.randint(0, 2)):
                resources.append(ListRow(f"RS{community.id}{len(resources) + 1:02d}", ListKind.RESOURCE,
                                         names.resource_title(rng, unit.name), community.id, unit.id, ()))
        rows.extend(demands)
        rows.extend(resources)
        projects = 0
        for demand in demands:
            if resources and not self._chance(self.rates.unmatched_demand):
                resource = rng.choice(resources)
                projects += 1
                rows.append(ListRow(f"PJ{community.id}{projects:02d}", ListKind.PROJECT, f"{demand.title}项目",
                                    community.id, community.id, (demand.id, resource.id)))

    # -- the seed reports' mechanisms, drawn from their own generator so that adding them leaves
    # -- every earlier row (and answer) of a seed as it was
    def _side_rng(self, purpose: str) -> random.Random:
        """A generator for one later addition, seeded by the district as generated so far."""
        return random.Random(f"{purpose}:{self.code}:{self.name}:{len(self.rows['posts'])}")

    def _demand_progress(self) -> None:
        """Status and dates of every demand (C17): most raised in the last two years and many closed
        (some undated, as ledgers that only tick 办结); a few raised after the as-of date, or closed
        after it."""
        rng, day = self._side_rng("demands"), dt.timedelta(days=1)
        lists = self.rows["lists"]
        for index, item in enumerate(lists):
            if item.kind is not ListKind.DEMAND:
                continue
            raised = self.as_of - day * rng.randint(-30, 700)
            roll = rng.random()
            if roll < 0.5:
                closed = raised + day * rng.randint(3, 240)
                status = ListStatus.CLOSED
                if rng.random() < 0.15:
                    closed = None  # 办结 without a date
            else:
                closed, status = None, ListStatus.IN_PROGRESS if roll < 0.8 else ListStatus.OPEN
            lists[index] = item._replace(status=status, raised=raised, closed=closed)

    def _registered_away_from_home(self) -> None:
        """A few in-service members registered with another community than the one they live in (B14)."""
        rng = self._side_rng("registrations")
        communities = sorted({row.id for row in self.rows["areas"] if row.level is AreaLevel.COMMUNITY})
        people = self.rows["people"]
        for index, person in enumerate(people):
            if len(communities) > 1 and person.registered_community_id and rng.random() < 0.04:
                elsewhere = rng.choice([c for c in communities if c != person.registered_community_id])
                people[index] = person._replace(registered_community_id=elsewhere)

    def _venues(self) -> None:
        """党群服务阵地 (C13, C14, B12): a centre in most communities, a station or 同心驿 in most compounds
        (a fifth of them in one of its buildings, a few compounds with two), some grid workers' posts,
        now and then a room in a resident unit or a company (红色物业驿站, a kind the schema does not
        name); some areas left blank, some venues closed."""
        rng, rows = self._side_rng("venues"), self.rows["venues"]
        communities = [row for row in self.rows["areas"] if row.level is AreaLevel.COMMUNITY]
        compounds: dict[str, list[CompoundRow]] = {}
        for compound in self.rows["compounds"]:
            compounds.setdefault(compound.community_id, []).append(compound)
        buildings: dict[str, list[str]] = {}
        for building in self.rows["buildings"]:
            buildings.setdefault(building.compound_id, []).append(building.id)
        grids: dict[str, list[GridRow]] = {}
        for grid in self.rows["grids"]:
            grids.setdefault(grid.community_id, []).append(grid)

        def venue(community: str, name: str, kind: VenueKind | str, where: OrgType, place: str, area: tuple[int, int]):
            area_m2 = rng.randint(*area) if rng.random() < 0.88 else None
            is_open = True if rng.random() < 0.8 else None if rng.random() < 0.5 else False
            rows.append(VenueRow(f"ZD{community}{len(rows) + 1:04d}", name, kind, where, place, area_m2, is_open))

        for community in communities:
            if rng.random() < 0.9:
                venue(community.id, f"{community.name}党群服务中心", VenueKind.CENTRE, OrgType.COMMUNITY,
                      community.id, (120, 650))
            for grid in grids.get(community.id, ()):
                if rng.random() < 0.15:
                    venue(community.id, f"{grid.name}网格员驿站", VenueKind.GRID_WORKER_POST, OrgType.GRID, grid.id,
                          (15, 60))
            for compound in compounds.get(community.id, ()):
                if rng.random() < 0.25:
                    continue  # B12
                for kind in (VenueKind.STATION, VenueKind.TONGXIN)[:1 + (rng.random() < 0.15)]:
                    inside = buildings.get(compound.id)
                    if inside and rng.random() < 0.2:
                        where, place = OrgType.BUILDING, rng.choice(inside)
                    else:
                        where, place = OrgType.COMPOUND, compound.id
                    venue(community.id, f"{compound.name}{kind.zh}", kind, where, place, (30, 220))
        for unit in self.rows["resident_units"]:
            if rng.random() < 0.05:
                venue(unit.community_id, f"{unit.name}活动室", VenueKind.ACTIVITY_ROOM, OrgType.RESIDENT_UNIT, unit.id,
                      (40, 300))
        for company, places in self._company_places.items():
            if rng.random() < 0.1:  # a kind the schema does not name, kept as written
                venue(places[0].id, f"{self._company_name[company]}红色物业驿站", "红色物业驿站",
                      OrgType.PROPERTY_COMPANY, company, (20, 120))

    def _cases(self) -> None:
        """Cases (诉求工单, C18, B16) about communities, compounds and buildings: most closed within a
        month, a few still open; busy compounds with many recent cases; and, in each district, cases
        on the boundaries: received and closed on the as-of date, received on the first day of
        B16's window (which makes its compound busy) and the day before it (which does not)."""
        rng, day = self._side_rng("cases"), dt.timedelta(days=1)
        rows, as_of = self.rows["cases"], self.as_of
        buildings: dict[str, list[str]] = {}
        for building in self.rows["buildings"]:
            buildings.setdefault(building.compound_id, []).append(building.id)
        compounds = self.rows["compounds"]
        on_edge, past_edge = rng.sample(range(len(compounds)), 2) if len(compounds) > 1 else (0, None)
        recent = RECENT_CASE_DAYS - 1  # the first day of the window is as_of - recent

        def add(about_type: OrgType, about_id: str, place: str, received: dt.date, closed: dt.date | None) -> None:
            category = rng.choice(_CASE_CATEGORIES)
            source = rng.choices(_CASE_SOURCES, weights=(5, 3, 3, 1, 1))[0]
            rows.append(CaseRow(f"GD{self.code}{len(rows) + 1:06d}", f"{place}{category}", about_type, about_id,
                                source, category, received, closed))

        def received_and_closed(received: dt.date) -> tuple[dt.date, dt.date | None]:
            roll = rng.random()
            if roll < 0.8:
                return received, received + day * rng.randint(0, 30)  # some closed after the as-of date
            return received, None

        for number, compound in enumerate(compounds):
            if number in (on_edge, past_edge):
                # four cases inside the window, and one on its first day or on the day before it
                dates = [as_of - day * rng.randint(0, recent - 1) for _ in range(MANY_CASES_DEFAULT - 1)]
                dates.append(as_of - day * (recent if number == on_edge else recent + 1))
            elif rng.random() < 0.06:
                dates = [as_of - day * rng.randint(0, recent) for _ in range(rng.randint(5, 8))]
            else:
                dates = [as_of - day * rng.randint(-20, 400) for _ in range(rng.randint(0, 3))]
            for received in dates:
                if rng.random() < 0.6:
                    target = rng.choice(buildings[compound.id])
                    add(OrgType.BUILDING, target, compound.name, *received_and_closed(received))
                else:
                    add(OrgType.COMPOUND, compound.id, compound.name, *received_and_closed(received))
        communities = [row for row in self.rows["areas"] if row.level is AreaLevel.COMMUNITY]
        for community in communities:
            for _ in range(rng.randint(0, 2)):
                add(OrgType.COMMUNITY, community.id, community.name,
                    *received_and_closed(as_of - day * rng.randint(0, 400)))
        place = communities[0]
        add(OrgType.COMMUNITY, place.id, place.name, as_of, as_of)  # received and closed on the as-of date
        add(OrgType.COMMUNITY, place.id, place.name, as_of, None)   # received on it, open

    def _outcomes(self) -> None:
        """O1–O3: a 户数 for nine compounds in ten (those the seed cases leave without), and cases far
        denser where X2 finds no linkage (30–40 in the year before B16's window, a third still
        open): a test that swapped two groups would see it, and B16's recent cases stay as they were."""
        rng, day = self._side_rng("outcomes"), dt.timedelta(days=1)
        self.rows["compounds"] = [row if row.households is not None else
                                  row._replace(households=rng.randint(80, 1200) if rng.random() < 0.9 else None)
                                  for row in self.rows["compounds"]]
        status = linkage_status(self.rows, self.as_of)
        cases = self.rows["cases"]
        for compound in self.rows["compounds"]:
            if status.get(compound.id) != "none":
                continue
            for _ in range(rng.randint(30, 40)):
                received = self.as_of - day * rng.randint(RECENT_CASE_DAYS, 364)
                closed = received + day * rng.randint(5, 60) if rng.random() < 0.67 else None
                cases.append(CaseRow(f"GD{self.code}{len(cases) + 1:06d}", f"{compound.name}物业服务", OrgType.COMPOUND,
                                     compound.id, CaseSource.HOTLINE, "物业服务", received, closed))

    def _ratings(self) -> None:
        """Property ratings (物业红黑榜, B17) by the compound, community or street a company serves, at
        quarter ends: one company rated red and then black (the latest wins: listed), one black
        and then red (not listed), one black-listed without a current contract; the others at random,
        a few rated after the as-of date."""
        rng = self._side_rng("ratings")
        streets = {row.id: row.parent_id for row in self.rows["areas"] if row.level is AreaLevel.COMMUNITY}
        served = {row.company_id: row.compound_id for row in self.rows["property_contracts"]}
        compound_community = {row.id: row.community_id for row in self.rows["compounds"]}
        quarters = [self.as_of - dt.timedelta(days=91 * back) for back in (3, 2, 1, 0, -1)]
        red, black = RatingResult.RED_LIST, RatingResult.BLACK_LIST
        serving = [company for company in self.companies if company in self._company_places]
        idle = [company for company in self.companies if company not in self._company_places and company in served]
        planned = dict(zip(serving, ((red, black), (black, red))))
        planned.update(dict.fromkeys(idle[:1], (black,)))
        for company in self.companies:
            if company not in served:
                continue  # a company that never served here is rated by no one here
            results = planned.get(company)
            if results is None:
                if rng.random() < 0.4:
                    continue
                results = rng.choices(list(RatingResult), weights=(4, 2, 1, 1, 2, 3, 2), k=rng.randint(1, 3))
            compound = served[company]
            community = compound_community[compound]
            first = len(quarters) - len(results) - (1 if company in planned else rng.randint(0, 1))
            for date, result in zip(quarters[first:], results):
                rater_type, rater = rng.choice(((OrgType.COMPOUND, compound), (OrgType.COMMUNITY, community),
                                                (OrgType.STREET, streets[community])))
                period = f"{date.year}年第{(date.month - 1) // 3 + 1}季度" if rng.random() < 0.7 else None
                self.rows["property_ratings"].append(RatingRow(company, rater_type, rater, date, result, period))

    def _company_party_work(self) -> None:
        """Own branches, joint branches or instructors for companies with a current contract (红色物业)."""
        rates, joint = self.rates, []
        for company in self.companies:
            if company not in self._company_places:
                continue
            self._manager(company)
            home = self._company_places[company][0]
            roll = self.rng.random()
            if roll < rates.company_without_coverage:
                continue
            if roll < rates.company_without_coverage + rates.company_own_branch:
                self._company_branch([company], home)
            elif roll < rates.company_without_coverage + rates.company_own_branch + rates.company_joint_branch:
                joint.append(company)
            else:
                self._post(self.rng.choice(home.cadres), OrgType.PROPERTY_COMPANY, company, Role.INSTRUCTOR)
        for first in range(0, len(joint), 2):
            self._company_branch(joint[first:first + 2], self._company_places[joint[first]][0])

    def _company_branch(self, companies: list[str], home: _Community) -> None:
        company_names = [self._company_name[company] for company in companies]
        if len(companies) == 1:
            kind, name = PartyOrgKind.BRANCH, f"{company_names[0]}党支部"
        else:
            kind, name = PartyOrgKind.JOINT_BRANCH, "、".join(company_names) + "联合党支部"
        org = self._org(name, kind, home.street_org, OrgType.PROPERTY_COMPANY, companies, may_orphan=True)
        self._head(self._person(member=True, party_org=org), OrgType.PARTY_ORG, org, Role.SECRETARY,
                   self.rates.vacant_secretary)



class _EdgeCases:
    """Rows on the edges the audits must get exactly right, planted in every district at every scale.

    In the district's first community: terms, contracts and posts that end exactly on the as-of
    date (still current) and ones that begin on it (already current); a 党委 based in the street
    (street level, so neither it nor its branches lack a path to the street); every accepted
    spelling of every role the audits ask about (``ROLE_SPELLINGS``), each the only post that
    makes its organisation count; phone numbers written as +86, with spaces and with dashes; two
    people cross-appointed to a compound's committee, the company managing it, its party branch and
    the street's 大党委 (X1, X2, X4, X5), one whose posts begin on the as-of date, one whose end on it.
    Cycles and impossible parents are not planted: the loader refuses them (B8's cases,
    queries/questions/B8/cases.toml, build them by hand). A random stream of its own leaves every
    other row of the district as it was.
    """

    PHONES = ("+86 138 1234 5678", "138-1234-5678", "138 1234 5678", "+8613812345678")

    def __init__(self, district: _District) -> None:
        self.district, self.as_of, self.rows = district, district.as_of, district.rows
        self.rng = random.Random(f"edge cases of {district.code}")
        self.community = next(row for row in self.rows["areas"] if row.level is AreaLevel.COMMUNITY)
        self._posts = self._people = 0

    def plant(self) -> None:
        community, as_of = self.community, self.as_of
        ending, beginning = (self._compound(f"XQ{community.id}E{n}", f"边界{n}小区") for n in (1, 2))
        street_committee = self.district._org(f"{community.name}街道大党委", PartyOrgKind.COMMITTEE, None,
                                              OrgType.STREET, [community.parent_id])
        branches = {ending: self.district._org(f"{ending}党支部", PartyOrgKind.BRANCH, street_committee,
                                               OrgType.COMPOUND, [ending]),
                    beginning: self.district._org(f"{beginning}党总支", PartyOrgKind.GENERAL_BRANCH,
                                                  street_committee, OrgType.COMPOUND, [beginning])}
        company = self.district.companies[0]
        self.rows["property_contracts"].append(ContractRow(company, ending, as_of - 3 * _YEAR, as_of))
        self.rows["property_contracts"].append(ContractRow(company, beginning, as_of, None))
        branch = self.district._org(f"{community.name}边界党支部", PartyOrgKind.BRANCH, street_committee,
                                    OrgType.COMMUNITY, [community.id])
        places = {"secretary": [street_committee, branches[ending], branches[beginning], branch],
                  "director": [self._committee(compound, n) for n, compound in
                               enumerate((ending, beginning, ending), start=1)],
                  "grid_worker": [self._grid(ending, n) for n in range(1, 4)],
                  "grid_leader": [self._grid(beginning, 4)],
                  "building_leader": [self._building(ending, n) for n in (1, 2)],
                  "instructor": [self._company(beginning, n) for n in (1, 2, 3)],
                  "part_time_member": [street_committee]}
        org_types = {"secretary": OrgType.PARTY_ORG, "director": OrgType.OWNER_COMMITTEE,
                     "grid_worker": OrgType.GRID, "grid_leader": OrgType.GRID,
                     "building_leader": OrgType.BUILDING, "instructor": OrgType.PROPERTY_COMPANY,
                     "part_time_member": OrgType.PARTY_ORG}
        for role, spellings in ROLE_SPELLINGS.items():
            for org, spelling in zip(places[role], spellings, strict=True):
                self._post(org_types[role], org, spelling)
        beginning_committee, ending_committee = places["director"][1], places["director"][0]
        for committee, branch, (start, end) in ((beginning_committee, branches[beginning], (as_of, None)),
                                                (ending_committee, branches[ending], (None, as_of))):
            person = self._person()
            for org_type, org, role in ((OrgType.OWNER_COMMITTEE, committee, Role.MEMBER),
                                        (OrgType.PROPERTY_COMPANY, company, Role.PROJECT_MANAGER),
                                        (OrgType.PARTY_ORG, branch, Role.MEMBER),
                                        (OrgType.PARTY_ORG, street_committee, Role.MEMBER)):
                self.rows["posts"].append(PostRow(person, org_type, org, role, False, start, end))

    def _compound(self, compound_id: str, name: str) -> str:
        self.rows["compounds"].append(CompoundRow(compound_id, name, self.community.id))
        return compound_id

    def _committee(self, compound: str, number: int) -> str:
        """A 业委会 whose term ends on the as-of date (odd numbers) or begins on it (even)."""
        term = dt.timedelta(days=5 * 365 - 1)
        start, end = (self.as_of - term, self.as_of) if number % 2 else (self.as_of, self.as_of + term)
        committee_id = f"YWH{compound[2:]}{number}"
        self.rows["owner_committees"].append(OwnerCommitteeRow(
            committee_id, f"{compound}第{number}业主委员会", OwnerCommitteeKind.OWNERS_COMMITTEE, compound, start, end))
        return committee_id

    def _grid(self, compound: str, number: int) -> str:
        grid_id = f"WG{self.community.id}E{number}"
        self.rows["grids"].append(GridRow(grid_id, f"边界第{number}网格", self.community.id, GridType.COMPREHENSIVE))
        self.rows["grid_coverage"].append(CoverageRow(grid_id, None, compound))
        return grid_id

    def _building(self, compound: str, number: int) -> str:
        building_id = f"LD{compound[2:]}{number:02d}"
        self.rows["buildings"].append(BuildingRow(building_id, f"{number}号楼", compound))
        return building_id

    def _company(self, compound: str, number: int) -> str:
        """A company with a contract beginning on the as-of date and no party organisation."""
        company = _credit_code(self.rng, self.district.code)
        self.rows["property_companies"].append(CompanyRow(company, f"边界第{number}物业服务有限公司"))
        self.rows["property_contracts"].append(ContractRow(company, compound, self.as_of, None))
        return company

    def _post(self, org_type: OrgType, org: str, spelling: str) -> None:
        """The organisation's one post, held by a new person, ending or beginning on the as-of date."""
        self._posts += 1
        start, end = (None, self.as_of) if self._posts % 2 else (self.as_of, None)
        self.rows["posts"].append(PostRow(self._person(), org_type, org, spelling, False, start, end))

    def _person(self) -> str:
        """A new party member, the phone number written in the next of the planted formats."""
        self._people += 1
        person = f"RY{self.district.code}{self.district._serial('person'):06d}"
        phone = self.PHONES[self._people % len(self.PHONES)]
        self.rows["people"].append(PersonRow(person, names.person_name(self.rng), True, phone, None,
                                             None, None, None))
        return person

class _CandidatePlants:
    """People the candidate questions (R1–R6) must find, and people they must never list, planted
    in the district's last community with a random stream of their own (every other row of the
    district stays as it was).

    Two compounds with no party organisation: one where three party members live (R2: a 党支部 of
    their own) and one where two do (R2: a 联合党支部 with a neighbour), each with a non-member
    living there too. A third compound with a current 业委会 and a company of its own, linked to
    nobody on the party side (R1, both links missing): on the committee a party member holding no
    party post and a non-member director; on the company's staff a party member (its 项目经理) and
    a non-member; and a 委员 of the community's 党委 who lives there (R1: stand for the committee).
    The compounds are covered by the community's first comprehensive grid; the party members are
    members of the community's 党委. Planted unless the rates plant no compound without a party
    organisation.
    """

    def __init__(self, district: _District) -> None:
        self.district, self.as_of, self.rows = district, district.as_of, district.rows
        self.rng = random.Random(f"candidates of {district.code}")
        self.community = [row for row in self.rows["areas"] if row.level is AreaLevel.COMMUNITY][-1]
        self.community_org = next(row.id for row in self.rows["party_orgs"]
                                  if row.based_in_type is OrgType.COMMUNITY and self.community.id in row.based_in_id)

    def plant(self) -> None:
        for number, members in ((1, 3), (2, 2)):
            buildings = self._compound(number, buildings=2)
            for count in range(members):
                self._person(True, buildings[count % 2])
            self._person(False, buildings[0])
        linked = self._compound(3, buildings=1)[0]
        compound = f"XQ{self.community.id}R3"
        committee = f"YWH{self.community.id}R3"
        self.rows["owner_committees"].append(OwnerCommitteeRow(
            committee, "候选3小区业主委员会", OwnerCommitteeKind.OWNERS_COMMITTEE, compound,
            self.as_of - 2 * _YEAR, self.as_of + 3 * _YEAR))
        company = _credit_code(self.rng, self.district.code)
        self.rows["property_companies"].append(CompanyRow(company, "候选物业服务有限公司"))
        self.rows["property_contracts"].append(ContractRow(company, compound, self.as_of - 2 * _YEAR, None))
        start = self.as_of - _YEAR
        for member, org_type, org, role in ((True, OrgType.OWNER_COMMITTEE, committee, Role.MEMBER),
                                            (False, OrgType.OWNER_COMMITTEE, committee, Role.DIRECTOR),
                                            (True, OrgType.PROPERTY_COMPANY, company, Role.PROJECT_MANAGER),
                                            (False, OrgType.PROPERTY_COMPANY, company, "客服主管"),
                                            (True, OrgType.PARTY_ORG, self.community_org, Role.MEMBER)):
            person = self._person(member, linked if org_type is OrgType.PARTY_ORG else None)
            self.rows["posts"].append(PostRow(person, org_type, org, role, False, start, None))

    def _compound(self, number: int, buildings: int) -> list[str]:
        compound = f"XQ{self.community.id}R{number}"
        self.rows["compounds"].append(CompoundRow(compound, f"候选{number}小区", self.community.id))
        grid = next((row.id for row in self.rows["grids"]
                     if row.community_id == self.community.id and row.grid_type is GridType.COMPREHENSIVE), None)
        if grid is not None:
            self.rows["grid_coverage"].append(CoverageRow(grid, None, compound))
        found = [f"LD{compound[2:]}{n:02d}" for n in range(1, buildings + 1)]
        self.rows["buildings"].extend(BuildingRow(building, f"{n}号楼", compound)
                                      for n, building in enumerate(found, start=1))
        return found

    def _person(self, member: bool, building: str | None) -> str:
        person = f"RY{self.district.code}{self.district._serial('person'):06d}"
        phone = f"1{self.rng.choice('3456789')}{self.rng.randrange(10 ** 9):09d}"
        self.rows["people"].append(PersonRow(person, names.person_name(self.rng), member, phone, None,
                                             building, None, self.community_org if member else None))
        return person


_CASE_CATEGORIES = ("物业服务", "环境卫生", "房屋维修", "停车管理", "邻里纠纷", "噪音扰民", "供暖供水", "绿化养护")
# Where cases come from; the last is a source the schema does not name, kept as written.
_CASE_SOURCES = (CaseSource.HOTLINE, CaseSource.GRID_PATROL, CaseSource.RESIDENT, CaseSource.OTHER, "人民建议征集")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(rng: random.Random, area: str) -> str:
    """An 18-digit resident ID number (GB 11643) with a valid check digit."""
    born = dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange(46 * 365))
    body = f"{area}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + "10X98765432"[sum(int(digit) * weight for digit, weight in zip(body, _ID_WEIGHTS)) % 11]


def _credit_code(rng: random.Random, area: str) -> str:
    """An 18-character unified social credit code (GB 32100) of an enterprise, check digits valid."""
    org_code = f"{rng.randrange(10 ** 8):08d}"
    check = 11 - sum(int(digit) * weight for digit, weight in zip(org_code, _ORG_CODE_WEIGHTS)) % 11
    body = f"91{area}{org_code}" + {10: "X", 11: "0"}.get(check, str(check))
    total = sum(_CREDIT_CHARS.index(char) * weight for char, weight in zip(body, _CREDIT_WEIGHTS))
    return body + _CREDIT_CHARS[-total % 31]
