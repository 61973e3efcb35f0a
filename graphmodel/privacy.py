"""Personal information: keyed hashing of ID-card numbers and masking of phone numbers.

ID-card numbers (身份证号) are replaced at load by an HMAC-SHA256 keyed hash, so two ledgers
can still be matched on the same person while the number itself is never stored. The key comes
from ``GRIDGRAPH_PII_KEY`` or from a key file (``GRIDGRAPH_KEY_FILE``, default
``~/.config/gridgraph/pii.key``) that is created with owner-only permissions on first use.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import sys
from pathlib import Path

__all__ = ["pii_key", "hash_id_number", "mask_phone", "normalize_id_number"]

KEY_ENV = "GRIDGRAPH_PII_KEY"
KEY_FILE_ENV = "GRIDGRAPH_KEY_FILE"
_ID_NUMBER = re.compile(r"^\d{17}[\dX]$|^\d{15}$")


def _key_file() -> Path:
    return Path(os.environ.get(KEY_FILE_ENV) or Path.home() / ".config" / "gridgraph" / "pii.key")


def pii_key() -> bytes:
    """The hashing key: the environment variable if set, else the key file (created if absent)."""
    from_env = os.environ.get(KEY_ENV)
    if from_env:
        return from_env.encode("utf-8")
    path = _key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # O_EXCL: two processes starting at once must not overwrite each other's key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_bytes().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        # Said once, when made: hashes made with another key never match, so the key must be kept.
        print(f"note: created the key for hashing ID-card numbers in {path} (owner-only); keep it: "
              f"hashes made with another key do not match. Set {KEY_ENV} or {KEY_FILE_ENV} to use "
              "another key.", file=sys.stderr)
    return path.read_bytes().strip()


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
