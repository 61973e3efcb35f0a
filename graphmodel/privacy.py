"""Personal information: keyed hashing of ID-card numbers, finding and masking them, masking phones.

ID-card numbers (身份证号) are replaced at load by an HMAC-SHA256 keyed hash, so two ledgers
can still be matched on the same person while the number itself is never stored. The key comes
from ``GRIDGRAPH_PII_KEY`` or from a key file (``GRIDGRAPH_KEY_FILE``, default
``~/.config/gridgraph/pii.key``) that is created with owner-only permissions on first use.

A weak key is refused rather than used: a key shorter than 16 bytes, an empty key file, a key
file anyone may write. The key file appears whole or not at all (written to a temporary file,
then hard-linked into place), so processes starting at once never read an empty key and never
replace each other's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
import stat
import sys
import tempfile
from pathlib import Path

from .errors import PrivacyError

__all__ = ["pii_key", "hash_id_number", "mask_phone", "normalize_id_number", "find_id_numbers",
           "contains_id_number",
           "mask_id_number", "mask_id_numbers", "MIN_KEY_BYTES"]

KEY_ENV = "GRIDGRAPH_PII_KEY"
KEY_FILE_ENV = "GRIDGRAPH_KEY_FILE"
MIN_KEY_BYTES = 16
_ID_NUMBER = re.compile(r"^\d{17}[\dX]$|^\d{15}$")
# An ID number inside other text: 18 or 15 digits not glued to further letters or digits.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_CHECK_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_DIGITS = "10X98765432"
_NEW_KEY_HINT = "e.g. python -c 'import secrets; print(secrets.token_hex(32))'"


def _key_file() -> Path:
    return Path(os.environ.get(KEY_FILE_ENV) or Path.home() / ".config" / "gridgraph" / "pii.key")


def pii_key() -> bytes:
    """The hashing key: the environment variable if set, else the key file (created if absent).

    Raises
    ------
    PrivacyError
        A key shorter than :data:`MIN_KEY_BYTES`, a key file that is empty, a folder, writable
        by anyone, or that cannot be read or created.
    """
    from_env = os.environ.get(KEY_ENV)
    if from_env:
        key = from_env.strip().encode("utf-8")
        if len(key) < MIN_KEY_BYTES:
            raise PrivacyError(f"{KEY_ENV} is {len(key)} bytes long; a hashing key needs at least "
                               f"{MIN_KEY_BYTES}", hint=f"unset it to use the key file, or set a "
                                                      f"long random key ({_NEW_KEY_HINT})")
        return key
    path = _key_file()
    try:
        return _read_key(path)
    except FileNotFoundError:
        _create_key(path)
        return _read_key(path)


def _read_key(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as error:
        if isinstance(error, FileNotFoundError):
            raise  # pii_key creates it
        raise _key_error(path, f"cannot be read ({error.strerror})") from None
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise _key_error(path, "is a folder, not a key file")
        if status.st_mode & stat.S_IWOTH:
            raise _key_error(path, "may be written by anyone (world-writable), so the key cannot "
                                   "be trusted", hint=f"chmod 600 {path}")
        key = os.read(fd, 4096).strip()
    finally:
        os.close(fd)
    if len(key) < MIN_KEY_BYTES:
        raise _key_error(path, f"holds a {len(key)}-byte key; at least {MIN_KEY_BYTES} are needed",
                         hint=f"write a long random key into it ({_NEW_KEY_HINT}); if it was made "
                              "by gridgraph, it was damaged: restore it from a backup, or "
                              "ID hashes will no longer match earlier loads")
    return key


def _create_key(path: Path) -> None:
    """A new random key at ``path``, appearing there whole: link(2) of a finished temporary
    file fails if another process was first, and then its key is the one used."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(prefix=".pii.key.", dir=path.parent)  # owner-only
    except OSError as error:
        raise _key_error(path, f"cannot be created ({error.strerror})") from None
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temp, path)
    except FileExistsError:
        return  # another process created the key first: use theirs
    except OSError as error:
        raise _key_error(path, f"cannot be created ({error.strerror})") from None
    finally:
        os.unlink(temp)
    # Said once, when made: hashes made with another key never match, so the key must be kept.
    print(f"note: created the key for hashing ID-card numbers in {path} (owner-only); keep it: "
          f"hashes made with another key do not match. Set {KEY_ENV} or {KEY_FILE_ENV} to use "
          "another key.", file=sys.stderr)


