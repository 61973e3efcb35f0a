"""A community mirroring a seed article: 27 compounds, 9 业委会, 11 物管会, 5 业委会党支部.

The article's figures must come out exactly: 业委会组建率 9/27, 业委会或物管会覆盖率 20/27,
业委会党组织覆盖率 5/9, and 7 compounds with neither.
"""

import datetime as dt
from fractions import Fraction

import pytest

from queries import run_group

from graph_factory import GraphFactory


@pytest.fixture(scope="module")
def article():
    f = GraphFactory()
    f.district("D1")
    f.street("S1", "D1")
    f.community("SQ1", "S1")
    compounds = [f.compound(f"XQ{number:02d}", "SQ1") for number in range(1, 28)]
    owners = [f.committee(f"YWH{n}", compound, "业委会", "2024-01-01", "2028-12-31")
              for n, compound in enumerate(compounds[:9], 1)]
    for n, compound in enumerate(compounds[9:20], 1):
        f.committee(f"WGH{n}", compound, "物管会", "2025-03-01")
    for n, committee in enumerate(owners[:5], 1):
        f.party_org(f"YWHDZB{n}", "党支部", based_in=[committee])
    return run_group("all", f.graph, as_of=dt.date(2026, 6, 30), by="community")


def fraction(result):
    return Fraction(result.numerator, result.denominator)


def test_article_figures(article):
    assert (article["C3"].numerator, article["C3"].denominator) == (9, 27)
    assert (article["C4"].numerator, article["C4"].denominator) == (20, 27)
    assert (article["C9"].numerator, article["C9"].denominator) == (5, 9)
    assert fraction(article["C9"]) == Fraction(5, 9)
    assert [item.id for item in article["B3"].items] == [f"XQ{n}" for n in range(21, 28)]
    assert [(g.id, g.numerator, g.denominator) for g in article["C4"].groups] == [("SQ1", 20, 27)]


def test_article_blind_spots_name_the_place(article):
    item = article["B9"].items[0]
    assert (item.label, item.community, item.street, item.reason_zh) == ("OwnerCommittee", "SQ1社区", "S1街道", "无主任")
    assert article["B9"].counts == {"no_secretary": 5, "no_director": 9}
