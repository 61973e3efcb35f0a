"""The one atomic-write helper every writer uses (issue 11, item 13; item 10 for output targets)."""

from __future__ import annotations

import errno
import os
import threading

import pytest

from graphmodel.atomic import atomic_open, atomic_write_bytes, check_output
from graphmodel.errors import OutputError


def _leftovers(folder):
    return sorted(path.name for path in folder.iterdir() if path.name.startswith("."))


def test_a_planted_temp_name_or_symlink_cannot_catch_the_write(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    # The old predictable temp name, pre-created as a symlink onto another file.
    (tmp_path / ".view.html.tmp").symlink_to(victim)
    atomic_write_bytes(tmp_path / "view.html", b"<html>")
    assert victim.read_text() == "keep me"
    assert (tmp_path / "view.html").read_bytes() == b"<html>"


def test_a_symlinked_target_is_written_only_through_its_real_path(tmp_path):
    real = tmp_path / "real.html"
    real.write_text("old")
    link = tmp_path / "link.html"
    link.symlink_to(real)
    with pytest.raises(OutputError, match="symbolic link"):
        atomic_write_bytes(link, b"new")
    assert real.read_text() == "old" and link.is_symlink()
    atomic_write_bytes(real, b"new")  # on purpose: the real path
    assert link.read_text() == "new"


def test_a_fifo_or_a_device_is_never_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target in (fifo, "/dev/null"):
        with pytest.raises(OutputError, match="not a regular file"):
            atomic_write_bytes(target, b"x")
    assert fifo.exists() and not fifo.is_file()
    assert _leftovers(tmp_path) == []


def test_an_input_is_refused_also_through_a_hard_link_or_dots(tmp_path):
    ledgers = tmp_path / "ledgers"
    ledgers.mkdir()
    ledger = ledgers / "小区.csv"
    ledger.write_bytes(b"id,name\n")
    os.link(ledger, tmp_path / "alias.csv")
    for target in (ledger, tmp_path / "alias.csv", tmp_path / "ledgers" / ".." / "ledgers" / "小区.csv",
                   ledgers / "new.xlsx"):
        with pytest.raises(OutputError):
            atomic_write_bytes(target, b"PK", inputs=[ledgers])
    assert ledger.read_bytes() == b"id,name\n"
    atomic_write_bytes(ledgers / "city.snapshot.json.gz", b"ok", inputs=[ledgers])  # not a ledger


def test_a_folder_replaced_whole_may_not_hold_an_input(tmp_path):
    (tmp_path / "out").mkdir()
    snapshot = tmp_path / "out" / "g.snapshot.json.gz"
    snapshot.write_bytes(b"x")
    with pytest.raises(OutputError, match="holds the input"):
        check_output(tmp_path / "out", [snapshot], tree=True)
    assert check_output(tmp_path / "elsewhere", [snapshot], tree=True) == tmp_path / "elsewhere"


def test_two_concurrent_writers_to_one_file_both_succeed(tmp_path):
    target = tmp_path / "view.html"
    errors = []

    def write(payload: bytes) -> None:
        try:
            for _ in range(50):
                atomic_write_bytes(target, payload)
        except Exception as error:  # noqa: BLE001 - any error fails the test below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(bytes([65 + n]) * 10_000,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert target.read_bytes() in (b"A" * 10_000, b"B" * 10_000)
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("failure", ["full disk", "caller error"])
def test_every_failure_leaves_the_target_and_no_temp_file(tmp_path, monkeypatch, failure):
    target = tmp_path / "report.md"
    target.write_text("old")
    if failure == "full disk":
        def full(fd):
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(os, "fsync", full)
        with pytest.raises(OutputError, match="No space left"):
            atomic_write_bytes(target, b"x" * 45_000)
    else:
        with pytest.raises(RuntimeError), atomic_open(target) as handle:
            handle.write(b"half")
            raise RuntimeError("renderer failed")
    assert target.read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_a_folder_that_cannot_be_written_is_a_clear_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        # root may write anywhere on a normal filesystem, but not into /proc
        target = folder / "x.html" if not os.access(folder, os.W_OK) else "/proc/gridgraph.html"
        with pytest.raises(OutputError, match="cannot write"):
            atomic_write_bytes(target, b"x")
    finally:
        folder.chmod(0o755)


def test_a_missing_folder_is_created_and_a_folder_target_refused(tmp_path):
    assert atomic_write_bytes(tmp_path / "new" / "deep" / "x.md", b"x").read_bytes() == b"x"
    with pytest.raises(OutputError, match="is a folder"):
        atomic_write_bytes(tmp_path / "new", b"x")


def test_written_files_get_the_usual_permissions(tmp_path):
    mask = os.umask(0o022)
    try:
        path = atomic_write_bytes(tmp_path / "x.csv", b"x")
    finally:
        os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o644
