"""``gridgraph dossier``: one printable page per compound, on a small hand-built graph."""

import datetime as dt

import pytest
from click.testing import CliRunner

from graph_factory import GraphFactory
from graphmodel import save_snapshot
from graphmodel.errors import QueryError
from gridgraph.cli import main
from gridgraph.dossier import compound_dossier, dossier_page
from test_views import EXTERNAL_REFERENCE, XSS

AS_OF = dt.date(2026, 6, 30)


def compound_with_everything():
    """XQ1 (named with markup): a branch, a committee whose term ends in 2027, a company rated
    黑榜 then 3星, a cadre linking the branch and the committee, a building without a 楼长 where a
    party member lives, a venue, three cases (one closed, one open, one older than a year)."""
    f = GraphFactory.city()
    x = f.compound("XQ1", "SQ1", buildings=2)
    f.graph.nx.nodes[x]["name"] = XSS
    branch = f.party_org("ZB1", "党支部", based_in=[x])
    committee = f.committee("YWH1", x, term_start="2022-07-01", term_end="2027-06-30")
    company = f.company("WY1", [x], start="2024-01-01")
    f.rating(company, ("Community", "SQ1"), "2025-12-31", "黑榜")
    f.rating(company, ("Community", "SQ1"), "2026-03-31", "3星")
    cadre = f.person("P1", party_member=True, phone="13812345678")
    f.post(cadre, branch, "书记")
    f.post(cadre, committee, "主任")
    f.post(f.person("P2"), company, "项目经理")
    f.post(f.person("P3"), ("Building", "XQ1-2"), "楼长")
    resident = f.person("P4", party_member=True, phone="13900001111")
    f.graph.relate("LIVES_IN", resident, ("Building", "XQ1-1"))
    f.venue("ZD1", ("Building", "XQ1-1"), area_m2=80)
    f.case("GD1", ("Building", "XQ1-1"), received="2026-03-01", closed="2026-03-05")
    f.case("GD2", x, received="2026-06-30")
    f.case("GD3", x, received="2025-06-30", closed="2025-07-01")  # a year and a day before: not counted
    f.compound("XQ2", "SQ1")  # another compound: none of its facts are on the page
    f.post(f.person("P9"), f.company("WY9", [("Compound", "XQ2")]), "项目经理")
    return f


def rows(dossier, code):
    return next(table.rows for table in dossier.tables if table.code == f"dossier-{code}")


def test_the_dossier_holds_the_three_sides_holders_gaps_candidates_venues_cases_and_rating():
    dossier = compound_dossier(compound_with_everything().graph, "XQ1", as_of=AS_OF, source="city")
    assert (dossier.name, dossier.community, dossier.street, dossier.linkage) == (XSS, "SQ1社区", "S1街道", "partial")
    assert [row["id"] for row in rows(dossier, "party")] == ["ZB1"]
    assert [(row["id"], row["term_end"], row["current"]) for row in rows(dossier, "committee")] == [
        ("YWH1", dt.date(2027, 6, 30), True)]
    assert [(row["id"], row["current"], row["rating"], row["rated_on"], row["poor"])
            for row in rows(dossier, "company")] == [("WY1", True, "3星", dt.date(2026, 3, 31), False)]
    assert [(row["person_id"], str(row["posts"]), row["links"]) for row in rows(dossier, "holders")] == [
        ("P1", "YWH1业委会主任；ZB1党支部书记", "业委会、党组织"), ("P2", "WY1物业项目经理", None),
        ("P3", "XQ1-2楼楼长", None)]
    assert rows(dossier, "holders")[0]["posts"].text("en") == "YWH1业委会 (director); ZB1党支部 (secretary)"
    gaps = {(row["codes"], row["id"], row["reason"], row["candidates"]) for row in rows(dossier, "gaps")}
    assert {("C10", "XQ1-1", "未配备楼长", 1), ("X2", "XQ1", "党组织与物业无交叉任职", 1),
            ("C15, B13", "P4", "未编入党组织", 1)} <= gaps
    assert not any(row["id"] in ("XQ2", "WY9", "P1") for row in rows(dossier, "gaps"))  # P1 lives elsewhere
    assert [(str(row["gap"]), row["person_id"], row["proposal"], row["org_name"]) for row in rows(dossier, "candidates")] == [
        ("XQ1-1楼：未配备楼长", "P4", "楼长", "XQ1-1楼"), ("人员P4：未编入党组织", "P4", "编入党组织", "ZB1党支部"),
        (f"{XSS}：党组织与物业无交叉任职", "P1", "党建指导员", "WY1物业")]
    assert [(row["id"], row["area_m2"]) for row in rows(dossier, "venues")] == [("ZD1", 80.0)]
    assert rows(dossier, "cases") == [{"received": 2, "closed": 1, "open": 1}]


