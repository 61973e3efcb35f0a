"""Writing an output file safely: atomically, never over an input, never through a surprise.

Every file gridgraph writes goes through :func:`atomic_open`:

- the data goes into a temporary file in the target's folder, with an unpredictable name and
  opened exclusively (``O_EXCL``), so a pre-planted file or symlink cannot catch the write;
- it is flushed and fsync'ed, then renamed over the target, so readers see the old file or the
  whole new one, never half of it;
- on any failure (a full disk, a read-only folder, an exception in the caller) the temporary
  file is removed and the target is left as it was, and an ``OSError`` becomes one
  :class:`~graphmodel.errors.OutputError` naming the file;
- it refuses to replace a device, a FIFO or a socket, a symlink (give the real path: a write
  goes through a link only on purpose), a folder, or an input of the same command
  (:func:`check_output`).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from .errors import OutputError

__all__ = ["LEDGER_SUFFIXES", "check_output", "atomic_open", "atomic_write_bytes", "output_error"]

#: Suffixes of the files a ledger folder is read from: a new file with one of them inside an
#: input folder would be read as a ledger by the next load, so it is refused too.
LEDGER_SUFFIXES = frozenset({".csv", ".xlsx", ".xlsm"})

Inputs = Iterable[str | os.PathLike]


def output_error(path: str | os.PathLike, error: OSError) -> OutputError:
    """An ``OSError`` met while writing ``path``, as one clear error."""
    reason = error.strerror or str(error)
    return OutputError(f"{path}: cannot write ({reason})",
                       hint="check that the folder exists, is writable and has free space, "
                            "or choose another output path")


def _same(first: Path, second: Path) -> bool:
    """The same file or folder, also through hard links, symlinks and ``..``."""
    try:
        return first.exists() and second.exists() and os.path.samefile(first, second)
    except OSError:
        return False


def _files_of(source: Path) -> Iterator[Path]:
    """An input, and the ledger files in it when it is a folder."""
    yield source
    if source.is_dir():
        yield from (child for child in source.iterdir() if child.suffix.lower() in LEDGER_SUFFIXES)


def _inside(path: Path, folder: Path) -> bool:
    return path != folder and folder in path.parents


def check_output(path: str | os.PathLike, inputs: Inputs = (), *, tree: bool = False) -> Path:
    """``path`` as an output target, or :class:`OutputError` saying why it must not be written.

    Parameters
    ----------
    path : path
        The file (or, with ``tree``, the folder) about to be written or replaced.
    inputs : paths
        What the same command reads: snapshots, workbooks, ledger files or folders.
    tree : bool
        ``path`` is a folder replaced as a whole, so no input may lie inside it.

    Refused: an input itself (also through a link); a folder holding an input, when it would
    be replaced; a new CSV or XLSX file in an input folder (it would be read as a ledger);
    a device, FIFO or socket; a symlink; a folder where a file is expected.

    Examples
    --------
    >>> check_output("ledgers/小区.csv", ["ledgers"])       # doctest: +SKIP
    Traceback (most recent call last):
    graphmodel.errors.OutputError: ledgers/小区.csv is an input of this command ...
    """
    target = Path(path)
    absolute = Path(os.path.abspath(target))
    for source in map(Path, inputs):
        source_absolute = Path(os.path.abspath(source))
        if absolute == source_absolute or any(_same(target, file) for file in _files_of(source)):
            raise OutputError(f"{target} is an input of this command; writing it would destroy it",
                              hint="choose another output path")
        real, real_source = Path(os.path.realpath(target)), Path(os.path.realpath(source))
        if tree and (_inside(source_absolute, absolute) or _inside(real_source, real)):
            raise OutputError(f"{target} holds the input {source}; replacing it would destroy it",
                              hint="choose another output folder")
        if (not tree and target.suffix.lower() in LEDGER_SUFFIXES and source.is_dir()
                and (absolute.parent == source_absolute or real.parent == real_source)):
            raise OutputError(f"{target} is in the ledger folder {source}; it would be read as "
                              "a ledger next time", hint="write it outside the ledger folder")
    try:
        status = target.lstat()
    except FileNotFoundError:
        return target
    except OSError as error:
        raise output_error(target, error) from None
    if stat.S_ISLNK(status.st_mode):
        raise OutputError(f"{target} is a symbolic link to {os.path.realpath(target)}",
                          hint="give the real path to write through the link on purpose")
    if stat.S_ISDIR(status.st_mode):
        if tree:
            return target
        raise OutputError(f"{target} is a folder", hint="name a file to write")
    if not stat.S_ISREG(status.st_mode):
        raise OutputError(f"{target} is not a regular file (a device, FIFO or socket)",
                          hint="name a file; leave out -o to print to the terminal")
    return target


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "wb", *, inputs: Inputs = (),
                encoding: str | None = None, newline: str | None = None) -> Iterator[IO]:
    """A file object writing to ``path`` atomically (see the module notes).

    Parameters
    ----------
    path : path
        The file to create or replace; missing parent folders are created.
    mode : {"wb", "w"}
        Binary or text.
    inputs : paths
        Inputs of the calling command, which the target must not be (:func:`check_output`).
    encoding, newline
        As for :func:`open`, in text mode.

    Examples
    --------
    >>> with atomic_open("report.xlsx", inputs=["ledgers/"]) as handle:  # doctest: +SKIP
    ...     workbook.save(handle)
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_open writes with mode 'wb' or 'w', not {mode!r}")
    target = check_output(path, inputs)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # mkstemp: a random name, created with O_CREAT | O_EXCL and owner-only permissions.
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                         dir=target.parent)
    except OSError as error:
        raise output_error(target, error) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
            # A report gets the usual permissions, not mkstemp's owner-only ones.
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
        check_output(target, inputs)  # what the target is may have changed while we wrote
        os.replace(temp, target)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise output_error(target, error) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, inputs: Inputs = ()) -> Path:
    """Write ``data`` to ``path`` with :func:`atomic_open`; returns the path."""
    with atomic_open(path, inputs=inputs) as handle:
        handle.write(data)
    return Path(path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
