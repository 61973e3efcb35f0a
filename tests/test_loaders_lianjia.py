"""The real public data: the Lianjia Harbin compound listing converted into ledgers and loaded."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from gridgraph.cli import main
from loaders import load_ledgers
from loaders.lianjia import SELF_MANAGED, convert_lianjia

from shared_data import LIANJIA_LISTING as LISTING, require


@pytest.fixture(autouse=True)
def needs_data():
    require(LISTING)


def listing_rows():
    with LISTING.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_harbin_listing_loads_without_problems(tmp_path):
    rows = listing_rows()
    report = convert_lianjia(LISTING, tmp_path / "harbin")
    assert report.duplicates == []  # the listing has no repeated Lianjia id (checked here)
    distinct = len({row["id"] for row in rows})
    result = load_ledgers(tmp_path / "harbin")
    assert result.problems == [] and result.warnings == []
    graph = result.graph
    assert graph.count("Compound") == distinct == 689
    self_managed = sum(row["property_company"].strip() == SELF_MANAGED for row in rows)
    committees = [attrs for _, attrs in graph.nodes("OwnerCommittee")]
    assert len(committees) == self_managed
    assert {attrs["kind"] for attrs in committees} == {"self_management"}
    companies = {row["property_company"].strip() for row in rows} - {SELF_MANAGED, "暂无信息", ""}
    assert graph.count("PropertyCompany") == len(companies)
    managed = sum(row["property_company"].strip() in companies for row in rows)
    assert graph.relationship_counts()["MANAGES"] == managed
    assert managed + self_managed + 43 == 689  # 43 listed as 暂无信息: neither
    # every compound sits in a community, a street and a Harbin district
    for key, _ in graph.nodes("Compound"):
        street = graph.parent(graph.parent(key))
        assert graph.parent(street)[1].startswith("2301")
    first = graph.node(("Compound", "LJ" + rows[0]["id"]))
    assert first["name"] == rows[0]["name"] and first["households"] == 3005 and first["楼栋数"] == "65"
    district = graph.parent(graph.parent(graph.parent(("Compound", "LJ" + rows[0]["id"]))))
    assert graph.node(district)["name"] == "南岗区"


def test_company_codes_are_stable_and_deduplicated(tmp_path):
    convert_lianjia(LISTING, tmp_path / "a")
    convert_lianjia(LISTING, tmp_path / "b")
    first = (tmp_path / "a" / "物业企业.csv").read_bytes()
    assert first == (tmp_path / "b" / "物业企业.csv").read_bytes()
    names = [line.split(",")[1] for line in first.decode("utf-8-sig").splitlines()[1:]]
    assert len(names) == len(set(names))


def test_small_listing_with_duplicates_and_unknown_district(tmp_path):
    areas = tmp_path / "modood_areas_2022.csv"
    areas.write_text('code,name,cityCode,provinceCode\n230103,"南岗区",2301,23\n'
                     '230111,"呼兰区",2301,23\n110101,"东城区",1101,11\n', encoding="utf-8")
    listing = tmp_path / "listing.csv"
    header = "id,name,address,property_company,developer,buiding_count,door_count\n"
    listing.write_text(header +
                       "1,甲小区,(南岗革新教堂)巴陵街,业主自筹物业,无,5栋,300户\n"
                       "2,乙小区,(呼兰区哈尔滨新区)学院路,安居物业有限公司,某开发商,12栋,900户\n"
                       "2,乙小区,(呼兰区哈尔滨新区)学院路,安居物业有限公司,某开发商,12栋,900户\n"
                       "3,丙小区,(东城王府井)某路,暂无信息,,1栋,10户\n"
                       "4,丁小区,(南岗革新教堂)红军街,安居物业有限公司,,3栋,90户\n", encoding="utf-8")
    report = convert_lianjia(listing, tmp_path / "out")
    assert report.duplicates == ["2"]
    assert report.counts == {"areas": 9, "compounds": 4, "property_companies": 1,
                             "property_contracts": 2, "owner_committees": 1}
    graph = load_ledgers(tmp_path / "out").graph
    communities = {graph.node(key)["name"] for key, _ in graph.nodes("Community")}
    assert communities == {"革新教堂片区（链家）", "哈尔滨新区片区（链家）", "东城王府井片区（链家）"}
    unknown = graph.parent(graph.parent(("Compound", "LJ3")))
    assert graph.node(graph.parent(unknown))["name"] == "区县未详"
    assert "开发商" not in graph.node(("Compound", "LJ1"))  # 无 means no information
    assert [t for t, _ in graph.into(("Compound", "LJ1"), "REPRESENTS")] == [("OwnerCommittee", "ZG1")]


def test_import_lianjia_command(tmp_path):
    result = CliRunner().invoke(main, ["import-lianjia", str(LISTING), "-o", str(tmp_path / "h")])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Wrote 689 listing rows as ")
    assert CliRunner().invoke(main, ["validate", str(tmp_path / "h")]).exit_code == 0
