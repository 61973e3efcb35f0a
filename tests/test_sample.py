"""The synthetic sample generator: determinism, scales, languages, encodings, referential integrity,
and a ground truth that is consistent in itself and agrees with the audits."""

import csv
import dataclasses
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from gridgraph.cli import main
from graphmodel.errors import GridgraphError
from loaders import load_ledgers
from loaders.sample import (BUNDLED_SAMPLE, GROUND_TRUTH_FILE, SAMPLE_DATA_DIR, SAMPLE_DATE_REACH,
                            SCALES, SampleRates, generate_district_samples, generate_sample)
from loaders.sample_evolve import evolve_sample
from loaders.sample_rows import LEDGERS
from loaders.specs import footer_note
from queries import run_group

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """A county sample with English headers, read back as {ledger: [row dicts]} plus its truth."""
    out = tmp_path_factory.mktemp("county")
    generate_sample(out, scale="county", seed=11, header_lang="en")
    return out, _read(out, "en"), json.loads((out / GROUND_TRUTH_FILE).read_text("utf-8"))


def _read(folder: Path, lang: str, encoding: str = "utf-8") -> dict[str, list[dict]]:
    rows = {}
    for name, ledger in LEDGERS.items():
        with (folder / ledger.file_name(lang)).open(encoding=encoding, newline="") as handle:
            rows[name] = [row for row in csv.DictReader(handle) if footer_note(row.values()) is None]
    return rows


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# -- determinism ------------------------------------------------------------------------------

def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path):
    first, again, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate_sample(first, scale="community", seed=3)
    generate_sample(again, scale="community", seed=3)
    generate_sample(other, scale="community", seed=4)
    assert _files(first) == _files(again)
    assert len(_files(first)) == len(LEDGERS) + 1
    assert _files(first)["人员.csv"] != _files(other)["人员.csv"]
    assert _files(first)[GROUND_TRUTH_FILE] != _files(other)[GROUND_TRUTH_FILE]


def test_bundled_sample_equals_a_fresh_generation(tmp_path):
    generate_sample(tmp_path, **BUNDLED_SAMPLE)
    assert _files(SAMPLE_DATA_DIR) == _files(tmp_path)
    # Small enough to read, rich enough to show: Chinese file names, a few hundred rows at most.
    assert (SAMPLE_DATA_DIR / "小区.csv").exists()
    assert all(len(rows) <= 300 for rows in _read(SAMPLE_DATA_DIR, "zh").values())


# -- scales, languages, encodings -------------------------------------------------------------

def test_county_scale_has_23_communities_in_6_streets(county):
    _, rows, _ = county
    levels = Counter(row["level"] for row in rows["areas"])
    assert levels == {"district": 1, "street": 6, "community": 23}
    assert 120 <= len(rows["compounds"]) <= 180
    assert 250 <= len(rows["grids"]) <= 360
    assert 800 <= len(rows["buildings"]) <= 1800


def test_community_scale_is_one_community_of_a_few_compounds(tmp_path):
    summary = generate_sample(tmp_path, scale="community")
    levels = Counter(row["层级"] for row in _read(tmp_path, "zh")["areas"])
    assert levels == {"区县": 1, "街道": 1, "社区": 1}
    assert summary.counts["compounds"] == 8 + 2 + 1 + 3  # its own, the two edge cases', the seed cases' one, 3 planted candidates
    assert summary.counts == {name: len(rows) for name, rows in _read(tmp_path, "zh").items()}


def test_headers_file_names_and_values_follow_the_language(tmp_path):
    generate_sample(tmp_path / "zh", scale="community")
    generate_sample(tmp_path / "en", scale="community", header_lang="en")
    zh, en = _read(tmp_path / "zh", "zh"), _read(tmp_path / "en", "en")
    assert list(zh["compounds"][0]) == ["小区编码", "小区名称", "所属社区编码", "户数"]
    assert list(en["compounds"][0]) == ["id", "name", "community_id", "households"]
    assert list(zh["posts"][0]) == ["人员编码", "组织类型", "组织编码", "职务", "是否兼职", "任职开始", "任职结束"]
    assert {row["是否党员"] for row in zh["people"]} == {"是", "否"}
    assert {row["party_member"] for row in en["people"]} == {"true", "false"}
    assert {row["组织类别"] for row in zh["party_orgs"]} <= {"党工委", "党委", "党总支", "党支部", "联合党支部",
                                                          "党小组"}
    assert {row["kind"] for row in en["party_orgs"]} <= {"working_committee", "committee", "general_branch",
                                                          "branch", "joint_branch", "group"}
    # Same seed, same content: only the spelling differs.
    assert [row["小区名称"] for row in zh["compounds"]] == [row["name"] for row in en["compounds"]]


