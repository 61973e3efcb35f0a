"""What a snapshot file holds, unpacked, for tests that grep it (e.g. for raw ID numbers)."""

import zipfile


def unpacked_bytes(path) -> bytes:
    """Every member of a snapshot, decompressed and joined (Arrow keeps text as plain UTF-8)."""
    with zipfile.ZipFile(path) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())
