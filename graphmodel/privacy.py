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

__all__ = ["pii_key", "hash_id_number", "mask_phone", "mask_phones_in_text", "normalize_id_number",
           "find_id_numbers",
           "contains_id_number",
           "mask_id_number", "mask_id_numbers", "MIN_KEY_BYTES"]

KEY_ENV = "GRIDGRAPH_PII_KEY"
KEY_FILE_ENV = "GRIDGRAPH_KEY_FILE"
MIN_KEY_BYTES = 16
_ID_NUMBER = re.compile(r"^[0-9]{17}[0-9X]$|^[0-9]{15}$")
# How people write an ID number in free text besides 18 plain digits: full-width digits and X,
# and groups split by spaces, dashes, dots, NBSP or the ideographic space U+3000
# ("371327 19930131 0603"). Mapped one character to one, so positions stay those of the text.
_ID_WIDTH = str.maketrans({**{chr(0xFF10 + digit): str(digit) for digit in range(10)},
                           "Ｘ": "X", "ｘ": "x", "\u00a0": " ", "\u3000": " ", "\u2002": " ",
                           "\u2003": " ", "\u2009": " ", "\u202f": " ", "－": "-", "‐": "-",
                           "‑": "-", "–": "-", "—": "-", "．": ".", "\t": " "})
# A run of digit groups joined by up to two separators, not glued to further letters or digits;
# its groups are then tried span by span (:func:`_id_spans`).
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])[0-9]+(?:[ .-]{1,2}[0-9]+)*[Xx]?(?![0-9A-Za-z])")
_GROUP = re.compile(r"[0-9]+[Xx]?")
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
    """Upper-case ASCII without spaces or dashes (full-width digits made plain); ``ValueError`` if
    it is not 15 or 18 characters of an ID number.

    >>> normalize_id_number("３７１３２７ 19930131-060x")
    '37132719930131060X'
    """
    value = re.sub(r"[\s.-]+", "", str(text).translate(_ID_WIDTH)).upper()
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


_FIFTEEN_DIGITS = re.compile(r"[0-9\uff10-\uff19](?:[^0-9\uff10-\uff19]{0,2}[0-9\uff10-\uff19]){14}")


# A text of ASCII letters and digits only (a ledger code) holds an ID number only when it is one.
_PLAIN_ID_NUMBER = re.compile(r"[0-9]{15}|[0-9]{17}[0-9Xx]")


def contains_id_number(text: str) -> bool:
    """Whether ``text`` holds an ID-card number (:func:`find_id_numbers`), cheaply for the common
    text that holds no 15 digits close together at all, and for codes (LD3713020010010101)."""
    if text.isascii() and text.isalnum():  # no separators: one run of digits, if it is all digits
        return _PLAIN_ID_NUMBER.fullmatch(text) is not None and _is_id_number(text)
    return _holds_id_number(text)


def _holds_id_number(text: str) -> bool:
    return _FIFTEEN_DIGITS.search(text) is not None and bool(_id_spans(text))


def _id_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, number)`` of every ID-card number in ``text``: in each run of digit groups,
    every span of whole groups whose digits make 15 or 18 characters of a valid number."""
    plain = text.translate(_ID_WIDTH)
    found = []
    for run in _ID_IN_TEXT.finditer(plain):
        groups = list(_GROUP.finditer(run[0]))
        first = 0
        while first < len(groups):
            digits, taken = "", None
            for last in range(first, len(groups)):
                digits += groups[last][0]
                if len(digits) > 18:
                    break
                if len(digits) in (15, 18) and _is_id_number(digits):
                    taken = last, digits
            if taken is None:
                first += 1
                continue
            last, number = taken
            found.append((run.start() + groups[first].start(), run.start() + groups[last].end(), number))
            first = last + 1
    return found


def find_id_numbers(text: str) -> list[str]:
    """ID-card numbers written anywhere in ``text``, however spaced or wide, as plain digits.

    >>> find_id_numbers("张三 11010119900307109X 电话 13812345678")
    ['11010119900307109X']
    >>> find_id_numbers("证件 110101 19900307-109x，又 １１０１０１１９９００３０７１０９Ｘ")
    ['11010119900307109x', '11010119900307109X']
    >>> find_id_numbers("编号 110101199003074518")  # wrong check digit: not an ID number
    []
    """
    return [number for _, _, number in _id_spans(text)]


def mask_id_number(text: str) -> str:
    """All but the last four characters hidden: ``11010119900307451X`` → ``**************451X``."""
    value = str(text)
    return "*" * max(len(value) - 4, 0) + value[-4:]


def mask_id_numbers(text: str) -> str:
    """``text`` with every ID-card number in it masked (:func:`mask_id_number`), separators and
    all, so a spaced number shows only its last four digits too."""
    for start, end, _ in reversed(_id_spans(text)):
        text = text[:start] + mask_id_number(text[start:end].replace(" ", "")) + text[end:]
    return text


# A phone inside other text, digits plain or full-width, groups split by spaces or dashes: a
# mobile number (1 3-9 and 9 more digits) or a landline with its area code (0 and 2-3 digits).
_PHONE_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(?:1[3-9][0-9](?:[ -]?[0-9]){8}"
                            r"|0[1-9][0-9]{1,2}[ -]?[1-9][0-9]{2,3}[ -]?[0-9]{4})(?![0-9A-Za-z])")


_SEVEN_DIGITS = re.compile(r"[0-9\uff10-\uff19](?:[^0-9\uff10-\uff19]?[0-9\uff10-\uff19]){6}")


def mask_phones_in_text(text: str, *, keep_quoted: bool = False) -> str:
    """``text`` with every phone number in it masked as :func:`mask_phone` masks a phone column.

    ``keep_quoted``: leave a number that is a whole ``"…"`` value of a JSON text (a code, or a
    phone column, which is masked as a column), and mask only the numbers inside text values.

    >>> mask_phones_in_text("张三反映漏水，电话 138 1234 5678，或 0531-87654321")
    '张三反映漏水，电话 138****5678，或 ********4321'
    >>> mask_phones_in_text("工单 2026-05-06 编号 371327001001")
    '工单 2026-05-06 编号 371327001001'
    """
    if _SEVEN_DIGITS.search(text) is None:  # the common text: no phone at all
        return text
    plain = text.translate(_ID_WIDTH)
    for match in reversed(list(_PHONE_IN_TEXT.finditer(plain))):
        if keep_quoted and plain[match.start() - 1:match.start()] == plain[match.end():match.end() + 1] == '"':
            continue
        text = text[:match.start()] + mask_phone(match[0]) + text[match.end():]
    return text


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
