"""O1–O3 (成效) on a hand-built city: each grouping rule, the window's edges, the median, groups
that are not applicable, per-area groups and before/after along a timeline."""

from __future__ import annotations

import datetime as dt

import pytest

import queries
from graph_factory import GraphFactory

AS_OF = dt.date(2026, 6, 30)


def city() -> GraphFactory:
    """XQ1 (SQ1, 200 户): complete linkage, a party branch, managed by black-listed WY1.
    XQ2 (SQ2, 100 户): linkage none (nobody links), a party branch, WY2 unrated.
    XQ3 (SQ3, 户数 unknown): no party organisation and no committee: X2 cannot assess it.
    XQ4 (SQ2, 户数 unknown): partial linkage (committee only), a party branch, no case."""
    f = GraphFactory.city()
    compounds = {code: f.compound(code, community, buildings=1, households=households)
                 for code, community, households in (("XQ1", "SQ1", 200), ("XQ2", "SQ2", 100),
                                                     ("XQ3", "SQ3", None), ("XQ4", "SQ2", None))}
    for n in (1, 2, 4):
        branch = f.party_org(f"P{n}", "党支部", based_in=[compounds[f"XQ{n}"]])
        committee = f.committee(f"YWH{n}", compounds[f"XQ{n}"], "业委会", "2024-01-01", "2028-12-31")
        company = f.company(f"WY{n}", [compounds[f"XQ{n}"]], start="2024-01-01")
        if n != 2:  # XQ2: nobody sits on two sides
            person = f.person(f"R{n}", party_member=True)
            f.post(person, branch, "书记")
            f.post(person, committee, "主任")
            if n == 1:
                f.post(person, company, "经理")
    f.company("WY3", [compounds["XQ3"]], start="2024-01-01")
    f.rating(("PropertyCompany", "WY1"), ("Community", "SQ1"), "2026-03-31", "黑榜")
    # XQ1: on the window's first day (a building's case), the day before it (outside), an open one
    # on the as-of date itself, and one closed in 10 days: 3 cases, 2 closed, median 6
    f.case("A1", ("Building", "XQ1-1"), received="2025-06-30", closed="2025-07-02")
    f.case("A2", compounds["XQ1"], received="2025-06-29", closed="2025-06-30")
    f.case("A3", compounds["XQ1"], received="2026-06-30", closed="2026-07-01")
    f.case("A4", compounds["XQ1"], received="2026-01-01", closed="2026-01-11")
    # XQ2: five cases closed in 0, 1, 3, 5 and 9 days, one about the compound and its building (once)
    for number, days in enumerate((1, 3, 5, 9)):
        received = dt.date(2026, 3, 1)
        f.case(f"B{number}", compounds["XQ2"], received=received.isoformat(),
               closed=(received + dt.timedelta(days=days)).isoformat())
    both = f.case("B9", compounds["XQ2"], received="2026-03-02", closed="2026-03-02")
    f.graph.relate("ABOUT", both, ("Building", "XQ2-1"))
    f.case("C1", compounds["XQ3"], received="2026-02-01")  # still open
    return f


def measures(result, area: str | None = None) -> dict[str, tuple]:
    groups = result.area_groups if area else result.groups
    return {g.group: (g.compounds, g.households, g.cases, g.cases_per_100_households, g.closed, g.share_closed,
                      g.median_days_to_close) for g in groups if g.group_id == area}


def test_o1_groups_compounds_by_their_x2_status():
    result = queries.run("O1", city().graph, as_of=AS_OF)
    assert result.since == dt.date(2025, 6, 30)  # one year before the as-of date
    assert measures(result) == {
        "complete": (1, 200, 3, 1.5, 2, 2 / 3, 6.0),
        "partial": (1, None, 0, None, 0, None, None),  # no 户数 and no case: not applicable, not 0
        "none": (1, 100, 5, 5.0, 5, 1.0, 3.0),
        "not_assessed": (1, None, 1, None, 0, 0.0, None)}


def test_o2_groups_compounds_by_c1_and_counts_cases_per_household_over_the_compounds_that_give_one():
    result = queries.run("O2", city().graph, as_of=AS_OF)
    # counted: XQ1, XQ2 and XQ4 (no 户数): 8 cases of XQ1 and XQ2 over their 300 households
    assert measures(result) == {"counted": (3, 300, 8, 8 / 3, 7, 7 / 8, 3.0),
                                "not_counted": (1, None, 1, None, 0, 0.0, None)}


def test_o3_groups_compounds_by_b17():
    result = queries.run("O3", city().graph, as_of=AS_OF)
    assert measures(result) == {"poor": (1, 200, 3, 1.5, 2, 2 / 3, 6.0),
                                "rest": (3, 100, 6, 5.0, 5, 5 / 6, 3.0)}
    # before the 黑榜 rating nobody is poorly rated: the poor group is empty and not applicable
    before = queries.run("O3", city().graph, as_of=dt.date(2026, 3, 30))
    assert measures(before)["poor"] == (0, None, 0, None, 0, None, None)