def test_gb18030_round_trip(tmp_path):
    generate_sample(tmp_path / "utf8", scale="community")
    generate_sample(tmp_path / "gb", scale="community", encoding="gb18030")
    raw = (tmp_path / "gb" / "人员.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("gb18030") == (tmp_path / "utf8" / "人员.csv").read_bytes().decode("utf-8")


# -- every row is valid -----------------------------------------------------------------------

def test_every_referenced_id_exists(county):
    _, rows, _ = county
    ids = {name: {row["id"] for row in rows[name]} for name in
           ("areas", "grids", "compounds", "buildings", "party_orgs", "property_companies",
            "owner_committees", "resident_units", "people", "lists")}
    levels = {row["id"]: row["level"] for row in rows["areas"]}
    by_type = {"street": {i for i, level in levels.items() if level == "street"},
               "community": {i for i, level in levels.items() if level == "community"},
               "grid": ids["grids"], "compound": ids["compounds"], "building": ids["buildings"],
               "property_company": ids["property_companies"], "owner_committee": ids["owner_committees"],
               "resident_unit": ids["resident_units"], "party_org": ids["party_orgs"]}
    parent_level = {"street": "district", "community": "street"}
    for row in rows["areas"]:
        assert (levels.get(row["parent_id"]) == parent_level[row["level"]]) if row["parent_id"] else \
            row["level"] == "district"
    assert all(row["community_id"] in by_type["community"] for row in rows["grids"] + rows["compounds"]
               + rows["resident_units"] + rows["lists"])
    assert all(row["compound_id"] in ids["compounds"] for row in rows["buildings"] + rows["owner_committees"]
               + rows["property_contracts"])
    assert all(row["company_id"] in ids["property_companies"] for row in rows["property_contracts"])
    for row in rows["grid_coverage"]:
        assert row["grid_id"] in ids["grids"]
        assert bool(row["building_id"]) != bool(row["compound_id"])
        assert row["building_id"] in ids["buildings"] or row["compound_id"] in ids["compounds"]
    for row in rows["party_orgs"]:
        assert not row["parent_id"] or row["parent_id"] in ids["party_orgs"]
        assert set(row["based_in_id"].split(";")) <= by_type[row["based_in_type"]]
    for row in rows["people"]:
        assert not row["building_id"] or row["building_id"] in ids["buildings"]
        assert not row["registered_community_id"] or row["registered_community_id"] in by_type["community"]
        assert not row["party_org_id"] or row["party_org_id"] in ids["party_orgs"]
    for row in rows["posts"]:
        assert row["person_id"] in ids["people"] and row["org_id"] in by_type[row["org_type"]]
    everything = set().union(*ids.values())
    for row in rows["lists"]:
        assert not row["owner_id"] or row["owner_id"] in everything
        assert not row["matches"] or set(row["matches"].split(";")) <= ids["lists"]


def test_posts_are_unique_per_person_organisation_and_role(county):
    _, rows, _ = county
    keys = Counter((row["person_id"], row["org_type"], row["org_id"], row["role"]) for row in rows["posts"])
    assert keys.most_common(1)[0][1] == 1


def test_id_numbers_and_credit_codes_carry_valid_check_digits(county):
    _, rows, _ = county
    numbers = [row["id_number"] for row in rows["people"] if row["id_number"]]
    assert len(numbers) > 100
    for number in numbers:
        assert len(number) == 18
        total = sum(int(digit) * weight for digit, weight in zip(number, ID_WEIGHTS))
        assert number[-1] == "10X98765432"[total % 11]
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))  # a real birth date
    for row in rows["property_companies"]:
        code = row["id"]
        total = sum(CREDIT_CHARS.index(char) * weight for char, weight in zip(code, CREDIT_WEIGHTS))
        assert len(code) == 18 and code[-1] == CREDIT_CHARS[-total % 31]
        assert row["name"].endswith(("有限公司", "有限责任公司"))
    phones = {row["phone"] for row in rows["people"] if row["phone"]}
    digits = {re.sub(r"\D", "", phone) for phone in phones}  # +86, spaces and dashes are planted too
    mobiles = {number[2:] if len(number) == 13 and number.startswith("86") else number for number in digits}
    assert all(len(number) == 11 and number[:2] in {f"1{d}" for d in "3456789"} for number in mobiles)
    assert {"+86 138 1234 5678", "+8613812345678", "138-1234-5678", "138 1234 5678"} <= phones  # planted


