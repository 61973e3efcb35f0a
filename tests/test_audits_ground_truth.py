"""Every question's answer on generated ledgers equals the generator's ground_truth.json exactly.

The generator computes its truth from the rows it writes, independently of the loaders and of
the audit code (loaders/sample_truth.py), so agreement checks the loader and the questions at once.
"""

import datetime as dt
import json
from collections import Counter

import pytest

from loaders import load_ledgers
from loaders.sample import generate_sample
from loaders.sample_truth import BLIND_SPOT_CODES, CANDIDATE_CODES, COVERAGE_CODES, GroundTruth
from queries import QUESTIONS, RATE_CODES, run_group


SPOT_FIELDS = ("label", "id", "reason", "community_id", "street_id", "detail")
OUTCOME_FIELDS = ("compounds", "households", "cases", "cases_per_100_households", "closed", "share_closed",
                  "median_days_to_close")


def ground_truth_view(results: dict, by_street: dict) -> dict:
    """The answers of ``run_group("all", …)`` (and of it ``by="street"``) in the shape of
    ground_truth.json (docs/definitions.md): each blind spot with its place and detail."""
    spots = {code: sorted(({field: getattr(item, field) for field in SPOT_FIELDS} for item in result.items),
                          key=lambda item: tuple(item[field] or "" for field in SPOT_FIELDS))
             for code, result in results.items() if QUESTIONS[code].kind == "blindspots"}
    return {
        "coverage": {code: {"numerator": result.numerator, "denominator": result.denominator}
                     for code, result in results.items() if code in RATE_CODES},
        "coverage_by_street": {code: {group.id or "": {"numerator": group.numerator, "denominator": group.denominator}
                                      for group in sorted(result.groups, key=lambda group: group.id or "")}
                               for code, result in by_street.items() if code in RATE_CODES},
        "C12": {row.id: {"resident_units": row.resident_units, "party_members": row.party_members}
                for row in sorted(results["C12"].communities, key=lambda row: row.id)},
        "C16": {rate.grid_type: {"numerator": rate.numerator, "denominator": rate.denominator}
                for rate in sorted(results["C16"].types, key=lambda rate: rate.grid_type)},
        "C14_single_centre": results["C14"].single_centre,
        "C17_kinds": results["C17"].kinds,
        "S1": s1_totals(results["S1"].total),
        "C18_median_days": results["C18"].median_days_to_close,
        "B16_monthly": dict(sorted(results["B16"].monthly.items())),
        "blind_spots": spots,
        "outcomes": {code: {group.group: group.model_dump(include=set(OUTCOME_FIELDS)) for group in result.groups}
                     for code, result in results.items() if QUESTIONS[code].kind == "outcomes"},
        "cross": {
            "X1": sorted(person.person_id for person in results["X1"].people),
            "X2": {linkage.id: linkage.status for linkage in sorted(results["X2"].compounds, key=lambda c: c.id)},
            "X2_unassessed": {compound: [item.reason for item in results["X2"].unassessed if item.id == compound]
                              for compound in sorted({item.id for item in results["X2"].unassessed})},
            "X3": {committee.id: sorted(member.person_id for member in committee.members)
                   for committee in sorted(results["X3"].committees, key=lambda c: c.id)},
            "X4": [list(pair) for pair in sorted({(c.person_id, c.compound_id) for c in results["X4"].conflicts})],
            "X5": sorted(person.person_id for person in results["X5"].people),
        },
        "candidates": {code: sorted(([item.gap_id, item.reason, item.person_id, item.proposal, item.org_id]
                                     for item in result.items), key=lambda item: [value or "" for value in item])
                       for code, result in results.items() if QUESTIONS[code].kind == "candidates"},
    }


def s1_totals(total) -> dict:
    """S1's total in the shape of ground_truth.json: the counts that are not zero, by name."""
    counts = {**total.party_orgs, **{f"branch_in_{base}": count for base, count in total.branches.items()},
              **total.model_dump(include={"central_households", "communities", "grids", "compounds", "buildings",
                                          "venues"})}
    return dict(sorted((name, count) for name, count in counts.items() if count))


def check_against_truth(tmp_path, scale: str, seed: int) -> dict:
    generate_sample(tmp_path, scale=scale, seed=seed)
    truth = json.loads((tmp_path / "ground_truth.json").read_text(encoding="utf-8"))
    graph = load_ledgers(tmp_path).graph
    as_of = dt.date.fromisoformat(truth["as_of"])
    by_street = run_group("all", graph, as_of=as_of, by="street")
    answers = ground_truth_view(run_group("all", graph, as_of=as_of), by_street)
    for section in ("coverage", "coverage_by_street", "C12", "C16", "C14_single_centre", "C17_kinds", "S1",
                    "C18_median_days", "B16_monthly", "cross", "candidates", "outcomes"):
        assert answers[section] == truth[section], section
    for code, items in truth["blind_spots"].items():
        assert answers["blind_spots"][code] == items, code
        per_street = Counter(item["street_id"] for item in items)
        assert {group.id: group.count for group in by_street[code].groups if group.count} == per_street, code
    return truth


def test_truth_computes_every_rate_and_blind_spot_question():
    """A new rate or blind-spot question is not done until the independent truth computes it too."""
    assert COVERAGE_CODES == RATE_CODES
    assert BLIND_SPOT_CODES == tuple(code for code, question in QUESTIONS.items() if question.kind == "blindspots")
    assert CANDIDATE_CODES == tuple(code for code, question in QUESTIONS.items() if question.kind == "candidates")
    assert tuple(GroundTruth(dt.date(2026, 6, 30)).outcomes) == tuple(
        code for code, question in QUESTIONS.items() if question.kind == "outcomes")


@pytest.mark.parametrize("seed", [1, 7, 23, 65, 101])
def test_community_scale_matches_ground_truth(tmp_path, seed):
    truth = check_against_truth(tmp_path, "community", seed)
    assert truth["coverage"]["C1"]["denominator"] > 0


@pytest.mark.parametrize("seed", [7, 11, 42])
def test_county_scale_matches_ground_truth(tmp_path, seed):
    truth = check_against_truth(tmp_path, "county", seed)
    assert any(truth["blind_spots"][code] for code in truth["blind_spots"])
    assert truth["cross"]["X1"] and truth["cross"]["X2"]
    assert truth["blind_spots"]["B16"] and truth["blind_spots"]["B17"] and len(truth["C16"]) > 1
    assert all(truth["candidates"].values())
    # the planted outcome: cases far denser where X2 finds no linkage, so a swapped group shows
    linkage = {group: measures["cases_per_100_households"] for group, measures in truth["outcomes"]["O1"].items()}
    assert linkage["none"] > 3 * max(linkage["complete"], linkage["partial"])
    assert all(measures["compounds"] for measures in truth["outcomes"]["O3"].values())


@pytest.mark.slow
def test_city_scale_matches_ground_truth(tmp_path):
    check_against_truth(tmp_path, "city", 3)
