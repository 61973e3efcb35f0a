"""Every question through every consumer: the diff, the timeline, the XLSX summary and the report
page ask each result what it says of itself (``rates()``, ``tallies()``, ``listed()``), so a new
question shows everywhere without a consumer naming it."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

import queries
from graphmodel.graph import GovernanceGraph
from gridgraph.report_page import report_page
from gridgraph.reports import write_report
from loaders import load_ledgers
from loaders.sample import SAMPLE_DATA_DIR

DAY = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def graph():
    return load_ledgers(SAMPLE_DATA_DIR).graph


@pytest.fixture(scope="module")
def answers(graph):
    return queries.run_group("all", graph, as_of=DAY, by="street")


def test_every_answer_gives_rates_or_counts_of_its_own(answers):
    for code, answer in answers.items():
        lines = [*answer.rates(), *answer.tallies()]
        assert lines, f"{code} gives nothing a timeline could follow"
        assert {line.code for line in lines} == {code}
        assert [line for line in lines if line.total], f"{code} has no whole-scope line"
        assert all(item.reason in queries.REASONS for item in answer.listed()), code


def test_a_timeline_lays_out_every_question(graph):
    line = queries.timeline(graph, list(queries.QUESTIONS), [dt.date(2026, 3, 31), DAY])
    shown = {row["code"] for table in line.tables() for row in table.rows}
    assert shown == set(queries.QUESTIONS)


def test_a_diff_from_nothing_shows_every_question_that_has_something_to_show(graph, answers):
    changes = queries.diff(GovernanceGraph(), graph, as_of_old=DAY, as_of_new=DAY)
    shown = {line.code for line in [*changes.rates, *changes.tallies, *changes.listed]}
    has_something = {code for code, answer in queries.run_group("all", graph, as_of=DAY).items()
                     if answer.rates() or any(line.count for line in answer.tallies())}
    assert shown == has_something
    assert len(has_something) >= len(queries.QUESTIONS) - 3  # the sample leaves only a few questions empty
    assert {listed.code for listed in changes.listed} == {code for code, answer in answers.items() if answer.listed()}


def test_the_xlsx_summary_names_every_question(answers, tmp_path):
    [path] = write_report(answers, "xlsx", tmp_path / "audit.xlsx")
    summary = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    codes = {row[0] for row in summary.iter_rows(values_only=True) if row and row[0] in queries.QUESTIONS}
    assert codes == set(queries.QUESTIONS)


def test_the_report_page_charts_every_rate_and_names_every_question(graph, answers):
    page = report_page(graph, scope=None, as_of=DAY, source="sample")
    for code in answers:
        assert f">{code}<" in page or f">{code} " in page, code
    outcomes = [code for code in answers if queries.QUESTIONS[code].kind == "outcomes"]  # one grouped chart each
    charted = {(answer.code, line.part_zh) for answer in answers.values() for line in answer.rates()
               if line.total and line.denominator and answer.code not in outcomes}
    assert page.count('<div class="chart">') == len(charted) + len(outcomes)
    assert len(charted) >= len(queries.RATE_CODES) - 2 and len(outcomes) == 3


class _CountingBackend:
    """The embedded backend, counting what it is asked to fetch."""

    def __init__(self, graph):
        from queries.embedded import EmbeddedBackend

        self.backend, self.fetched = EmbeddedBackend(graph), []

    def fetch_rows(self, fetch, params):
        self.fetched.append(fetch.code)
        return self.backend.fetch_rows(fetch, params)


def test_an_audit_fetches_the_areas_once_and_a_timeline_once_for_every_date(graph):
    from gridgraph.audit import run_audit

    backend = _CountingBackend(graph)
    run_audit(backend, list(queries.QUESTIONS), as_of=DAY)
    assert backend.fetched == ["areas", *queries.QUESTIONS]
    backend.fetched.clear()
    queries.timeline(backend, ["C1", "B1"], [dt.date(2026, 3, 31), DAY, dt.date(2026, 9, 30)])
    assert backend.fetched == ["areas", *["C1", "B1"] * 3]