def test_generated_and_bundled_samples_load_strictly(county, tmp_path):
    folder, rows, _ = county
    result = load_ledgers(folder)
    assert result.problems == []
    assert result.graph.count("Compound") == len(rows["compounds"])
    assert result.graph.count("Person") == len(rows["people"])
    generate_sample(tmp_path, scale="county", seed=2, encoding="gb18030")
    assert load_ledgers(tmp_path).problems == []
    assert load_ledgers(SAMPLE_DATA_DIR).problems == []


# -- the ground truth -------------------------------------------------------------------------

def test_ground_truth_is_consistent_with_itself_and_the_rows(county):
    _, rows, truth = county
    coverage, blind, cross = truth["coverage"], truth["blind_spots"], truth["cross"]
    assert (truth["seed"], truth["scale"], truth["as_of"]) == (11, "county", "2026-06-30")
    compounds = {row["id"] for row in rows["compounds"]}
    b1 = {item["id"] for item in blind["B1"]}
    assert b1 and b1 <= compounds
    assert coverage["C1"]["numerator"] + len(b1) == coverage["C1"]["denominator"] == len(compounds)
    assert coverage["C4"]["denominator"] - coverage["C4"]["numerator"] == len(blind["B3"])
    assert coverage["C5"]["denominator"] == coverage["C10"]["denominator"] == len(rows["buildings"])
    assert coverage["C6"]["denominator"] == coverage["C11"]["denominator"] == len(rows["grids"])
    assert coverage["C8"]["denominator"] - coverage["C8"]["numerator"] == len(blind["B7"])
    assert coverage["C3"]["numerator"] <= coverage["C4"]["numerator"]
    assert coverage["C7"]["numerator"] <= coverage["C8"]["numerator"]
    assert len(truth["C12"]) == 23
    assert {c for c, counts in truth["C12"].items() if counts["resident_units"] == 0} == \
        {item["id"] for item in blind["B10"]}
    assert sum(counts["resident_units"] for counts in truth["C12"].values()) == len(rows["resident_units"])
    assert set(cross["X2"]) <= compounds  # a compound without a branch of its own has its community's
    assert set(cross["X2"]) | set(cross["X2_unassessed"]) == compounds  # X2's rate is over every compound
    assert not set(cross["X2"]) & set(cross["X2_unassessed"])
    assert set(cross["X2"]) & b1
    assert set(cross["X2"].values()) == {"complete", "partial", "none"}
    people = {row["id"] for row in rows["people"]}
    assert set(cross["X1"]) <= people and set(cross["X5"]) <= people
    assert {person for person, _ in cross["X4"]} <= people and {c for _, c in cross["X4"]} <= compounds
    assert set(cross["X3"]) == {row["id"] for row in rows["party_orgs"]
                                if (row["based_in_type"], row["kind"]) in (("community", "committee"),
                                    ("community", "general_branch"), ("street", "working_committee"))}
    for code, items in blind.items():
        assert items == sorted(items, key=lambda item: (item["label"], item["id"], item["reason"])), code
        assert len({(item["label"], item["id"], item["reason"]) for item in items}) == len(items), code
    planted = {code for code, items in blind.items() if items}
    assert planted >= {"B1", "B2", "B3", "B4", "B5", "B6", "B8", "B9", "B11"}


def test_every_district_plants_the_seed_reports_cases(tmp_path):
    """The cases of loaders/sample_seeds.py: a footer under 驻区单位, a compound covered only by its
    业委会's branch, closed venues, 问题 met by 治理, buildings of several units with and without a 单元长."""
    generate_sample(tmp_path, scale="community", seed=1)
    result = load_ledgers(tmp_path)
    assert [(warning.file, warning.value) for warning in result.warnings] == [
        ("驻区单位.csv", "合计"), ("驻区单位.csv", "填表人：王芳  审核人：李强  填报日期：2026年6月30日")]
    results = run_group("all", result.graph, as_of=dt.date(2026, 6, 30))
    compound = next(key[1] for key, _ in result.graph.nodes("Compound") if key[1].endswith("Y1"))
    assert compound not in {item.id for item in results["C1"].missing}
    assert compound in {item.id for item in results["B12"].items}  # its only venue is closed
    assert compound in {linkage.id for linkage in results["X2"].compounds}
    rows = _read(tmp_path, "zh")
    assert {"问题", "治理"} <= {row["类型"] for row in rows["lists"]}
    assert {"否"} == {row["是否开放"] for row in rows["venues"] if row["阵地编码"][-5] == "Y"}
    spots = {(item.id, item.detail) for item in results["B20"].items}
    assert {(f"LD{compound[2:-2]}Y101", "3"), (f"LD{compound[2:-2]}Y103", None)} <= spots
    assert f"LD{compound[2:-2]}Y102" not in {item.id for item in results["B20"].items}  # its 单元长 serves


