"""One printable page per compound (小区档案): what a street secretary takes to a meeting.

``compound_dossier`` gathers, for one compound on one date, its place and its three sides (party
organisations, owner committee with its term, property company with its contract), every current
post holder and which sides they link, its X2 status, every gap any question finds in it (with
the reason) and the candidates R1–R6 propose for each, its venues, its cases of the last year and
its company's latest rating. ``dossier_page`` writes it as offline HTML (escaped as the report
page is) or Markdown; ``gridgraph dossier`` is a thin shell over both.

The questions are asked over the compound's community only, on one shared index, so a dossier
takes a fraction of a second on a county.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import queries
from graphmodel.errors import QueryError
from graphmodel.graph import GovernanceGraph, NodeKey
from graphmodel.rules import POOR_RATINGS
from graphmodel.schema import NODE_MODELS, OwnerCommitteeKind, PartyOrgKind, RatingResult, role_zh, venue_kind_zh
from queries.cross import LINKAGE_SIDES, party_side
from queries.embedded import EmbeddedBackend, is_current, is_current_committee
from queries.results import STATUS_ZH, label_en
from queries.tables import Column, Table, Words

from .report_page import html_page, html_table
from .reports import _markdown_cell, render_tables, value_text
from .views.style import FONT_FACE

__all__ = ["Dossier", "compound_dossier", "dossier_page", "CASE_WINDOW_DAYS"]

#: The dossier's cases are those received in the year up to the as-of date.
CASE_WINDOW_DAYS = 365
#: The sides a post holder may link: a party organisation, the owner committee, the company, the community.
_SIDES = frozenset({"PartyOrg", "OwnerCommittee", "PropertyCompany", "Community"})
_TITLE = {"zh": "小区档案", "en": "Compound dossier"}
_META = {"zh": ("小区", "社区", "街道", "统计日期", "数据来源", "三方联动"),
         "en": ("Compound", "Community", "Street", "As of", "Source", "Party–committee–company linkage")}
_NOT_ASSESSED = {"zh": "未评估（缺{}）", "en": "not assessed (no {})"}
#: A side of the compound -> the reason a linkage question gives when the compound lacks it.
_SIDE_LACKED = dict(zip(("party", "committee", "company"), (reason.code for reason in LINKAGE_SIDES)))
_LACKS = {"party": ("党组织", "party organisation"), "committee": ("业委会", "owner committee"),
          "company": ("物业", "property company")}


@dataclass(frozen=True)
class Dossier:
    """A compound's dossier: who and where it is, its linkage status, and its sections as tables."""

    compound_id: str
    name: str
    community: str | None
    street: str | None
    as_of: dt.date
    source: str
    linkage: str | None  # complete | partial | none; None when X2 cannot assess it
    lacks: tuple[str, ...]  # what X2 would need (party, committee, company) when not assessed
    tables: tuple[Table, ...]


def compound_dossier(graph: GovernanceGraph, compound_id: str, *, as_of: dt.date | None = None,
                     source: str = "") -> Dossier:
    """The dossier of ``compound_id`` in ``graph`` on ``as_of`` (today by default).

    Raises
    ------
    QueryError
        No compound has this code.
    """
    backend = EmbeddedBackend(graph)
    index = backend.index
    compound = ("Compound", compound_id)
    if compound not in graph:
        raise QueryError(f"no compound {compound_id!r}", hint="use a 小区编码 from the compounds ledger")
    day = as_of or dt.date.today()
    community = index.parent.get(compound)
    scope = community[1] if community and community[0] == "Community" else None
    results = queries.run_group("all", backend, scope=scope, as_of=day)
    sides = _Sides(index, compound, community, day)
    # What the answers say of the compound itself: its linkage status, or the sides it lacks for one.
    named = {item.reason for result in results.values() for item in result.listed()
             if (item.label, item.id) == compound}
    linkage = next((status for status in STATUS_ZH if status in named), None)
    lacks = tuple(side for side, reason in _SIDE_LACKED.items() if reason in named)
    place = index.place_fields(compound, day)
    areas = {label: index.attrs.get((label, place[key]), {}).get("name") if place[key] else None
             for label, key in (("Community", "community_id"), ("Street", "street_id"))}
    gaps, candidates = _gaps(results, sides.things())
    tables = (sides.party_table(), sides.committee_table(), sides.company_table(), sides.holder_table(),
              _gap_table(gaps, candidates), _candidate_table(gaps, candidates), sides.venue_table(),
              sides.case_table())
    return Dossier(compound_id, index.attrs[compound]["name"], areas["Community"], areas["Street"], day, source,
                   linkage, lacks, tables)


