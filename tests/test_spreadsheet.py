"""Formula-safe rows and atomic writes, on their own (reports and exports build on them)."""

from __future__ import annotations

import os

import pytest

from graphmodel.spreadsheet import atomic_path, atomic_write_bytes, safe_row


def test_safe_row_quotes_each_formula_and_keeps_the_rest():
    assert safe_row(["=1+1", "-5", -5, "@SUM(A1)", None, "幸福小区"]) == [
        "'=1+1", "-5", -5, "'@SUM(A1)", None, "幸福小区"]


def test_the_temporary_file_lies_hidden_beside_its_target_in_a_new_folder(tmp_path):
    target = tmp_path / "new" / "deeper" / "report.xlsx"
    with atomic_path(target) as temp:
        assert temp.parent == target.parent and temp.exists()
        assert temp.name.startswith(".report.xlsx.") and temp.name.endswith(".tmp")
        temp.write_bytes(b"done")
    assert target.read_bytes() == b"done" and os.listdir(target.parent) == ["report.xlsx"]


def test_a_written_file_gets_the_usual_permissions(tmp_path):
    previous = os.umask(0o027)
    try:
        path = atomic_write_bytes(tmp_path / "audit.csv", b"a,b\n")
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "audit.csv"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as temp:
            temp.write_bytes(b"half")
            raise RuntimeError("disk full")
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["audit.csv"]