def test_rates_decide_what_is_planted(tmp_path):
    perfect = SampleRates(compound_without_party_org=0, unmanaged_compound=0, expired_contract=0,
                          no_owner_committee=0, self_management=0, expired_term=0, future_term=0)
    generate_sample(tmp_path / "perfect", scale="county", rates=perfect)
    truth = json.loads((tmp_path / "perfect" / GROUND_TRUTH_FILE).read_text("utf-8"))
    assert truth["blind_spots"]["B1"] == truth["blind_spots"]["B2"] == truth["blind_spots"]["B3"] == []
    assert truth["coverage"]["C4"]["numerator"] == truth["coverage"]["C4"]["denominator"]
    bare = SampleRates(compound_without_party_org=1, joint_branch=0, committee_party_branch=0)
    generate_sample(tmp_path / "bare", scale="community", rates=bare)
    truth = json.loads((tmp_path / "bare" / GROUND_TRUTH_FILE).read_text("utf-8"))
    # only the two edge-case compounds and the seed cases' 业委会党支部 compound (planted whatever the
    # rates) have a party organisation
    assert (truth["coverage"]["C1"]["numerator"], truth["coverage"]["C5"]["numerator"]) == (3, 0)


@pytest.mark.parametrize("folder", ["bundled", "county"])
def test_ground_truth_agrees_with_the_audits(folder, county):
    path = SAMPLE_DATA_DIR if folder == "bundled" else county[0]
    truth = json.loads((path / GROUND_TRUTH_FILE).read_text("utf-8"))
    results = run_group("all", load_ledgers(path).graph, as_of=dt.date.fromisoformat(truth["as_of"]))
    for code, counts in truth["coverage"].items():
        assert {"numerator": results[code].numerator, "denominator": results[code].denominator} == counts, code
    assert {c.id: {"resident_units": c.resident_units, "party_members": c.party_members}
            for c in results["C12"].communities} == truth["C12"]
    for code, items in truth["blind_spots"].items():
        found = sorted((item.label, item.id, item.reason) for item in results[code].items)
        assert found == [(item["label"], item["id"], item["reason"]) for item in items], code
    cross = truth["cross"]
    assert sorted(p.person_id for p in results["X1"].people) == cross["X1"]
    assert {c.id: c.status for c in results["X2"].compounds} == cross["X2"]
    assert {c.id: sorted(m.person_id for m in c.members) for c in results["X3"].committees} == cross["X3"]
    assert sorted([c.person_id, c.compound_id] for c in results["X4"].conflicts) == cross["X4"]
    assert sorted(p.person_id for p in results["X5"].people) == cross["X5"]


# -- errors and the command line --------------------------------------------------------------

def test_bad_options_are_refused_with_a_message(tmp_path):
    with pytest.raises(GridgraphError, match="unknown scale"):
        generate_sample(tmp_path, scale="planet")
    with pytest.raises(GridgraphError, match="encoding"):
        generate_sample(tmp_path, encoding="latin-1")
    with pytest.raises(GridgraphError, match="between 0 and 1"):
        SampleRates(expired_term=1.5)
    with pytest.raises(GridgraphError, match="add up to more than 1"):
        SampleRates(no_owner_committee=0.5, self_management=0.3, management_committee=0.3)
    assert not any(tmp_path.iterdir())


def test_as_of_dates_near_the_calendar_ends_are_refused_and_the_last_allowed_ones_work(tmp_path):
    reach = SAMPLE_DATE_REACH
    for as_of in (dt.date.min + reach, dt.date.max - reach):
        generate_sample(tmp_path / f"first{as_of.year}", scale="community", as_of=as_of)
    evolved = evolve_sample(tmp_path / "later", scale="community", as_of=dt.date.min + reach)
    assert evolved.as_of_new > evolved.as_of_old
    with pytest.raises(GridgraphError, match="later date .* is outside"):  # the next quarter's end is past it
        evolve_sample(tmp_path / "refused", scale="community", as_of=dt.date.max - reach)
    for as_of in (dt.date.min + reach - dt.timedelta(days=1), dt.date.max - reach + dt.timedelta(days=1)):
        with pytest.raises(GridgraphError, match="as-of date .* is outside"):
            generate_sample(tmp_path / "refused", scale="community", as_of=as_of)
        with pytest.raises(GridgraphError, match="as-of date .* is outside"):
            evolve_sample(tmp_path / "refused", scale="community", as_of=as_of)
    assert not (tmp_path / "refused").exists()
    result = CliRunner().invoke(main, ["sample", str(tmp_path / "cli"), "--scale", "community",
                                       "--as-of", "9995-01-01"])
    assert result.exit_code == 1 and "9995-01-01 is outside" in result.output, result.output