def dossier_page(dossier: Dossier, fmt: str = "html", *, lang: str = "zh", show_pii: bool = False) -> str:
    """The dossier as one offline HTML page (``html``) or as Markdown (``md``); phones masked
    unless ``show_pii``."""
    labels = _META[lang]
    linkage = ((STATUS_ZH[dossier.linkage] if lang == "zh" else dossier.linkage) if dossier.linkage
               else _NOT_ASSESSED[lang].format(("、" if lang == "zh" else ", ").join(_LACKS[side][lang == "en"]
                                                                                    for side in dossier.lacks)))
    named = Words(f"{dossier.name}（{dossier.compound_id}）", f"{dossier.name} ({dossier.compound_id})")
    meta = [(labels[0], named.text(lang)), (labels[1], dossier.community or ""),
            (labels[2], dossier.street or ""), (labels[3], dossier.as_of.isoformat()), (labels[4], dossier.source),
            (labels[5], linkage)]
    title = f"{dossier.name} {_TITLE[lang]}"
    if fmt == "md":
        colon = "：" if lang == "zh" else ": "
        head = [f"# {_markdown_cell(title)}", "", *(f"- {_markdown_cell(k)}{colon}{_markdown_cell(v)}" for k, v in meta), ""]
        return "\n".join(head) + "\n" + render_tables(dossier.tables, "md", lang=lang, show_pii=show_pii)
    if fmt != "html":
        raise QueryError(f"a dossier is written as html or md, not {fmt!r}", hint="use -o page.html or -o page.md")
    return html_page(title, meta, [html_table(table, lang=lang, show_pii=show_pii) for table in dossier.tables],
                     lang=lang, font=FONT_FACE)


