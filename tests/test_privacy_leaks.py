"""No raw ID-card number in any output, whatever its column is called (issue 11, items 5–8).

ID numbers are planted under every header spelling of ``schema.ID_NUMBER_HEADERS`` and in free
text (an extra 备注 column, a name); every output kind is then searched for them: the snapshot,
GraphML, the neo4j-admin files, audit reports in every format, every view, and what validate and
load print. None may be found.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import multiprocessing
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from graphmodel import privacy
from gridgraph.cli import main
from graphmodel.errors import PrivacyError
from graphmodel.privacy import (KEY_ENV, KEY_FILE_ENV, MIN_KEY_BYTES, contains_id_number, find_id_numbers,
                                 hash_id_number, mask_id_number, mask_id_numbers, pii_key)
from graphmodel.schema import ID_NUMBER_HEADERS
from ledger_factory import minimal_ledgers, table, write_csv
from loaders import LEDGERS_BY_NAME, load_ledgers

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(serial: int, birth: str = "19900307", area: str = "110101") -> str:
    """A valid 18-character ID number (check digit computed)."""
    body = f"{area}{birth}{serial % 1000:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS)) % 11]


OLD_ID_NUMBER = "371327900131061"  # 15 digits: born 1990-01-31
HEADER_SPELLINGS = [*ID_NUMBER_HEADERS, "ID_Card", "Id No", "公民身份号码（必填）", "SFZH "]


def run(*args, env=None):
    return CliRunner().invoke(main, [str(arg) for arg in args], env=env)


def _write(folder: Path, ledgers: dict, headers: dict[str, dict[str, str]]) -> Path:
    """Ledgers as CSV with some headers renamed: ``headers[ledger][zh header] = new header``."""
    folder.mkdir(parents=True, exist_ok=True)
    for ledger, rows in ledgers.items():
        cells = table(ledger, rows)
        cells[0] = [headers.get(ledger, {}).get(header, header) for header in cells[0]]
        write_csv(folder / f"{LEDGERS_BY_NAME[ledger].zh}.csv", cells)
    return folder


def _output_text(folder: Path) -> str:
    """Every file under ``folder`` as text, snapshots and workbooks unpacked (both are zips)."""
    parts = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        parts.append(data.decode("utf-8", errors="replace"))
    return "\n".join(parts)


def _every_output(source: Path, out: Path, *load_options: str) -> str:
    """Run every output command on ``source``; returns all they printed and wrote."""
    printed = []

    def call(*args):
        result = run(*args)
        assert "Traceback" not in result.output, result.output
        printed.append(result.output)
        return result

    snapshot = out / "g.snapshot.json.gz"
    call("validate", source)
    assert call("load", source, "-o", snapshot, *load_options).exit_code == 0
    call("stats", snapshot)
    for include in ([], ["--include-pii"]):
        name = "pii" if include else "plain"
        assert call("export", "graphml", out / f"{name}.graphml", "--from", snapshot,
                    *include).exit_code == 0
        assert call("export", "neo4j-admin", out / f"admin-{name}", "--from", snapshot,
                    *include).exit_code == 0
    for show in ([], ["--show-pii"]):
        for fmt in ("table", "csv", "json", "md"):
            call("audit", "all", snapshot, "--format", fmt, "--limit", "0", *show)
            call("audit", "all", snapshot, "--format", fmt, "-o", out / f"a{len(show)}.{fmt}", *show)
        call("audit", "all", snapshot, "--format", "xlsx", "-o", out / f"a{len(show)}.xlsx", *show)
        call("audit", "all", snapshot, "--format", "csv", "-o", out / f"csv{len(show)}/", *show)
    for kind, area in [("community", "C1"), ("street", "S1"), ("hierarchy", "D1"),
                       ("people", "D1"), ("overview", "all")]:
        assert call("view", kind, area, snapshot, "-o", out / f"{kind}.html").exit_code == 0
    return "\n".join(printed) + _output_text(out)


@pytest.mark.parametrize("header", HEADER_SPELLINGS)
def test_an_id_column_under_any_spelling_is_hashed_and_never_output(tmp_path, header):
    ledgers = minimal_ledgers()
    numbers = [id_number(1), OLD_ID_NUMBER, id_number(2, "19851231", "230103")]
    for person, number in zip(ledgers["people"], numbers):
        person["id_number"] = number
    source = _write(tmp_path / "ledgers", ledgers, {"people": {"身份证号": header}})
    result = load_ledgers(source)
    hashes = sorted(attrs.get("id_hash", "") for _, attrs in result.graph.nodes("Person"))
    assert hashes == sorted(hash_id_number(number) for number in numbers)
    (tmp_path / "out").mkdir()
    text = _every_output(source, tmp_path / "out")
    assert [number for number in numbers if number in text] == []


def test_id_numbers_in_free_text_are_refused_masked_and_never_output(tmp_path):
    ledgers = minimal_ledgers()
    planted = [id_number(3), id_number(4), OLD_ID_NUMBER, id_number(5)]
    ledgers["compounds"][0]["备注"] = f"联系人身份证{planted[0]}"
    ledgers["people"][1]["备注"] = f"证件 {planted[1]}，电话 13900001111"
    ledgers["people"][2]["name"] = f"王五{planted[2]}"
    ledgers["grids"][0]["证件号码"] = planted[3]  # an ID column in a ledger without people
    source = _write(tmp_path / "ledgers", ledgers, {})
    validate = run("validate", source)
    assert validate.exit_code == 1
    assert validate.output.count("含有身份证号") == 3
    assert "小区.csv:2: 备注=" in validate.output
    (tmp_path / "out").mkdir()
    text = _every_output(source, tmp_path / "out", "--skip-invalid")
    assert [number for number in planted if number in text] == []
    assert mask_id_numbers(planted[0]) in validate.output  # masked, so the clerk can find it


def test_validate_never_echoes_an_id_number(tmp_path):
    ledgers = minimal_ledgers()
    ledgers["people"][0]["id_number"] = "37132719930131060"  # 17 digits: invalid
    ledgers["people"][1]["id_number"] = "3713271993013\x1b10606"  # a control character in it
    result = run("validate", _write(tmp_path / "l", ledgers, {}))
    assert result.exit_code == 1
    assert "37132719930131060" not in result.output and "3713271993013" not in result.output
    assert "身份证号=*************1060: 不是有效的身份证号" in result.output
    assert "人员.csv:3: 身份证号=***************0606: 含有控制字符 U+001B" in result.output


def test_find_id_numbers_checks_the_check_digit_and_the_birth_date():
    assert find_id_numbers(f"证号{id_number(7)}。") == [id_number(7)]
    assert find_id_numbers(f"No.{id_number(7)}x") == []                 # glued to letters
    wrong_check = id_number(7)[:-1] + ("0" if id_number(7)[-1] != "0" else "1")
    assert find_id_numbers(wrong_check) == []
    assert find_id_numbers("110101199013074519") == []          # month 13
    assert find_id_numbers(OLD_ID_NUMBER) == [OLD_ID_NUMBER]
    assert find_id_numbers("订单号 1234567890123456789") == []    # 19 digits
    assert find_id_numbers("13812345678") == []


def test_find_id_numbers_at_the_edges_of_what_an_id_number_can_be():
    today = dt.date.today()
    born_today = id_number(1, birth=f"{today:%Y%m%d}")
    born_tomorrow = id_number(1, birth=f"{today + dt.timedelta(days=1):%Y%m%d}")
    lower_case_x = next(number for number in map(id_number, range(1000)) if number.endswith("X")).lower()
    assert find_id_numbers(f"{born_today} {born_tomorrow}") == [born_today]
    assert find_id_numbers(lower_case_x) == [lower_case_x]
    assert find_id_numbers("110101000101123") == ["110101000101123"]  # 15 digits: born 1900-01-01
    assert find_id_numbers("110101851010123") == ["110101851010123"]  # 15 digits: born 1985-10-10
    assert find_id_numbers(f"910101851010123 {id_number(1, area='910101')}") == []  # no province begins with 9


def test_mask_id_numbers_hides_id_numbers_and_keeps_other_long_codes():
    text = f"张三 {id_number(7)} 编号 110101199003074518 电话 13812345678"
    assert mask_id_numbers(text) == f"张三 {'*' * 14}{id_number(7)[-4:]} 编号 110101199003074518 电话 13812345678"
    assert [mask_id_number(value) for value in ("109X", "9X", "")] == ["109X", "9X", ""]


# -- the key -------------------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"", b"\n", b"short"])
def test_an_empty_or_short_key_file_is_refused(tmp_path, monkeypatch, content):
    key = tmp_path / "pii.key"
    key.write_bytes(content)
    key.chmod(0o600)
    monkeypatch.setenv("GRIDGRAPH_KEY_FILE", str(key))
    with pytest.raises(PrivacyError) as refused:
        pii_key()
    assert str(refused.value) == (f"the ID-number hashing key file {key} holds a {len(content.strip())}-byte key; "
                                  "at least 16 are needed")
    assert refused.value.hint.startswith("write a long random key into it (e.g. python -c")
    assert refused.value.hint.endswith("if it was made by gridgraph, it was damaged: restore it from a backup, "
                                       "or ID hashes will no longer match earlier loads")
    key.write_bytes(b"0123456789abcdef\n")  # exactly 16 bytes: long enough
    assert pii_key() == b"0123456789abcdef"


def test_a_world_writable_key_file_is_refused(tmp_path, monkeypatch):
    key = tmp_path / "pii.key"
    key.write_text("0123456789abcdef0123456789abcdef")
    key.chmod(0o666)
    monkeypatch.setenv("GRIDGRAPH_KEY_FILE", str(key))
    with pytest.raises(PrivacyError) as refused:
        pii_key()
    assert (str(refused.value), refused.value.hint) == (
        f"the ID-number hashing key file {key} may be written by anyone (world-writable), so the key "
        "cannot be trusted", f"chmod 600 {key}")
    key.chmod(0o600)
    assert pii_key() == b"0123456789abcdef0123456789abcdef"


def test_a_short_environment_key_is_refused(monkeypatch):
    monkeypatch.setenv("GRIDGRAPH_PII_KEY", "x")
    with pytest.raises(PrivacyError, match="GRIDGRAPH_PII_KEY is 1 bytes"):
        pii_key()
    monkeypatch.setenv("GRIDGRAPH_PII_KEY", "a-long-enough-secret-key")
    assert pii_key() == b"a-long-enough-secret-key"


def test_an_environment_key_of_the_minimum_length_is_enough_and_a_shorter_one_gets_a_hint(monkeypatch):
    monkeypatch.setenv(KEY_ENV, "k" * MIN_KEY_BYTES)
    assert pii_key() == b"k" * MIN_KEY_BYTES
    monkeypatch.setenv(KEY_ENV, "k" * (MIN_KEY_BYTES - 1))
    with pytest.raises(PrivacyError) as refused:
        pii_key()
    assert refused.value.hint.startswith("unset it to use the key file, or set a long random key (e.g. python -c")


def _refusal(monkeypatch, key_file: Path) -> PrivacyError:
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.setenv(KEY_FILE_ENV, str(key_file))
    with pytest.raises(PrivacyError) as refused:
        pii_key()
    return refused.value


_USUAL_HINT = (f"set {KEY_FILE_ENV} to a readable, writable place, or {KEY_ENV} to a long random key "
               "(e.g. python -c 'import secrets; print(secrets.token_hex(32))')")


def test_a_key_file_that_is_a_folder_or_under_a_file_is_refused(tmp_path, monkeypatch):
    (tmp_path / "pii.key").mkdir()
    refused = _refusal(monkeypatch, tmp_path / "pii.key")
    assert (str(refused), refused.hint) == (
        f"the ID-number hashing key file {tmp_path / 'pii.key'} is a folder, not a key file", _USUAL_HINT)
    (tmp_path / "plain").write_text("not a folder")
    refused = _refusal(monkeypatch, tmp_path / "plain" / "pii.key")
    assert (str(refused), refused.hint) == (
        f"the ID-number hashing key file {tmp_path / 'plain' / 'pii.key'} cannot be read (Not a directory)",
        _USUAL_HINT)


def test_a_key_file_that_cannot_be_made_is_refused_and_leaves_nothing_behind(tmp_path, monkeypatch):
    """Where hard links are refused (some network or FAT file systems), or the disk is full."""
    linked = []

    def no_links(source, target):
        linked.append(Path(source))
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    refused = _refusal(monkeypatch, tmp_path / "keys" / "pii.key")
    assert (str(refused), refused.hint) == (
        f"the ID-number hashing key file {tmp_path / 'keys' / 'pii.key'} cannot be created (Operation not permitted)",
        _USUAL_HINT)
    [temporary] = linked  # written beside the key, hidden, so link(2) stays on one file system
    assert temporary.parent == tmp_path / "keys" and temporary.name.startswith(".pii.key.")
    assert list((tmp_path / "keys").iterdir()) == []

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tempfile.mkstemp", disk_full)
    refused = _refusal(monkeypatch, tmp_path / "full" / "pii.key")
    assert str(refused) == f"the ID-number hashing key file {tmp_path / 'full' / 'pii.key'} cannot be created (No space left on device)"


def _key_in_child(path: str, barrier) -> bytes:
    os.environ["GRIDGRAPH_KEY_FILE"] = path
    os.environ.pop("GRIDGRAPH_PII_KEY", None)
    barrier.wait()
    return pii_key()


def test_processes_creating_the_key_at_once_all_read_the_same_whole_key(tmp_path):
    context = multiprocessing.get_context("fork")
    workers = 6
    with context.Manager() as manager, context.Pool(workers) as pool:
        for round_number in range(25):
            path = str(tmp_path / f"r{round_number}" / "pii.key")
            barrier = manager.Barrier(workers)
            keys = pool.starmap(_key_in_child, [(path, barrier)] * workers)
            assert len(set(keys)) == 1 and len(keys[0]) == 64, keys
            assert Path(path).stat().st_mode & 0o777 == 0o600
            assert [p.name for p in Path(path).parent.iterdir()] == ["pii.key"]


_CODE_TEXT = st.one_of(
    st.text(alphabet="0123456789XxLDQ", min_size=14, max_size=20),
    st.builds(lambda serial, prefix, suffix: prefix + id_number(serial) + suffix,
              st.integers(0, 999), st.sampled_from(["", "LD", "9"]), st.sampled_from(["", "X", "0"])),
    st.just(OLD_ID_NUMBER), st.just(OLD_ID_NUMBER + "X"), st.just(OLD_ID_NUMBER[:14] + "X"),
    st.just(id_number(7)[:17] + "x"))


@given(_CODE_TEXT)
@settings(max_examples=300, deadline=None)
def test_a_code_holds_an_id_number_exactly_when_the_full_search_finds_one(text):
    """contains_id_number's shortcut for texts of ASCII letters and digits (ledger codes) agrees
    with its search through runs of digit groups, which any other text takes."""
    assert contains_id_number(text) == privacy._holds_id_number(text)  # noqa: SLF001
