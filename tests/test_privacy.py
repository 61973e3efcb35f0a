"""Personal information end to end: ledgers with phones and ID numbers → snapshot, reports, views.

Raw ID-card numbers never reach the snapshot; reports mask phones and leave out ID hashes unless
``--show-pii``; views show neither.
"""

import csv
import hashlib
import hmac
import json

import openpyxl
import pytest
from click.testing import CliRunner

from graphmodel import load_snapshot
from graphmodel.privacy import KEY_ENV, KEY_FILE_ENV, hash_id_number, mask_phone, normalize_id_number, pii_key
from gridgraph.cli import main
from loaders.sample import SAMPLE_DATA_DIR
from snapshot_files import unpacked_bytes


def _people():
    with open(SAMPLE_DATA_DIR / "人员.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


PEOPLE = _people()
PHONES = [row["联系电话"] for row in PEOPLE if row["联系电话"]]
ID_NUMBERS = [row["身份证号"] for row in PEOPLE if row["身份证号"]]



@pytest.mark.parametrize("phone, masked", [
    ("13812345678", "138****5678"),
    ("138-1234-5678", "138****5678"),
    ("138 1234 5678", "138****5678"),
    ("+86 138 1234 5678", "*********5678"),  # 13 digits: not a bare mobile, only the last four show
    ("+86-138-1234-5678", "*********5678"),
    ("0531-81234567", "********4567"),
    ("12345", "*2345"),
    ("1234", "****"),
    ("", ""),
    (None, None),
])
def test_mask_phone_shows_no_more_than_it_should(phone, masked):
    assert mask_phone(phone) == masked


def test_the_key_is_made_once_owner_only_under_the_home_config(tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_FILE_ENV)
    monkeypatch.setenv("HOME", str(tmp_path))
    key = pii_key()
    path = tmp_path / ".config" / "gridgraph" / "pii.key"
    assert path.read_bytes().strip() == key and len(key) == 64 and int(key, 16) >= 0
    assert (path.stat().st_mode & 0o777, path.parent.stat().st_mode & 0o777) == (0o600, 0o700)
    assert pii_key() == key
    monkeypatch.setenv(KEY_ENV, "秘钥" * 3)  # 18 bytes: long enough
    assert pii_key() == ("秘钥" * 3).encode("utf-8")


def test_id_numbers_are_normalised_then_hashed_with_the_key():
    number = "37132719970619638x"
    assert normalize_id_number(" 3713 2719 9706 1963 8x ") == number.upper()
    expected = hmac.new(b"k", number.upper().encode("ascii"), hashlib.sha256).hexdigest()[:32]
    assert hash_id_number(number, key=b"k") == expected
    assert hash_id_number(number) == hmac.new(pii_key(), number.upper().encode(), hashlib.sha256).hexdigest()[:32]
    with pytest.raises(ValueError, match=r"^不是有效的身份证号 \(expected 18 characters, the last a digit or X\)$"):
        normalize_id_number("12345")

@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    path = tmp_path_factory.mktemp("pii") / "sample.snapshot.json.gz"
    result = CliRunner().invoke(main, ["load", str(SAMPLE_DATA_DIR), "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_the_sample_carries_personal_information():
    assert len(PHONES) > 50 and len(ID_NUMBERS) > 10


def test_snapshot_holds_hashes_not_id_numbers(snapshot):
    text = unpacked_bytes(snapshot).decode("utf-8", "replace")
    assert not [number for number in ID_NUMBERS if number in text]
    hashed = [attrs["id_hash"] for _, attrs in load_snapshot(snapshot).nodes("Person")
              if "id_hash" in attrs]
    assert len(hashed) == len(ID_NUMBERS) and all(len(value) == 32 for value in hashed)


def _cross_report(snapshot, tmp_path, fmt, *extra):
    output = tmp_path / f"cross.{fmt}"
    result = CliRunner().invoke(main, ["audit", "cross", str(snapshot), "--format", fmt,
                                       "-o", str(output), *extra])
    assert result.exit_code == 0, result.output
    if fmt == "xlsx":
        book = openpyxl.load_workbook(output)
        return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
                         for cell in row)
    return output.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "md"])
def test_reports_mask_phones_unless_show_pii(snapshot, tmp_path, fmt):
    masked = _cross_report(snapshot, tmp_path, fmt)
    shown = [phone for phone in PHONES if phone in masked]
    assert shown == []
    assert any(f"{phone[:3]}****{phone[-4:]}" in masked for phone in PHONES)
    revealed = _cross_report(snapshot, tmp_path, fmt, "--show-pii")
    assert any(phone in revealed for phone in PHONES)


def test_json_report_has_no_id_hashes(snapshot):
    result = CliRunner().invoke(main, ["audit", "all", str(snapshot), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "id_hash" not in result.output
    json.loads(result.output)


@pytest.mark.parametrize("kind, node", [("community", "371327165001"), ("people", "371327165001")])
def test_views_show_neither_phones_nor_hashes(snapshot, tmp_path, kind, node):
    output = tmp_path / f"{kind}.html"
    result = CliRunner().invoke(main, ["view", kind, node, str(snapshot), "-o", str(output)])
    assert result.exit_code == 0, result.output
    html = output.read_text(encoding="utf-8")
    assert not [phone for phone in PHONES if phone in html]
    assert "id_hash" not in html


def test_the_key_file_is_announced_once_when_it_is_created(tmp_path, monkeypatch, capsys):
    from graphmodel.privacy import pii_key

    monkeypatch.delenv("GRIDGRAPH_PII_KEY", raising=False)
    monkeypatch.setenv("GRIDGRAPH_KEY_FILE", str(tmp_path / "keys" / "pii.key"))
    first = pii_key()
    said = capsys.readouterr().err
    assert said == (f"note: created the key for hashing ID-card numbers in {tmp_path / 'keys' / 'pii.key'} "
                    "(owner-only); keep it: hashes made with another key do not match. Set GRIDGRAPH_PII_KEY "
                    "or GRIDGRAPH_KEY_FILE to use another key.\n")
    assert pii_key() == first and capsys.readouterr().err == ""  # once, not on every use