# -- the compound's sides -----------------------------------------------------------------------
class _Sides:
    """The compound's party organisations, committees, companies, post holders, venues and cases."""

    def __init__(self, index, compound: NodeKey, community: NodeKey | None, day: dt.date):
        self.index, self.compound, self.community, self.day = index, compound, community, day
        self.buildings = sorted(part for part in index.parts.get(compound, ()) if part[0] == "Building")
        self.committees = sorted(index.represented_by.get(compound, ()))
        self.committees_now = [c for c in self.committees if is_current_committee(index.attrs[c], day)]
        self.contracts = sorted(((company, props) for company, props in index.manages_into.get(compound, ())),
                                key=lambda pair: (pair[0], str(pair[1].get("start"))))
        self.companies_now = index.current_companies(compound, day)
        self.party = party_side(index, compound, community, day)
        extra = [org for place in (*self.buildings, *self.committees) for org in index.based_in.get(place, ())]
        self.party_orgs = sorted(set(self.party) | set(extra))
        self.residents = {person for building in self.buildings for person in index.residents.get(building, ())}

    def things(self) -> set[NodeKey]:
        """What a gap may be about: the compound, its buildings, organisations and residents."""
        return {self.compound, *self.buildings, *self.committees, *self.companies_now, *self.party_orgs,
                *self.residents}

    def party_table(self) -> Table:
        index = self.index
        rows = []
        for org in self.party_orgs:
            bases = index.bases.get(org, ())
            rows.append({"id": org[1], "name": index.attrs[org]["name"],
                         "kind": PartyOrgKind(index.attrs[org]["kind"]).zh,
                         "based_in": Words("、".join(f"{NODE_MODELS[base[0]].zh} {index.attrs[base]['name']}"
                                                    for base in bases),
                                           ", ".join(f"{label_en(base[0])} {index.attrs[base]['name']}" for base in bases))})
        return _table("party", "党组织", "Party organisations", [
            Column("id", "编码", "Code"), Column("name", "名称", "Name"), Column("kind", "类别", "Kind"),
            Column("based_in", "依托", "Based in")], rows)

    def committee_table(self) -> Table:
        index = self.index
        rows = [{"id": c[1], "name": index.attrs[c]["name"], "kind": OwnerCommitteeKind(index.attrs[c]["kind"]).zh,
                 "term_start": index.attrs[c].get("term_start"), "term_end": index.attrs[c].get("term_end"),
                 "current": c in self.committees_now} for c in self.committees]
        return _table("committee", "业委会（物管会）", "Owner committee", [
            Column("id", "编码", "Code"), Column("name", "名称", "Name"), Column("kind", "类型", "Kind"),
            Column("term_start", "任期开始", "Term start"), Column("term_end", "任期结束", "Term end"),
            Column("current", "在任", "Current")], rows)

    def company_table(self) -> Table:
        index, day = self.index, self.day
        rows = []
        for company, props in self.contracts:
            rated = [(p["date"], p["result"]) for _, p in index.ratings.get(company, ()) if p["date"] <= day]
            latest = max((date for date, _ in rated), default=None)
            results = sorted({result for date, result in rated if date == latest})
            rows.append({"id": company[1], "name": index.attrs[company]["name"], "start": props.get("start"),
                         "end": props.get("end"), "current": is_current(props, day),
                         "rating": "、".join(RatingResult(result).zh for result in results) or None,
                         "rated_on": latest, "poor": bool(set(results) & POOR_RATINGS) if results else None})
        return _table("company", "物业服务", "Property company", [
            Column("id", "企业编码", "Code"), Column("name", "企业", "Company"), Column("start", "合同开始", "Contract start"),
            Column("end", "合同结束", "Contract end"), Column("current", "在服务", "Current"),
            Column("rating", "最近评价", "Latest rating"), Column("rated_on", "评价日期", "Rated on"),
            Column("poor", "差评", "Poor")], rows)

    def holder_table(self) -> Table:
        """Every current post in the compound's sides, its community and its buildings, one row per person."""
        index, day = self.index, self.day
        orgs = [*self.party_orgs, *self.committees_now, *self.companies_now, *self.buildings,
                *([self.community] if self.community else [])]
        posts: dict[NodeKey, list[tuple[NodeKey, dict]]] = defaultdict(list)
        for org in orgs:
            for person, props in index.current_posts_in(org, day):
                posts[person].append((org, props))
        rows = []
        for person, held in sorted(posts.items()):
            attrs = index.attrs[person]
            sides = sorted({NODE_MODELS[org[0]].zh for org, _ in held if org[0] in _SIDES})
            rows.append({"person_id": person[1], "person_name": attrs["name"], "phone": attrs.get("phone"),
                         "party_member": bool(attrs.get("party_member")),
                         "posts": _posts_words([(index.attrs[org]["name"], props["role"])
                                                for org, props in sorted(held, key=lambda pair: pair[0])]),
                         "links": "、".join(sides) if len(sides) > 1 else None})
        return _table("holders", "现任职务人员", "Current post holders", [
            Column("person_id", "人员编码", "Person code"), Column("person_name", "姓名", "Name"),
            Column("phone", "联系电话", "Phone", pii="phone"), Column("party_member", "党员", "Party member"),
            Column("posts", "现任职务", "Current posts"), Column("links", "交叉联动", "Links")], rows)

    def venue_table(self) -> Table:
        index = self.index
        venues = sorted({venue for place in (self.compound, *self.buildings) for venue in index.venues_at.get(place, ())})
        rows = [{"id": v[1], "name": index.attrs[v]["name"], "kind": venue_kind_zh(index.attrs[v]["kind"]),
                 "area_m2": index.attrs[v].get("area_m2"), "open": index.attrs[v].get("open")} for v in venues]
        return _table("venues", "党群服务阵地", "Venues", [
            Column("id", "编码", "Code"), Column("name", "名称", "Name"), Column("kind", "类型", "Kind"),
            Column("area_m2", "面积(㎡)", "Area (m²)"), Column("open", "开放", "Open")], rows)

    def case_table(self) -> Table:
        index, day = self.index, self.day
        first = day - dt.timedelta(days=CASE_WINDOW_DAYS - 1)
        here = {self.compound, *self.buildings}
        received = closed = 0
        for case, attrs in index.nodes("Case"):
            if first <= attrs["received"] <= day and here & set(index.about.get(case, ())):
                received += 1
                closed += attrs.get("closed") is not None and attrs["closed"] <= day
        return _table("cases", f"近一年诉求（{first.isoformat()} 至 {day.isoformat()}）",
                      f"Cases of the last year ({first.isoformat()} to {day.isoformat()})", [
                          Column("received", "受理", "Received"), Column("closed", "办结", "Closed"),
                          Column("open", "未办结", "Open")],
                      [{"received": received, "closed": closed, "open": received - closed}])