def test_the_page_is_offline_escaped_dated_sourced_and_masks_phones():
    dossier = compound_dossier(compound_with_everything().graph, "XQ1", as_of=AS_OF, source="<b>src</b>")
    page = dossier_page(dossier, "html")
    assert EXTERNAL_REFERENCE.search(page) is None and "<script" not in page and XSS not in page
    assert "&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;" in page and "&lt;b&gt;src&lt;/b&gt;" in page
    assert "统计日期：2026-06-30" in page and "三方联动：部分联动" in page and "@page { size: A4" in page
    assert "138****5678" in page and "13812345678" not in page
    assert "13812345678" in dossier_page(dossier, "html", show_pii=True)
    english = dossier_page(dossier, "md", lang="en")
    assert "- As of: 2026-06-30" in english and "### Candidates" in english and "partial" in english
    assert "&lt;img" in english and XSS not in english


def test_a_compound_x2_cannot_assess_says_what_it_lacks_and_an_unknown_one_is_refused():
    f = GraphFactory.city()
    f.compound("XQ1", "SQ3")
    dossier = compound_dossier(f.graph, "XQ1", as_of=AS_OF)
    assert (dossier.linkage, dossier.lacks) == (None, ("party", "committee", "company"))
    assert "三方联动：未评估（缺党组织、业委会、物业）" in dossier_page(dossier, "md")
    with pytest.raises(QueryError, match="^no compound 'XQ9'$"):
        compound_dossier(f.graph, "XQ9", as_of=AS_OF)


def test_cli_writes_html_or_markdown_and_refuses_other_files(tmp_path):
    snapshot = tmp_path / "city.snapshot"
    save_snapshot(compound_with_everything().graph, snapshot)
    runner = CliRunner()
    page = tmp_path / "XQ1.html"
    done = runner.invoke(main, ["dossier", "XQ1", str(snapshot), "--as-of", "2026-06-30", "-o", str(page)])
    assert done.exit_code == 0, done.output
    assert "统计日期：2026-06-30" in page.read_text(encoding="utf-8")
    shown = runner.invoke(main, ["dossier", "XQ1", str(snapshot), "--as-of", "2026-06-30", "--show-pii"])
    assert shown.exit_code == 0 and "13812345678" in shown.output and shown.output.startswith("# ")
    refused = runner.invoke(main, ["dossier", "XQ1", str(snapshot), "-o", str(tmp_path / "XQ1.pdf")])
    assert refused.exit_code != 0 and "write a .html or a .md page" in refused.output
    unknown = runner.invoke(main, ["dossier", "XQ9", str(snapshot)])
    assert unknown.exit_code == 1 and "no compound 'XQ9'" in unknown.output


@pytest.mark.neo4j
def test_the_dossier_read_out_of_neo4j_is_the_embedded_one(live_neo4j):
    from graphmodel.neo4j.reader import read_graph_from_neo4j
    from loaders.neo4j import load_graph_into_neo4j

    graph = compound_with_everything().graph
    live_neo4j.wipe()
    load_graph_into_neo4j(graph, live_neo4j.driver, database=live_neo4j.database, scope="dossier")
    read = read_graph_from_neo4j(live_neo4j.driver, database=live_neo4j.database)
    embedded, served = (dossier_page(compound_dossier(g, "XQ1", as_of=AS_OF, source="s")) for g in (graph, read))
    assert served == embedded
