"""Named Cypher fragments: text written once and included where a statement says so.

A line ``// fragment: NAME`` in a ``queries/cypher/*.cypher`` file stands for the file
``fragments/NAME.cypher`` beside it, each of its lines indented as the directive is. The as-of
rule is written once, in ``fragments/current.cypher``, and used inline: ``CURRENT(post)`` stands
for it over a contract's or post's ``start``/``end``, ``CURRENT_TERM(committee)`` over a
committee's ``term_start``/``term_end`` (graphmodel.rules.current_between is its Python twin). The
backend and the linter both read statements through :func:`read_cypher`, so the text that is
linted is the text that runs.
"""

from __future__ import annotations

import re
from pathlib import Path

from graphmodel.errors import QueryError

__all__ = ["read_cypher", "expand_fragments", "FRAGMENTS", "FRAGMENTS_DIR", "AS_OF_RULE"]

FRAGMENTS = "fragments"  # the folder of fragments, in queries/cypher
AS_OF_RULE = "current"  # the fragment the CURRENT(…) and CURRENT_TERM(…) macros stand for
_INCLUDE = re.compile(r"^([ \t]*)// fragment: ([\w-]+)[ \t]*$", re.MULTILINE)
_DEEPEST = 8  # fragments within fragments, at most this deep
_CURRENT = re.compile(r"\bCURRENT(_TERM)?\((\w+)\)")


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

    def read(name: str) -> list[str]:
        path = directory / f"{name}.cypher"
        try:
            return path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            raise QueryError(f"{source}: no Cypher fragment {name!r} ({path} is missing)",
                             hint=f"fragments: {', '.join(sorted(p.stem for p in directory.glob('*.cypher')))}"
                             ) from None

    def include(match: re.Match) -> str:
        indent, name = match.groups()
        return "\n".join(indent + line if line else line for line in read(name))

    for _ in range(_DEEPEST):  # a fragment may include others
        if _INCLUDE.search(text) is None:
            break
        text = _INCLUDE.sub(include, text)
    else:
        raise QueryError(f"{source}: fragments included more than {_DEEPEST} deep (one includes itself?)")
    if _CURRENT.search(text) is None:
        return text
    rule = " ".join(line.strip() for line in read(AS_OF_RULE) if not line.startswith("//"))

    def current(match: re.Match) -> str:
        term, variable = match.groups()
        prefix = f"{variable}.term_" if term else f"{variable}."
        return "(" + rule.replace("dated.", prefix) + ")"

    return _CURRENT.sub(current, text)


#: The named fragments statements include (``queries/cypher/fragments``).
FRAGMENTS_DIR = Path(__file__).resolve().parent.parent / "cypher" / FRAGMENTS


def read_cypher(path: str | Path, fragments: Path = FRAGMENTS_DIR) -> str:
    """The statement in ``path`` with its fragments (from ``fragments``, the package's unless given) expanded."""
    path = Path(path)
    return expand_fragments(path.read_text(encoding="utf-8"), fragments, source=path.name)