def _posts_words(posts: list[tuple[str, str]]) -> Words:
    """``(organisation's name, role)`` pairs as a cell: ``梧桐小区党支部书记；…`` / ``梧桐小区党支部 (secretary); …``."""
    return Words("；".join(f"{name}{role_zh(role)}" for name, role in posts),
                 "; ".join(f"{name} ({value_text(role_zh(role), 'en')})" for name, role in posts))


# -- gaps and candidates ------------------------------------------------------------------------
def _gaps(results: dict[str, Any], things: set[NodeKey]) -> tuple[dict[tuple, dict], dict[tuple, list]]:
    """Every gap about one of ``things`` (label, id, reason → codes, name, reason, detail) and the
    candidates proposed for each, as the answers give them (``gaps()``, ``proposals()``)."""
    gaps: dict[tuple, dict] = {}
    candidates: dict[tuple, list] = defaultdict(list)
    for result in results.values():
        for found in result.gaps():
            item = found.item
            if (item.label, item.id) in things:
                gap = gaps.setdefault((item.label, item.id, item.reason), {
                    "codes": [], "label": item.label, "id": item.id, "name": item.name, "reason": item.reason_zh,
                    "detail": item.detail})
                if found.found_by not in gap["codes"]:
                    gap["codes"].append(found.found_by)
        for candidate in result.proposals():
            if (candidate.gap_label, candidate.gap_id) in things:
                candidates[(candidate.gap_label, candidate.gap_id, candidate.reason)].append(candidate)
    return gaps, candidates


def _gap_table(gaps: dict[tuple, dict], candidates: dict[tuple, list]) -> Table:
    rows = [{"codes": ", ".join(gap["codes"]), "label": NODE_MODELS[gap["label"]].zh, "id": gap["id"],
             "name": gap["name"], "reason": gap["reason"], "detail": gap["detail"],
             "candidates": len(candidates.get(key, ()))} for key, gap in gaps.items()]
    return _table("gaps", "问题", "Gaps", [
        Column("codes", "问题编号", "Found by"), Column("label", "类型", "Kind"), Column("id", "编码", "Code"),
        Column("name", "名称", "Name"), Column("reason", "问题", "Reason"), Column("detail", "说明", "Detail"),
        Column("candidates", "建议人选数", "Candidates")], rows)


def _candidate_table(gaps: dict[tuple, dict], candidates: dict[tuple, list]) -> Table:
    rows = [{"gap": Words(f"{gaps[key]['name']}：{gaps[key]['reason']}",
                          f"{gaps[key]['name']}: {value_text(gaps[key]['reason'], 'en')}"), "person_id": item.person_id,
             "person_name": item.person_name, "phone": item.phone, "party_member": item.party_member,
             "proposal": item.proposal_zh, "org_name": item.org_name, "until": item.until,
             "lives_in": item.lives_in, "current_posts": Words(item.current_posts_zh, item.current_posts_en)}
            for key in gaps for item in candidates.get(key, ())]
    return _table("candidates", "建议人选", "Candidates", [
        Column("gap", "问题", "Gap"), Column("person_id", "人员编码", "Person code"),
        Column("person_name", "姓名", "Name"), Column("phone", "联系电话", "Phone", pii="phone"),
        Column("party_member", "党员", "Party member"), Column("proposal", "建议职务", "Proposed post"),
        Column("org_name", "建议任职组织", "In"), Column("until", "任期至", "Term until"),
        Column("lives_in", "居住", "Lives in"), Column("current_posts", "现任职务", "Current posts")], rows)


def _table(code: str, zh: str, en: str, columns: list[Column], rows: list[dict]) -> Table:
    return Table(f"dossier-{code}", zh, en, columns, rows)
