"""The parts of docs/definitions.md that are the question records, written from them.

The page's prose (the common rules, the details, the ground-truth format) is written by hand;
each block between ``<!-- questions: NAME -->`` and ``<!-- questions: end -->`` is generated.
Regenerate with ``python -m queries.definitions docs/definitions.md``; a test checks it is current.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .candidates import PROPOSALS
from .cross import ORGANISATION_KINDS
from .registry import QUESTIONS

__all__ = ["definition_blocks", "with_current_blocks"]

_BLOCK = re.compile(r"(<!-- questions: (\w+) -->\n).*?(<!-- questions: end -->)", re.DOTALL)


def _of_kind(kind: str):
    return [question for question in QUESTIONS.values() if question.kind == kind]


def _coverage() -> list[str]:
    return ["| code | counted thing (denominator) | counts in the numerator when |", "|---|---|---|",
            *(f"| {q.code} | {q.denominator or q.counted} | {q.rule} |" for q in _of_kind("coverage"))]


def _cross() -> list[str]:
    lines = [f"- **organisation kinds** for X1: {', '.join(ORGANISATION_KINDS)} (a Community post is one in "
             "the community committee, 居委会). Posts in a Grid, Building or Street do not count towards the "
             "kinds but are listed."]
    for question in _of_kind("cross"):
        defaults = "".join(f", {name.upper()} = {value} by default" for name, value in question.defaults.items())
        named = ", ".join(f"`{reason.code}` ({reason.zh})" for reason in question.reasons)
        lines.append(f"- **{question.code}**: {question.rule}{defaults}. What it names (in diffs, timelines "
                     f"and views) has the reason {named}.")
    return lines


def _blind_spots() -> list[str]:
    return ["| code | thing | reason codes |", "|---|---|---|",
            *(f"| {q.code} | {q.counted} | " + "; ".join(f"`{r.code}`: {r.rule}" for r in q.reasons) + " |"
              for q in _of_kind("blindspots"))]


def _structure() -> list[str]:
    return [f"- **{question.code}** ({question.title_zh}): {question.rule}." for question in _of_kind("structure")]


def _candidates() -> list[str]:
    lines = ["| code | gap (found by) | reason codes | who is listed |", "|---|---|---|---|"]
    lines.extend(f"| {q.code} | {q.counted} ({q.gaps_of}) | "
                 + ", ".join(f"`{r.code}`" for r in q.reasons) + f" | {q.rule} |" for q in _of_kind("candidates"))
    lines.append("")
    lines.append("Proposals: " + "; ".join(
        f"`{code}` {p.zh}" + (" (party members only)" if p.needs_member else "")
        + (f" (not to anyone holding a current `{p.role}` post anywhere)" if p.held_anywhere else "")
        for code, p in PROPOSALS.items()) + ".")
    return lines


def _outcomes() -> list[str]:
    return [f"- **{question.code}** ({question.title_zh}): {question.rule}." for question in _of_kind("outcomes")]


def _seeds() -> list[str]:
    return ["| code | 问题 | what it counts in the seed reports |", "|---|---|---|",
            *(f"| {q.code} | {q.title_zh} | {q.seed} |" for q in QUESTIONS.values())]


def _missing_reasons() -> list[str]:
    codes_by_reason: dict[str, list[str]] = {}
    for question in _of_kind("coverage"):
        for reason in question.reasons:
            codes_by_reason.setdefault(reason.code, []).append(question.code)
    listed = ", ".join(f"{'/'.join(codes)} `{reason}`" for reason, codes in codes_by_reason.items())
    return [f"Coverage questions list the things outside their numerator as `missing` items with these "
            f"reasons: {listed}."]


def definition_blocks() -> dict[str, str]:
    """Block name -> its Markdown, from the question records."""
    return {name: "\n".join(lines) + "\n" for name, lines in (
        ("coverage", _coverage()), ("cross", _cross()), ("blindspots", _blind_spots()),
        ("missing", _missing_reasons()), ("structure", _structure()), ("candidates", _candidates()),
        ("outcomes", _outcomes()), ("seeds", _seeds()))}


def with_current_blocks(text: str) -> str:
    """``text`` (docs/definitions.md) with every generated block rewritten from the records."""
    blocks = definition_blocks()
    return _BLOCK.sub(lambda match: match.group(1) + blocks[match.group(2)] + match.group(3), text)


if __name__ == "__main__":
    page = Path(sys.argv[1])
    page.write_text(with_current_blocks(page.read_text(encoding="utf-8")), encoding="utf-8")