def test_existing_sample_needs_overwrite_and_other_language_is_refused(tmp_path):
    generate_sample(tmp_path, scale="community")
    with pytest.raises(GridgraphError, match="already holds") as error:
        generate_sample(tmp_path, scale="community", seed=8)
    assert "--overwrite" in error.value.hint
    generate_sample(tmp_path, scale="community", seed=8, overwrite=True)
    assert json.loads((tmp_path / GROUND_TRUTH_FILE).read_text("utf-8"))["seed"] == 8
    with pytest.raises(GridgraphError, match="would be loaded as well"):
        generate_sample(tmp_path, scale="community", header_lang="en", overwrite=True)


def test_cli_writes_the_sample_and_reports_errors_in_one_line(tmp_path):
    runner = CliRunner()
    out = tmp_path / "demo"
    result = runner.invoke(main, ["sample", str(out), "--scale", "community", "--seed", "5", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "compounds.csv" in result.output and "ground_truth.json" in result.output
    assert json.loads((out / GROUND_TRUTH_FILE).read_text("utf-8"))["seed"] == 5
    again = runner.invoke(main, ["sample", str(out), "--scale", "community"])
    assert again.exit_code == 1
    assert "Error:" in again.output and "Traceback" not in again.output


def test_a_sample_by_district_holds_the_rows_of_the_one_folder_sample(tmp_path, monkeypatch):
    monkeypatch.setitem(SCALES, "two", dataclasses.replace(SCALES["community"], districts=2))
    whole = generate_sample(tmp_path / "whole", scale="two", seed=3)
    summaries = generate_district_samples(tmp_path / "split", scale="two", seed=3)
    assert [summary.out_dir.name for summary in summaries] == ["371302", "371303"]
    rows = {folder: _read(folder, "zh") for folder in (whole.out_dir, *(s.out_dir for s in summaries))}
    for name in LEDGERS:
        assert rows[whole.out_dir][name] == [row for s in summaries for row in rows[s.out_dir][name]], name
    for summary in summaries:  # each folder loads on its own, without a problem: its district only
        result = load_ledgers(summary.out_dir)
        assert result.problems == []
        assert [key[1] for key, _ in result.graph.nodes("District")] == [summary.out_dir.name]
        truth = json.loads(summary.ground_truth.read_text("utf-8"))
        assert truth["coverage"]["C1"]["denominator"] == summary.counts["compounds"]


def test_a_sample_by_district_checks_every_folder_before_writing_any(tmp_path, monkeypatch):
    monkeypatch.setitem(SCALES, "two", dataclasses.replace(SCALES["community"], districts=2))
    generate_sample(tmp_path / "371303", scale="community")
    with pytest.raises(GridgraphError, match="371303 already holds"):
        generate_district_samples(tmp_path, scale="two")
    assert not (tmp_path / "371302").exists()
    assert len(generate_district_samples(tmp_path, scale="two", overwrite=True)) == 2
    # The command line knows the scales it was built with: a county has one district.
    result = CliRunner().invoke(main, ["sample", str(tmp_path / "county"), "--scale", "county", "--by-district"])
    assert result.exit_code == 0, result.output
    assert "Wrote 1 district folder," in result.output and (tmp_path / "county" / "371327").is_dir()
    refused = CliRunner().invoke(main, ["sample", str(tmp_path), "--by-district", "--evolve", "later"])
    assert refused.exit_code == 2 and "--evolve writes one folder" in refused.output


@pytest.mark.slow
def test_city_scale(tmp_path):
    summary = generate_sample(tmp_path, scale="city", seed=1, header_lang="en")
    counts = summary.counts
    communities = sum(1 for row in _read_one(tmp_path / "areas.csv") if row["level"] == "community")
    assert communities == 1000
    assert 13_000 <= counts["compounds"] <= 17_000
    assert 130_000 <= counts["buildings"] <= 170_000
    assert 9_000 <= counts["grids"] <= 11_500
    truth = json.loads(summary.ground_truth.read_text("utf-8"))
    assert truth["coverage"]["C1"]["denominator"] == counts["compounds"]
    assert truth["coverage"]["C5"]["denominator"] == counts["buildings"]
    assert len(truth["C12"]) == communities


def _read_one(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