def _key_error(path: Path, reason: str, hint: str | None = None) -> PrivacyError:
    return PrivacyError(f"the ID-number hashing key file {path} {reason}",
                        hint=hint or f"set {KEY_FILE_ENV} to a readable, writable place, or "
                                     f"{KEY_ENV} to a long random key ({_NEW_KEY_HINT})")


def normalize_id_number(text: str) -> str:
    """Upper-case, without spaces; ``ValueError`` if it is not 15 or 18 characters of an ID number."""
    value = re.sub(r"\s+", "", str(text)).upper()
    if not _ID_NUMBER.match(value):
        raise ValueError("不是有效的身份证号 (expected 18 characters, the last a digit or X)")
    return value


def hash_id_number(text: str, key: bytes | None = None) -> str:
    """Keyed hash of a normalised ID-card number, as 32 hex characters."""
    value = normalize_id_number(text)
    digest = hmac.new(key if key is not None else pii_key(), value.encode("ascii"), hashlib.sha256)
    return digest.hexdigest()[:32]


def _is_id_number(candidate: str) -> bool:
    """18 digits with a valid birth date and check digit, or 15 digits with a valid birth date
    (since 1900): long ledger codes rarely pass both."""
    if len(candidate) == 18:
        total = sum(int(digit) * weight for digit, weight in zip(candidate, _CHECK_WEIGHTS))
        if _CHECK_DIGITS[total % 11] != candidate[17].upper():
            return False
        birth = candidate[6:14]
    else:
        birth = "19" + candidate[6:12]
    try:
        born = dt.datetime.strptime(birth, "%Y%m%d").date()
    except ValueError:
        return False
    # the first digit of every province code; a birth date a living person can have
    return candidate[0] in "12345678" and dt.date(1900, 1, 1) <= born <= dt.date.today()


def contains_id_number(text: str) -> bool:
    """Whether ``text`` holds an ID-card number (:func:`find_id_numbers`), cheaply for the common
    text that holds no run of 15 digits at all."""
    return _ID_IN_TEXT.search(text) is not None and bool(find_id_numbers(text))


def find_id_numbers(text: str) -> list[str]:
    """ID-card numbers written anywhere in ``text``.

    >>> find_id_numbers("张三 11010119900307109X 电话 13812345678")
    ['11010119900307109X']
    >>> find_id_numbers("编号 110101199003074518")  # wrong check digit: not an ID number
    []
    """
    return [match for match in _ID_IN_TEXT.findall(text) if _is_id_number(match)]


def mask_id_number(text: str) -> str:
    """All but the last four characters hidden: ``11010119900307451X`` → ``**************451X``."""
    value = str(text)
    return "*" * max(len(value) - 4, 0) + value[-4:]


def mask_id_numbers(text: str) -> str:
    """``text`` with every ID-card number in it masked (:func:`mask_id_number`)."""
    return _ID_IN_TEXT.sub(lambda m: mask_id_number(m[0]) if _is_id_number(m[0]) else m[0], text)


def mask_phone(text: str | None) -> str | None:
    """``13812345678`` → ``138****5678``; other numbers keep only their last four digits."""
    if not text:
        return text
    digits = re.sub(r"\D", "", str(text))
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) > 4:
        return "*" * (len(digits) - 4) + digits[-4:]
    return "****"