def test_the_window_starts_at_since_and_ends_on_the_as_of_date_both_included():
    graph = city().graph
    assert measures(queries.run("O1", graph, as_of=AS_OF, since="2026-01-01"))["complete"] == (
        1, 200, 2, 1.0, 1, 0.5, 10.0)  # A4 on the first day, A3 on the last
    assert measures(queries.run("O1", graph, as_of=AS_OF, since="2026-01-02"))["complete"] == (
        1, 200, 1, 0.5, 0, 0.0, None)
    a_day_earlier = queries.run("O1", graph, as_of=dt.date(2026, 6, 29))
    assert a_day_earlier.since == dt.date(2025, 6, 29)
    # A2 now on the first day (closed in 1 day), A1 and A4 inside, A3 not yet received
    assert measures(a_day_earlier)["complete"] == (1, 200, 3, 1.5, 3, 1.0, 2.0)


def test_by_area_gives_every_group_of_every_street_not_applicable_where_empty():
    result = queries.run("O1", city().graph, as_of=AS_OF, by="street")
    assert measures(result, "S1") == {
        "complete": (1, 200, 3, 1.5, 2, 2 / 3, 6.0), "partial": (1, None, 0, None, 0, None, None),
        "none": (1, 100, 5, 5.0, 5, 1.0, 3.0), "not_assessed": (0, None, 0, None, 0, None, None)}
    assert measures(result, "S2")["not_assessed"] == (1, None, 1, None, 0, 0.0, None)
    assert measures(result, "S2")["complete"] == (0, None, 0, None, 0, None, None)
    scoped = queries.run("O2", city().graph, as_of=AS_OF, scope="SQ2")
    assert measures(scoped) == {"counted": (2, 100, 5, 5.0, 5, 1.0, 3.0),
                                "not_counted": (0, None, 0, None, 0, None, None)}


def test_the_result_says_it_compares_groups_and_its_rates_and_counts_follow_the_groups():
    result = queries.run("O1", city().graph, as_of=AS_OF, by="street")
    table = result.tables()[0]
    assert "不说明因果" in table.title("zh") and "shows no cause" in table.title("en")
    totals = [(line.part, line.numerator, line.denominator) for line in result.rates() if line.total]
    assert totals == [("complete", 2, 3), ("partial", 0, 0), ("none", 5, 5), ("not_assessed", 0, 1)]
    counts = {(line.counted, line.group_id): line.count for line in result.tallies()}
    assert counts[("complete:cases", None)] == 3 and counts[("none:compounds", "S1")] == 1
    assert counts[("not_assessed:compounds", "S2")] == 1


def test_a_timeline_gives_each_group_before_and_after():
    graph = city().graph
    line = queries.timeline(graph, ["O1"], [dt.date(2026, 3, 31), AS_OF])
    rates, counts = line.tables()
    assert [(str(row["part"]), row["2026-03-31_rate"], row["2026-06-30_rate"]) for row in rates.rows] == [
        ("完全联动", 1.0, 2 / 3), ("部分联动", None, None), ("未联动", 1.0, 1.0), ("无法评估", 0.0, 0.0)]
    cases = [(str(row["part"]), row["n2026-03-31"], row["n2026-06-30"]) for row in counts.rows
             if str(row["part"]).endswith("工单数")]
    assert cases == [("完全联动工单数", 3, 3), ("部分联动工单数", 0, 0), ("未联动工单数", 5, 5), ("无法评估工单数", 1, 1)]


@pytest.mark.parametrize("code", ["O1", "O2", "O3"])
def test_an_outcome_question_reads_its_grouping_question_once_per_session(code):
    asked = []

    class Counting(queries.registry.EmbeddedBackend):
        def fetch_rows(self, fetch, params):
            asked.append(fetch.code)
            return super().fetch_rows(fetch, params)

    queries.run_many([queries.QUESTIONS[code].needs[0], code], Counting(city().graph), as_of=AS_OF)
    assert asked == ["areas", queries.QUESTIONS[code].needs[0], code]


def test_the_report_page_shows_each_outcome_as_bars_of_its_groups_and_its_tables():
    from gridgraph.report_page import report_page

    page = report_page(city().graph, scope=None, as_of=AS_OF, source="city")
    section = page.split('<section id="outcomes">')[1].split("</section>")[0]
    assert "仅为分组对比，不说明因果" in section
    o1 = section.split("O1 联动与诉求：每百户工单")[1].split("</svg>")[0]
    # complete 1.5 cases per 100 households, none 5.0 (the longest bar), the others not applicable
    assert [float(width) for width in __import__("re").findall(r'data-code="O1" x="\d+" y="[\d.]+" width="([\d.]+)"', o1)] == [
        45.0, 0.0, 150.0, 0.0]
    assert "5.0 件/百户（1 个小区，5 件，办结 100%）" in o1 and "不适用（1 个小区，1 件，办结 0%）" in o1
    assert section.count("<table>") == 6  # O1–O3: the groups, and the groups per street
    assert 'id="rates"' in page and "O1 联动与诉求：完全联动" not in page.split('<section id="outcomes">')[0]
