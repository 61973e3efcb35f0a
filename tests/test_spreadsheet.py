"""Formula-safe rows on their own (reports and exports build on them; atomic writes: test_atomic.py)."""

from __future__ import annotations

from graphmodel.spreadsheet import safe_row


def test_safe_row_quotes_each_formula_and_keeps_the_rest():
    assert safe_row(["=1+1", "-5", -5, "@SUM(A1)", None, "幸福小区"]) == [
        "'=1+1", "-5", -5, "'@SUM(A1)", None, "幸福小区"]



def test_every_formula_start_is_quoted_and_every_signed_number_kept():
    formulas = ["+SUM(A1)", "-A1", "\t=1", "\r=1", "-", "+"]
    numbers = ["+3.5", "-.5", "-1e5", "-12%", "-5.", "+7E-3"]
    assert safe_row(formulas) == ["'" + text for text in formulas]
    assert safe_row([*numbers, "a=b", 3.5]) == [*numbers, "a=b", 3.5]
