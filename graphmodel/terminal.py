"""Text bound for a terminal: control characters shown, never obeyed.

A ledger cell can hold escape sequences (``ESC ]52;…`` writes to the clipboard, ``ESC [2J``
clears the screen) or bidirectional overrides that reorder what is shown. :func:`visible`
replaces every such character with a visible stand-in before it reaches a terminal.
"""

from __future__ import annotations

import re

__all__ = ["visible"]

# C0 controls, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _stand_in(match: re.Match) -> str:
    code = ord(match[0])
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␀ … ␟
    if code == 0x7f:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """``text`` with control characters shown as symbols.

    >>> visible("a\\x1b]52;c;aGk=\\x07b"), visible("x\\u202ey")
    ('a␛]52;c;aGk=␇b', 'x<U+202E>y')
    """
    return _INVISIBLE.sub(_stand_in, text)
