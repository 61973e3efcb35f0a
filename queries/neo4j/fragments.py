"""Named Cypher fragments: text written once and included where a statement says so.

A line ``// fragment: NAME`` in a ``queries/cypher/*.cypher`` file stands for the file
``fragments/NAME.cypher`` beside it, each of its lines indented as the directive is. The
backend and the linter both read statements through :func:`read_cypher`, so the text that is
linted is the text that runs.
"""

from __future__ import annotations

import re
from pathlib import Path

from graphmodel.errors import QueryError

__all__ = ["read_cypher", "expand_fragments", "FRAGMENTS"]

FRAGMENTS = "fragments"  # the folder of fragments, beside the statements that include them
_INCLUDE = re.compile(r"^([ \t]*)// fragment: ([\w-]+)[ \t]*$", re.MULTILINE)


def expand_fragments(text: str, directory: str | Path, *, source: str = "statement") -> str:
    """``text`` with every ``// fragment: NAME`` line replaced by ``directory/NAME.cypher``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "where.cypher").write_text("OPTIONAL MATCH (a)-[:PART_OF]->(b)\\n", encoding="utf-8")
    >>> print(expand_fragments("CALL {\\n  // fragment: where\\n}\\n", folder), end="")
    CALL {
      OPTIONAL MATCH (a)-[:PART_OF]->(b)
    }
    """
    directory = Path(directory)

    def include(match: re.Match) -> str:
        indent, name = match.groups()
        path = directory / f"{name}.cypher"
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            raise QueryError(f"{source}: no Cypher fragment {name!r} ({path} is missing)",
                             hint=f"fragments: {', '.join(sorted(p.stem for p in directory.glob('*.cypher')))}"
                             ) from None
        text = "\n".join(indent + line if line else line for line in lines)
        return expand_fragments(text, directory, source=f"{source} ({name})")  # a fragment may include others

    return _INCLUDE.sub(include, text)


def read_cypher(path: str | Path) -> str:
    """The statement in ``path`` with its fragments (from ``fragments/`` beside it) expanded."""
    path = Path(path)
    return expand_fragments(path.read_text(encoding="utf-8"), path.parent / FRAGMENTS, source=path.name)
