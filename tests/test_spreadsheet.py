"""Formula-safe rows on their own (reports and exports build on them; atomic writes: test_atomic.py)."""

from __future__ import annotations

from graphmodel.spreadsheet import safe_row


def test_safe_row_quotes_each_formula_and_keeps_the_rest():
    assert safe_row(["=1+1", "-5", -5, "@SUM(A1)", None, "幸福小区"]) == [
        "'=1+1", "-5", -5, "'@SUM(A1)", None, "幸福小区"]

